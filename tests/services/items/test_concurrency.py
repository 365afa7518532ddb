"""Two writers, one item: exactly one wins and exactly one event is written.

The process race runs real OS processes on one SQLite file. The interloper tests change the row
inside the transaction right before the compare-and-set UPDATE, which is what another writer's
commit looks like on PostgreSQL, where the write lock does not serialise the whole use-case.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from podtui.domain.address import ShippingAddress
from podtui.domain.errors import ConcurrentChangeError
from podtui.domain.models import RenderJob
from podtui.domain.status import ItemStatus
from podtui.services.items import actions
from podtui.services.items import design as item_design
from podtui.services.items import shipping as item_shipping
from tests.services.items.conftest import Shop

S = ItemStatus
WORKER = Path(__file__).with_name("race_worker.py")
ROUNDS = 6


def _wait_for(paths: list[Path], procs: list[subprocess.Popen[str]]) -> None:
    deadline = time.monotonic() + 120
    while not all(p.exists() for p in paths):
        for proc in procs:
            if proc.poll() is not None:
                _, err = proc.communicate()
                pytest.fail(f"race worker died early: {err}")
        assert time.monotonic() < deadline, "race workers never got ready"
        time.sleep(0.002)


@pytest.mark.slow
def test_two_processes_race_to_approve_the_same_item(
    shop: Shop, database_url: str, tmp_path: Path
) -> None:
    """Each round both processes approve one item; odd rounds pass the status they saw."""
    ids = [shop.item(S.WAITING_APPROVAL) for _ in range(ROUNDS)]
    modes = ["plain" if n % 2 == 0 else "expected" for n in range(ROUNDS)]
    sync = tmp_path / "sync"
    sync.mkdir()
    names = ["a", "b"]
    rounds = [f"{i}:{m}" for i, m in zip(ids, modes, strict=True)]
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), database_url, str(sync), name, *rounds],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in names
    ]
    try:
        for n in range(ROUNDS):
            _wait_for([sync / f"ready-{n}-{name}" for name in names], procs)
            (sync / f"go-{n}").touch()
        outputs = [proc.communicate(timeout=120) for proc in procs]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    results = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]

    for n, item_id in enumerate(ids):
        # Without the status it saw, the loser is refused by the table ("it is Rendering");
        # with it, the loser learns someone else moved the item.
        # (PostgreSQL has no write lock to queue on: a plain loser that read the item before
        # the winner committed loses the compare-and-set instead, told where the item went.)
        kinds = {"ConcurrentChangeError"} if modes[n] == "expected" else {"DomainError"}
        if modes[n] != "expected" and not shop.db.is_sqlite:
            kinds.add("ConcurrentChangeError")
        outcomes = sorted(r[n]["outcome"] for r in results)
        assert outcomes[1] == "won" and outcomes[0] in kinds, results
        loser = next(r[n] for r in results if r[n]["outcome"] != "won")
        assert f"item {item_id}" in loser["why"].lower()
        assert "Rendering" in loser["why"]
        events = shop.events(item_id=item_id)
        assert [(e.type, e.from_status, e.to_status) for e in events] == [
            ("approve", "waiting_approval", "rendering")
        ]
        assert shop.get(item_id).status is S.RENDERING
        assert shop.get(item_id).version == 1
        assert len(shop.jobs(item_id)) == 1


@contextmanager
def interloper(engine: Engine, prefix: str, sql: str, params: tuple[Any, ...]) -> Iterator[None]:
    """Run `sql` on the same connection just before the first statement starting with `prefix`."""
    fired = False

    def before(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        nonlocal fired
        if not fired and statement.lstrip().startswith(prefix):
            fired = True
            # `sql` is written with ?; psycopg takes %s.
            qmark = conn.dialect.paramstyle == "qmark"
            cursor.execute(sql if qmark else sql.replace("?", "%s"), params)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert fired, f"no statement started with {prefix!r}"


def test_a_status_changed_before_the_update_loses_the_compare_and_set(shop: Shop) -> None:
    item_id = shop.item(S.WAITING_APPROVAL)
    with (
        interloper(
            shop.db.engine,
            "UPDATE order_item SET",
            "UPDATE order_item SET status = 'ignored' WHERE id = ?",
            (item_id,),
        ),
        pytest.raises(ConcurrentChangeError, match="changed under you"),
        shop.db.write() as s,
    ):
        actions.approve(s, item_id)
    # The whole transaction rolled back: no event, no job, the status as it was.
    assert shop.get(item_id).status is S.WAITING_APPROVAL
    assert shop.all_events() == []
    assert shop.count(RenderJob) == 0


def test_a_design_changed_before_the_update_loses_the_compare_and_set(shop: Shop) -> None:
    item_id = shop.item(S.WAITING_APPROVAL)
    with (
        interloper(
            shop.db.engine,
            "UPDATE order_item SET",
            "UPDATE order_item SET version = version + 1 WHERE id = ?",
            (item_id,),
        ),
        pytest.raises(ConcurrentChangeError),
        shop.db.write() as s,
    ):
        item_design.edit_design(s, item_id, {"name": "Ana"})
    assert shop.get(item_id).personalization == {"name": "Zoë"}
    assert shop.all_events() == []


def test_an_address_changed_before_the_update_loses_the_compare_and_set(shop: Shop) -> None:
    order_id = shop.order()
    item_id = shop.item(S.READY, order_id=order_id)
    new = ShippingAddress(
        name="Ada",
        address1="2 Main St",
        city="Austin",
        state="TX",
        postal_code="73301",
        country="US",
    )
    with (
        interloper(
            shop.db.engine,
            'UPDATE "order" SET',
            "UPDATE \"order\" SET ship_city = 'Oakland' WHERE id = ?",
            (order_id,),
        ),
        pytest.raises(ConcurrentChangeError, match="address of #1001 changed"),
        shop.db.write() as s,
    ):
        item_shipping.edit_shipping(s, item_id, new)
    assert shop.get_order(order_id).ship_city == "San Francisco"
    assert shop.get(item_id).version == 0
    assert shop.all_events() == []
