"""The register's search finds a risk by any part of its title, description or reference, ignoring
case, read through the database's trigram index (FTS5 on SQLite, pg_trgm on PostgreSQL), and
only ever among the organisation's own risks. Runs on both backends."""

from __future__ import annotations

from typing import Any

import pytest

from aimwell.risks.models import Risk
from aimwell.risks.querysets import RiskFilters, filter_risks
from aimwell.risks.services import register
from aimwell.risks.tests import factories

pytestmark = pytest.mark.django_db


def _risk(org: Any, title: str, description: str = "", number: int | None = None) -> Risk:
    risk = factories.risk(org, title=title, description=description)
    if number is not None:
        # Arranged straight in the table: the references of a register past R-999 without
        # creating a thousand risks (the index follows the row through its trigger).
        Risk.objects.filter(pk=risk.pk).update(reference=f"R-{number}", sequence=number)
    return risk


def _found(org: Any, text: str) -> set[str]:
    return set(filter_risks(org, RiskFilters(q=text)).values_list("title", flat=True))


@pytest.fixture
def register_of_five(org: Any) -> Any:
    _risk(org, "Biased refusals", "Postcode acts as a proxy for ethnicity", number=2)
    _risk(org, "Model drift in winter", "Seasonal shift of the inputs", number=10)
    _risk(org, "Prompt injection", "A user's text overrides the system prompt", number=100)
    _risk(org, "Data leakage", "Training data holds personal data", number=1000)
    _risk(org, "Opaque decisions", "No explanation given to applicants", number=11)
    return org


def test_a_whole_word_of_the_title_finds_its_risk(register_of_five):
    assert _found(register_of_five, "injection") == {"Prompt injection"}


def test_the_start_of_a_word_and_any_case_find_it(register_of_five):
    assert _found(register_of_five, "BIAS") == {"Biased refusals"}
    assert _found(register_of_five, "leak") == {"Data leakage"}


def test_text_inside_a_word_still_finds_it_as_before(register_of_five):
    # The search has always meant "contains": an index must not narrow that to whole words.
    assert _found(register_of_five, "efusal") == {"Biased refusals"}
    assert _found(register_of_five, "drift in win") == {"Model drift in winter"}


def test_the_description_is_searched_too(register_of_five):
    assert _found(register_of_five, "postcode") == {"Biased refusals"}
    assert _found(register_of_five, "personal data") == {"Data leakage"}


def test_a_reference_finds_every_risk_whose_reference_starts_with_it(register_of_five):
    # R-10 is the start of and R-1000; are not.
    assert _found(register_of_five, "R-10") == {
        "Model drift in winter",
        "Prompt injection",
        "Data leakage",
    }
    assert _found(register_of_five, "r-100") == {"Prompt injection", "Data leakage"}
    assert _found(register_of_five, "R-11") == {"Opaque decisions"}


def test_one_or_two_characters_search_without_the_index(register_of_five):
    # Too short for a trigram: the plain comparison, same meaning.
    assert _found(register_of_five, "ex") == {"Prompt injection", "Opaque decisions"}
    assert _found(register_of_five, "z") == set()


def test_quotes_and_search_syntax_are_plain_text(register_of_five, org):
    _risk(org, 'The "NEAR" operator', "AND OR NOT * ^")
    assert _found(org, '"NEAR"') == {'The "NEAR" operator'}
    assert _found(org, "OR NOT *") == {'The "NEAR" operator'}
    assert _found(org, "refusals OR injection") == set()


def test_an_edited_risk_is_found_by_its_new_words_only(register_of_five, org):
    risk = Risk.objects.get(organisation=org, title="Opaque decisions")
    register.update_risk(risk, actor="test", title="Unexplained outcomes")
    assert _found(org, "opaque") == set()
    assert _found(org, "unexplained") == {"Unexplained outcomes"}


def test_a_deleted_risk_is_no_longer_found(register_of_five, org):
    Risk.objects.filter(organisation=org, title="Data leakage").delete()
    assert _found(org, "leakage") == set()
    assert _found(org, "R-10") == {"Model drift in winter", "Prompt injection"}


def test_another_organisations_risks_never_match(register_of_five, org, other_org):
    _risk(other_org, "Injection of the rival's prompt", "Biased refusals", number=10)
    assert _found(org, "injection") == {"Prompt injection"}
    assert _found(org, "R-10") == {"Model drift in winter", "Prompt injection", "Data leakage"}
    assert _found(other_org, "injection") == {"Injection of the rival's prompt"}
    assert _found(other_org, "leakage") == set()


def test_an_outsider_searching_the_api_sees_only_their_own_risks(register_of_five, outsider):
    _risk(outsider.membership.organisation, "Rival injection", number=5)
    answer = outsider.api("GET", "/api/v1/risks?q=injection").json()
    assert [row["title"] for row in answer["items"]] == ["Rival injection"]
    assert outsider.api("GET", "/api/v1/risks?q=R-10").json()["count"] == 0


def test_the_api_and_the_register_page_search_the_same_way(register_of_five, manager):
    answer = manager.api("GET", "/api/v1/risks?q=R-10").json()
    assert [row["reference"] for row in answer["items"]] == ["R-10", "R-100", "R-1000"]
    page = manager.client.get("/risks/", {"q": "efusal"}).content.decode()
    assert "Biased refusals" in page and "Prompt injection" not in page


def test_a_search_used_inside_another_query_keeps_its_meaning(register_of_five, org):
    # Inside a subquery the table is renamed; the search must follow it.
    matching = filter_risks(org, RiskFilters(q="R-10")).values("pk")
    titles = Risk.objects.filter(pk__in=matching).values_list("title", flat=True)
    assert set(titles) == {"Model drift in winter", "Prompt injection", "Data leakage"}
