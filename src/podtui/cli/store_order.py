"""`podtui store-order ...`: the store side of an order, as from the order page.

    podtui store-order mark-paid "#1001" --yes
    podtui store-order note "#1001" --text "Reprint ordered" [--to-customer] --yes
    podtui store-order status "#1001" --to on-hold --yes
    podtui store-order status "#1001" --to cancelled --reason CUSTOMER --refund --restock --yes
    podtui store-order refund "#1001" --line 316=1 [--shipping 5.00] [--adjustment -2.00]
        [--fee 3.00] [--reason why] [--restock] [--notify] [--recorded-only] --yes
    podtui store-order return "#1001" --line 316=1 [--reason why] --yes
    podtui store-order customer "#1001" --search grace      # the store's customers that match
    podtui store-order customer "#1001" --to grace@navy.example --yes

Each goes through the store's API once (services/store_ops), lands on the timeline with the OS
user, and is refused with the store's own reason. Without --yes nothing is sent: the command
says what it would do. Exit status: 0 done, 1 not confirmed, 2 refused or bad arguments.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "store-order",
        help="mark paid, notes, status and refunds at the order's store",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ops = p.add_subparsers(dest="operation", metavar="OPERATION", required=True)

    def common(q: argparse.ArgumentParser) -> None:
        q.add_argument("order", metavar="ORDER", help="the order's name (#1001) or store id")
        q.add_argument("--store", metavar="NAME", help="the store, when names repeat")
        q.add_argument("--yes", action="store_true", help="do it (else: say what it would do)")

    paid = ops.add_parser("mark-paid", help="record a manual payment as received")
    common(paid)
    paid.set_defaults(func=run_mark_paid)

    note = ops.add_parser("note", help="post a note to the order at the store")
    common(note)
    note.add_argument("--text", required=True, help="the note")
    note.add_argument("--to-customer", action="store_true", help="the store e-mails it")
    note.set_defaults(func=run_note)

    status = ops.add_parser("status", help="move the order's status at the store")
    common(status)
    status.add_argument("--to", required=True, help="processing, on-hold, completed, ...")
    status.add_argument("--reason", default="OTHER", help="Shopify cancel reason (OTHER)")
    for flag in ("refund", "restock", "notify"):
        status.add_argument(f"--{flag}", action="store_true", help=f"Shopify cancel: {flag}")
    status.add_argument("--staff-note", default="", help="Shopify cancel: a note for staff")
    status.set_defaults(func=run_status)

    refund = ops.add_parser("refund", help="refund units of lines and shipping")
    common(refund)
    refund.add_argument(
        "--line", action="append", default=[], metavar="LINE=UNITS", help="store line id=units"
    )
    refund.add_argument("--shipping", default="", help="shipping to refund, e.g. 5.00")
    refund.add_argument(
        "--adjustment", default="", help="money added (5.00) or taken off (-2.00) the refund"
    )
    refund.add_argument("--fee", default="", help="a restocking fee kept back, e.g. 3.00")
    refund.add_argument("--reason", default="", help="kept with the refund at the store")
    refund.add_argument("--restock", action="store_true")
    refund.add_argument(
        "--notify",
        action="store_true",
        help="Shopify: e-mail the customer about the refund (WooCommerce e-mails the customer "
        "by its own settings, its Refunded order e-mail: --notify does nothing there)",
    )
    refund.add_argument(
        "--recorded-only", action="store_true", help="only record it: the money goes back by hand"
    )
    refund.set_defaults(func=run_refund)

    back = ops.add_parser("return", help="take back fulfilled units of lines")
    common(back)
    back.add_argument(
        "--line", action="append", default=[], metavar="LINE=UNITS", help="store line id=units"
    )
    back.add_argument("--reason", default="", help="kept with the return")
    back.set_defaults(func=run_return)

    customer = ops.add_parser("customer", help="search the store's customers; set the order's")
    common(customer)
    customer.add_argument("--search", metavar="TEXT", help="list the customers matching a name")
    customer.add_argument(
        "--to", metavar="EMAIL", help="the customer to set: an e-mail (or a text only one matches)"
    )
    customer.set_defaults(func=run_customer)


def _order(args: argparse.Namespace) -> tuple[Any, int]:
    from podtui.cli.common import open_db
    from podtui.services.store_ops.writes import find_order

    db = open_db(args)
    return db, find_order(db, args.order, args.store)


def _go(args: argparse.Namespace, what: str) -> bool:
    if args.yes:
        return True
    print(f"would {what}; add --yes to do it")
    return False


def _done(outcome: Any, what: str) -> int:
    found = " (found at the store after a lost answer)" if outcome.found_after_lost_answer else ""
    print(f"{what}{found}")
    return 0


def _units(args: argparse.Namespace, lines: list[Any]) -> dict[str, str]:
    """--line LINE=UNITS, each a line of the order: units by store line id, as typed."""
    from podtui.domain.errors import ValidationError

    units: dict[str, str] = {}
    for spec in args.line:
        line, sep, count = spec.partition("=")
        if not sep:
            raise ValidationError(f"--line {spec!r}: write LINE=UNITS, e.g. 316=1")
        units[line.strip()] = count.strip()
    unknown = sorted(set(units) - {line.store_line_id for line in lines})
    if unknown:
        raise ValidationError(f"{args.order} has no line {', '.join(unknown)}.")
    return units


def run_mark_paid(args: argparse.Namespace) -> int:
    from podtui.services.store_ops.payment import check_can_mark_paid, mark_paid

    db, order_id = _order(args)
    try:
        check_can_mark_paid(db, order_id)  # refused before asking: a yes would not change it
        if not _go(args, f"mark {args.order} as paid at its store"):
            return 1
        return _done(mark_paid(db, order_id), f"{args.order} is marked as paid")
    finally:
        db.dispose()


def run_note(args: argparse.Namespace) -> int:
    from podtui.services.store_ops.notes import check_post, post_note

    db, order_id = _order(args)
    try:
        check_post(db, order_id, args.text, to_customer=args.to_customer)  # before asking
        if not _go(args, f"post the note to {args.order} at its store"):
            return 1
        outcome = post_note(db, order_id, args.text, to_customer=args.to_customer)
        return _done(outcome, f"note posted to {args.order}")
    finally:
        db.dispose()


def run_status(args: argparse.Namespace) -> int:
    from podtui.services.store_ops.status import (
        CancelOptions,
        change_store_status,
        check_status_change,
    )

    db, order_id = _order(args)
    try:
        options = CancelOptions(
            reason=args.reason,
            refund=args.refund,
            restock=args.restock,
            notify=args.notify,
            staff_note=args.staff_note,
        )
        check_status_change(db, order_id, args.to, options=options)  # before asking
        if not _go(args, f"set {args.order} to {args.to} at its store"):
            return 1
        outcome = change_store_status(db, order_id, args.to, options=options)
        return _done(outcome, f"{args.order} is {args.to} at its store")
    finally:
        db.dispose()


def run_refund(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from podtui.services.store_ops.refunds import (
        check_refund,
        lines_of_order,
        local_total,
        order_notify_note,
        quote_refund,
        refund,
    )

    db, order_id = _order(args)
    try:
        note = order_notify_note(db, order_id)
        lines = lines_of_order(db, order_id)
        units = _units(args, lines)
        request = check_refund(
            lines,
            units,
            shipping=args.shipping,
            adjustment=args.adjustment,
            fee=args.fee,
            reason=args.reason,
            restock=args.restock,
            notify=args.notify,
            through_gateway=not args.recorded_only,
        )
        quote = quote_refund(db, order_id, request, expected=local_total(lines, request))
        if note:  # whether or not --notify was given: an e-mail may go, or not, regardless
            print(f"{note}.")
        if not _go(args, f"refund {quote.amount:.2f} {quote.currency} on {args.order}"):
            return 1
        outcome = refund(db, order_id, replace(request, amount=quote.amount))
        return _done(outcome, f"refunded {quote.amount:.2f} {quote.currency} on {args.order}")
    finally:
        db.dispose()


def run_return(args: argparse.Namespace) -> int:
    from podtui.services.store_ops.returns import check_return, create_return, return_lines

    db, order_id = _order(args)
    try:
        lines, returned = return_lines(db, order_id)
        units = _units(args, lines)
        taken = check_return(lines, returned, units, args.reason)  # bad input: nothing sent
        titles = {line.store_line_id: line.title for line in lines}
        what = "; ".join(f"{n} x {titles.get(line, line)}" for line, n in taken)
        if not _go(args, f"take back {what} on {args.order} at its store"):
            return 1
        outcome = create_return(db, order_id, units, args.reason)
        return _done(outcome, f"return taken on {args.order}; refund it with store-order refund")
    finally:
        db.dispose()


def run_customer(args: argparse.Namespace) -> int:
    from podtui.domain.errors import DomainError, ValidationError
    from podtui.services.store_ops.customer import search_customers, set_customer

    if not args.search and not args.to:
        raise ValidationError(
            "Give --search or --to: --search TEXT lists the customers, --to EMAIL sets one."
        )
    db, order_id = _order(args)
    try:
        if args.search:
            for c in search_customers(db, order_id, args.search):
                print(f"{c.customer_id:>8}  {c.name or '(no name)'} <{c.email}>")
            if not args.to:
                return 0
        wanted = args.to.strip()
        found = search_customers(db, order_id, wanted)
        exact = [c for c in found if c.email.lower() == wanted.lower()]
        chosen = exact or found
        if len(chosen) > 1:
            raise DomainError(
                f"{len(chosen)} customers match {wanted!r}: give one's e-mail "
                f"({', '.join(c.email for c in chosen[:5])})."
            )
        customer = chosen[0]
        who = f"{customer.name} <{customer.email}>"
        if not _go(args, f"make {who} the customer of {args.order} at its store"):
            return 1
        outcome = set_customer(db, order_id, customer)
        return _done(outcome, f"{customer.name} is the customer of {args.order}")
    finally:
        db.dispose()
