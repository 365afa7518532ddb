"""Render jobs: the queue in the `render_job` table and what happens around each render.

A job is claimed with a compare-and-set (`UPDATE ... WHERE id = :id AND state = 'queued'`), so
two workers, on one machine or two, never take the same job. The claiming worker builds the
request from the database, a pool process renders and writes the files, and the worker records
the outcome in one transaction: a PrintFile row plus `rendering -> ready` through
`apply_action`, or, on any failure, the item On hold with the reason (`failure.py`, the one
render-failure path). A running job whose worker died (its pid is gone, or its heartbeat is too
old) is put back in the queue; after `MAX_ATTEMPTS` crashes the item is held instead.
The pool itself is in `services/render/worker.py`.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from podtui import config
from podtui.db import Database
from podtui.domain.errors import DomainError
from podtui.domain.letter_case import language_of
from podtui.domain.models import Artwork, Order, OrderItem, PrintFile, RenderJob, Store, utcnow
from podtui.domain.personalization import (
    FieldProblem,
    PersonalizationConfig,
    check_values,
    parse_personalization,
)
from podtui.domain.status import Action, ItemStatus
from podtui.domain.template import Template, TemplateError, load_template
from podtui.services.items.timeline import record_event
from podtui.services.items.transitions import apply_action, load_item
from podtui.services.render.failure import RenderProblem, hold_for_render_failure
from podtui.services.render.photo_fetch import PhotoLimits, PhotoSources
from podtui.services.render.print_files import item_paths
from podtui.services.render.renderer import PACKAGE_TEMPLATES, RenderError
from podtui.services.render.task import RenderOutput, RenderRequest

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STALE_AFTER = timedelta(minutes=2)  # a running job whose heartbeat is older has lost its worker
MAX_ATTEMPTS = 3


def worker_name() -> str:
    """This process as a job's claimant: host:pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


def template_dirs() -> list[Path]:
    """Where template names are looked up: the user's templates, then the shipped ones."""
    return [config.config_dir() / "templates", PACKAGE_TEMPLATES]


def resolve_template(name: str) -> Path:
    """The template file an Artwork names: a path (library artwork: in the data dir) or a name."""
    if not name:
        raise TemplateError("the artwork names no template")
    direct = Path(name).expanduser()
    if direct.suffix == ".toml" and direct.is_file():
        return direct.resolve()
    in_library = config.data_dir() / direct  # library artwork: relative to the data directory
    if direct.suffix == ".toml" and not direct.is_absolute() and in_library.is_file():
        return in_library
    for folder in template_dirs():
        candidate = folder / f"{Path(name).stem}.toml"
        if candidate.is_file():
            return candidate
    looked = ", ".join(str(d) for d in template_dirs())
    raise TemplateError(f"template {name!r} not found (looked in {looked})")


def enqueue(session: Session, item_id: int) -> RenderJob:
    """Queue a render of the item (one waiting job per item is enough)."""
    waiting = session.exec(
        select(RenderJob).where(col(RenderJob.item_id) == item_id, col(RenderJob.state) == QUEUED)
    ).first()
    if waiting is not None:
        return waiting
    job = RenderJob(item_id=item_id, state=QUEUED, created_at=utcnow())
    session.add(job)
    session.flush()
    return job


def claim_next(db: Database, worker: str) -> RenderJob | None:
    """Take the oldest queued job for `worker`, or None when the queue is empty."""
    for _ in range(10):
        with db.write() as session:
            job_id = session.exec(
                select(RenderJob.id)
                .where(col(RenderJob.state) == QUEUED)
                .order_by(col(RenderJob.id))
                .limit(1)
                # PostgreSQL: a job another worker is claiming right now is passed over, not
                # waited on (SQLite has no row locks; its write lock already serialises claims).
                .with_for_update(skip_locked=True)
            ).first()
            if job_id is None:
                return None
            result = session.execute(
                update(RenderJob)
                .where(col(RenderJob.id) == job_id, col(RenderJob.state) == QUEUED)
                .values(
                    state=RUNNING,
                    worker=worker,
                    claimed_at=utcnow(),
                    attempts=RenderJob.attempts + 1,
                    error=None,
                )
            )
            if result.rowcount == 1:  # type: ignore[attr-defined]
                return session.get(RenderJob, job_id, populate_existing=True)
        # Another worker won this one (PostgreSQL, no write lock): try the next.
    return None


