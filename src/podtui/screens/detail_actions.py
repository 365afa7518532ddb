"""What the details screen's keys do to the item under the cursor, and when they are enabled.

`check_action` asks the status table (through ItemDetail.allows), so a key the item's status
does not allow is shown dimmed in the footer and does nothing. Each action either runs one
service call in a worker or opens the dialog that collects what the call needs; afterwards the
screen reads the order again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import work
from textual.message import Message

from podtui import keymap
from podtui.domain.errors import DomainError
from podtui.domain.status import Action, ItemStatus, refusal
from podtui.domain.wording import count
from podtui.screens.detail_store_actions import StoreActions
from podtui.screens.dialog_base import FixRetried, RetryOffer
from podtui.screens.variant_dialog import VariantChange
from podtui.services import transaction
from podtui.services.items import actions, orders
from podtui.services.items import shipping as item_shipping
from podtui.services.items import split as item_split
from podtui.services.transaction import UseCase

if TYPE_CHECKING:
    from podtui.services.connections.vendors import Connect
    from podtui.services.items.order_detail import ItemDetail, OrderDetail


# What the vendor holds: letting go of it here (ignore, restore over a cancel) asks first.
AT_VENDOR = frozenset({ItemStatus.SENT, ItemStatus.IN_PRODUCTION, ItemStatus.FULFILLED})


class ActionDone(Message):
    """A service call of the screen finished; `message` is the toast, `error` set if refused."""

    def __init__(self, message: str, error: bool = False) -> None:
        super().__init__()
        self.message = message
        self.error = error


class DetailActions(VariantChange, StoreActions):
    """The action half of OrderDetailScreen; the screen supplies the members below."""

    detail: OrderDetail | None
    order_id: int
    reason_after_read: int | None = None  # a retry of this item was refused: show why

    @property
    def current(self) -> ItemDetail | None:
        raise NotImplementedError

    def reload(self) -> None:
        raise NotImplementedError

    def link_of(self, d: ItemDetail) -> str:
        raise NotImplementedError

    # -- enabling -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Every key runs: one that does not apply says why (the footer dims it, key_applies)."""
        return True

    def key_applies(self, action: str, parameters: tuple[object, ...]) -> bool:
        """Whether the key does something here; False: dim in the footer, a toast if pressed."""
        return self._applies(action, parameters) is True

    def _applies(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "item" and parameters:
            d = self.current
            try:
                wanted = Action(str(parameters[0]))
            except ValueError:
                return None
            return True if d is not None and d.allows(wanted) else None
        if action in ("link_to_file",):
            d = self.current
            return True if d is not None and d.allows(Action.COPY_LINK) else None
        if action == "raw_payload":
            return True if self.current is not None else None
        if action == "archive" and parameters:
            if self.detail is None:
                return None
            return True if self.detail.order.archived != bool(parameters[0]) else None
        if action in ("add_note", "notes", "resync", "timeline"):
            return True if self.detail is not None else None
        if action in (
            "store_status",
            "mark_paid",
            "store_note",
            "refund",
            "change_customer",
            "take_return",
        ):
            return self.store_action_applies(action)
        return True

    # -- running service calls ----------------------------------------------------------------

    def write(self, use_case: UseCase[Any]) -> Any:
        """Run one use-case in its own write transaction (call from a worker thread only)."""
        return transaction.write(self.app.database(), use_case)  # type: ignore[attr-defined]

    def run_use_case(self, use_case: UseCase[Any], done: str) -> None:
        """Run the use-case off the UI thread; toast `done` or the refusal, then read again."""
        self._run(use_case, done)

    @work(thread=True, group="detail-action", exit_on_error=False)
    def _run(self, use_case: UseCase[Any], done: str) -> None:
        try:
            self.write(use_case)
        except DomainError as exc:
            self.post_message(ActionDone(str(exc), error=True))
            return
        except Exception as exc:
            self.post_message(ActionDone(f"{type(exc).__name__}: {exc}", error=True))
            return
        self.post_message(ActionDone(done))

    def run_call(self, call: Callable[[], Any], done: Callable[[Any], tuple[str, bool]]) -> None:
        """Like run_use_case for a service that opens its own transactions (send, re-sync)."""
        self._call(call, done)

    @work(thread=True, group="detail-action", exit_on_error=False)
    def _call(self, call: Callable[[], Any], done: Callable[[Any], tuple[str, bool]]) -> None:
        try:
            result = call()
        except DomainError as exc:
            self.post_message(ActionDone(str(exc), error=True))
            return
        except Exception as exc:
            self.post_message(ActionDone(f"{type(exc).__name__}: {exc}", error=True))
            return
        message, error = done(result)
        self.post_message(ActionDone(message, error=error))

    def connect(self) -> Connect:
        """How the vendors are reached from this app (the demo hands in its sandboxes)."""
        from podtui.services.connections.vendors import connector

        return connector(self.app.reach)  # type: ignore[attr-defined]

    def on_action_done(self, message: ActionDone) -> None:
        if message.message:
            self.notify(message.message, severity="error" if message.error else "information")
        self.reload()

    def dialog_closed(self, message: str) -> Callable[[Any], None]:
        """A dialog callback: toast `message` and read again when it saved something."""

        def closed(result: Any) -> None:
            if result is not None:
                self.notify(message)
                self.reload()

        return closed

    # -- the item actions ---------------------------------------------------------------------

    def action_item(self, name: str) -> None:
        d = self.current
        if d is None or self.detail is None:
            return
        action = Action(name)
        if not d.allows(action):
            if action in (Action.SEND, Action.MARK_FULFILLED) and d.vendor is None:
                why = "it has no vendor yet; link its artwork or map its product first"
            else:
                why = refusal(d.status, action, vendor_integrated=d.vendor_integrated)
            self.notify(f"Cannot {action.label.lower()} item {d.id}: {why}.", severity="warning")
            return
        handler = getattr(self, f"do_{action.value}", None)
        if handler is not None:
            handler(d)

    def do_approve(self, d: ItemDetail) -> None:
        """The design as large as the terminal allows; `y` approves it, then the order's next
        item waiting (ApprovalModal)."""
        from podtui.screens.approval import ApprovalModal
        from podtui.services.listing.query import Resolved

        detail = getattr(self, "detail", None)
        ids = tuple(item.id for item in detail.items) if detail is not None else (d.id,)
        following = Resolved(
            item_ids=ids, sort="created", descending=False, archived="show", unmanaged="show"
        )

        def closed(approved: int | None) -> None:
            if approved:
                self.reload()

        reader = self.app.reader  # type: ignore[attr-defined]
        self.app.push_screen(ApprovalModal(reader, d.id, following), closed)

    def do_regenerate(self, d: ItemDetail) -> None:
        self.run_use_case(
            lambda s: actions.regenerate(s, d.id, expected=d.status),
            f"Item {d.id}: the print file is queued to render again.",
        )

    def do_release(self, d: ItemDetail) -> None:
        self.run_use_case(
            lambda s: actions.release(s, d.id, expected=d.status), f"Released item {d.id}."
        )

    def do_ignore(self, d: ItemDetail) -> None:
        def ignore() -> None:
            self.run_use_case(
                lambda s: actions.ignore(s, d.id, expected=d.status),
                f"Ignored item {d.id} (u restores it).",
            )

        if d.status not in AT_VENDOR:
            ignore()
            return
        vendor = d.vendor.name if d.vendor else "the vendor"
        self._confirm(
            f"Ignore item {d.id}",
            f"Ignore item {d.id}? It is {d.status.label} at {vendor}: ignoring it here does not "
            "cancel it there (X cancels at the vendor).",
            "Ignore",
            ignore,
        )

    def do_restore(self, d: ItemDetail) -> None:
        def restore() -> None:
            self.run_use_case(
                lambda s: actions.restore(s, d.id, expected=d.status), f"Restored item {d.id}."
            )

        back_to = d.item.status_before
        if d.status is not ItemStatus.CANCELED or back_to not in AT_VENDOR:
            restore()
            return
        vendor = d.vendor.name if d.vendor else "the vendor"
        self._confirm(
            f"Restore item {d.id}",
            f"Restore item {d.id} to {back_to.label}? It was canceled: {vendor} may no longer "
            "have it. Restoring changes podtui's record only.",
            "Restore",
            restore,
        )

    def _confirm(self, title: str, question: str, yes: str, then: Callable[[], None]) -> None:
        """Ask first; `then` runs on yes (No, n and esc leave the item as it is)."""
        from podtui.screens.confirm_dialog import ConfirmDialog

        def answered(result: object) -> None:
            if result is not None:
                then()

        self.app.push_screen(ConfirmDialog(title, question, yes=yes, save=lambda _: True), answered)

    def do_hold(self, d: ItemDetail) -> None:
        from podtui.screens.confirm_dialog import ConfirmDialog

        def save(answer: dict[str, str]) -> object:
            return self.write(
                lambda s: actions.hold(s, d.id, answer.get("reason", ""), expected=d.status)
            )

        self.app.push_screen(
            ConfirmDialog(
                f"Hold item {d.id}",
                f"Put {d.item.title or 'the item'} on hold? It stops any automatic send.",
                yes="Hold",
                reason="required",
                save=save,
            ),
            self.dialog_closed(f"Item {d.id} is on hold."),
        )

    def do_cancel(self, d: ItemDetail) -> None:
        from podtui.screens.confirm_dialog import ConfirmDialog

        at_vendor = d.status in (ItemStatus.SENT, ItemStatus.IN_PRODUCTION)
        vendor = d.vendor.name if d.vendor else "the vendor"

        def save(answer: dict[str, str]) -> object:
            from podtui.services.sending.cancel import cancel_at_vendor

            db = self.app.database()  # type: ignore[attr-defined]
            return cancel_at_vendor(db, [d.id], answer.get("reason", ""), connect=self.connect())

        question = (
            f"Ask {vendor} to cancel item {d.id}? Every item on that vendor order is canceled "
            "with it; if the vendor refuses (printing has started), nothing changes here."
            if at_vendor
            else f"Cancel item {d.id}? {vendor} does not have it yet."
        )
        self.app.push_screen(
            ConfirmDialog(
                f"Cancel item {d.id}", question, yes="Cancel", reason="optional", save=save
            ),
            self._cancelled,
        )

    def _cancelled(self, result: Any) -> None:
        if result is None:
            return
        refused = bool(getattr(result, "refused", None))
        self.notify(
            result.message(),
            severity="error" if refused and not result.canceled else "information",
            timeout=10,
        )
        self.reload()

    def action_cancel_order(self) -> None:
        from podtui.screens.confirm_dialog import ConfirmDialog

        if self.detail is None:
            return
        order_id, name = self.order_id, self.detail.order.name

        def save(answer: dict[str, str]) -> object:
            from podtui.services.sending.cancel import cancel_order

            db = self.app.database()  # type: ignore[attr-defined]
            return cancel_order(db, order_id, answer.get("reason", ""), connect=self.connect())

        self.app.push_screen(
            ConfirmDialog(
                f"Cancel order {name}",
                f"Cancel every open item of {name}? Items at a vendor are canceled there (where "
                "the vendor still allows it); the others here.",
                yes="Cancel the order",
                reason="optional",
                save=save,
            ),
            self._cancelled,
        )

    def do_send(self, d: ItemDetail) -> None:
        """Ask the vendor's shipping methods (and prices, for this one order) off the UI thread,
        then the confirm with them."""
        self._offer_send(d)

    @work(thread=True, exclusive=True, group="detail-send-offer", exit_on_error=False)
    def _offer_send(self, d: ItemDetail) -> None:
        from podtui.services.sending.shipping_choice import ShippingOffer, shipping_offers

        offers: list[ShippingOffer] = []
        try:
            offers = shipping_offers(
                self.app.database(),  # type: ignore[attr-defined]
                [d.id],
                connect=self.connect(),
                vendor_ids=[d.vendor.id] if d.vendor and d.vendor.id else [],
            )
        except Exception as exc:  # the confirm still asks; the vendor's default method ships it
            self.app.call_from_thread(
                self.notify,
                f"No shipping choice this time ({type(exc).__name__}: {exc}); the vendor's "
                "default method ships it.",
                severity="warning",
            )
            offers = []
        self.app.call_from_thread(self._ask_send, d, offers)

    def _ask_send(self, d: ItemDetail, offers: list[Any]) -> None:
        from podtui.screens.send_dialog import SendConfirmDialog, shipping_answer

        vendor = d.vendor.name if d.vendor else "its vendor"
        test = self.detail is not None and self.detail.order.test

        def send(answer: dict[str, str]) -> object:
            from podtui.services.sending.fulfil import SendOptions, send_items

            return send_items(
                self.app.database(),  # type: ignore[attr-defined]
                [d.id],
                connect=self.connect(),
                options=SendOptions(
                    allow_test=test,
                    shipping=shipping_answer(answer),
                    shipping_shown=shipping_answer(answer, "shipping_shown"),
                ),
            )

        def sent(result: Any) -> None:
            if result is not None:
                message, error = outcome_message(result, d.id, f"handed to {vendor}")
                self.notify(message, severity="error" if error else "information", timeout=10)
                self.reload()

        if not test:
            self.app.push_screen(
                SendConfirmDialog(
                    f"Send item {d.id}",
                    f"Send 1 item to {vendor}?",
                    yes=f"Send to {vendor}",
                    save=send,
                    offers=offers,
                ),
                sent,
            )
            return
        from podtui.screens.bulk_flow import test_order_dialog

        def first(answer: object) -> None:
            if answer:  # the second question, naming it a test order
                chosen = answer if isinstance(answer, dict) else {}
                again = test_order_dialog(1, 1)
                again.save = lambda _sure: send(chosen)
                self.app.push_screen(again, sent)

        self.app.push_screen(
            SendConfirmDialog(
                f"Send item {d.id} (TEST order)",
                f"Send 1 item of a TEST order to {vendor}?",
                yes=f"Send to {vendor}",
                save=lambda answer: dict(answer),
                offers=offers,
            ),
            first,
        )

    def retry_call(self, d: ItemDetail) -> Callable[[], Any]:
        """The retry of `d` as a service call (for `r` and for the fix dialogs' offer)."""

        def retry() -> object:
            from podtui.services.sending.fulfil import retry_items

            return retry_items(self.app.database(), [d.id], connect=self.connect())  # type: ignore[attr-defined]

        return retry

    def do_retry(self, d: ItemDetail) -> None:
        def said(result: Any) -> tuple[str, bool]:
            message, error = outcome_message(result, d.id, "sent again")
            if d.id in getattr(result, "failed", {}):
                self.reason_after_read = d.id  # refused again: the panel shows the new reason
            return message, error

        self.run_call(self.retry_call(d), said)

    def retry_offer(self, d: ItemDetail, what: str) -> RetryOffer:
        vendor = d.vendor.name if d.vendor else "its vendor"
        return RetryOffer(
            self.retry_call(d), f"{what} saved. Retry sending item {d.id} to {vendor} now?"
        )

    def fix_closed(self, d: ItemDetail, saved: str) -> Callable[[Any], None]:
        """After a fix dialog: toast what happened; a refused retry opens the panel again."""

        def closed(result: Any) -> None:
            if result is None:
                return
            if isinstance(result, FixRetried):
                message, error = outcome_message(result.outcome, d.id, "sent again")
                if d.id in getattr(result.outcome, "failed", {}):
                    self.reason_after_read = d.id
                self.notify(message, severity="error" if error else "information", timeout=10)
            else:
                self.notify(saved)
            self.reload()

        return closed

    def fix_rejected(self, d: ItemDetail, editor: str, field: str) -> None:
        """Open the editor of the field the vendor refused, with the retry on offer."""
        if editor == "shipping":
            self.do_edit_shipping(d, focus=field, retry=self.retry_offer(d, "Address"))
        elif editor == "design":
            self.do_edit_design(d, focus=field, retry=self.retry_offer(d, "Design"))
        else:
            self.do_regenerate(d)

    def show_reason_again(self) -> None:
        """After a read: the item a retry was refused for shows its (new) reason at once."""
        item_id, self.reason_after_read = self.reason_after_read, None
        d = self.current
        if (
            item_id is not None
            and d is not None
            and d.id == item_id
            and d.status is ItemStatus.FAILED
            and self.app.screen is self
        ):
            self.do_see_reason(d)

    def do_mark_fulfilled(self, d: ItemDetail) -> None:
        from podtui.screens.fulfilled_dialog import FulfilledDialog

        def save(carrier: str, number: str, url: str) -> object:
            return self.write(
                lambda s: item_shipping.mark_fulfilled(
                    s, d.id, carrier, number, url, expected=d.status
                )
            )

        self.app.push_screen(
            FulfilledDialog(d, save=save), self.dialog_closed(f"Item {d.id} marked fulfilled.")
        )

    def do_split(self, d: ItemDetail) -> None:
        from podtui.screens.split_dialog import SplitDialog

        def save(quantities: list[int]) -> object:
            return self.write(lambda s: item_split.split(s, d.id, quantities, expected=d.status))

        self.app.push_screen(
            SplitDialog(d, save=save), self.dialog_closed(f"Item {d.id} was split.")
        )

    def do_edit_shipping(
        self, d: ItemDetail, *, focus: str | None = None, retry: RetryOffer | None = None
    ) -> None:
        from podtui.screens.shipping_dialog import ShippingDialog

        assert self.detail is not None

        def save(address: Any) -> object:
            return self.write(
                lambda s: item_shipping.edit_shipping(s, d.id, address, expected=d.status)
            )

        def closed(result: Any) -> None:
            if result is None:
                return
            if not result.changed:
                self.notify("The address was not changed.")
            elif result.at_vendor_item_ids:
                ids = ", ".join(str(i) for i in result.at_vendor_item_ids)
                self.notify(
                    f"Address saved. Items already at the vendor ({ids}) keep the old address "
                    "there: change it with the vendor too.",
                    severity="warning",
                    timeout=12,
                )
            else:
                self.notify("Shipping address saved.")
            self.reload()

        if retry is not None:
            dialog = ShippingDialog(self.detail, save=save, focus=focus, retry=retry)
            self.app.push_screen(dialog, self.fix_closed(d, "Shipping address saved."))
            return
        self.app.push_screen(ShippingDialog(self.detail, save=save), closed)

    def do_edit_design(
        self, d: ItemDetail, *, focus: str | None = None, retry: RetryOffer | None = None
    ) -> None:
        from podtui.screens.design_dialog import DesignDialog

        if retry is not None:
            dialog = DesignDialog(d, write=self.write, focus=focus, retry=retry)
            self.app.push_screen(dialog, self.fix_closed(d, f"Item {d.id}: design saved."))
            return
        self.app.push_screen(
            DesignDialog(d, write=self.write), self.dialog_closed(f"Item {d.id}: design saved.")
        )

    def do_add_artwork(self, d: ItemDetail) -> None:
        from podtui.screens.artwork_picker import ArtworkPicker

        self.app.push_screen(
            ArtworkPicker(d, write=self.write), self.dialog_closed(f"Artwork linked to {d.id}.")
        )

    def do_see_reason(self, d: ItemDetail) -> None:
        from podtui.screens.failure_panel import FailurePanel

        def chosen(key: str | None) -> None:
            if key is not None and key.startswith("fix:"):
                _, editor, field = key.split(":", 2)
                self.fix_rejected(d, editor, field)
            elif key is not None:
                self.action_item(key)

        events = [e for e in self.detail.timeline if e.item_id == d.id] if self.detail else []
        self.app.push_screen(FailurePanel(d, events), chosen)

    def do_copy_link(self, d: ItemDetail) -> None:
        link = self.link_of(d)
        if not link:
            self.notify(f"Item {d.id} has no print file yet; approve it to render one.")
            return
        self.app.copy_to_clipboard(link)
        key = keymap.bound_key(self.app, "detail.link_to_file")
        self.notify(f"Copied {link} (if your terminal ignored it, {key} writes it to a file).")

    def action_link_to_file(self) -> None:
        d = self.current
        if d is None:
            return
        link = self.link_of(d)
        if not link:
            self.notify(f"Item {d.id} has no print file yet; approve it to render one.")
            return
        from podtui.config import data_dir

        folder = data_dir() / "reports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"print-link-{d.id}-{datetime.now():%Y%m%d-%H%M%S}.txt"
        path.write_text(link + "\n", encoding="utf-8")
        self.notify(f"Wrote the link to {path}")

    def action_raw_payload(self) -> None:
        import json

        from podtui.screens.text_modal import TextModal

        d = self.current
        if d is None or self.detail is None:
            return
        line = _store_line(self.detail.order.raw, d.item.store_line_id)
        payload = {"personalization_raw": d.item.personalization_raw, "store_line": line}
        text = json.dumps(payload, indent=2, ensure_ascii=False, default=str)
        self.app.push_screen(TextModal(f"Item {d.id}: what the store sent", text))

    # -- order actions ------------------------------------------------------------------------

    def action_archive(self, archived: bool) -> None:
        from podtui.screens.confirm_dialog import ConfirmDialog

        if self.detail is None:
            return
        name = self.detail.order.name
        if self.detail.order.archived == archived:
            state = "archived" if archived else "not archived"
            self.notify(f"Order {name} is {state} already.")
            return
        verb = "Archive" if archived else "Unarchive"
        use_case = orders.archive_order if archived else orders.unarchive_order

        def save(_answer: dict[str, str]) -> object:
            return self.write(lambda s: use_case(s, self.order_id))

        question = (
            f"Archive {name}? It leaves the default views and comes back unchanged when unarchived."
            if archived
            else f"Unarchive {name}? It comes back into the views as it was."
        )
        self.app.push_screen(
            ConfirmDialog(f"{verb} {name}", question, yes=verb, save=save),
            self.dialog_closed(f"{verb}d {name}."),
        )

    def action_add_note(self) -> None:
        from podtui.screens.note_dialog import NoteDialog

        def save(body: str) -> object:
            return self.write(lambda s: orders.add_note(s, self.order_id, body))

        self.app.push_screen(
            NoteDialog("Add a note", "", save=save), self.dialog_closed("Note added.")
        )

    def action_notes(self) -> None:
        from podtui.screens.note_dialog import NotesModal

        if self.detail is None:
            return
        if not self.detail.notes:
            self.notify("This order has no notes yet; n adds one.")
            return
        self.app.push_screen(NotesModal(self.detail.notes, write=self.write), self._notes_closed)

    def _notes_closed(self, changed: bool | None) -> None:
        if changed:
            self.reload()

    def action_timeline(self) -> None:
        from podtui.screens.text_modal import TextModal
        from podtui.widgets.detail_text import timeline

        if self.detail is None:
            return
        text = timeline(self.detail, limit=None)
        self.app.push_screen(
            TextModal(f"Timeline of {self.detail.order.name}", text.plain, headline="newest first")
        )

    def action_resync(self) -> None:
        def resync() -> object:
            from podtui.services.store_ops.notes import pull_store_notes
            from podtui.services.sync.pull import resync_order

            db = self.app.database()  # type: ignore[attr-defined]
            reach = self.app.reach  # type: ignore[attr-defined]
            report = resync_order(db, self.order_id, reach=reach)
            return report, pull_store_notes(db, self.order_id, reach=reach)

        def said(result: Any) -> tuple[str, bool]:
            report, notes = result
            news = f" {count(notes, 'store note')} came onto the timeline." if notes else ""
            if report.orders_created or report.orders_updated:
                return f"Re-synced: the store's changes are on the timeline.{news}", False
            if notes:
                return f"Re-synced:{news}", False
            return "Re-synced: the store has nothing new for this order.", False

        self.run_call(resync, said)


def outcome_message(result: Any, item_id: int, verb: str) -> tuple[str, bool]:
    """The toast for one item's send or retry: a BulkOutcome says per item what happened."""
    for bucket in ("failed", "skipped"):
        why = getattr(result, bucket, {}).get(item_id)
        if why:
            return f"Item {item_id} was not {verb}: {why}", True
    return f"Item {item_id} was {verb}.", False


def _store_line(raw: dict[str, Any], line_id: str) -> Any:
    """The store's own line for this item in the order payload, if it can be found."""
    for key in ("line_items", "lineItems"):
        lines = raw.get(key)
        if isinstance(lines, list):
            for line in lines:
                if isinstance(line, dict) and str(line.get("id")) == str(line_id):
                    return line
    return None
