"""CISO Assistant library import: a small library of our own, written here; no database."""

from __future__ import annotations

import pytest

from aimwell.catalog.formats.ciso_assistant import parse_library
from aimwell.catalog.spec import CatalogFormatError, FrameworkSpec, MappingSetSpec

LIBRARY = """\
urn: urn:example:risk:library:acme-ai-policy
locale: en
ref_id: ACME-AI
name: ACME AI policy library
description: A made-up policy used to test the importer.
copyright: Example content written for Aimwell tests
version: 3
provider: ACME
packager: aimwell-tests
objects:
  framework:
    urn: urn:example:risk:framework:ACME_AI.Policy
    ref_id: ACME-AI
    name: ACME AI Policy
    description: Rules for teams that build models.
    requirement_nodes:
    - urn: urn:example:risk:req_node:acme-ai:gov
      assessable: false
      depth: 1
      ref_id: GOV
      name: Governance
      description: Who decides.
    - urn: urn:example:risk:req_node:acme-ai:gov.1
      assessable: true
      depth: 2
      parent_urn: urn:example:risk:req_node:acme-ai:gov
      ref_id: GOV.1
      name: Named owner
      description: Every model has a named owner.
      annotation: Record the owner in the model register.
      typical_evidence: |-
        - Model register
        - Owner sign-off
      questions:
        urn:example:risk:req_node:acme-ai:gov.1:question:1:
          type: unique_choice
          text: Does every model have an owner?
          choices:
          - urn: urn:example:risk:req_node:acme-ai:gov.1:question:1:choice:1
            value: 'Yes'
        urn:example:risk:req_node:acme-ai:gov.1:question:2:
          type: text
          text: Who approved the owner list?
    - urn: urn:example:risk:req_node:acme-ai:gov.1.a
      assessable: true
      depth: 3
      parent_urn: urn:example:risk:req_node:acme-ai:gov.1
      ref_id: a)
      description: Owners are reviewed yearly.
    - urn: urn:example:risk:req_node:acme-ai:gov.2
      assessable: true
      depth: 2
      parent_urn: urn:example:risk:req_node:acme-ai:gov
      ref_id: GOV.2
      name: Escalation
      implementation_groups: [basic]
    - urn: urn:example:risk:req_node:acme-ai:gov.2.a
      assessable: true
      depth: 3
      ref_id: a)
      description: Incidents reach the owner within a day.
    - urn: urn:example:risk:req_node:acme-ai:data
      assessable: false
      depth: 1
      name: Data
    - urn: urn:example:risk:req_node:acme-ai:data.1
      assessable: true
      depth: 2
      parent_urn: urn:example:risk:req_node:acme-ai:data
      ref_id: DATA.1
      name: Data lineage
  requirement_mapping_sets:
  - urn: urn:example:risk:req_mapping_set:acme-ai-to-iso42001
    ref_id: ACME-AI_to_ISO42001
    name: ACME AI Policy to ISO/IEC 42001
    source_framework_urn: urn:example:risk:framework:acme_ai.policy
    target_framework_urn: urn:intuitem:risk:framework:iso42001-2023
    requirement_mappings:
    - source_requirement_urn: urn:example:risk:req_node:acme-ai:gov.1
      target_requirement_urn: urn:intuitem:risk:req_node:iso42001-2023:a.3.2
      relationship: intersect
      strength_of_relationship: 8
      rationale: semantic
    - source_requirement_urn: urn:example:risk:req_node:acme-ai:gov.1.a
      target_requirement_urn: urn:intuitem:risk:req_node:iso42001-2023:a.3.2
      relationship: subset
    - source_requirement_urn: urn:example:risk:req_node:acme-ai:data.1
      target_requirement_urn: urn:intuitem:risk:req_node:iso42001-2023:a.7.5
      relationship: not_related
    - source_requirement_urn: urn:example:risk:req_node:acme-ai:data
      target_requirement_urn: urn:intuitem:risk:req_node:iso42001-2023:a.7
      relationship: equal
      strength_of_relationship: 2
      annotation: Both cover data for AI systems.
"""
REFS = {"urn:intuitem:risk:framework:iso42001-2023": "iso42001:2023"}


def _parse(text: str = LIBRARY) -> tuple[FrameworkSpec, MappingSetSpec]:
    framework, mapping_set = parse_library(text, "acme.yaml", framework_refs=REFS)
    assert isinstance(framework, FrameworkSpec)
    assert isinstance(mapping_set, MappingSetSpec)
    return framework, mapping_set


