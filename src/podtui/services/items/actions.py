"""An item's status moves: approve, regenerate, hold, release, ignore, restore, cancel.

Each function works inside the caller's `db.write()` transaction: it moves an item only through
`apply_action` (rule check, compare-and-set, one event) and raises a DomainError subclass whose
message an operator can act on. Input is checked before anything is written, so a refusal saves
nothing. The optional `expected` argument is the status the caller showed the operator: when
another operator moved the item meanwhile, the call fails with ConcurrentChangeError instead of
acting on an item the operator did not see.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from podtui.domain.errors import ValidationError
from podtui.domain.models import (
    OrderItem,
    RenderJob,
)
from podtui.domain.status import Action, ItemStatus
from podtui.services.items.transitions import apply_action, load_item


def _queue_render(session: Session, item_id: int) -> RenderJob:
    """A queued render job for the item (the one already waiting, if there is one)."""
    waiting = session.exec(
        select(RenderJob).where(RenderJob.item_id == item_id, RenderJob.state == "queued")
    ).first()
    if waiting is not None:
        return waiting
    job = RenderJob(item_id=item_id, state="queued")
    session.add(job)
    session.flush()
    return job


def approve(session: Session, item_id: int, *, expected: ItemStatus | None = None) -> OrderItem:
    """Approve the design: the item goes to rendering and a render job is queued."""
    item = apply_action(session, item_id, Action.APPROVE, expected=expected)
    _queue_render(session, item_id)
    return item


def regenerate(session: Session, item_id: int, *, expected: ItemStatus | None = None) -> OrderItem:
    """Render the print file again (in place for sent/fulfilled items: never re-sent)."""
    item = apply_action(session, item_id, Action.REGENERATE, expected=expected)
    _queue_render(session, item_id)
    return item


def retry_render(session: Session, job_id: int) -> OrderItem:
    """Render a failed job's item again (regenerate), unless it was queued again since."""
    job = session.get(RenderJob, job_id)
    if job is None or job.state != "failed":
        state = job.state if job is not None else "gone"
        raise ValidationError(f"Render job {job_id} did not fail ({state}): nothing to retry.")
    newer = session.exec(
        select(RenderJob.id).where(RenderJob.item_id == job.item_id, col(RenderJob.id) > job_id)
    ).first()
    if newer is not None:
        raise ValidationError(
            f"Item {job.item_id} was rendered again since (job {newer}): nothing to retry."
        )
    return regenerate(session, job.item_id)


def hold(
    session: Session, item_id: int, reason: str, *, expected: ItemStatus | None = None
) -> OrderItem:
    """Put the item on hold with the operator's reason (it stops any auto-submit countdown)."""
    why = reason.strip()
    if not why:
        raise ValidationError(
            f"Item {item_id} was not put on hold: say why, so the next person knows.",
            fields={"reason": "a hold needs a reason"},
        )
    return apply_action(
        session,
        item_id,
        Action.HOLD,
        values={"hold_reason": why},
        params={"reason": why},
        expected=expected,
    )


def release(session: Session, item_id: int, *, expected: ItemStatus | None = None) -> OrderItem:
    """Release a held item back to the status it had before the hold."""
    item = load_item(session, item_id)
    return apply_action(
        session,
        item_id,
        Action.RELEASE,
        params={"hold_reason": item.hold_reason},
        expected=expected,
        expected_version=item.version,
    )


def ignore(session: Session, item_id: int, *, expected: ItemStatus | None = None) -> OrderItem:
    """Set the item aside; restore brings it back to where it was."""
    return apply_action(session, item_id, Action.IGNORE, expected=expected)


def restore(session: Session, item_id: int, *, expected: ItemStatus | None = None) -> OrderItem:
    """Bring an ignored or canceled item back to the status it had."""
    return apply_action(session, item_id, Action.RESTORE, expected=expected)


def cancel(
    session: Session, item_id: int, reason: str = "", *, expected: ItemStatus | None = None
) -> OrderItem:
    """Mark a sent item canceled (the vendor-side cancel belongs to the vendor adapters)."""
    why = reason.strip()
    return apply_action(
        session, item_id, Action.CANCEL, params={"reason": why} if why else None, expected=expected
    )
