"""Transparency pages inside the AIMS: the overview of cards and the public page's settings, one
system's card with its versions, downloads in Markdown, JSON and PDF, and publishing."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from aimwell.accounts.access import get_for_user, page_access, require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can, can_write
from aimwell.core.errors import add_to_form
from aimwell.inventory.models import AISystem
from aimwell.transparency import cards, querysets, rendering, services
from aimwell.transparency.forms import CardForm, SettingsForm
from aimwell.transparency.services import TransparencyError

FORMATS = {
    "md": ("text/markdown; charset=utf-8", "md"),
    "json": ("application/json", "json"),
    "pdf": ("application/pdf", "pdf"),
}


def _system(request: AimwellRequest, system_id: uuid.UUID, write: bool = False) -> tuple[Any, Any]:
    return get_for_user(
        request.user,
        AISystem.objects.select_related("organisation", "owner"),
        system_id,
        organisation=request.organisation,
        write=write,
    )


@login_required
@page_access(Capability.READ_ALL)
def home(request: AimwellRequest) -> HttpResponse:
    membership = require(request.membership, Capability.READ_ALL)
    org = membership.organisation
    page = services.settings_of(org)
    context = {
        "rows": querysets.card_rows(org),
        "page": page,
        "principles": list(page.principles.all()) if page.pk else [],
        "can_manage": can(membership, Capability.MANAGE_AIMS),
    }
    return render(request, "transparency/home.html", context)


@login_required
def settings_page(request: AimwellRequest) -> HttpResponse:
    membership = require(request.membership, Capability.MANAGE_AIMS)
    org = membership.organisation
    current = services.settings_of(org)
    form = SettingsForm(
        request.POST or None, organisation=org, initial=SettingsForm.initial_for(current)
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            services.update_settings(
                org,
                actor=request.user,
                principles=values.pop("principles"),
                public_systems=values.pop("public_systems"),
                **values,
            )
        except TransparencyError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "The transparency settings were saved.")
            return redirect("transparency:home")
    return render(request, "transparency/settings.html", {"form": form, "page": current})


@login_required
def card(request: AimwellRequest, system_id: uuid.UUID) -> HttpResponse:
    system, membership = _system(request, system_id)
    card = services.card_of(system)
    versions = querysets.versions_of(card)
    number = request.GET.get("version")
    shown = querysets.version_of(card, int(number)) if number and number.isdigit() else None
    live = cards.build_content(system)
    latest = versions[0] if versions else None
    context = {
        "system": system,
        "card_obj": card,
        "card": shown.content if shown else live,
        "shown": shown,
        "versions": versions,
        "latest": latest,
        "out_of_date": latest is not None and latest.sha256 != cards.content_sha256(live),
        "can_edit": can_write(membership, system),
        "form": CardForm(
            initial={
                "limitations": card.limitations if card else "",
                "slug": card.slug if card else "",
            }
        ),
        "internal": True,
    }
    return render(request, "transparency/card.html", context)


@login_required
def card_download(request: AimwellRequest, system_id: uuid.UUID, fmt: str) -> HttpResponse:
    system, _ = _system(request, system_id)
    if fmt not in FORMATS:
        return HttpResponse("Unknown format.", status=404, content_type="text/plain")
    number = request.GET.get("version")
    meta: dict[str, Any] | None = None
    if number and number.isdigit():
        version = querysets.version_of(services.card_of(system), int(number))
        content, meta = version.content, services.version_meta(version)
    else:
        content = cards.build_content(system)
    body: bytes | str
    if fmt == "md":
        body = rendering.to_markdown(content, meta)
    elif fmt == "json":
        body = rendering.to_json(content, meta)
    else:
        body = rendering.to_pdf(content, meta)
    content_type, ext = FORMATS[fmt]
    response = HttpResponse(body, content_type=content_type)
    suffix = f"-v{meta['number']}" if meta else "-draft"
    name = f"{slugify(system.name) or 'system'}-card{suffix}.{ext}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def card_publish(request: AimwellRequest, system_id: uuid.UUID) -> HttpResponse:
    system, _ = _system(request, system_id, write=True)
    version, created = services.publish_card(system, actor=request.user)
    if created:
        messages.success(request, f"Version {version.number} of the card was published.")
    else:
        messages.info(request, f"Nothing changed since version {version.number}; not republished.")
    return redirect("transparency:card", system.pk)


@login_required
@require_POST
def card_edit(request: AimwellRequest, system_id: uuid.UUID) -> HttpResponse:
    system, _ = _system(request, system_id, write=True)
    form = CardForm(request.POST)
    if form.is_valid():
        try:
            services.update_card(system, actor=request.user, **form.cleaned_data)
        except TransparencyError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "The card was saved; publish it to make a new version.")
    else:
        errors = "; ".join(f"{form.fields[f].label}: {e[0]}" for f, e in form.errors.items())
        messages.error(request, f"Not saved. {errors}")
    return redirect("transparency:card", system.pk)
