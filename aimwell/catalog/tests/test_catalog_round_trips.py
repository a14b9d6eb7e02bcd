"""Catalog safety and lossless round trips against a real database: an import never takes a
built-in framework's key, and a CSV export re-imports (without options) into the same bytes."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from typer.testing import CliRunner

from aimwell.catalog import importing
from aimwell.catalog.models import Framework, RequirementNode
from aimwell.cli import app

runner = CliRunner()


def _export(urn: str, organisation, fmt: str = "csv") -> bytes:  # type: ignore[no-untyped-def]
    framework = Framework.objects.get(urn=urn, organisation=organisation)
    return importing.export(framework, fmt)[0]


def test_reimporting_a_builtin_export_is_refused_and_writes_nothing(catalog, admin, tmp_path):
    builtin_yaml = _export("iso42001:2023", None, "yaml")
    nodes_before = RequirementNode.objects.count()
    response = admin.client.post(
        "/api/v1/catalog/import",
        {"file": SimpleUploadedFile("iso.yaml", builtin_yaml)},
        HTTP_X_CSRFTOKEN=admin.csrf(),
    )
    assert response.status_code == 400
    message = response.json()["message"]
    assert "'iso42001' belongs to the built-in framework" in message
    assert "nothing was imported" in message
    assert Framework.objects.filter(key="iso42001").count() == 1
    assert RequirementNode.objects.count() == nodes_before

    # The same through the CLI, for another format and another version of the same key.
    path = tmp_path / "iso.json"
    path.write_bytes(_export("iso42001:2023", None, "oscal"))
    result = runner.invoke(
        app,
        [
            "catalog",
            "import",
            str(path),
            "--organisation",
            admin.membership.organisation.slug,
            "--version",
            "9",
        ],
    )
    assert result.exit_code == 2, result.output
    assert "built-in framework" in result.output
    assert Framework.objects.filter(key="iso42001").count() == 1


def test_csv_round_trip_through_the_database_is_byte_for_byte(catalog, org, other_org, tmp_path):
    first = tmp_path / "iso.csv"
    first.write_bytes(_export("iso42001:2023", None))
    renamed = runner.invoke(
        app,
        ["catalog", "import", str(first), "--organisation", org.slug, "--key", "iso42001-own"],
    )
    assert renamed.exit_code == 0, renamed.output
    exported = _export("iso42001-own:2023", org)
    # The export names its own key, so it imports elsewhere with no option at all ...
    second = tmp_path / "own.csv"
    second.write_bytes(exported)
    plain = runner.invoke(app, ["catalog", "import", str(second), "--organisation", other_org.slug])
    assert plain.exit_code == 0, plain.output
    # ... and comes back as the very same bytes.
    assert _export("iso42001-own:2023", other_org) == exported
    builtin = _export("iso42001:2023", None).decode()
    assert exported.decode().replace("#framework,iso42001-own", "#framework,iso42001") == builtin
    copy = Framework.objects.get(urn="iso42001-own:2023", organisation=other_org)
    assert copy.nodes.count() == Framework.objects.get(urn="iso42001:2023").nodes.count()


def test_a_crosswalk_cannot_take_a_builtin_crosswalk_key(catalog, admin):
    from aimwell.catalog.models import MappingSet

    builtin = MappingSet.objects.filter(organisation__isnull=True).first()
    assert builtin is not None
    text = (
        f"mapping_set:\n  key: {builtin.key}\n  name: Mine\n"
        f"  source_framework: {builtin.source_framework.urn}\n"
        f"  target_framework: {builtin.target_framework.urn}\n"
        "mappings: []\n"
    )
    response = admin.client.post(
        "/api/v1/catalog/import",
        {"file": SimpleUploadedFile("x.yaml", text.encode())},
        HTTP_X_CSRFTOKEN=admin.csrf(),
    )
    assert response.status_code == 400, response.content
    assert "built-in crosswalk" in response.json()["message"]
    assert not MappingSet.objects.filter(organisation=admin.membership.organisation).exists()


def test_an_oscal_profile_imports_from_a_loaded_catalog_or_an_uploaded_one(
    catalog, admin, tmp_path
):
    import json

    from aimwell.catalog.models import RequirementNode as Node
    from aimwell.catalog.tests.test_formats_oscal_params import CATALOG, _profile
    from aimwell.controls import services as controls
    from aimwell.interchange.exports import export_document

    org = admin.membership.organisation
    for ref, applicable in (("A.2.2", True), ("A.6.2.4", True), ("A.10.3", False)):
        node = Node.objects.get(urn=f"iso42001:2023:{ref}")
        controls.decide(
            org, actor="t", node=node, applicable=applicable, justification=f"Because {ref}."
        )
    path = tmp_path / "profile.json"
    path.write_bytes(export_document("profile", org)[0])
    result = runner.invoke(
        app, ["catalog", "import", str(path), "--organisation", org.slug, "--key", "our-soa"]
    )
    assert result.exit_code == 0, result.output
    framework = Framework.objects.get(organisation=org, key="our-soa")
    selected = set(framework.nodes.filter(kind="control").values_list("ref_id", flat=True))
    assert selected == {"A.2.2", "A.6.2.4"}
    a22 = framework.nodes.get(ref_id="A.2.2")
    assert a22.attributes["profile"]["applicability"] == "applicable"
    # the justification follows our guidance (as the SoA words it: parts joined, no final stop)
    assert "\n\nBecause A.2.2" in a22.guidance
    assert a22.parent is not None and a22.parent.ref_id == "A.2"

    # A foreign profile with its catalog uploaded beside it, through the API.
    response = admin.client.post(
        "/api/v1/catalog/import",
        {
            "file": SimpleUploadedFile(
                "low.json", json.dumps(_profile(**{"include-all": {}})).encode()
            ),
            "catalog": SimpleUploadedFile("example-catalog.json", json.dumps(CATALOG).encode()),
        },
        HTTP_X_CSRFTOKEN=admin.csrf(),
    )
    assert response.status_code == 201, response.content
    low = Framework.objects.get(organisation=org, key="example-low-baseline")
    texts = list(low.nodes.values_list("summary", flat=True))
    assert low.nodes.filter(kind="control").count() == 4
    assert not any("{{" in t for t in texts)
    assert any("the security officer" in t for t in texts)