def test_framework_tree_kinds_ids_and_texts() -> None:
    spec, _ = _parse()
    assert (spec.key, spec.version, spec.name, spec.publisher) == (
        "acme-ai-policy",
        "3",
        "ACME AI Policy",
        "ACME",
    )
    assert spec.source_title == "ACME AI policy library"
    assert [(n.id, p.id if p else None, n.kind) for n, p, _ in spec.walk()] == [
        ("GOV", None, "group"),
        ("GOV.1", "GOV", "requirement"),
        ("GOV.1.a", "GOV.1", "requirement"),  # "a)" is shared: under its parent's id
        ("GOV.2", "GOV", "requirement"),
        ("GOV.2.a", "GOV.2", "requirement"),  # no parent_urn: found by depth and order
        ("data", None, "group"),  # no ref_id: a slug of the name
        ("DATA.1", "data", "requirement"),
    ]
    owner = spec.nodes[0].children[0]
    assert owner.title == "Named owner"
    assert owner.summary == "Every model has a named owner."
    assert owner.guidance == "Record the owner in the model register."
    assert owner.evidence == ["Model register", "Owner sign-off"]
    assert owner.audit_questions == [
        "Does every model have an owner?",
        "Who approved the owner list?",
    ]
    assert owner.attributes == {"ciso_urn": "urn:example:risk:req_node:acme-ai:gov.1"}
    assert owner.children[0].title == "a)"  # no name: the ref_id is the title
    assert spec.nodes[0].children[1].attributes["implementation_groups"] == ["basic"]
    assert spec.nodes[1].title == "Data"


def test_mapping_set_resolves_urns_and_skips_not_related() -> None:
    framework, mapping_set = _parse()
    assert mapping_set.key == "acme-ai_to_iso42001"
    assert mapping_set.source_framework == framework.urn == "acme-ai-policy:3"
    assert mapping_set.target_framework == "iso42001:2023"
    assert [(m.source, m.target, m.relationship, m.strength) for m in mapping_set.mappings] == [
        ("GOV.1", "a.3.2", "intersects", "strong"),
        ("GOV.1.a", "a.3.2", "subset", "moderate"),
        ("data", "a.7", "equal", "weak"),
    ]
    assert mapping_set.mappings[0].rationale == "semantic"
    assert mapping_set.mappings[2].rationale == "Both cover data for AI systems."
    assert mapping_set.mappings[0].where == "acme.yaml line 79"


def test_a_mapping_only_library_with_the_singular_key() -> None:
    text = """\
urn: urn:example:risk:library:mapping-a-b
name: A to B
version: 1
objects:
  requirement_mapping_set:
    urn: urn:example:risk:req_mapping_set:a-to-b
    source_framework_urn: urn:example:risk:framework:a
    target_framework_urn: urn:example:risk:framework:b
    requirement_mappings:
    - source_requirement_urn: urn:example:risk:req_node:a:1
      target_requirement_urn: urn:example:risk:req_node:b:x.1
      relationship: superset
"""
    (only,) = parse_library(
        text,
        framework_refs={
            "urn:example:risk:framework:a": "a:1",
            "urn:example:risk:framework:b": "b:2",
        },
    )
    assert isinstance(only, MappingSetSpec)
    assert (only.key, only.source_framework, only.target_framework) == ("a-to-b", "a:1", "b:2")
    assert [(m.source, m.target, m.relationship) for m in only.mappings] == [
        ("1", "x.1", "superset")
    ]


def _replace(old: str, new: str) -> str:
    assert old in LIBRARY
    return LIBRARY.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("urn: x\nobjects: [\n", "acme.yaml line 3", "not valid YAML"),
        ("urn: x\nversion: 1\n", "acme.yaml line 1", "CISO Assistant library"),
        ("- a\n- b\n", "acme.yaml", "CISO Assistant library"),
        ("urn: x\nversion: 1\nobjects:\n  risk_matrix: []\n", "acme.yaml line 1", "no framework"),
        (_replace("version: 3\n", ""), "acme.yaml line 1", "'version' is required"),
        (
            _replace(
                "parent_urn: urn:example:risk:req_node:acme-ai:gov\n      ref_id: GOV.2",
                "parent_urn: urn:example:risk:req_node:acme-ai:nowhere\n      ref_id: GOV.2",
            ),
            "acme.yaml line 50, node urn:example:risk:req_node:acme-ai:gov.2",
            "parent_urn urn:example:risk:req_node:acme-ai:nowhere",
        ),
        (
            _replace("acme-ai:data.1\n", "acme-ai:gov.1\n"),
            "acme.yaml line 66, node urn:example:risk:req_node:acme-ai:gov.1",
            "appears twice",
        ),
        (
            _replace("    - urn: urn:example:risk:req_node:acme-ai:data\n", "    - ref_id: X\n"),
            "acme.yaml line 62",
            "'urn' is required",
        ),
        (
            _replace("assessable: true\n      depth: 2", "assessable: maybe\n      depth: 2"),
            "acme.yaml line 23, node urn:example:risk:req_node:acme-ai:gov.1",
            "'assessable'",
        ),
        (
            _replace(
                "depth: 3\n      ref_id: a)\n      description: Inc",
                "depth: 5\n      ref_id: a)\n      description: Inc",
            ),
            "acme.yaml line 57, node urn:example:risk:req_node:acme-ai:gov.2.a",
            "depth 5 without a parent_urn or a node at depth 4",
        ),
        (
            _replace("relationship: subset", "relationship: overlaps"),
            "acme.yaml line 84",
            "overlaps",
        ),
        (
            _replace("strength_of_relationship: 8", "strength_of_relationship: 11"),
            "acme.yaml line 79",
            "0 to 10",
        ),
        (
            _replace("acme-ai:gov.1.a\n      target", "acme-ai:gov.1\n      target"),
            "acme.yaml line 84",
            "listed twice",
        ),
        (
            _replace("urn: urn:example:risk:framework:ACME_AI.Policy", "urn: urn:example:x:_*_"),
            "acme.yaml line 12",
            "framework key",
        ),
    ],
)
def test_errors_name_the_line_or_the_node(text: str, where: str, words: str) -> None:
    with pytest.raises(CatalogFormatError) as err:
        parse_library(text, "acme.yaml", framework_refs=REFS)
    assert err.value.where == where
    assert words in str(err.value)
    assert str(err.value).startswith(where)


