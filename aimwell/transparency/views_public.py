"""The public transparency page, open to anyone without signing in.

It shows only what a manager chose: an enabled page, the chosen principles and policy summary,
and the latest published version of the chosen cards. Everything else is a 404, whoever asks.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from aimwell.accounts.request import AimwellRequest
from aimwell.core.errors import add_to_form
from aimwell.core.markdown import render_markdown
from aimwell.transparency import cards, querysets, services
from aimwell.transparency.forms import PublicConcernForm
from aimwell.transparency.models import PolicySource, TransparencySettings
from aimwell.transparency.services import TransparencyError


def _name(page: TransparencySettings) -> str:
    return page.public_name or page.organisation.name


def _policy(page: TransparencySettings) -> dict[str, Any] | None:
    if page.policy_source == PolicySource.TEXT and page.policy_text.strip():
        return {"html": render_markdown(page.policy_text), "source": None}
    doc = page.policy_document
    if page.policy_source == PolicySource.DOCUMENT and doc and doc.published_version:
        version = doc.published_version
        return {
            "html": render_markdown(version.body),
            "source": f"{doc.title}, version {version.number}",
        }
    return None


def _page_context(page: TransparencySettings, form: PublicConcernForm | None) -> dict[str, Any]:
    published = querysets.public_cards(page)
    if form is None and page.accept_concerns:
        form = _form(published, None)
    return {
        "page": page,
        "name": _name(page),
        "introduction": render_markdown(page.introduction),
        "contact": page.contact,
        "principles": [p for p in page.principles.all() if p.status == "adopted"],
        "policy": _policy(page),
        "published": [
            {
                "slug": c.slug,
                "name": v.content["system"]["name"],
                "version": v.number,
                "purpose": v.content["purpose"]["purpose"],
            }
            for c, v in published
        ],
        "form": form if page.accept_concerns and published else None,
    }


def _form(published: list[Any], data: Any) -> PublicConcernForm:
    choices = [(c.slug, v.content["system"]["name"]) for c, v in published]
    return PublicConcernForm(data, cards=choices)


def _client_address(request: AimwellRequest) -> str:
    # The server (waitress) sets REMOTE_ADDR, rewriting it from a trusted proxy's headers when
    # configured to; headers sent by the client itself are never trusted here.
    return str(request.META.get("REMOTE_ADDR", ""))


@csrf_protect
def page(request: AimwellRequest, slug: str) -> HttpResponse:
    found = querysets.public_page(slug)
    return render(request, "transparency/public/page.html", _page_context(found, None))


def card(request: AimwellRequest, slug: str, card_slug: str) -> HttpResponse:
    found = querysets.public_page(slug)
    _, version = querysets.public_card(found, card_slug)
    context = {
        "page": found,
        "name": _name(found),
        "card": cards.public_content(version.content),
        "version": services.version_meta(version),
        "internal": False,
    }
    return render(request, "transparency/public/card.html", context)


@csrf_protect
@require_http_methods(["GET", "POST"])
def concern(request: AimwellRequest, slug: str) -> HttpResponse:
    found = querysets.public_page(slug)
    if request.method == "GET" or not found.accept_concerns:
        return redirect("transparency:public", slug=found.slug)
    published = querysets.public_cards(found)
    form = _form(published, request.POST)
    address = _client_address(request)
    try:
        if form.is_trap:
            # A robot filled the hidden field: thank it, store nothing, count the attempt.
            services.throttle(address)
            return render(
                request, "transparency/public/thanks.html", {"page": found, "name": _name(found)}
            )
        if not form.is_valid():
            services.throttle(address)
            context = _page_context(found, form)
            return render(request, "transparency/public/page.html", context, status=400)
        data = form.cleaned_data
        received = services.submit_public_concern(
            found,
            client_address=address,
            card_slug=data["system"],
            category=data["category"],
            kind=data["kind"],
            description=data["description"],
            contact_email=data["contact_email"],
        )
    except TransparencyError as exc:
        status = exc.status
        if status == 404:
            return redirect("transparency:public", slug=found.slug)
        add_to_form(form, exc)
        return render(
            request, "transparency/public/page.html", _page_context(found, form), status=status
        )
    return render(
        request,
        "transparency/public/thanks.html",
        {"page": found, "name": _name(found), "reference": received.reference},
    )
