"""The rule families; importing this package registers every rule."""

from aimwell.consistency.rules import coverage, records, statements, time  # noqa: F401
