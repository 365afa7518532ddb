"""What every screen test shares: times in one zone, and cursors that hold still for a snapshot."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, TextArea

SIZES = [(120, 40), (80, 24)]
SIZE_IDS = ["120x40", "80x24"]
# Every screen and dialog is snapshotted at both sizes: `@both_sizes` gives a test its `size`.
both_sizes = pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)


@pytest.fixture(autouse=True)
def _utc_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Times on screen are local: pin the zone so snapshots do not depend on the machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


async def steady_cursors(pilot: Pilot[Any]) -> None:
    """Stop every cursor's blink and show it where it has focus, whatever the blink timer did.

    Textual's blink timer runs on the wall clock: a tick posted just before the blink is turned
    off would still hide the cursor after it. So: turn blinking off, let any such tick be handled,
    then set each cursor's visibility ourselves.
    """
    fields = [*pilot.app.screen.query(Input), *pilot.app.screen.query(TextArea)]
    for field in fields:
        field.cursor_blink = False
    await pilot.pause()
    for field in fields:
        field._cursor_visible = field.has_focus
        field.refresh()
    await pilot.pause()


async def until(pilot: Pilot[Any], check: Callable[[], object], what: str) -> None:
    """Let the app handle its messages until `check()` holds.

    The wait is on the app's own progress, one round of messages at a time; the long deadline
    only turns a hang into a failure that says `what` did not happen, it paces nothing.
    """
    deadline = time.monotonic() + 60
    while not check():
        assert time.monotonic() < deadline, f"{what} did not happen"
        await pilot.pause(0.01)


def assert_inside(pilot: Pilot[Any]) -> None:
    """Every button, and the focused field, lie inside the screen (a cut-off dialog fails)."""
    screen = pilot.app.screen
    area = screen.region
    for button in screen.query(Button):
        if button.display and button.parent is not None and button.parent.display:
            assert area.contains_region(button.region) and button.region.area, button.id
    focused = pilot.app.focused
    assert focused is not None and area.contains_region(focused.region) and focused.region.area


def notices(app: Any) -> list[str]:
    """Every message the app notified, oldest first: its history, which keeps what the toasts
    showed after they went (a toast expires on the wall clock, sooner than a loaded machine
    gets to read it)."""
    return [notice.message for notice in app.notices.entries()]
