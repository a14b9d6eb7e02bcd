"""The `aimwell` command. Django is set up only by commands that need the database, so commands
such as `aimwell assurance report` run on a machine with no database configured."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from aimwell.catalog.cli import app as catalog_app
from aimwell.certification.cli import app as certification_app
from aimwell.classification.cli import classify_command
from aimwell.cli_support import console, err, fail, run_worker, setup_django
from aimwell.consistency.cli import check_command
from aimwell.controls.cli import readiness_command, soa_app
from aimwell.documents.cli import app as documents_app
from aimwell.evidence.cli import app as evidence_app
from aimwell.integrations.cli import mlflow_app, webhooks_app
from aimwell.interchange.cli import app as oscal_app
from aimwell.inventory.cli import app as systems_app
from aimwell.lifecycle.cli import app as lifecycle_app
from aimwell.lifecycle.cli import changes_app
from aimwell.monitoring.cli import app as monitor_app
from aimwell.notifications.cli import app as reminders_app
from aimwell.reports.cli import app as reports_app
from aimwell.risks.cli import app as risks_app
from aimwell.transparency.cli import app as transparency_app

app = typer.Typer(help="Aimwell: an AI management system for ISO/IEC 42001.", no_args_is_help=True)
user_app = typer.Typer(help="Manage user accounts.", no_args_is_help=True)
token_app = typer.Typer(help="Manage personal API tokens.", no_args_is_help=True)
sso_app = typer.Typer(
    help="Single sign-on (OpenID Connect) per organisation.", no_args_is_help=True
)
audit_app = typer.Typer(help="The tamper-evident audit trail.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.add_typer(sso_app, name="sso")
app.add_typer(audit_app, name="audit")
app.add_typer(catalog_app, name="catalog")
app.add_typer(documents_app, name="documents")
app.add_typer(evidence_app, name="evidence")
app.add_typer(systems_app, name="systems")
app.add_typer(monitor_app, name="monitor")
app.add_typer(lifecycle_app, name="lifecycle")
app.add_typer(changes_app, name="changes")
app.command("classify")(classify_command)
app.add_typer(risks_app, name="risks")
app.add_typer(soa_app, name="soa")
app.add_typer(reminders_app, name="reminders")
app.command("readiness")(readiness_command)
app.add_typer(certification_app, name="certification")
app.add_typer(transparency_app, name="transparency")
app.add_typer(reports_app, name="reports")
app.add_typer(oscal_app, name="oscal")
app.command("check")(check_command)
app.add_typer(mlflow_app, name="mlflow")
app.add_typer(webhooks_app, name="webhooks")


@app.command()
def worker(
    once: Annotated[bool, typer.Option(help="Process the tasks due now, then stop.")] = False,
    interval: Annotated[float, typer.Option(help="Seconds between polls of the queue.")] = 1.0,
) -> None:
    """The one background worker: daily reminders, scheduled monitors and the stale-run sweep,
    monitoring runs, webhook deliveries, audit anchors and registry syncs, from one queue."""
    run_worker(once=once, interval=interval)


@app.command()
def migrate() -> None:
    """Create or update the database tables."""
    setup_django()
    from django.core.management import call_command

    from aimwell.catalog.services import load_builtin_catalog
    from aimwell.classification.services import sync_rule_sets

    call_command("migrate", interactive=False, verbosity=1)
    report = load_builtin_catalog()
    console.print(f"Catalog: {report.summary()}")
    added = sync_rule_sets()
    console.print(f"Classification rules: {', '.join(added) if added else 'up to date'}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    threads: Annotated[int, typer.Option(help="Worker threads (per process).")] = 8,
    processes: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="App processes. 1 serves with waitress; more run gunicorn with that many "
            "processes of --threads threads each (PostgreSQL only: SQLite has one writer).",
        ),
    ] = 1,
) -> None:
    """Serve the web application and the API with a production WSGI server."""
    setup_django()
    from django.conf import settings

    from aimwell.wsgi import application

    if processes > 1 and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        err.print("Several processes need PostgreSQL: SQLite lets one process write at a time.")
        raise typer.Exit(2)
    console.print(f"Aimwell is serving on [bold]http://{host}:{port}/[/bold] (Ctrl+C stops it)")
    if processes > 1:
        from aimwell.serving import serve_processes

        serve_processes(
            application,
            bind=f"{host}:{port}",
            processes=processes,
            threads=threads,
            trusted_proxy=settings.TRUSTED_PROXY,
        )
        return
    from waitress import serve as waitress_serve  # type: ignore[import-untyped, unused-ignore]

    waitress_serve(
        application,
        host=host,
        port=port,
        threads=threads,
        **proxy_options(settings.TRUSTED_PROXY),
    )


def proxy_options(trusted_proxy: str) -> dict[str, Any]:
    """Waitress options for a reverse proxy: behind one, every request comes from the proxy's
    address, so the visitor's address (and scheme) is taken from the headers only that proxy
    sets; the same headers sent by anyone else are dropped."""
    if not trusted_proxy:
        return {"clear_untrusted_proxy_headers": True}
    return {
        "trusted_proxy": trusted_proxy,
        "trusted_proxy_count": 1,
        "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
        "clear_untrusted_proxy_headers": True,
    }


@app.command()
def demo(
    verbose: Annotated[
        bool, typer.Option("--verbose", help="List every record created, one a line.")
    ] = False,
) -> None:
    """Load the demo organisation (idempotent: running it again changes nothing)."""
    setup_django()
    from aimwell.demo import load_demo

    result = load_demo()
    console.print(result.summary(verbose=verbose), highlight=False, soft_wrap=True)


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Argument(help="The person's email address (their sign-in).")],
    organisation: Annotated[str, typer.Option(help="Slug of the organisation to join.")],
    role: Annotated[
        str,
        typer.Option(
            help="admin, aims_manager, contributor, internal_auditor, staff or external_auditor."
        ),
    ],
    full_name: Annotated[str, typer.Option(help="Display name.")] = "",
    password: Annotated[
        str | None,
        typer.Option(help="Password; prompted for when omitted.", envvar="AIMWELL_NEW_PASSWORD"),
    ] = None,
) -> None:
    """Create a user (or reuse an existing one) and add them to an organisation."""
    setup_django()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from aimwell.accounts import services
    from aimwell.accounts.errors import AccountsError
    from aimwell.accounts.models import Organisation
    from aimwell.accounts.roles import Role

    try:
        validate_email(email)
    except ValidationError as exc:
        raise fail(f"{email!r} is not a valid email address.") from exc
    if role not in {r.value for r in Role}:
        raise fail(f"Unknown role {role!r}; choose one of: {', '.join(r.value for r in Role)}.")
    org = Organisation.objects.filter(slug=organisation).first()
    if org is None:
        raise fail(f"No organisation with the slug {organisation!r}.")
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        validate_password(password)
    except ValidationError as exc:
        raise fail(" ".join(exc.messages)) from exc
    try:
        membership = services.add_member(
            org, email=email, role=role, full_name=full_name, password=password, actor="cli"
        )
    except AccountsError as exc:
        raise fail(str(exc)) from exc
    console.print(f"Added {membership.user.email} to {org.name} as {membership.role_label}.")


@user_app.command("unlock")
def user_unlock(
    email: Annotated[str, typer.Argument(help="The locked-out person's email address.")],
) -> None:
    """Lift a sign-in lockout (too many failed passwords) at once; recorded in the audit trail."""
    setup_django()
    from aimwell.accounts import services
    from aimwell.accounts.models import User

    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        raise fail(f"No user with the email address {email!r}.")
    cleared = services.unlock_sign_in(user, actor="cli")
    console.print(f"Sign-in unlocked for {user.email} ({cleared} attempt record(s) cleared).")


@user_app.command("mfa-reset")
def user_mfa_reset(
    email: Annotated[str, typer.Argument(help="Whose two-factor sign-in to remove.")],
) -> None:
    """Remove someone's authenticator and recovery codes (they lost both); audited. Where their
    organisation requires two factors they set them up again at their next sign-in."""
    setup_django()
    from aimwell.accounts import mfa
    from aimwell.accounts.models import User

    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        raise fail(f"No user with the email address {email!r}.")
    mfa.disable(None, user, actor="cli")
    console.print(f"Two-factor sign-in removed for {user.email}.")


@sso_app.command("configure")
def sso_configure(
    organisation: Annotated[str, typer.Option(help="Slug of the organisation.")],
    issuer: Annotated[str, typer.Option(help="The provider's issuer URL (https://…).")],
    client_id: Annotated[str, typer.Option(help="Aimwell's client id at the provider.")],
    secret_variable: Annotated[
        str, typer.Option(help="Name of the environment variable holding the client secret.")
    ],
    domains: Annotated[
        str, typer.Option(help="Comma-separated email domains that sign in through it.")
    ],
    default_role: Annotated[
        str, typer.Option(help="Role of people it signs in for the first time.")
    ] = "staff",
    disable: Annotated[bool, typer.Option(help="Keep the settings but stop using them.")] = False,
) -> None:
    """Set the organisation's OpenID Connect provider and the email domains mapped to it."""
    setup_django()
    from aimwell.accounts import sso
    from aimwell.accounts.errors import AccountsError
    from aimwell.accounts.models import Organisation

    org = Organisation.objects.filter(slug=organisation).first()
    if org is None:
        raise fail(f"No organisation with the slug {organisation!r}.")
    try:
        provider = sso.configure_provider(
            org,
            issuer=issuer,
            client_id=client_id,
            client_secret_variable=secret_variable,
            email_domains=domains.split(","),
            default_role=default_role,
            is_enabled=not disable,
            actor="cli",
        )
    except (AccountsError, ValueError) as exc:
        raise fail(str(exc)) from exc
    state = "disabled" if disable else "enabled"
    console.print(
        f"Single sign-on for {org.name} via {provider.issuer} ({state}); domains: "
        f"{', '.join(provider.email_domains)}. Redirect URI to register at the provider: "
        "https://<your host>/sso/callback/"
    )


