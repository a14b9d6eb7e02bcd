"""The rule families; importing this package registers every rule."""

from aimwell.consistency.rules import coverage, lifecycle, records, statements, time  # noqa: F401
