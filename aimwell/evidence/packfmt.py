"""The evidence pack format and its verification, in pure Python (no Django, no database), so
an auditor can check a pack on any machine with `aimwell evidence verify-pack`.

A pack is a zip holding the files, `manifest.json` (every file with its SHA-256 and size, the pack
id, the organisation, the scope and the audit-trail chain head) and `manifest.sig`: an Ed25519
signature of the manifest *and* one signature per file over (pack id, path, SHA-256, size). Because
each file carries its own signature, a pack whose file and manifest were both rewritten still
names the file: its signature no longer matches its content, and nobody without the organisation's
private key can make a new one.

Keys: the organisation's Ed25519 key is derived (HKDF-SHA256, salted with the organisation id)
from `AIMWELL_PACK_SIGNING_KEY`, or from `AIMWELL_AUDIT_KEY` when no separate signing key is set.
Verification trusts only a public key given by the verifier (`--public-key`) or derived from the
configured secret; the key written in the pack is used only to say which key signed it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

FORMAT = "aimwell-evidence-pack/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
RESERVED = {MANIFEST, SIGNATURE}
_SEP = "\x1f"
_CHUNK = 1024 * 1024


class PackKeyError(Exception):
    """No usable key: the message says which variable or option to set."""


# ---------------------------------------------------------------- keys


def master_secret(environ: dict[str, str] | None = None) -> bytes:
    env = os.environ if environ is None else environ
    secret = env.get("AIMWELL_PACK_SIGNING_KEY") or env.get("AIMWELL_AUDIT_KEY")
    if not secret:
        raise PackKeyError(
            "No signing key: set AIMWELL_PACK_SIGNING_KEY (or AIMWELL_AUDIT_KEY), or pass the "
            "organisation's public key with --public-key."
        )
    if len(secret) < 32:
        raise PackKeyError("AIMWELL_PACK_SIGNING_KEY must be at least 32 characters long.")
    return secret.encode()


def organisation_key(
    organisation_id: str, environ: dict[str, str] | None = None
) -> Ed25519PrivateKey:
    """The organisation's signing key: one secret in the environment, one key per organisation."""
    seed = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=str(organisation_id).encode(),
        info=b"aimwell evidence pack signing key",
    ).derive(master_secret(environ))
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def key_argument(value: str) -> str:
    """A public key as given on a command line: the key itself, or @FILE holding it (base64 or
    PEM), as an auditor receives it by mail."""
    if not value.startswith("@"):
        return value
    try:
        return Path(value[1:]).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackKeyError(f"Cannot read the public key file {value[1:]}: {exc}") from exc


