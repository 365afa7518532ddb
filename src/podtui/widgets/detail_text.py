"""The order details as Rich text: header, item lines, item card, side sections, timeline.

Pure functions of an OrderDetail (no widgets, no database), so the screen only places them and
tests can read exactly what an operator reads.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from rich.text import Text

from podtui.domain.address import country_name
from podtui.domain.models import Submission
from podtui.domain.order_status import OrderStatus
from podtui.domain.payment import payment_label
from podtui.domain.status import Action, ItemStatus
from podtui.domain.store_status import RETURN_LABELS
from podtui.domain.wording import count
from podtui.services.items.order_detail import ItemDetail, OrderDetail, TimelineEntry

STATUS_STYLES: dict[ItemStatus, str] = {
    ItemStatus.MISSING_ARTWORK: "bold yellow",
    ItemStatus.WAITING_APPROVAL: "bold cyan",
    ItemStatus.RENDERING: "blue",
    ItemStatus.READY: "bold green",
    ItemStatus.ON_HOLD: "bold magenta",
    ItemStatus.SENDING: "blue",
    ItemStatus.SENT: "green",
    ItemStatus.IN_PRODUCTION: "green",
    ItemStatus.FULFILLED: "dim green",
    ItemStatus.FAILED: "bold red",
    ItemStatus.CANCELED: "dim",
    ItemStatus.IGNORED: "dim",
}
ORDER_STATUS_STYLES: dict[OrderStatus, str] = {
    OrderStatus.NEW: "bold cyan",
    OrderStatus.READY_TO_SEND: "bold green",
    OrderStatus.SENT: "green",
    OrderStatus.FULFILLED: "dim green",
    OrderStatus.FAILED: "bold red",
    OrderStatus.ARCHIVED: "dim",
    OrderStatus.CANCELED: "dim red",
}


def when(at: datetime | None) -> str:
    """A time as the operator's local clock shows it; '—' when there is none."""
    if at is None:
        return "—"
    if at.tzinfo is None:  # SQLite hands back naive UTC
        from datetime import UTC

        at = at.replace(tzinfo=UTC)
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


def _pair(text: Text, label: str, value: str, style: str = "") -> None:
    text.append(f"{label} ", style="dim")
    text.append(value or "—", style=style)


def header(detail: OrderDetail) -> Text:
    """Three lines: who and when; the store's statuses; money and the derived status."""
    o = detail.order
    status = detail.status
    text = Text()
    text.append(o.name, style="bold")
    if o.test:
        text.append(" TEST ORDER ", style="reverse bold yellow")  # never printed on its own
    text.append(f"  {detail.store.name if detail.store else f'store {o.store_id}'}")
    text.append(f" · {o.customer_name or 'no customer name'}")
    if o.customer_email:
        text.append(f" <{o.customer_email}>", style="dim")
    text.append("  ")
    text.append(f" {detail.state.text()} ", style=f"reverse {ORDER_STATUS_STYLES[status]}")
    text.append("\n")
    _pair(text, "created", when(o.created_at))
    _pair(text, "  source", o.source)
    _pair(text, "  store status", o.store_status)
    _pair(text, "  payment", payment_label(o.payment_status))
    returned = RETURN_LABELS.get(o.return_status, "")
    fulfilment = " · ".join(p for p in (o.store_fulfillment_status, returned) if p)
    _pair(text, "  store fulfillment", fulfilment)
    text.append("\n")
    _pair(text, "total", f"{o.total} {o.currency}", "bold")
    _pair(text, "  subtotal", f"{o.subtotal} {o.currency}")
    _pair(text, "  shipping", f"{o.shipping_total} {o.currency}")
    _pair(text, "  paid by", o.payment_method)
    _pair(text, "  items", str(len(detail.items)))
    return text


def item_line(d: ItemDetail) -> Text:
    """One row of the item list: status, quantity, title, variant, SKU, vendor."""
    i = d.item
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{i.status.label:<17}", style=STATUS_STYLES[i.status])
    text.append(f"{i.quantity:>3} x ")
    if i.parent_id is not None:
        text.append("↳ ", style="dim")  # a part of a split item
    text.append(i.title or "(untitled)", style="" if i.managed else "dim")
    if i.variant_title:
        text.append(f" · {i.variant_title}", style="dim")
    if i.sku:
        text.append(f"  {i.sku}", style="dim")
    text.append(f"  {d.vendor.name if d.vendor else 'no vendor'}", style="italic dim")
    if not i.managed:
        text.append("  unmanaged", style="dim")
    return text


def _personalization(d: ItemDetail) -> list[tuple[str, str]]:
    fields = dict(d.item.personalization)
    if not fields:
        # Nothing edited or parsed yet: show what the store sent, as name/value pairs.
        for entry in d.item.personalization_raw:
            if isinstance(entry, dict):
                key = entry.get("name") or entry.get("key") or entry.get("display_key")
                value = entry.get("value") or entry.get("display_value")
                if key is not None:
                    fields[str(key)] = value
    return [(str(k), "" if v is None else str(v)) for k, v in fields.items()]


