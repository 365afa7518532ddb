"""Real OS processes on one database: overlapping bulk sends, and SIGKILL at random points.

The sandbox vendor lives in this (the test) process on a loopback socket, so its orders survive
the submitting process being killed; afterwards recovery runs and the vendor's orders are counted
per external id.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import select

from podtui.domain.models import OrderItem, Submission, SubmissionItem
from podtui.domain.status import ItemStatus as S
from podtui.sandbox.printify import SandboxPrintify
from podtui.services.sending.fulfil import SendOptions, send_items
from podtui.services.sending.recovery import recover
from tests.services.sending.conftest import Shop
from tests.services.sending.send_worker import send_in_child

WORKER = Path(__file__).with_name("send_worker.py")
VendorApi = tuple[SandboxPrintify, str]


def spawn(shop: Shop, go: str, ids: list[int]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), shop.db.url, go, *map(str, ids)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )


def ready_items(shop: Shop, n: int) -> list[int]:
    # Every item its own address: one vendor order each, so kills land between many of them.
    return [shop.item(order_id=shop.order(ship_address1=f"{k} Market St")) for k in range(n)]


def assert_exactly_once(shop: Shop, sandbox: SandboxPrintify, ids: list[int]) -> None:
    """Each item is in one submission, each sent submission is one vendor order, none lost."""
    with shop.db.read() as s:
        links = s.exec(select(SubmissionItem.item_id, SubmissionItem.submission_id)).all()
        subs = {sub.id: sub for sub in s.exec(select(Submission)).all()}
        items = {i.id: i for i in s.exec(select(OrderItem)).all()}
    per_item = Counter(item for item, _ in links)
    assert all(per_item[i] == 1 for i in ids), [i for i in ids if per_item[i] != 1]
    counts = sandbox.orders_by_external_id()
    assert all(n == 1 for n in counts.values()), {k: n for k, n in counts.items() if n > 1}
    for item_id, sid in links:
        sub = subs[sid]
        assert items[item_id].status is S.SENT, (item_id, items[item_id].status)
        assert sub.state == "sent" and counts[sub.idempotency_key] == 1
    # Every vendor order belongs to a submission (nothing the database does not know about).
    assert set(counts) <= {s.idempotency_key for s in subs.values()}
    lines = sum(len(body["line_items"]) for body in sandbox.created)
    assert lines == len(ids)


@pytest.mark.slow
def test_two_processes_sending_overlapping_marks_never_send_twice(
    shop: Shop, vendor_api: VendorApi, tmp_path: Path
) -> None:
    sandbox, _ = vendor_api
    ids = ready_items(shop, 40)
    go = tmp_path / "go"
    a = spawn(shop, str(go), ids[:30])
    b = spawn(shop, str(go), ids[10:])
    time.sleep(0.3)
    go.touch()
    results = []
    for proc in (a, b):
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    done = [i for r in results for i in r["done"]]
    assert sorted(done) == sorted(ids)  # each item done by exactly one of them
    assert not any(r["failed"] for r in results)
    assert_exactly_once(shop, sandbox, ids)


@pytest.mark.slow
def test_sigkill_at_random_points_then_recovery_sends_each_item_exactly_once(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    sandbox, _ = vendor_api
    ids = ready_items(shop, 200)
    rng = random.Random(20261205)
    # Children fork from a server that has podtui imported: each starts in milliseconds, so the
    # kills land inside the send, not inside Python's start-up.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(
        [
            "podtui.services.sending.fulfil",
            "podtui.adapters.vendors.printify",
            # What a send imports lazily (renders missing print files first, reads the keyring).
            "podtui.services.render.on_demand",
            "podtui.services.render.jobs",
            "podtui.services.connections.vendors",
            "keyring",
        ]
    )
    kills = found = resent = 0
    for _round in range(20):
        started = ctx.Event()
        env = {k: v for k, v in os.environ.items() if k.startswith("PODTUI_")}
        proc = ctx.Process(target=send_in_child, args=(shop.db.url, ids, started, env))
        proc.start()
        assert started.wait(60)
        # Kill after a random number of requests reached the vendor (an item is an upload, a
        # create and a send to production), then a random moment more: the kill lands between
        # any two steps whatever the machine's load.
        target = len(sandbox.requests) + rng.randint(1, 30)
        deadline = time.monotonic() + 60
        while len(sandbox.requests) < target and proc.is_alive() and time.monotonic() < deadline:
            time.sleep(0.001)
        time.sleep(rng.uniform(0.0, 0.02))
        os.kill(proc.pid or 0, signal.SIGKILL)
        proc.join(30)
        kills += proc.exitcode == -signal.SIGKILL
        report = recover(shop.db, older_than=0, options=fast)
        found += len(report.found)
        resent += len(report.resent)
    print(f"kills={kills} found={found} resent={resent}")
    assert kills >= 15  # most rounds were really cut short, not finished before the signal
    # Kills landed between claim and outcome: recovery had to reconcile some.
    assert found + resent > 0
    left = send_items(shop.db, ids, options=fast)  # whatever is still Ready
    print(f"sent after the kills: {len(left.done)}")
    assert len(left.done) < len(ids)
    recover(shop.db, older_than=0, options=fast)
    assert_exactly_once(shop, sandbox, ids)