@token_app.command("create")
def token_create(
    email: Annotated[str, typer.Argument(help="Whose token it is.")],
    organisation: Annotated[str, typer.Option(help="Slug of the organisation it works in.")],
    name: Annotated[str, typer.Option(help="What will use it.")] = "cli",
) -> None:
    """Create a personal API token and print it once."""
    setup_django()
    from aimwell.accounts import services
    from aimwell.accounts.models import Membership

    membership = (
        Membership.objects.active()
        .select_related("organisation", "user")
        .filter(user__email__iexact=email, organisation__slug=organisation)
        .first()
    )
    if membership is None:
        raise fail(f"{email} has no active membership in {organisation!r}.")
    _, secret = services.create_api_token(membership, name=name, actor="cli")
    console.print("Token (shown once; only a digest is stored):")
    print(secret)


@audit_app.command("verify")
def audit_verify(
    organisation: Annotated[
        str | None, typer.Option(help="Slug of one organisation (default: all).")
    ] = None,
    anchors: Annotated[
        Path | None,
        typer.Option(help="Directory of anchors: also detect a rolled-back or diverged chain."),
    ] = None,
) -> None:
    """Check every organisation's audit chain; exit 1 naming the first broken event or anchor."""
    setup_django()
    from aimwell.accounts.models import Organisation
    from aimwell.core import anchors as anchoring
    from aimwell.core.audit import verify_organisation

    if anchors is not None and not anchors.is_dir():
        raise fail(f"{anchors} is not a directory of anchors.")
    orgs = Organisation.objects.order_by("name")
    if organisation:
        orgs = orgs.filter(slug=organisation)
        if not orgs.exists():
            raise fail(f"No organisation with the slug {organisation!r}.")
    broken = 0
    total = 0
    for org_id, name in orgs.values_list("id", "name"):
        checked, problem = verify_organisation(org_id)
        total += checked
        anchor_problems = anchoring.check(anchors, org_id) if anchors is not None else []
        if problem is None and not anchor_problems:
            console.print(f"[green]ok[/green]  {name}: {checked} events")
            continue
        broken += 1
        if problem is not None:
            console.print(f"[red]BROKEN[/red] {name}: {problem}")
        for anchor_problem in anchor_problems:
            console.print(f"[red]BROKEN[/red] {name}: {anchor_problem}", soft_wrap=True)
    if broken:
        err.print(f"{broken} chain(s) failed verification ({total} events checked).")
        raise typer.Exit(1)
    console.print(f"All chains intact: {total} events checked.")


