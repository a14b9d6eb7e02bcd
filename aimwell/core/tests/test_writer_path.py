"""One writer path: database writes to domain models happen in services (modules named
`services`, or inside a `services` package), which record the audit trail, or in the few modules
listed here with the reason each is a writer. A page, an API handler, a form, a CLI command or a
demo that writes on its own skips the audit trail; this scan fails when one appears.

The scan reads the source (no import), so it sees every module: a call is a write when it is
`save()`/`delete()` on an instance, or `save`, `delete`, `update`, `create`, `get_or_create`,
`update_or_create`, `bulk_create` or `bulk_update` on a chain through `objects` or a queryset
method."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]

WRITE_METHODS = {
    "save",
    "delete",
    "update",
    "create",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
}
QUERYSET_LINKS = {"objects", "filter", "exclude", "all", "select_for_update", "using"}

# Writers that are not named `services`, and why each is one. Moving them into their app's
# services is issue #19's remaining work; the list may shrink, never grow without a reason.
WRITER_MODULES = {
    "core/writes.py": "the audited create/update every service uses",
    "core/audit.py": "appends to the hash-chained audit trail itself",
    "core/references.py": "allocates reference numbers inside the caller's transaction",
    "accounts/models.py": "the user manager's create_user, called by the accounts services",
    "accounts/invitations.py": "invitation life cycle (issue, accept, revoke), audited",
    "accounts/mfa.py": "TOTP and recovery-code devices (django-otp's models), audited",
    "accounts/sso.py": "identity providers and linked identities, audited",
    "notifications/reminders.py": "marks notifications sent (delivery bookkeeping)",
}


def _receiver_chain(node: ast.expr) -> list[str]:
    names: list[str] = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            names.append(node.id)
            return names
        else:
            return names


def _is_write(call: ast.Call) -> bool:
    if not isinstance(call.func, ast.Attribute) or call.func.attr not in WRITE_METHODS:
        return False
    method = call.func.attr
    if method in ("save", "delete") and not call.args:
        # `obj.save()`, `obj.save(update_fields=…)`, `obj.delete()`; `book.save(buffer)` (a
        # workbook, a file) takes a positional argument and is not a database write.
        return True
    return bool(set(_receiver_chain(call.func.value)) & QUERYSET_LINKS)


def _is_service(relative: str) -> bool:
    parts = relative.split("/")
    return parts[-1] == "services.py" or "services" in parts[:-1]


def _writes_outside_services() -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if "/migrations/" in relative or "/tests/" in relative or _is_service(relative):
            continue
        if relative.startswith("assurance/"):
            continue  # pure Python engine, no database (its own import contract)
        lines = [
            node.lineno
            for node in ast.walk(ast.parse(path.read_text(), filename=relative))
            if isinstance(node, ast.Call) and _is_write(node)
        ]
        if lines:
            found[relative] = lines
    return found


def test_no_module_writes_outside_services_and_the_listed_writers():
    unexpected = {
        module: lines
        for module, lines in _writes_outside_services().items()
        if module not in WRITER_MODULES
    }
    assert not unexpected, f"writes outside services (move them into a service): {unexpected}"


def test_every_listed_writer_still_writes():
    # A module that stopped writing leaves the list, so the list stays the truth.
    assert set(WRITER_MODULES) <= set(_writes_outside_services())


def test_the_scan_sees_a_write_in_a_view(tmp_path):
    source = "def view(request):\n    Risk.objects.filter(pk=1).update(status='closed')\n"
    calls = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call)]
    assert [c.func.attr for c in calls if _is_write(c)] == ["update"]
    workbook = "book.save(buffer)\n"
    calls = [n for n in ast.walk(ast.parse(workbook)) if isinstance(n, ast.Call)]
    assert not [c for c in calls if _is_write(c)]
