"""API schemas of the home page: explicit outputs."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field


class NextActionOut(Schema):
    text: str
    url: str
    why: str


class StageOut(Schema):
    number: int
    title: str
    percent: float | None = Field(description="progress 0-100; null when not tracked")
    detail: str
    url: str


class FigureOut(Schema):
    label: str
    value: str
    note: str
    url: str


class HomeOut(Schema):
    organisation: str
    next_action: NextActionOut | None
    stages: list[StageOut]
    figures: list[FigureOut]
    inbox_count: int
