"""Edit forms on pages carry the version of the record they show; a form sent after someone else
saved the record is refused with 409, changes nothing and shows what was typed (the API's If-Match
check, for people)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from aimwell.change_control import services as changes
from aimwell.inventory import services as inventory
from aimwell.risks.services import register
from aimwell.risks.tests.factories import risk as make_risk
from aimwell.risks.tests.factories import system as make_system


class _Form(HTMLParser):
    """The values a browser would send for the page's own form: the first one with method post
    that posts back to the page (the header's sign-out and organisation forms post elsewhere)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._in_form = self._done = False
        self._select: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        posts_back = not a.get("action")
        if tag == "form" and a.get("method", "").lower() == "post" and posts_back:
            self._in_form = not self._done
        if not self._in_form:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.values.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.values.append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.values.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True


def _form(response) -> dict[str, str]:
    parser = _Form()
    parser.feed(response.content.decode())
    return dict(parser.values)


def _risk(org):
    return make_risk(org, title="Biased refusals")


def _system(org):
    return make_system(org, name="Credit scoring")


def _change(org):
    return changes.create_change(
        org, actor="test", title="Retrain", scope="aims", reason="Drift", what_changes="Window"
    )


# (what is edited, how it is made, its edit page, a change someone else saves, the field typed)
EDITS = {
    "risk": (
        _risk,
        "/risks/{}/edit/",
        lambda obj: register.update_risk(obj, actor="someone else", title="Their title"),
        "title",
    ),
    "ai-system": (
        _system,
        "/ai-systems/{}/edit/",
        lambda obj: inventory.update(obj, actor="someone else", purpose="Their purpose"),
        "purpose",
    ),
    "change-request": (
        _change,
        "/changes/{}/edit/",
        lambda obj: changes.update_change(obj, actor="someone else", title="Their title"),
        "title",
    ),
}


@pytest.mark.parametrize("kind", list(EDITS))
def test_a_form_sent_after_someone_else_saved_is_refused(org, manager, catalog, kind):
    make, address, their_change, field = EDITS[kind]
    obj = make(org)
    url = address.format(obj.pk)
    opened = manager.client.get(url)
    assert opened.status_code == 200
    data = _form(opened)
    assert data["_version"]  # the form carries the version it was opened with
    their_change(type(obj).objects.get(pk=obj.pk))
    theirs = getattr(type(obj).objects.get(pk=obj.pk), field)

    data[field] = "My wording, typed while they saved"
    refused = manager.post(url, data)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Changed by someone else" in page
    assert "My wording, typed while they saved" in page  # what was typed is shown, not lost
    assert getattr(type(obj).objects.get(pk=obj.pk), field) == theirs

    # Opened again, the form carries the new version and saves.
    data = _form(manager.client.get(url))
    data[field] = "My wording, on their version"
    saved = manager.post(url, data)
    assert saved.status_code == 302
    assert getattr(type(obj).objects.get(pk=obj.pk), field) == "My wording, on their version"


def test_a_creation_form_carries_no_version(org, manager, catalog):
    make_risk(org)  # a published method, so the form opens
    assert "_version" not in _form(manager.client.get("/risks/new/"))