def item_card(d: ItemDetail, detail: OrderDetail, link: str) -> Text:
    """The item under the cursor in full."""
    i = d.item
    text = Text()
    text.append(i.title or "(untitled)", style="bold")
    text.append(f"  item {d.id}", style="dim")
    if i.parent_id is not None:
        text.append(f"  split from item {i.parent_id}", style="dim")
    text.append("\n")
    _pair(text, "variant", i.variant_title)
    _pair(text, "  SKU", i.sku)
    _pair(text, "  qty", str(i.quantity))
    _pair(text, "  unit", f"{i.unit_price} {detail.order.currency}")
    text.append("\n")
    _pair(text, "status", i.status.label, STATUS_STYLES[i.status])
    if i.status_before is not None and i.status in (
        ItemStatus.ON_HOLD,
        ItemStatus.IGNORED,
        ItemStatus.CANCELED,
    ):
        text.append(f" (was {i.status_before.label})", style="dim")
    if i.hold_reason:
        text.append(f"  reason: {i.hold_reason}", style="magenta")
    text.append("\n")
    if i.store_flag and i.status is not ItemStatus.CANCELED:
        text.append(i.store_flag, style="bold red")
        if d.allows(Action.CANCEL):
            text.append("  X: cancel at the vendor", style="red")
        text.append("\n")
    _pair(text, "vendor", d.vendor.name if d.vendor else "")
    if d.vendor is not None and not d.vendor.integrated:
        text.append(" (manual)", style="dim")
    _pair(text, "  artwork", d.artwork.name if d.artwork else "none linked")
    if i.auto_submit_at is not None and i.status is ItemStatus.READY:
        _pair(text, "  auto-send", when(i.auto_submit_at))
    text.append("\n")
    fields = _personalization(d)
    text.append("personalization", style="dim")
    if not fields:
        text.append(" none\n")
    else:
        text.append("\n")
        for name, value in fields:
            text.append(f"  {name}: ", style="dim")
            text.append(f"{value}\n")
    note = detail.order.customer_note.strip()
    if note:
        text.append("customer note ", style="dim")
        text.append(f"{note}\n", style="italic")
    text.append("print file ", style="dim")
    if d.print_file is None:
        text.append("none yet\n")
    else:
        pf = d.print_file
        text.append(f"{pf.width}x{pf.height} px @ {pf.dpi} dpi\n")
        text.append(f"  {link}\n", style="underline")
    last = d.last_submission
    if last is not None and i.status is ItemStatus.FAILED:
        text.append("failed ", style="bold red")
        text.append(f"{failure_summary(last)}  (w: details)\n", style="red")
    return text


def failure_summary(sub: Submission) -> str:
    """The vendor's refusal in one line: message [code] (HTTP n)."""
    code = f" [{sub.error_code}]" if sub.error_code else ""
    http = f" (HTTP {sub.http_status})" if sub.http_status else ""
    return f"{sub.error_message or 'no message'}{code}{http}"


def shipping(detail: OrderDetail) -> Text:
    o = detail.order
    text = Text()
    text.append("Shipping\n", style="bold underline")
    lines = [
        o.ship_name,
        o.ship_company,
        o.ship_address1,
        o.ship_address2,
        " ".join(p for p in (o.ship_postal_code, o.ship_city, o.ship_state) if p),
        f"{country_name(o.ship_country)} ({o.ship_country})" if o.ship_country else "",
    ]
    shown = [line for line in lines if line]
    text.append("\n".join(shown) if shown else "no address", style="" if shown else "red")
    text.append("\n")
    for label, value in (("phone", o.ship_phone), ("email", o.ship_email)):
        if value:
            _pair(text, label, value)
            text.append("\n")
    if "ship_address1" in o.local_edits:
        text.append("edited here; the store's copy is not changed\n", style="dim italic")
    return text


def store_section(detail: OrderDetail) -> Text:
    o = detail.order
    text = Text()
    text.append("Store\n", style="bold underline")
    _pair(text, "order", f"{o.store_order_id} (#{o.number})" if o.number else o.store_order_id)
    text.append("\n")
    _pair(text, "customer", o.customer_name)
    text.append("\n")
    _pair(text, "shipping method", o.shipping_method)
    text.append("\n")
    _pair(text, "synced", when(o.synced_at))
    text.append("\n")
    if o.customer_note.strip():
        _pair(text, "note", o.customer_note.strip())
        text.append("\n")
    if o.store_pending:
        text.append(
            f"store changed {', '.join(sorted(o.store_pending))} since your edit\n",
            style="yellow",
        )
    for notice in o.notices:
        text.append(f"{notice}\n", style="yellow")
    for problem in detail.problems:
        text.append("sync problem: ", style="bold red")
        text.append(f"{problem.reason}\n", style="red")
    if detail.problems:
        text.append("its items stay on hold until it is fixed (y: sync screen)\n", style="dim")
    return text


