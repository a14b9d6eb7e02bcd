"""Reading cards and the public page, each list in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Subquery
from django.http import Http404

from aimwell.inventory.models import AISystem
from aimwell.transparency import cards
from aimwell.transparency.models import CardVersion, SystemCard, TransparencySettings


@dataclass
class CardRow:
    system: AISystem
    card: SystemCard | None
    latest: CardVersion | None
    live_sha256: str

    @property
    def out_of_date(self) -> bool:
        return self.latest is not None and self.latest.sha256 != self.live_sha256

    @property
    def is_public(self) -> bool:
        return bool(self.card and self.card.is_public)


def _latest_versions(card_ids: list[Any], *, full: bool = False) -> dict[Any, CardVersion]:
    newest = CardVersion.objects.filter(card_id=OuterRef("card_id")).order_by("-number")
    rows = CardVersion.objects.filter(card_id__in=card_ids, pk=Subquery(newest.values("pk")[:1]))
    if not full:
        rows = rows.defer("content", "markdown")
    return {v.card_id: v for v in rows}


def card_rows(organisation: Any) -> list[CardRow]:
    """Every AI system of the organisation with its card, latest version and whether the live
    data moved since that version."""
    systems = list(AISystem.objects.filter(organisation=organisation).order_by("name"))
    contents = cards.build_contents(systems)
    by_system = {c.system_id: c for c in SystemCard.objects.filter(organisation=organisation)}
    latest = _latest_versions([c.pk for c in by_system.values()])
    rows = []
    for system in systems:
        card = by_system.get(system.pk)
        rows.append(
            CardRow(
                system=system,
                card=card,
                latest=latest.get(card.pk) if card else None,
                live_sha256=cards.content_sha256(contents[system.pk]),
            )
        )
    return rows


def versions_of(card: SystemCard | None) -> list[CardVersion]:
    if card is None:
        return []
    return list(
        CardVersion.objects.filter(card=card)
        .select_related("published_by")
        .defer("content", "markdown")
        .order_by("-number")
    )


def version_of(card: SystemCard | None, number: int) -> CardVersion:
    version = CardVersion.objects.filter(card=card, number=number).first() if card else None
    if version is None:
        raise Http404("No such version.")
    return version


# The public side: only enabled pages, only chosen cards, only published versions. ---------------


def public_page(slug: str) -> TransparencySettings:
    page = (
        TransparencySettings.objects.filter(slug=slug, enabled=True)
        .select_related("organisation", "policy_document__published_version")
        .first()
    )
    if page is None:
        raise Http404("No such page.")
    return page


def public_cards(page: TransparencySettings) -> list[tuple[SystemCard, CardVersion]]:
    chosen = list(
        SystemCard.objects.filter(organisation_id=page.organisation_id, is_public=True)
        .select_related("system")
        .order_by("system__name")
    )
    latest = _latest_versions([c.pk for c in chosen], full=True)
    return [(c, latest[c.pk]) for c in chosen if c.pk in latest]


def public_card(page: TransparencySettings, slug: str) -> tuple[SystemCard, CardVersion]:
    card = (
        SystemCard.objects.filter(organisation_id=page.organisation_id, is_public=True, slug=slug)
        .select_related("system")
        .first()
    )
    version = CardVersion.objects.filter(card=card).order_by("-number").first() if card else None
    if card is None or version is None:
        raise Http404("No such card.")
    return card, version
