"""Choices of AI system impact assessments: their status, the areas every assessment covers and
the EU AI Act fundamental-rights (Art. 27) fields."""

from django.db import models


class ImpactStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"


# The areas every impact assessment covers, in our own words.
IMPACT_AREAS: tuple[tuple[str, str, str], ...] = (
    (
        "fundamental_rights",
        "Fundamental rights",
        "Dignity, autonomy, access to essential services, freedom of expression, effective remedy.",
    ),
    (
        "fairness",
        "Fairness and non-discrimination",
        "Unequal outcomes or error rates across groups, proxies for protected characteristics.",
    ),
    (
        "privacy",
        "Privacy and data protection",
        "Personal data used or inferred, purpose creep, re-identification, data subject rights.",
    ),
    (
        "safety",
        "Safety and security",
        "Physical, psychological or financial harm; misuse; attacks on the model or its data.",
    ),
    (
        "transparency",
        "Transparency and explainability",
        "Whether people know AI is involved and can understand and contest its outcomes.",
    ),
    (
        "environment",
        "Environment",
        "Energy, compute and hardware footprint of training and running the system.",
    ),
    (
        "society",
        "Society",
        "Effects on groups, markets, employment, trust and democratic processes at scale.",
    ),
)
IMPACT_AREA_KEYS = tuple(a[0] for a in IMPACT_AREAS)
IMPACT_AREA_LABELS = {a[0]: a[1] for a in IMPACT_AREAS}

# The fields an EU AI Act fundamental-rights impact assessment (Art. 27) asks a deployer of a
# high-risk system for, paraphrased.
FRIA_FIELDS: tuple[tuple[str, str], ...] = (
    ("process_description", "The deployer's process in which the system is used"),
    ("period_and_frequency", "Period of time and frequency of use"),
    ("categories_of_persons", "Categories of people and groups likely to be affected"),
    ("specific_risks", "Specific risks of harm to those categories"),
    ("human_oversight", "Human oversight measures, as per the instructions for use"),
    ("materialisation_measures", "Measures if the risks materialise, incl. governance"),
    ("complaint_mechanism", "Internal complaint and redress arrangements"),
)
FRIA_KEYS = tuple(f[0] for f in FRIA_FIELDS)