def _update_held(session: Session, holder: str | None, job_ids: list[int], **values: Any) -> int:
    """Change jobs only while `holder` still runs them (a compare-and-set); the row count."""
    result = session.execute(
        update(RenderJob)
        .where(
            col(RenderJob.id).in_(job_ids),
            col(RenderJob.state) == RUNNING,
            col(RenderJob.worker) == holder,
        )
        .values(**values)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def _requeue_values(error: str) -> dict[str, Any]:
    return {"state": QUEUED, "worker": None, "claimed_at": None, "error": error}


def heartbeat(db: Database, worker: str, job_ids: list[int]) -> None:
    """Say the worker still renders these jobs, so nobody takes them as stale."""
    if not job_ids:
        return
    with db.write() as session:
        _update_held(session, worker, job_ids, claimed_at=utcnow())


def _pid_gone(worker: str | None) -> bool:
    if not worker or ":" not in worker:
        return False
    host, _, pid_text = worker.rpartition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False  # another machine's worker: only its heartbeat can tell
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _aware(value: datetime | None) -> datetime | None:
    # SQLite hands datetimes back naive; they were written as UTC.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def requeue_stale(db: Database, *, stale_after: timedelta = STALE_AFTER) -> list[int]:
    """Put back jobs whose worker died; hold items whose render crashed MAX_ATTEMPTS times."""
    requeued: list[int] = []
    with db.read() as session:
        running = session.exec(select(RenderJob).where(col(RenderJob.state) == RUNNING)).all()
    limit = utcnow() - stale_after
    for job in running:
        claimed = _aware(job.claimed_at)
        if not (_pid_gone(job.worker) or claimed is None or claimed < limit):
            continue
        assert job.id is not None
        with db.write() as session:
            reason = f"worker {job.worker} stopped during the render"
            if job.attempts >= MAX_ATTEMPTS:
                _finish(
                    session,
                    job.id,
                    job.worker,
                    FAILED,
                    f"{reason}; it crashed {job.attempts} times, so it is not retried",
                )
                with contextlib.suppress(DomainError):
                    hold_for_render_failure(
                        session,
                        job.item_id,
                        f"render crashed {job.attempts} times; check the design and regenerate",
                        job_id=job.id,
                        where=job.worker or "",
                    )
                continue
            if _update_held(
                session, job.worker, [job.id], **_requeue_values(f"{reason}; requeued")
            ):
                requeued.append(job.id)
    return requeued


def release_jobs(db: Database, worker: str, job_ids: list[int], why: str) -> None:
    """Give jobs this worker claimed back to the queue (shutdown, a broken pool)."""
    if not job_ids:
        return
    with db.write() as session:
        _update_held(session, worker, job_ids, **_requeue_values(why))


def crash_release(db: Database, worker: str, job_id: int, item_id: int) -> bool:
    """A render process died under this job: requeue it, or hold the item after MAX_ATTEMPTS.

    Returns True when it gave up (the item is held).
    """
    with db.write() as session:
        job = session.get(RenderJob, job_id, populate_existing=True)
        if job is None or job.state != RUNNING or job.worker != worker:
            return False
        if job.attempts >= MAX_ATTEMPTS:
            reason = f"render crashed {job.attempts} times; check the design and regenerate"
            if _finish(session, job_id, worker, FAILED, reason):
                with contextlib.suppress(DomainError):
                    hold_for_render_failure(session, item_id, reason, job_id=job_id, where=worker)
            return True
        _update_held(session, worker, [job_id], **_requeue_values("a render process died"))
        return False


def personalization_config() -> PersonalizationConfig:
    return PersonalizationConfig.from_section(config.load_config().extra.get("personalization"))


def item_values(
    session: Session, item: OrderItem, template: Template, pconfig: PersonalizationConfig
) -> tuple[dict[str, str], dict[str, str]]:
    """(values, where each came from): the store payload parsed, the operator's edits on top."""
    order = session.get(Order, item.order_id)
    note = order.customer_note if order is not None else ""
    parsed = parse_personalization(template.fields, item.personalization_raw, note, pconfig)
    values = dict(parsed.values)
    sources = dict(parsed.sources)
    for name, value in item.personalization.items():
        if value is not None:
            values[name] = value if isinstance(value, str) else str(value)
            sources[name] = "edited"
    wanted = {spec.name for spec in template.fields}
    return {k: v for k, v in values.items() if k in wanted}, sources


def preflight(
    session: Session, item_id: int, pconfig: PersonalizationConfig | None = None
) -> list[FieldProblem]:
    """What is wrong with the item's values for its template, before anyone renders it."""
    item = load_item(session, item_id)
    template, _ = _item_template(session, item)
    values, _ = item_values(session, item, template, pconfig or personalization_config())
    return check_values(template.fields, values, pconfig)


def order_language(store: Store) -> str:
    """The language an order of `store` is written in: its customer locale ('' when unknown)."""
    return language_of(str((store.settings or {}).get("locale") or ""))


def _item_template(session: Session, item: OrderItem) -> tuple[Template, Path]:
    artwork = session.get(Artwork, item.artwork_id) if item.artwork_id is not None else None
    if artwork is None:
        raise RenderError("no artwork is linked to the item")
    path = resolve_template(artwork.template)
    return load_template(path), path


@dataclass
class Prepared:
    """A claimed job turned into a pool request, with notes to keep on the timeline."""

    request: RenderRequest
    warnings: list[str] = field(default_factory=list)


def prepare(
    session: Session,
    job: RenderJob,
    pconfig: PersonalizationConfig,
    *,
    photos: PhotoLimits | None = None,
    root: Path | None = None,
) -> Prepared:
    """Build the render request for a claimed job; RenderError/TemplateError on bad input.

    `photos` says how photo URLs may be fetched (the config file's `[render] photo_*` when None).
    """
    assert job.id is not None
    item = load_item(session, job.item_id)
    template, path = _item_template(session, item)
    values, _ = item_values(session, item, template, pconfig)
    problems = check_values(template.fields, values, pconfig)
    blocking = [p.message for p in problems if p.blocking]
    if blocking:
        raise RenderError("; ".join(blocking))
    order = session.get(Order, item.order_id)
    store = session.get(Store, item.store_id)
    assert order is not None and store is not None
    paths = item_paths(store, order, item, root)
    request = RenderRequest(
        job_id=job.id,
        item_id=job.item_id,
        template_path=str(path),
        variant=item.variant_title,
        values=values,
        out_path=str(paths.print_file),
        preview_path=str(paths.preview),
        mockup_path=str(paths.mockup) if template.mockup is not None else None,
        photos=PhotoSources.of_shop(photos),
        language=template.language or order_language(store),
    )
    return Prepared(request, [p.message for p in problems if not p.blocking])


def _finish(
    session: Session, job_id: int, worker: str | None, state: str, error: str | None
) -> bool:
    return (
        _update_held(session, worker, [job_id], state=state, error=error, finished_at=utcnow()) == 1
    )


def record_success(
    db: Database, worker: str, output: RenderOutput, notes: list[str] | None = None
) -> bool:
    """Store the print file and move the item to Ready; False if the job was taken from us."""
    with db.write() as session:
        if not _finish(session, output.job_id, worker, DONE, None):
            return False
        session.execute(
            update(PrintFile)
            .where(col(PrintFile.item_id) == output.item_id, col(PrintFile.current).is_(True))
            .values(current=False)
        )
        session.add(
            PrintFile(
                item_id=output.item_id,
                path=output.path,
                preview_path=output.preview_path,
                mockup_path=output.mockup_path,
                sha256=output.sha256,
                width=output.width,
                height=output.height,
                dpi=output.dpi,
                size_bytes=output.size_bytes,
                current=True,
            )
        )
        warnings = [*(notes or []), *output.warnings]
        params: dict[str, Any] = {"job": output.job_id, "sha256": output.sha256}
        if warnings:
            params["warnings"] = warnings
        item = load_item(session, output.item_id)
        if item.status is ItemStatus.RENDERING:
            apply_action(session, output.item_id, Action.RENDER_DONE, params=params)
        else:
            record_event(
                session,
                "print_file_rendered",
                order_id=item.order_id,
                item_id=item.id,
                params=params,
            )
    return True


def record_failure(
    db: Database,
    worker: str,
    job_id: int,
    item_id: int,
    problem: RenderProblem | str,
    *,
    bad_input: bool,
) -> bool:
    """A render that cannot succeed as things are: the job fails, the item goes on hold
    (`failure.hold_for_render_failure`), the job keeping the plain reason.

    A failure that is not the input's fault (a full disk) requeues the job until MAX_ATTEMPTS.
    """
    if isinstance(problem, str):
        problem = RenderProblem(problem)
    with db.write() as session:
        job = session.get(RenderJob, job_id, populate_existing=True)
        if job is None:
            return False
        if not bad_input and job.attempts < MAX_ATTEMPTS:
            return _update_held(session, worker, [job_id], **_requeue_values(problem.reason)) == 1
        if not _finish(session, job_id, worker, FAILED, problem.reason):
            return False
        # If the item moved meanwhile (another operator), the job still keeps the reason.
        with contextlib.suppress(DomainError):
            hold_for_render_failure(session, item_id, problem, job_id=job_id, where=worker)
    return True


@dataclass(frozen=True)
class JobRow:
    """One job as the queue screen shows it."""

    job_id: int
    item_id: int
    order_name: str
    title: str
    state: str
    attempts: int
    worker: str | None
    error: str | None
    claimed_at: datetime | None = None
    finished_at: datetime | None = None
    order_id: int | None = None


@dataclass(frozen=True)
class QueueSnapshot:
    """Counts per state and the jobs worth showing (running, then queued, then failed), plus
    the last few finished ones."""

    counts: Mapping[str, int]
    jobs: list[JobRow]
    finished: list[JobRow] = field(default_factory=list)

    @property
    def pending(self) -> int:
        return self.counts.get(QUEUED, 0) + self.counts.get(RUNNING, 0)


def queue_snapshot(session: Session, limit: int = 50, finished: int = 10) -> QueueSnapshot:
    """The queue right now, for the TUI and `podtui worker --status`."""
    counted = session.exec(
        select(RenderJob.state, func.count()).group_by(col(RenderJob.state))
    ).all()
    counts = {state: int(n) for state, n in counted}
    rows: list[JobRow] = []
    for state in (RUNNING, QUEUED, FAILED):
        order = col(RenderJob.id).desc() if state == FAILED else col(RenderJob.id)
        rows += _job_rows(session, state, order, max(0, limit - len(rows)))
    done = _job_rows(session, DONE, col(RenderJob.id).desc(), finished) if finished else []
    return QueueSnapshot(counts, rows, done)


def _job_rows(session: Session, state: str, order: Any, limit: int) -> list[JobRow]:
    found = session.exec(
        select(RenderJob, OrderItem, Order)
        .join(OrderItem, col(OrderItem.id) == col(RenderJob.item_id))
        .join(Order, col(Order.id) == col(OrderItem.order_id))
        .where(col(RenderJob.state) == state)
        .order_by(order)
        .limit(limit)
    ).all()
    rows: list[JobRow] = []
    for job, item, order_row in found:
        assert job.id is not None and item.id is not None
        rows.append(
            JobRow(
                job.id,
                item.id,
                order_row.name,
                item.title,
                job.state,
                job.attempts,
                job.worker,
                job.error,
                _aware(job.claimed_at),
                _aware(job.finished_at),
                order_row.id,
            )
        )
    return rows
