"""MLflow registry sync against a real `mlflow server` (SQLite backend store, loopback), with
models registered by the real `mlflow` client."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from typer.testing import CliRunner

from aimwell.cli import app
from aimwell.core.models import AuditEvent
from aimwell.integrations import services
from aimwell.integrations.errors import IntegrationError
from aimwell.integrations.models import MlflowConnection, RegistryVersion
from aimwell.integrations.services import mlflow_sync
from aimwell.integrations.tests.servers import free_port, mlflow_server
from aimwell.inventory import services as inventory
from aimwell.inventory.models import AIModel, AISystem, ReviewFlag
from aimwell.lifecycle import status
from aimwell.lifecycle.models import DeploymentApproval
from aimwell.lifecycle.services import gate, records
from aimwell.lifecycle.tests import factories as f

pytestmark = [
    pytest.mark.outside_server,
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::FutureWarning"),
    pytest.mark.filterwarnings("ignore::UserWarning"),
]
MODEL = "credit-gbm"
SYSTEM = "Credit scoring"


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("mlflow")
    with mlflow_server(folder) as url:
        yield url


def _register(url: str, *, auc: float, dataset: str, alias: str | None = "production") -> str:
    """Log a training run (a metric and its training dataset) and register its model as a new
    version of MODEL, the way an ML team does; returns the version."""
    import mlflow
    import pandas as pd
    from mlflow import MlflowClient

    mlflow.set_tracking_uri(url)
    client = MlflowClient(url)
    if not client.search_registered_models(filter_string=f"name='{MODEL}'"):
        client.create_registered_model(
            MODEL, tags={"aimwell.system": SYSTEM}, description="Scores consumer loan applications"
        )
    with mlflow.start_run() as run:
        mlflow.log_metric("auc", auc)
        mlflow.log_metric("accuracy", 0.81)
        frame = pd.DataFrame({"income": [1.0, 2.0], "default": [0, 1]})
        mlflow.log_input(
            mlflow.data.from_pandas(frame, source="s3://risk-data/credit.parquet", name=dataset),
            context="training",
        )
    version = client.create_model_version(
        MODEL, source=f"runs:/{run.info.run_id}/model", run_id=run.info.run_id
    )
    if alias:
        client.set_registered_model_alias(MODEL, alias, version.version)
    return str(version.version)


def _system(org: Any, owner: Any) -> AISystem:
    """A deployed credit-scoring system, classified high-risk by the real classifier (Annex III
    5(b)), with its technical documentation complete."""
    system = inventory.create(
        AISystem,
        org,
        actor="t",
        name=SYSTEM,
        purpose="Score consumer loan applications",
        owner=owner,
        lifecycle_stage="deployed",
        eu_role="provider",
    )
    f.classify(system, f.CREDIT_ANSWERS)
    spec = records.save_requirements(system, actor="t", intended_purpose="Score credit")
    records.approve_record(spec, actor="t")
    design = records.save_design(system, actor="t", architecture="Gradient boosting")
    records.approve_record(design, actor="t")
    records.save_logging_policy(
        system,
        actor="t",
        events_logged="Every score",
        storage_location="Audit DB",
        retention_days=400,
    )
    return system  # type: ignore[no-any-return]


def _approve_what_it_runs(org: Any, system: AISystem, manager: Any) -> DeploymentApproval:
    """Meet the remaining deployment preconditions and approve the version the sync put in use."""
    f.assess_risk(org, system)
    f.assess_impact(org, system, manager)
    f.monitor(system)
    f.plan_passed(system, manager.user)
    (model,) = system.models_used.all()
    return gate.approve_deployment(
        system, model=model, actor=manager.user, membership=manager.membership
    )


@override_settings(AIMWELL_INTEGRATIONS_ALLOW_PRIVATE_TARGETS=True)
def test_sync_brings_versions_into_the_inventory_and_a_new_version_raises_review(
    registry, org, manager, contributor
):
    system = _system(org, contributor.user)
    first = _register(registry, auc=0.87, dataset="credit-applications-2026-10")
    services.set_mlflow_connection(org, actor=manager.user, tracking_url=registry)
    runner = CliRunner()

    result = runner.invoke(app, ["mlflow", "sync", "--organisation", org.slug])
    assert result.exit_code == 0, result.output
    assert "1 version(s)" in result.output
    assert [str(m) for m in system.models_used.all()] == [f"{MODEL} {first}"]
    synced = RegistryVersion.objects.get(registered_name=MODEL, version=first)
    assert synced.aliases == ["production"] and synced.is_deployed
    assert synced.metrics == {"auc": 0.87, "accuracy": 0.81}
    assert synced.tags["aimwell.system"] == SYSTEM
    assert synced.source_dataset == "credit-applications-2026-10"
    assert [d.name for d in system.datasets.all()] == ["credit-applications-2026-10"]
    for flag in ReviewFlag.objects.filter(system=system):
        flag.resolved_at = flag.created_at
        flag.save()
    approval = _approve_what_it_runs(org, system, manager)
    assert status.load_one(system).approval_state == "approved"

    second = _register(registry, auc=0.89, dataset="credit-applications-2026-11")
    assert second != first
    result = runner.invoke(app, ["mlflow", "sync", "--organisation", org.slug])
    assert result.exit_code == 0, result.output
    assert f"{SYSTEM}: {MODEL} → {second}" in result.output
    system.refresh_from_db()
    assert [str(m) for m in system.models_used.all()] == [f"{MODEL} {second}"]
    assert AIModel.objects.filter(organisation=org, name=MODEL).count() == 2
    flags = ReviewFlag.objects.filter(system=system, resolved_at__isnull=True)
    assert flags.exists()
    assert all(f"{MODEL} {first} → {second}" in flag.reason for flag in flags)
    assert AuditEvent.objects.filter(action="ai_system.model_upgraded", object_id=str(system.pk))
    # The approval covered version `first`: the sync reopened it, flagged it, and said why.
    lifecycle = status.load_one(system)
    assert lifecycle.approval == approval
    assert lifecycle.approval_state == "reopened"
    assert f"now runs {MODEL} {second}, not the approved {MODEL} {first}" in (
        lifecycle.approval_reason
    )
    reopened = flags.get(subject_type=status.APPROVAL_SUBJECT)
    assert reopened.subject_id == str(approval.pk)
    assert f"Deployment approval 1 of {SYSTEM}" in reopened.subject_label
    assert AuditEvent.objects.filter(
        action="review.raised", object_id=str(reopened.pk), actor_label=mlflow_sync.ACTOR
    ).exists()
    previous = RegistryVersion.objects.get(registered_name=MODEL, version=first)
    assert previous.aliases == [] and not previous.is_deployed
    assert RegistryVersion.objects.get(version=second).metrics["auc"] == 0.89

    # Nothing changed in the registry: a third sync writes nothing new and flags nothing.
    before = AuditEvent.objects.filter(organisation_id=org.pk).exclude(action="mlflow.synced")
    count = before.count()
    report = mlflow_sync.sync(MlflowConnection.objects.get(organisation=org))
    assert report.review_flags == 0 and report.switched == [] and report.new_versions == []
    assert before.count() == count


@override_settings(AIMWELL_INTEGRATIONS_ALLOW_PRIVATE_TARGETS=True)
def test_an_unreachable_server_is_a_clear_error_that_writes_nothing(org, manager):
    url = f"http://127.0.0.1:{free_port()}"
    connection = services.set_mlflow_connection(org, actor=manager.user, tracking_url=url)
    with pytest.raises(IntegrationError, match="cannot be reached"):
        mlflow_sync.sync(connection)
    connection.refresh_from_db()
    assert connection.last_sync_ok is False
    assert "cannot be reached" in connection.last_sync_summary["error"]
    assert not AIModel.objects.filter(organisation=org).exists()
    result = CliRunner().invoke(app, ["mlflow", "sync", "--organisation", org.slug])
    assert result.exit_code == 2 and "MLflow sync failed" in result.output


def test_loopback_servers_are_refused_unless_allowed(org, manager):
    with pytest.raises(IntegrationError, match="private or local address"):
        services.set_mlflow_connection(
            org, actor=manager.user, tracking_url="http://127.0.0.1:5000"
        )
    with pytest.raises(IntegrationError, match="Only http"):
        services.set_mlflow_connection(org, actor=manager.user, tracking_url="file:///etc/passwd")
    assert not MlflowConnection.objects.exists()


def test_the_token_is_sealed_at_rest(org, manager, settings):
    settings.AIMWELL_INTEGRATIONS_ALLOW_PRIVATE_TARGETS = True
    connection = services.set_mlflow_connection(
        org, actor=manager.user, tracking_url="http://10.0.0.5:5000", token="dapi-secret-123"
    )
    connection.refresh_from_db()
    assert "dapi-secret-123" not in connection.token_sealed
    assert mlflow_sync.client_for(connection).token == "dapi-secret-123"
    audit = AuditEvent.objects.filter(organisation_id=org.pk, object_id=str(connection.pk))
    assert all("dapi-secret-123" not in e.changes for e in audit)
