"""The home page leads: the seven stages with their progress, the next action, the inbox."""

from __future__ import annotations

import re

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aimwell.accounts import services
from aimwell.controls import readiness
from aimwell.documents import services as documents
from aimwell.inventory import services as inventory
from aimwell.inventory.models import AISystem


def test_the_home_shows_the_seven_stages_as_readiness_computes_them(org, everyone, catalog):
    body = everyone["admin"].client.get("/").content.decode()
    stepper = body.split('<ol class="stepper"', 1)[1].split("</ol>", 1)[0]
    report = readiness.compute(org)
    titles = re.findall(r'<a class="stage-title" href="[^"]+">([^<]+)</a>', stepper)
    assert titles == [s.title for s in report.stages] and len(titles) == 7
    for stage in report.stages:
        if stage.percent is not None:
            assert f'aria-label="{stage.title}: {stage.percent:.0f}%"' in stepper


def test_the_next_action_is_the_top_gap_with_a_link(org, everyone, catalog):
    body = everyone["admin"].client.get("/").content.decode()
    top = readiness.compute(org).gaps[0]
    action = re.search(r'<a class="button" href="([^"]+)" id="next-action">([^<]+)</a>', body)
    assert action is not None
    assert action.group(2).startswith(f"{top.ref} ")
    assert everyone["admin"].client.get(action.group(1).split("#")[0]).status_code == 200


def test_staff_see_their_inbox_not_the_registers_figures(org, everyone, catalog):
    admin, staff = everyone["admin"], everyone["staff"]
    document = documents.create_document(
        org,
        title="Acceptable use of AI",
        doc_type="procedure",
        actor=admin.user,
        body="Use approved tools only.",
        acknowledgement_roles=["staff"],
    )
    version = document.working_version
    documents.submit_for_review(version, actor=admin.user)
    documents.approve(version, membership=everyone["aims_manager"].membership, actor=admin.user)
    documents.publish(version, actor=admin.user)
    body = staff.client.get("/").content.decode()
    assert f"Read and acknowledge {document.reference} Acceptable use of AI v1" in body
    assert 'class="stepper"' not in body and "next-action" not in body


def test_home_queries_do_not_grow_with_the_aims(
    org, everyone, catalog, django_assert_max_num_queries
):
    admin = everyone["admin"]

    def count() -> int:
        cache.clear()  # the progress computed afresh each time: every register is read
        with CaptureQueriesContext(connection) as ctx:
            assert admin.client.get("/").status_code == 200
        return len(ctx.captured_queries)

    for i in range(12, 14):  # some of each first: empty registers skip some work
        inventory.create(AISystem, org, actor=admin.user, name=f"System {i}")
    count()  # warm up the session
    few = count()
    for i in range(12):
        inventory.create(AISystem, org, actor=admin.user, name=f"System {i}")
        services.add_member(org, email=f"m{i}@test.example", role="staff", actor=admin.user)
    many = count()
    assert many == few
    # While nothing is written the progress comes from the cache: a fixed few queries remain.
    with django_assert_max_num_queries(30):
        admin.client.get("/")


def test_the_home_api_gives_the_pages_next_action_stages_and_figures(org, everyone, catalog):
    admin = everyone["admin"]
    data = admin.api("GET", "/api/v1/home").json()
    report = readiness.compute(org)
    assert data["organisation"] == org.name
    assert [s["title"] for s in data["stages"]] == [s.title for s in report.stages]
    assert [s["percent"] for s in data["stages"]] == [s.percent for s in report.stages]
    assert data["next_action"]["text"].startswith(f"{report.gaps[0].ref} ")
    page = admin.client.get("/").content.decode()
    assert f'href="{data["next_action"]["url"]}" id="next-action"' in page
    labels = [f["label"] for f in data["figures"]]
    assert labels[0] == "Readiness for certification" and data["figures"][0]["value"] == (
        f"{report.score:.1f}"
    )
    assert "High-risk AI systems" in labels
    assert everyone["staff"].api("GET", "/api/v1/home").status_code == 403
