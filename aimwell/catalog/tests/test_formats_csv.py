"""CSV import/export of frameworks and crosswalks: pure functions, no database."""

from __future__ import annotations

from pathlib import Path

import pytest

from aimwell.catalog.formats import csv_format
from aimwell.catalog.formats.aimwell_yaml import parse_framework_dir
from aimwell.catalog.spec import CatalogFormatError, FrameworkSpec, NodeSpec

FRAMEWORKS = Path(__file__).resolve().parents[2] / "data" / "catalog" / "frameworks"


def _parse(text: str, **kwargs: str) -> FrameworkSpec:
    return csv_format.parse_framework(
        text, key="acme", version="1", name="ACME controls", source="acme.csv", **kwargs
    )


def _shape(spec: FrameworkSpec) -> list[tuple[object, ...]]:
    """Everything CSV carries, node by node in document order."""
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
        )
        for node, parent, depth in spec.walk()
    ]


def test_rows_in_any_order_build_the_tree_in_file_order() -> None:
    text = (
        "id,parent,title,evidence,documented_information,tags\n"
        "1.2,1,Second child,,no,\n"
        "2,,Second root,,,\n"
        "1,,First root,,,\n"
        '1.1,1,"First child, with a comma",Policy | Minutes,yes,gov|people\n'
    )
    spec = _parse(text)
    assert [n.id for n in spec.nodes] == ["2", "1"]
    first = spec.nodes[1]
    assert first.kind == "group"  # has children, no kind given
    assert [c.id for c in first.children] == ["1.2", "1.1"]
    child = first.children[1]
    assert child.kind == "requirement"
    assert child.title == "First child, with a comma"
    assert child.evidence == ["Policy", "Minutes"]
    assert child.tags == ["gov", "people"]
    assert child.documented_information is True
    assert spec.nodes[0].kind == "requirement"  # a root without children
    assert spec.key == "acme" and spec.kind == "custom"


def test_semicolons_bom_and_crlf_as_excel_writes_them() -> None:
    text = '\ufeffid;title;kind;summary\r\nA;Alpha;control;"One, two; three"\r\n'
    node = _parse(text).nodes[0]
    assert (node.id, node.title, node.kind, node.summary) == (
        "A",
        "Alpha",
        "control",
        "One, two; three",
    )


def test_multiline_cells_keep_the_line_numbers_of_later_rows() -> None:
    text = 'id,title,summary\nA,Alpha,"first line\nsecond line"\nB,Beta,\nC,Gamma,x,extra\n'
    with pytest.raises(CatalogFormatError) as err:
        _parse(text)
    assert err.value.where == "acme.csv line 5"


def test_iso42001_round_trips_through_csv_with_its_header_and_attributes() -> None:
    original = parse_framework_dir(FRAMEWORKS / "iso42001-2023")
    text = csv_format.dump_framework(original)
    lines = text.splitlines()
    assert lines[:3] == ["#framework,iso42001", "#version,2023", f"#name,{original.name}"]
    assert ",".join(csv_format.FRAMEWORK_COLUMNS) in lines
    again = csv_format.parse_framework(text)  # no options: the header rows say it all
    assert (again.key, again.version, again.name, again.kind, again.publisher) == (
        original.key,
        original.version,
        original.name,
        original.kind,
        original.publisher,
    )
    assert _shape(again) == _shape(original)
    assert len(_shape(again)) == 114
    assert csv_format.dump_framework(again) == text


def test_other_frameworks_round_trip_with_their_attributes() -> None:
    original = parse_framework_dir(FRAMEWORKS / "eu-ai-act-2024")
    again = csv_format.parse_framework(
        csv_format.dump_framework(original), key="eu", version="2024", name="EU"
    )
    assert (again.key, again.version, again.name) == ("eu", "2024", "EU")  # options win
    assert _shape(again) == _shape(original)
    assert any(n.attributes for n, _, _ in original.walk())
    assert [n.attributes for n, _, _ in again.walk()] == [
        n.attributes for n, _, _ in original.walk()
    ]


def test_a_file_without_header_rows_needs_the_options() -> None:
    with pytest.raises(CatalogFormatError, match="needs a key, a version and a name"):
        csv_format.parse_framework("id,title\nA,Alpha\n", source="plain.csv")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("#framework,x\n#colour,red\nid,title\nA,Alpha\n", "unknown header row(s) #colour"),
        ("#framework,x\n#framework,y\nid,title\nA,Alpha\n", "#framework appears twice"),
        ("#framework,x\n#version,1\n", "no column row"),
        ("#framework,x\n#version,1\n#name,X\nid,title,attributes\nA,Alpha,[1]\n", "JSON object"),
    ],
)
def test_bad_header_rows_and_attributes_are_refused(text: str, words: str) -> None:
    with pytest.raises(CatalogFormatError) as err:
        csv_format.parse_framework(text, source="h.csv")
    assert words in err.value.message


