"""Writers of governance (5.1, 5.3, A.3.2): principles and their links, AIMS roles and RACI,
oversight bodies with meetings and decisions, leadership commitments."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models, transaction

from aimwell.accounts.models import Membership, Organisation
from aimwell.accounts.roles import AIMSProcess
from aimwell.context.services import base
from aimwell.context.services.base import Spec
from aimwell.core.audit import diff, record_for, snapshot
from aimwell.governance.choices import Raci
from aimwell.governance.errors import GovernanceError
from aimwell.governance.models import (
    AIMSRole,
    Decision,
    LeadershipCommitment,
    Meeting,
    OversightBody,
    Principle,
    PrincipleLink,
    RaciEntry,
)
from aimwell.inventory.models import AISystem

ERROR = GovernanceError
PRINCIPLE = Spec(
    Principle,
    "principle",
    Principle.AUDIT_FIELDS,
    m2m=("catalog_nodes",),
    unique="name",
    error=ERROR,
)
AIMS_ROLE = Spec(
    AIMSRole, "aims_role", AIMSRole.AUDIT_FIELDS, m2m=("holders",), unique="name", error=ERROR
)
BODY = Spec(
    OversightBody,
    "oversight_body",
    OversightBody.AUDIT_FIELDS,
    m2m=("members",),
    unique="name",
    error=ERROR,
)
MEETING = Spec(Meeting, "meeting", Meeting.AUDIT_FIELDS, m2m=("attendees",), error=ERROR)
DECISION = Spec(Decision, "decision", Decision.AUDIT_FIELDS, error=ERROR)
COMMITMENT = Spec(
    LeadershipCommitment, "leadership_commitment", LeadershipCommitment.AUDIT_FIELDS, error=ERROR
)


def create_principle(organisation: Organisation, *, actor: Any, **values: Any) -> Principle:
    return base.create(PRINCIPLE, organisation, actor=actor, **values)


def update_principle(principle: Principle, *, actor: Any, **values: Any) -> Principle:
    return base.update(PRINCIPLE, principle, actor=actor, **values)


@transaction.atomic
def link_principle(principle: Principle, target: models.Model, *, actor: Any) -> PrincipleLink:
    """Link a principle to any object of the same organisation (a policy, a control, ...)."""
    if getattr(target, "organisation_id", None) != principle.organisation_id:
        raise GovernanceError(f"{target} is not part of this organisation.", "object_id")
    object_type = target._meta.label_lower
    existing: PrincipleLink | None = PrincipleLink.objects.filter(
        principle=principle, object_type=object_type, object_id=str(target.pk)
    ).first()
    if existing is not None:
        return existing
    link = PrincipleLink.objects.create(
        organisation_id=principle.organisation_id,
        principle=principle,
        object_type=object_type,
        object_id=str(target.pk),
        object_label=str(target)[:300],
    )
    changes = diff({}, {"object_type": object_type, "object_id": str(target.pk)})
    record_for(principle, actor=actor, action="principle.linked", changes=changes)
    return link


def resolve_link_target(organisation: Organisation, object_type: str, object_id: str) -> Any:
    """The object a link points at, looked up by model label and key within the organisation."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError) as exc:
        raise GovernanceError(f"Unknown object type {object_type!r}.", "object_type") from exc
    if not any(f.name == "organisation" for f in model._meta.get_fields()):
        raise GovernanceError(f"{object_type} objects cannot be linked.", "object_type")
    try:
        target = model._default_manager.filter(organisation=organisation, pk=object_id).first()
    except (ValueError, Exception) as exc:  # a malformed key for the model's primary key type
        raise GovernanceError(f"No {object_type} with id {object_id!r}.", "object_id") from exc
    if target is None:
        raise GovernanceError(f"No {object_type} with id {object_id!r}.", "object_id")
    return target


@transaction.atomic
def unlink_principle(link: PrincipleLink, *, actor: Any) -> None:
    changes = diff({"object_type": link.object_type, "object_id": link.object_id}, {})
    record_for(link.principle, actor=actor, action="principle.unlinked", changes=changes)
    link.delete()


def principles_linked_to(target: models.Model) -> models.QuerySet[Principle]:
    """The principles an object is linked to: for other apps' pages."""
    ids = PrincipleLink.objects.filter(
        organisation_id=target.organisation_id,  # type: ignore[attr-defined]
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
    ).values("principle_id")
    return Principle.objects.filter(pk__in=ids)


def create_aims_role(organisation: Organisation, *, actor: Any, **values: Any) -> AIMSRole:
    return base.create(AIMS_ROLE, organisation, actor=actor, **values)


def update_aims_role(role: AIMSRole, *, actor: Any, **values: Any) -> AIMSRole:
    return base.update(AIMS_ROLE, role, actor=actor, **values)


