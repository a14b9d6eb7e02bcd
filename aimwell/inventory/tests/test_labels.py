"""The EU AI Act's ids read as a person writes them."""

from aimwell.inventory.labels import act_reference, act_references, risk_class_label


def test_articles_and_annexes_read_as_written():
    assert act_reference("art-6") == "Article 6"
    assert act_reference("art-6-2") == "Article 6(2)"
    assert act_reference("art-50-4-b") == "Article 50(4)(b)"
    assert act_reference("annex-iii") == "Annex III"
    assert act_reference("annex-iii-4-a") == "Annex III, point 4(a)"
    assert act_reference("eu-ai-act:2024:art-26") == "Article 26"
    assert act_reference("iso42001:2023:A.2.2") == "iso42001:2023:A.2.2"
    assert act_references(["art-6-2", "annex-iii-5"]) == "Article 6(2), Annex III, point 5"


def test_risk_classes_have_labels():
    assert risk_class_label("high_risk") == "High risk"
    assert risk_class_label("something_new") == "Something new"