def test_dump_of_a_small_spec() -> None:
    spec = FrameworkSpec(
        key="x",
        version="1",
        name="X",
        nodes=[
            NodeSpec(
                id="G",
                kind="group",
                title="Group",
                children=[
                    NodeSpec(
                        id="R",
                        kind="requirement",
                        title='Say "hi"',
                        tags=["a", "b"],
                        attributes={"z": 1, "a": ["b"]},
                    )
                ],
            )
        ],
    )
    assert csv_format.dump_framework(spec).splitlines() == [
        "#framework,x",
        "#version,1",
        "#name,X",
        "#kind,custom",
        ",".join(csv_format.FRAMEWORK_COLUMNS),
        "G,,group,Group,,,,,false,,",
        'R,G,requirement,"Say ""hi""",,,,,false,a | b,"{""a"": [""b""], ""z"": 1}"',
    ]


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("id,parent,title\nA,,Alpha\nB,Z,Beta\n", "acme.csv line 3", "parent 'Z'"),
        ("id,title\nA,Alpha\nB,Beta\nA,Again\n", "acme.csv line 4", "appears twice"),
        (
            "id,title,documented_information\nA,Alpha,perhaps\n",
            "acme.csv line 2",
            "documented_information",
        ),
        ("id,parent,summary\nA,,x\n", "acme.csv line 1", "missing required column(s): title"),
        ("title,parent\nAlpha,\n", "acme.csv line 1", "id"),
        ("id,parent,title\nA,,Alpha\nB,C,Beta\nC,B,Gamma\n", "acme.csv line", "cycle"),
        ("id,parent,title\nA,A,Alpha\n", "acme.csv line 2", "cycle: A -> A"),
        ("id,title,sumary\nA,Alpha,x\n", "acme.csv line 1", "unknown column 'sumary'"),
        ("id,title\n,Alpha\n", "acme.csv line 2", "no id"),
        ("id,title\nA,\n", "acme.csv line 2", "no title"),
        ("id,title,kind\nA,Alpha,widget\n", "acme.csv line 2", "kind 'widget'"),
        ("", "acme.csv line 1", "empty"),
    ],
)
def test_errors_name_the_line(text: str, where: str, words: str) -> None:
    with pytest.raises(CatalogFormatError) as err:
        _parse(text)
    assert err.value.where is not None and err.value.where.startswith(where)
    assert words in str(err.value)
    assert str(err.value).startswith(err.value.where)


def test_cycle_error_names_a_line_in_the_cycle() -> None:
    with pytest.raises(CatalogFormatError) as err:
        _parse("id,parent,title\nA,,Alpha\nB,C,Beta\nC,B,Gamma\n")
    assert err.value.where in {"acme.csv line 3", "acme.csv line 4"}
    assert "B -> C -> B" in str(err.value) or "C -> B -> C" in str(err.value)


def test_mapping_set_from_csv() -> None:
    text = (
        "source;target;relationship;strength;rationale;citation\n"
        "GOVERN 1.1;A.2.2;intersects;strong;Both ask for a policy.;\n"
        "MAP 1.1;4.1;Equal;;;Our analysis\n"
    )
    spec = csv_format.parse_mapping_set(
        text,
        key="nist-to-iso",
        name="NIST to ISO",
        source_framework="nist-ai-rmf:1.0",
        target_framework="iso42001:2023",
        source="map.csv",
    )
    assert [(m.source, m.target, m.relationship, m.strength) for m in spec.mappings] == [
        ("GOVERN 1.1", "A.2.2", "intersects", "strong"),
        ("MAP 1.1", "4.1", "equal", "moderate"),
    ]
    assert spec.mappings[1].citation == "Our analysis"
    assert spec.mappings[0].where == "map.csv line 2"
    assert spec.authority == "organisation"
    again = csv_format.parse_mapping_set(
        csv_format.dump_mapping_set(spec),
        key="nist-to-iso",
        name="NIST to ISO",
        source_framework="nist-ai-rmf:1.0",
        target_framework="iso42001:2023",
    )
    assert [(m.source, m.target, m.rationale) for m in again.mappings] == [
        (m.source, m.target, m.rationale) for m in spec.mappings
    ]


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("source,target\nA,B\n", "m.csv line 1", "relationship"),
        ("source,target,relationship\nA,B,overlaps\n", "m.csv line 2", "overlaps"),
        ("source,target,relationship,strength\nA,B,equal,huge\n", "m.csv line 2", "huge"),
        ("source,target,relationship\nA,,equal\n", "m.csv line 2", "'target' is required"),
        ("source,target,relationship\nA,B,equal\nA,B,subset\n", "m.csv line 3", "twice"),
    ],
)
def test_mapping_errors_name_the_line(text: str, where: str, words: str) -> None:
    with pytest.raises(CatalogFormatError) as err:
        csv_format.parse_mapping_set(
            text, key="m", name="M", source_framework="a:1", target_framework="b:1", source="m.csv"
        )
    assert err.value.where == where
    assert words in str(err.value)
