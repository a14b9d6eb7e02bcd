"""Markdown to safe HTML, and HTML to PDF (WeasyPrint) from the same templates as the pages."""

from __future__ import annotations

import hashlib
from typing import Any

import nh3
from django.template.loader import render_to_string
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    "table"
)

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li",
    "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def markdown_to_html(text: str) -> str:
    """Render Markdown and keep only harmless tags, attributes and link schemes."""
    html = _md.render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def sha256_text(text: str) -> str:
    return hashlib.sha256((text or "").encode()).hexdigest()


def version_pdf(version: Any) -> bytes:
    """A PDF of one version, with its status, approval and hash on the cover block."""
    from weasyprint import HTML

    html = render_to_string(
        "documents/pdf.html",
        {"version": version, "document": version.document, "body": markdown_to_html(version.body)},
    )
    return HTML(string=html).write_pdf()
