"""Print exports: a PDF from a print template (spreadsheets and CSV come from core.tabular)."""

from __future__ import annotations

from typing import Any


def pdf(template: str, context: dict[str, Any]) -> bytes:
    """A PDF from a print template (WeasyPrint)."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html).write_pdf()
