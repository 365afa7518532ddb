"""The render queue and worker against a real SQLite file: claims, outcomes, crashes, bad input."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from podtui import config
from podtui.db import Database
from podtui.domain.models import Event, OrderItem, PrintFile, RenderJob, utcnow
from podtui.domain.status import ItemStatus
from podtui.services.render import jobs as render
from podtui.services.render.print_output import file_sha256
from podtui.services.render.worker import RenderWorker
from tests.services.render.conftest import PhotoServer, Shop


def run_worker(db: Database, processes: int = 1) -> None:
    RenderWorker(db, processes=processes).run(once=True)


def item(db: Database, item_id: int) -> OrderItem:
    with db.read() as session:
        found = session.get(OrderItem, item_id)
        assert found is not None
        return found


def jobs(db: Database, item_id: int) -> list[RenderJob]:
    with db.read() as session:
        return list(session.exec(select(RenderJob).where(col(RenderJob.item_id) == item_id)).all())


def print_files(db: Database, item_id: int) -> list[PrintFile]:
    with db.read() as session:
        return list(
            session.exec(
                select(PrintFile)
                .where(col(PrintFile.item_id) == item_id)
                .order_by(col(PrintFile.id))
            ).all()
        )


def events(db: Database, item_id: int, kind: str) -> list[Event]:
    with db.read() as session:
        return list(
            session.exec(
                select(Event).where(col(Event.item_id) == item_id, col(Event.type) == kind)
            ).all()
        )


def files_of(item_id: int) -> list[Path]:
    root = config.print_files_dir()
    return (
        [p for p in root.rglob("*") if p.is_file() and f"{item_id}-" in p.name]
        if root.exists()
        else []
    )


def test_render_moves_item_to_ready_and_records_the_file(db: Database, shop: Shop) -> None:
    item_id = shop.item("mug-wrap", {"name": "Zoë", "message": "Party 🎉"}, title="Café Mug")
    run_worker(db)

    assert item(db, item_id).status is ItemStatus.READY
    [pf] = print_files(db, item_id)
    expected = config.print_files_dir() / "demo-shop" / "1001" / f"{item_id}-cafe-mug-white-l.png"
    assert Path(pf.path) == expected
    assert pf.current and pf.sha256 == file_sha256(expected)
    assert (pf.width, pf.height, pf.dpi) == (2550, 1050, 300)
    assert pf.size_bytes == expected.stat().st_size
    assert pf.preview_path and Path(pf.preview_path).is_file()
    assert pf.mockup_path and Path(pf.mockup_path).is_file()
    [job] = jobs(db, item_id)
    assert (job.state, job.attempts, job.error) == ("done", 1, None)
    [done] = events(db, item_id, "render_done")
    assert (done.from_status, done.to_status) == ("rendering", "ready")
    assert done.params["sha256"] == pf.sha256
    assert any("🎉" in w for w in done.params["warnings"])


def test_personalization_comes_from_the_store_payload(db: Database, shop: Shop) -> None:
    item_id = shop.item(
        "shirt-front",
        {},
        raw=[{"id": 1, "key": "_pname", "value": "Lena", "display_key": "Your name"}],
        note="Tagline: Best sister",
    )
    pconfig = render.PersonalizationConfig.from_section({"aliases": {"name": ["Your name"]}})
    with db.read() as session:
        current = session.get(OrderItem, item_id)
        assert current is not None
        template, _ = render._item_template(session, current)
        values, sources = render.item_values(session, current, template, pconfig)
    assert values == {"name": "Lena", "tagline": "Best sister"}
    assert sources == {"name": "woocommerce: Your name", "tagline": "note: Tagline"}


def test_rerender_of_a_sent_item_keeps_its_status(db: Database, shop: Shop) -> None:
    item_id = shop.item("mug-wrap", {"name": "Tom"}, status=ItemStatus.SENT)
    run_worker(db)
    with db.write() as session:
        render.enqueue(session, item_id)
    run_worker(db)
    assert item(db, item_id).status is ItemStatus.SENT
    first, second = print_files(db, item_id)
    assert not first.current and second.current
    assert first.sha256 == second.sha256  # same inputs, same bytes
    assert len(events(db, item_id, "print_file_rendered")) == 2


def test_bad_inputs_hold_the_item_with_the_reason_and_write_nothing(
    db: Database, shop: Shop, photo_server: PhotoServer, refused_url: str
) -> None:
    templates = config.config_dir() / "templates"
    templates.mkdir(parents=True)
    (templates / "badfont.toml").write_text(
        'name = "badfont"\nwidth = 600\nheight = 400\n'
        '[[layers]]\ntype = "text"\nid = "name"\nfield = "name"\n'
        'font = "NoSuchFont.ttf"\nsize = 80\nbox = [0, 0, 600, 400]\n',
        encoding="utf-8",
    )
    cases = {
        "does not fit its box even at the smallest size": shop.item(
            "shirt-front", {"name": "W" * 24}
        ),
        "Name has 30 characters; at most 24 fit": shop.item("shirt-front", {"name": "A" * 30}),
        "Name is empty": shop.item("shirt-front", {"name": " "}),
        "Name is empty: it holds only invisible characters (U+200B ZERO WIDTH SPACE)": shop.item(
            "shirt-front", {"name": "\u200b"}
        ),
        "font 'NoSuchFont.ttf' of template badfont is missing": shop.item("badfont", {"name": "x"}),
        "is not a readable image": shop.item(
            "mug-wrap", {"name": "x", "photo": photo_server.url("/corrupt.png")}
        ),
        "is too large to process safely": shop.item(
            "mug-wrap", {"name": "x", "photo": photo_server.url("/bomb.png")}
        ),
        "the photo URL answered HTTP 404": shop.item(
            "mug-wrap", {"name": "x", "photo": photo_server.url("/gone.png")}
        ),
        "cannot download the photo": shop.item("mug-wrap", {"name": "x", "photo": refused_url}),
        "template 'no-such-template' not found": shop.item("no-such-template", {"name": "x"}),
    }
    run_worker(db)
    for reason, item_id in cases.items():
        held = item(db, item_id)
        assert held.status is ItemStatus.ON_HOLD, reason
        assert held.hold_reason is not None and reason in held.hold_reason, (
            reason,
            held.hold_reason,
        )
        [job] = jobs(db, item_id)
        assert job.state == "failed" and job.error == held.hold_reason
        assert print_files(db, item_id) == [], reason
        assert files_of(item_id) == [], reason
        [failed] = events(db, item_id, "render_failed")
        assert (failed.from_status, failed.to_status) == ("rendering", "on_hold")


def test_the_worker_holds_an_item_whose_photo_url_points_inside(
    db: Database, shop: Shop, photo_server: PhotoServer
) -> None:
    config.config_file().parent.mkdir(parents=True, exist_ok=True)
    config.config_file().write_text("", encoding="utf-8")  # no allow-list in this shop
    item_id = shop.item(
        "mug-wrap", {"name": "Kim", "photo": f"http://localhost:{photo_server.port}/ok.png"}
    )
    run_worker(db)
    held = item(db, item_id)
    assert held.status is ItemStatus.ON_HOLD
    assert held.hold_reason == (
        "Photo: the photo URL points at a loopback address 127.0.0.1 (localhost): not fetched"
    )
    assert photo_server.hits == []


def test_claims_never_hand_one_job_to_two_workers(db: Database, shop: Shop) -> None:
    for _ in range(20):
        shop.item("mug-wrap", {"name": "x"})
    claimed: dict[str, list[int]] = {}

    def claim_all(name: str) -> None:
        mine = claimed.setdefault(name, [])
        while (job := render.claim_next(db, name)) is not None:
            assert job.id is not None
            mine.append(job.id)

    threads = [threading.Thread(target=claim_all, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [job_id for ids in claimed.values() for job_id in ids]
    assert sorted(everything) == sorted(set(everything))
    assert len(everything) == 20
    with db.read() as session:
        rows = session.exec(select(RenderJob)).all()
    assert all(r.state == "running" and r.attempts == 1 for r in rows)


def _worker_process(
    database_url: str, *extra: str, new_session: bool = False
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "podtui",
            "--db",
            database_url,
            "worker",
            "--processes",
            "1",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=new_session,
    )


@pytest.mark.slow
def test_two_worker_processes_render_each_job_once(
    db: Database, database_url: str, shop: Shop
) -> None:
    ids = [shop.item("mug-wrap", {"name": f"Name {n}"}) for n in range(6)]
    workers = [_worker_process(database_url, "--once") for _ in range(2)]
    outputs = [w.communicate(timeout=240)[0] for w in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs
    for item_id in ids:
        assert item(db, item_id).status is ItemStatus.READY
        [job] = jobs(db, item_id)
        assert (job.state, job.attempts) == ("done", 1)
        assert len(print_files(db, item_id)) == 1
        assert len(events(db, item_id, "render_done")) == 1


@pytest.mark.slow
def test_killed_worker_leaves_no_partial_file_and_the_job_runs_again(
    db: Database, database_url: str, shop: Shop, photo_server: PhotoServer
) -> None:
    item_id = shop.item("mug-wrap", {"name": "Kim", "photo": photo_server.url("/slow.png")})
    proc = _worker_process(database_url, new_session=True)
    assert photo_server.requested.wait(120), "the worker never started the render"
    os.killpg(proc.pid, signal.SIGKILL)  # the worker and its render processes, mid-job
    proc.wait(timeout=30)

    [job] = jobs(db, item_id)
    assert job.state == "running" and job.worker is not None
    assert job.worker.endswith(f":{proc.pid}")
    assert files_of(item_id) == []
    assert item(db, item_id).status is ItemStatus.RENDERING
    # What a kill during the file write leaves: a hidden temp file, swept on the next run.
    folder = config.print_files_dir() / "demo-shop" / "1001"
    folder.mkdir(parents=True)
    leftover = folder / f".{item_id}-custom-tee-white-l.png.999999.tmp"
    leftover.write_bytes(b"\x89PNG half")

    photo_server.hold.set()
    run_worker(db)

    [job] = jobs(db, item_id)
    assert (job.state, job.attempts) == ("done", 2)
    assert item(db, item_id).status is ItemStatus.READY
    assert not leftover.exists()
    assert not list(folder.glob(".*.tmp"))
    [pf] = print_files(db, item_id)
    assert file_sha256(Path(pf.path)) == pf.sha256


def test_stale_claims_are_requeued_and_crash_loops_are_held(db: Database, shop: Shop) -> None:
    fresh = shop.item("mug-wrap", {"name": "a"})
    stale = shop.item("mug-wrap", {"name": "b"})
    crashing = shop.item("mug-wrap", {"name": "c"})
    old = utcnow() - timedelta(minutes=30)
    with db.write() as session:
        for job in session.exec(select(RenderJob)).all():
            job.state = "running"
            job.worker = "another-machine:4242"
            job.claimed_at = utcnow() if job.item_id == fresh else old
            job.attempts = render.MAX_ATTEMPTS if job.item_id == crashing else 1
            session.add(job)
    requeued = render.requeue_stale(db)
    assert [j.id for j in jobs(db, stale)] == requeued
    assert jobs(db, stale)[0].state == "queued"
    assert jobs(db, fresh)[0].state == "running"
    assert jobs(db, crashing)[0].state == "failed"
    held = item(db, crashing)
    assert held.status is ItemStatus.ON_HOLD
    assert held.hold_reason is not None and "crashed 3 times" in held.hold_reason


def test_queue_snapshot_counts_and_lists_jobs(db: Database, shop: Shop) -> None:
    shop.item("mug-wrap", {"name": "a"})
    shop.item("mug-wrap", {"name": " "})
    run_worker(db)
    shop.item("mug-wrap", {"name": "c"})
    with db.read() as session:
        snap = render.queue_snapshot(session)
    assert snap.counts == {"done": 1, "failed": 1, "queued": 1}
    assert [row.state for row in snap.jobs] == ["queued", "failed"]
    assert snap.jobs[1].error is not None and "Name is empty" in snap.jobs[1].error


def test_enqueue_keeps_one_waiting_job_per_item(db: Database, shop: Shop) -> None:
    item_id = shop.item("mug-wrap", {"name": "a"})
    with db.write() as session:
        first = render.enqueue(session, item_id)
        second = render.enqueue(session, item_id)
    assert first.id == second.id


def test_worker_status_command(
    db: Database, database_url: str, shop: Shop, capsys: pytest.CaptureFixture[str]
) -> None:
    from podtui.cli import main

    shop.item("mug-wrap", {"name": "a"})
    assert main(["--db", database_url, "worker", "--status"]) == 0
    out = capsys.readouterr().out
    assert "render queue: 1 queued" in out and "#1001" in out
