"""The reports page, its button and the API, for the people who may build packs and those who may
not; the CLI's bad input; and the fixed number of queries of gathering a pack.

Packs are built for a near-empty organisation here (a real build, about a second each);
test_pack.py builds the demo organisation's."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from typer.testing import CliRunner

from aimwell.certification import services as certification
from aimwell.certification import workspace
from aimwell.certification.choices import Area
from aimwell.cli import app
from aimwell.core.models import AuditEvent
from aimwell.evidence.services.packs import pack_public_key
from aimwell.reports import packfile
from aimwell.reports.data import gather
from aimwell.reports.models import CertificationPack
from aimwell.reports.tests.sample_rows import add_rows

pytestmark = pytest.mark.django_db

API = "/api/v1/reports/certification-packs"
MEMBERS = {"pack.pdf", "pack.xlsx", "evidence-index.csv", "manifest.json", "manifest.sig"}


def _zip_bytes(response) -> bytes:
    return b"".join(response.streaming_content)


def _checked(data: bytes, tmp_path: Path, public_key: str | None = None) -> packfile.Verification:
    """Verified as an auditor would, with the public key only (no server secret)."""
    path = tmp_path / "downloaded.zip"
    path.write_bytes(data)
    return packfile.verify(path, public_key=public_key, environ={})


def _engage(manager, external_auditor, areas) -> None:
    """The AIMS manager engages the external auditor on a stage-1 audit of these areas (guests
    see only what a current engagement covers)."""
    project = certification.get_or_create_project(manager.membership.organisation, actor="test")
    today = timezone.localdate()
    audit = certification.plan_audit(
        project,
        actor=manager.user,
        kind="stage_1",
        planned_start=today,
        planned_end=today + dt.timedelta(days=1),
        areas=areas,
    )
    workspace.grant_engagement(
        audit,
        actor=manager.user,
        membership=external_auditor.membership,
        ends_at=timezone.now() + dt.timedelta(days=5),
    )


def _rewrite(source: Path, target: Path, change: dict[str, bytes]) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, change.get(info.filename, old.read(info.filename)))


# The page and its button ------------------------------------------------------------------------


def test_manager_builds_a_pack_with_the_button_and_downloads_it(
    catalog, org, manager, internal_auditor, external_auditor, tmp_path
):
    _engage(manager, external_auditor, [a.value for a in Area])  # every area: a pack spans them
    page = manager.client.get(reverse("reports:home"))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="build-pack"' in body and "No pack built yet." in body
    public_key = pack_public_key(org)  # shown for the auditor, who needs nothing else
    assert f'<code data-testid="public-key">{public_key}</code>' in body

    built = manager.post(reverse("reports:build"))
    pack = CertificationPack.objects.get(organisation=org)
    assert built.status_code == 302
    assert built["Location"] == reverse("reports:home") + f"?built={pack.pk}"
    assert pack.created_by == manager.user and pack.size > 0

    after = manager.client.get(built["Location"])
    shown = after.content.decode()
    assert 'data-testid="latest-pack"' in shown and pack.sha256 in shown
    download_url = reverse("reports:download", args=[pack.pk])
    assert download_url in shown

    response = manager.client.get(download_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert pack.file_name in response["Content-Disposition"]
    data = _zip_bytes(response)
    assert packfile.sha256(data) == pack.sha256
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert set(archive.namelist()) == MEMBERS
        assert archive.read("pack.pdf").startswith(b"%PDF")
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["organisation"] == {"id": str(org.pk), "name": org.name}
    checked = _checked(data, tmp_path, public_key=public_key)
    assert checked.ok, checked.problems
    assert checked.signature.startswith("valid")

    event = AuditEvent.objects.get(organisation_id=org.pk, action="certification_pack.built")
    assert event.actor_id == manager.user.pk and pack.sha256 in json.dumps(event.changes)

    # Auditors read the page, see the pack and download the same bytes.
    for reader in (internal_auditor, external_auditor):
        listed = reader.client.get(reverse("reports:home"))
        assert listed.status_code == 200 and pack.sha256 in listed.content.decode()
        copy = reader.client.get(download_url)
        assert copy.status_code == 200 and _zip_bytes(copy) == data


def test_api_builds_lists_and_downloads_a_pack(catalog, org, manager, tmp_path):
    created = manager.api("POST", API)
    assert created.status_code == 201, created.content
    out = created.json()
    pack = CertificationPack.objects.get(organisation=org)
    assert out["id"] == str(pack.pk) and out["sha256"] == pack.sha256
    assert out["download_url"] == f"{API}/{pack.pk}/download"
    assert out["built_by"] == manager.user.display_name

    listed = manager.api("GET", API)
    assert listed.status_code == 200 and [p["id"] for p in listed.json()] == [str(pack.pk)]

    response = manager.api("GET", out["download_url"])
    assert response.status_code == 200
    data = _zip_bytes(response)
    assert packfile.sha256(data) == out["sha256"]
    assert _checked(data, tmp_path).ok


# Refusals ---------------------------------------------------------------------------------------


def test_staff_and_contributors_may_not_build_or_read_packs(
    catalog, org, manager, staff, contributor
):
    manager.post(reverse("reports:build"))
    pack = CertificationPack.objects.get(organisation=org)
    for actor in (staff, contributor):
        assert actor.client.get(reverse("reports:home")).status_code == 403
        assert actor.post(reverse("reports:build")).status_code == 403
        assert actor.api("POST", API).status_code == 403
        assert actor.api("GET", API).status_code == 403
        assert actor.client.get(reverse("reports:download", args=[pack.pk])).status_code == 403
        assert actor.api("GET", f"{API}/{pack.pk}/download").status_code == 403
    assert CertificationPack.objects.filter(organisation=org).count() == 1
    assert AuditEvent.objects.filter(action="certification_pack.built").count() == 1


def test_an_external_auditor_needs_an_engagement_covering_every_area(
    catalog, org, manager, external_auditor
):
    manager.post(reverse("reports:build"))
    pack = CertificationPack.objects.get(organisation=org)
    download = reverse("reports:download", args=[pack.pk])

    def refused() -> bool:
        page = external_auditor.client.get(reverse("reports:home"))
        web = external_auditor.client.get(download)
        api = external_auditor.api("GET", f"{API}/{pack.pk}/download")
        build = external_auditor.api("POST", API)
        codes = {page.status_code, web.status_code, api.status_code, build.status_code}
        assert pack.sha256 not in page.content.decode()
        return codes == {403}

    assert refused()  # not engaged yet
    _engage(manager, external_auditor, [Area.RISKS.value])
    assert refused()  # a pack spans every area, so a risks-only engagement does not open it
    _engage(manager, external_auditor, [a.value for a in Area])
    assert external_auditor.client.get(download).status_code == 200
    assert CertificationPack.objects.filter(organisation=org).count() == 1


def test_outsider_sees_nothing_of_the_organisation(catalog, org, other_org, manager, outsider):
    manager.post(reverse("reports:build"))
    pack = CertificationPack.objects.get(organisation=org)

    # Another organisation's pack is not found, on the page and in the API.
    assert outsider.client.get(reverse("reports:download", args=[pack.pk])).status_code == 404
    assert outsider.api("GET", f"{API}/{pack.pk}/download").status_code == 404
    # Their own page and list show nothing of it.
    page = outsider.client.get(reverse("reports:home")).content.decode()
    assert pack.sha256 not in page and org.name not in page and manager.user.email not in page
    assert outsider.api("GET", API).json() == []

    # Their button builds a pack of their own organisation, with nothing of `org` in it.
    assert outsider.post(reverse("reports:build")).status_code == 302
    theirs = CertificationPack.objects.get(organisation=other_org)
    with theirs.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        pdf = archive.read("pack.pdf")
    assert manifest["organisation"]["id"] == str(other_org.pk)
    assert CertificationPack.objects.filter(organisation=org).count() == 1
    assert org.name.encode() not in pdf


def test_a_signed_out_visitor_is_sent_to_sign_in(client, org):
    page = client.get(reverse("reports:home"))
    assert page.status_code == 302 and page["Location"].startswith("/signin/")
    assert client.post(reverse("reports:build")).status_code in (302, 403)
    assert client.post(API).status_code in (401, 403)
    assert not CertificationPack.objects.exists()


# The CLI's bad input ----------------------------------------------------------------------------


def test_cli_pack_of_an_unknown_organisation_is_a_clear_error(db, tmp_path):
    out = tmp_path / "pack.zip"
    result = CliRunner().invoke(app, ["reports", "pack", "--org", "no-such-org", "--out", str(out)])
    assert result.exit_code == 2
    assert "No organisation with the slug 'no-such-org'" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an exception
    assert not out.exists() and not CertificationPack.objects.exists()


def test_cli_verify_names_the_tampered_file(catalog, org, tmp_path):
    runner = CliRunner()
    out = tmp_path / "pack.zip"
    made = runner.invoke(app, ["reports", "pack", "--organisation", org.slug, "--out", str(out)])
    assert made.exit_code == 0, made.output
    assert runner.invoke(app, ["reports", "verify", str(out)]).exit_code == 0

    # One cell of the workbook changed: the xlsx's checksum fails, nothing else.
    with zipfile.ZipFile(out) as archive:
        xlsx = bytearray(archive.read("pack.xlsx"))
    xlsx[len(xlsx) // 3] ^= 0xFF
    tampered = tmp_path / "tampered.zip"
    _rewrite(out, tampered, {"pack.xlsx": bytes(xlsx)})
    result = runner.invoke(app, ["reports", "verify", str(tampered)])
    assert result.exit_code == 1
    assert "MISMATCH pack.xlsx" in result.output and "CHANGED pack.xlsx" in result.output
    assert "MISMATCH pack.pdf" not in result.output
    assert "MISMATCH evidence-index.csv" not in result.output
    assert "FAILED verification" in result.output and "Traceback" not in result.output


def test_cli_verify_of_a_missing_or_broken_file_is_a_clear_error(tmp_path):
    runner = CliRunner()
    missing = runner.invoke(app, ["reports", "verify", str(tmp_path / "nope.zip")])
    assert missing.exit_code == 2 and "No such file" in missing.output
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    result = runner.invoke(app, ["reports", "verify", str(broken)])
    assert result.exit_code == 1
    assert "UNREADABLE" in result.output and "Traceback" not in result.output


# Queries ----------------------------------------------------------------------------------------


def test_gathering_the_pack_takes_the_same_queries_with_more_rows(
    catalog, org, admin, manager, contributor, internal_auditor
):
    members = [admin.membership, manager.membership, contributor.membership]
    grow = {
        "owner": contributor.user,
        "auditor": internal_auditor.user,
        "chair": manager.user,
        "members": members,
    }

    def count() -> tuple[int, dict[str, int]]:
        with CaptureQueriesContext(connection) as queries:
            data = gather(org)
        rows = {t.title: len(t.rows) for s in data.sections for t in s.tables}
        rows["Evidence index"] = data.evidence_count
        return len(queries.captured_queries), rows

    add_rows(org, count=2, **grow)
    few, few_rows = count()
    add_rows(org, count=8, **grow)
    many, many_rows = count()

    # The rows did grow, in every table the builder feeds ...
    for table in (
        "AI systems",
        "Risk register",
        "Treatment plan",
        "Impact assessments",
        "AIMS roles",
        "Oversight bodies",
        "AI objectives",
        "Training by course",
        "Audit programmes",
        "Audits",
        "Findings",
        "Management reviews",
        "Nonconformities",
        "Corrective and review actions",
        "Evidence index",
    ):
        assert many_rows[table] > few_rows[table] >= 2, table
    # ... and the queries did not.
    assert many == few, (few, many)
