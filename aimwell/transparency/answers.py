"""Answers to the EU AI Act classification questions for consumer credit scoring (an Annex III
5(b) use): shared by the demo and the tests; kept with the inventory's demo answers."""

from __future__ import annotations

from aimwell.classification.answers import CREDIT_ANSWERS

__all__ = ["CREDIT_ANSWERS"]
