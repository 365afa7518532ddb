"""The bulk-action flow of the order list: which keys apply, the plan, the question, the run.

A base class of OrdersScreen: the screen supplies the table, the reader and the clock; this
class turns a key into a plan (in a worker), asks with BulkConfirmDialog, runs the action in a
worker with the progress strip showing, and ends with BulkSummaryModal. It never blocks the
screen: the list keeps answering keys while a run goes on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer

from podtui.domain.status import Action, is_allowed, refusal
from podtui.domain.wording import count
from podtui.screens.confirm_dialog import ConfirmDialog
from podtui.services.listing.query import MarkSet, Resolved
from podtui.services.listing.reader import ListReader
from podtui.widgets.bulk_progress import BulkProgress
from podtui.widgets.order_table import OrderTable

if TYPE_CHECKING:
    from podtui.services.listing.bulk_actions import BulkKind, BulkPlan, BulkReport
    from podtui.services.sending.shipping_choice import ShippingOffer


def test_order_dialog(tests: int, acting: int) -> ConfirmDialog:
    """The second question before a store's test order goes to a vendor."""
    which = "It is" if tests == acting == 1 else f"{tests} of the {count(acting, 'item')} are"
    return ConfirmDialog(
        "Send a TEST order?",
        f"{which} from a TEST order at the store: a vendor would print and ship it for real. "
        "Send the test items too? (No sends only the others.)",
        yes="Send test items",
        save=lambda _answer: True,
    )


class BulkPlanned(Message):
    def __init__(self, plan: BulkPlan, offers: list[ShippingOffer] | None = None) -> None:
        super().__init__()
        self.plan = plan
        self.offers = offers or []  # a send: each vendor's shipping methods


class BulkProgressed(Message):
    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


class BulkFinished(Message):
    def __init__(self, report: BulkReport) -> None:
        super().__init__()
        self.report = report


