"""The vendor's latest refusal of an item, the field it names, and clearing it once fixed.

An edit that changes the field a Failed item's latest refusal named records a `reason_resolved`
event (in the edit's own transaction); from then on the reason is shown as fixed until the next
send says otherwise. The newest of the two events (`submit_failed`, `reason_resolved`) decides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from podtui.domain.models import Event, OrderItem, Submission, SubmissionItem
from podtui.domain.rejection import Rejection, rejected_field
from podtui.domain.status import Action, ItemStatus
from podtui.services.items.timeline import record_event

RESOLVED = "reason_resolved"
FAILED_EVENT = Action.SUBMIT_FAILED.value


@dataclass(frozen=True)
class LatestRefusal:
    """An item's newest refused submission, the field it names, and whether it is fixed."""

    submission: Submission
    rejection: Rejection | None


def latest_refusal(session: Session, item: OrderItem) -> LatestRefusal | None:
    """The newest failed submission carrying `item`, with the field its refusal names."""
    sub = session.exec(
        select(Submission)
        .join(SubmissionItem, col(SubmissionItem.submission_id) == col(Submission.id))
        .where(col(SubmissionItem.item_id) == item.id, col(Submission.state) == "failed")
        .order_by(col(Submission.id).desc())
        .limit(1)
    ).first()
    if sub is None:
        return None
    fields = list((item.personalization or {}).keys())
    return LatestRefusal(sub, rejected_field(sub.error_message, sub.raw_response, fields))


def resolve_fixed(
    session: Session, items: Iterable[OrderItem], changed: Iterable[str], editor: str
) -> list[int]:
    """Record `reason_resolved` for each Failed item whose latest refusal named a changed field.

    Returns the ids of the items whose reason was cleared.
    """
    wanted = set(changed)
    cleared: list[int] = []
    for item in items:
        if item.status is not ItemStatus.FAILED or item.id is None:
            continue
        refusal = latest_refusal(session, item)
        if refusal is None or refusal.rejection is None:
            continue
        rejection = refusal.rejection
        if rejection.editor != editor or rejection.field not in wanted:
            continue
        record_event(
            session,
            RESOLVED,
            order_id=item.order_id,
            item_id=item.id,
            params={
                "field": rejection.field,
                "label": rejection.label,
                "reason": refusal.submission.error_message or "",
                "submission_id": refusal.submission.id,
            },
        )
        cleared.append(item.id)
    return cleared


def failed_items_of_order(session: Session, order_id: int) -> list[OrderItem]:
    return list(
        session.exec(
            select(OrderItem).where(
                col(OrderItem.order_id) == order_id, col(OrderItem.status) == ItemStatus.FAILED
            )
        ).all()
    )


def newest_reason_event(session: Session, item_id: int) -> Event | None:
    """The newer of the item's last refusal and its last `reason_resolved`."""
    return session.exec(
        select(Event)
        .where(col(Event.item_id) == item_id, col(Event.type).in_([RESOLVED, FAILED_EVENT]))
        .order_by(col(Event.id).desc())
        .limit(1)
    ).first()
