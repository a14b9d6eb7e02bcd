"""Role-aware navigation: every role is offered only the menu entries it may open."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from aimwell.web.context import AREAS, ORGANISATION, TOP
from conftest import PEOPLE

NAV = re.compile(r'<nav class="areas"[^>]*>(.*?)</nav>', re.S)
HREF = re.compile(r'href="([^"]+)"')


def menu_entries(body: str) -> list[str]:
    match = NAV.search(body)
    assert match is not None, "no navigation on the page"
    return HREF.findall(match.group(1))


@pytest.mark.parametrize("role", list(PEOPLE))
def test_every_menu_entry_opens_for_every_role(shared_world, db, role):
    actor = shared_world["everyone"][role]
    entries = menu_entries(actor.client.get("/").content.decode())
    assert "/" in entries  # the home page is always there
    refused = {}
    for url in entries:
        status = actor.client.get(url).status_code
        if status != 200:
            refused[url] = status
    assert refused == {}, f"{role} is offered pages that answer {refused}"
    # And nothing the role may open is left out of the menu.
    hidden_but_open = [
        url
        for area in (*TOP, *AREAS, *ORGANISATION)
        if (url := reverse(area.url_name)) not in entries
        and actor.client.get(url).status_code == 200
    ]
    assert hidden_but_open == [], f"{role} could open {hidden_but_open} but is not offered them"


def test_staff_are_offered_what_staff_do(shared_world, db):
    entries = menu_entries(shared_world["everyone"]["staff"].client.get("/").content.decode())
    # Published material, training and concerns; no register they may not read.
    assert {"/context/", "/documents/", "/operations/", "/catalog/"} <= set(entries)
    assert not {"/ai-systems/", "/risks/", "/readiness/", "/members/", "/audit/"} & set(entries)
