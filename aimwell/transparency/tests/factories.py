"""Test data of the transparency app: a high-risk credit-scoring system with a model, a dataset,
a classification and a finished monitoring run, built through the owning apps' services."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from aimwell.classification import services as classification
from aimwell.inventory import services as inventory
from aimwell.inventory.models import AIModel, AISystem, Dataset
from aimwell.monitoring import services as monitoring
from aimwell.monitoring.synthetic import credit_log
from aimwell.transparency.answers import CREDIT_ANSWERS

_LOG: dict[str, Path] = {}


def log_path() -> Path:
    """One small synthetic prediction log per test session."""
    if "log" not in _LOG:
        folder = Path(tempfile.mkdtemp(prefix="aimwell-transparency-"))
        _LOG["log"] = credit_log(folder / "credit.csv", n=400, seed=11, disparity=0.2)
    return _LOG["log"]


def plain_system(org: Any, name: str, owner: Any = None) -> AISystem:
    return inventory.create(  # type: ignore[no-any-return]
        AISystem,
        org,
        actor="t",
        name=name,
        purpose=f"{name}: help staff answer routine questions.",
        owner=owner,
        lifecycle_stage="deployed",
    )


def credit_system(org: Any, owner: Any = None, *, run: bool = True) -> AISystem:
    system = inventory.create(
        AISystem,
        org,
        actor="t",
        name="Consumer credit scoring",
        purpose="Assess the creditworthiness of consumer loan applicants.",
        intended_use="Recommend approve, refer or decline to a credit officer who decides.",
        foreseeable_misuse="Using the score to set staff targets or for marketing.",
        users="Credit officers in the lending team.",
        affected_persons="Loan applicants.",
        owner=owner,
        lifecycle_stage="deployed",
        eu_role="provider",
        oversight_mode="human_in_the_loop",
        decision_impact="significant",
    )
    model = inventory.create(
        AIModel, org, actor="t", name="credit-gbm", version="3.2", model_type="gradient boosting",
        origin="in_house", limitations="Less accurate for applicants with thin credit files.",
    )  # fmt: skip
    dataset = inventory.create(
        Dataset, org, actor="t", name="Loan book 2019-2024", source="Core banking",
        contains_personal_data=True, legal_basis="Contract", quality_checks="Monthly checks.",
    )  # fmt: skip
    system.models_used.add(model)
    system.datasets.add(dataset)
    classification.classify_system(system, CREDIT_ANSWERS, actor="t")
    if run:
        monitor = monitoring.create_monitor(
            system,
            actor="t",
            name="Credit fairness",
            label_column="approved",
            prediction_column="predicted",
            score_column="score",
            sensitive_columns=["age_band"],
            metrics=["performance", "fairness"],
        )
        started = monitoring.start_run(monitor, actor="t", log=str(log_path()), trusted=True)
        monitoring.execute_run(started)
    return system
