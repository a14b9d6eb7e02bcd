"""What every OSCAL document of an organisation shares: stable uuids, metadata with the
organisation and its people as parties and roles, props in our namespace, and the back-matter
resources that documents point at one another through.

Uuids are uuid5 of what they stand for (the organisation, a control, a system, a finding) in one
namespace, so that the same data exported twice gives the same uuids and a tool sees one
document being revised, and so that documents exported at different times still refer to each
other's parts.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from aimwell.catalog.formats.oscal import AIMWELL_NS, OSCAL_VERSION

UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, f"{AIMWELL_NS}/documents")
ISO_CATALOG_URN = "iso42001:2023"
ISO_CATALOG_HREF = "iso42001-2023.oscal.json"

# OSCAL's implementation states, from our SoA status.
IMPLEMENTATION_STATE = {
    "implemented": "implemented",
    "partial": "partial",
    "planned": "planned",
    "not_started": "planned",
}
# Roles of the organisation's people as OSCAL role ids (our role contract, not OSCAL's).
ROLE_IDS = {
    "admin": "aims-administrator",
    "aims_manager": "aims-manager",
    "contributor": "contributor",
    "internal_auditor": "internal-auditor",
    "staff": "staff",
    "external_auditor": "external-auditor",
}


def stable_uuid(*parts: Any) -> str:
    return str(uuid.uuid5(UUID_NAMESPACE, "/".join(str(p) for p in parts)))


def control_id(ref_id: str) -> str:
    """The OSCAL id of a catalog node in our catalog export (see catalog.formats.oscal)."""
    from aimwell.catalog.formats.oscal import _token

    return _token(ref_id)


def timestamp(moment: datetime | None = None) -> str:
    moment = moment or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def day_start(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def day_end(day: date) -> str:
    return f"{day.isoformat()}T23:59:59Z"


def prop(name: str, value: Any, *, ours: bool = True) -> dict[str, str]:
    text = " ".join(str(value).split()) or "-"
    return (
        {"name": name, "ns": AIMWELL_NS, "value": text} if ours else {"name": name, "value": text}
    )


def text(value: str, fallback: str) -> str:
    """OSCAL markup fields must not be empty."""
    return value.strip() or fallback


def one_line(value: str, fallback: str = "-") -> str:
    return " ".join(value.split()) or fallback


class People:
    """The organisation and its active members as parties, their roles, by user id."""

    def __init__(self, organisation: Any) -> None:
        from aimwell.accounts.models import Membership

        self.organisation = organisation
        self.org_party = stable_uuid("party", organisation.pk)
        self.members = list(
            Membership.objects.active()
            .filter(organisation=organisation)
            .select_related("user")
            .order_by("user__email")
        )
        self.by_user = {m.user_id: m for m in self.members}
        self.extra: dict[str, dict[str, Any]] = {}

    def party(self, user_id: Any) -> str | None:
        return stable_uuid("party", user_id) if user_id in self.by_user else None

    def external(self, key: str, name: str, kind: str = "organization") -> str:
        """A party that is not a member (a supplier, a certification body)."""
        party_uuid = stable_uuid("party", self.organisation.pk, key)
        self.extra[party_uuid] = {"uuid": party_uuid, "type": kind, "name": one_line(name)}
        return party_uuid

    def metadata(self, title: str, *, at: datetime | None, remarks: str = "") -> dict[str, Any]:
        roles = [
            {"id": role_id, "title": role.replace("_", " ").capitalize()}
            for role, role_id in ROLE_IDS.items()
        ]
        roles.append({"id": "control-owner", "title": "Control owner"})
        roles.append({"id": "system-owner", "title": "AI system owner"})
        roles.append({"id": "provider", "title": "Supplier"})
        roles.append({"id": "assessor", "title": "Auditor"})
        parties = [{"uuid": self.org_party, "type": "organization", "name": self.organisation.name}]
        parties.extend(
            {
                "uuid": stable_uuid("party", m.user_id),
                "type": "person",
                "name": one_line(m.user.full_name or m.user.email),
                "email-addresses": [m.user.email],
                "member-of-organizations": [self.org_party],
            }
            for m in self.members
        )
        parties.extend(self.extra[k] for k in sorted(self.extra))
        responsible: dict[str, list[str]] = {}
        for m in self.members:
            responsible.setdefault(ROLE_IDS[m.role], []).append(stable_uuid("party", m.user_id))
        metadata: dict[str, Any] = {
            "title": title,
            "last-modified": timestamp(at),
            "version": timestamp(at)[:10],
            "oscal-version": OSCAL_VERSION,
            "props": [prop("organisation", self.organisation.slug)],
            "roles": roles,
            "parties": parties,
            "responsible-parties": [
                {"role-id": role_id, "party-uuids": party_uuids}
                for role_id, party_uuids in sorted(responsible.items())
            ],
        }
        if remarks:
            metadata["remarks"] = remarks
        return metadata


def resource(key: str, organisation: Any, title: str, href: str, media_type: str) -> dict[str, Any]:
    return {
        "uuid": stable_uuid("resource", organisation.pk, key),
        "title": title,
        "rlinks": [{"href": href, "media-type": media_type}],
    }


def catalog_resource(organisation: Any) -> dict[str, Any]:
    return resource(
        "catalog",
        organisation,
        "ISO/IEC 42001:2023 controls (Aimwell catalog export)",
        ISO_CATALOG_HREF,
        "application/oscal.catalog+json",
    )


def document_href(kind: str, organisation: Any) -> str:
    return f"{organisation.slug}-{kind}.oscal.json"
