"""REST API of management reviews (under /api/v1/, tagged "operations" as before the split)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Prefetch
from ninja import Query, Router, Status

from aimwell.accounts.lookups import member_user
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability
from aimwell.improvement import services as improvement
from aimwell.improvement.models import Action
from aimwell.improvement.schemas import ActionIn, ActionOut
from aimwell.management_review import querysets
from aimwell.management_review import services as reviews
from aimwell.management_review.models import ManagementReview
from aimwell.management_review.schemas import (
    HoldIn,
    ReviewDetailOut,
    ReviewIn,
    ReviewPage,
    ReviewPatch,
    ReviewQuery,
)
from aimwell.operations.rest import (
    get_object,
    list_of,
    membership,
)

router = Router(tags=["operations"])


def _review(review: ManagementReview) -> ManagementReview:
    found: ManagementReview = (
        ManagementReview.objects.select_related("chair")
        .prefetch_related(Prefetch("actions", Action.objects.select_related("owner")))
        .get(pk=review.pk)
    )
    return found


def _review_for_write(request: AimwellRequest, review_id: uuid.UUID) -> ManagementReview:
    membership(request, Capability.MANAGE_AIMS)
    return get_object(request, ManagementReview.objects.all(), review_id, write=True)  # type: ignore[no-any-return]


@router.get("/management-reviews", response=ReviewPage, summary="Management reviews")
def list_reviews(request: AimwellRequest, query: Query[ReviewQuery]) -> dict[str, Any]:
    return list_of(querysets.REVIEWS, request, query)


@router.post(
    "/management-reviews", response={201: ReviewDetailOut}, summary="Plan a management review"
)
def plan_review(request: AimwellRequest, payload: ReviewIn) -> Status[ManagementReview]:
    m = membership(request, Capability.MANAGE_AIMS)
    review = reviews.plan_review(
        m.organisation,
        actor=request.user,
        title=payload.title,
        planned_on=payload.planned_on,
        chair=member_user(m.organisation, payload.chair_email),
        attendees=payload.attendees,
    )
    return Status(201, _review(review))


@router.get(
    "/management-reviews/{review_id}", response=ReviewDetailOut, summary="A management review"
)
def get_review(request: AimwellRequest, review_id: uuid.UUID) -> ManagementReview:
    return _review(get_object(request, ManagementReview.objects.all(), review_id))


@router.patch(
    "/management-reviews/{review_id}",
    response=ReviewDetailOut,
    summary="Change a management review",
)
def update_review(
    request: AimwellRequest, review_id: uuid.UUID, payload: ReviewPatch
) -> ManagementReview:
    review = _review_for_write(request, review_id)
    changes = payload.model_dump(exclude_unset=True)
    if "chair_email" in changes:
        changes["chair"] = member_user(review.organisation, changes.pop("chair_email"))
    reviews.update_review(review, actor=request.user, **changes)
    return _review(review)


@router.post(
    "/management-reviews/{review_id}/inputs",
    response=ReviewDetailOut,
    summary="Gather the review's inputs from the data",
)
def gather_inputs(request: AimwellRequest, review_id: uuid.UUID) -> ManagementReview:
    review = _review_for_write(request, review_id)
    reviews.gather_inputs(review, actor=request.user)
    return _review(review)


@router.post(
    "/management-reviews/{review_id}/hold",
    response=ReviewDetailOut,
    summary="Record that the review was held, with its conclusions",
)
def hold_review(request: AimwellRequest, review_id: uuid.UUID, payload: HoldIn) -> ManagementReview:
    review = _review_for_write(request, review_id)
    reviews.hold_review(review, actor=request.user, **payload.model_dump())
    return _review(review)


@router.post(
    "/management-reviews/{review_id}/actions",
    response={201: ActionOut},
    summary="Turn a decision into a tracked action",
)
def add_review_action(
    request: AimwellRequest, review_id: uuid.UUID, payload: ActionIn
) -> Status[Action]:
    review = _review_for_write(request, review_id)
    action = improvement.add_review_action(
        review,
        actor=request.user,
        title=payload.title,
        description=payload.description,
        owner=member_user(review.organisation, payload.owner_email),
        due_date=payload.due_date,
    )
    return Status(201, action)
