"""HTML to PDF (WeasyPrint) from the same templates as the pages; Markdown is made safe HTML by
the one renderer, `aimwell.core.markdown`."""

from __future__ import annotations

import hashlib
from typing import Any

from django.template.loader import render_to_string

from aimwell.core.markdown import render_markdown


def sha256_text(text: str) -> str:
    return hashlib.sha256((text or "").encode()).hexdigest()


def version_pdf(version: Any) -> bytes:
    """A PDF of one version, with its status, approval and hash on the cover block."""
    from weasyprint import HTML

    html = render_to_string(
        "documents/pdf.html",
        {"version": version, "document": version.document, "body": render_markdown(version.body)},
    )
    return HTML(string=html).write_pdf()
