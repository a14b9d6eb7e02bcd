"""OSCAL catalog export/import: validated with compliance-trestle's OSCAL models, no database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from trestle.oscal.catalog import Catalog

from aimwell.catalog.formats import oscal
from aimwell.catalog.formats.aimwell_yaml import parse_framework_dir
from aimwell.catalog.spec import CatalogFormatError, FrameworkSpec, NodeSpec

FRAMEWORKS = Path(__file__).resolve().parents[2] / "data" / "catalog" / "frameworks"
WHEN = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def _validate(text: str) -> Catalog:
    """Raises pydantic's ValidationError unless the document is a valid OSCAL catalog."""
    return Catalog.model_validate(json.loads(text)["catalog"])


def _tree(spec: FrameworkSpec) -> list[tuple[object, ...]]:
    return [
        (
            node.id,
            parent.id if parent else None,
            depth,
            node.kind,
            node.title,
            node.summary,
            node.guidance,
            node.evidence,
            node.audit_questions,
            node.documented_information,
            node.tags,
            node.attributes,
        )
        for node, parent, depth in spec.walk()
    ]


def _header(spec: FrameworkSpec) -> tuple[str, ...]:
    return (
        spec.title,
        spec.publisher,
        spec.kind,
        spec.description,
        spec.source_title,
        spec.source_url,
    )


def _ids(value: Any) -> Iterator[str]:
    """Every `id` in the document: groups, controls and parts share one id space."""
    if isinstance(value, dict):
        if isinstance(value.get("id"), str):
            yield value["id"]
        for item in value.values():
            yield from _ids(item)
    elif isinstance(value, list):
        for item in value:
            yield from _ids(item)


def test_iso42001_export_is_valid_oscal_and_reads_back_as_a_new_framework() -> None:
    original = parse_framework_dir(FRAMEWORKS / "iso42001-2023")
    text = oscal.dump_catalog(original, last_modified=WHEN)
    catalog = _validate(text)
    assert catalog.metadata.title == "ISO/IEC 42001:2023"
    assert catalog.metadata.version == "2023"

    copy = oscal.parse_catalog(text, key="iso42001-copy", version="2023-1", name="A copy")
    assert (copy.key, copy.version, copy.name) == ("iso42001-copy", "2023-1", "A copy")
    assert _tree(copy) == _tree(original)
    assert _header(copy) == _header(original)

    same = oscal.parse_catalog(text)
    assert (same.key, same.version, same.name) == ("iso42001", "2023", "ISO/IEC 42001:2023")


@pytest.mark.parametrize("folder", ["iso27001-2022", "nist-ai-rmf-1.0", "eu-ai-act-2024"])
def test_the_other_built_in_frameworks_export_as_valid_oscal(folder: str) -> None:
    original = parse_framework_dir(FRAMEWORKS / folder)
    text = oscal.dump_catalog(original, last_modified=WHEN)
    _validate(text)
    back = oscal.parse_catalog(text)
    assert _tree(back) == _tree(original)  # EU AI Act: attributes (dates, roles) survive too
    assert _header(back) == _header(original)


def test_ids_are_unique_tokens_and_labels_keep_the_originals() -> None:
    original = parse_framework_dir(FRAMEWORKS / "nist-ai-rmf-1.0")
    doc = json.loads(oscal.dump_catalog(original, last_modified=WHEN))
    ids = list(_ids(doc["catalog"]))
    assert len(ids) == len(set(ids))
    govern = doc["catalog"]["groups"][0]
    assert (govern["id"], govern["class"], govern["props"][0]) == (
        "govern",
        "group",
        {"name": "label", "value": "GOVERN"},
    )
    first = govern["groups"][0]["controls"][0]
    assert first["id"] == "govern-1.1"
    assert first["class"] == "requirement"
    assert {"name": "label", "value": "GOVERN 1.1"} in first["props"]


def test_export_is_stable_and_the_uuid_follows_the_urn() -> None:
    spec = parse_framework_dir(FRAMEWORKS / "iso42001-2023")
    first = oscal.dump_catalog(spec, last_modified=WHEN)
    assert oscal.dump_catalog(spec, last_modified=WHEN) == first
    spec.version = "2023-draft"
    other = oscal.dump_catalog(spec, last_modified=WHEN)
    assert json.loads(other)["catalog"]["uuid"] != json.loads(first)["catalog"]["uuid"]
    assert json.loads(first)["catalog"]["metadata"]["last-modified"] == "2026-03-01T09:30:00Z"
    naive = oscal.dump_catalog(spec, last_modified=datetime(2026, 3, 1, 9, 30))
    assert json.loads(naive)["catalog"]["metadata"]["last-modified"] == "2026-03-01T09:30:00Z"