class BulkBroke(Message):
    """A bulk action could not be planned or started; `error` says why."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class BulkFlowScreen(Screen[None]):
    """What OrdersScreen does with bulk keys; the screen provides the members below."""

    reader: ListReader
    now: Callable[[], datetime]
    resolved: Resolved | None  # the query the list shows (exported when nothing is marked)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.bulk_running = False
        self._stop_bulk = threading.Event()
        self._keys_state: tuple[bool | None, ...] = ()
        self._keys_timer: Timer | None = None

    @property
    def table(self) -> OrderTable:
        raise NotImplementedError

    def update_header(self) -> None:
        raise NotImplementedError

    def refresh_list(self) -> None:
        raise NotImplementedError

    def _refresh_keys(self) -> None:
        """Tell the footer about enabled keys, only when one changed (it rebuilds itself).

        A moment later, not now: the list's repaint goes out first, and holding a key down
        rebuilds the footer once, where the cursor stops.
        """
        if self._keys_timer is None:
            self._keys_timer = self.set_timer(0.05, self._refresh_keys_now)

    def _refresh_keys_now(self) -> None:
        from podtui.services.listing.bulk_actions import BULK_KINDS

        self._keys_timer = None
        state = tuple(self.key_applies("bulk", (kind,)) for kind in BULK_KINDS)
        if state != self._keys_state:
            self._keys_state = state
            self.refresh_bindings()

    def key_applies(self, action: str, parameters: tuple[object, ...]) -> bool:
        """Whether the key does something here; False: dim in the footer (never hidden, so the
        keys keep their places), and pressing it says why."""
        return self._why_not(action, parameters) is None

    def _why_not(self, action: str, parameters: tuple[object, ...]) -> str | None:
        """Why a bulk key does not apply to the marks or the row under the cursor, or None."""
        if action != "bulk" or not parameters:
            return None
        from podtui.services.listing.bulk_actions import BULK_KINDS

        kind = BULK_KINDS.get(str(parameters[0]))
        if kind is None:
            return "unknown action"
        if self.bulk_running:
            return "a bulk action is running: wait for it, or stop it with ctrl+x"
        if kind.export or not self.table.marks.is_empty:
            return None  # the plan says what applies to the marks, and asks first
        row = self.table.current_row
        if row is None:
            return "the list is empty here"
        if kind.archive is not None:
            if row.archived == kind.archive:
                return f"order {row.order_name} is {'archived' if row.archived else 'not archived'}"
            return None
        if kind.action is None or row.status is None:
            return None  # one row per order: the plan says what applies
        integrated = self.reader.cached_lookups().vendor_integrated(row.vendor_id)
        action = kind.action
        if action.value == "send" and row.status.value == "failed":
            action = Action.RETRY  # Send on a failed item retries it
        if integrated is None and kind.action.value in ("send", "mark_fulfilled"):
            return f"{row.order_name} {row.title} has no vendor yet"
        if is_allowed(row.status, action, vendor_integrated=integrated):
            return None
        why = refusal(row.status, action, vendor_integrated=integrated)
        return f"{row.order_name} {row.title}: {why}"

    def _bulk_target(self, kind: BulkKind) -> MarkSet | None:
        marks = self.table.marks
        if not marks.is_empty:
            return marks.copy()
        if kind.export and self.resolved is not None:
            target = MarkSet()
            target.mark_all(self.resolved)
            return target
        row = self.table.current_row
        if row is None:
            return None
        return MarkSet(included=set(row.item_ids))

    def action_bulk(self, kind_id: str) -> None:
        from podtui.services.listing.bulk_actions import BULK_KINDS

        kind = BULK_KINDS[kind_id]
        early = not kind.export and self.table.marks.is_empty and self.table.current_row is None
        if early and self.table.when_rows(lambda: self.action_bulk(kind_id)):
            return  # pressed before the rows came: it acts on the row they bring
        why = self._why_not("bulk", (kind_id,))
        if why is not None:
            self.notify(f"Cannot {kind.verb.lower()}: {why}.", severity="warning")
            return
        row = self.table.current_row
        one = row.item_id if row is not None and self.table.marks.is_empty else None
        if kind_id == "approve" and one is not None and self.resolved is not None:
            self._approve_with_a_look(one, self.resolved)
            return
        target = self._bulk_target(kind)
        if target is None:
            self.notify("Nothing to act on: the list is empty here.")
            return
        shown = self.resolved if not self.table.marks.is_empty else None
        self._plan(kind, target, shown)

    def _approve_with_a_look(self, item_id: int, shown: Resolved) -> None:
        """One item: its print file (or design) as large as the terminal allows; `y` approves
        it and shows the next item the list has waiting."""
        from podtui.screens.approval import ApprovalModal

        def closed(approved: int | None) -> None:
            if approved:
                self.refresh_list()

        self.app.push_screen(ApprovalModal(self.reader, item_id, shown), closed)

    @work(thread=True, exclusive=True, group="bulk-plan", exit_on_error=False)
    def _plan(self, kind: BulkKind, target: MarkSet, shown: Resolved | None = None) -> None:
        from podtui.services.listing.bulk_actions import plan_bulk

        try:
            plan = plan_bulk(self.reader, kind, target, shown=shown)
        except Exception as exc:
            self.post_message(BulkBroke(f"Could not work out the {kind.verb.lower()}: {exc}"))
            return
        self.post_message(BulkPlanned(plan, self._shipping_offers(plan)))

    def _shipping_offers(self, plan: BulkPlan) -> list[ShippingOffer]:
        """For a send, each vendor's shipping methods (quoted when it is one vendor order)."""
        from podtui.services.connections.vendors import connector
        from podtui.services.sending.shipping_choice import QUOTE_MAX_ITEMS, shipping_offers

        action = plan.kind.action
        if action is None or action.value != "send" or not plan.acting:
            return []
        ids = list(plan.ids) if len(plan.ids) <= QUOTE_MAX_ITEMS else []
        try:
            return shipping_offers(
                self.app.database(),  # type: ignore[attr-defined]
                ids,
                connect=connector(self.app.reach),  # type: ignore[attr-defined]
                vendor_ids=plan.vendor_ids,
            )
        except Exception as exc:  # the confirm still asks; each vendor's default method ships it
            self.app.call_from_thread(
                self.notify,
                f"No shipping choice this time ({type(exc).__name__}: {exc}); each vendor's "
                "default method ships it.",
                severity="warning",
            )
            return []

    def on_bulk_planned(self, message: BulkPlanned) -> None:
        from podtui.screens.bulk_dialogs import BulkConfirmDialog

        plan = message.plan

        def answered(answer: dict[str, str] | None) -> None:
            if answer is None:
                return
            if not plan.tests:
                self._start_bulk(plan, answer)
                return

            def again(sure: object) -> None:
                self._start_bulk(plan, {**answer, "include_test": "yes" if sure else "no"})

            self.app.push_screen(test_order_dialog(plan.tests, plan.acting), again)

        self.app.push_screen(BulkConfirmDialog(plan, now=self.now, offers=message.offers), answered)

    def on_bulk_broke(self, message: BulkBroke) -> None:
        self.bulk_running = False
        self.query_one(BulkProgress).finish()
        self.update_header()
        self.notify(message.error, severity="error", timeout=10)

    def _start_bulk(self, plan: BulkPlan, answer: dict[str, str]) -> None:
        self.bulk_running = True
        self._stop_bulk.clear()
        self.query_one(BulkProgress).start(plan.question().split("?")[0], plan.acting)
        self.update_header()
        self._refresh_keys()
        self._run_bulk(plan, answer)

    def action_stop_bulk(self) -> None:
        if self.bulk_running:
            self._stop_bulk.set()
            self.notify("Stopping after the item in hand…")

    @work(thread=True, group="bulk", exit_on_error=False)
    def _run_bulk(self, plan: BulkPlan, answer: dict[str, str]) -> None:
        from podtui.config import export_path
        from podtui.services.connections.vendors import connector
        from podtui.services.listing import bulk_actions
        from podtui.services.listing.export_csv import export_csv

        last = [0.0]

        def progress(done: int, total: int) -> None:
            import time

            now = time.monotonic()
            if now - last[0] >= 0.1 or done >= total:
                last[0] = now
                self.post_message(BulkProgressed(done, total))

        def stop() -> bool:
            return self._stop_bulk.is_set()

        kind = plan.kind
        try:
            if kind.export == "zip":
                report = bulk_actions.run_zip(
                    self.app.database(),  # type: ignore[attr-defined]
                    self.reader,
                    plan,
                    export_path(answer["path"]),
                    on_progress=progress,
                    should_stop=stop,
                )
            elif kind.export:
                path = export_path(answer["path"])
                n = export_csv(
                    self.reader, plan.target, path, on_progress=progress, should_stop=stop,
                    total=plan.acting,
                )  # fmt: skip
                report = bulk_actions.BulkReport(kind, done=n, detail=f"Written to {path}")
                report.stopped = stop()
            else:
                db = self.app.database()  # type: ignore[attr-defined]
                if kind.action is not None and kind.action.value == "send":
                    from podtui.screens.send_dialog import shipping_answer

                    report = bulk_actions.run_send(
                        db,
                        plan,
                        on_progress=progress,
                        should_stop=stop,
                        connect=connector(self.app.reach),  # type: ignore[attr-defined]
                        allow_test=answer.get("include_test") == "yes",
                        shipping=shipping_answer(answer),
                        shipping_shown=shipping_answer(answer, "shipping_shown"),
                    )
                else:
                    use_case = bulk_actions.resolve_use_case(kind, answer.get("reason", ""))
                    report = bulk_actions.run_bulk(
                        db, plan, use_case, on_progress=progress, should_stop=stop
                    )
        except (ImportError, AttributeError) as exc:
            self.post_message(
                BulkBroke(f"{kind.verb} is not available in this build ({exc}). Nothing was done.")
            )
            return
        except Exception as exc:
            self.post_message(BulkBroke(f"{kind.verb} broke: {type(exc).__name__}: {exc}"))
            return
        self.post_message(BulkFinished(report))

    def on_bulk_progressed(self, message: BulkProgressed) -> None:
        self.query_one(BulkProgress).advance(message.done, message.total)

    def on_bulk_finished(self, message: BulkFinished) -> None:
        from podtui.screens.bulk_dialogs import BulkSummaryModal

        report = message.report
        self.bulk_running = False
        self.query_one(BulkProgress).finish()
        # The list below is read again once the summary is on screen: the summary is what the
        # operator waits for, and the new marks, rows and counts under it would otherwise go
        # into the same frame (the longest of a bulk send's run).
        self.app.push_screen(BulkSummaryModal(report, then=lambda: self._after_bulk(report)))

    def _after_bulk(self, report: BulkReport) -> None:
        if not report.kind.export:
            # Keep the failures marked, so a retry is one key away; the rest is done.
            failed = set(report.failed) if not report.kind.per_order else set()
            self.table.set_marks(MarkSet(included=failed))
            self.refresh_list()
        self.update_header()
        self._refresh_keys()
