"""The store side of the order on its details screen: mark as paid, the store's status, notes to
the store. Each asks first (y/n, No focused) and goes through the store's API by a service in
services/store_ops; the store's refusal stays on the dialog with the store's own reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from podtui.domain.payment import can_mark_paid, payment_label
from podtui.domain.store_status import moves, store_label

if TYPE_CHECKING:
    from podtui.services.items.order_detail import OrderDetail


# Payment statuses with money to give back.
REFUNDABLE = frozenset({"paid", "partially_paid", "partially_refunded"})


class StoreActions(Screen[None]):
    """The store half of the details screen's actions; DetailActions supplies the members."""

    detail: OrderDetail | None
    order_id: int

    def dialog_closed(self, message: str) -> Callable[[Any], None]:
        raise NotImplementedError

    def store_action_applies(self, action: str) -> bool | None:
        """Whether a store key does something here (None: dimmed), or None for other keys."""
        if self.detail is None:
            return None
        if action == "store_status":
            if self.detail.store is None:
                return None
            return True if moves(self.detail.store.kind, self.detail.order.store_status) else None
        if action == "mark_paid":
            return True if can_mark_paid(self.detail.order.payment_status) else None
        if action in ("store_note", "change_customer"):
            return True
        if action == "take_return":
            done = self.detail.order.store_fulfillment_status in ("fulfilled", "partial")
            return True if done and self.detail.items else None
        if action == "refund":
            paid = self.detail.order.payment_status in REFUNDABLE
            return True if paid and self.detail.items else None
        return None

    def action_mark_paid(self) -> None:
        from podtui.screens.confirm_dialog import ConfirmDialog
        from podtui.services.store_ops.payment import mark_paid, mark_paid_notify

        if self.detail is None:
            return
        order, store = self.detail.order, self.detail.store
        where = store.name if store is not None else "the store"
        if not can_mark_paid(order.payment_status):
            self.notify(
                f"{order.name} is {payment_label(order.payment_status)} at {where}: only an "
                "unpaid, pending or partially paid order can be marked as paid.",
                severity="warning",
            )
            return
        notify = mark_paid_notify(store) if store is not None else None
        told = (
            "The customer is not notified."
            if notify is False
            else "The customer is notified."
            if notify
            else "The store sends its own e-mails, as it is set up to."
        )
        question = (
            f"Mark {order.name} as paid at {where}? It records {order.total} {order.currency} "
            f"as received ({order.payment_method or 'manual payment'}); nothing is charged. "
            f"{told}"
        )
        app: Any = self.app

        def save(_answer: dict[str, str]) -> object:
            return mark_paid(app.database(), self.order_id, reach=app.reach)

        self.app.push_screen(
            ConfirmDialog(f"Mark {order.name} as paid", question, yes="Mark as paid", save=save),
            self.dialog_closed(f"{order.name} is marked as paid at {where}."),
        )

    def action_store_status(self) -> None:
        from podtui.screens.confirm_dialog import ConfirmDialog
        from podtui.screens.store_dialogs import StoreStatusDialog
        from podtui.services.store_ops.notes import notify_default
        from podtui.services.store_ops.status import (
            CancelOptions,
            change_store_status,
            check_move,
        )

        if self.detail is None or self.detail.store is None:
            return
        order, store = self.detail.order, self.detail.store
        targets = moves(store.kind, order.store_status)
        if not targets:
            self.notify(
                f"{order.name} is {store_label(order.store_status)} at {store.name}: "
                "the store allows no other status from there.",
                severity="warning",
            )
            return
        app: Any = self.app

        def ask(choice: Any) -> None:
            if choice is None:
                return
            to, options = choice
            self.app.push_screen(
                ConfirmDialog(
                    f"{store_label(order.store_status)} → {store_label(to)} at {store.name}",
                    _status_question(order.name, store.name, store.kind, to, options),
                    yes="Change it",
                    save=lambda _answer: change_store_status(
                        app.database(), self.order_id, to, options=options, reach=app.reach
                    ),
                ),
                self.dialog_closed(f"{order.name} is {store_label(to)} at {store.name}."),
            )

        def chosen(to: str, options: CancelOptions | None) -> object:
            check_move(order, store, to, options)  # bad input: said here, nothing sent
            return (to, options)

        self.app.push_screen(
            StoreStatusDialog(
                order.name,
                store.name,
                order.store_status,
                targets,
                cancel_options=store.kind == "shopify" and "cancelled" in targets,
                notify=notify_default(store),
                save=chosen,
            ),
            ask,
        )

    def action_refund(self) -> None:
        from dataclasses import replace

        from podtui.screens.confirm_dialog import ConfirmDialog
        from podtui.screens.store_dialogs import RefundDialog
        from podtui.services.store_ops.notes import notify_default
        from podtui.services.store_ops.refunds import (
            check_refund,
            local_total,
            notify_note,
            quote_refund,
            refund,
            refund_lines,
        )

        if self.detail is None:
            return
        order, store = self.detail.order, self.detail.store
        where = store.name if store is not None else "the store"
        if order.payment_status not in REFUNDABLE:
            self.notify(
                f"{order.name} is {payment_label(order.payment_status)} at {where}: there is no "
                "payment to refund.",
                severity="warning",
            )
            return
        lines = refund_lines([d.item for d in self.detail.items])
        app: Any = self.app

        def quote(units: dict[str, str], choices: dict[str, Any]) -> object:
            request = check_refund(lines, units, **choices)  # bad input: said, nothing sent
            expected = local_total(lines, request)
            found = quote_refund(
                app.database(), self.order_id, request, expected=expected, reach=app.reach
            )
            return replace(request, amount=found.amount), found

        def ask(result: Any) -> None:
            if result is None:
                return
            request, found = result
            self.app.push_screen(
                ConfirmDialog(
                    f"Refund on {order.name}",
                    _refund_question(order.name, where, lines, request, found),
                    yes=f"Refund {found.amount:.2f}",
                    save=lambda _answer: refund(
                        app.database(), self.order_id, request, reach=app.reach
                    ),
                ),
                self.dialog_closed(f"Refunded {found.amount:.2f} {found.currency} at {where}."),
            )

        self.app.push_screen(
            RefundDialog(
                order.name,
                where,
                order.currency,
                lines,
                notify=notify_default(store),
                notify_note=(
                    (notify_note(store.kind, short=True), notify_note(store.kind))
                    if store is not None
                    else ("", "")
                ),
                save=quote,
            ),
            ask,
        )

    def action_take_return(self) -> None:
        from podtui.screens.confirm_dialog import ConfirmDialog
        from podtui.screens.store_dialogs import ReturnDialog
        from podtui.services.store_ops.refunds import refund_lines
        from podtui.services.store_ops.returns import check_return, create_return, return_lines

        if self.detail is None:
            return
        order, store = self.detail.order, self.detail.store
        where = store.name if store is not None else "the store"
        if order.store_fulfillment_status not in ("fulfilled", "partial"):
            self.notify(
                f"{order.name} is not fulfilled at {where}: only fulfilled units can be returned.",
                severity="warning",
            )
            return
        lines = refund_lines([d.item for d in self.detail.items])
        app: Any = self.app
        titles = {line.store_line_id: line.title for line in lines}

        def check(units: dict[str, str], reason: str) -> object:
            _, returned = return_lines(app.database(), self.order_id)  # what came back so far
            taken = check_return(lines, returned, units, reason)  # bad input: said, nothing sent
            return units, reason, taken

        def ask(result: Any) -> None:
            if result is None:
                return
            units, reason, taken = result
            what = "; ".join(f"{n} x {titles.get(line, line)}" for line, n in taken)
            kept = (
                "Shopify opens a return"
                if store is not None and store.kind == "shopify"
                else "It is kept here, with a private note at the store"
            )
            self.app.push_screen(
                ConfirmDialog(
                    f"Return on {order.name}",
                    f"Take back {what} on {order.name} at {where}? {kept}; the refund is "
                    "separate ($).",
                    yes="Take the return",
                    save=lambda _answer: create_return(
                        app.database(), self.order_id, units, reason, reach=app.reach
                    ),
                ),
                self.dialog_closed(f"Return taken at {where}; $ refunds it."),
            )

        self.app.push_screen(ReturnDialog(order.name, where, lines, save=check), ask)

    def action_change_customer(self) -> None:
        from podtui.screens.confirm_dialog import ConfirmDialog
        from podtui.screens.store_dialogs import CustomerDialog
        from podtui.services.store_ops.customer import search_customers, set_customer

        if self.detail is None:
            return
        order, store = self.detail.order, self.detail.store
        where = store.name if store is not None else "the store"
        now = order.customer_name + (f" <{order.customer_email}>" if order.customer_email else "")
        app: Any = self.app

        def picked(customer: Any) -> None:
            if customer is None:
                return
            self.app.push_screen(
                ConfirmDialog(
                    f"Customer of {order.name}",
                    f"Make {customer.name} <{customer.email}> the customer of {order.name} at "
                    f"{where} (now {now.strip() or 'none'})? The customer is not told.",
                    yes="Set the customer",
                    save=lambda _answer: set_customer(
                        app.database(), self.order_id, customer, reach=app.reach
                    ),
                ),
                self.dialog_closed(f"{customer.name} is the customer of {order.name} at {where}."),
            )

        self.app.push_screen(
            CustomerDialog(
                order.name,
                where,
                now.strip(),
                search=lambda query: search_customers(
                    app.database(), self.order_id, query, reach=app.reach
                ),
            ),
            picked,
        )

    def action_store_note(self) -> None:
        from podtui.screens.store_dialogs import StoreNoteDialog
        from podtui.services.store_ops.notes import (
            can_notify_customer,
            notify_default,
            post_note,
        )

        if self.detail is None:
            return
        order, store = self.detail.order, self.detail.store
        where = store.name if store is not None else "the store"
        app: Any = self.app

        def save(body: str, to_customer: bool) -> object:
            return post_note(
                app.database(), self.order_id, body, to_customer=to_customer, reach=app.reach
            )

        self.app.push_screen(
            StoreNoteDialog(
                order.name,
                where,
                customer_allowed=can_notify_customer(store),
                to_customer=notify_default(store),
                save=save,
            ),
            self.dialog_closed(f"Note posted to {where}."),
        )


