"""Loading, importing, browsing and exporting the catalog against a real database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from typer.testing import CliRunner

from aimwell.catalog.models import Framework, Mapping, RequirementNode
from aimwell.catalog.services import BUILTIN_DIR, load_builtin_catalog
from aimwell.cli import app
from aimwell.core.models import AuditEvent

runner = CliRunner()

SMALL_FRAMEWORK = """\
framework:
  key: acme-ai
  version: "1"
  name: ACME responsible AI rules
  kind: custom
nodes:
  - id: "R1"
    kind: group
    title: Governance
    children:
      - id: "R1.1"
        kind: requirement
        title: Every model has an owner
        summary: Someone answers for each model.
      - id: "R1.2"
        kind: requirement
        title: Models are reviewed yearly
"""

BAD_FRAMEWORK = """\
framework:
  key: acme-ai
  version: "1"
  name: ACME responsible AI rules
nodes:
  - id: "R1"
    kind: group
    title: Governance
    children:
      - id: "R1.1"
        kind: requirement
        title: Every model has an owner
      - id: "R1.1"
        kind: requirement
        title: Duplicate
"""


def test_loading_twice_changes_nothing(catalog):
    stamps = dict(RequirementNode.objects.values_list("urn", "updated_at"))
    mappings = set(Mapping.objects.values_list("id", flat=True))
    report = load_builtin_catalog()
    assert not report.changed, report.summary()
    assert dict(RequirementNode.objects.values_list("urn", "updated_at")) == stamps
    assert set(Mapping.objects.values_list("id", flat=True)) == mappings


def test_editing_a_title_updates_in_place_and_keeps_links(catalog, tmp_path):
    node = RequirementNode.objects.get(urn="iso42001:2023:A.6.2.4")
    links = set(Mapping.objects.filter(target=node).values_list("id", flat=True))
    assert links
    copy = tmp_path / "catalog"
    shutil.copytree(BUILTIN_DIR, copy)
    annex = copy / "frameworks" / "iso42001-2023" / "20-annex-a.yaml"
    text = annex.read_text()
    assert "AI system verification and validation" in text
    annex.write_text(
        text.replace(
            "AI system verification and validation",
            "AI system verification and validation (edited)",
            1,
        )
    )
    report = load_builtin_catalog(copy)
    assert report.updated == 1 and report.created == 0
    node.refresh_from_db()
    assert node.title.endswith("(edited)")
    assert set(Mapping.objects.filter(target=node).values_list("id", flat=True)) == links
    assert RequirementNode.objects.filter(urn="iso42001:2023:A.6.2.4").count() == 1


def test_a_node_removed_from_the_file_is_retired_not_deleted(catalog, admin, tmp_path):
    response = admin.client.post(
        "/api/v1/catalog/import",
        {"file": SimpleUploadedFile("acme.yaml", SMALL_FRAMEWORK.encode())},
        HTTP_X_CSRFTOKEN=admin.csrf(),
    )
    assert response.status_code == 201, response.content
    shorter = SMALL_FRAMEWORK.split('      - id: "R1.2"')[0]
    again = admin.client.post(
        "/api/v1/catalog/import",
        {"file": SimpleUploadedFile("acme.yaml", shorter.encode())},
        HTTP_X_CSRFTOKEN=admin.csrf(),
    )
    assert again.status_code == 201
    retired = RequirementNode.objects.get(urn="acme-ai:1:R1.2")
    assert retired.is_retired
    assert "1 retired" in again.json()["imported"][0]["summary"]


def test_bad_file_is_refused_naming_the_line_and_imports_nothing(catalog, admin):
    before = (
        Framework.objects.count(),
        RequirementNode.objects.count(),
        AuditEvent.objects.count(),
    )
    response = admin.client.post(
        "/api/v1/catalog/import",
        {"file": SimpleUploadedFile("acme.yaml", BAD_FRAMEWORK.encode())},
        HTTP_X_CSRFTOKEN=admin.csrf(),
    )
    assert response.status_code == 400
    message = response.json()["message"]
    assert "line 13" in message and "R1.1" in message
    after = (Framework.objects.count(), RequirementNode.objects.count(), AuditEvent.objects.count())
    assert after == before


def test_a_crosswalk_naming_an_unknown_node_imports_nothing(catalog, admin):
    text = (
        "mapping_set:\n  key: acme-to-iso\n  name: ACME to ISO\n"
        "  source_framework: iso42001:2023\n  target_framework: nist-ai-rmf:1.0\n"
        "mappings:\n"
        "  - {source: A.6.2.4, target: MEASURE 2.5, relationship: intersects}\n"
        "  - {source: A.99, target: MEASURE 2.5, relationship: intersects}\n"
    )
    response = admin.client.post(
        "/api/v1/catalog/import",
        {"file": SimpleUploadedFile("x.yaml", text.encode())},
        HTTP_X_CSRFTOKEN=admin.csrf(),
    )
    assert response.status_code == 400
    assert "line 8" in response.json()["message"] and "A.99" in response.json()["message"]
    assert not Mapping.objects.filter(mapping_set__key="acme-to-iso").exists()


def test_imported_frameworks_stay_inside_the_organisation(catalog, admin, outsider):
    admin.client.post(
        "/api/v1/catalog/import",
        {"file": SimpleUploadedFile("acme.yaml", SMALL_FRAMEWORK.encode())},
        HTTP_X_CSRFTOKEN=admin.csrf(),
    )
    assert admin.api("GET", "/api/v1/catalog/frameworks/acme-ai:1").status_code == 200
    assert outsider.api("GET", "/api/v1/catalog/frameworks/acme-ai:1").status_code == 404
    assert outsider.client.get(reverse("catalog:framework", args=["acme-ai:1"])).status_code == 404
    listed = {f["urn"] for f in outsider.api("GET", "/api/v1/catalog/frameworks").json()}
    assert "acme-ai:1" not in listed and "iso42001:2023" in listed
    assert "R1.1" not in str(outsider.api("GET", "/api/v1/catalog/search?q=owner").json())


def test_only_managers_import(catalog, contributor, staff):
    for actor in (contributor, staff):
        response = actor.client.post(
            "/api/v1/catalog/import",
            {"file": SimpleUploadedFile("acme.yaml", SMALL_FRAMEWORK.encode())},
            HTTP_X_CSRFTOKEN=actor.csrf(),
        )
        assert response.status_code == 403
        assert actor.client.get(reverse("catalog:import")).status_code == 403
    assert not Framework.objects.filter(urn="acme-ai:1").exists()


def test_node_api_shows_crosswalks_both_ways_and_transitively(catalog, staff):
    body = staff.api("GET", "/api/v1/catalog/nodes/iso42001:2023:A.6.2.6").json()
    assert body["title"] == "AI system operation and monitoring"
    frameworks = {c["other"]["framework_urn"] for c in body["crosswalks"]}
    assert {"nist-ai-rmf:1.0", "eu-ai-act:2024"} <= frameworks
    directions = {c["direction"] for c in body["crosswalks"]}
    assert directions == {"incoming", "outgoing"}
    eu = staff.api("GET", "/api/v1/catalog/nodes/iso42001:2023:A.6.2.6?framework=eu-ai-act").json()
    assert eu["related"] and all(
        r["node"]["framework_urn"] == "eu-ai-act:2024" for r in eu["related"]
    )
    # NIST has no crosswalk to the EU AI Act of its own: the answer goes through ISO 42001.
    nist = staff.api("GET", "/api/v1/catalog/nodes/nist-ai-rmf:1.0:MEASURE 2.4?framework=eu-ai-act")
    reached = nist.json()["related"]
    assert reached and {r["hops"] for r in reached} == {2}
    assert all(r["via"][0].startswith("iso42001:2023:") for r in reached)


def test_search_finds_across_frameworks(catalog, staff):
    results = staff.api("GET", "/api/v1/catalog/search?q=impact assessment").json()
    frameworks = {r["framework_urn"] for r in results}
    assert "iso42001:2023" in frameworks and len(frameworks) >= 2
    page = staff.client.get(reverse("catalog:search"), {"q": "impact assessment"})
    assert "A.5.2" in page.content.decode()


def test_pages_render(catalog, staff, django_assert_max_num_queries):
    assert "ISO/IEC 42001:2023" in staff.client.get(reverse("catalog:index")).content.decode()
    with django_assert_max_num_queries(12):
        tree = staff.client.get(reverse("catalog:framework", args=["iso42001:2023"]))
    assert "A.6.2.4" in tree.content.decode()
    node = staff.client.get(reverse("catalog:node", args=["iso42001:2023:A.6.2.4"]))
    body = node.content.decode()
    assert "Audit questions" in body and "nist-ai-rmf:1.0:MEASURE 2.5" in body
    assert staff.client.get(reverse("catalog:node", args=["iso42001:2023:A.99"])).status_code == 404


def test_list_endpoints_do_not_grow_queries(catalog, admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert admin.api("GET", url).status_code == 200
        return len(ctx.captured_queries)

    admin.csrf()
    urls = [
        "/api/v1/catalog/frameworks",
        "/api/v1/catalog/mapping-sets",
        "/api/v1/catalog/frameworks/iso42001:2023",
        "/api/v1/catalog/search?q=data",
    ]
    few = [count(u) for u in urls]
    admin.client.post(
        "/api/v1/catalog/import",
        {"file": SimpleUploadedFile("acme.yaml", SMALL_FRAMEWORK.encode())},
        HTTP_X_CSRFTOKEN=admin.csrf(),
    )
    assert [count(u) for u in urls] == few
    assert max(few) <= 8


def test_import_through_the_page(catalog, manager):
    response = manager.client.post(
        reverse("catalog:import"),
        {"file": SimpleUploadedFile("acme.yaml", SMALL_FRAMEWORK.encode())},
        HTTP_X_CSRFTOKEN=manager.csrf(),
    )
    assert response.status_code == 302
    assert Framework.objects.filter(urn="acme-ai:1", organisation=manager.membership.organisation)
    event = AuditEvent.objects.filter(action="catalog.imported").first()
    assert event is not None and event.actor_id == manager.user.pk
    bad = manager.client.post(
        reverse("catalog:import"),
        {"file": SimpleUploadedFile("acme.yaml", BAD_FRAMEWORK.encode())},
        HTTP_X_CSRFTOKEN=manager.csrf(),
    )
    assert bad.status_code == 200 and "Nothing was imported" in bad.content.decode()


def test_cli_show_prints_the_control_with_nist_and_eu_crosswalks(catalog):
    result = runner.invoke(app, ["catalog", "show", "iso42001:2023:A.6.2.4"])
    assert result.exit_code == 0, result.output
    assert "AI system verification and validation" in result.output
    assert "nist-ai-rmf:1.0:MEASURE" in result.output
    assert "eu-ai-act:2024:art-15" in result.output
    missing = runner.invoke(app, ["catalog", "show", "iso42001:2023:Z.1"])
    assert missing.exit_code == 2 and "No requirement" in missing.output


def test_cli_list_and_yaml_export_round_trip(catalog, org, tmp_path: Path):
    listed = runner.invoke(app, ["catalog", "list"])
    assert listed.exit_code == 0 and "iso42001:2023" in listed.output
    out = tmp_path / "iso.yaml"
    exported = runner.invoke(
        app, ["catalog", "export", "iso42001:2023", "--format", "yaml", "--out", str(out)]
    )
    assert exported.exit_code == 0, exported.output
    imported = runner.invoke(
        app, ["catalog", "import", str(out), "--organisation", org.slug, "--key", "iso42001-copy"]
    )
    assert imported.exit_code == 0, imported.output
    copy = Framework.objects.get(urn="iso42001-copy:2023", organisation=org)
    original = Framework.objects.get(urn="iso42001:2023", organisation__isnull=True)

    def shape(fw: Framework) -> list[tuple]:
        return list(
            fw.nodes.order_by("position").values_list(
                "ref_id",
                "kind",
                "title",
                "parent__ref_id",
                "summary",
                "guidance",
                "evidence",
                "audit_questions",
                "documented_information",
                "tags",
                "attributes",
            )
        )

    assert shape(copy) == shape(original)


@pytest.mark.parametrize("fmt", ["yaml", "csv", "oscal"])
def test_export_endpoint(catalog, staff, fmt):
    response = staff.api("GET", f"/api/v1/catalog/frameworks/iso42001:2023/export?format={fmt}")
    assert response.status_code == 200
    assert b"A.6.2.4" in response.content
    assert "attachment" in response["Content-Disposition"]
