"""Render the print file of an item that is about to be sent and has none (yet or any more).

An item is Ready once rendered, but its file can be missing: imported Ready from another tool, the
print-file folder cleaned, the demo's seeded history. Rather than refuse, sending renders it now,
with the same template, values and atomic write as the render worker, and keeps it as the item's
current PrintFile; the item's status does not change. A render that fails ends the way every
render failure does (`failure.hold_for_render_failure`): the item goes On hold with the reason,
and nothing is sent for it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select

from podtui.db import Database
from podtui.domain.errors import DomainError
from podtui.domain.models import OrderItem, PrintFile, RenderJob
from podtui.domain.status import ItemStatus
from podtui.services.items.timeline import record_event
from podtui.services.render.failure import RenderProblem, hold_for_render_failure, problem_from

SENDABLE = (ItemStatus.READY, ItemStatus.FAILED)


def missing_print_files(
    db: Database,
    item_ids: Sequence[int],
    *,
    statuses: Sequence[ItemStatus] = SENDABLE,
) -> list[int]:
    """Items among `item_ids` in `statuses` that have no current print file on disk."""
    from pathlib import Path

    out: list[int] = []
    with db.read() as session:
        for start in range(0, len(item_ids), 500):
            chunk = list(item_ids[start : start + 500])
            items = session.exec(
                select(OrderItem.id).where(
                    col(OrderItem.id).in_(chunk), col(OrderItem.status).in_(list(statuses))
                )
            ).all()
            files = {
                pf.item_id: pf
                for pf in session.exec(
                    select(PrintFile).where(
                        col(PrintFile.item_id).in_(chunk), col(PrintFile.current).is_(True)
                    )
                ).all()
            }
            for item_id in items:
                pf = files.get(item_id) if item_id is not None else None
                if item_id is not None and (pf is None or not Path(pf.path).is_file()):
                    out.append(item_id)
    return out


def render_missing(
    db: Database,
    item_ids: Sequence[int],
    *,
    should_stop: Callable[[], bool] | None = None,
) -> dict[int, str]:
    """Render each item's print file now; returns item id -> why it could not be rendered."""
    from podtui.services.render import jobs as render
    from podtui.services.render.task import RenderFailure, run_request

    problems: dict[int, str] = {}
    pconfig = render.personalization_config()
    for item_id in item_ids:
        if should_stop is not None and should_stop():
            problems[item_id] = "stopped before its print file was rendered"
            continue
        problem: RenderProblem | None = None
        try:
            with db.read() as session:
                job: Any = RenderJob(id=0, item_id=item_id)  # not stored: a render on the spot
                prepared = render.prepare(session, job, pconfig)
            result = run_request(prepared.request)
        except Exception as exc:  # bad template, bad values, or a fault: the reason says which
            problem = problem_from(exc)
        else:
            if isinstance(result, RenderFailure):
                problem = RenderProblem(result.reason, result.detail)
        if problem is not None:
            problems[item_id] = f"cannot render its print file: {problem.reason}"
            with db.write() as session, contextlib.suppress(DomainError):
                hold_for_render_failure(session, item_id, problem, where="before sending")
            continue
        assert not isinstance(result, RenderFailure)
        with db.write() as session:
            session.execute(
                update(PrintFile)
                .where(col(PrintFile.item_id) == item_id, col(PrintFile.current).is_(True))
                .values(current=False)
            )
            session.add(
                PrintFile(
                    item_id=item_id,
                    path=result.path,
                    preview_path=result.preview_path,
                    mockup_path=result.mockup_path,
                    sha256=result.sha256,
                    width=result.width,
                    height=result.height,
                    dpi=result.dpi,
                    size_bytes=result.size_bytes,
                    current=True,
                )
            )
            item = session.get(OrderItem, item_id)
            record_event(
                session,
                "print_file_rendered",
                order_id=item.order_id if item else None,
                item_id=item_id,
                params={"sha256": result.sha256, "why": "rendered to send"},
            )
    return problems
