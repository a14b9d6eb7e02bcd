"""System cards: content from live data, the four formats, versions, the Annex IV outline."""

from __future__ import annotations

import io
import json
import re

import pytest
from pypdf import PdfReader

from aimwell.core.models import AuditEvent
from aimwell.inventory import services as inventory
from aimwell.transparency import cards, querysets, services
from aimwell.transparency.models import CardVersion
from aimwell.transparency.tests.factories import credit_system, plain_system


@pytest.fixture
def scoring(org, contributor):
    return credit_system(org, owner=contributor.user)


def test_card_in_four_formats_with_monitoring_by_group_and_annex_iv(scoring, contributor):
    client = contributor.client
    page = client.get(f"/transparency/systems/{scoring.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    for text in (
        "Assess the creditworthiness",
        "Using the score to set staff targets",  # foreseeable misuse from the inventory
        "Less accurate for applicants with thin credit files",  # the model's limitations
        "Credit officers in the lending team",
        "Loan book 2019-2024",
        "age_band = 60+",  # fairness by group from the latest run
        "High risk",
        "Technical documentation outline",
        "to complete",
        "never published",
    ):
        assert text in html, text
    assert "owner@test.example" not in page.content.decode().split("Versions")[0]

    md = client.get(f"/transparency/systems/{scoring.pk}/card.md")
    assert md.status_code == 200 and md["Content-Type"].startswith("text/markdown")
    text = md.content.decode()
    assert text.startswith("# AI system card: Consumer credit scoring")
    assert "| age_band = 60+ |" in text and "Annex IV" in text and "**To complete:**" in text

    data = json.loads(client.get(f"/transparency/systems/{scoring.pk}/card.json").content)
    card = data["card"]
    assert data["version"] is None and card["schema"] == cards.SCHEMA
    assert card["eu_ai_act"]["risk_class"] == "high_risk"
    art9 = next(o for o in card["eu_ai_act"]["obligations"] if o["node_id"] == "art-9")
    assert art9["provision"] == "Art. 9" and art9["roles"] == ["provider"]
    # The card shows the compliance matrix's computed status for the obligation.
    from aimwell.classification.matrix import system_matrix

    matrix_art9 = next(r for r in system_matrix(scoring).rows if r.node_id == "art-9")
    assert art9["status"] == matrix_art9.status
    # When it applies reads as dates with what they concern, never as raw catalog data.
    assert art9["applies_from"] and all(
        re.match(r"^\d{4}-\d{2}-\d{2}( \(.+\))?$", line) for line in art9["applies_from"]
    )
    assert f"applies from {art9['applies_from'][0]}" in text and "{'date'" not in text
    assert "{'date'" not in page.content.decode()
    run = card["evaluation"][0]["latest_run"]
    assert run["rows"] == 400 and "accuracy" in [m["measure"] for m in run["performance"]]
    groups = {g["group"] for g in run["fairness"][0]["groups"]}
    assert {"age_band = 18-29", "age_band = 60+"} <= groups
    statuses = {s["status"] for s in card["annex_iv"]}
    assert {"filled", "partial", "to complete"} <= statuses
    assert str(scoring.pk) not in json.dumps(card)  # no internal ids in a card

    pdf = client.get(f"/transparency/systems/{scoring.pk}/card.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    extracted = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "AI system card: Consumer credit scoring" in extracted
    assert "Foreseeable misuse" in extracted and "Technical documentation outline" in extracted
    assert client.get(f"/transparency/systems/{scoring.pk}/card.exe").status_code == 404


def test_api_returns_json_and_markdown(scoring, contributor):
    response = contributor.api("GET", f"/api/v1/systems/{scoring.pk}/card")
    assert response.status_code == 200
    body = response.json()
    assert body["content"]["system"]["name"] == "Consumer credit scoring"
    assert body["markdown"].startswith("# AI system card")
    assert body["sha256"] == cards.content_sha256(body["content"])
    assert body["published_version"] is None and body["out_of_date"] is False


def test_versions_only_when_content_changes_and_out_of_date(scoring, contributor, manager):
    first = contributor.api("POST", f"/api/v1/systems/{scoring.pk}/card/publish").json()
    assert first["created"] and first["version"]["number"] == 1
    again = contributor.api("POST", f"/api/v1/systems/{scoring.pk}/card/publish").json()
    assert again == {**first, "created": False}
    assert CardVersion.objects.count() == 1

    # The system changes: the card is out of date, everywhere it is shown.
    inventory.update(scoring, actor="t", users="Credit officers and the collections team.")
    assert contributor.api("GET", f"/api/v1/systems/{scoring.pk}/card").json()["out_of_date"]
    [row] = [r for r in querysets.card_rows(scoring.organisation) if r.system.pk == scoring.pk]
    assert row.out_of_date
    assert "out of date" in manager.client.get("/transparency/").content.decode()

    # The card's own text is part of it too; publishing records version 2.
    patched = contributor.api(
        "PATCH", f"/api/v1/systems/{scoring.pk}/card", {"limitations": "Not for business loans."}
    )
    assert patched.status_code == 200 and patched.json()["limitations"] == "Not for business loans."
    response = contributor.post(f"/transparency/systems/{scoring.pk}/publish/")
    assert response.status_code == 302
    history = contributor.api("GET", f"/api/v1/systems/{scoring.pk}/card/versions").json()
    assert [v["number"] for v in history] == [2, 1]
    assert history[0]["sha256"] != history[1]["sha256"]
    v1 = contributor.api("GET", f"/api/v1/systems/{scoring.pk}/card/versions/1").json()
    assert "collections team" not in v1["markdown"]
    assert v1["content"]["people"]["users"] == "Credit officers in the lending team."
    assert "Version 1, published" in v1["markdown"]
    old_md = contributor.client.get(f"/transparency/systems/{scoring.pk}/card.md?version=1")
    assert old_md.content.decode() == v1["markdown"]
    assert not contributor.api("GET", f"/api/v1/systems/{scoring.pk}/card").json()["out_of_date"]
    assert (
        contributor.client.get(f"/transparency/systems/{scoring.pk}/?version=9").status_code == 404
    )

    # A published version never changes.
    version = CardVersion.objects.get(number=1)
    version.markdown = "tampered"
    with pytest.raises(PermissionError):
        version.save()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"card.created", "card.published", "card.updated"} <= actions


