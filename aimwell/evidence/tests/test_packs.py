"""Evidence packs: contents, the recorded hash, and verification that names every changed, added
or removed file, also when the manifest was rewritten to match, and with no database at all."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from typer.testing import CliRunner

from aimwell.cli import app
from aimwell.core.models import AuditEvent
from aimwell.documents import services as documents
from aimwell.evidence import packfmt, services
from aimwell.evidence.services.packs import build_pack

runner = CliRunner()
CSV_DATA = b"date,auc\n2026-10-01,0.81\n"


@pytest.fixture
def pack_file(catalog, org, admin, manager, tmp_path) -> tuple[Path, str]:
    services.add_file(
        org,
        title="Validation report",
        data=CSV_DATA,
        file_name="validation.csv",
        validity_days=365,
        requirement_urns=["iso42001:2023:A.6.2.4"],
        actor=admin.user,
    )
    services.add_link(
        org,
        title="Dashboard",
        url="https://dash.example/x",
        actor=admin.user,
        requirement_urns=["iso42001:2023:9.1"],
    )
    policy = documents.create_from_template(org, "ai-policy", actor=admin.user)
    version = policy.working_version
    documents.submit_for_review(version, actor=admin.user)
    documents.approve(version, membership=manager.membership, actor=manager.user)
    documents.publish(version, actor=admin.user)
    pack = build_pack(org, scope="aims", actor=admin.user)
    path = tmp_path / "pack.zip"
    with pack.file.open("rb") as handle:
        path.write_bytes(handle.read())
    return path, pack.public_key


def _rewrite(path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(path) as source:
        members = {name: source.read(name) for name in source.namelist()}
    change(members)
    out = path.with_name("tampered.zip")
    with zipfile.ZipFile(out, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
    return out


def _csv_member(members: dict[str, bytes]) -> str:
    return next(n for n in members if n.endswith("validation.csv"))


def _verify(path: Path, key: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["evidence", "verify-pack", str(path), "--public-key", key])


def test_pack_contents_and_recorded_hash(pack_file, org):
    path, _ = pack_file
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        index = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode())))
        head = json.loads(archive.read("audit-chain-head.json"))
    assert {
        "index.html",
        "index.csv",
        "manifest.json",
        "manifest.sig",
        "audit-chain-head.json",
    } <= names
    assert any(n.startswith("documents/POL-01-v1") and n.endswith(".pdf") for n in names)
    assert any(n.endswith("validation.csv") for n in names)
    listed = {e["path"]: e["sha256"] for e in manifest["files"]}
    assert listed[_csv_member(dict.fromkeys(names, b""))] == hashlib.sha256(CSV_DATA).hexdigest()
    assert manifest["organisation"]["id"] == str(org.pk) and head["seq"] > 0
    assert {r["requirement_urn"] for r in index} >= {
        "iso42001:2023:A.6.2.4",
        "iso42001:2023:9.1",
        "iso42001:2023:5.2",
    }
    event = AuditEvent.objects.filter(action="evidence_pack.exported").get()
    assert hashlib.sha256(path.read_bytes()).hexdigest() in event.changes


def test_untouched_pack_verifies(pack_file):
    path, key = pack_file
    result = _verify(path, key)
    assert result.exit_code == 0, result.output
    assert "OK" in result.output


def test_changed_file_is_named(pack_file):
    path, key = pack_file

    def change(members: dict[str, bytes]) -> None:
        members[_csv_member(members)] = b"date,auc\n2026-10-01,0.99\n"

    result = _verify(_rewrite(path, change), key)
    assert result.exit_code == 1
    assert "CHANGED" in result.output and "validation.csv" in result.output


def test_changed_file_with_rewritten_manifest_is_still_named(pack_file):
    path, key = pack_file

    def change(members: dict[str, bytes]) -> None:
        name = _csv_member(members)
        forged = b"date,auc\n2026-10-01,0.99\n"
        members[name] = forged
        manifest = json.loads(members["manifest.json"])
        for entry in manifest["files"]:
            if entry["path"] == name:
                entry["sha256"] = hashlib.sha256(forged).hexdigest()
                entry["size"] = len(forged)
        members["manifest.json"] = packfmt.canonical(manifest)

    result = _verify(_rewrite(path, change), key)
    assert result.exit_code == 1
    assert "validation.csv" in result.output
    assert "manifest.json" in result.output  # its signature no longer matches


def test_pack_resigned_with_another_key_fails(pack_file):
    path, key = pack_file
    attacker = Ed25519PrivateKey.generate()

    def change(members: dict[str, bytes]) -> None:
        name = _csv_member(members)
        members[name] = b"forged\n"
        manifest = json.loads(members["manifest.json"])
        for entry in manifest["files"]:
            if entry["path"] == name:
                entry["sha256"] = hashlib.sha256(b"forged\n").hexdigest()
                entry["size"] = 7
        manifest["public_key"] = packfmt.public_key_text(attacker)
        body = packfmt.canonical(manifest)
        members["manifest.json"] = body
        sig = json.loads(members["manifest.sig"])
        sig["public_key"] = packfmt.public_key_text(attacker)
        sig["manifest"] = base64.b64encode(attacker.sign(body)).decode()
        sig["files"] = {
            e["path"]: base64.b64encode(
                attacker.sign(
                    packfmt._file_message(manifest["pack_id"], e["path"], e["sha256"], e["size"])
                )
            ).decode()
            for e in manifest["files"]
        }
        members["manifest.sig"] = packfmt.canonical(sig)

    result = _verify(_rewrite(path, change), key)
    assert result.exit_code == 1
    assert "validation.csv" in result.output and "not the trusted key" in result.output


def test_added_and_removed_files_are_named(pack_file):
    path, key = pack_file

    def add(members: dict[str, bytes]) -> None:
        members["evidence/extra/backdated.pdf"] = b"%PDF-1.4 forged"

    added = _verify(_rewrite(path, add), key)
    assert added.exit_code == 1 and "ADDED" in added.output and "backdated.pdf" in added.output

    def remove(members: dict[str, bytes]) -> None:
        del members[_csv_member(members)]

    removed = _verify(_rewrite(path, remove), key)
    assert removed.exit_code == 1 and "REMOVED" in removed.output
    assert "validation.csv" in removed.output


def test_verify_pack_needs_no_database(pack_file, tmp_path):
    """Run in a fresh process with no Django settings and no secrets: pure verification."""
    path, key = pack_file
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("AIMWELL_", "DJANGO", "DATABASE"))
    }
    env["AIMWELL_ENV_FILE"] = str(tmp_path / "none.env")
    command = [
        sys.executable,
        "-m",
        "aimwell",
        "evidence",
        "verify-pack",
        str(path),
        "--public-key",
        key,
    ]
    ok = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert ok.returncode == 0, ok.stderr + ok.stdout
    bad = _rewrite(path, lambda m: m.update({_csv_member(m): b"x"}))
    failed = subprocess.run(
        [*command[:5], str(bad), "--public-key", key],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert failed.returncode == 1 and "validation.csv" in failed.stderr


def test_key_derived_from_the_environment(pack_file, monkeypatch):
    path, _ = pack_file
    # No --public-key: the key is derived from the secret the server uses (same test settings).
    result = runner.invoke(app, ["evidence", "verify-pack", str(path)])
    assert result.exit_code == 0, result.output
    monkeypatch.setenv("AIMWELL_PACK_SIGNING_KEY", "another-secret-that-is-long-enough-0123456789")
    wrong = runner.invoke(app, ["evidence", "verify-pack", str(path)])
    assert wrong.exit_code == 1 and "not the trusted key" in wrong.output


def test_cli_pack_for_a_framework(pack_file, org, tmp_path):
    out = tmp_path / "iso.zip"
    result = runner.invoke(
        app,
        [
            "evidence",
            "pack",
            "--organisation",
            org.slug,
            "--framework",
            "iso42001:2023",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert packfmt.verify_pack(out, public_key=pack_file[1]).ok
    missing = runner.invoke(
        app,
        [
            "evidence",
            "pack",
            "--organisation",
            org.slug,
            "--framework",
            "nope:1",
            "--out",
            str(out),
        ],
    )
    assert missing.exit_code == 2 and "No framework" in missing.output


def test_documents_cli_lists_and_checks(pack_file, org):
    listed = runner.invoke(app, ["documents", "list", "--organisation", org.slug])
    assert listed.exit_code == 0 and "POL-01" in listed.output
    checklist = runner.invoke(app, ["documents", "checklist", "--organisation", org.slug])
    assert checklist.exit_code == 0 and "Published" in checklist.output
    unknown = runner.invoke(app, ["documents", "list", "--organisation", "nope"])
    assert unknown.exit_code == 2 and "No organisation" in unknown.output


def test_pack_page_exports_one_ai_system(catalog, org, admin):
    from django.apps import apps
    from django.urls import reverse

    from aimwell.evidence.models import EvidencePack

    model = apps.get_model("inventory", "AISystem")
    fields = {f.name for f in model._meta.get_fields()}
    system = (
        model.objects.create(organisation=org, name="Credit scoring", owner=admin.user)
        if {"organisation", "name", "owner"} <= fields
        else None
    )
    assert system is not None
    item = services.add_link(org, title="Validation", url="https://v.example", actor=admin.user)
    services.add_target_link(
        item, target_type="inventory.aisystem", target_id=system.pk, actor=admin.user
    )
    services.add_link(org, title="Unrelated", url="https://u.example", actor=admin.user)
    missing = admin.post(reverse("evidence:packs"), {"scope": "system"})
    assert missing.status_code == 200 and "Choose the AI system." in missing.content.decode()
    done = admin.post(reverse("evidence:packs"), {"scope": "system", "system": str(system.pk)})
    assert done.status_code == 302
    pack = EvidencePack.objects.get()
    assert pack.evidence_count == 1 and "Credit scoring" in pack.scope_label


def test_system_pack_searches_systems_and_refuses_another_organisations(org, other_org, admin):
    from django.urls import reverse

    from aimwell.evidence.models import EvidencePack
    from aimwell.inventory.models import AISystem

    AISystem.objects.create(organisation=org, name="Credit scoring", owner=admin.user)
    theirs = AISystem.objects.create(organisation=other_org, name="Their system")
    page = admin.client.get(reverse("evidence:packs")).content.decode()
    # The system is searched by name, not listed: no option carries a system's name.
    assert "/ai-systems/pick/" in page and "Credit scoring</option>" not in page
    refused = admin.post(reverse("evidence:packs"), {"scope": "system", "system": str(theirs.pk)})
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert not EvidencePack.objects.exists()


def test_verify_pack_messages_for_bad_input(tmp_path):
    missing = runner.invoke(app, ["evidence", "verify-pack", str(tmp_path / "none.zip")])
    assert missing.exit_code == 2 and "No such file" in missing.output
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip at all")
    result = runner.invoke(app, ["evidence", "verify-pack", str(junk), "--public-key", "x"])
    assert result.exit_code == 1 and "UNREADABLE" in result.output
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("index.html", "<p>hi</p>")
    no_manifest = runner.invoke(app, ["evidence", "verify-pack", str(empty), "--public-key", "x"])
    assert no_manifest.exit_code == 1 and "manifest.json" in no_manifest.output
    key_file = tmp_path / "key.txt"
    key_file.write_text("not base64!")
    bad_key = Path(tmp_path / "k.zip")
    bad_key.write_bytes(empty.read_bytes())
    with zipfile.ZipFile(bad_key, "a") as archive:
        archive.writestr("manifest.json", json.dumps({"pack_id": "p", "files": []}))
        archive.writestr("manifest.sig", "{}")
    wrong = runner.invoke(
        app, ["evidence", "verify-pack", str(bad_key), "--public-key", f"@{key_file}"]
    )
    assert wrong.exit_code == 2 and "public key is not valid" in wrong.output
