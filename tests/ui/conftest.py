"""Fixtures for the order-list tests: a seeded shop, the app on it, and a way to wait for it."""

from __future__ import annotations

import sys
import time
import types
from collections.abc import Iterator

import pytest
from sqlmodel import Session, col, select, update
from textual.pilot import Pilot
from textual.worker import WorkerState

from podtui.app import PodTUI
from podtui.config import Config
from podtui.db import Database
from podtui.domain.models import Order, OrderItem, RenderJob, utcnow
from podtui.domain.status import Action
from podtui.services.items.timeline import record_event
from podtui.services.items.transitions import apply_action
from tests.ui.data import NOW, Shop, seed_shop


@pytest.fixture(autouse=True)
def _utc_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Times on screen are local: pin the zone so snapshots do not depend on the machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def shop(db: Database) -> Shop:
    return seed_shop(db)


def make_app(db: Database, config: Config | None = None, watch: float = 3600.0) -> PodTUI:
    return PodTUI(db, config or Config(), now=lambda: NOW, watch_interval=watch)


async def settle(pilot: Pilot[None], timeout: float = 10.0) -> None:
    """Wait until every worker but the database watcher is done and the list has its rows."""
    from podtui.screens.orders import OrdersScreen

    app = pilot.app
    deadline = time.monotonic() + timeout
    quiet = 0
    while True:
        # pause(delay) waits for the screen's queued messages, without pause()'s idle-CPU wait.
        await pilot.pause(0.005)
        busy = [
            w
            for w in app.workers
            if w.group != "watch" and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
        ]
        tables = [s.table for s in app.screen_stack if isinstance(s, OrdersScreen)]
        if busy or any(t.fetching for t in tables):
            quiet = 0
        else:
            quiet += 1
            if quiet >= 2:  # twice in a row: messages posted by the last worker are handled too
                return
        if time.monotonic() > deadline:
            raise AssertionError(f"still busy after {timeout}s: {busy}")


def _stand_in_orders() -> types.ModuleType:
    """The orders service contract, built on apply_action, for as long as the real one is away."""
    mod = types.ModuleType("podtui.services.items.actions")

    def transition(action: Action) -> object:
        def use_case(session: Session, item_id: int) -> OrderItem:
            item = apply_action(session, item_id, action)
            if action in (Action.APPROVE, Action.REGENERATE):
                session.add(RenderJob(item_id=item_id, state="queued"))
            return item

        return use_case

    def hold(session: Session, item_id: int, reason: str) -> OrderItem:
        return apply_action(session, item_id, Action.HOLD, values={"hold_reason": reason})

    def mark_fulfilled(
        session: Session,
        item_id: int,
        carrier: str = "",
        tracking_number: str = "",
        tracking_url: str = "",
    ) -> OrderItem:
        return apply_action(session, item_id, Action.MARK_FULFILLED)

    def set_archived(archived: bool) -> object:
        def use_case(session: Session, order_id: int) -> None:
            order = session.get(Order, order_id)
            assert order is not None
            order.archived = archived
            session.add(order)
            session.execute(
                update(OrderItem)
                .where(col(OrderItem.order_id) == order_id)
                .values(archived=archived, version=OrderItem.version + 1, updated_at=utcnow())
            )
            record_event(session, "archive" if archived else "unarchive", order_id=order_id)

        return use_case

    for name, action in (
        ("approve", Action.APPROVE),
        ("regenerate", Action.REGENERATE),
        ("release", Action.RELEASE),
        ("ignore", Action.IGNORE),
        ("restore", Action.RESTORE),
    ):
        setattr(mod, name, transition(action))
    mod.hold = hold  # type: ignore[attr-defined]
    mod.mark_fulfilled = mark_fulfilled  # type: ignore[attr-defined]
    mod.archive_order = set_archived(True)  # type: ignore[attr-defined]
    mod.unarchive_order = set_archived(False)  # type: ignore[attr-defined]
    return mod


@pytest.fixture
def orders_service(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """podtui.services.items.actions: the real one when it exists, else a stand-in on apply_action."""
    try:
        import podtui.services.items.actions as real  # type: ignore[import-not-found,unused-ignore]

        return real  # type: ignore[no-any-return,unused-ignore]
    except ImportError:
        mod = _stand_in_orders()
        monkeypatch.setitem(sys.modules, "podtui.services.items.actions", mod)
        import podtui.services as services_pkg

        monkeypatch.setattr(services_pkg, "orders", mod, raising=False)
        return mod


def statuses(db: Database, ids: list[int]) -> dict[int, str]:
    with db.read() as s:
        rows = s.exec(
            select(OrderItem.id, OrderItem.status).where(col(OrderItem.id).in_(ids))
        ).all()
    return {int(i): str(st.value if hasattr(st, "value") else st) for i, st in rows}


def header(app: PodTUI) -> str:
    """The list's header line, as shown."""
    from podtui.screens.orders import OrdersScreen

    screen = next(s for s in app.screen_stack if isinstance(s, OrdersScreen))
    return str(screen.query_one("#list-header").text)  # type: ignore[attr-defined]


def table_lines(app: PodTUI) -> list[str]:
    """The order table as the terminal shows it, one string per line (header first)."""
    from podtui.screens.orders import OrdersScreen

    screen = next(s for s in app.screen_stack if isinstance(s, OrdersScreen))
    table = screen.table
    return [
        "".join(segment.text for segment in table.render_line(y)).rstrip()
        for y in range(table.size.height)
    ]
