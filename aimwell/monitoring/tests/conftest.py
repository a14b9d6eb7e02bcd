"""Monitoring tests write real logs (seeded numpy) and run the real engine (DuckDB)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aimwell.monitoring.synthetic import credit_log

N = 3000


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path / "data"
    (tmp_path / "data").mkdir()


@pytest.fixture
def logs(tmp_path: Path) -> dict[str, Path]:
    data = tmp_path / "data" / "logs"
    return {
        "fair": credit_log(data / "fair.csv", n=N, seed=1),
        "reference": credit_log(data / "reference.csv", n=N, seed=2),
        "unfair": credit_log(data / "unfair.csv", n=N, seed=3, disparity=0.25),
        "drifted": credit_log(data / "drifted.parquet", n=N, seed=4, shift=0.6),
    }


@pytest.fixture
def system(org: Any, contributor: Any) -> Any:
    from aimwell.inventory import services
    from aimwell.inventory.models import AISystem

    return services.create(
        AISystem,
        org,
        actor="t",
        name="Consumer credit scoring",
        purpose="Score loan applications",
        owner=contributor.user,
        lifecycle_stage="deployed",
    )


MAPPING = {
    "label_column": "approved",
    "prediction_column": "predicted",
    "score_column": "score",
    "sensitive_columns": ["sex", "age_band"],
    "feature_columns": ["income", "debt_ratio"],
}


@pytest.fixture
def monitor(system: Any, logs: dict[str, Path], catalog: Any) -> Any:
    from aimwell.monitoring import services

    return services.create_monitor(
        system,
        actor="t",
        name="Credit fairness and drift",
        reference=str(logs["reference"]),
        on_breach="incident",
        **MAPPING,
    )