def test_parent_cycles_are_reported() -> None:
    text = """\
urn: urn:example:risk:library:loop
version: 1
objects:
  framework:
    urn: urn:example:risk:framework:loop
    name: Loop
    requirement_nodes:
    - urn: urn:example:risk:req_node:loop:a
      parent_urn: urn:example:risk:req_node:loop:b
      name: A
    - urn: urn:example:risk:req_node:loop:b
      parent_urn: urn:example:risk:req_node:loop:a
      name: B
"""
    with pytest.raises(CatalogFormatError) as err:
        parse_library(text, "loop.yaml")
    assert "cycle" in str(err.value)
    assert err.value.where is not None and err.value.where.startswith("loop.yaml line ")


def test_versions_keys_ids_reference_controls_and_the_report_of_what_was_skipped() -> None:
    text = """\
urn: urn:example:risk:library:widget-security-standard-2021
ref_id: widget-security-standard-2021
name: Widget security standard
version: 18
provider: Example
translations:
  fr: {name: Norme}
objects:
  reference_controls:
  - urn: urn:example:risk:function:widget:locks
    ref_id: RC-1
    name: Door locks
    category: physical
  - urn: urn:example:risk:function:widget:logs
    name: Central logging of every widget
  risk_matrix: [{urn: urn:example:risk:matrix:m}]
  framework:
    urn: urn:example:risk:framework:widget-security-standard-for-very-long-names-of-things-2021
    name: Widget security standard
    implementation_groups_definition:
    - {ref_id: basic, name: Basic}
    scores_definition:
    - {score: 1, name: Low}
    requirement_nodes:
    - urn: urn:example:risk:req_node:widget:node3
      assessable: true
      depth: 1
      name: Keep an inventory of widgets and their owners
      reference_controls:
      - urn:example:risk:function:widget:locks
      - urn:example:risk:function:widget:logs
"""
    notes: list[str] = []
    controls, framework = parse_library(text, "w.yaml", notes=notes)
    assert isinstance(framework, FrameworkSpec) and isinstance(controls, FrameworkSpec)
    # The version is the standard's (from the urn), not the packaging revision 18, and the key
    # is cut at a word boundary.
    assert framework.version == "2021"
    assert framework.key == "widget-security-standard-for-very-long-names-of"
    assert len(framework.key) <= 50
    node = framework.nodes[0]
    assert node.id == "keep-an-inventory-of-widgets-and-their-owners"  # not "node3"
    assert node.attributes["reference_controls"] == ["RC-1", "central-logging-of-every-widget"]
    assert controls.key == "widget-security-standard-2021-reference-controls"
    assert [(n.id, n.kind, n.tags) for n in controls.nodes] == [
        ("RC-1", "control", ["physical"]),
        ("central-logging-of-every-widget", "control", []),
    ]
    report = " ".join(notes)
    for skipped in ("implementation_groups_definition", "scores_definition", "risk_matrix"):
        assert skipped in report
    assert "translations" in report and "2 reference control(s) kept" in report


def test_a_mapping_to_a_framework_of_another_library_is_left_for_the_loaded_catalog() -> None:
    _, mapping_set = parse_library(
        LIBRARY.replace("framework:iso42001-2023\n", "framework:iso27001-2022\n", 1), "acme.yaml"
    )
    assert isinstance(mapping_set, MappingSetSpec)
    assert mapping_set.target_framework == "ciso:urn:intuitem:risk:framework:iso27001-2022"
    assert mapping_set.mappings[0].target_urn == "urn:intuitem:risk:req_node:iso42001-2023:a.3.2"
