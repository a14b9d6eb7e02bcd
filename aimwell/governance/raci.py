"""RACI queries: entries filtered on the server, and the matrix of AI systems or AIMS processes
against people, built in three queries whatever its size."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from aimwell.accounts.models import Membership, Organisation
from aimwell.accounts.roles import AIMSProcess, Role
from aimwell.governance.choices import Raci
from aimwell.governance.models import RaciEntry
from aimwell.inventory.models import AISystem

AXES = ("systems", "processes")


def entries(
    organisation: Organisation,
    *,
    system_id: uuid.UUID | None = None,
    process: str | None = None,
    member_id: uuid.UUID | None = None,
    letter: str | None = None,
) -> QuerySet[RaciEntry]:
    qs = RaciEntry.objects.filter(organisation=organisation).select_related(
        "system", "member__user"
    )
    if system_id:
        qs = qs.filter(system_id=system_id)
    if process:
        qs = qs.filter(process=process)
    if member_id:
        qs = qs.filter(member_id=member_id)
    if letter:
        qs = qs.filter(letter=letter)
    return qs.order_by("system__name", "process", "letter", "pk")


def member_of(organisation: Organisation, member_id: Any) -> Membership | None:
    return (
        Membership.objects.select_related("user")
        .filter(organisation=organisation, pk=member_id)
        .first()
    )


def people(organisation: Organisation) -> list[Membership]:
    """Columns of the matrix: active insiders, plus anyone who already holds an entry."""
    with_entries = RaciEntry.objects.filter(organisation=organisation).values("member_id")
    return list(
        Membership.objects.filter(organisation=organisation)
        .filter(Q(is_active=True, role__in=[r for r in Role if r != Role.EXTERNAL_AUDITOR])
                | Q(pk__in=with_entries))
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )  # fmt: skip


@dataclass
class Row:
    key: str
    label: str
    cells: dict[str, str]  # membership id -> letter
    entry_ids: dict[str, str]  # membership id -> entry id
    detail: str = ""

    @property
    def has_accountable(self) -> bool:
        return Raci.ACCOUNTABLE in self.cells.values()

    def letter_for(self, member_id: Any) -> str:
        return self.cells.get(str(member_id), "")


@dataclass
class Matrix:
    axis: str
    members: list[Membership]
    rows: list[Row]

    def as_dict(self) -> dict[str, Any]:
        return {
            "axis": self.axis,
            "members": self.members,
            "rows": [
                {"key": r.key, "label": r.label, "cells": r.cells,
                 "has_accountable": r.has_accountable}
                for r in self.rows
            ],
        }  # fmt: skip


def matrix(organisation: Organisation, axis: str) -> Matrix:
    members = people(organisation)
    base = RaciEntry.objects.filter(organisation=organisation).only(
        "id", "system_id", "process", "member_id", "letter"
    )
    if axis == "systems":
        rows = [
            Row(str(s.pk), s.name, {}, {}, detail=s.get_eu_role_display() or "")
            for s in AISystem.objects.filter(organisation=organisation)
            .only("id", "name", "eu_roles")
            .order_by("name")
        ]
        found = base.filter(system__isnull=False)
        key_of = "system_id"
    else:
        rows = [Row(p.value, p.label, {}, {}) for p in AIMSProcess]
        found = base.filter(system__isnull=True)
        key_of = "process"
    by_key = {r.key: r for r in rows}
    for entry in found:
        row = by_key.get(str(getattr(entry, key_of)))
        if row is not None:
            row.cells[str(entry.member_id)] = entry.letter
            row.entry_ids[str(entry.member_id)] = str(entry.pk)
    return Matrix(axis, members, rows)
