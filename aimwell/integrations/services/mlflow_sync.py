"""Bring an organisation's MLflow model registry into the AI inventory.

Every version of every registered model becomes an inventory model (`<registered name>`,
`<version>`), written through the inventory's services, so the audit trail, duplicate rules and
*needs review* flags are the inventory's own. A registered model (or its version) tagged
`aimwell.system=<AI system name>` (the tag name is the connection's `system_tag`) is linked to
that AI system; the system uses the version carrying the connection's alias (`production` unless
changed), else the newest version in the Production stage, else the newest version. When that
version changes, the inventory moves the system to it and flags what was decided about the
system for review (and the life-cycle app reopens its deployment approval from that).

Registry facts the inventory has no field for (stage, aliases, run metrics, tags, the source
dataset) are kept beside it, one `RegistryVersion` per version."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from aimwell.core.audit import record_for
from aimwell.integrations import sealing
from aimwell.integrations.errors import IntegrationError
from aimwell.integrations.mlflow_client import MlflowClient, ModelVersion, RegistryModel, RunFacts
from aimwell.integrations.models import MlflowConnection, RegistryVersion
from aimwell.inventory import services as inventory
from aimwell.inventory.errors import InventoryError
from aimwell.inventory.models import AIModel, AISystem, Dataset

ACTOR = "MLflow sync"
PRODUCTION_STAGE = "Production"


@dataclass
class SyncReport:
    models: int = 0
    versions: int = 0
    new_versions: list[str] = field(default_factory=list)
    switched: list[str] = field(default_factory=list)
    unlinked: list[str] = field(default_factory=list)
    unknown_systems: list[str] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)
    review_flags: int = 0
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "models": self.models,
            "versions": self.versions,
            "new_versions": self.new_versions,
            "switched": self.switched,
            "unlinked": self.unlinked,
            "unknown_systems": self.unknown_systems,
            "datasets": self.datasets,
            "review_flags": self.review_flags,
            "error": self.error,
        }


def client_for(connection: MlflowConnection) -> MlflowClient:
    token = sealing.unseal(connection.token_sealed) or settings.AIMWELL_MLFLOW_TOKEN
    return MlflowClient(connection.tracking_url, token=token)


def in_use(versions: list[ModelVersion], alias: str) -> ModelVersion | None:
    """The version the linked AI system runs (see the module's note)."""
    ready = [v for v in versions if v.status in ("", "READY")]
    for version in reversed(ready):
        if alias in version.aliases:
            return version
    production = [v for v in ready if v.stage == PRODUCTION_STAGE]
    if production:
        return production[-1]
    return ready[-1] if ready else None


def _system_name(model: RegistryModel, version: ModelVersion | None, tag: str) -> str:
    if version is not None and version.tags.get(tag):
        return version.tags[tag].strip()
    return model.tags.get(tag, "").strip()


def _inventory_model(
    organisation: Any, model: RegistryModel, version: ModelVersion, report: SyncReport
) -> AIModel:
    existing = AIModel.objects.filter(
        organisation=organisation, name=model.name, version=version.version
    ).first()
    if existing is not None:
        return existing
    report.new_versions.append(f"{model.name} {version.version}")
    return inventory.create(
        AIModel,
        organisation,
        actor=ACTOR,
        name=model.name,
        version=version.version,
        origin="in_house",
        model_type=version.tags.get("model_type", model.tags.get("model_type", ""))[:100],
        intended_use=model.description,
        limitations=version.description,
    )


def _use_version(
    system: AISystem,
    model: RegistryModel,
    version: ModelVersion,
    report: SyncReport,
) -> AIModel:
    """Make `system` use this version, through the inventory's own upgrade path."""
    organisation = system.organisation
    current = list(system.models_used.filter(name=model.name))
    target = AIModel.objects.filter(
        organisation=organisation, name=model.name, version=version.version
    ).first()
    if target is not None and target in current:
        return target
    label = f"{system.name}: {model.name} → {version.version}"
    if current and target is None:
        report.new_versions.append(f"{model.name} {version.version}")
        target = inventory.new_model_version(current[0], version=version.version, actor=ACTOR)
        report.switched.append(label)
        return target
    if target is None:
        target = _inventory_model(organisation, model, version, report)
    for old in current:
        inventory.unlink(system, "models", old, actor=ACTOR)
    inventory.link(system, "models", target, actor=ACTOR)
    report.switched.append(label)
    return target


def _dataset(system: AISystem | None, facts: RunFacts, report: SyncReport) -> str:
    """The training dataset the run recorded, in the inventory and linked to the system."""
    if not facts.datasets:
        return ""
    chosen = next((d for d in facts.datasets if d["context"] == "training"), facts.datasets[0])
    if system is None:
        return chosen["name"]
    dataset = Dataset.objects.filter(organisation=system.organisation, name=chosen["name"]).first()
    if dataset is None:
        dataset = inventory.create(
            Dataset,
            system.organisation,
            actor=ACTOR,
            name=chosen["name"][:200],
            source=(chosen["source"] or chosen["source_type"])[:300],
            provenance=f"Recorded by MLflow as a {chosen['context'] or 'run'} input "
            f"(digest {chosen['digest']}).",
        )
        report.datasets.append(dataset.name)
    inventory.link(system, "datasets", dataset, actor=ACTOR)
    return chosen["name"]


def _record(
    organisation: Any,
    model: RegistryModel,
    version: ModelVersion,
    *,
    inventory_model: AIModel,
    system: AISystem | None,
    facts: RunFacts,
    dataset: str,
    deployed: bool,
) -> None:
    RegistryVersion.objects.update_or_create(
        organisation=organisation,
        registered_name=model.name,
        version=version.version,
        defaults={
            "model": inventory_model,
            "system": system,
            "stage": version.stage,
            "aliases": version.aliases,
            "status": version.status,
            "description": version.description,
            "run_id": version.run_id,
            "metrics": facts.metrics,
            "tags": {**model.tags, **version.tags},
            "source_dataset": dataset[:300],
            "is_deployed": deployed,
            "registered_at": version.created_at,
        },
    )


@dataclass
class Fetched:
    """One registered model as read from the server, before anything is written."""

    model: RegistryModel
    versions: list[ModelVersion]
    runs: dict[str, RunFacts]


def fetch(client: MlflowClient) -> list[Fetched]:
    """Everything the sync needs, read before the inventory transaction starts (no network call
    holds a database lock)."""
    fetched = []
    for model in client.registered_models():
        versions = client.versions(model)
        runs = {v.run_id: client.run(v.run_id) for v in versions if v.run_id}
        fetched.append(Fetched(model, versions, runs))
    return fetched


def _sync_model(
    connection: MlflowConnection, item: Fetched, systems: dict[str, AISystem], report: SyncReport
) -> None:
    organisation = connection.organisation
    model, versions = item.model, item.versions
    report.models += 1
    report.versions += len(versions)
    used = in_use(versions, connection.deployed_alias)
    wanted = _system_name(model, used, connection.system_tag)
    system = systems.get(wanted) if wanted else None
    if wanted and system is None:
        report.unknown_systems.append(f"{model.name}: {wanted}")
    if not wanted:
        report.unlinked.append(model.name)
    ordered = ([used] if used else []) + [v for v in versions if v is not used]
    for version in ordered:
        deployed = version is used and system is not None
        facts = item.runs.get(version.run_id) or RunFacts({}, [])
        if deployed and system is not None:
            inventory_model = _use_version(system, model, version, report)
        else:
            inventory_model = _inventory_model(organisation, model, version, report)
        dataset = _dataset(system if deployed else None, facts, report)
        _record(
            organisation,
            model,
            version,
            inventory_model=inventory_model,
            system=system,
            facts=facts,
            dataset=dataset or version.tags.get("aimwell.dataset", ""),
            deployed=deployed,
        )


def sync(connection: MlflowConnection, *, actor: Any = ACTOR) -> SyncReport:
    """Read the whole registry, then write the inventory in one transaction (all or nothing)."""
    from aimwell.inventory.models import ReviewFlag

    report = SyncReport()
    organisation = connection.organisation
    try:
        fetched = fetch(client_for(connection))
        with transaction.atomic():
            flags_before = ReviewFlag.objects.filter(organisation=organisation).count()
            systems = {s.name: s for s in AISystem.objects.filter(organisation=organisation)}
            for item in fetched:
                _sync_model(connection, item, systems, report)
            report.review_flags = (
                ReviewFlag.objects.filter(organisation=organisation).count() - flags_before
            )
            _finish(connection, report, actor)
    except (IntegrationError, InventoryError) as exc:
        report.error = str(exc)
        _finish(connection, report, actor)
        raise IntegrationError(str(exc)) from exc
    return report


@transaction.atomic
def _finish(connection: MlflowConnection, report: SyncReport, actor: Any) -> None:
    connection.last_sync_at = timezone.now()
    connection.last_sync_ok = not report.error
    connection.last_sync_summary = report.as_dict()
    connection.save(update_fields=["last_sync_at", "last_sync_ok", "last_sync_summary"])
    record_for(
        connection,
        actor=actor,
        action="mlflow.synced" if not report.error else "mlflow.sync_failed",
        changes={
            "versions": [None, report.versions],
            "new_versions": [None, len(report.new_versions)],
            "switched": [None, report.switched],
            "error": [None, report.error or None],
        },
    )
