"""A render that fails never takes its worker down, and the item's outcome is the same wherever
the render ran (`podtui worker`, the app's background renderer, the render before a send): the
item goes On hold with a plain reason and a `render_failed` event that keeps the raw error."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text, update
from sqlmodel import col, select

from podtui import config
from podtui.db import Database
from podtui.domain.models import Event, OrderItem, RenderJob
from podtui.domain.status import ItemStatus
from podtui.services.render.on_demand import render_missing
from podtui.services.render.runner import BackgroundRenderer
from podtui.services.render.worker import RenderWorker, WorkerEvent
from tests.services.render.conftest import Shop

NOT_UTF8 = "is not UTF-8 text"


def latin1_template() -> str:
    """A template saved in Latin-1 by an editor (its title has an é): not UTF-8."""
    folder = config.config_dir() / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "latin.toml").write_bytes(
        'name = "latin"\ntitle = "Café mug"\nwidth = 600\nheight = 400\n'
        '[[layers]]\ntype = "text"\nid = "name"\nfield = "name"\n'
        'font = "DejaVuSans.ttf"\nsize = 80\nbox = [0, 0, 600, 400]\n'.encode("latin-1")
    )
    return "latin"


def corrupt_personalization(db: Database, item_id: int) -> None:
    """Bad data left by an old import: the edits column holds a list, not a table of fields."""
    with db.write() as session:
        session.execute(
            update(OrderItem).where(col(OrderItem.id) == item_id).values(personalization=["Anna"])
        )


def item(db: Database, item_id: int) -> OrderItem:
    with db.read() as session:
        found = session.get(OrderItem, item_id)
        assert found is not None
        return found


def job_of(db: Database, item_id: int) -> RenderJob:
    with db.read() as session:
        [job] = session.exec(select(RenderJob).where(col(RenderJob.item_id) == item_id)).all()
        return job


def failures(db: Database, item_id: int) -> list[Event]:
    with db.read() as session:
        return list(
            session.exec(
                select(Event).where(
                    col(Event.item_id) == item_id, col(Event.type) == "render_failed"
                )
            ).all()
        )


def assert_held(db: Database, item_id: int, reason: str, *, raw: str = "") -> Event:
    held = item(db, item_id)
    assert held.status is ItemStatus.ON_HOLD, held.status
    assert held.hold_reason is not None and reason in held.hold_reason, held.hold_reason
    [event] = failures(db, item_id)
    assert event.to_status == "on_hold"
    assert event.params["reason"] == held.hold_reason
    if raw:
        assert raw in event.params["error"]  # the raw exception, for whoever debugs it
        assert raw not in held.hold_reason  # the operator reads plain words
    return event


def test_a_template_that_is_not_utf8_holds_its_item_and_the_worker_goes_on(
    db: Database, shop: Shop
) -> None:
    bad = shop.item(latin1_template(), {"name": "Zoë"})
    good = shop.item("mug-wrap", {"name": "Tom"})

    stats = RenderWorker(db, processes=1).run(once=True)  # today: UnicodeDecodeError escapes

    event = assert_held(db, bad, NOT_UTF8)
    assert "latin.toml" in event.params["reason"] and "save it as UTF-8" in event.params["reason"]
    assert (event.from_status, event.to_status) == ("rendering", "on_hold")
    job = job_of(db, bad)
    assert (job.state, job.attempts, job.error) == ("failed", 1, item(db, bad).hold_reason)
    assert item(db, good).status is ItemStatus.READY
    assert set(stats.failed) == {job.id} and len(stats.done) == 1


def test_an_unexpected_error_fails_only_its_job_and_keeps_the_raw_error(
    db: Database, shop: Shop
) -> None:
    bad = shop.item("mug-wrap", {"name": "Ann"})
    corrupt_personalization(db, bad)
    good = shop.item("mug-wrap", {"name": "Tom"})

    RenderWorker(db, processes=1).run(once=True)

    assert_held(db, bad, "unexpected error", raw="AttributeError")
    assert job_of(db, bad).state == "failed"
    assert item(db, good).status is ItemStatus.READY


def test_the_apps_background_renderer_goes_on_past_a_bad_job(db: Database, shop: Shop) -> None:
    bad_template = shop.item(latin1_template(), {"name": "Zoë"})
    bad_data = shop.item("mug-wrap", {"name": "Ann"})
    corrupt_personalization(db, bad_data)
    good = shop.item("mug-wrap", {"name": "Tom"})
    seen: list[WorkerEvent] = []
    settled = threading.Event()

    def on_event(event: WorkerEvent) -> None:
        seen.append(event)
        if event.kind == "stopped" or (event.kind == "done" and event.item_id == good):
            settled.set()

    renderer = BackgroundRenderer(db, processes=1, on_event=on_event, poll_interval=0.05)
    renderer.start()
    try:
        assert settled.wait(120), "the renderer neither finished nor stopped"
        assert renderer.error is None and renderer.alive, [e.message for e in seen]
    finally:
        renderer.stop()
    assert_held(db, bad_template, NOT_UTF8)
    assert_held(db, bad_data, "unexpected error", raw="AttributeError")
    assert item(db, good).status is ItemStatus.READY
    assert {e.item_id for e in seen if e.kind == "held"} == {bad_template, bad_data}


def test_the_app_renderer_outlives_a_database_error_between_jobs(db: Database, shop: Shop) -> None:
    """Not a job's fault (the queue table cannot be read): say so, start again, render on."""
    with db.write() as session:
        session.execute(text("ALTER TABLE render_job RENAME TO render_job_away"))
    stopped = threading.Event()
    done = threading.Event()

    def on_event(event: WorkerEvent) -> None:
        if event.kind == "restarting":
            stopped.set()
        if event.kind == "done":
            done.set()

    renderer = BackgroundRenderer(
        db, processes=1, on_event=on_event, poll_interval=0.05, restart_after=0.05
    )
    renderer.start()
    try:
        assert stopped.wait(60), "the renderer did not report the error"
        assert renderer.alive
        with db.write() as session:
            session.execute(text("ALTER TABLE render_job_away RENAME TO render_job"))
        good = shop.item("mug-wrap", {"name": "Tom"})
        assert done.wait(120), "the renderer did not start again"
    finally:
        renderer.stop()
    assert item(db, good).status is ItemStatus.READY


