"""One edge layer for refusals: every domain's error is a DomainError, the API answers it with the
shared error body and its status, and a page puts it beside its field."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django import forms

import aimwell
from aimwell.core.errors import DomainError, add_to_form
from aimwell.incidents.models import Incident

API = "/api/v1"

# Errors that are not refusals of a request by the AIMS's rules: the Django-free assurance
# engine's (it may import nothing of Aimwell), and parse errors of files a command reads, which
# their commands report with the file's position.
NOT_DOMAIN = {
    "aimwell.assurance.errors",
    "aimwell.catalog.spec",
    "aimwell.inventory.classification_engine",
    "aimwell.interchange.ssp_import",
    "aimwell.interchange.services.isms",
    "aimwell.evidence.packfmt",
}


def _service_error_classes() -> list[type[Exception]]:
    """Every exception class an app's `errors` or `services` module defines."""
    found = []
    for info in pkgutil.walk_packages(aimwell.__path__, "aimwell."):
        name = info.name
        leaf = name.rsplit(".", 1)[-1]
        if ".tests" in name or ".migrations" in name or name in NOT_DOMAIN:
            continue
        if leaf not in ("errors", "services") and ".services." not in name:
            continue
        module = importlib.import_module(name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if value.__module__ == name and issubclass(value, Exception):
                found.append(value)
    return found


def test_every_service_error_is_a_domain_error():
    classes = _service_error_classes()
    names = {c.__name__ for c in classes}
    # The enumeration reaches the apps' error modules (a rename would otherwise empty it).
    assert {"RiskError", "OperationsError", "ContextError", "LifecycleError"} <= names
    strays = sorted(
        f"{c.__module__}.{c.__name__}" for c in classes if not issubclass(c, DomainError)
    )
    assert strays == []


def test_a_refusal_with_a_field_reaches_the_api_client_with_that_field(org, manager):
    before = Incident.objects.count()
    response = manager.api(
        "POST",
        f"{API}/incidents",
        {"title": "Wrong denials", "description": "Spike", "severity": "high", "is_serious": True},
    )
    assert response.status_code == 400
    body = response.json()
    assert "kind" in body["message"]
    assert body["errors"] == [{"field": "serious_kind", "message": body["message"]}]
    assert Incident.objects.count() == before  # nothing written


def test_a_refusal_keeps_the_status_its_class_or_raiser_gives():
    class Refused(DomainError):
        status = 403

    assert Refused("No authority.").status == 403
    assert DomainError("Too large.", status=413).status == 413
    assert DomainError("No.").body() == {"message": "No."}


class _Form(forms.Form):
    name = forms.CharField()


@pytest.mark.parametrize(
    ("field", "where"), [("name", "name"), ("owner", "__all__"), (None, "__all__")]
)
def test_a_refusal_shows_beside_its_field_on_a_page_form(field, where):
    form = _Form({"name": "x"})
    assert form.is_valid()
    add_to_form(form, DomainError("Pick another name.", field=field))
    assert form.errors == {where: ["Pick another name."]}
