"""EU AI Act classification of AI systems: rule sets as versioned data, and the service that
records a decision with its answers, legal basis, duties and obligations.

Rule files live in aimwell/data/rules/eu-ai-act-classification/<version>.yaml. Loading stores
each version once; a classification points at the version it was decided under, so a new rule
version never changes an earlier result. New classifications are decided under the newest stored
version; a current result decided under an older one is shown as such (`newer_rules`) until the
system is classified again, and is not flagged for review by the new version alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from aimwell.classification.engine import (
    AnswersError,
    Outcome,
    RuleSetData,
    classify,
    coerce_answers,
    content_sha256,
    parse_rules,
    rule_files,
)
from aimwell.classification.errors import ClassificationError
from aimwell.classification.models import Classification, RuleSet
from aimwell.classification.review import CLASSIFICATION_SUBJECT
from aimwell.core.audit import pending_for, record_events
from aimwell.inventory.models import AISystem
from aimwell.inventory.services.review import resolve_subject

RULES_KEY = "eu-ai-act-classification"
RULES_DIR = Path(__file__).resolve().parent.parent / "data" / "rules" / RULES_KEY


def _version_key(version: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p for p in version.replace("-", ".").split("."))


@transaction.atomic
def load_rule_file(path: Path) -> tuple[RuleSet, bool]:
    """Store one rule file's version if it is new; a changed file under an old version is an
    error (a decided version never changes). Returns the row and whether it was created."""
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules = parse_rules(content, source=path.name)
    digest = content_sha256(content)
    existing = RuleSet.objects.filter(key=rules.key, version=rules.version).first()
    if existing is not None:
        if existing.sha256 != digest:
            raise ClassificationError(
                f"{path.name}: version {rules.version} is already stored with other content; "
                "give changed rules a new version"
            )
        return existing, False
    row = RuleSet.objects.create(
        key=rules.key, version=rules.version, title=rules.title, content=content, sha256=digest
    )
    return row, True


def sync_rule_sets(directory: Path = RULES_DIR) -> list[str]:
    """Load every rule version shipped in `directory`, oldest first; returns the versions added.
    Versions already stored are left as they are (and must not have changed)."""
    added = []
    for path in rule_files(directory):
        row, created = load_rule_file(path)
        if created:
            added.append(row.version)
    return added


def latest_rules_version() -> str | None:
    """The newest stored rule version (2024.2 > 2024.1, 2024.10 > 2024.2), or None."""
    versions = RuleSet.objects.filter(key=RULES_KEY).values_list("version", flat=True)
    return max(versions, key=_version_key, default=None)


def latest_rule_set() -> RuleSet:
    """The rule version new classifications are decided under: the newest one stored. Rule
    versions are stored by `aimwell migrate`; on an empty database the shipped files are loaded."""
    version = latest_rules_version()
    if version is None:
        sync_rule_sets()
        version = latest_rules_version()
    if version is None:
        raise ClassificationError("No classification rules are loaded; run `aimwell migrate`.")
    return RuleSet.objects.get(key=RULES_KEY, version=version)


def newer_rules(classification: Classification | None, latest: str | None = None) -> str | None:
    """The newer rule version in use when `classification` was decided under an older one of the
    same rules, else None. Its result stands as decided; classifying again records one under the
    newer version (`latest` saves the query when the caller already knows it)."""
    if classification is None or classification.ruleset.key != RULES_KEY:
        return None
    latest = latest or latest_rules_version()
    if latest is None:
        return None
    if _version_key(latest) > _version_key(classification.ruleset.version):
        return latest
    return None


def rules_of(rule_set: RuleSet) -> RuleSetData:
    return parse_rules(rule_set.content, source=f"{rule_set.key} {rule_set.version}")


def preview(
    rule_set: RuleSet, raw_answers: dict[str, Any], role: str | Sequence[str]
) -> tuple[RuleSetData, dict[str, Any], Outcome | None, dict[str, str]]:
    """Typed answers, the outcome if the answers are complete and valid, and the problems."""
    rules = rules_of(rule_set)
    answers = coerce_answers(rules, raw_answers)
    try:
        return rules, answers, classify(rules, answers, role), {}
    except AnswersError as exc:
        return rules, answers, None, exc.errors


@transaction.atomic
def classify_system(
    system: AISystem,
    raw_answers: dict[str, Any],
    *,
    actor: Any,
    role: str | Sequence[str] | None = None,
    rule_set: RuleSet | None = None,
) -> Classification:
    """Decide and record the system's class for the roles given, or else the roles the
    organisation holds for the system; the previous decision stays as history."""
    rule_set = rule_set or latest_rule_set()
    roles = roles_for(system, role)
    if not roles:
        raise AnswersError(
            {
                "role": "Set the organisation's EU AI Act roles for this system "
                "(provider, deployer, ...) or give them."
            }
        )
    _, _, outcome, errors = preview(rule_set, raw_answers, roles)
    if outcome is None:
        raise AnswersError(errors)
    previous = list(Classification.objects.filter(system=system, is_current=True))
    Classification.objects.filter(system=system, is_current=True).update(is_current=False)
    label = str(getattr(actor, "email", None) or actor or "system")
    result = Classification.objects.create(
        organisation_id=system.organisation_id,
        system=system,
        ruleset=rule_set,
        answers=outcome.answers,
        risk_class=outcome.risk_class,
        legal_basis=outcome.legal_basis,
        duties=outcome.duties,
        rationale=outcome.rationale,
        obligations=outcome.obligations,
        flags=outcome.flags,
        citations=outcome.citations,
        operator_role=outcome.role,
        operator_roles=outcome.roles,
        obligation_roles=outcome.obligation_roles,
        decided_by=actor if getattr(actor, "is_authenticated", False) else None,
        decided_by_label=label,
    )
    AISystem.objects.filter(pk=system.pk).update(risk_class=outcome.risk_class)
    system.risk_class = outcome.risk_class
    before = previous[0].risk_class if previous else None
    record_events(
        organisation_id=system.organisation_id,
        actor=actor,
        events=[
            pending_for(
                result,
                action="classification.decided",
                changes={
                    "risk_class": [before, outcome.risk_class],
                    "rules": [None, rule_set.version],
                },
            )
        ],
    )
    for old in previous:
        resolve_subject(
            CLASSIFICATION_SUBJECT,
            str(old.pk),
            actor=actor,
            note=f"re-classified as {outcome.risk_class} (rules {rule_set.version})",
        )
    return result


def roles_for(system: AISystem, role: str | Sequence[str] | None = None) -> list[str]:
    """The roles a classification is decided for: those given, else the system's roles."""
    if role:
        return [role] if isinstance(role, str) else list(role)
    return list(system.eu_roles or [])


