"""One Markdown sanitiser: a script, a `javascript:` link and an event-handler attribute are
removed by the core renderer and by both places that show Markdown (the context pages' filter,
used by the scope pages, and the documents' HTML in the API and PDF)."""

from __future__ import annotations

from html.parser import HTMLParser
from types import SimpleNamespace

from aimwell.context.templatetags.context_tags import markdown
from aimwell.core.markdown import render_markdown
from aimwell.documents.schemas import VersionOut

HOSTILE = (
    "# Title\n\n<script>alert(1)</script>\n\n[click](javascript:alert(1)) **bold**\n\n"
    '<img src="x" onerror="alert(1)">\n\n![pic](javascript:alert(2))\n\n'
    '<a href="https://example.org" onclick="alert(3)">raw</a>\n\n'
    "| a | b |\n|---|---|\n| 1 | [ok](https://example.org) |\n"
)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def _assert_safe(html: str) -> None:
    tags = _tags(html)
    names = [name for name, _ in tags]
    assert "script" not in names and "img" not in names
    assert not [a for _, attrs in tags for a in attrs if a.startswith("on")]
    hrefs = [attrs.get("href") for name, attrs in tags if name == "a"]
    # The one safe link survives; the javascript: ones stay as text, never as a target.
    assert hrefs == ["https://example.org"]
    assert "<strong>bold</strong>" in html and "<h1>Title</h1>" in html and "<table>" in html


def test_the_core_renderer_removes_scripts_handlers_and_unsafe_links():
    _assert_safe(render_markdown(HOSTILE))


def test_context_pages_and_documents_render_through_the_same_sanitiser():
    for html in (
        str(markdown(HOSTILE)),
        VersionOut.resolve_body_html(SimpleNamespace(body=HOSTILE)),
    ):
        _assert_safe(html)
        assert html == render_markdown(HOSTILE)
