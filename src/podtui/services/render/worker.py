"""The render worker: claims jobs from the table and feeds them to a process pool.

Used by `podtui worker` (headless, any machine that shares the database) and by the TUI from a
background thread. No job takes the worker down: whatever one raises fails that job, with its
reason, and the worker goes on (`failure.py` says what happens to the item). The pool uses the
`forkserver` start method where there is one (`spawn` elsewhere), so pool processes never
inherit the parent's database connections or threads.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from podtui.db import Database
from podtui.domain.personalization import PersonalizationConfig
from podtui.services.render import jobs as render
from podtui.services.render.failure import RenderProblem, problem_from
from podtui.services.render.print_output import PngSettings
from podtui.services.render.task import (
    RenderFailure,
    RenderOutput,
    RenderRequest,
    quiet_process,
    run_request,
)

HEARTBEAT_SECONDS = 20.0
MAX_POOL_BREAKS = 5  # pools broken in a row with no job done: the machine, not a design


class RenderWorkerError(RuntimeError):
    """The worker cannot go on (its render processes cannot run at all)."""


_Future = Future[RenderOutput | RenderFailure]


@dataclass(frozen=True)
class WorkerEvent:
    """Something the worker did, for a log line or a progress bar."""

    kind: str  # claimed | done | held | failed | requeued | idle (runner: restarting | stopped)
    job_id: int | None = None
    item_id: int | None = None
    message: str = ""


@dataclass
class WorkerStats:
    """What one run of the worker did."""

    done: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)
    requeued: list[int] = field(default_factory=list)


def pool_context() -> multiprocessing.context.BaseContext:
    """forkserver where the platform has it (Linux), else spawn: both start clean processes."""
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        # Import Pillow and the renderer once in the server, not in every pool process.
        ctx.set_forkserver_preload(["podtui.services.render.task"])
    _start_helpers(ctx)
    return ctx


def _start_helpers(ctx: multiprocessing.context.BaseContext) -> None:
    """Start multiprocessing's helper processes with a real stderr descriptor.

    Inside the TUI, Textual replaces sys.stderr with an object whose fileno() is not a file
    descriptor; the resource tracker passes that descriptor to the process it starts and
    fails. Started here once (with the process's real stderr), they are reused afterwards.
    """
    from multiprocessing import forkserver, resource_tracker

    saved = sys.stderr
    try:
        usable = saved is not None and saved.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if not usable and sys.__stderr__ is not None:
        sys.stderr = sys.__stderr__
    try:
        resource_tracker.ensure_running()
        if ctx.get_start_method() == "forkserver":
            forkserver.ensure_running()
    finally:
        sys.stderr = saved


class RenderWorker:
    """Claims render jobs and renders them in `processes` pool processes."""

    def __init__(
        self,
        db: Database,
        *,
        processes: int = 2,
        pconfig: PersonalizationConfig | None = None,
        poll_interval: float = 1.0,
        photo_timeout: float = 10.0,
        png: PngSettings | None = None,
        root: Path | None = None,
        on_event: Callable[[WorkerEvent], None] | None = None,
    ) -> None:
        self.db = db
        self.processes = max(1, processes)
        self.pconfig = pconfig if pconfig is not None else render.personalization_config()
        self.poll_interval = poll_interval
        self.photo_timeout = photo_timeout
        self.png = png or PngSettings()
        self.root = root
        self.name = render.worker_name()
        self.on_event = on_event
        self.stats = WorkerStats()
        self._notes: dict[int, list[str]] = {}

    def _emit(self, kind: str, job_id: int | None, item_id: int | None, message: str) -> None:
        if self.on_event is not None:
            self.on_event(WorkerEvent(kind, job_id, item_id, message))

    def _submit(self, pool: ProcessPoolExecutor) -> tuple[_Future, int, int] | None:
        """Claim one job and hand it to the pool; None when the queue is empty."""
        while True:
            job = render.claim_next(self.db, self.name)
            if job is None:
                return None
            assert job.id is not None
            try:
                with self.db.read() as session:
                    prepared = render.prepare(
                        session,
                        job,
                        self.pconfig,
                        photo_timeout=self.photo_timeout,
                        root=self.root,
                    )
            except Exception as exc:
                # Bad input (a template, a value) or a fault of ours: either way this job
                # fails with its reason and the worker goes on to the next.
                self._failed(job.id, job.item_id, problem_from(exc), bad_input=True)
                continue
            request = prepared.request
            if self.png != request.png:
                request = RenderRequest(**{**request.__dict__, "png": self.png})
            self._notes[job.id] = prepared.warnings
            self._emit("claimed", job.id, job.item_id, f"rendering item {job.item_id}")
            return pool.submit(run_request, request), job.id, job.item_id

    def _failed(
        self, job_id: int, item_id: int, problem: RenderProblem, *, bad_input: bool
    ) -> None:
        render.record_failure(self.db, self.name, job_id, item_id, problem, bad_input=bad_input)
        self.stats.failed[job_id] = problem.reason
        self._emit("held" if bad_input else "failed", job_id, item_id, problem.reason)

    def _finish(self, job_id: int, item_id: int, future: _Future) -> None:
        """Record what the pool made of one job; BrokenProcessPool is the caller's to handle."""
        notes = self._notes.pop(job_id, [])
        try:
            result = future.result()
        except BrokenProcessPool:
            raise
        except Exception as exc:  # the result could not come back (it would not pickle ...)
            self._failed(job_id, item_id, problem_from(exc), bad_input=True)
            return
        if isinstance(result, RenderFailure):
            problem = RenderProblem(result.reason, result.detail)
            self._failed(job_id, item_id, problem, bad_input=result.bad_input)
            return
        if render.record_success(self.db, self.name, result, notes):
            self.stats.done.append(job_id)
            self._emit("done", job_id, item_id, result.path)

    def run(
        self, *, once: bool = False, should_stop: Callable[[], bool] | None = None
    ) -> WorkerStats:
        """Render until stopped (or, with `once`, until the queue is empty)."""
        stop = should_stop or (lambda: False)
        for job_id in render.requeue_stale(self.db):
            self.stats.requeued.append(job_id)
            self._emit("requeued", job_id, None, "its worker had stopped")
        inflight: dict[_Future, tuple[int, int]] = {}
        pool = ProcessPoolExecutor(
            max_workers=self.processes, mp_context=pool_context(), initializer=quiet_process
        )
        last_beat = last_sweep = time.monotonic()
        breaks = 0
        try:
            while not stop():
                # One more job than processes, so a process never waits for the database.
                while len(inflight) <= self.processes:
                    submitted = self._submit(pool)
                    if submitted is None:
                        break
                    future, job_id, item_id = submitted
                    inflight[future] = (job_id, item_id)
                if not inflight:
                    if once:
                        break
                    self._sleep(stop)
                    if time.monotonic() - last_sweep > render.STALE_AFTER.total_seconds() / 2:
                        last_sweep = time.monotonic()
                        self.stats.requeued += render.requeue_stale(self.db)
                    continue
                done, _ = wait(list(inflight), timeout=1.0, return_when=FIRST_COMPLETED)
                for future in done:
                    job_id, item_id = inflight.pop(future)
                    try:
                        self._finish(job_id, item_id, future)
                    except BrokenProcessPool:
                        # A pool process died (killed, out of memory): its jobs go back, and
                        # a job that keeps killing processes is held after MAX_ATTEMPTS.
                        inflight[future] = (job_id, item_id)
                        breaks += 1
                        if breaks > MAX_POOL_BREAKS:
                            raise RenderWorkerError(
                                f"render processes died {breaks} times in a row without "
                                "finishing a job; stopping (see the log for the cause)"
                            ) from None
                        pool = self._renew(pool, inflight)
                        break
                    else:
                        breaks = 0
                if time.monotonic() - last_beat > HEARTBEAT_SECONDS:
                    last_beat = time.monotonic()
                    render.heartbeat(self.db, self.name, [j for j, _ in inflight.values()])
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            render.release_jobs(
                self.db, self.name, [j for j, _ in inflight.values()], "worker stopped; requeued"
            )
        return self.stats

    def _renew(
        self,
        pool: ProcessPoolExecutor,
        inflight: dict[_Future, tuple[int, int]],
    ) -> ProcessPoolExecutor:
        pool.shutdown(wait=False, cancel_futures=True)
        for job_id, item_id in inflight.values():
            gave_up = render.crash_release(self.db, self.name, job_id, item_id)
            self._emit("held" if gave_up else "requeued", job_id, item_id, "a render process died")
        inflight.clear()
        return ProcessPoolExecutor(
            max_workers=self.processes, mp_context=pool_context(), initializer=quiet_process
        )

    def _sleep(self, stop: Callable[[], bool]) -> None:
        deadline = time.monotonic() + self.poll_interval
        while time.monotonic() < deadline and not stop():
            time.sleep(min(0.1, self.poll_interval))