@pytest.mark.parametrize("status", [ItemStatus.READY, ItemStatus.FAILED])
def test_a_render_before_a_send_that_fails_holds_the_item(
    db: Database, shop: Shop, status: ItemStatus
) -> None:
    item_id = shop.item(latin1_template(), {"name": "Zoë"}, status=status, queue=False)

    problems = render_missing(db, [item_id])

    assert NOT_UTF8 in problems[item_id]
    event = assert_held(db, item_id, NOT_UTF8)
    assert event.from_status == status.value
    assert item(db, item_id).status_before is status  # releasing it goes back


def test_every_exception_gets_plain_words_and_keeps_the_raw_error() -> None:
    from podtui.services.render.failure import UNEXPECTED, problem_from
    from podtui.services.render.renderer import RenderError

    assert problem_from(RenderError("Name is empty; the design needs it")).error == ""
    font = problem_from(OSError("unknown file format"))  # FreeType on a broken font file
    assert font.reason == "a file of the render could not be used: unknown file format"
    missing = problem_from(FileNotFoundError(2, "No such file or directory", "/srv/a.png"))
    assert missing.reason == (
        "a file of the render could not be used: No such file or directory (/srv/a.png)"
    )
    for exc in (KeyError("name"), ZeroDivisionError("division by zero")):
        try:
            raise exc
        except Exception as raised:
            problem = problem_from(raised)
        assert problem.reason == UNEXPECTED
        assert type(exc).__name__ in problem.error and "Traceback" in problem.error
