"""No page of the demo shows a person a raw choice code or a UUID where a label belongs.

The pages are the ones tests/pages.py enumerates from the URLconf (every page the demo admin can
reach). Text inside links, form controls, <code> and attributes is not read: ids may stand in a link
or beside the title they name, and a hidden input carries ids by design. What is read is every
other piece of visible text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import StrEnum
from html.parser import HTMLParser
from typing import Any

from django.apps import apps
from django.db import models

from tests.pages import demo_admin_client, enumerate_pages

# The EU AI Act's article and annex ids as the classification rules and the catalog store them.
ACT_ID = re.compile(r"\b(?:art|annex)-[0-9a-z]+(?:-[0-9a-z]+)*\b")
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
# Elements whose text is not read: links, form controls, code, and what is never rendered.
NOT_READ = {"a", "code", "pre", "script", "style", "option", "textarea", "select", "title", "svg"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


def _choices() -> Iterator[tuple[Any, Any]]:
    for model in apps.get_models():
        if model.__module__.startswith("aimwell."):
            for field in model._meta.get_fields():
                yield from getattr(field, "flatchoices", None) or []
    classes = list(models.Choices.__subclasses__())
    while classes:
        choices = classes.pop()
        classes += choices.__subclasses__()
        if choices.__module__.startswith("aimwell."):
            yield from choices.choices
    for enumeration in StrEnum.__subclasses__():  # roles, processes, capabilities
        if enumeration.__module__.startswith("aimwell."):
            yield from ((member.value, member.name) for member in enumeration)


def raw_codes() -> set[str]:
    """Every stored value of a choice (a model field's or an enumeration's) written the way no
    person writes: `competence_and_training`, `high_risk`. Such text on a page is the database
    showing through; the label belongs there. (Single words such as `open` read as themselves.)"""
    return {value for value, _ in _choices() if isinstance(value, str) and "_" in value}


def unreadable_codes() -> set[str]:
    """Stored values that are one word yet do not read as their label, whatever choice they
    belong to: `highrisk` ("High risk"), `ofi` ("Opportunity for improvement"). Shown alone in an
    element they are the code, not the label. A value that some choice labels as the same word
    (`approved` for "Approved", `partial` for "Partial") reads as itself and is left alone, as are
    single letters (the R, A, C and I of a RACI matrix, explained in its legend)."""
    labels: dict[str, set[str]] = {}
    for value, label in _choices():
        if isinstance(value, str) and re.fullmatch(r"[A-Za-z][A-Za-z0-9]+", value):
            labels.setdefault(value, set()).add(str(label).lower())
    return {value for value, named in labels.items() if value.lower() not in named}


class VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.skipping = 0
        self.stack: list[str] = []
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag in NOT_READ:
            self.skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.stack:
            return
        while self.stack:
            open_tag = self.stack.pop()
            if open_tag in NOT_READ:
                self.skipping -= 1
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.skipping and data.strip():
            self.chunks.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.chunks


def findings(html: str, codes: set[str], alone: frozenset[str] = frozenset()) -> list[str]:
    found = []
    for chunk in visible_text(html):
        if chunk in alone:
            found.append(f"code {chunk!r} alone")
        if UUID.search(chunk):
            found.append(f"UUID in {chunk[:120]!r}")
        found += [f"EU AI Act id {m!r} in {chunk[:120]!r}" for m in ACT_ID.findall(chunk)]
        for token in re.findall(r"[A-Za-z0-9][A-Za-z0-9_\-]*[A-Za-z0-9]", chunk):
            if token in codes:
                found.append(f"code {token!r} in {chunk[:120]!r}")
    return found


def test_the_reader_is_not_a_parser():
    codes = {"high_risk", "competence_and_training"}
    page = (
        '<p>Risk class: <a href="/x/1b0d1d8e-8a52-4a4e-9f0e-0d2f1c7e3b11/">High risk</a>'
        '<input type="hidden" value="1b0d1d8e-8a52-4a4e-9f0e-0d2f1c7e3b11"><br>'
        "<code>high_risk</code><select><option>competence_and_training</option></select></p>"
    )
    assert findings(page, codes) == []
    shown = "<td>high_risk</td><td>owner: 1b0d1d8e-8a52-4a4e-9f0e-0d2f1c7e3b11, art-6-2</td>"
    assert findings(shown, codes) == [
        "code 'high_risk' in 'high_risk'",
        "UUID in 'owner: 1b0d1d8e-8a52-4a4e-9f0e-0d2f1c7e3b11, art-6-2'",
        "EU AI Act id 'art-6-2' in 'owner: 1b0d1d8e-8a52-4a4e-9f0e-0d2f1c7e3b11, art-6-2'",
    ]
    assert {"competence_and_training", "aims_manager"} <= raw_codes()
    assert findings(
        "<p>Class: <span>highrisk</span> approved</p>", set(), frozenset({"highrisk"})
    ) == ["code 'highrisk' alone"]
    unreadable = unreadable_codes()
    assert "approved" not in unreadable  # a status labelled "Approved" reads as itself


def test_no_page_of_the_demo_shows_a_raw_code_or_a_uuid(demo_org):
    pages = enumerate_pages(demo_admin_client(demo_org))
    assert not pages.failures, pages.failures
    codes, alone = raw_codes(), frozenset(unreadable_codes())
    problems = [
        f"{page.url}: {f}" for page in pages.pages for f in findings(page.html, codes, alone)
    ]
    assert not problems, f"{len(problems)} raw codes or ids:\n" + "\n".join(problems)
