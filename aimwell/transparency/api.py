"""REST endpoints of transparency: the public page's settings, the cards (live, as JSON with its
Markdown), publishing a version and the version history."""

from __future__ import annotations

import uuid
from typing import Any

from ninja import Router
from ninja.errors import HttpError

from aimwell.accounts.access import get_for_user, require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability
from aimwell.core import concurrency
from aimwell.documents.models import Document
from aimwell.governance.models import Principle
from aimwell.inventory.models import AISystem
from aimwell.transparency import cards, querysets, rendering, services
from aimwell.transparency.models import CardVersion, SystemCard, TransparencySettings
from aimwell.transparency.schemas import (
    CardOut,
    CardPatch,
    CardStatusOut,
    PublishOut,
    SettingsOut,
    SettingsPatch,
    VersionDetailOut,
    VersionOut,
)

router = Router(tags=["Transparency"])


def _system(request: AimwellRequest, system_id: uuid.UUID, write: bool = False) -> AISystem:
    system, _ = get_for_user(
        request.user,
        AISystem.objects.select_related("organisation"),
        system_id,
        organisation=request.organisation,
        write=write,
    )
    return system


def _settings_out(page: TransparencySettings) -> dict[str, Any]:
    public = SystemCard.objects.filter(organisation_id=page.organisation_id, is_public=True)
    return {
        "enabled": page.enabled,
        "slug": page.slug,
        "public_url": f"/public/{page.slug}/",
        "public_name": page.public_name,
        "contact": page.contact,
        "introduction": page.introduction,
        "principle_ids": [p.pk for p in page.principles.all()] if page.pk else [],
        "policy_source": page.policy_source,
        "policy_document_id": page.policy_document_id,
        "policy_text": page.policy_text,
        "accept_concerns": page.accept_concerns,
        "public_system_ids": list(public.values_list("system_id", flat=True)),
    }


def _version_out(v: CardVersion) -> dict[str, Any]:
    return {
        "number": v.number,
        "sha256": v.sha256,
        "published_at": v.published_at,
        "published_by": v.published_by_label,
    }


@router.get("/transparency/settings", response=SettingsOut, summary="The public page's settings")
def get_settings(request: AimwellRequest) -> dict[str, Any]:
    membership = require(request.membership, Capability.READ_ALL)
    settings = services.settings_of(membership.organisation)
    concurrency.fetched(settings, write=False)
    return _settings_out(settings)


@router.patch(
    "/transparency/settings",
    response=SettingsOut,
    summary="Change the public page: enable it, its text, principles, policy and systems shown",
)
def patch_settings(request: AimwellRequest, payload: SettingsPatch) -> dict[str, Any]:
    membership = require(request.membership, Capability.MANAGE_AIMS)
    org = membership.organisation
    concurrency.fetched(services.settings_of(org), write=True)
    values = payload.model_dump(exclude_unset=True)
    principles = systems = None
    if "principle_ids" in values:
        ids = values.pop("principle_ids") or []
        principles = list(Principle.objects.filter(organisation=org, pk__in=ids))
        if len(principles) != len(set(ids)):
            raise HttpError(422, "Unknown principle.")
    if "public_system_ids" in values:
        ids = values.pop("public_system_ids") or []
        systems = list(AISystem.objects.filter(organisation=org, pk__in=ids))
        if len(systems) != len(set(ids)):
            raise HttpError(422, "Unknown AI system.")
    if "policy_document_id" in values:
        doc_id = values.pop("policy_document_id")
        doc = Document.objects.filter(organisation=org, pk=doc_id).first() if doc_id else None
        if doc_id and doc is None:
            raise HttpError(422, "Unknown document.")
        values["policy_document"] = doc
    page = services.update_settings(
        org, actor=request.user, principles=principles, public_systems=systems, **values
    )
    return _settings_out(page)


@router.get(
    "/transparency/cards",
    response=list[CardStatusOut],
    summary="Every AI system's card: published version, out of date, shown on the public page",
)
def list_cards(request: AimwellRequest) -> list[dict[str, Any]]:
    membership = require(request.membership, Capability.READ_ALL)
    return [
        {
            "system_id": r.system.pk,
            "system_name": r.system.name,
            "published_version": r.latest.number if r.latest else None,
            "published_at": r.latest.published_at if r.latest else None,
            "out_of_date": r.out_of_date,
            "is_public": r.is_public,
            "live_sha256": r.live_sha256,
        }
        for r in querysets.card_rows(membership.organisation)
    ]


@router.get(
    "/systems/{system_id}/card",
    response=CardOut,
    summary="The live card of an AI system, as JSON and as Markdown",
)
def get_card(request: AimwellRequest, system_id: uuid.UUID) -> dict[str, Any]:
    system = _system(request, system_id)
    card = services.card_of(system)
    content = cards.build_content(system)
    digest = cards.content_sha256(content)
    latest = services.latest_version(card)
    return {
        "system_id": system.pk,
        "slug": card.slug if card else None,
        "limitations": card.limitations if card else "",
        "is_public": bool(card and card.is_public),
        "published_version": latest.number if latest else None,
        "out_of_date": latest is not None and latest.sha256 != digest,
        "sha256": digest,
        "content": content,
        "markdown": rendering.to_markdown(content),
    }


@router.patch(
    "/systems/{system_id}/card",
    response=CardOut,
    summary="Change what the card adds: its known limitations and its public address",
)
def patch_card(request: AimwellRequest, system_id: uuid.UUID, payload: CardPatch) -> dict[str, Any]:
    system = _system(request, system_id, write=True)
    changes = payload.model_dump(exclude_unset=True)
    services.update_card(system, actor=request.user, **changes)
    return get_card(request, system_id)


@router.post(
    "/systems/{system_id}/card/publish",
    response=PublishOut,
    summary="Publish the card: a new immutable version only if its content changed",
)
def publish(request: AimwellRequest, system_id: uuid.UUID) -> dict[str, Any]:
    system = _system(request, system_id, write=True)
    version, created = services.publish_card(system, actor=request.user)
    return {"created": created, "version": _version_out(version)}


@router.get(
    "/systems/{system_id}/card/versions",
    response=list[VersionOut],
    summary="Published versions of the card, newest first",
)
def list_versions(request: AimwellRequest, system_id: uuid.UUID) -> list[dict[str, Any]]:
    system = _system(request, system_id)
    return [_version_out(v) for v in querysets.versions_of(services.card_of(system))]


@router.get(
    "/systems/{system_id}/card/versions/{number}",
    response=VersionDetailOut,
    summary="One published version: its content and Markdown, as published",
)
def get_version(request: AimwellRequest, system_id: uuid.UUID, number: int) -> dict[str, Any]:
    system = _system(request, system_id)
    version = querysets.version_of(services.card_of(system), number)
    return {**_version_out(version), "content": version.content, "markdown": version.markdown}
