"""The searchable pickers: records and requirements are found by name, never typed as ids."""

from __future__ import annotations

from aimwell.evidence.forms import EvidenceForm, LinkForm
from aimwell.inventory import services as inventory
from aimwell.inventory.models import AISystem


def test_link_picker_finds_the_organisations_records_by_name(admin, outsider, org, other_org):
    mine = inventory.create(AISystem, org, actor="t", name="Credit scoring", purpose="p")
    inventory.create(AISystem, org, actor="t", name="Chatbot", purpose="p")
    inventory.create(AISystem, other_org, actor="t", name="Credit elsewhere", purpose="p")

    page = admin.client.get("/evidence/pick-target/?target_type=inventory.aisystem&q=credit")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-value="{mine.pk}"' in html and "Credit scoring" in html
    assert "Chatbot" not in html and "Credit elsewhere" not in html

    theirs = outsider.client.get("/evidence/pick-target/?target_type=inventory.aisystem&q=credit")
    assert "Credit scoring" not in theirs.content.decode()
    unknown = admin.client.get("/evidence/pick-target/?target_type=nothing&q=credit")
    assert "Nothing matches" in unknown.content.decode()


def test_requirement_picker_answers_with_titles_and_keeps_the_id_hidden(admin, catalog):
    page = admin.client.get("/catalog/pick/?q=impact assessment")
    html = page.content.decode()
    assert 'data-value="iso42001:2023:' in html and "impact assessment" in html.lower()
    assert "Type a few letters" in admin.client.get("/catalog/pick/").content.decode()


def test_no_form_field_that_links_records_is_a_plain_id_box():
    for form, name in ((LinkForm(), "target_id"), (EvidenceForm(), "requirements")):
        html = str(form[name])
        assert 'class="picker-search"' in html and "hx-get=" in html, name


def test_system_page_links_models_through_a_picker_not_a_select_of_every_model(admin, org):
    from aimwell.inventory.models import Dataset

    system = inventory.create(AISystem, org, actor="t", name="Scoring", purpose="p")
    inventory.create(Dataset, org, actor="t", name="Loan book 2024")
    inventory.create(Dataset, org, actor="t", name="Call transcripts")

    page = admin.client.get(f"/ai-systems/{system.pk}/").content.decode()
    assert "Link a dataset" in page and "Loan book 2024" not in page  # no option per dataset
    found = admin.client.get(f"/ai-systems/{system.pk}/pick/datasets/?q=loan").content.decode()
    assert "Loan book 2024" in found and "Call transcripts" not in found
