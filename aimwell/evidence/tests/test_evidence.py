"""Evidence: uploads refused with clear messages, hashes, staleness, links, requests."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from aimwell.evidence import services
from aimwell.evidence.models import EvidenceItem
from aimwell.evidence.querysets import evidence_for, freshness_summary
from aimwell.evidence.uploads import UploadRefused, check_upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_accepts_matching_files():
    assert check_upload(PDF, "report.pdf", declared_type="application/pdf", max_bytes=10**6).sha256
    assert check_upload(b"a,b\n1,2\n", "data.csv", declared_type="text/csv", max_bytes=10**6)
    assert check_upload(
        _zip({"a.txt": b"x" * 100}), "bundle.zip", declared_type=None, max_bytes=10**6
    )


def test_oversize_file_is_refused():
    with pytest.raises(UploadRefused, match="the limit is 1 MB"):
        check_upload(
            b"x" * (1024 * 1024 + 1), "big.txt", declared_type="text/plain", max_bytes=1024 * 1024
        )


def test_content_that_does_not_match_its_type_is_refused():
    with pytest.raises(UploadRefused, match="does not contain what its type says"):
        check_upload(PNG, "report.pdf", declared_type="application/pdf", max_bytes=10**6)
    with pytest.raises(UploadRefused, match="does not contain what its type says"):
        check_upload(PDF, "notes.txt", declared_type="text/plain", max_bytes=10**6)
    with pytest.raises(UploadRefused, match="was sent as image/png"):
        check_upload(PDF, "report.pdf", declared_type="image/png", max_bytes=10**6)
    with pytest.raises(UploadRefused, match="not accepted"):
        check_upload(b"MZ\x90\x00", "tool.exe", declared_type=None, max_bytes=10**6)


def test_zip_bomb_is_refused():
    bomb = _zip({"zeros.bin": b"\0" * (50 * 1024 * 1024)})  # 50 MB of zeros in ~50 KB
    assert len(bomb) < 200 * 1024
    with pytest.raises(UploadRefused, match="zip bomb"):
        check_upload(bomb, "logs.zip", declared_type="application/zip", max_bytes=10**6)
    nested = _zip({"inner.zip": _zip({"deeper.zip": _zip({"a.txt": b"a"})})})
    with pytest.raises(UploadRefused, match="nests archives"):
        check_upload(nested, "nested.zip", declared_type=None, max_bytes=10**6)


def test_upload_page_shows_the_refusal(org, manager):
    bomb = _zip({"zeros.bin": b"\0" * (30 * 1024 * 1024)})
    response = manager.post(
        reverse("evidence:add"),
        {
            "kind": "file",
            "file": SimpleUploadedFile("logs.zip", bomb, "application/zip"),
            "effective_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "zip bomb" in response.content.decode()
    assert not EvidenceItem.objects.exists()


def test_api_upload_refusals_are_clear(org, manager, settings, monkeypatch):
    monkeypatch.setenv("AIMWELL_EVIDENCE_MAX_UPLOAD_MB", "1")
    big = manager.post(
        "/api/v1/evidence", {"file": SimpleUploadedFile("big.csv", b"a" * (2 * 1024 * 1024))}
    )
    assert big.status_code == 413 and "limit is 1 MB" in big.json()["message"]
    fake = manager.post(
        "/api/v1/evidence", {"file": SimpleUploadedFile("scan.pdf", PNG, "application/pdf")}
    )
    assert fake.status_code == 400 and "scan.pdf does not contain" in fake.json()["message"]


def test_upload_stores_hash_and_file(catalog, org, manager):
    data = b"date,completed\n2026-01-10,42\n"
    response = manager.post(
        "/api/v1/evidence",
        {
            "file": SimpleUploadedFile("training.csv", data, "text/csv"),
            "title": "Training completions",
            "validity_days": "90",
            "requirements": "iso42001:2023:7.2",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["requirements"] == ["iso42001:2023:7.2"] and body["freshness"] == "current"
    item = EvidenceItem.objects.get(pk=body["id"])
    with item.file.open("rb") as handle:
        assert handle.read() == data
    download = manager.client.get(reverse("evidence:download", args=[item.pk]))
    assert b"".join(download.streaming_content) == data


def test_evidence_past_its_validity_is_stale(catalog, org, manager):
    old = services.add_link(
        org,
        title="Last year's bias audit",
        url="https://wiki.example/bias-2025",
        effective_date=timezone.localdate() - dt.timedelta(days=400),
        validity_days=365,
        requirement_urns=["iso42001:2023:9.1"],
        actor=manager.user,
    )
    fresh = services.add_link(
        org,
        title="This month's drift report",
        url="https://wiki.example/drift",
        validity_days=30,
        actor=manager.user,
    )
    assert old.is_stale and old.freshness == "stale"
    assert not fresh.is_stale and fresh.freshness == "expiring"
    stale = list(evidence_for(manager.user, org, freshness="stale"))
    assert stale == [old]
    summary = freshness_summary(org)
    assert summary["stale"] == 1 and summary["stale_requirements"] == 1
    page = manager.client.get(reverse("evidence:home")).content.decode()
    assert "stale since" in page
    api = manager.api("GET", "/api/v1/evidence?freshness=stale").json()
    assert [e["title"] for e in api] == ["Last year's bias audit"] and api[0]["is_stale"]


def test_integrity_check_detects_a_changed_file(org, manager):
    item = services.add_file(org, title="Log", data=b"a\n", file_name="log.txt", actor=manager.user)
    assert services.verify_integrity(item, actor=manager.user)
    with item.file.storage.open(item.file.name, "wb") as handle:
        handle.write(b"tampered\n")
    assert not services.verify_integrity(item, actor=manager.user)
    item.refresh_from_db()
    assert item.last_verified_ok is False


def test_links_are_validated_through_the_registry(org, other_org, manager):
    from aimwell.documents import services as documents

    item = services.add_link(org, title="Ticket", url="https://t.example/1", actor=manager.user)
    doc = documents.create_document(org, title="Log policy", doc_type="policy", actor=manager.user)
    link = services.add_target_link(
        item, target_type="documents.document", target_id=doc.pk, actor=manager.user
    )
    assert link.target_label == str(doc)
    with pytest.raises(services.EvidenceError, match="cannot link to"):
        services.add_target_link(
            item, target_type="auth.user", target_id=doc.pk, actor=manager.user
        )
    foreign = documents.create_document(other_org, title="Theirs", doc_type="policy", actor="test")
    with pytest.raises(services.EvidenceError, match="No document"):
        services.add_target_link(
            item, target_type="documents.document", target_id=foreign.pk, actor=manager.user
        )


def test_evidence_request_lifecycle(catalog, org, manager, contributor, internal_auditor):
    created = internal_auditor.api(
        "POST",
        "/api/v1/evidence/requests",
        {
            "title": "Drift report for Q3",
            "requested_from_email": contributor.user.email,
            "due_date": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
            "requirement": "iso42001:2023:9.1",
        },
    )
    assert created.status_code == 201, created.content
    item = services.add_link(
        org, title="Q3 drift", url="https://d.example/q3", actor=contributor.user
    )
    done = contributor.api(
        "POST",
        f"/api/v1/evidence/requests/{created.json()['id']}/fulfil",
        {"evidence_id": str(item.pk)},
    )
    assert done.status_code == 200 and done.json()["status"] == "fulfilled"
    assert item.requirements.filter(urn="iso42001:2023:9.1").exists()
    staff_ask = manager.api(
        "POST",
        "/api/v1/evidence/requests",
        {"title": "x", "requested_from_email": "nobody@x.example", "due_date": "2030-01-01"},
    )
    assert staff_ask.status_code == 400


@pytest.mark.parametrize("url", ["/api/v1/evidence", "/api/v1/evidence/requests"])
def test_api_lists_do_not_grow_queries_with_rows(catalog, org, manager, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert manager.api("GET", url).status_code == 200
        return len(ctx.captured_queries)

    def add(i: int) -> None:
        item = services.add_link(
            org,
            title=f"E{i}",
            url=f"https://e.example/{i}",
            requirement_urns=["iso42001:2023:9.1"],
            actor=manager.user,
        )
        services.request_evidence(
            org,
            title=f"R{i}",
            requested_from=manager.user,
            due_date=timezone.localdate() + dt.timedelta(days=3),
            actor=manager.user,
        )
        return item

    add(0)
    manager.csrf()
    few = count()
    for i in range(1, 12):
        add(i)
    assert count() == few


@pytest.mark.parametrize("url_name", ["evidence:home", "evidence:requests", "evidence:packs"])
def test_pages_do_not_grow_queries_with_rows(catalog, org, manager, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert manager.client.get(reverse(url_name)).status_code == 200
        return len(ctx.captured_queries)

    for i in range(2):
        services.add_link(org, title=f"E{i}", url="https://e.example", actor=manager.user)
        services.request_evidence(
            org,
            title=f"R{i}",
            requested_from=manager.user,
            due_date=timezone.localdate() + dt.timedelta(days=3),
            actor=manager.user,
        )
    count()
    few = count()
    for i in range(2, 12):
        services.add_link(
            org,
            title=f"E{i}",
            url="https://e.example",
            requirement_urns=["iso42001:2023:9.1"],
            actor=manager.user,
        )
        services.request_evidence(
            org,
            title=f"R{i}",
            requested_from=manager.user,
            due_date=timezone.localdate() + dt.timedelta(days=3),
            actor=manager.user,
        )
    assert count() == few


def test_upload_through_the_page(catalog, org, contributor):
    data = b"%PDF-1.4\nminutes\n%%EOF\n"
    response = contributor.post(
        reverse("evidence:add"),
        {
            "kind": "file",
            "title": "Management review minutes",
            "file": SimpleUploadedFile("minutes.pdf", data, "application/pdf"),
            "effective_date": timezone.localdate().isoformat(),
            "validity_days": "365",
            "requirements": "iso42001:2023:9.3.3",
        },
    )
    assert response.status_code == 302
    item = EvidenceItem.objects.get(title="Management review minutes")
    assert item.owner == contributor.user and item.sha256 == hashlib.sha256(data).hexdigest()
    page = contributor.client.get(reverse("evidence:detail", args=[item.pk])).content.decode()
    assert item.sha256 in page and "iso42001:2023:9.3.3" in page
    # The owner may edit their evidence; another contributor's would be refused.
    assert contributor.client.get(reverse("evidence:edit", args=[item.pk])).status_code == 200
