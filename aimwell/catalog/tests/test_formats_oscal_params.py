"""OSCAL parameters resolved on catalog import, and OSCAL profiles: tested on a small catalog in
the style of NIST SP 800-53 written for this test (ids, parameters and prose are our own)."""

from __future__ import annotations

import json

import pytest

from aimwell.catalog.formats import oscal_params
from aimwell.catalog.formats.oscal import parse_catalog
from aimwell.catalog.formats.oscal_profile import framework_ref_from_href, parse_profile
from aimwell.catalog.spec import CatalogFormatError, FrameworkSpec

CATALOG = {
    "catalog": {
        "uuid": "0c0ffee0-0000-4000-8000-000000000001",
        "metadata": {
            "title": "Example Control Catalog",
            "version": "5.1",
            "oscal-version": "1.1.3",
        },
        "params": [{"id": "org_prm_1", "label": "organisation name"}],
        "groups": [
            {
                "id": "xa",
                "class": "family",
                "title": "Example Access",
                "controls": [
                    {
                        "id": "xa-1",
                        "title": "Access Policy",
                        "params": [
                            {"id": "xa-01_odp.01", "label": "personnel or roles"},
                            {"id": "xa-01_odp.02", "values": ["every year"]},
                            {
                                "id": "xa-01_odp.03",
                                "select": {
                                    "how-many": "one-or-more",
                                    "choice": [
                                        "organisation-level",
                                        "system-level {{ insert: param, xa-01_odp.01 }}",
                                    ],
                                },
                            },
                            {"id": "xa-01_odp.04"},
                        ],
                        "props": [{"name": "label", "value": "XA-1"}],
                        "parts": [
                            {
                                "id": "xa-1_smt",
                                "name": "statement",
                                "parts": [
                                    {
                                        "id": "xa-1_smt.a",
                                        "name": "item",
                                        "props": [{"name": "label", "value": "a."}],
                                        "prose": "Share the policy with "
                                        "{{ insert: param, xa-01_odp.01 }} of "
                                        "{{ insert: param, org_prm_1 }};",
                                    },
                                    {
                                        "id": "xa-1_smt.b",
                                        "name": "item",
                                        "props": [{"name": "label", "value": "b."}],
                                        "prose": "Review it {{ insert: param, xa-01_odp.02 }} "
                                        "at the {{ insert: param, xa-01_odp.03 }} level, by "
                                        "{{ insert: param, xa-01_odp.04 }} and "
                                        "{{ insert: param, nowhere }}.",
                                    },
                                ],
                            },
                            {
                                "id": "xa-1_gdn",
                                "name": "guidance",
                                "prose": "See {{ insert: param, xa-01_odp.01 }}.",
                            },
                        ],
                        "controls": [
                            {
                                "id": "xa-1.1",
                                "title": "Automated Policy Checks",
                                "props": [{"name": "label", "value": "XA-1(1)"}],
                                "parts": [
                                    {
                                        "id": "xa-1.1_smt",
                                        "name": "statement",
                                        "prose": "Check automatically.",
                                    }
                                ],
                            }
                        ],
                    },
                    {
                        "id": "xa-2",
                        "title": "Account Management",
                        "props": [{"name": "label", "value": "XA-2"}],
                        "parts": [
                            {"id": "xa-2_smt", "name": "statement", "prose": "Manage accounts."}
                        ],
                    },
                ],
            },
            {
                "id": "xb",
                "title": "Example Boundary",
                "controls": [
                    {
                        "id": "xb-1",
                        "title": "Boundary Policy",
                        "props": [{"name": "label", "value": "XB-1"}],
                        "parts": [
                            {
                                "id": "xb-1_smt",
                                "name": "statement",
                                "prose": "Protect the boundary.",
                            }
                        ],
                    }
                ],
            },
        ],
    }
}


def _texts(spec: FrameworkSpec) -> list[str]:
    return [t for node, _, _ in spec.walk() for t in (node.title, node.summary, node.guidance)]