@audit_app.command("anchor")
def audit_anchor(
    directory: Annotated[
        Path | None,
        typer.Option("--dir", help="Witness directory (default: AIMWELL_AUDIT_ANCHOR_DIR)."),
    ] = None,
    email: Annotated[
        str | None, typer.Option(help="Also mail the anchors to this address.")
    ] = None,
    schedule: Annotated[
        bool, typer.Option(help="Queue the hourly anchoring on the worker instead.")
    ] = False,
) -> None:
    """Write each organisation's signed chain head to a witness outside the database."""
    setup_django()
    from django.conf import settings

    from aimwell.core import anchors as anchoring
    from aimwell.core import tasks
    from aimwell.core.models import AuditChainHead

    if schedule:
        if not settings.AIMWELL_AUDIT_ANCHOR_DIR:
            raise fail("Set AIMWELL_AUDIT_ANCHOR_DIR for the worker first.")
        when = tasks.schedule()
        console.print(f"Next anchoring at {when:%Y-%m-%d %H:%M}." if when else "Already queued.")
        return
    target = directory or (
        Path(settings.AIMWELL_AUDIT_ANCHOR_DIR) if settings.AIMWELL_AUDIT_ANCHOR_DIR else None
    )
    if target is None:
        raise fail("Give --dir or set AIMWELL_AUDIT_ANCHOR_DIR.")
    if target.exists() and not target.is_dir():
        raise fail(f"{target} is not a directory.")
    org_ids = list(AuditChainHead.objects.values_list("organisation_id", flat=True))
    written = anchoring.anchor_all(target, org_ids, email=email)
    for anchor in written:
        console.print(f"anchored {anchor.organisation_id} at #{anchor.seq}")
    console.print(f"Wrote {len(written)} anchor(s) to {target}.")


ASSURANCE_HELP = "Fairness, performance, drift and data-quality reports from prediction logs."


def _mount_assurance() -> None:
    """`aimwell assurance` is dispatched by aimwell.entry before this module loads; this
    listing only keeps it in `aimwell --help` (and serves `python -m aimwell.cli assurance`)."""
    if sys.argv[1:2] == ["assurance"]:
        from aimwell.assurance.cli import main as assurance_main

        del sys.argv[1]
        assurance_main()
    listing = typer.Typer(help=ASSURANCE_HELP)

    @listing.callback()
    def assurance() -> None:
        """Fairness, performance, drift reports (run `aimwell assurance --help`)."""

    app.add_typer(listing, name="assurance", help=ASSURANCE_HELP)


def main() -> None:
    _mount_assurance()
    try:
        app()
    except OSError as exc:
        # A file that cannot be read or written (a missing folder, no permission, a full disk)
        # is the user's to fix: say which and why, without a traceback.
        where = f": {exc.filename}" if exc.filename else ""
        err.print(f"[red]Error:[/red] {escape(exc.strerror or str(exc))}{escape(str(where))}")
        raise SystemExit(2) from exc


if __name__ == "__main__":
    main()