def obligation_roles_of(classification: Classification) -> dict[str, list[str]]:
    """Obligation node id -> the roles it falls on (a result recorded before several roles were
    stored has every obligation on its one role)."""
    if classification.obligation_roles:
        return dict(classification.obligation_roles)
    role = [classification.operator_role] if classification.operator_role else []
    return {node: list(role) for node in classification.obligations}


def provision_of(node_id: str) -> str:
    """The provision a catalog node id stands for, as people cite it: art-6-2 -> 'Art. 6(2)',
    art-5-1-a -> 'Art. 5(1)(a)', annex-iii-5-b -> 'Annex III, point 5(b)', annex-iv ->
    'Annex IV'."""
    parts = node_id.split("-")
    if parts[0] == "art" and len(parts) > 1:
        rest = "".join(f"({p})" for p in parts[2:])
        return f"Art. {parts[1]}{rest}"
    if parts[0] == "annex" and len(parts) > 1:
        name = f"Annex {parts[1].upper()}"
        if len(parts) > 2:
            point = parts[2] + "".join(f"({p})" for p in parts[3:])
            return f"{name}, point {point}"
        return name
    return node_id


def node_titles(node_ids: Sequence[str], framework: str = "eu-ai-act:2024") -> dict[str, str]:
    """Catalog titles of EU AI Act node ids (one query)."""
    from aimwell.catalog.models import RequirementNode

    urns = {f"{framework}:{node_id}": node_id for node_id in node_ids}
    rows = RequirementNode.objects.filter(
        urn__in=list(urns), framework__organisation__isnull=True
    ).values_list("urn", "title")
    return {urns[urn]: title for urn, title in rows}


def obligations_with_dates(classification: Classification) -> list[dict[str, Any]]:
    """The obligations as catalog requirements with their titles and application dates."""
    from aimwell.catalog.models import RequirementNode

    rules = classification.ruleset.content.get("framework", "eu-ai-act:2024")
    urns = [f"{rules}:{node_id}" for node_id in classification.obligations]
    nodes = {
        n.urn: n
        for n in RequirementNode.objects.filter(urn__in=urns, framework__organisation__isnull=True)
    }
    tagged = obligation_roles_of(classification)
    out = []
    for urn in urns:
        node = nodes.get(urn)
        out.append(
            {
                "node_id": urn.rsplit(":", 1)[-1],
                "roles": tagged.get(urn.rsplit(":", 1)[-1], []),
                "urn": urn,
                "title": node.title if node else urn.rsplit(":", 1)[-1],
                "applies_from": (node.attributes.get("applies_from", []) if node else []),
            }
        )
    return out
