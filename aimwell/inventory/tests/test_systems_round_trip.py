"""The systems export/import round trip carries the EU AI Act classification: re-decided from the
file's answers under the file's rules version, compared byte for byte."""

from __future__ import annotations

import json

import pytest

from aimwell.classification import services as classification
from aimwell.classification.models import Classification
from aimwell.classification.tests.test_classification_db import CREDIT, LATEST, SCREENED
from aimwell.core import table_import
from aimwell.inventory import services
from aimwell.inventory.models import AISystem
from aimwell.inventory.services import bulk


@pytest.fixture
def classified(org):
    credit = services.create(
        AISystem, org, actor="t", name="Credit scoring", purpose="Score loans", eu_role="provider"
    )
    helper = services.create(
        AISystem, org, actor="t", name="Mail sorter", purpose="Route mail", eu_role="deployer"
    )
    services.create(AISystem, org, actor="t", name="Unclassified idea", purpose="Explore")
    classification.classify_system(credit, CREDIT, actor="t")
    classification.classify_system(helper, SCREENED, actor="t")
    return org


def test_systems_round_trip_keeps_the_classification_byte_for_byte(classified, other_org):
    exported, _, _ = bulk.export_file("systems", classified, "csv")
    text = exported.decode()
    # People read labels ("High risk", "Provider"); the JSON column keeps what the rules store.
    assert ",High risk," in text and ",high_risk," not in text
    assert ",Provider," in text and f'""rules"":""{LATEST}""' in text

    result = bulk.import_rows("systems", other_org, exported, "systems.csv", actor="t")
    assert (result.created, result.reclassified) == (3, 2)
    assert any("Credit scoring: re-classified as high_risk" in n for n in result.notes)
    copied = Classification.objects.get(
        system__organisation=other_org, system__name="Credit scoring"
    )
    assert (copied.risk_class, copied.operator_role, copied.ruleset.version) == (
        "high_risk",
        "provider",
        LATEST,
    )
    assert (
        copied.answers
        == Classification.objects.get(
            system__organisation=classified, system__name="Credit scoring"
        ).answers
    )
    assert bulk.export_file("systems", other_org, "csv")[0] == exported

    again = bulk.import_rows("systems", other_org, exported, "systems.csv", actor="t")
    assert (again.created, again.reclassified, again.unchanged) == (0, 0, 3)
    assert Classification.objects.filter(system__organisation=other_org).count() == 2


def test_a_class_that_does_not_follow_from_the_answers_is_refused(classified, other_org):
    exported = bulk.export_file("systems", classified, "csv")[0].decode()
    tampered = exported.replace(",High risk,", ",Minimal risk,", 1)
    assert tampered != exported
    with pytest.raises(table_import.ImportFailed) as failure:
        bulk.import_rows("systems", other_org, tampered.encode(), "systems.csv", actor="t")
    error = failure.value.errors[0]
    assert error["field"] == "eu_ai_act_classification"
    assert "decide 'High risk'" in error["message"]
    assert not AISystem.objects.filter(organisation=other_org).exists()


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        ("not json", "not JSON"),
        (json.dumps({"rules": "0.0", "role": "provider", "answers": {}}), "no classification"),
        (json.dumps({"rules": LATEST, "role": "provider", "answers": {}}), "do not decide"),
    ],
)
def test_bad_classification_cells_name_the_row(other_org, cell, words):
    content = bulk_csv(cell)
    with pytest.raises(table_import.ImportFailed) as failure:
        bulk.import_rows("systems", other_org, content, "systems.csv", actor="t")
    assert failure.value.errors[0]["row"] == 2 and words in failure.value.errors[0]["message"]


def bulk_csv(cell: str) -> bytes:
    quoted = '"' + cell.replace('"', '""') + '"'
    return f"name,purpose,eu_role,eu_ai_act_classification\nX,Y,provider,{quoted}\n".encode()
