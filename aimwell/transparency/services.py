"""Writers of the transparency app: cards and their published versions, the public page's
settings, and concerns sent from outside through the public form. Every write is atomic and
recorded in the audit trail."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable
from typing import Any

from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from aimwell.core.audit import diff, record_for, snapshot
from aimwell.core.errors import DomainError
from aimwell.incidents import services as incidents
from aimwell.incidents.models import Concern
from aimwell.inventory.models import AISystem
from aimwell.operations.errors import OperationsError
from aimwell.transparency import cards, rendering
from aimwell.transparency.models import (
    CardVersion,
    PolicySource,
    PublicSubmission,
    SystemCard,
    TransparencySettings,
)

# At most this many attempts on the public form per client address and window.
RATE_LIMIT = 5
RATE_WINDOW = dt.timedelta(hours=1)
PUBLIC_FORM = incidents.PUBLIC_FORM


class TransparencyError(DomainError):
    """A transparency request the rules refuse; the message is for the person."""


class RateLimited(TransparencyError):
    def __init__(self) -> None:
        super().__init__(
            "Too many messages from your connection in the last hour; please try again later.",
            status=429,
        )


# Cards --------------------------------------------------------------------------------------------


def _free_slug(model: Any, base: str, taken_filter: dict[str, Any], max_length: int) -> str:
    base = (slugify(base) or "item")[: max_length - 4]
    slug, n = base, 1
    while model.objects.filter(slug=slug, **taken_filter).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def card_of(system: AISystem) -> SystemCard | None:
    return SystemCard.objects.filter(system=system).first()


@transaction.atomic
def ensure_card(system: AISystem, *, actor: Any) -> SystemCard:
    """The system's card, created (with a public slug from its name) the first time."""
    card = card_of(system)
    if card is not None:
        return card
    card = SystemCard.objects.create(
        organisation_id=system.organisation_id,
        system=system,
        slug=_free_slug(SystemCard, system.name, {"organisation_id": system.organisation_id}, 80),
    )
    record_for(
        card, actor=actor, action="card.created", changes=diff({}, snapshot(card, ("slug",)))
    )
    return card


@transaction.atomic
def update_card(
    system: AISystem, *, actor: Any, limitations: str | None = None, slug: str | None = None
) -> SystemCard:
    """Change what the card adds to the inventory: its limitations text and its public slug."""
    card = ensure_card(system, actor=actor)
    before = snapshot(card, ("limitations", "slug"))
    if limitations is not None:
        card.limitations = limitations.strip()
    if slug is not None:
        clean = slugify(slug)
        if not clean:
            raise TransparencyError("Give the card a web address made of letters.", "slug")
        if (
            SystemCard.objects.filter(organisation_id=card.organisation_id, slug=clean)
            .exclude(pk=card.pk)
            .exists()
        ):
            raise TransparencyError("Another card already uses that address.", "slug")
        card.slug = clean
    changed = diff(before, snapshot(card, ("limitations", "slug")))
    if changed:
        card.save(update_fields=[*changed, "updated_at"])
        record_for(card, actor=actor, action="card.updated", changes=changed)
    return card


def latest_version(card: SystemCard | None) -> CardVersion | None:
    if card is None:
        return None
    return CardVersion.objects.filter(card=card).order_by("-number").first()


def version_meta(version: CardVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "published_at": version.published_at.strftime("%Y-%m-%d %H:%M UTC"),
        "sha256": version.sha256,
    }


@transaction.atomic
def publish_card(system: AISystem, *, actor: Any) -> tuple[CardVersion, bool]:
    """Store the live card as a new immutable version, unless it equals the latest one.

    Returns the latest version and whether it was created now."""
    card = ensure_card(system, actor=actor)
    # Lock the card so that two publishers cannot both take the next number.
    SystemCard.objects.select_for_update().filter(pk=card.pk).first()
    content = cards.build_content(system)
    digest = cards.content_sha256(content)
    latest = latest_version(card)
    if latest is not None and latest.sha256 == digest:
        return latest, False
    version = CardVersion(
        organisation_id=card.organisation_id,
        card=card,
        number=(latest.number + 1) if latest else 1,
        content=content,
        sha256=digest,
        published_at=timezone.now(),
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
        published_by_label=str(getattr(actor, "email", "") or actor or "system")[:200],
        markdown="",
    )
    version.markdown = rendering.to_markdown(content, version_meta(version))
    version.save()
    record_for(
        version,
        actor=actor,
        action="card.published",
        changes={
            "version": [latest.number if latest else None, version.number],
            "sha256": [latest.sha256 if latest else None, digest],
        },
    )
    return version, True


# The public page ----------------------------------------------------------------------------------


def settings_of(organisation: Any) -> TransparencySettings:
    """The organisation's settings; unsaved defaults (page off) when a manager never set them."""
    found = TransparencySettings.objects.filter(organisation=organisation).first()
    if found is not None:
        return found
    return TransparencySettings(
        organisation=organisation,
        slug=_free_slug(TransparencySettings, organisation.slug, {}, 60),
        public_name=organisation.name,
    )


SETTINGS_FIELDS = TransparencySettings.AUDIT_FIELDS


