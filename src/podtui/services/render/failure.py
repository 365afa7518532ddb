"""The one outcome of a render that failed, wherever it ran: the item goes On hold, with why.

The app's background renderer, `podtui worker` and the render before a send (`on_demand`) all
end here, so an operator sees one thing for every render failure: the item On hold, its hold
reason in plain words, and a `render_failed` event on its timeline. The move is a compare-and-set
through `apply_action` in the caller's transaction: Rendering -> On hold by the renderer's own
action; from a status where an operator may hold (Ready, Failed ...) by a hold that remembers the
status, so releasing goes back. Where the status table allows no hold (a re-render of a Sent or
Fulfilled item, an item in Sending), the item stays where it is and the timeline says why.

The reason is for the operator; the raw exception, when there was one, is kept in the event's
`error` for whoever debugs it. `problem_from` turns any exception into those two.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from podtui.domain.errors import DomainError
from podtui.domain.status import Action, ItemStatus, rule_for
from podtui.services.items.timeline import record_event
from podtui.services.items.transitions import apply_action, load_item

EVENT = "render_failed"
UNEXPECTED = (
    "the render failed on an unexpected error (kept on the item's timeline); "
    "regenerate to try again"
)
_RAW_LIMIT = 4000  # characters of traceback kept on the timeline


@dataclass(frozen=True)
class RenderProblem:
    """Why a render failed: `reason` for the operator, `error` the raw exception (or "")."""

    reason: str
    error: str = ""


def raw_error(exc: BaseException) -> str:
    """The exception as a developer reads it: its type, message and where it was raised."""
    text = "".join(traceback.format_exception(exc, limit=8)).strip()
    return text if len(text) <= _RAW_LIMIT else "..." + text[-_RAW_LIMIT:]


def problem_from(exc: BaseException) -> RenderProblem:
    """A plain reason for any exception a render raised, the raw one kept beside it.

    Domain errors (a bad template, a bad value, a photo that cannot be fetched) are written for
    the operator already; anything else is a fault the operator can only report or retry.
    """
    if isinstance(exc, DomainError):
        return RenderProblem(str(exc))
    if isinstance(exc, MemoryError):
        return RenderProblem("the render ran out of memory", raw_error(exc))
    if isinstance(exc, OSError):
        what = exc.strerror or str(exc) or type(exc).__name__  # Pillow: 'unknown file format'
        where = f" ({exc.filename})" if exc.filename else ""
        return RenderProblem(
            f"a file of the render could not be used: {what}{where}", raw_error(exc)
        )
    return RenderProblem(UNEXPECTED, raw_error(exc))


def hold_for_render_failure(
    session: Session,
    item_id: int,
    problem: RenderProblem | str,
    *,
    job_id: int | None = None,
    where: str = "",
) -> ItemStatus:
    """Put the item On hold with the problem's reason (or note it where no hold is allowed).

    One compare-and-set and one `render_failed` event, in the caller's transaction. `where`
    says which renderer it was (a worker's host:pid, "before sending"). Returns the item's
    status afterwards; raises ConcurrentChangeError if the item moved under the caller.
    """
    if isinstance(problem, str):
        problem = RenderProblem(problem)
    item = load_item(session, item_id)
    params: dict[str, Any] = {"reason": problem.reason}
    if job_id is not None:
        params["job"] = job_id
    if where:
        params["where"] = where
    if problem.error:
        params["error"] = problem.error
    for action in (Action.RENDER_FAILED, Action.HOLD):
        if rule_for(item.status, action) is not None:
            moved = apply_action(
                session,
                item_id,
                action,
                params=params,
                values={"hold_reason": problem.reason},
                event_type=EVENT,
                expected=item.status,
            )
            return moved.status
    record_event(session, EVENT, order_id=item.order_id, item_id=item_id, params=params)
    return item.status
