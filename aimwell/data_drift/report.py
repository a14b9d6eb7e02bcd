"""The drift section of the HTML and Markdown reports."""

from __future__ import annotations

from html import escape
from typing import Any

from aimwell.assurance.report_tables import html_table, md_table, status_badge


def drift_html(d: dict[str, Any]) -> str:
    def m(f: dict[str, Any], name: str, key: str = "value") -> Any:
        metric = f["metrics"].get(name)
        return None if metric is None else metric.get(key)

    out = f"<p>Mode: {escape(d['mode'])}. {escape(d['null_policy'])}.</p>"
    out += html_table(
        ["column", "kind", "status", "PSI", "KS", "KS p", "Wasserstein (normed)", "JS",
         "chi²", "chi² p", "n ref", "n cur", "missing ref", "missing cur", "binning"],
        [[f["column"], f["kind"], status_badge(f["status"]), m(f, "psi"), m(f, "ks"),
          m(f, "ks", "p_value"), m(f, "wasserstein_normed"), m(f, "jensen_shannon"),
          m(f, "chi_square"), m(f, "chi_square", "p_value"), f["n_reference"],
          f["n_current"], f["n_reference_missing"], f["n_current_missing"], f["binning"]]
         for f in d["features"]],
        raw={2},
    )  # fmt: skip
    return out


def drift_markdown(d: dict[str, Any]) -> list[str]:
    lines = [f"## Drift ({d['mode']}): {d['status']}", ""]
    lines += md_table(
        ["column", "status", "PSI"],
        [[x["column"], x["status"], (x["metrics"].get("psi") or {}).get("value")]
         for x in d["features"]],
    )  # fmt: skip
    return lines
