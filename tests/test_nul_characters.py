"""A NUL character (\\x00) in text is refused at every edge with a message naming the field, and
nothing is written. PostgreSQL cannot store it in text: before, an API body, a query, a form or
an imported file holding one was a database error (500) there, while SQLite stored it. These tests
run on both backends (issue 16)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from typer.testing import CliRunner

from aimwell.accounts import services
from aimwell.catalog.models import Framework
from aimwell.core.limits import nul_paths
from aimwell.core.models import AuditEvent
from aimwell.inventory import services as inventory
from aimwell.inventory.models import AISystem

NUL = "\x00"
AUDIT = {
    "title": "Internal audit 2027",
    "scope": "The whole AIMS",
    "planned_start": "2027-03-01",
    "planned_end": "2027-03-05",
}
# The message the API and the imports give, and the one a page gives, for a field holding NUL.
SAYS_NUL = "NUL character (\\x00)"


def _events() -> int:
    return AuditEvent.objects.count()


def test_nul_paths_names_every_text_holding_one():
    value = {"a": "fine", "b": ["x", f"y{NUL}"], "c": {"d": f"{NUL}"}, f"k{NUL}": "v", "n": 3}
    assert nul_paths(value) == ["b.1", "c.d", "k\\x00"]
    assert nul_paths("plain") == [] and nul_paths(f"a{NUL}b") == [""]


# -- API ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": f"Internal{NUL} audit"}, "title"),
        ({"scope": f"{NUL}"}, "scope"),
        ({"system_ids": [f"a{NUL}"]}, "system_ids.0"),
    ],
)
def test_an_api_body_holding_nul_is_refused_naming_the_field(manager, change, field):
    before = _events()
    body = {**AUDIT, "lead_auditor_email": manager.user.email, **change}
    response = manager.api("POST", "/api/v1/audits", body)
    assert response.status_code == 422, response.content
    [error] = response.json()["errors"]
    assert error["field"] == field and SAYS_NUL in error["message"]
    assert _events() == before


def test_an_api_patch_holding_nul_changes_nothing(manager):
    body = {**AUDIT, "lead_auditor_email": manager.user.email}
    audit = manager.api("POST", "/api/v1/audits", body)
    assert audit.status_code == 201, audit.content
    response = manager.api("PATCH", f"/api/v1/audits/{audit.json()['id']}", {"scope": f"x{NUL}"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "scope"
    stored = manager.api("GET", f"/api/v1/audits/{audit.json()['id']}").json()
    assert stored["scope"] == AUDIT["scope"]


def test_an_api_query_holding_nul_is_refused_naming_the_parameter(manager):
    response = manager.api("GET", "/api/v1/risks?q=a%00b")
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == "q"
    assert SAYS_NUL in response.json()["errors"][0]["message"]


def test_an_api_path_parameter_holding_nul_is_refused(manager):
    response = manager.api("GET", "/api/v1/documents/DOC%00-1")
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == "document_id"


def test_an_api_form_field_holding_nul_is_refused(manager):
    _, secret = services.create_api_token(manager.membership, name="script", actor="test")
    before = _events()
    response = manager.client.post(
        "/api/v1/evidence",
        {"file": SimpleUploadedFile("note.txt", b"evidence"), "title": f"Minutes{NUL}"},
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == "title"
    assert _events() == before


# -- pages -------------------------------------------------------------------------------------


def test_a_page_form_holding_nul_is_refused_naming_the_field(org, manager):
    before = _events()
    response = manager.post("/ai-systems/new/", {"name": f"Scoring{NUL}", "purpose": "Loans"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "“name”" in text and SAYS_NUL in text
    assert not AISystem.objects.filter(organisation=org).exists() and _events() == before


def test_a_page_query_holding_nul_is_refused(manager):
    response = manager.client.get("/risks/?q=a%00b")
    assert response.status_code == 400
    assert "“q”" in response.content.decode()


# -- imports and the CLI -----------------------------------------------------------------------


def _import(actor, name: str, content: bytes):
    return actor.client.post(
        "/api/v1/inventory/import",
        {"kind": "systems", "file": SimpleUploadedFile(name, content)},
        HTTP_X_CSRFTOKEN=actor.csrf(),
    )


def test_a_csv_import_holding_nul_is_refused_naming_row_and_column(org, admin):
    content = f"name,purpose\nScoring,Loans\nChatbot,Sup{NUL}port\n".encode()
    before = _events()
    response = _import(admin, "systems.csv", content)
    assert response.status_code == 400, response.content
    error = response.json()["errors"][0]
    assert (error["row"], error["field"]) == (3, "purpose")
    assert SAYS_NUL in error["message"]
    assert not AISystem.objects.filter(organisation=org).exists() and _events() == before


FRAMEWORK = """\
framework:
  key: acme-ai
  version: "1"
  name: ACME responsible AI rules
  kind: custom
nodes:
  - id: "R1"
    kind: requirement
    title: "Every model has an owner\\0"
"""


def test_a_catalog_import_with_an_escaped_nul_is_refused(catalog, admin):
    before = Framework.objects.count()
    response = admin.client.post(
        "/api/v1/catalog/import",
        {"file": SimpleUploadedFile("acme.yaml", FRAMEWORK.encode())},
        HTTP_X_CSRFTOKEN=admin.csrf(),
    )
    assert response.status_code == 400, response.content
    message = response.json()["message"]
    assert "title" in message and SAYS_NUL in message
    assert Framework.objects.count() == before


def test_the_cli_refuses_classification_answers_holding_nul(org, contributor, tmp_path):
    from aimwell.cli import app

    system = inventory.create(
        AISystem, org, actor="t", name="Credit scoring", purpose="Loans", owner=contributor.user
    )
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"is_ai_system": True, "deployer_type": f"other{NUL}"}))
    result = CliRunner().invoke(
        app,
        ["classify", "Credit scoring", "--organisation", org.slug, "--answers", str(answers)],
    )
    assert result.exit_code != 0
    assert "deployer_type" in result.output and SAYS_NUL in result.output
    assert not system.classifications.exists()
