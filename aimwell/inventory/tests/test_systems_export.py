"""The systems export's cells, read as plain values: each system's owner, its models ("name
version"), datasets and suppliers in name order joined by " | ", its roles, yes/no for a flag,
and nothing from another system or organisation."""

from __future__ import annotations

import pytest

from aimwell.inventory import services
from aimwell.inventory.models import AIModel, AISystem, Dataset, Supplier
from aimwell.inventory.services import bulk

pytestmark = pytest.mark.django_db


def _rows(org):
    columns, rows = bulk.export_rows("systems", org)
    return [dict(zip(columns, row, strict=True)) for row in rows]


def test_each_system_gets_its_own_related_records_in_name_order(org, other_org, manager):
    loans = services.create(
        AISystem,
        org,
        actor="t",
        name="Loans",
        purpose="Score loans",
        owner=manager.user,
        eu_roles=["deployer", "provider"],
        in_scope=False,
        scope_reason="Pilot",
    )
    mail = services.create(AISystem, org, actor="t", name="Mail", purpose="Route mail")
    for name, version in (("zeta", "1"), ("alpha", "2")):
        model = services.create(
            AIModel, org, actor="t", name=name, version=version, origin="in_house"
        )
        services.link(loans, "models", model, actor="t")
    bureau = services.create(Dataset, org, actor="t", name="Bureau")
    services.link(loans, "datasets", bureau, actor="t")
    services.link(
        loans, "datasets", services.create(Dataset, org, actor="t", name="Apps"), actor="t"
    )
    services.link(mail, "datasets", bureau, actor="t")
    services.link(
        loans, "suppliers", services.create(Supplier, org, actor="t", name="Acme"), actor="t"
    )
    services.create(AISystem, other_org, actor="t", name="Elsewhere", purpose="Not ours")

    loans_row, mail_row = _rows(org)
    assert loans_row["name"] == "Loans" and mail_row["name"] == "Mail"
    assert loans_row["owner_email"] == manager.user.email and mail_row["owner_email"] == ""
    assert loans_row["models"] == "alpha 2 | zeta 1"
    assert loans_row["datasets"] == "Apps | Bureau" and mail_row["datasets"] == "Bureau"
    assert loans_row["suppliers"] == "Acme" and mail_row["suppliers"] == ""
    assert mail_row["models"] == ""
    assert loans_row["eu_roles"] == "Provider | Deployer"  # labels, in the Act's order
    assert (loans_row["in_scope"], mail_row["in_scope"]) == ("no", "yes")
    assert loans_row["scope_reason"] == "Pilot"
    assert loans_row["eu_ai_act_class"] == "" and loans_row["eu_ai_act_classification"] == ""