def _small() -> FrameworkSpec:
    return FrameworkSpec(
        key="acme",
        version="1",
        name="ACME",
        nodes=[
            NodeSpec(
                id="6",
                kind="group",
                title="Planning",
                children=[
                    NodeSpec(
                        id="6.1",
                        kind="group",
                        title="Risks",
                        children=[NodeSpec(id="6.1.1", kind="requirement", title="General")],
                    ),
                    NodeSpec(
                        id="6.2",
                        kind="requirement",
                        title="Objectives",
                        summary="Set objectives.",
                        evidence=["Objective register"],
                        audit_questions=["Are objectives set?", "Are they measured?"],
                        documented_information=True,
                        tags=["planning", "objectives"],
                        attributes={"weights": [1, 2], "note": {"é": None, "ok": True}},
                        children=[NodeSpec(id="6.2 a", kind="control", title="Sub-control")],
                    ),
                ],
            ),
            NodeSpec(id="4", kind="requirement", title="A root requirement"),
            NodeSpec(id="govern-1", kind="group", title="Collides after derivation"),
            NodeSpec(id="GOVERN 1", kind="group", title="Collides before derivation"),
        ],
    )


def test_groups_mixing_groups_and_controls_become_controls_and_round_trip() -> None:
    spec = _small()
    text = oscal.dump_catalog(spec, last_modified=WHEN)
    _validate(text)
    catalog = json.loads(text)["catalog"]
    # The roots mix groups and a requirement: all become controls, in order.
    assert "groups" not in catalog
    assert [c["id"] for c in catalog["controls"]] == ["n-6", "n-4", "govern-1", "govern-1-2"]
    planning = catalog["controls"][0]
    assert planning["class"] == "group"
    assert [c["class"] for c in planning["controls"]] == ["group", "requirement"]
    objectives = planning["controls"][1]
    names = [p["name"] for p in objectives["parts"]]
    assert names == ["overview", "evidence", "assessment-objective"]
    assert objectives["parts"][1]["parts"][0]["name"] == "item"
    assert [q["name"] for q in objectives["parts"][2]["parts"]] == ["question", "question"]
    assert objectives["controls"][0]["id"] == "n-6.2-a"
    assert _tree(oscal.parse_catalog(text)) == _tree(spec)


def test_a_group_of_only_groups_or_only_controls_stays_an_oscal_group() -> None:
    spec = FrameworkSpec(
        key="x",
        version="1",
        name="X",
        nodes=[
            NodeSpec(
                id="A",
                kind="group",
                title="A",
                children=[
                    NodeSpec(
                        id="A.1",
                        kind="group",
                        title="A.1",
                        children=[NodeSpec(id="A.1.1", kind="control", title="A.1.1")],
                    )
                ],
            )
        ],
    )
    text = oscal.dump_catalog(spec, last_modified=WHEN)
    catalog = _validate(text)
    assert catalog.groups is not None and catalog.groups[0].id == "a"
    assert json.loads(text)["catalog"]["groups"][0]["groups"][0]["controls"][0]["id"] == "a.1.1"
    assert _tree(oscal.parse_catalog(text)) == _tree(spec)


# A small catalog in the style of NIST SP 800-53 (our own words), as another tool would write it.
FOREIGN = {
    "catalog": {
        "uuid": "0b7c3c4e-6f9f-4d5a-9b1e-2b1c1c0c0a01",
        "metadata": {
            "title": "Example Control Catalog, Rev. 2",
            "last-modified": "2025-05-01T00:00:00Z",
            "version": "2.0.1+patch",
            "oscal-version": "1.1.2",
        },
        "groups": [
            {
                "id": "ac",
                "class": "family",
                "title": "Access Control",
                "controls": [
                    {
                        "id": "ac-1",
                        "class": "EX-CAT",
                        "title": "Policy and Procedures",
                        "props": [
                            {"name": "label", "value": "AC-01", "class": "zero-padded"},
                            {"name": "label", "value": "AC-1"},
                            {"name": "sort-id", "value": "ac-01"},
                        ],
                        "parts": [
                            {
                                "id": "ac-1_smt",
                                "name": "statement",
                                "prose": "The organisation:",
                                "parts": [
                                    {
                                        "id": "ac-1_smt.a",
                                        "name": "item",
                                        "props": [{"name": "label", "value": "a."}],
                                        "prose": "Writes an access policy;",
                                    },
                                    {
                                        "id": "ac-1_smt.b",
                                        "name": "item",
                                        "props": [{"name": "label", "value": "b."}],
                                        "prose": "Reviews it every year.",
                                    },
                                ],
                            },
                            {"id": "ac-1_gdn", "name": "guidance", "prose": "Keep it short."},
                            {
                                "id": "ac-1_obj",
                                "name": "assessment-objective",
                                "parts": [{"name": "assessment-objective", "prose": "a policy"}],
                            },
                        ],
                        "controls": [
                            {
                                "id": "ac-1.1",
                                "class": "EX-CAT",
                                "title": "Automated Support",
                                "parts": [
                                    {"id": "ac-1.1_smt", "name": "statement", "prose": "Automate."}
                                ],
                            }
                        ],
                    },
                    {"id": "ac-2", "title": "Account Management"},
                ],
            }
        ],
    }
}


