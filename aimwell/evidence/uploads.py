"""Checks on uploaded evidence before anything is stored: size, content against the declared type
(magic bytes, not the name or the browser's word), and archives that would expand into far more
than they weigh (zip bombs)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype

ARCHIVE_MAX_TOTAL = 200 * 1024 * 1024  # bytes once expanded
ARCHIVE_MAX_RATIO = 100  # expanded size / compressed size
ARCHIVE_MAX_MEMBERS = 10_000
ARCHIVE_MAX_DEPTH = 2  # zip inside zip inside zip is refused

# extension -> (MIME type we store, how its content is recognised)
ALLOWED: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "application/pdf"),
    "png": ("image/png", "image/png"),
    "jpg": ("image/jpeg", "image/jpeg"),
    "jpeg": ("image/jpeg", "image/jpeg"),
    "gif": ("image/gif", "image/gif"),
    "webp": ("image/webp", "image/webp"),
    "zip": ("application/zip", "zip"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "ooxml"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "ooxml"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "ooxml"),
    "odt": ("application/vnd.oasis.opendocument.text", "zip"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "zip"),
    "csv": ("text/csv", "text"),
    "txt": ("text/plain", "text"),
    "md": ("text/markdown", "text"),
    "json": ("application/json", "text"),
    "jsonl": ("application/x-ndjson", "text"),
    "yaml": ("application/yaml", "text"),
    "yml": ("application/yaml", "text"),
    "log": ("text/plain", "text"),
}


class UploadRefused(Exception):
    """The file is refused; the message says why, for the person who uploaded it."""


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int
    sha256: str


def safe_name(name: str) -> str:
    base = PurePath(name.replace("\\", "/")).name.strip() or "upload"
    cleaned = "".join(c if c.isalnum() or c in "._- " else "_" for c in base)
    return cleaned[:150]


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data[:65536]:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def check_archive(data: bytes, name: str, *, depth: int = 0) -> None:
    """Expand the archive in a stream and stop as soon as it is clearly a bomb: declared sizes
    are not trusted, the bytes actually produced are counted."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UploadRefused(f"{name} is not a readable zip archive.") from exc
    if len(members) > ARCHIVE_MAX_MEMBERS:
        raise UploadRefused(
            f"{name} holds {len(members)} files; archives are limited to {ARCHIVE_MAX_MEMBERS}."
        )
    limit = min(ARCHIVE_MAX_TOTAL, max(len(data), 1) * ARCHIVE_MAX_RATIO)
    total = 0
    for member in members:
        if member.is_dir():
            continue
        try:
            with archive.open(member) as stream:
                head = b""
                while chunk := stream.read(1024 * 1024):
                    if not head:
                        head = chunk[:4]
                    total += len(chunk)
                    if total > limit:
                        raise UploadRefused(
                            f"{name} looks like a zip bomb: it expands to more than "
                            f"{limit // (1024 * 1024) or 1} MB "
                            f"({ARCHIVE_MAX_RATIO}x its size at most, "
                            f"{ARCHIVE_MAX_TOTAL // (1024 * 1024)} MB in all)."
                        )
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as exc:
            # zipfile raises RuntimeError for an encrypted entry and NotImplementedError for a
            # compression method it cannot read: either way the upload cannot be checked.
            raise UploadRefused(f"{name} has an unreadable or encrypted entry.") from exc
        if member.filename.lower().endswith(".zip") or _is_zip(head):
            if depth + 1 >= ARCHIVE_MAX_DEPTH:
                raise UploadRefused(f"{name} nests archives too deeply.")
            with archive.open(member) as stream:
                check_archive(stream.read(limit), f"{name}/{member.filename}", depth=depth + 1)


def check_upload(
    data: bytes, name: str, *, declared_type: str | None, max_bytes: int
) -> CheckedUpload:
    """Refuse what is too big, what is not what its name and type say, and zip bombs."""
    clean = safe_name(name)
    if len(data) > max_bytes:
        raise UploadRefused(
            f"{clean} is {len(data) / 1048576:.1f} MB; the limit is {max_bytes // 1048576} MB."
        )
    if not data:
        raise UploadRefused(f"{clean} is empty.")
    extension = clean.rsplit(".", 1)[-1].lower() if "." in clean else ""
    if extension not in ALLOWED:
        allowed = ", ".join(sorted(ALLOWED))
        raise UploadRefused(f"Files of type .{extension or '?'} are not accepted; use {allowed}.")
    mime, family = ALLOWED[extension]
    guessed = filetype.guess_mime(data)
    if family == "text":
        ok = guessed is None and _looks_like_text(data)
        if ok and extension == "json":
            ok = data.lstrip()[:1] in (b"{", b"[")
    elif family in ("zip", "ooxml"):
        ok = _is_zip(data)
        if ok and family == "ooxml":
            ok = _has_member(data, "[Content_Types].xml")
    else:
        ok = guessed == family
    if not ok:
        found = guessed or ("text" if _looks_like_text(data) else "unrecognised binary data")
        raise UploadRefused(
            f"{clean} does not contain what its type says: a .{extension} file was expected "
            f"but the content is {found}."
        )
    if not _declared_matches(declared_type, mime, family):
        raise UploadRefused(
            f"{clean} was sent as {declared_type}, which does not match a .{extension} file."
        )
    if family in ("zip", "ooxml"):
        check_archive(data, clean)
    return CheckedUpload(clean, mime, len(data), hashlib.sha256(data).hexdigest())


def _has_member(data: bytes, member: str) -> bool:
    try:
        return member in zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


_TEXT_AS_APPLICATION = {
    "application/json",
    "application/x-ndjson",
    "application/yaml",
    "application/x-yaml",
    "application/csv",
    "application/vnd.ms-excel",
}


def _declared_matches(declared: str | None, mime: str, family: str) -> bool:
    """Browsers label files loosely; refuse only a declared type of another kind."""
    if not declared or declared in ("application/octet-stream", mime):
        return True
    major = declared.split("/")[0]
    if family == "text":
        return major == "text" or declared in _TEXT_AS_APPLICATION
    if family in ("zip", "ooxml"):
        return major == "application"
    return mime == "image/jpeg" and declared == "image/jpg"
