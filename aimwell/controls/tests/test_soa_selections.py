"""The SoA page and API name the first few risks that select each control and count them all,
linking to the register filtered by the control; documents still name every risk."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aimwell.controls import services, soa
from aimwell.risks.services import register, treatment
from aimwell.risks.tests import factories as f

pytestmark = pytest.mark.django_db


def _selecting(org, node, n: int, start: int = 0) -> list:
    risks = [f.risk(org, title=f"Selecting {start + i}") for i in range(n)]
    for risk in risks:
        treatment.select_control(risk, actor="t", node=node)
    return risks


def test_api_names_the_first_risks_and_counts_all_open_ones(catalog, org, manager):
    control = f.node("A.6.2.4")
    risks = _selecting(org, control, 8)
    register.close_risk(risks[1], actor="t", note="Retired system")  # closed: not counted
    rows = {r["ref"]: r for r in manager.api("GET", "/api/v1/soa").json()["rows"]}
    row = rows["A.6.2.4"]
    open_refs = [r.reference for i, r in enumerate(risks) if i != 1]  # 7 open, by reference
    assert row["selected_count"] == 7
    assert [s["reference"] for s in row["selected_by"]] == open_refs[:5]
    assert row["applicable"] is True and "and 2 more" in row["derived_justification"]
    assert rows["A.2.2"]["selected_count"] == 0 and rows["A.2.2"]["selected_by"] == []
    two = {r["ref"]: r for r in manager.api("GET", "/api/v1/soa?top=2").json()["rows"]}
    assert [s["reference"] for s in two["A.6.2.4"]["selected_by"]] == open_refs[:2]
    refused = manager.api("GET", "/api/v1/soa?top=101")
    assert refused.status_code == 400 and "at most 100" in refused.json()["message"]
    # The register's control filter lists every one of them.
    listed = manager.api("GET", f"/api/v1/risks?control={control.pk}&page_size=50").json()
    assert [i["reference"] for i in listed["items"]] == open_refs


def test_page_links_the_rest_to_the_filtered_register(catalog, org, manager):
    control = f.node("A.6.2.4")
    risks = _selecting(org, control, 7)
    body = manager.client.get(reverse("controls:home")).content.decode()
    assert f'?control={control.pk}">2 more</a>' in body
    assert risks[4].reference in body and f">{risks[5].reference}<" not in body
    entry = manager.client.get(reverse("controls:entry", args=["A.6.2.4"])).content.decode()
    # The control's own page names up to 50, so all seven here.
    assert all(r.reference in entry for r in risks) and "In the register" in entry


def test_an_excluded_control_names_its_selecting_risks_in_the_inconsistency(catalog, org):
    control = f.node("A.6.2.4")
    risks = _selecting(org, control, 6)
    services.decide(org, actor="t", node=control, applicable=False, justification="Not ours")
    row = {r.ref: r for r in soa.soa_rows(org, top=2)}["A.6.2.4"]
    refs = f"{risks[0].reference}, {risks[1].reference} and 4 more"
    expected = f"Marked not applicable, but the treatment of {refs} selects it."
    assert row.inconsistencies[0] == expected
    full = {r.ref: r for r in soa.soa_rows(org)}["A.6.2.4"]
    assert [s.reference for s in full.selected_by] == [r.reference for r in risks]
    assert full.more_risks == 0 and full.selected_count == 6


@pytest.mark.parametrize("url", ["/api/v1/soa", "/api/v1/soa/A.6.2.4"])
def test_soa_answer_size_and_queries_do_not_grow_with_selecting_risks(catalog, org, manager, url):
    control = f.node("A.6.2.4")
    manager.api("GET", url)  # the client's first request; the SoA is then kept until a write
    _selecting(org, control, 5)
    with CaptureQueriesContext(connection) as few:
        small = manager.api("GET", url)
    _selecting(org, control, 10, start=5)
    with CaptureQueriesContext(connection) as many:
        large = manager.api("GET", url)
    assert len(many) == len(few)
    # The same five risks named; only the count changed (5 -> 15): naming ten more would add
    # at least their ten ids (36 characters each).
    assert abs(len(large.content) - len(small.content)) < 10 * 36


def test_the_kept_soa_is_recomputed_after_a_write(catalog, org, manager):
    control = f.node("A.6.2.4")
    risks = _selecting(org, control, 3)

    def count() -> int:
        rows = manager.api("GET", "/api/v1/soa").json()["rows"]
        return next(r["selected_count"] for r in rows if r["ref"] == "A.6.2.4")

    assert count() == 3
    with CaptureQueriesContext(connection) as kept:
        assert count() == 3
    register.close_risk(risks[0], actor="t", note="Retired system")  # an audited write
    with CaptureQueriesContext(connection) as afresh:
        assert count() == 2
    # Kept: no query of the selections; afresh: the SoA's queries again.
    assert not any("risks_selectedcontrol" in q["sql"] for q in kept.captured_queries)
    assert any("risks_selectedcontrol" in q["sql"] for q in afresh.captured_queries)
