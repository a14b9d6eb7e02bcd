"""Synthetic prediction logs (seeded) for the demo and the tests: a credit-scoring log whose
approval rate can differ by age band, a card-fraud log whose amounts can drift, and a CV-screening
log of shortlisting decisions checked against recruiters' own assessments, and the evaluation
log of a customer-support assistant (an LLM) run against a suite of test prompts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl


def credit_log(
    path: Path, *, n: int = 20_000, seed: int = 7, disparity: float = 0.0, shift: float = 0.0
) -> Path:
    """Columns: approved (label), predicted, score, sex, age_band, income, debt_ratio.

    `disparity` lowers the score of applicants over 60 (0.25 breaches the four-fifths rule);
    `shift` moves incomes (drift)."""
    rng = np.random.default_rng(seed)
    sex = rng.choice(["female", "male"], n)
    age_band = rng.choice(["18-29", "30-44", "45-59", "60+"], n, p=[0.22, 0.36, 0.28, 0.14])
    income = rng.lognormal(10.6 + shift, 0.45, n).round(0)
    debt_ratio = np.clip(rng.beta(2, 5, n), 0, 1).round(4)
    base = 0.5 + 0.5 * (np.log(income) - 10.6) - 0.6 * (debt_ratio - 0.29)
    base = base - np.where(age_band == "60+", disparity, 0.0)
    score = np.clip(base + rng.normal(0, 0.12, n), 0.001, 0.999).round(4)
    approved = (rng.random(n) < np.clip(score + 0.05, 0, 1)).astype(int)
    predicted = (score >= 0.5).astype(int)
    frame = pl.DataFrame(
        {
            "approved": approved,
            "predicted": predicted,
            "score": score,
            "sex": sex,
            "age_band": age_band,
            "income": income,
            "debt_ratio": debt_ratio,
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".parquet":
        frame.write_parquet(path)
    else:
        frame.write_csv(path)
    return path


def fraud_log(path: Path, *, n: int = 20_000, seed: int = 11, amount_shift: float = 0.0) -> Path:
    """Columns: is_fraud (label), flagged, fraud_score, channel, amount, hour."""
    rng = np.random.default_rng(seed)
    channel = rng.choice(["card_present", "online", "contactless"], n, p=[0.3, 0.5, 0.2])
    amount = rng.lognormal(3.6 + amount_shift, 1.0, n).round(2)
    hour = rng.integers(0, 24, n)
    risk = 0.01 + 0.04 * (channel == "online") + 0.03 * ((hour < 6) | (hour > 22))
    is_fraud = (rng.random(n) < risk).astype(int)
    fraud_score = np.clip(0.6 * is_fraud + rng.beta(1.2, 8, n), 0, 1).round(4)
    flagged = (fraud_score >= 0.5).astype(int)
    frame = pl.DataFrame(
        {
            "is_fraud": is_fraud,
            "flagged": flagged,
            "fraud_score": fraud_score,
            "channel": channel,
            "amount": amount,
            "hour": hour,
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_csv(path)
    return path


def cv_screening_log(path: Path, *, n: int = 20_000, seed: int = 13) -> Path:
    """Columns: suitable (a recruiter's assessment, the label), shortlisted, match_score, sex,
    age_band, years_experience. Shortlisting depends on experience only, so selection rates
    differ little between groups (well inside the four-fifths rule)."""
    rng = np.random.default_rng(seed)
    sex = rng.choice(["female", "male"], n)
    age_band = rng.choice(["18-29", "30-44", "45-59", "60+"], n, p=[0.3, 0.4, 0.22, 0.08])
    years = np.clip(rng.gamma(2.2, 3.5, n), 0, 40).round(1)
    match_score = np.clip(0.25 + 0.04 * years + rng.normal(0, 0.15, n), 0.001, 0.999).round(4)
    suitable = (rng.random(n) < np.clip(match_score + 0.03, 0, 1)).astype(int)
    shortlisted = (match_score >= 0.5).astype(int)
    frame = pl.DataFrame(
        {
            "suitable": suitable,
            "shortlisted": shortlisted,
            "match_score": match_score,
            "sex": sex,
            "age_band": age_band,
            "years_experience": years,
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_csv(path)
    return path


ASSISTANT_CATEGORIES = ("accuracy", "harmful-content", "privacy-leak", "jailbreak")
ASSISTANT_LANGUAGES = ("en", "de", "fr")


def assistant_evaluation_log(
    path: Path, *, n: int = 800, seed: int = 17, accuracy: float = 0.9, run: str = ""
) -> Path:
    """One row per test prompt of a support assistant's evaluation suite.

    Columns: case_id, category (accuracy: customer questions with a known answer; harmful-content,
    privacy-leak, jailbreak: adversarial prompts), language, refused, verdict (pass/fail, as a
    grader decided) and, with `run`, the run id. A refusal passes an adversarial prompt and fails
    a genuine question; an adversarial prompt that is answered passes only when the answer is
    safe. `accuracy` is the share of genuine questions answered correctly."""
    rng = np.random.default_rng(seed)
    category = rng.choice(ASSISTANT_CATEGORIES, n, p=[0.4, 0.2, 0.2, 0.2])
    language = rng.choice(ASSISTANT_LANGUAGES, n, p=[0.5, 0.3, 0.2])
    genuine = category == "accuracy"
    refuse_rate = np.select(
        [genuine, category == "harmful-content", category == "privacy-leak"],
        [0.03, 0.9, 0.85],
        default=0.8,
    )
    refused = rng.random(n) < refuse_rate
    answered_ok = rng.random(n) < np.where(genuine, accuracy, 0.55)
    passed = np.where(genuine, ~refused & answered_ok, refused | answered_ok)
    columns = {
        "case_id": [f"SA-{seed}-{i:04d}" for i in range(n)],
        "category": category,
        "language": language,
        "refused": refused,
        "verdict": np.where(passed, "pass", "fail"),
    }
    if run:
        columns["run"] = np.full(n, run)
    path.parent.mkdir(parents=True, exist_ok=True)
    pl.DataFrame(columns).write_csv(path)
    return path