def test_parameters_become_values_or_labelled_placeholders() -> None:
    spec = parse_catalog(json.dumps(CATALOG), source="ex.json")
    assert not any("{{" in t or "insert:" in t for t in _texts(spec))
    xa1 = next(n for n, _, _ in spec.walk() if n.id == "XA-1")
    assert xa1.summary == (
        "a. Share the policy with [Assignment: personnel or roles] of "
        "[Assignment: organisation name];\n"
        "b. Review it every year at the [Selection (one or more): organisation-level; "
        "system-level [Assignment: personnel or roles]] level, by [Assignment: xa-01_odp.04] "
        "and [Assignment: nowhere]."
    )
    assert xa1.guidance == "See [Assignment: personnel or roles]."


def test_resolution_never_loops_on_self_referencing_parameters() -> None:
    params = {"p": {"id": "p", "select": {"choice": ["again {{ insert: param, p }}"]}}}
    text = oscal_params.resolve("x {{ insert: param, p }}", params)
    assert "{{" not in text and text.startswith("x [Selection: again")


def _profile(**imports: object) -> dict[str, object]:
    return {
        "profile": {
            "uuid": "0c0ffee0-0000-4000-8000-000000000002",
            "metadata": {
                "title": "Example Low Baseline",
                "version": "1.0",
                "oscal-version": "1.1.3",
            },
            "imports": [{"href": "#cat", **imports}],
            "modify": {
                "set-parameters": [
                    {"param-id": "xa-01_odp.01", "values": ["the security officer"]}
                ],
                "alters": [
                    {
                        "control-id": "xa-1",
                        "adds": [
                            {
                                "position": "ending",
                                "props": [{"name": "priority", "value": "P1"}],
                                "parts": [{"name": "guidance", "prose": "Baseline note."}],
                            }
                        ],
                    }
                ],
            },
            "back-matter": {
                "resources": [{"uuid": "cat", "rlinks": [{"href": "example-catalog.json"}]}]
            },
        }
    }


def test_a_profile_selects_controls_with_their_ancestors_and_sets_parameters() -> None:
    profile = _profile(
        **{
            "include-controls": [
                {"with-ids": ["xa-1"], "with-child-controls": "yes"},
                {"with-ids": ["xb-1"]},
            ],
            "exclude-controls": [{"with-ids": ["xa-1.1"]}],
        }
    )
    spec = parse_profile(json.dumps(profile), catalog_text=json.dumps(CATALOG), source="low.json")
    assert [(n.id, p.id if p else None) for n, p, _ in spec.walk()] == [
        ("xa", None),
        ("XA-1", "xa"),
        ("xb", None),
        ("XB-1", "xb"),
    ]
    assert (spec.key, spec.version, spec.name) == (
        "example-low-baseline",
        "1.0",
        "Example Low Baseline",
    )
    xa1 = next(n for n, _, _ in spec.walk() if n.id == "XA-1")
    assert (
        "Share the policy with the security officer of [Assignment: organisation name]"
        in xa1.summary
    )
    assert xa1.guidance.endswith("Baseline note.")
    assert xa1.attributes["profile"] == {"priority": "P1"}
    assert not any("{{" in t for t in _texts(spec))


def test_a_profile_needs_its_catalog_and_says_so() -> None:
    with pytest.raises(CatalogFormatError, match=r"example-catalog\.json, which is not loaded"):
        parse_profile(json.dumps(_profile(**{"include-all": {}})), source="low.json")
    with pytest.raises(CatalogFormatError, match="no control 'zz-9'"):
        parse_profile(
            json.dumps(_profile(**{"include-controls": [{"with-ids": ["zz-9"]}]})),
            catalog_text=json.dumps(CATALOG),
        )
    with pytest.raises(CatalogFormatError, match="matching"):
        parse_profile(
            json.dumps(_profile(**{"include-controls": [{"matching": [{"pattern": "xa-*"}]}]})),
            catalog_text=json.dumps(CATALOG),
        )


def test_hrefs_of_our_exports_name_the_framework() -> None:
    assert framework_ref_from_href("iso42001-2023.oscal.json") == "iso42001:2023"
    assert framework_ref_from_href("https://x.example/nist-ai-rmf-1.0.json") == "nist-ai-rmf:1.0"
    assert framework_ref_from_href("catalog.json") is None