def delete_aims_role(role: AIMSRole, *, actor: Any) -> None:
    base.delete(AIMS_ROLE, role, actor=actor)


def _subject_filter(system: AISystem | None, process: str) -> dict[str, Any]:
    return {"system": system} if system is not None else {"process": process, "system": None}


@transaction.atomic
def set_raci(
    organisation: Organisation,
    *,
    member: Membership,
    letter: str,
    actor: Any,
    system: AISystem | None = None,
    process: str = "",
    note: str = "",
) -> RaciEntry:
    """Give a person R, A, C or I for an AI system or an AIMS process (one letter per cell;
    one Accountable per system or process)."""
    if (system is None) == (not process):
        raise GovernanceError("Give either an AI system or an AIMS process, not both.", "system")
    if process:
        try:
            process = AIMSProcess(process).value
        except ValueError as exc:
            raise GovernanceError(f"Unknown AIMS process {process!r}.", "process") from exc
    try:
        letter = Raci(letter).value
    except ValueError as exc:
        raise GovernanceError("Letter: choose R, A, C or I.", "letter") from exc
    base.check_same_organisation(organisation.pk, member, "member", ERROR)
    base.check_same_organisation(organisation.pk, system, "system", ERROR)
    if len(note) > 300:
        raise GovernanceError("Note: at most 300 characters.", "note")
    subject = _subject_filter(system, process)
    cells = RaciEntry.objects.select_for_update().filter(organisation=organisation, **subject)
    if letter == Raci.ACCOUNTABLE:
        other = cells.filter(letter=Raci.ACCOUNTABLE).exclude(member=member).first()
        if other is not None:
            what = system.name if system else AIMSProcess(process).label
            raise GovernanceError(
                f"{what} already has an accountable person ({other.member.user.display_name}); "
                "there is one A per system or process.",
                "letter",
            )
    entry: RaciEntry | None = cells.filter(member=member).first()
    if entry is None:
        entry = RaciEntry.objects.create(
            organisation=organisation,
            member=member,
            letter=letter,
            note=note,
            system=system,
            process=process,
        )
        record_for(
            entry,
            actor=actor,
            action="raci.set",
            changes=diff({}, snapshot(entry, RaciEntry.AUDIT_FIELDS)),
        )
        return entry
    before = snapshot(entry, RaciEntry.AUDIT_FIELDS)
    entry.letter, entry.note = letter, note
    changes = diff(before, snapshot(entry, RaciEntry.AUDIT_FIELDS))
    if changes:
        entry.save(update_fields=["letter", "note", "updated_at"])
        record_for(entry, actor=actor, action="raci.set", changes=changes)
    return entry


@transaction.atomic
def remove_raci(entry: RaciEntry, *, actor: Any) -> None:
    record_for(
        entry,
        actor=actor,
        action="raci.removed",
        changes=diff(snapshot(entry, RaciEntry.AUDIT_FIELDS), {}),
    )
    entry.delete()


def create_body(organisation: Organisation, *, actor: Any, **values: Any) -> OversightBody:
    return base.create(BODY, organisation, actor=actor, **values)


def update_body(body: OversightBody, *, actor: Any, **values: Any) -> OversightBody:
    return base.update(BODY, body, actor=actor, **values)


def record_meeting(body: OversightBody, *, actor: Any, **values: Any) -> Meeting:
    org = body.organisation
    return base.create(MEETING, org, actor=actor, body=body, **values)


def update_meeting(meeting: Meeting, *, actor: Any, **values: Any) -> Meeting:
    return base.update(MEETING, meeting, actor=actor, **values)


def _check_meeting(body: OversightBody, meeting: Meeting | None) -> None:
    if meeting is not None and meeting.body_id != body.pk:
        raise GovernanceError("Meeting: that meeting is not one of this body's.", "meeting")


def record_decision(body: OversightBody, *, actor: Any, **values: Any) -> Decision:
    _check_meeting(body, values.get("meeting"))
    org = body.organisation
    return base.create(DECISION, org, actor=actor, body=body, **values)


def update_decision(decision: Decision, *, actor: Any, **values: Any) -> Decision:
    if "meeting" in values:
        _check_meeting(decision.body, values["meeting"])
    return base.update(DECISION, decision, actor=actor, **values)


def record_commitment(
    organisation: Organisation, *, actor: Any, **values: Any
) -> LeadershipCommitment:
    return base.create(COMMITMENT, organisation, actor=actor, **values)


def update_commitment(
    commitment: LeadershipCommitment, /, *, actor: Any, **values: Any
) -> LeadershipCommitment:
    return base.update(COMMITMENT, commitment, actor=actor, **values)