def test_a_card_without_classification_or_monitoring_says_not_recorded(org, contributor):
    system = plain_system(org, "Support assistant", owner=contributor.user)
    content = services.cards.build_content(system)
    assert content["annex_iv"] is None and content["eu_ai_act"] is None
    text = contributor.client.get(f"/transparency/systems/{system.pk}/card.md").content.decode()
    assert "_Not recorded._" in text and "_Not classified yet._" in text
    assert "_No monitoring recorded._" in text


def test_list_queries_do_not_grow_with_systems(org, manager, django_assert_max_num_queries):
    for i in range(3):
        plain_system(org, f"System {i}")
    with django_assert_max_num_queries(25):
        assert manager.client.get("/transparency/").status_code == 200
    with django_assert_max_num_queries(25):
        assert len(manager.api("GET", "/api/v1/transparency/cards").json()) == 3
    for i in range(3, 9):
        plain_system(org, f"System {i}")
    with django_assert_max_num_queries(25):
        assert manager.client.get("/transparency/").status_code == 200
    with django_assert_max_num_queries(25):
        assert len(manager.api("GET", "/api/v1/transparency/cards").json()) == 9


def test_card_of_a_generative_system_shows_its_evaluation_suite(
    org, contributor, tmp_path, settings
):
    """An LLM assistant's card shows the latest evaluation run: pass and refusal rates with
    intervals per category and language, as counted from the log, and the regressions."""
    import csv

    from aimwell.monitoring import services as monitoring
    from aimwell.monitoring.synthetic import assistant_evaluation_log

    settings.DATA_DIR = tmp_path  # a monitor's reference must lie under the data directory
    system = plain_system(org, "Support assistant", owner=contributor.user)
    baseline = assistant_evaluation_log(tmp_path / "eval-09.csv", seed=1, accuracy=0.92)
    current = assistant_evaluation_log(tmp_path / "eval-10.csv", seed=2, accuracy=0.6)
    monitor = monitoring.create_monitor(
        system,
        actor="t",
        name="Evaluation suite",
        task="generative",
        category_column="category",
        outcome_column="verdict",
        sensitive_columns=["language"],
        refusal_column="refused",
        reference=str(baseline),
    )
    monitoring.execute_run(monitoring.start_run(monitor, actor="t", log=str(current), trusted=True))
    with current.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    jailbreak = [r for r in rows if r["category"] == "jailbreak"]
    passed = sum(r["verdict"] == "pass" for r in jailbreak) / len(jailbreak)
    refused = sum(r["refused"] == "true" for r in jailbreak) / len(jailbreak)

    data = json.loads(
        contributor.client.get(f"/transparency/systems/{system.pk}/card.json").content
    )
    run = data["card"]["evaluation"][0]["latest_run"]
    suite = {r["scope"]: r for r in run["evaluation_suite"]["rows"]}
    assert suite["jailbreak"]["pass_rate"] == round(passed, 4)
    assert suite["jailbreak"]["refusal_rate"] == round(refused, 4)
    assert suite["all test cases"]["test_cases"] == 800 and "language = de" in suite
    assert "accuracy" in run["evaluation_suite"]["regressions"]  # 92 % -> 60 % correct answers
    assert run["evaluation_suite"]["baseline"] == "eval-09.csv"  # no server path on a card
    text = contributor.client.get(f"/transparency/systems/{system.pk}/card.md").content.decode()
    assert f"| jailbreak | {len(jailbreak)} | {passed:.3f}" in text
    assert "regressions against eval-09.csv: all categories, accuracy" in text
    page = contributor.client.get(f"/transparency/systems/{system.pk}/").content.decode()
    assert "Evaluation suite: a test case passes when verdict is pass" in page