def load_public_key(text: str) -> Ed25519PublicKey:
    """A public key as base64 of its 32 raw bytes (as shown in Aimwell), or a PEM file's text."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            from cryptography.hazmat.primitives.serialization import load_pem_public_key

            key = load_pem_public_key(text.encode())
            if not isinstance(key, Ed25519PublicKey):
                raise PackKeyError("The public key is not an Ed25519 key.")
            return key
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except (ValueError, TypeError) as exc:
        raise PackKeyError("The public key is not valid (base64 of 32 bytes, or PEM).") from exc


def fingerprint(public_key_b64: str) -> str:
    return hashlib.sha256(public_key_b64.encode()).hexdigest()[:16]


# ---------------------------------------------------------------- writing


def _file_message(pack_id: str, path: str, sha256: str, size: int) -> bytes:
    return _SEP.join(("aimwell-pack-file", pack_id, path, sha256, str(size))).encode()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class PackWriter:
    """Writes a pack into a binary stream, hashing each file as it is added."""

    stream: IO[bytes]
    pack_id: str
    entries: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._zip = zipfile.ZipFile(self.stream, "w", compression=zipfile.ZIP_DEFLATED)

    def add(self, path: str, data: bytes) -> str:
        if path in RESERVED or any(e["path"] == path for e in self.entries):
            raise ValueError(f"{path} is already in the pack or reserved.")
        digest = sha256_bytes(data)
        self._zip.writestr(path, data)
        self.entries.append({"path": path, "sha256": digest, "size": len(data)})
        return digest

    def finish(self, key: Ed25519PrivateKey, metadata: dict[str, Any]) -> dict[str, Any]:
        manifest = {
            "format": FORMAT,
            "pack_id": self.pack_id,
            **metadata,
            "public_key": public_key_text(key),
            "files": sorted(self.entries, key=lambda e: e["path"]),
        }
        manifest_bytes = canonical(manifest)
        signatures = {
            "format": FORMAT,
            "algorithm": "Ed25519",
            "public_key": public_key_text(key),
            "manifest": base64.b64encode(key.sign(manifest_bytes)).decode(),
            "files": {
                e["path"]: base64.b64encode(
                    key.sign(_file_message(self.pack_id, e["path"], e["sha256"], e["size"]))
                ).decode()
                for e in manifest["files"]
            },
        }
        self._zip.writestr(MANIFEST, manifest_bytes)
        self._zip.writestr(SIGNATURE, canonical(signatures))
        self._zip.close()
        return manifest


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, indent=1, ensure_ascii=False).encode()


# ---------------------------------------------------------------- verifying


@dataclass
class Problem:
    path: str
    kind: str  # changed, added, removed, manifest, signature, unreadable
    detail: str

    def __str__(self) -> str:
        return f"{self.kind.upper()}: {self.path}: {self.detail}"


@dataclass
class VerifyResult:
    pack_sha256: str = ""
    files_checked: int = 0
    manifest: dict[str, Any] = field(default_factory=dict)
    signer: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _verify(key: Ed25519PublicKey, signature_b64: Any, message: bytes) -> bool:
    try:
        key.verify(base64.b64decode(str(signature_b64), validate=True), message)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _hash_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with archive.open(info) as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def trusted_key(
    *, public_key: str | None, organisation_id: str | None, environ: dict[str, str] | None = None
) -> Ed25519PublicKey:
    if public_key:
        return load_public_key(public_key)
    if not organisation_id:
        raise PackKeyError("The pack names no organisation; pass --public-key.")
    return organisation_key(organisation_id, environ).public_key()


def verify_pack(
    path: Path, *, public_key: str | None = None, environ: dict[str, str] | None = None
) -> VerifyResult:
    """Check the signature, every file's hash and signature, and that nothing was added or
    removed. Every problem is reported, each naming its file."""
    result = VerifyResult()
    try:
        result.pack_sha256 = _file_sha256(path)
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        result.problems.append(Problem(str(path), "unreadable", f"not a readable zip ({exc})"))
        return result
    with archive:
        members = {i.filename: i for i in archive.infolist() if not i.is_dir()}
        if MANIFEST not in members or SIGNATURE not in members:
            missing = MANIFEST if MANIFEST not in members else SIGNATURE
            result.problems.append(Problem(missing, "removed", "the pack has no " + missing))
            return result
        manifest_bytes = archive.read(MANIFEST)
        try:
            manifest = json.loads(manifest_bytes)
            signatures = json.loads(archive.read(SIGNATURE))
            entries = {e["path"]: e for e in manifest["files"]}
            file_sigs: dict[str, Any] = dict(signatures.get("files", {}))
            pack_id = str(manifest["pack_id"])
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            result.problems.append(Problem(MANIFEST, "manifest", f"unreadable manifest ({exc})"))
            return result
        result.manifest = manifest
        key = trusted_key(
            public_key=public_key,
            organisation_id=manifest.get("organisation", {}).get("id"),
            environ=environ,
        )
        result.signer = public_key_text(key)
        if signatures.get("public_key") != result.signer:
            result.problems.append(
                Problem(
                    SIGNATURE,
                    "signature",
                    f"signed with key {fingerprint(str(signatures.get('public_key')))}, not the "
                    f"trusted key {fingerprint(result.signer)}",
                )
            )
        if not _verify(key, signatures.get("manifest"), manifest_bytes):
            result.problems.append(
                Problem(MANIFEST, "manifest", "its signature does not match: it was altered")
            )
        _check_files(archive, members, entries, file_sigs, pack_id, key, result)
    return result


def _check_files(
    archive: zipfile.ZipFile,
    members: dict[str, zipfile.ZipInfo],
    entries: dict[str, dict[str, Any]],
    file_sigs: dict[str, Any],
    pack_id: str,
    key: Ed25519PublicKey,
    result: VerifyResult,
) -> None:
    for name in sorted(set(members) - RESERVED):
        digest, size = _hash_member(archive, members[name])
        result.files_checked += 1
        signed = file_sigs.get(name)
        entry = entries.get(name)
        if signed is None and entry is None:
            result.problems.append(Problem(name, "added", "not in the signed manifest"))
            continue
        if signed is None or not _verify(key, signed, _file_message(pack_id, name, digest, size)):
            result.problems.append(
                Problem(
                    name,
                    "changed",
                    f"content (SHA-256 {digest[:16]}…) does not match its signature",
                )
            )
            continue
        if entry is None or entry.get("sha256") != digest or entry.get("size") != size:
            result.problems.append(Problem(name, "changed", "does not match the manifest"))
    for name in sorted((set(entries) | set(file_sigs)) - set(members)):
        result.problems.append(Problem(name, "removed", "listed in the pack but missing"))


def describe(manifest: dict[str, Any]) -> Iterable[str]:
    org = manifest.get("organisation", {})
    yield f"Organisation: {org.get('name', '?')} ({org.get('id', '?')})"
    yield f"Scope: {manifest.get('scope', {}).get('label', '?')}"
    yield f"Created: {manifest.get('created_at', '?')} by {manifest.get('created_by', '?')}"
    head = manifest.get("audit_chain_head", {})
    mac = str(head.get("mac", "?"))[:16]
    yield f"Audit trail at export: event #{head.get('seq', '?')} (MAC {mac}…)"
