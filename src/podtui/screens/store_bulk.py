"""The list's store keys: mark paid (P), the store status (O) and a note to the store (m) for the
marked orders, or the order under the cursor when nothing is marked.

A base of OrdersScreen beside the item bulk flow (and sharing its progress strip and its one
running action): the orders are read in a worker, O and m ask their dialog, the plan
(services/store_ops/bulk.py) is put as a y/n question with the counts and the orders skipped,
and the run goes in a worker, order by order, the list answering keys meanwhile; a summary with
each store's refusal ends it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.message import Message

from podtui.screens.bulk_flow import BulkFlowScreen
from podtui.services.listing.query import MarkSet
from podtui.widgets.bulk_progress import BulkProgress

if TYPE_CHECKING:
    from podtui.services.store_ops.bulk import StoreBulkPlan, StoreBulkReport


class StoreBulkRead(Message):
    """The orders a store key acts on, and whether their stores notify by default."""

    def __init__(self, op: str, order_ids: list[int], notify: bool) -> None:
        super().__init__()
        self.op = op
        self.order_ids = order_ids
        self.notify = notify


class StoreBulkPlanned(Message):
    def __init__(self, plan: StoreBulkPlan) -> None:
        super().__init__()
        self.plan = plan


class StoreBulkFinished(Message):
    def __init__(self, report: StoreBulkReport) -> None:
        super().__init__()
        self.report = report


class StoreBulkFlow(BulkFlowScreen):
    """P, O and m on the list (see the module)."""

    def action_store_bulk(self, op: str) -> None:
        if self.bulk_running:
            self.notify("A bulk action is running: wait for it, or stop it with ctrl+x.")
            return
        marks = self.table.marks
        if not marks.is_empty:
            target = marks.copy()
        elif self.table.current_row is not None:
            target = MarkSet(included=set(self.table.current_row.item_ids))
        else:
            self.notify("Nothing to act on: the list is empty here.")
            return
        self._read_orders(op, target)

    @work(thread=True, exclusive=True, group="store-bulk-read", exit_on_error=False)
    def _read_orders(self, op: str, target: MarkSet) -> None:
        from podtui.services.store_ops.bulk import StoreBulkRequest, notify_all, plan_store_bulk

        try:
            ids = sorted(
                {i for chunk in self.reader.iter_marked_ids(target, column="i.order_id")
                 for i in chunk}
            )  # fmt: skip
            db = self.app.database()  # type: ignore[attr-defined]
            if op == "mark_paid":
                self.post_message(StoreBulkPlanned(plan_store_bulk(db, ids, StoreBulkRequest(op))))
                return
            notify = notify_all(db, ids) if op == "note" else False
        except Exception as exc:
            self.app.call_from_thread(
                self.notify, f"Could not read the marked orders: {exc}", severity="error"
            )
            return
        self.post_message(StoreBulkRead(op, ids, notify))

    def on_store_bulk_read(self, message: StoreBulkRead) -> None:
        from podtui.screens.store_bulk_dialogs import BulkStoreNoteDialog, BulkStoreStatusDialog
        from podtui.services.store_ops.bulk import StoreBulkRequest, plan_store_bulk

        ids = message.order_ids
        db = self.app.database()  # type: ignore[attr-defined]

        def planned(plan: Any) -> None:
            if plan is not None:
                self._confirm(plan)

        if message.op == "status":
            self.app.push_screen(
                BulkStoreStatusDialog(
                    len(ids),
                    save=lambda to: plan_store_bulk(db, ids, StoreBulkRequest("status", to=to)),
                ),
                planned,
            )
            return
        self.app.push_screen(
            BulkStoreNoteDialog(
                len(ids),
                to_customer=message.notify,
                save=lambda text, to_customer: plan_store_bulk(
                    db, ids, StoreBulkRequest("note", text=text, to_customer=to_customer)
                ),
            ),
            planned,
        )

    def on_store_bulk_planned(self, message: StoreBulkPlanned) -> None:
        self._confirm(message.plan)

    def _confirm(self, plan: StoreBulkPlan) -> None:
        from podtui.screens.confirm_dialog import ConfirmDialog

        if not plan.acting:
            self.notify(plan.question(), severity="warning", timeout=10)
            return

        def answered(answer: object) -> None:
            if answer is not None:
                self._start_store_bulk(plan)

        count = len(plan.acting)
        self.app.push_screen(
            ConfirmDialog(
                plan.verb,
                plan.question(),
                yes=f"Yes, {count:,} order{'' if count == 1 else 's'}",
                save=lambda _answer: True,
            ),
            answered,
        )

    def _start_store_bulk(self, plan: StoreBulkPlan) -> None:
        self.bulk_running = True
        self._stop_bulk.clear()
        self.query_one(BulkProgress).start(plan.verb, len(plan.acting))
        self.update_header()
        self._refresh_keys()
        self._run_store_bulk(plan)

    @work(thread=True, group="bulk", exit_on_error=False)
    def _run_store_bulk(self, plan: StoreBulkPlan) -> None:
        from podtui.screens.bulk_flow import BulkBroke, BulkProgressed
        from podtui.services.store_ops.bulk import run_store_bulk

        def progress(done: int, total: int) -> None:
            self.post_message(BulkProgressed(done, total))

        try:
            report = run_store_bulk(
                self.app.database(),  # type: ignore[attr-defined]
                plan,
                reach=self.app.reach,  # type: ignore[attr-defined]
                on_progress=progress,
                should_stop=self._stop_bulk.is_set,
            )
        except Exception as exc:
            self.post_message(BulkBroke(f"{plan.verb} broke: {type(exc).__name__}: {exc}"))
            return
        self.post_message(StoreBulkFinished(report))

    def on_store_bulk_finished(self, message: StoreBulkFinished) -> None:
        from podtui.screens.text_modal import TextModal

        report = message.report
        self.bulk_running = False
        self.query_one(BulkProgress).finish()
        self.refresh_list()
        self.update_header()
        self._refresh_keys()
        self.app.push_screen(
            TextModal(f"{report.verb}: finished", report.text(), headline=report.headline())
        )
