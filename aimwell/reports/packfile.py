"""The certification pack file and its verification, in pure Python (no Django, no database), so
an auditor can check a pack on any machine with `aimwell reports verify PACK.zip`.

The pack is a zip: `pack.pdf`, `pack.xlsx`, `evidence-index.csv`, `manifest.json` (each file with
its SHA-256 and size, the organisation and when it was built) and `manifest.sig`. It is written
with the evidence pack's writer (`aimwell.evidence.packfmt`), so the manifest and every file are
also signed with the organisation's Ed25519 key. Verification first recomputes every checksum
(no key needed), then checks the signatures when a key is at hand: a file changed together with
its manifest entry is still named.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from aimwell.evidence import packfmt

FORMAT = "aimwell-certification-pack/1"
PDF, XLSX, INDEX = "pack.pdf", "pack.xlsx", "evidence-index.csv"
CONTENTS = (PDF, XLSX, INDEX)
MANIFEST, SIGNATURE = packfmt.MANIFEST, packfmt.SIGNATURE


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_pack(
    files: dict[str, bytes], *, pack_id: str, metadata: dict[str, Any], key: Ed25519PrivateKey
) -> tuple[bytes, dict[str, Any]]:
    """The zip's bytes and its manifest."""
    buffer = io.BytesIO()
    writer = packfmt.PackWriter(buffer, pack_id)
    for name, data in files.items():
        writer.add(name, data)
    manifest = writer.finish(key, {**metadata, "format": FORMAT})
    return buffer.getvalue(), manifest


@dataclass
class Problem:
    path: str
    kind: str  # changed, added, removed, unreadable, manifest, signature
    detail: str

    def __str__(self) -> str:
        return f"{self.kind.upper()}: {self.path}: {self.detail}"


@dataclass
class Verification:
    pack_sha256: str = ""
    files: list[dict[str, Any]] = field(default_factory=list)  # path, sha256, ok
    manifest: dict[str, Any] = field(default_factory=dict)
    signature: str = "not checked"
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    return archive.read(name)


def verify(
    path: Path, *, public_key: str | None = None, environ: dict[str, str] | None = None
) -> Verification:
    """Recompute every checksum of the pack at `path` and report each mismatch by file name."""
    result = Verification()
    try:
        raw = Path(path).read_bytes()
        result.pack_sha256 = sha256(raw)
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (OSError, zipfile.BadZipFile) as exc:
        result.problems.append(Problem(str(path), "unreadable", f"not a readable zip ({exc})"))
        return result
    with archive:
        members = {i.filename for i in archive.infolist() if not i.is_dir()}
        if MANIFEST not in members:
            result.problems.append(Problem(MANIFEST, "removed", "the pack has no manifest"))
            return result
        try:
            manifest = json.loads(_read(archive, MANIFEST))
            entries = {e["path"]: e for e in manifest["files"]}
        except (ValueError, KeyError, TypeError, zipfile.BadZipFile, zlib.error) as exc:
            result.problems.append(Problem(MANIFEST, "manifest", f"unreadable manifest ({exc})"))
            return result
        result.manifest = manifest
        unreadable = _check_checksums(archive, members, entries, result)
    if not unreadable:
        _check_signatures(path, public_key, environ, result)
    return result


def _check_checksums(
    archive: zipfile.ZipFile,
    members: set[str],
    entries: dict[str, dict[str, Any]],
    result: Verification,
) -> bool:
    unreadable = False
    for name in CONTENTS:
        if name not in entries:
            result.problems.append(Problem(name, "removed", "not listed in the manifest"))
    for name, entry in sorted(entries.items()):
        if name not in members:
            result.problems.append(Problem(name, "removed", "listed in the manifest but missing"))
            continue
        try:
            data = _read(archive, name)
        except (zipfile.BadZipFile, zlib.error, OSError) as exc:
            unreadable = True
            result.problems.append(Problem(name, "changed", f"cannot be read back ({exc})"))
            result.files.append({"path": name, "sha256": "", "ok": False})
            continue
        digest = sha256(data)
        ok = digest == entry.get("sha256") and len(data) == entry.get("size")
        result.files.append({"path": name, "sha256": digest, "ok": ok})
        if not ok:
            result.problems.append(
                Problem(
                    name,
                    "changed",
                    f"SHA-256 is {digest}, the manifest says {entry.get('sha256')}",
                )
            )
    for name in sorted(members - set(entries) - {MANIFEST, SIGNATURE}):
        result.problems.append(Problem(name, "added", "not in the manifest"))
    return unreadable


def _check_signatures(
    path: Path, public_key: str | None, environ: dict[str, str] | None, result: Verification
) -> None:
    try:
        signed = packfmt.verify_pack(Path(path), public_key=public_key, environ=environ)
    except packfmt.PackKeyError as exc:
        result.signature = f"not checked: {exc}"
        if public_key:
            # A key was given but is unusable: fail closed rather than pass on checksums alone.
            result.problems.append(Problem(SIGNATURE, "signature", str(exc)))
        return
    named = {p.path for p in result.problems}
    extra = [p for p in signed.problems if p.path not in named]
    for p in extra:
        result.problems.append(Problem(p.path, p.kind, p.detail))
    bad = [p for p in signed.problems if p.kind in ("signature", "manifest", "changed")]
    fingerprint = packfmt.fingerprint(signed.signer) if signed.signer else "?"
    result.signature = (
        f"valid (Ed25519 key {fingerprint})" if not bad else f"INVALID (key {fingerprint})"
    )
