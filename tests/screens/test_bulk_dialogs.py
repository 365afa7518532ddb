"""The bulk summary runs what it was handed (the list read again, the marks cleared) once it is on
screen, and still when the operator closes it before its first frame: a key already on its way
(enter, esc) must not leave the list below stale, with the done items still marked."""

from __future__ import annotations

from textual.app import App

from podtui.screens.bulk_dialogs import BulkSummaryModal
from podtui.services.listing.bulk_actions import BULK_KINDS, BulkReport
from tests.screens.orders.conftest import settle


async def test_the_summary_runs_its_follow_up_once_shown() -> None:
    ran: list[int] = []
    app: App[None] = App()
    async with app.run_test() as pilot:
        report = BulkReport(kind=BULK_KINDS["approve"], done=1)
        app.push_screen(BulkSummaryModal(report, then=lambda: ran.append(1)))
        await settle(pilot)
        assert isinstance(app.screen, BulkSummaryModal) and ran == [1]
        await pilot.press("escape")
        await settle(pilot)
    assert ran == [1]


async def test_the_summary_closed_before_its_first_frame_still_runs_it_once() -> None:
    ran: list[int] = []
    app: App[None] = App()
    async with app.run_test() as pilot:
        report = BulkReport(kind=BULK_KINDS["approve"], done=1)
        app.push_screen(BulkSummaryModal(report, then=lambda: ran.append(1)))
        await pilot.press("escape")  # before the summary was ever painted
        await settle(pilot)
        assert not isinstance(app.screen, BulkSummaryModal)
    assert ran == [1]