def test_a_foreign_catalog_maps_groups_controls_statements_and_guidance() -> None:
    text = json.dumps(FOREIGN, indent=1)
    _validate(text)  # the fixture itself is valid OSCAL
    spec = oscal.parse_catalog(text, source="example.json")
    assert (spec.key, spec.version, spec.name, spec.kind) == (
        "example-control-catalog-rev-2",
        "2.0.1-patch",
        "Example Control Catalog, Rev. 2",
        "custom",
    )
    assert [(n.id, p.id if p else None, n.kind) for n, p, _ in spec.walk()] == [
        ("ac", None, "group"),
        ("AC-1", "ac", "control"),
        ("ac-1.1", "AC-1", "control"),
        ("ac-2", "ac", "control"),
    ]
    ac1 = spec.nodes[0].children[0]
    assert (
        ac1.summary == "The organisation:\na. Writes an access policy;\nb. Reviews it every year."
    )
    assert ac1.guidance == "Keep it short."
    assert ac1.audit_questions == []  # determination statements are not questions
    assert ac1.children[0].summary == "Automate."

    renamed = oscal.parse_catalog(text, key="example", version="2", name="Example")
    assert (renamed.key, renamed.version, renamed.name) == ("example", "2", "Example")


def _broken(**changes: Any) -> str:
    doc = json.loads(json.dumps(FOREIGN))
    control = doc["catalog"]["groups"][0]["controls"][1]
    control.update(changes)
    return json.dumps(doc, indent=1)


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ('{\n  "catalog": {\n    "uuid": "x",,\n  }\n}', "c.json line 3", "not valid JSON"),
        ("[]", "c.json", "'catalog' member"),
        ('{"profile": {}}', "c.json", "'catalog' member"),
        ('{"catalog": {"uuid": "x"}}', "c.json catalog metadata", "no 'metadata'"),
        ('{"catalog": {"metadata": {"title": " "}}}', "c.json catalog metadata", "no title"),
        (_broken(title=""), "c.json control 'ac-2'", "needs a title"),
        (
            _broken(props=[{"name": "attributes", "ns": oscal.AIMWELL_NS, "value": "{oops"}]),
            "c.json control 'ac-2'",
            "not JSON",
        ),
        (_broken(groups=[{"title": "G"}]), "c.json control 'ac-2'", "cannot contain groups"),
        (_broken(parts=[{"prose": "x"}]), "c.json control 'ac-2'", "part needs a name"),
        (_broken(controls={"id": "x"}), "c.json control 'ac-2'", "must be a list"),
        (_broken(**{"class": "article", "title": "t" * 301}), "c.json control 'ac-2'", "300"),
    ],
)
def test_errors_name_where(text: str, where: str, words: str) -> None:
    with pytest.raises(CatalogFormatError) as err:
        oscal.parse_catalog(text, source="c.json")
    assert err.value.where == where
    assert words in str(err.value)
    assert str(err.value).startswith(where)


def test_a_group_without_id_is_named_by_its_path() -> None:
    doc = json.loads(json.dumps(FOREIGN))
    doc["catalog"]["groups"].append({"title": "No id", "controls": [{"id": "z-1"}]})
    with pytest.raises(CatalogFormatError) as err:
        oscal.parse_catalog(json.dumps(doc), source="c.json")
    assert err.value.where == "c.json control 'z-1'"
    doc["catalog"]["groups"][1]["controls"][0]["title"] = "Zed"
    spec = oscal.parse_catalog(json.dumps(doc))
    assert spec.nodes[1].id == "catalog.groups[1]"
