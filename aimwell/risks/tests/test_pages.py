"""The risk pages render for readers, write through their forms, and keep query counts flat."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aimwell.impact_assessments import services as impact
from aimwell.risks.models import Risk
from aimwell.risks.services import treatment
from aimwell.risks.tests import factories as f

pytestmark = pytest.mark.django_db


def test_register_page_shows_heat_map_and_risks(catalog, org, manager, contributor):
    system = f.system(org, owner=contributor.user)
    risk = f.risk(org, system=system)
    page = manager.client.get(reverse("risks:home"))
    assert page.status_code == 200
    body = page.content.decode()
    assert risk.reference in body and "Heat map" in body and "heatmap" in body
    htmx = manager.client.get(reverse("risks:home") + "?band=High", HTTP_HX_REQUEST="true")
    assert risk.reference in htmx.content.decode()
    assert "<h1>" not in htmx.content.decode()


def test_identify_a_risk_through_the_form(catalog, org, manager):
    f.method(org)
    response = manager.post(
        reverse("risks:new"),
        {
            "title": "Chatbot leaks account data",
            "custom_source": "Prompt injection",
            "likelihood": "3",
            "c_individuals": "4",
            "d_individuals": "Account details exposed",
        },
    )
    assert response.status_code == 302
    risk = Risk.objects.get(title="Chatbot leaks account data")
    assert risk.inherent_level == 12 and risk.consequences["individuals"]["rating"] == 4


def test_form_refuses_a_risk_without_source_or_rating(catalog, org, manager):
    f.method(org)
    response = manager.post(reverse("risks:new"), {"title": "Vague", "likelihood": "3"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose an Annex C risk source or name your own." in body
    assert "Rate the consequence for at least one dimension." in body


def test_acceptance_without_authority_is_refused_with_a_message(catalog, org, admin, manager):
    risk = f.risk(org)
    treatment.set_treatment(risk, actor="t", option="modify")
    treatment.assess_residual(risk, actor="t", likelihood=3, consequence=3)
    refused = admin.post(reverse("risks:accept", args=[risk.pk]), {"note": "fine"})
    assert refused.status_code == 403
    assert "no risk-acceptance authority" in refused.content.decode()
    detail = admin.client.get(reverse("risks:detail", args=[risk.pk])).content.decode()
    assert "no risk-acceptance authority" in detail
    assert manager.post(reverse("risks:accept", args=[risk.pk])).status_code == 302
    risk.refresh_from_db()
    assert risk.status == "accepted"


def test_overdue_actions_stand_out(catalog, org, manager):
    import datetime as dt

    risk = f.risk(org)
    treatment.set_treatment(risk, actor="t", option="modify")
    treatment.add_action(risk, actor="t", title="Late fairness test", due_date=dt.date(2020, 1, 1))
    body = manager.client.get(reverse("risks:home")).content.decode()
    assert "Late fairness test" in body and "days overdue" in body
    assert "overdue" in manager.client.get(reverse("risks:detail", args=[risk.pk])).content.decode()


def test_impact_assessment_pages_and_risk_in_one_step(catalog, org, manager):
    system = f.system(org)
    f.method(org)
    area = {"description": "Bias", "severity": 4, "likelihood": 4, "mitigation": "tests"}
    assessment = impact.create_assessment(org, actor="t", system=system, impacts={"fairness": area})
    page = manager.client.get(reverse("impact_assessments:detail", args=[assessment.pk]))
    assert page.status_code == 200 and "Add to risk register" in page.content.decode()
    assert (
        manager.client.get(reverse("impact_assessments:edit", args=[assessment.pk])).status_code
        == 200
    )
    response = manager.post(
        reverse("impact_assessments:risk", args=[assessment.pk]), {"area": "fairness"}
    )
    assert response.status_code == 302
    risk = Risk.objects.get(origin_impact=assessment)
    assert risk.system == system and risk.inherent_level == 16


def test_method_page_publishes_a_new_version(catalog, org, manager):
    from aimwell.risks.forms import MethodForm
    from aimwell.risks.services.method import current_method

    first = f.method(org)
    data = MethodForm.initial_from(first)
    data.update(acceptance_threshold=6, change_note="Lower appetite")
    assert manager.post(reverse("risks:method"), data).status_code == 302
    assert current_method(org).version == 2
    assert current_method(org).acceptance_threshold == 6


@pytest.mark.parametrize("url_name", ["risks:home", "impact_assessments:list"])
def test_list_pages_query_count_is_flat(catalog, org, manager, url_name):
    system = f.system(org)
    f.risk(org, system=system)
    impact.create_assessment(org, actor="t", system=system)
    manager.client.get(reverse(url_name))
    # A write after the first request: the heat map and the register's count are kept until
    # one, and both measures below are of a computation afresh.
    f.risk(org, title="After the first request")
    with CaptureQueriesContext(connection) as few:
        manager.client.get(reverse(url_name))
    for i in range(6):
        other = f.system(org, name=f"System {i}")
        f.risk(org, title=f"Risk {i}", system=other)
        impact.create_assessment(org, actor="t", system=other)
    with CaptureQueriesContext(connection) as many:
        manager.client.get(reverse(url_name))
    assert len(many) == len(few)


def test_register_shows_where_treatment_moved_the_risks(catalog, org, manager):
    """Worked by hand on the default 5 x 5 method (level = likelihood x consequence; Low from 1,
    Medium 5, High 10, Very high 17): two risks move from (4, 4), level 16 High, to (2, 2),
    level 4 Low; one is treated but stays at (4, 4); one awaits its residual assessment."""
    for title, residual in (("Moved A", (2, 2)), ("Moved B", (2, 2)), ("Stayed", (4, 4))):
        risk = f.risk(org, title=title, likelihood=4, rating=4)
        treatment.set_treatment(risk, actor="t", option="modify")
        treatment.assess_residual(risk, actor="t", likelihood=residual[0], consequence=residual[1])
    f.risk(org, title="Waiting", likelihood=1, rating=2)

    body = manager.client.get(reverse("risks:home")).content.decode()
    assert "Before and after treatment" in body
    assert "3 open risks with a residual assessment; 1 awaits one." in body
    bands = {
        name: (int(before), int(after))
        for name, before, after in re.findall(
            r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td><td>(\d+)</td></tr>', body
        )
    }
    assert bands == {"Low": (0, 2), "Medium": (0, 0), "High": (3, 1), "Very high": (0, 0)}
    moves = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td><td>(\d+)</td></tr>", body)
    assert [(m[1].startswith("likelihood") and "(level 4)" in m[1], m[2]) for m in moves] == [
        (True, "2"),
        (False, "1"),
    ]
    assert "(level 16)" in moves[0][0] and moves[1][1] == "stayed"
    # The chart: the left grid's row of likelihood 4 is the second from the top (y = 42 + 36),
    # its fourth column x = 24 + 3 * 36; the count 3 sits at its centre (150, 100.5). On the
    # right (x offset 5 * 36 + 40 = 220), likelihood 2 is the fourth row (y = 42 + 3 * 36):
    # 2 at (24 + 220 + 36 + 18, 150 + 18 + 4.5) = (298, 172.5); the one that stayed at (370, 100.5).
    svg = body[body.index('<svg class="chart"') : body.index("</svg>")]
    assert 'x="150" y="100.5"' in svg and svg.split('x="150" y="100.5"')[1].split("<")[0].endswith(
        ">3"
    )
    assert svg.split('x="298" y="172.5"')[1].split("<")[0].endswith(">2")
    assert svg.split('x="370" y="100.5"')[1].split("<")[0].endswith(">1")


def test_heat_map_cell_filters_the_register(catalog, org, manager):
    high = f.risk(org, title="High one", likelihood=4, rating=4)
    low = f.risk(org, title="Low one", likelihood=1, rating=2)
    body = manager.client.get(reverse("risks:home") + "?likelihood=4&consequence=4").content
    text = body.decode()
    assert high.reference in text and "Low one" not in text
    treatment.set_treatment(low, actor="t", option="retain")
    treatment.assess_residual(low, actor="t", likelihood=1, consequence=1)
    residual = manager.client.get(
        reverse("risks:home") + "?map=residual&likelihood=1&consequence=1"
    )
    assert "Low one" in residual.content.decode() and "High one" not in residual.content.decode()