@transaction.atomic
def update_settings(
    organisation: Any,
    *,
    actor: Any,
    principles: Iterable[Any] | None = None,
    public_systems: Iterable[AISystem] | None = None,
    **values: Any,
) -> TransparencySettings:
    """Change the public page: any of SETTINGS_FIELDS, the principles shown and the systems whose
    published cards appear."""
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Not transparency settings: {sorted(unknown)}")
    current = settings_of(organisation)
    adding = current._state.adding
    before = {} if adding else snapshot(current, SETTINGS_FIELDS)
    for name, value in values.items():
        setattr(current, name, value)
    current.slug = slugify(current.slug)
    if not current.slug:
        raise TransparencyError("Give the public page a web address made of letters.", "slug")
    doc = current.policy_document
    if doc is not None and doc.organisation_id != organisation.pk:
        raise TransparencyError("That document belongs to another organisation.", "policy")
    if current.policy_source == PolicySource.DOCUMENT and (
        doc is None or doc.published_version_id is None
    ):
        raise TransparencyError("Choose a published policy document.", "policy_document")
    changed = diff(before, snapshot(current, SETTINGS_FIELDS))
    if changed or adding:
        try:
            with transaction.atomic():
                current.save()
        except IntegrityError as exc:
            raise TransparencyError(
                "Another organisation already uses that address.", "slug"
            ) from exc
        record_for(current, actor=actor, action="transparency.settings_changed", changes=changed)
    if principles is not None:
        _set_principles(current, list(principles), actor=actor)
    if public_systems is not None:
        set_public_systems(organisation, list(public_systems), actor=actor)
    return current


def _set_principles(current: TransparencySettings, principles: list[Any], *, actor: Any) -> None:
    if any(p.organisation_id != current.organisation_id for p in principles):
        raise TransparencyError("That principle belongs to another organisation.", "principles")
    before = sorted(p.name for p in current.principles.all())
    after = sorted(p.name for p in principles)
    if before != after:
        current.principles.set(principles)
        record_for(
            current,
            actor=actor,
            action="transparency.principles_changed",
            changes={"principles": [before, after]},
        )


def set_public_systems(organisation: Any, systems: list[AISystem], *, actor: Any) -> None:
    """Exactly these systems' published cards appear on the public page."""
    if any(s.organisation_id != organisation.pk for s in systems):
        raise TransparencyError("That AI system belongs to another organisation.", "systems")
    chosen = {s.pk for s in systems}
    for system in systems:
        ensure_card(system, actor=actor)
    for card in SystemCard.objects.filter(organisation=organisation).select_related("system"):
        wanted = card.system_id in chosen
        if card.is_public != wanted:
            card.is_public = wanted
            card.save(update_fields=["is_public", "updated_at"])
            record_for(
                card,
                actor=actor,
                action="card.visibility",
                changes={"is_public": [not wanted, wanted]},
            )


# Concerns from outside ----------------------------------------------------------------------------


def client_key(address: str) -> str:
    """The client's address, keyed-hashed: the throttle never stores an IP address."""
    return hmac.new(
        django_settings.SECRET_KEY.encode(), (address or "unknown").encode(), hashlib.sha256
    ).hexdigest()


def _throttle(address: str) -> None:
    """Count this attempt; refuse it when the client already used up the window's attempts."""
    now = timezone.now()
    PublicSubmission.objects.filter(created_at__lt=now - RATE_WINDOW).delete()
    key = client_key(address)
    if PublicSubmission.objects.filter(client=key).count() >= RATE_LIMIT:
        raise RateLimited()
    PublicSubmission.objects.create(client=key)


def throttle(address: str) -> None:
    """Count an attempt that stores nothing (a bot filling the honeypot still uses the quota)."""
    with transaction.atomic():
        _throttle(address)


def submit_public_concern(
    page: TransparencySettings,
    *,
    client_address: str,
    card_slug: str,
    category: str,
    kind: str,
    description: str,
    contact_email: str = "",
) -> Concern:
    """A concern from outside about one of the systems on the public page: it enters the AIMS as
    an operations concern (source external), triaged like any other."""
    if not page.enabled or not page.accept_concerns:
        raise TransparencyError("This page does not take messages.", status=404)
    # Counted in its own transaction: a refused attempt (unknown system, bad input) still counts.
    throttle(client_address)
    with transaction.atomic():
        return _store_concern(page, card_slug, category, kind, description, contact_email)


def _store_concern(
    page: TransparencySettings,
    card_slug: str,
    category: str,
    kind: str,
    description: str,
    contact_email: str,
) -> Concern:
    card = (
        SystemCard.objects.filter(
            organisation_id=page.organisation_id, slug=card_slug, is_public=True
        )
        .filter(versions__isnull=False)
        .select_related("system")
        .first()
    )
    if card is None:
        raise TransparencyError("Choose one of the AI systems listed on this page.", "system")
    try:
        return incidents.report_external_concern(
            page.organisation,
            system=card.system,
            category=category,
            kind=kind,
            description=description,
            contact_email=contact_email,
        )
    except OperationsError as exc:
        raise TransparencyError(str(exc), getattr(exc, "field", None)) from exc
