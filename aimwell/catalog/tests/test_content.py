"""The shipped catalog is complete, correct against the reference facts, and written in our words.

These tests read the YAML files directly; they touch no database.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from aimwell.catalog.formats.aimwell_yaml import parse_framework_dir, parse_mapping_set
from aimwell.catalog.spec import FrameworkSpec

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "aimwell" / "data" / "catalog"
# Identifiers and short titles the catalog must match, kept in the repository (see its README).
REFERENCE = Path(__file__).resolve().parent / "reference"


def _reference(name: str) -> dict:
    return json.loads((REFERENCE / name).read_text())


def _framework(folder: str) -> FrameworkSpec:
    return parse_framework_dir(DATA / "frameworks" / folder)


def _ids(spec: FrameworkSpec, *kinds: str) -> set[str]:
    return {node.id for node, _, _ in spec.walk() if node.kind in kinds}


def _parents(spec: FrameworkSpec) -> dict[str, str | None]:
    return {node.id: parent.id if parent else None for node, parent, _ in spec.walk()}


def test_iso42001_has_exactly_the_reference_clauses_and_controls():
    spec = _framework("iso42001-2023")
    outline = _reference("iso42001-outline.json")["nodes"]
    expected = {
        kind: {n["id"] for n in outline if n["kind"] == kind} for kind in ("requirement", "control")
    }
    assert len(expected["requirement"]) == 32 and len(expected["control"]) == 38
    assert _ids(spec, "requirement") == expected["requirement"]
    assert _ids(spec, "control") == expected["control"]
    titles = {node.id: node.title for node, _, _ in spec.walk()}
    parents = _parents(spec)
    for ref in outline:
        assert titles[ref["id"]] == ref["title"], ref["id"]
        if ref["parent"] is not None:
            assert parents[ref["id"]] == ref["parent"] or parents[ref["id"]] == "A", ref["id"]
    areas = {n["id"] for n in outline if n["kind"] == "group" and n["id"].startswith("A.")}
    assert {
        "A.2",
        "A.3",
        "A.4",
        "A.5",
        "A.6",
        "A.6.1",
        "A.6.2",
        "A.7",
        "A.8",
        "A.9",
        "A.10",
    } == areas


def test_iso42001_annex_c_lists_objectives_and_risk_sources():
    spec = _framework("iso42001-2023")
    assert _ids(spec, "objective") == {f"C.2.{i}" for i in range(1, 12)}
    assert _ids(spec, "risk_source") == {f"C.3.{i}" for i in range(1, 8)}


def test_iso42001_marks_clauses_that_require_documented_information():
    spec = _framework("iso42001-2023")
    documented = {n.id for n, _, _ in spec.walk() if n.documented_information}
    assert {
        "4.3",
        "5.2",
        "6.1.2",
        "6.1.3",
        "6.1.4",
        "6.2",
        "7.5.1",
        "8.4",
        "9.1",
        "9.2.2",
        "9.3.3",
        "10.2",
    } <= documented
    assert "10.1" not in documented


def test_iso27001_has_the_93_reference_controls_and_the_shared_clauses():
    spec = _framework("iso27001-2022")
    reference = _reference("iso27001-annex-a.json")["controls"]
    assert len(reference) == 93
    assert _ids(spec, "control") == {c["id"] for c in reference}
    titles = {node.id: node.title for node, _, _ in spec.walk()}
    for control in reference:
        assert titles[control["id"]] == control["title"]
    clauses = {n.attributes.get("clause") for n, _, _ in spec.walk() if n.kind == "requirement"}
    assert {"4.1", "4.3", "5.2", "6.1.2", "6.1.3", "6.3", "9.2.2", "10.2"} <= clauses


def test_nist_ai_rmf_has_4_functions_19_categories_72_subcategories():
    spec = _framework("nist-ai-rmf-1.0")
    functions = _reference("nist-ai-rmf-ids.json")["functions"]
    categories = {c for f in functions.values() for c in f}
    subcategories = {s for f in functions.values() for subs in f.values() for s in subs}
    assert len(functions) == 4 and len(categories) == 19 and len(subcategories) == 72
    assert _ids(spec, "requirement") == subcategories
    assert _ids(spec, "group") == set(functions) | categories


def test_eu_ai_act_tracks_the_required_articles_with_roles_classes_and_dates():
    spec = _framework("eu-ai-act-2024")
    required = [
        4,
        5,
        6,
        *range(9, 16),
        16,
        17,
        *range(18, 26),
        26,
        27,
        43,
        47,
        48,
        49,
        50,
        53,
        55,
        72,
        73,
        86,
    ]
    articles = {n.id: n for n, _, _ in spec.walk() if n.kind == "article"}
    reference_titles = _reference("eu-ai-act.json")["articles"]
    for number in required:
        node = articles[f"art-{number}"]
        assert node.title == reference_titles[str(number)]
        assert node.attributes.get("roles"), node.id
        assert node.attributes.get("risk_classes"), node.id
        for entry in node.attributes.get("applies_from", []):
            assert entry["date"] and entry["source"], node.id
    assert any(n.attributes.get("applies_from") for n in articles.values())


def test_every_published_nist_pair_is_present_with_its_source():
    reference = _reference("nist-ai-rmf-to-iso42001.json")
    expected = {
        (sub, "A" + target[1:] if target.startswith("B.") else target)
        for sub, targets in reference["map"].items()
        for target in targets
    }
    assert len(expected) == 280
    spec = parse_mapping_set(
        (DATA / "crosswalks" / "nist-ai-rmf-1.0_iso42001-2023.yaml").read_text(), "nist crosswalk"
    )
    pairs = {(m.source, m.target) for m in spec.mappings}
    assert pairs == expected
    assert spec.authority == "published"
    for m in spec.mappings:
        assert reference["source"] in (m.citation or spec.source_title)
        assert m.relationship == "intersects" and m.rationale


@pytest.mark.parametrize("name", sorted(p.name for p in (DATA / "crosswalks").glob("*.yaml")))
def test_crosswalks_point_at_nodes_that_exist(name):
    spec = parse_mapping_set((DATA / "crosswalks" / name).read_text(), name)
    folders = {
        f"{s.key}:{s.version}": s
        for s in (_framework(p.name) for p in (DATA / "frameworks").iterdir() if p.is_dir())
    }
    source_ids = _ids(folders[spec.source_framework], *_ALL_KINDS)
    target_ids = _ids(folders[spec.target_framework], *_ALL_KINDS)
    for m in spec.mappings:
        assert m.source in source_ids, (name, m.source)
        assert m.target in target_ids, (name, m.target)
        assert m.rationale, (name, m.source, m.target)
    assert len(spec.mappings) >= 40


_ALL_KINDS = ("group", "requirement", "control", "objective", "risk_source", "article")


def _words(text: str) -> int:
    return len(re.findall(r"\b[\w'-]+\b", text))


def test_gdpr_tracks_the_articles_an_aims_touches_and_is_crosswalked_to_iso42001():
    spec = _framework("gdpr-2016")
    reference = _reference("gdpr.json")["articles"]
    articles = {n.id: n for n, _, _ in spec.walk() if n.kind == "article"}
    assert set(articles) == {f"art-{number}" for number in reference}
    for number, title in reference.items():
        assert articles[f"art-{number}"].title == title
    crosswalk = parse_mapping_set(
        (DATA / "crosswalks" / "iso42001-2023_gdpr-2016.yaml").read_text(), "gdpr crosswalk"
    )
    assert crosswalk.authority == "aimwell-analysis"
    assert {m.target for m in crosswalk.mappings} == set(articles)
    # the DPIA is paired with the AI system impact assessment, clause and control alike
    assert {("6.1.4", "art-35"), ("8.4", "art-35"), ("A.5.2", "art-35")} <= {
        (m.source, m.target) for m in crosswalk.mappings
    }


@pytest.mark.parametrize("folder", ["iso42001-2023", "gdpr-2016"])
def test_guidance_content_is_substantial(folder):
    spec = _framework(folder)
    for node, _, _ in spec.walk():
        if node.kind not in ("requirement", "control", "article"):
            continue
        assert _words(node.summary) >= 40, (node.id, _words(node.summary))
        assert _words(node.guidance) >= 60, (node.id, _words(node.guidance))
        assert len(node.audit_questions) >= 2, node.id
        assert all(q.rstrip().endswith("?") for q in node.audit_questions), node.id
        assert len(node.evidence) >= 2, node.id


def _sentences(text: str) -> list[str]:
    return [s.strip().lower() for s in re.split(r"(?<=[.?!])\s+", text) if len(s.split()) >= 4]


@pytest.mark.parametrize("folder", ["iso42001-2023", "gdpr-2016"])
def test_no_sentence_is_repeated_between_two_nodes(folder):
    spec = _framework(folder)
    where: dict[str, set[str]] = defaultdict(set)
    for node, _, _ in spec.walk():
        for text in (node.summary, node.guidance, *node.evidence, *node.audit_questions):
            for sentence in _sentences(text):
                where[sentence].add(node.id)
    repeated = {s: ids for s, ids in where.items() if len(ids) > 1}
    assert repeated == {}
