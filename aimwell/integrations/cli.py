"""`aimwell mlflow …` (connect an organisation to its MLflow registry, sync it now, schedule the
periodic sync) and `aimwell webhooks …` (list endpoints and the delivery log, send a test ping)."""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from aimwell.cli_support import console, fail, setup_django

mlflow_app = typer.Typer(
    help="MLflow model registry: connect, sync into the AI inventory, schedule.",
    no_args_is_help=True,
)
webhooks_app = typer.Typer(
    help="Outbound webhooks: endpoints, the delivery log, test pings.", no_args_is_help=True
)
OrgOption = Annotated[str, typer.Option("--organisation", help="Slug of the organisation.")]
CLI_ACTOR = "aimwell CLI"


def _organisation(slug: str) -> Any:
    from aimwell.accounts.models import Organisation

    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise fail(f"No organisation with the slug {slug!r}.")
    return org


@mlflow_app.command("connect")
def connect(
    organisation: OrgOption,
    url: Annotated[str, typer.Option("--url", help="The MLflow tracking server's address.")],
    token_env: Annotated[
        str | None,
        typer.Option(
            "--token-env",
            help="Name of an environment variable holding a bearer token to store (sealed). "
            "Without it the stored token is kept; AIMWELL_MLFLOW_TOKEN serves when none is.",
        ),
    ] = None,
    system_tag: Annotated[
        str, typer.Option("--system-tag", help="Tag naming the AI system of a model.")
    ] = "aimwell.system",
    alias: Annotated[
        str, typer.Option("--alias", help="Alias of the version a system runs.")
    ] = "production",
) -> None:
    """Set the organisation's MLflow tracking server (checked like any outbound target)."""
    setup_django()
    from aimwell.integrations import services
    from aimwell.integrations.errors import IntegrationError

    org = _organisation(organisation)
    token = None
    if token_env:
        token = os.environ.get(token_env)
        if token is None:
            raise fail(f"The environment variable {token_env} is not set.")
    try:
        connection = services.set_mlflow_connection(
            org,
            actor=CLI_ACTOR,
            tracking_url=url,
            token=token,
            system_tag=system_tag,
            deployed_alias=alias,
        )
    except IntegrationError as exc:
        raise fail(str(exc)) from exc
    console.print(f"{org.name} now syncs from {escape(connection.tracking_url)}.")


@mlflow_app.command("sync")
def sync(organisation: OrgOption) -> None:
    """Bring the registry's models and versions into the AI inventory now."""
    setup_django()
    from aimwell.integrations.errors import IntegrationError
    from aimwell.integrations.models import MlflowConnection
    from aimwell.integrations.services import mlflow_sync

    org = _organisation(organisation)
    connection = MlflowConnection.objects.filter(organisation=org).first()
    if connection is None:
        raise fail(f"{org.name} has no MLflow connection: run `aimwell mlflow connect` first.")
    try:
        report = mlflow_sync.sync(connection, actor=CLI_ACTOR)
    except IntegrationError as exc:
        raise fail(f"MLflow sync failed: {exc}") from exc
    console.print(
        f"Synced {report.models} registered model(s), {report.versions} version(s) from "
        f"{escape(connection.tracking_url)}."
    )
    for label, items in (
        ("New in the inventory", report.new_versions),
        ("AI systems moved to a new version", report.switched),
        ("Datasets added", report.datasets),
        ("Tagged with an AI system that does not exist", report.unknown_systems),
        (f"Without a {connection.system_tag} tag (not linked)", report.unlinked),
    ):
        if items:
            console.print(f"{label}: {escape(', '.join(items))}")
    if report.review_flags:
        console.print(f"Needs review: {report.review_flags} decision(s) flagged.")


@mlflow_app.command("schedule")
def schedule() -> None:
    """Queue the periodic sync of every connected organisation (AIMWELL_MLFLOW_SYNC_MINUTES)."""
    setup_django()
    from aimwell.integrations.tasks import schedule as queue

    when = queue()
    if when is None:
        console.print("The periodic MLflow sync is already queued.")
    else:
        console.print(f"MLflow sync queued; the next run is at {when:%Y-%m-%d %H:%M %Z}.")


@webhooks_app.command("list")
def list_endpoints(organisation: OrgOption) -> None:
    """The organisation's webhook endpoints."""
    setup_django()
    from aimwell.integrations.models import WebhookEndpoint

    org = _organisation(organisation)
    table = Table("Name", "URL", "Events", "Active", "Secret")
    for endpoint in WebhookEndpoint.objects.filter(organisation=org):
        table.add_row(
            escape(endpoint.name),
            escape(endpoint.url),
            ", ".join(endpoint.event_types),
            "yes" if endpoint.is_active else "no",
            f"{endpoint.secret_hint}…",
        )
    console.print(table)


@webhooks_app.command("deliveries")
def deliveries(
    organisation: OrgOption,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 20,
) -> None:
    """The latest deliveries: event, endpoint, status, attempts, last answer."""
    setup_django()
    from aimwell.integrations import querysets

    org = _organisation(organisation)
    table = Table("When", "Event", "Endpoint", "Status", "Attempts", "Last answer")
    for delivery in querysets.deliveries(org)[:limit]:
        table.add_row(
            f"{delivery.created_at:%Y-%m-%d %H:%M}",
            delivery.event_type,
            escape(delivery.endpoint.name),
            delivery.get_status_display(),
            str(delivery.attempts),
            escape(delivery.last_error or str(delivery.last_status_code or "")),
        )
    console.print(table)


@webhooks_app.command("ping")
def ping(
    organisation: OrgOption,
    name: Annotated[str, typer.Argument(help="The endpoint's name.")],
) -> None:
    """Queue a signed test event to one endpoint (the worker sends it)."""
    setup_django()
    from aimwell.integrations.models import WebhookEndpoint
    from aimwell.integrations.services import delivery

    org = _organisation(organisation)
    endpoint = WebhookEndpoint.objects.filter(organisation=org, name=name).first()
    if endpoint is None:
        raise fail(f"No webhook endpoint named {name!r} in {org.name}.")
    queued = delivery.queue_ping(endpoint, actor=CLI_ACTOR)
    console.print(f"Ping {queued.event_id} queued for {escape(endpoint.url)}.")
