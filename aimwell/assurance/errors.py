"""Exceptions raised by the assurance engine.

Every failure a user can cause (a bad path, a missing column, a corrupt file) is an
``AssuranceError`` so that the CLI can turn it into a one-line message and exit code 2
instead of a traceback, and so that library callers can catch one base class.
"""

from __future__ import annotations

from collections.abc import Iterable


class AssuranceError(Exception):
    """Base class of every error the assurance engine raises on purpose."""


class LogNotFoundError(AssuranceError):
    """The prediction log path does not exist."""


class EmptyLogError(AssuranceError):
    """The prediction log has no rows (or no bytes at all)."""


class UnreadableLogError(AssuranceError):
    """The log exists but cannot be parsed (truncated Parquet, binary junk, bad CSV)."""


class ColumnNotFoundError(AssuranceError):
    """A column named in the configuration is absent from the log."""

    def __init__(self, column: str, role: str, available: Iterable[str]) -> None:
        self.column = column
        self.role = role
        self.available = list(available)
        super().__init__(
            f"{role} column {column!r} not found; available columns: " + ", ".join(self.available)
        )


class ColumnTypeError(AssuranceError):
    """A column has a type that the requested role cannot use."""

    def __init__(self, column: str, role: str, found: str, expected: str) -> None:
        self.column = column
        self.role = role
        self.found = found
        self.expected = expected
        super().__init__(f"{role} column {column!r} has type {found}; expected {expected}")


class ConfigurationError(AssuranceError):
    """The requested analysis is inconsistent (e.g. drift without a reference)."""


class BackendUnavailableError(AssuranceError):
    """An optional backend (Spark) is requested but cannot be imported or started."""


class ProfileError(AssuranceError):
    """A serialised reference profile is invalid or does not match the log."""
