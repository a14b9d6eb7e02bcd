"""A CISO Assistant mapping library between two frameworks imported from two other libraries:
resolved through the requirement urns the frameworks kept, its pairs shown on both nodes, and
the import report naming what it skipped. The libraries are small ones written for this test."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from typer.testing import CliRunner

from aimwell.catalog.models import Mapping, MappingSet
from aimwell.cli import app

runner = CliRunner()

ALPHA = """\
urn: urn:example:risk:library:alpha-rules-2024
ref_id: alpha-rules-2024
name: Alpha rules
version: 7
provider: Example
objects:
  framework:
    urn: urn:example:risk:framework:alpha-rules-2024
    ref_id: ALPHA
    name: Alpha rules
    scores_definition:
    - {score: 0, name: None}
    requirement_nodes:
    - urn: urn:example:risk:req_node:alpha-rules-2024:a
      assessable: false
      depth: 1
      ref_id: A
      name: Access
    - urn: urn:example:risk:req_node:alpha-rules-2024:node2
      assessable: true
      depth: 2
      parent_urn: urn:example:risk:req_node:alpha-rules-2024:a
      name: Named administrators
"""
BETA = """\
urn: urn:example:risk:library:beta-controls-1.1
ref_id: beta-controls-1.1
name: Beta controls
version: 2
objects:
  framework:
    urn: urn:example:risk:framework:beta-controls-1.1
    name: Beta controls
    requirement_nodes:
    - urn: urn:example:risk:req_node:beta-controls-1.1:b.1
      assessable: true
      depth: 1
      ref_id: B.1
      name: Admin accounts are reviewed
"""
MAPPING = """\
urn: urn:example:risk:library:mapping-alpha-rules-2024-to-beta-controls-1.1
ref_id: mapping-alpha-rules-2024-to-beta-controls-1.1
name: Alpha to Beta
version: 1
dependencies:
- urn:example:risk:library:alpha-rules-2024
- urn:example:risk:library:beta-controls-1.1
objects:
  requirement_mapping_set:
    urn: urn:example:risk:req_mapping_set:alpha-rules-2024-to-beta-controls-1.1
    ref_id: alpha-rules-2024-to-beta-controls-1.1
    name: Alpha to Beta
    source_framework_urn: urn:example:risk:framework:alpha-rules-2024
    target_framework_urn: urn:example:risk:framework:beta-controls-1.1
    requirement_mappings:
    - source_requirement_urn: urn:example:risk:req_node:alpha-rules-2024:node2
      target_requirement_urn: urn:example:risk:req_node:beta-controls-1.1:b.1
      relationship: intersect
      strength_of_relationship: 9
"""


def test_a_mapping_library_between_two_imported_ciso_frameworks(catalog, admin, tmp_path):
    org = admin.membership.organisation
    for name, text in (("alpha.yaml", ALPHA), ("beta.yaml", BETA)):
        path = tmp_path / name
        path.write_text(text)
        result = runner.invoke(app, ["catalog", "import", str(path), "--organisation", org.slug])
        assert result.exit_code == 0, result.output
        if name == "alpha.yaml":
            assert "skipped scores_definition" in result.output
    # Versions of the standards, not the packaging revisions 7 and 2.
    assert admin.api("GET", "/api/v1/catalog/frameworks/alpha-rules:2024").status_code == 200
    assert admin.api("GET", "/api/v1/catalog/frameworks/beta-controls:1.1").status_code == 200

    response = admin.client.post(
        "/api/v1/catalog/import",
        {"file": SimpleUploadedFile("mapping.yaml", MAPPING.encode())},
        HTTP_X_CSRFTOKEN=admin.csrf(),
    )
    assert response.status_code == 201, response.content
    mapping_set = MappingSet.objects.get(organisation=org)
    assert (mapping_set.source_framework.urn, mapping_set.target_framework.urn) == (
        "alpha-rules:2024",
        "beta-controls:1.1",
    )
    (pair,) = Mapping.objects.filter(mapping_set=mapping_set)
    assert (pair.source.ref_id, pair.target.ref_id, pair.strength) == (
        "named-administrators",
        "B.1",
        "strong",
    )

    def crosswalk_urns(urn: str) -> set[str]:
        body = admin.api("GET", f"/api/v1/catalog/nodes/{urn}").json()
        return {c["other"]["urn"] for c in body["crosswalks"]}

    assert "beta-controls:1.1:B.1" in crosswalk_urns("alpha-rules:2024:named-administrators")
    assert "alpha-rules:2024:named-administrators" in crosswalk_urns("beta-controls:1.1:B.1")


def test_a_mapping_library_whose_frameworks_are_not_loaded_says_what_to_do(catalog, admin):
    response = admin.client.post(
        "/api/v1/catalog/import",
        {"file": SimpleUploadedFile("mapping.yaml", MAPPING.encode())},
        HTTP_X_CSRFTOKEN=admin.csrf(),
    )
    assert response.status_code == 400
    message = response.json()["message"]
    assert "urn:example:risk:framework:alpha-rules-2024 is not loaded" in message
    assert "--framework-ref" in message
    assert not MappingSet.objects.filter(organisation=admin.membership.organisation).exists()
