"""Monitoring pages: overview, monitor with trend charts, run with per-group tables, comparison,
form, upload; constant query counts with hundreds of runs."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aimwell.monitoring import services
from aimwell.monitoring.models import Monitor, MonitorRun

from .test_api import _many_runs

pytestmark = pytest.mark.django_db


@pytest.fixture
def runs(monitor, logs):
    a = services.execute_run(services.start_run(monitor, actor="t", log=str(logs["fair"])))
    b = services.execute_run(services.start_run(monitor, actor="t", log=str(logs["unfair"])))
    return a, b


def test_overview_shows_latest_results_and_failing_monitors(internal_auditor, monitor, runs):
    page = internal_auditor.client.get(reverse("monitoring:home")).content.decode()
    assert "Consumer credit scoring" in page and "Failing monitors" in page
    assert f"#{runs[1].number}" in page and "breach" in page


def test_owner_sees_the_notification(contributor, monitor, runs):
    page = contributor.client.get(reverse("monitoring:home")).content.decode()
    assert "Your notifications" in page and "breached a threshold" in page


def test_run_page_has_group_tables_with_intervals_and_small_groups(admin, monitor, logs):
    services.update_monitor(monitor, actor="t", min_group_size=400)
    run = services.execute_run(services.start_run(monitor, actor="t", log=str(logs["fair"])))
    page = admin.client.get(reverse("monitoring:run", args=[run.pk])).content.decode()
    assert "age_band = 60+" in page and "too small to judge" in page
    assert "selection rate" in page and "[0." in page  # an interval
    assert "four-fifths" in page and "Evidence:" in page


def test_monitor_page_draws_trends_as_svg(admin, monitor, runs):
    page = admin.client.get(reverse("monitoring:monitor", args=[monitor.pk])).content.decode()
    assert (
        page.count("<svg") >= 3
        and "four-fifths" in page
        and "<script" not in page.split("<main")[-1]
    )


def test_compare_page(admin, monitor, runs):
    a, b = runs
    url = reverse("monitoring:compare") + f"?a={a.pk}&b={b.pk}"
    page = admin.client.get(url).content.decode()
    assert "selection-rate ratio, age_band" in page and "Change (B" in page


def test_create_monitor_through_the_form(contributor, system, logs, catalog):
    response = contributor.post(
        reverse("monitoring:monitor-new"),
        {
            "system": str(system.pk),
            "name": "Form monitor",
            "source_kind": "upload",
            "task": "classification",
            "label_column": "approved",
            "prediction_column": "predicted",
            "score_column": "score",
            "sensitive_columns": "sex, age_band",
            "attribution_prefix": "shap_",
            "pos_label": "1",
            "decision_threshold": "0.5",
            "min_group_size": "30",
            "metrics": ["performance", "fairness"],
            "thresholds": "four_fifths = 0.85",
            "schedule": "manual",
            "on_breach": "incident",
            "breach_level": "alert",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    monitor = Monitor.objects.get(name="Form monitor")
    assert monitor.sensitive_columns == ["sex", "age_band"]
    assert monitor.thresholds == {"four_fifths": 0.85}


def test_upload_page_refuses_a_bad_log_without_a_run(contributor, monitor):
    bad = SimpleUploadedFile("bad.csv", b"x,y\n1,2\n")
    response = contributor.post(
        reverse("monitoring:monitor-upload", args=[monitor.pk]), {"log": bad}
    )
    assert response.status_code == 302
    page = contributor.client.get(response["Location"]).content.decode()
    assert "not found" in page
    assert not MonitorRun.objects.exists()


@pytest.mark.parametrize("name", ["home", "monitor", "compare"])
def test_pages_keep_a_constant_query_count(admin, monitor, name):
    args = [monitor.pk] if name == "monitor" else []
    url = reverse(f"monitoring:{name}", args=args)
    if name == "compare":
        url += f"?monitor={monitor.pk}"
    _many_runs(monitor, 5)
    admin.client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert admin.client.get(url).status_code == 200
    _many_runs(monitor, 300)
    with CaptureQueriesContext(connection) as many:
        assert admin.client.get(url).status_code == 200
    assert len(many) == len(few)


def test_run_status_fragment_for_htmx_polling(admin, monitor, logs):
    run = services.start_run(monitor, actor="t", log=str(logs["fair"]))
    response = admin.client.get(reverse("monitoring:run", args=[run.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="run-status"' in html and 'hx-trigger="every 2s"' in html and "<html" not in html
    services.execute_run(run)
    html = admin.client.get(reverse("monitoring:run", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in html.content.decode()


def test_reference_upload_from_the_page(contributor, monitor, logs):
    reference = SimpleUploadedFile("validation.csv", logs["reference"].read_bytes())
    url = reverse("monitoring:monitor-reference", args=[monitor.pk])
    assert contributor.post(url, {"log": reference}).status_code == 302
    monitor.refresh_from_db()
    assert monitor.reference.endswith("validation.csv") and "monitoring" in monitor.reference
    bad = SimpleUploadedFile("ref.csv", b"other\n1\n")
    contributor.post(url, {"log": bad})
    monitor.refresh_from_db()
    assert monitor.reference.endswith("validation.csv")


def test_the_monitor_form_picks_its_system_by_name(contributor, system):
    page = contributor.client.get(
        reverse("monitoring:monitor-new") + f"?system={system.pk}"
    ).content.decode()
    assert '<select name="system"' not in page
    assert f'name="system" value="{system.pk}" class="picker-value"' in page
    assert reverse("inventory:system-pick") in page
    chosen = page.split('class="picker-chosen"')[1].split("</ul>")[0]
    assert "Consumer credit scoring" in chosen  # the name, not the id, is what a person reads


def test_the_monitor_form_refuses_another_organisations_system(contributor, system, outsider):
    from aimwell.inventory import services as inventory
    from aimwell.inventory.models import AISystem

    theirs = inventory.create(
        AISystem, outsider.membership.organisation, actor="t", name="Their system", purpose="x"
    )
    response = contributor.post(
        reverse("monitoring:monitor-new"),
        {
            "system": str(theirs.pk),
            "name": "Stolen",
            "source_kind": "upload",
            "task": "classification",
            "attribution_prefix": "shap_",
            "pos_label": "1",
            "decision_threshold": "0.5",
            "min_group_size": "30",
            "metrics": ["performance"],
            "schedule": "manual",
            "on_breach": "incident",
            "breach_level": "alert",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Monitor.objects.filter(name="Stolen").exists()
