"""The messages log: the app keeps what it notified after the toasts go (bounded), and `I`
shows it, newest first, copyable; snapshots at both sizes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from textual.pilot import Pilot
from textual.widgets import TextArea

from podtui.config import Config
from podtui.db import Database
from podtui.screens.messages import MessagesModal, Notice, NoticeLog
from tests.screens.conftest import assert_inside, both_sizes, notices, steady_cursors
from tests.screens.orders.conftest import make_app, settle


def test_the_log_keeps_the_latest_few_in_the_order_they_came() -> None:
    log = NoticeLog(limit=3)
    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    for n in range(5):
        log.add(Notice(at, f"message {n}"))
    assert [n.message for n in log.entries()] == ["message 2", "message 3", "message 4"]
    # Newest first, each with its time and severity, markup as the toast showed it (plain).
    log.add(Notice(at, "[b]Saved[/b] to /tmp/x", severity="error", title="Export"))
    assert log.text().splitlines()[0] == "09:00:00  error    Export: Saved to /tmp/x"


async def _say_things(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("o")  # one row per order: a toast
    await settle(pilot)
    await pilot.press("o")
    await settle(pilot)
    pilot.app.clear_notifications()  # as their timeouts would, on a loaded machine too soon


async def test_what_was_notified_stays_after_the_toasts_go_and_shift_i_shows_it(
    db: Database,
) -> None:
    app = make_app(db, Config(keymap={"orders.nothing": "z"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await _say_things(pilot)
        assert not app._notifications
        said = notices(app)
        assert said[0].startswith("[keymap] has unknown ids: orders.nothing")
        assert said[1:] == ["One row per order", "One row per item"]
        await pilot.press("I")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, MessagesModal)
        lines = modal.query_one(TextArea).text.splitlines()
        assert lines[0] == "12:00:00  info     One row per item"
        assert lines[2].startswith("12:00:00  warning  [keymap] has unknown ids")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, MessagesModal)


@both_sizes
def test_messages_snapshot(
    snap_compare: Callable[..., bool], db: Database, size: tuple[int, int]
) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await _say_things(pilot)
        await pilot.press("I")
        await settle(pilot)
        await steady_cursors(pilot)
        assert_inside(pilot)

    app = make_app(db, Config(keymap={"orders.nothing": "z"}))
    assert snap_compare(app, terminal_size=size, run_before=before)
