"""The one kind of refusal every domain raises, and how the edges present it.

A service that refuses a request raises a `DomainError` (each app derives its own, e.g.
`RiskError`): the message is a sentence for the person, `field` names the input at fault when
there is one, and nothing has been written. The API turns it into the shared error body with
`status` (aimwell.api), and pages put it on the form with `add_to_form`, so no edge needs its own
`try`/`except` translation.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the AIMS refused the request; the message says what to do instead.

    `status` is 400 unless a subclass or the raiser says otherwise (403 for a missing authority,
    404 for a page that does not exist to the public, 413 for an oversized upload, 429 for a
    throttled sender)."""

    status: int = 400

    def __init__(
        self, message: str, field: str | None = None, *, status: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if status is not None:
            self.status = status

    def body(self) -> dict[str, Any]:
        """The API's error body (`ErrorOut`): the sentence, and the field when one is named."""
        body: dict[str, Any] = {"message": self.message}
        if self.field:
            body["errors"] = [{"field": self.field, "message": self.message}]
        return body


def add_to_form(form: Any, error: DomainError) -> None:
    """Show a refusal on a page's form: beside its field when the form has it, else on top."""
    form.add_error(error.field if error.field in form.fields else None, error.message)