def _refund_question(name: str, store: str, lines: list[Any], request: Any, quote: Any) -> str:
    """What the refund will do, with the store's own figure, said before it is done."""
    titles = {line.store_line_id: line.title for line in lines}
    parts = [f"{units} x {titles.get(line, line)}" for line, units in request.lines]
    if request.shipping:
        parts.append(f"shipping {request.shipping:.2f}")
    if request.adjustment:
        parts.append(f"adjustment {request.adjustment:+.2f}")
    if request.fee:
        parts.append(f"restocking fee {request.fee:.2f}")
    figure = "the store's own calculation" if quote.by_store else "by the order's prices"
    if quote.calculated is not None and quote.calculated != quote.amount:
        figure += f": {quote.calculated:.2f} before the adjustment and the fee"
    money = (
        "the money goes back through the payment gateway"
        if request.through_gateway
        else "the refund is only recorded: return the money by hand"
    )
    stock = "restocked" if request.restock else "not restocked"
    return (
        f"Refund {quote.amount:.2f} {quote.currency} on {name} at {store} ({figure})? "
        f"{'; '.join(parts)}. {money.capitalize()}; the items are {stock}. It cannot be undone."
    )


def _status_question(name: str, store: str, kind: str, to: str, options: Any) -> str:
    """What moving the order's status will do at the store, said before it is done."""
    if to == "cancelled" and options is not None:
        money = "the payment is refunded" if options.refund else "no money is refunded"
        stock = "restocked" if options.restock else "not restocked"
        told = "the customer is notified" if options.notify else "the customer is not told"
        return (
            f"Cancel {name} at {store}? It cannot be undone: {money}, the items are {stock}, "
            f"{told}. Items here that no vendor has yet are cancelled too."
        )
    if to == "cancelled":
        return (
            f"Cancel {name} at {store}? The store sends its e-mails as it is set up to. Items "
            "here that no vendor has yet are cancelled too."
        )
    if kind == "shopify":
        verb = "Close" if to == "closed" else "Reopen"
        return f"{verb} {name} at {store}? The customer is not told."
    pause = " Its items' automatic send pauses until it leaves on hold." if to == "on-hold" else ""
    return (
        f"Set {name} to {store_label(to)} at {store}? The store sends its e-mails as it is set "
        f"up to.{pause}"
    )