def fulfilment_section(detail: OrderDetail) -> Text:
    text = Text()
    text.append("Fulfillment\n", style="bold underline")
    if not detail.submissions and not detail.shipments:
        text.append("nothing sent yet\n", style="dim")
    for sub in detail.submissions:
        on_it = [d for d in detail.items if any(s.id == sub.id for s in d.submissions)]
        canceled = bool(on_it) and all(d.status is ItemStatus.CANCELED for d in on_it)
        _pair(text, "vendor order", sub.vendor_order_id or "(none yet)")
        if canceled:  # the item's status is what counts; the vendor's word is history now
            text.append("  canceled here", style="red")
            if sub.vendor_status:
                _pair(text, "  vendor last said", sub.vendor_status, "dim")
        else:
            text.append(f"  {sub.state}", style="red" if sub.state == "failed" else "")
            if sub.vendor_status:
                _pair(text, "  vendor says", sub.vendor_status)
            if sub.shipping_method:  # chosen at the send confirm (older submissions: none kept)
                _pair(text, "  ships", sub.shipping_method)
        text.append("\n")
    for ship in detail.shipments:
        text.append(f"{ship.carrier or 'carrier ?'} ", style="bold")
        text.append(ship.tracking_number or "no tracking number")
        text.append(f"  {ship.status}", style="dim")
        if ship.item_id is not None:
            text.append(f"  item {ship.item_id}", style="dim")
        text.append("\n")
        if ship.tracking_url:
            text.append(f"  {ship.tracking_url}\n", style="underline")
    return text


def notes_section(detail: OrderDetail) -> Text:
    text = Text()
    text.append(f"Notes ({len(detail.notes)})\n", style="bold underline")
    if not detail.notes:
        text.append("none · n adds one\n", style="dim")
    for note in detail.notes:
        text.append(f"{note.author} {when(note.created_at)}\n", style="dim")
        text.append(f"{note.body}\n")
    return text


_PARAM_KEYS = ("reason", "carrier", "tracking_number", "scope", "quantities", "body", "new")


def _event_detail(entry: TimelineEntry) -> str:
    params = entry.params or {}
    bits: list[str] = []
    for key in _PARAM_KEYS:
        if key in params and params[key] not in (None, "", []):
            bits.append(f"{key}={_short(params[key])}")
    if entry.type == "change_variant" and params.get("to_variant"):
        bits.append(f"{params.get('from_variant') or '?'} → {params['to_variant']}")
    if "changes" in params and isinstance(params["changes"], dict):
        bits.append("changed " + ", ".join(sorted(params["changes"])))
    if "operation" in params and entry.type == "store_refused":
        bits.insert(0, str(params["operation"]).replace("_", " "))
    if "notify" in params:  # a change asked of the store: was the customer to be told?
        notify = params["notify"]
        bits.append(
            "customer notified"
            if notify is True
            else "customer not notified"
            if notify is False
            else "the store's own e-mails"
        )
    if params.get("found_after_lost_answer"):
        bits.append("found at the store after a lost answer")
    return " ".join(bits)


def _short(value: Any, limit: int = 40) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


SCREEN_TIMELINE = 100  # lines laid out on the screen; T shows every event read


def timeline(detail: OrderDetail, limit: int | None = SCREEN_TIMELINE) -> Text:
    """The events, newest first, with who did it (the first `limit` of them)."""
    text = Text()
    text.append(f"Timeline ({count(detail.timeline_total, 'event')})\n", style="bold underline")
    shown = detail.timeline if limit is None else detail.timeline[:limit]
    for entry in shown:
        text.append(f"{when(entry.at)} ", style="dim")
        text.append(f"{entry.user:<10} ", style="cyan")
        text.append(entry.type.replace("_", " "))
        if entry.item_id is not None:
            text.append(f" · item {entry.item_id}", style="dim")
        if entry.from_status and entry.to_status and entry.from_status != entry.to_status:
            text.append(f" {entry.from_status} → {entry.to_status}", style="dim")
        extra = _event_detail(entry)
        if extra:
            text.append(f"  {extra}", style="italic dim")
        text.append("\n")
    if len(shown) < len(detail.timeline):
        text.append(
            f"… {len(detail.timeline) - len(shown):,} older events: T shows them\n",
            style="yellow",
        )
    elif detail.timeline_more:
        text.append(
            f"… and {detail.timeline_more:,} older events (the newest "
            f"{len(detail.timeline):,} are shown)\n",
            style="yellow",
        )
    return text
