"""The stage-1 certification pack of the demo organisation, end to end through the CLI: the PDF
read back by text extraction, the workbook read back with openpyxl, the checksums verified, and a
tampered copy refused naming the changed file."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from aimwell.cli import app
from aimwell.controls.soa import soa_rows
from aimwell.core.models import AuditEvent
from aimwell.evidence.models import EvidenceItem
from aimwell.reports import packfile
from aimwell.reports.models import CertificationPack
from aimwell.risks.models import Risk

SECTION_HEADINGS = [
    "Scope of the AI management system",
    "AI policy",
    "Roles, responsibilities and authorities",
    "Risk method",
    "Risk register and treatment plan",
    "AI system impact assessments",
    "Statement of Applicability",
    "AI objectives",
    "Competence and training records",
    "Mandatory documented information",
    "Internal audit programme and results",
    "Management review",
    "Nonconformities and corrective actions",
    "Readiness and gap analysis",
    "Evidence index",
]


def _rewrite(source: Path, target: Path, change: dict[str, bytes]) -> None:
    """A copy of the zip with some members' bytes replaced (what a tamperer would do)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, change.get(info.filename, old.read(info.filename)))


def test_demo_certification_pack_renders_and_verifies(demo_org, tmp_path):
    org = demo_org
    out = tmp_path / "pack.zip"
    runner = CliRunner()

    result = runner.invoke(app, ["reports", "pack", "--org", org.slug, "--out", str(out)])
    assert result.exit_code == 0, result.output
    pack = CertificationPack.objects.get(organisation=org)
    assert packfile.sha256(out.read_bytes()) == pack.sha256
    event = AuditEvent.objects.get(organisation_id=org.pk, action="certification_pack.built")
    assert pack.sha256 in json.dumps(event.changes)

    with zipfile.ZipFile(out) as archive:
        assert set(archive.namelist()) == {
            "pack.pdf", "pack.xlsx", "evidence-index.csv", "manifest.json", "manifest.sig"
        }  # fmt: skip
        pdf, xlsx = archive.read("pack.pdf"), archive.read("pack.xlsx")
        index = archive.read("evidence-index.csv").decode()
        manifest = json.loads(archive.read("manifest.json"))
    assert {f["path"]: f["sha256"] for f in manifest["files"]} == {
        "pack.pdf": pack.pdf_sha256,
        "pack.xlsx": pack.xlsx_sha256,
        "evidence-index.csv": pack.index_sha256,
    }

    # The PDF: a cover with the organisation and contents, every section, live data.
    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text().replace("\u200b", "") for page in reader.pages]
    text = " ".join(" ".join(pages).split())  # table cells wrap titles over lines
    assert "Meridian Lending" in pages[0] and "Contents" in pages[0]
    for heading in SECTION_HEADINGS:
        assert heading in pages[0], heading  # listed in the table of contents
        assert sum(heading in p for p in pages[1:]) >= 1, heading
    risk = Risk.objects.filter(organisation=org).order_by("reference").first()
    assert risk is not None and risk.title in text
    control = next(r for r in soa_rows(org) if r.ref.startswith("A."))
    assert control.ref in text
    assert "POL-01" in text  # the published AI policy
    evidence = list(EvidenceItem.objects.filter(organisation=org))
    assert evidence and all(" ".join(e.title.split()) in text for e in evidence)

    # The workbook: a contents sheet, sheets per section with frozen headers, the same data.
    book = load_workbook(io.BytesIO(xlsx))
    assert book.sheetnames[0] == "Contents" and "Evidence index" in book.sheetnames
    for number in range(1, len(SECTION_HEADINGS)):
        assert any(name.startswith(f"{number} ") for name in book.sheetnames), number
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
    register = book["5 Risk register"]
    assert [c.value for c in register[1]][:2] == ["Reference", "Title"]
    assert risk.reference in [c.value for c in register["A"]]
    assert register.column_dimensions["B"].width > register.column_dimensions["A"].width
    soa_sheet = book["7 Statement of Applicability"]
    assert control.ref in [c.value for c in soa_sheet["A"]]
    assert book["Evidence index"].max_row == len(evidence) + 1

    # The evidence index: every item with its hash.
    rows = list(csv.DictReader(io.StringIO(index)))
    assert {r["Evidence id"] for r in rows} == {str(e.pk) for e in evidence}
    assert {r["SHA-256"] for r in rows} == {e.sha256 for e in evidence}

    # Verification: the pack is intact; one changed byte in the PDF is named.
    checked = packfile.verify(out)
    assert checked.ok, checked.problems
    assert checked.signature.startswith("valid")
    ok = runner.invoke(app, ["reports", "verify", str(out)])
    assert ok.exit_code == 0 and "OK 3 files" in ok.output

    tampered = tmp_path / "tampered.zip"
    flipped = bytearray(pdf)
    flipped[len(flipped) // 2] ^= 0x01
    _rewrite(out, tampered, {"pack.pdf": bytes(flipped)})
    failed = packfile.verify(tampered)
    assert not failed.ok
    assert [(p.path, p.kind) for p in failed.problems] == [("pack.pdf", "changed")]
    refused = runner.invoke(app, ["reports", "verify", str(tampered)])
    assert refused.exit_code == 1
    assert "CHANGED pack.pdf" in refused.output and "FAILED verification" in refused.output

    # A tamperer who also rewrites the manifest's checksum is caught by the signature.
    forged = json.loads(json.dumps(manifest))
    for entry in forged["files"]:
        if entry["path"] == "pack.pdf":
            entry["sha256"] = packfile.sha256(bytes(flipped))
    both = tmp_path / "forged.zip"
    _rewrite(out, both, {"pack.pdf": bytes(flipped), "manifest.json": json.dumps(forged).encode()})
    caught = packfile.verify(both)
    assert not caught.ok and {p.path for p in caught.problems} >= {"pack.pdf", "manifest.json"}
    assert caught.signature.startswith("INVALID")


def test_verify_without_a_key_checks_checksums_and_reads_garbage_clearly(tmp_path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    data, _ = packfile.write_pack(
        {"pack.pdf": b"%PDF", "pack.xlsx": b"xlsx", "evidence-index.csv": b"a,b\n"},
        pack_id="p1",
        metadata={"organisation": {"id": "o1", "name": "Org"}},
        key=Ed25519PrivateKey.generate(),
    )
    path = tmp_path / "p.zip"
    path.write_bytes(data)
    result = packfile.verify(path, environ={})
    assert result.ok and result.signature.startswith("not checked")
    extra = tmp_path / "extra.zip"
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(extra, "w") as new:
        for info in old.infolist():
            if info.filename != "evidence-index.csv":
                new.writestr(info.filename, old.read(info.filename))
        new.writestr("notes.txt", b"added later")
    problems = {(p.path, p.kind) for p in packfile.verify(extra, environ={}).problems}
    assert problems == {("evidence-index.csv", "removed"), ("notes.txt", "added")}
    garbage = tmp_path / "garbage.zip"
    garbage.write_bytes(b"not a zip")
    assert [p.kind for p in packfile.verify(garbage, environ={}).problems] == ["unreadable"]
