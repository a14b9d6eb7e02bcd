"""The risk method (6.1.1): criteria published in numbered versions."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from aimwell.risks.errors import RiskError
from aimwell.risks.models import RiskMethod
from aimwell.risks.services.common import created, label_of

METHOD_FIELDS = (
    "name",
    "version",
    "description",
    "likelihood_scale",
    "consequence_scale",
    "dimensions",
    "matrix",
    "bands",
    "acceptance_threshold",
    "review_interval_days",
    "change_note",
)

DEFAULT_LIKELIHOOD = [
    {"value": 1, "label": "Rare", "description": "Not expected in the system's life time."},
    {"value": 2, "label": "Unlikely", "description": "Could happen, not expected in a year."},
    {"value": 3, "label": "Possible", "description": "Might happen about once a year."},
    {"value": 4, "label": "Likely", "description": "Expected several times a year."},
    {"value": 5, "label": "Almost certain", "description": "Happens routinely or already."},
]
DEFAULT_CONSEQUENCE = [
    {"value": 1, "label": "Negligible", "description": "No lasting effect on anyone."},
    {"value": 2, "label": "Minor", "description": "Small, easily reversed inconvenience."},
    {
        "value": 3,
        "label": "Moderate",
        "description": "Noticeable harm, reversible with effort; a complaint or a reportable "
        "breach.",
    },
    {
        "value": 4,
        "label": "Major",
        "description": "Serious harm to people or the organisation; regulatory action likely.",
    },
    {
        "value": 5,
        "label": "Severe",
        "description": "Irreversible harm, harm to many people, or a threat to the organisation.",
    },
]
DEFAULT_DIMENSIONS = [
    {
        "key": "organisation",
        "label": "The organisation",
        "description": "Finances, legal exposure, operations and reputation.",
    },
    {
        "key": "individuals",
        "label": "Individuals",
        "description": "People a decision is about or who use the system.",
    },
    {
        "key": "groups",
        "label": "Groups",
        "description": "Groups of people, in particular protected or vulnerable groups.",
    },
    {
        "key": "society",
        "label": "Society",
        "description": "Wider effects: markets, trust, the environment, democratic processes.",
    },
]
DEFAULT_BANDS = [
    {"name": "Low", "min": 1, "colour": "#dcf3e5"},
    {"name": "Medium", "min": 5, "colour": "#fff3cd"},
    {"name": "High", "min": 10, "colour": "#fcd9b6"},
    {"name": "Very high", "min": 17, "colour": "#fde2e1"},
]


def product_matrix(rows: int, cols: int) -> list[list[int]]:
    return [[(r + 1) * (c + 1) for c in range(cols)] for r in range(rows)]


def default_spec() -> dict[str, Any]:
    """A 5 x 5 method: level = likelihood x consequence (1-25), accept up to 8."""
    return {
        "name": "AI risk method",
        "description": "Likelihood and consequence on five-point scales; the consequence of a "
        "risk is its worst rating across the four dimensions; the level is their product.",
        "likelihood_scale": DEFAULT_LIKELIHOOD,
        "consequence_scale": DEFAULT_CONSEQUENCE,
        "dimensions": DEFAULT_DIMENSIONS,
        "matrix": product_matrix(5, 5),
        "bands": DEFAULT_BANDS,
        "acceptance_threshold": 8,
        "review_interval_days": 365,
    }


def _check_scale(name: str, scale: Any) -> None:
    if not isinstance(scale, list) or not 2 <= len(scale) <= 10:
        raise RiskError(f"The {name} scale needs between 2 and 10 steps.")
    for index, step in enumerate(scale, start=1):
        if not isinstance(step, dict) or step.get("value") != index or not step.get("label"):
            raise RiskError(f"Step {index} of the {name} scale needs value {index} and a label.")


def validate(spec: dict[str, Any]) -> None:
    _check_scale("likelihood", spec["likelihood_scale"])
    _check_scale("consequence", spec["consequence_scale"])
    dims = spec["dimensions"]
    keys = [d.get("key") for d in dims if isinstance(d, dict)]
    if not dims or len(keys) != len(dims) or len(set(keys)) != len(keys) or not all(keys):
        raise RiskError("Consequence dimensions need unique keys (at least one).")
    matrix = spec["matrix"]
    rows, cols = len(spec["likelihood_scale"]), len(spec["consequence_scale"])
    if len(matrix) != rows or any(len(r) != cols for r in matrix):
        raise RiskError(f"The level matrix must have {rows} rows of {cols} levels.")
    for r in range(rows):
        for c in range(cols):
            value = matrix[r][c]
            if not isinstance(value, int) or value < 1:
                raise RiskError("Levels in the matrix must be whole numbers from 1.")
            if (r and value < matrix[r - 1][c]) or (c and value < matrix[r][c - 1]):
                raise RiskError(
                    "A level cannot fall when likelihood or consequence rises "
                    f"(likelihood {r + 1}, consequence {c + 1})."
                )
    bands = spec["bands"]
    mins = [b.get("min") for b in bands]
    if not bands or mins != sorted(mins) or mins[0] != 1 or len(set(mins)) != len(mins):
        raise RiskError("Bands need ascending, distinct minimum levels starting at 1.")
    top = max(max(row) for row in matrix)
    if not 1 <= spec["acceptance_threshold"] <= top:
        raise RiskError(f"The acceptance threshold must be a level between 1 and {top}.")


def current_method(organisation: Any) -> RiskMethod | None:
    return RiskMethod.objects.filter(organisation_id=organisation.pk, is_current=True).first()


@transaction.atomic
def publish_method(organisation: Any, *, actor: Any, **spec: Any) -> RiskMethod:
    """Publish a new version of the method; earlier versions stay for the risks that used them."""
    full = {**default_spec(), **{k: v for k, v in spec.items() if v is not None}}
    scales_given = "likelihood_scale" in spec or "consequence_scale" in spec
    if spec.get("matrix") is None and scales_given:
        full["matrix"] = product_matrix(
            len(full["likelihood_scale"]), len(full["consequence_scale"])
        )
    validate(full)
    latest = RiskMethod.objects.filter(organisation_id=organisation.pk).aggregate(n=Max("version"))
    RiskMethod.objects.filter(organisation_id=organisation.pk, is_current=True).update(
        is_current=False
    )
    method = RiskMethod.objects.create(
        organisation=organisation,
        version=(latest["n"] or 0) + 1,
        is_current=True,
        created_by_label=label_of(actor),
        name=full["name"],
        description=full.get("description", ""),
        likelihood_scale=full["likelihood_scale"],
        consequence_scale=full["consequence_scale"],
        dimensions=full["dimensions"],
        matrix=full["matrix"],
        bands=full["bands"],
        acceptance_threshold=full["acceptance_threshold"],
        review_interval_days=full.get("review_interval_days", 365),
        change_note=full.get("change_note", "") or "",
    )
    created(method, actor, "risk_method.published", METHOD_FIELDS)
    return method


def require_method(organisation: Any) -> RiskMethod:
    method = current_method(organisation)
    if method is None:
        raise RiskError("Publish a risk method first: risks are scored against its criteria.")
    return method
