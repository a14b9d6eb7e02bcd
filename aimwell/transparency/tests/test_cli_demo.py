"""`aimwell transparency card|publish`, and the demo's public page."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from pypdf import PdfReader
from typer.testing import CliRunner

from aimwell.cli import app
from aimwell.transparency.models import CardVersion
from aimwell.transparency.tests.factories import credit_system


@pytest.mark.django_db
def test_cli_writes_the_card_and_publishes_once(org, tmp_path):
    credit_system(org, run=False)
    runner = CliRunner()
    base = ["transparency", "card", "Consumer credit scoring", "--organisation", org.slug]
    md = runner.invoke(app, base)
    assert md.exit_code == 0, md.output
    assert "# AI system card: Consumer credit scoring" in md.output
    out = tmp_path / "card.json"
    assert runner.invoke(app, [*base, "--format", "json", "--out", str(out)]).exit_code == 0
    assert json.loads(out.read_text())["card"]["eu_ai_act"]["risk_class"] == "high_risk"
    pdf = tmp_path / "card.pdf"
    assert runner.invoke(app, [*base, "--format", "pdf", "--out", str(pdf)]).exit_code == 0
    assert (
        "Consumer credit scoring" in PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text()
    )

    publish = ["transparency", "publish", "Consumer credit scoring", "--organisation", org.slug]
    first = runner.invoke(app, publish)
    assert first.exit_code == 0 and "Published version 1" in first.output
    assert "Unchanged since version 1" in runner.invoke(app, publish).output
    v1 = runner.invoke(app, [*base, "--version", "1"])
    assert v1.output.strip() == CardVersion.objects.get().markdown.strip()
    assert runner.invoke(app, [*base, "--version", "7"]).exit_code == 2
    assert runner.invoke(app, [*base, "--format", "docx"]).exit_code == 2
    assert (
        runner.invoke(
            app, ["transparency", "publish", "Nope", "--organisation", org.slug]
        ).exit_code
        == 2
    )


def test_demo_publishes_the_credit_card_and_opens_the_public_page(demo_org):
    from aimwell.demo import load_demo
    from aimwell.incidents.models import Concern

    org = demo_org
    counts = (CardVersion.objects.count(), Concern.objects.filter(organisation=org).count())
    load_demo()
    assert (CardVersion.objects.count(), Concern.objects.filter(organisation=org).count()) == counts
    page = Client().get(f"/public/{org.slug}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Consumer credit scoring" in body and "Fraud" not in body
    card = Client().get(f"/public/{org.slug}/systems/consumer-credit-scoring/")
    assert card.status_code == 200 and "short credit history" in card.content.decode()
    assert Concern.objects.filter(organisation=org, source="external").count() == 1
