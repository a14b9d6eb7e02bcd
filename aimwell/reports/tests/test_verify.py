"""Verifying a pack with the organisation's public key only, as an auditor does on their own
machine (no database, no server secret): what the checksums prove, what only the signature
proves, and a key that cannot be used."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from typer.testing import CliRunner

from aimwell.cli import app
from aimwell.evidence import packfmt
from aimwell.reports import packfile

ORGANISATION = {"id": "0b7f4f7e-3c0e-4a4e-9b7e-2f1d3c4b5a69", "name": "Org"}
FILES = {"pack.pdf": b"%PDF-1.7 pack", "pack.xlsx": b"PK workbook", "evidence-index.csv": b"a,b\n"}


def _pack(path: Path, key: Ed25519PrivateKey, files: dict[str, bytes] = FILES) -> Path:
    data, _ = packfile.write_pack(
        files, pack_id="p1", metadata={"organisation": ORGANISATION}, key=key
    )
    path.write_bytes(data)
    return path


def test_the_organisations_public_key_alone_checks_the_signature(tmp_path):
    key = Ed25519PrivateKey.generate()
    pack = _pack(tmp_path / "pack.zip", key)
    public = packfmt.public_key_text(key)

    result = packfile.verify(pack, public_key=public, environ={})
    assert result.ok, result.problems
    assert result.signature == f"valid (Ed25519 key {packfmt.fingerprint(public)})"


def test_a_pack_rebuilt_with_another_key_passes_checksums_but_not_the_signature(tmp_path):
    """Someone who changes the PDF and rebuilds the whole pack (manifest, checksums, signatures)
    with a key of their own: the checksums agree with the forged manifest, so only the
    organisation's public key catches it. This is why an auditor must pass --public-key."""
    key, forger = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    forged = _pack(tmp_path / "forged.zip", forger, {**FILES, "pack.pdf": b"%PDF-1.7 forged"})

    unkeyed = packfile.verify(forged, environ={})
    assert unkeyed.ok and unkeyed.signature.startswith("not checked")

    keyed = packfile.verify(forged, public_key=packfmt.public_key_text(key), environ={})
    assert not keyed.ok and keyed.signature.startswith("INVALID")
    assert ("manifest.sig", "signature") in {(p.path, p.kind) for p in keyed.problems}
    assert "pack.pdf" in {p.path for p in keyed.problems}

    runner = CliRunner()
    refused = runner.invoke(
        app, ["reports", "verify", str(forged), "--public-key", packfmt.public_key_text(key)]
    )
    assert refused.exit_code == 1 and "FAILED verification" in refused.output


def test_an_unusable_public_key_fails_closed(tmp_path):
    pack = _pack(tmp_path / "pack.zip", Ed25519PrivateKey.generate())

    result = packfile.verify(pack, public_key="not-a-key", environ={})
    assert not result.ok and result.signature.startswith("not checked")
    assert [(p.path, p.kind) for p in result.problems] == [("manifest.sig", "signature")]

    cli = CliRunner().invoke(app, ["reports", "verify", str(pack), "--public-key", "not-a-key"])
    assert cli.exit_code == 2
    assert "The public key is not valid" in cli.output and "Nothing was checked" in cli.output
    assert "OK" not in cli.output and "Traceback" not in cli.output


def test_the_public_key_can_come_from_a_file_as_with_evidence_packs(tmp_path):
    key = Ed25519PrivateKey.generate()
    pack = _pack(tmp_path / "pack.zip", key)
    key_file = tmp_path / "org.pub"
    key_file.write_text(packfmt.public_key_text(key) + "\n", encoding="utf-8")
    runner = CliRunner()

    checked = runner.invoke(app, ["reports", "verify", str(pack), "--public-key", f"@{key_file}"])
    assert checked.exit_code == 0, checked.output
    assert packfmt.fingerprint(packfmt.public_key_text(key)) in checked.output

    missing = runner.invoke(
        app, ["reports", "verify", str(pack), "--public-key", f"@{tmp_path / 'nope.pub'}"]
    )
    assert missing.exit_code == 2 and "Cannot read the public key file" in missing.output
    assert "Traceback" not in missing.output
