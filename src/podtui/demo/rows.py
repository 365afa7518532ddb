"""Demo orders as table rows: tuples in `COLUMNS` order, values rendered by the writer's codec.

One `DemoOrder` becomes its order row, item rows (with the order's store, created time and archive
flag copied on each item), an event per item for its import (or its split), one per step it took
since, the submissions that carried it to a vendor with their items, shipments with tracking for
fulfilled items, render jobs for items rendering, the print file of every item past its render
(the row as the renderer writes it, under the print-files folder), and the operators' notes.
"""

from __future__ import annotations

import contextlib
import json
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from podtui import config
from podtui.demo.catalog import ARTWORK_BY_KEY, Variant
from podtui.demo.codec import Codec, TextCodec
from podtui.demo.columns import INSERT_ORDER
from podtui.demo.failures import Failure
from podtui.demo.generator import SYSTEM_ACTIONS, DemoItem, DemoOrder, Step, money, raw_entries
from podtui.demo.payloads import SHOPIFY_GATEWAYS, store_payload
from podtui.demo.pools import OPERATORS
from podtui.domain.status import Action, ItemStatus
from podtui.domain.template import TemplateError, load_template
from podtui.services.render.jobs import resolve_template
from podtui.services.render.print_files import slug

S = ItemStatus
A = Action


_SUBMISSION_STATE = {S.SENDING: "sending", S.FAILED: "failed", S.CANCELED: "canceled"}
_VENDOR_STATUS = {
    "printify": {
        S.SENT: "sending-to-production",
        S.IN_PRODUCTION: "in-production",
        S.FULFILLED: "fulfilled",
        S.CANCELED: "canceled",
    },
    "printful": {
        S.SENT: "pending",
        S.IN_PRODUCTION: "inprocess",
        S.FULFILLED: "fulfilled",
        S.CANCELED: "canceled",
    },
    "hotfolder": {S.SENT: "ticket written", S.FULFILLED: "ticket written", S.CANCELED: "withdrawn"},
}
_RETRIED = frozenset({"429", "503", "timeout"})
_SENT_STATUSES = frozenset({S.SENDING, S.SENT, S.IN_PRODUCTION, S.FULFILLED, S.FAILED, S.CANCELED})


@dataclass(frozen=True)
class ShopIds:
    """Database ids of the demo shop's rows, by catalogue key."""

    stores: dict[str, int]
    vendors: dict[str, int]
    artworks: dict[str, int]


# What an event of a step carries besides the status change.
_PLAIN, _HOLD, _SUBMISSION, _SENT, _FAILED, _TRACKING, _RENDERED = range(7)
_KIND = {
    A.RENDER_DONE: _RENDERED,
    A.HOLD: _HOLD,
    A.SEND: _SENT,
    A.SUBMIT_ACCEPTED: _SUBMISSION,
    A.SUBMIT_FAILED: _FAILED,
    A.VENDOR_FULFILLED: _TRACKING,
    A.MARK_FULFILLED: _TRACKING,
}
Compiled = tuple[tuple[int, str, str, str, bool], ...]  # (kind, type, from, to, by the system)


class RowBuilder:
    """Accumulates the rows of many orders; `take()` hands them over table by table.

    Most values repeat (the same personalization, the same path through the statuses), so their
    rendered JSON and per-path data are computed once and reused; that is what keeps a million
    items fast.
    """

    def __init__(
        self,
        ids: ShopIds,
        codec: Codec,
        *,
        seed: int,
        now: int,
        full_payloads: bool,
        start: dict[str, int],
        print_files: Path | None = None,
    ) -> None:
        self.ids = ids
        self.print_files = print_files or config.print_files_dir()
        self._sizes: dict[str, tuple[int, int, int]] = {}
        self.codec = codec
        self.text = isinstance(codec, TextCodec)
        self.now = now
        self.full_payloads = full_payloads
        self.rng = random.Random(seed * 7919 + 1)
        self.next_id = dict(start)
        self.rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in INSERT_ORDER}
        self.counts: Counter[str] = Counter()
        self._empty_list = codec.js_cached("[]", list)
        self._empty_dict = codec.js_cached("{}", dict)
        self._store_params = {key: codec.js({"store": key}) for key in ids.stores}
        self._paths: dict[int, tuple[tuple[Step, ...], Compiled]] = {}
        self._variants: dict[int, tuple[Variant, tuple[str, str, str, str, str, str]]] = {}
        self._raws: dict[tuple[Any, ...], tuple[str, int]] = {}
        self._carriers: dict[str, str] = {}
        self._pers: dict[tuple[tuple[str, str], ...], Any] = {}
        self._yes, self._no = codec.flag(True), codec.flag(False)

    def take(self) -> dict[str, list[tuple[Any, ...]]]:
        """The rows built so far (parents first), leaving the builder empty."""
        out = self.rows
        self.rows = {t: [] for t in INSERT_ORDER}
        for table, rows in out.items():
            self.counts[table] += len(rows)
        return out

    def _id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    # -- rendered values, cached where they repeat

    def _compiled(self, steps: tuple[Step, ...]) -> Compiled:
        found = self._paths.get(id(steps))
        if found is None or found[0] is not steps:  # keeping `steps` alive keeps its id unique
            compiled = tuple(
                (
                    _KIND.get(action, _PLAIN),
                    action.value,
                    frm.value,
                    to.value,
                    action in SYSTEM_ACTIONS,
                )
                for action, frm, to in steps
            )
            found = self._paths[id(steps)] = (steps, compiled)
        return found[1]

    def _variant(self, item: DemoItem) -> tuple[str, str, str, str, str, str]:
        v = item.variant
        found = self._variants.get(id(v))
        if found is None:
            p = item.product
            values = (
                p.product_id,
                v.variant_id,
                v.sku,
                p.spec.title,
                v.title,
                money(v.price_cents),
            )
            found = self._variants[id(v)] = (v, values)
        return found[1]

    def _raw(self, item: DemoItem) -> Any:
        if not self.text:
            return item.raw
        values = item.original if item.original is not None else item.personalization
        # The variant fixes the store and the fields; the photo's URL is one more value.
        key = (id(item.variant), item.upload, *values.values())
        found = self._raws.get(key)
        if found is None:
            if len(self._raws) > 50_000:
                self._raws.clear()
            found = self._raws[key] = self._raw_template(item)
        template, count = found
        if not count:  # Shopify's properties, or a WooCommerce line without meta_data
            return template
        # WooCommerce meta_data: ids differ per line, the rest repeats. json.dumps output with
        # "%d" where each id goes, so one `%` renders the whole list.
        return template % tuple(range(item.meta_id, item.meta_id + count))

    def _raw_template(self, item: DemoItem) -> tuple[str, int]:
        if item.product.store.kind != "woocommerce":
            return json.dumps(item.raw), 0
        entries = [
            json.dumps({"key": k, "value": v, "display_key": dk, "display_value": dv})[1:]
            for k, dk, v, dv in raw_entries(item)
        ]
        if not entries:
            return self._empty_list, 0
        parts = ['{"id": %d, ' + entry.replace("%", "%%") for entry in entries]
        return "[" + ", ".join(parts) + "]", len(entries)

    def _params_id(self, name: str, value: int) -> Any:
        return f'{{"{name}": {value}}}' if self.text else {name: value}

    def _params_hold(self, reason: str) -> Any:
        return self.codec.js_cached(("hold", reason), lambda: {"reason": reason})

    def _params_failure(self, sid: int | None, failure: Failure) -> Any:
        detail = {
            "code": failure.code,
            "http_status": failure.http_status,
            "message": failure.message,
        }
        if not self.text or sid is None:
            return self.codec.js({"submission_id": sid, **detail})
        cached = self.codec.js_cached(("failure", failure), lambda: detail)
        return f'{{"submission_id": {sid}, {cached[1:]}'

    def _params_tracking(self, carrier: str, number: str) -> Any:
        if not self.text:
            return {"carrier": carrier, "tracking_number": number}
        head = self._carriers.get(carrier)
        if head is None:
            head = self._carriers[carrier] = json.dumps({"carrier": carrier})[:-1]
        return f'{head}, "tracking_number": "{number}"}}'  # tracking numbers are ASCII

    # -- rows

    def add_order(self, o: DemoOrder) -> None:
        """The rows of one order and everything that hangs off it."""
        c = self.codec
        dt = c.dt
        oid = self._id("order")
        store_id = self.ids.stores[o.store.key]
        created = dt(o.created)
        synced = dt(o.created + 60)
        archived = c.flag(o.archived)
        cust = o.customer
        if self.full_payloads:
            raw = c.js(store_payload(o))
        elif self.text:  # a million payloads would be gigabytes; keep what names the order
            raw = (
                f'{{"id": "{o.store_order_id}", "number": "{o.number}", '
                f'"status": "{o.store_status}"}}'
            )
        else:
            raw = {"id": o.store_order_id, "number": o.number, "status": o.store_status}
        self.rows["order"].append(
            (
                oid,
                store_id,
                o.store_order_id,
                o.name,
                o.number,
                created,
                dt(o.updated),
                cust.name,
                cust.email,
                cust.name,
                cust.company,
                cust.address1,
                cust.address2,
                cust.city,
                cust.state,
                cust.postcode,
                cust.country,
                cust.phone,
                cust.email,
                o.shipping_method,
                money(o.subtotal_cents),
                money(o.total_cents),
                money(o.shipping_cents),
                o.store.currency,
                # What the store's API says (a Shopify gateway's display name).
                SHOPIFY_GATEWAYS.get(o.payment_method, o.payment_method)
                if o.store.kind == "shopify"
                else o.payment_method,
                o.store_status,
                o.payment_status,
                # WooCommerce has no partial fulfilment: completed or not, as its API tells.
                ("fulfilled" if o.store_status == "completed" else "unfulfilled")
                if o.store.kind == "woocommerce"
                else o.fulfillment_status,
                o.source,
                o.customer_note,
                archived,
                self._empty_list,
                self._empty_dict,
                raw,
                synced,
            )
        )
        base = self.next_id["order_item"]
        self.next_id["order_item"] = base + len(o.items)
        subs = self._submissions(o, base)
        split_at = dt(o.created + 200)
        for index, item in enumerate(o.items):
            self._item(
                o,
                oid,
                store_id,
                base,
                index,
                item,
                subs.get(index),
                created,
                synced,
                split_at,
                archived,
            )
        for at, author, body in o.notes:
            nid = self._id("note")
            stamp = dt(at)
            self.rows["note"].append((nid, oid, author, body, stamp, stamp))
            self.rows["event"].append(
                (
                    stamp,
                    author,
                    "note_added",
                    oid,
                    None,
                    None,
                    None,
                    self._params_id("note_id", nid),
                )
            )

    def _submissions(self, o: DemoOrder, base: int) -> dict[int, tuple[int, DemoItem]]:
        """One vendor order per (vendor, outcome) of the order's sent items: item -> (id, lead)."""
        groups: dict[tuple[str, str], tuple[int, DemoItem]] = {}
        out: dict[int, tuple[int, DemoItem]] = {}
        for index, item in enumerate(o.items):
            status = item.status
            if status not in _SENT_STATUSES:
                continue
            vendor = item.product.spec.vendor
            # Every path into these statuses went through SEND (manual items never do).
            if vendor is None or vendor == "manual":
                continue
            state = _SUBMISSION_STATE.get(status, "sent")
            key = (vendor, state)
            group = groups.get(key)
            if group is None:
                group = groups[key] = (self._id("submission"), item)
                self._submission_row(o, group[0], item, state, len(groups))
            out[index] = group
            self.rows["submission_item"].append((group[0], base + index))
        return out

    def _submission_row(self, o: DemoOrder, sid: int, lead: DemoItem, state: str, n: int) -> None:
        c = self.codec
        vendor = lead.vendor or ""
        sent = [t for step, t in zip(lead.steps, lead.step_times, strict=True) if step[0] is A.SEND]
        key = f"{o.store.code}-{o.number}-{n}"
        failure = lead.failure
        vendor_order_id = vendor_status = raw = code = message = None
        http_status: int | None = None
        attempts = 1
        if state == "failed" and failure is not None:
            code, message, http_status, raw = (
                failure.code,
                failure.message,
                failure.http_status,
                failure.raw,
            )
            attempts = 5 if failure.code in _RETRIED else 1
        elif state != "sending":
            vendor_status = _VENDOR_STATUS[vendor].get(lead.status, "sent")
            if vendor == "printify":
                vendor_order_id = f"{self.rng.getrandbits(96):024x}"
                raw = f'{{"id":"{vendor_order_id}"}}'
            elif vendor == "printful":
                vendor_order_id = str(self.rng.randrange(10**8, 10**9))
                result = {"id": int(vendor_order_id), "external_id": key, "status": "pending"}
                raw = json.dumps({"code": 200, "result": result})
            else:
                vendor_order_id = f"{key}.json"
        self.rows["submission"].append(
            (
                sid,
                key,
                self.ids.vendors[vendor],
                state,
                vendor_order_id,
                vendor_status,
                attempts,
                code,
                message,
                http_status,
                raw,
                c.dt(sent[0]),
                c.dt(lead.step_times[-1]),
            )
        )

    def _item(
        self,
        o: DemoOrder,
        oid: int,
        store_id: int,
        base: int,
        index: int,
        item: DemoItem,
        sub: tuple[int, DemoItem] | None,
        created: Any,
        synced: Any,
        split_at: Any,
        archived: Any,
    ) -> None:
        c = self.codec
        dt = c.dt
        events = self.rows["event"]
        iid = base + index
        managed = item.managed
        vendor = item.vendor
        vendor_id = self.ids.vendors[vendor] if vendor and managed else None
        artwork = item.artwork
        artwork_id = self.ids.artworks[artwork] if artwork and managed else None
        times = item.step_times
        status = item.status
        operator = OPERATORS[iid % 3]
        imported = item.import_status.value
        split_of = item.split_of
        if split_of is None:
            params = self._store_params[o.store.key]
            events.append((synced, "podtui", "imported", oid, iid, None, imported, params))
        else:
            params = self._params_id("parent_id", base + split_of)
            events.append((split_at, operator, "split", oid, iid, None, imported, params))
        if item.split_quantities:
            params = c.js({"quantities": list(item.split_quantities)})
            events.append((split_at, operator, "split", oid, iid, imported, imported, params))
        submitted_at = auto_submit_at = rendered_at = None
        updated = synced
        steps = 0
        if times:
            path = self._compiled(item.steps)
            steps = len(path)
            sid = sub[0] if sub else None
            empty = self._empty_dict
            stamp = synced
            for (kind, name, frm, to, system), stamp in zip(path, c.dts(times), strict=True):
                if kind == _PLAIN:
                    params = empty
                elif kind == _RENDERED:
                    params = empty
                    rendered_at = stamp
                elif kind in (_SENT, _SUBMISSION):
                    if kind == _SENT:
                        submitted_at = stamp
                    params = empty if sid is None else self._params_id("submission_id", sid)
                elif kind == _HOLD:
                    params = self._params_hold(item.hold_reason or "")
                elif kind == _FAILED:
                    failure = sub[1].failure if sub else item.failure
                    params = empty if failure is None else self._params_failure(sid, failure)
                elif item.shipment is not None:
                    params = self._params_tracking(item.shipment[0], item.shipment[1])
                else:
                    params = empty
                events.append(
                    (stamp, "podtui" if system else operator, name, oid, iid, frm, to, params)
                )
            updated = stamp
            if status is S.READY and o.store.auto_submit_hours > 0:
                due = times[-1] + int(o.store.auto_submit_hours * 3600)
                auto_submit_at = dt(max(due, self.now + 60 * (iid % 720)))
            elif status is S.RENDERING:
                self.rows["render_job"].append((iid, "queued", 0, updated))
            elif item.shipment is not None:
                shipped = times[-1]
                carrier, number, url = item.shipment
                state = "delivered" if self.now - shipped > 10 * 86_400 else "shipped"
                self.rows["shipment"].append(
                    (
                        oid,
                        iid,
                        sid,
                        carrier,
                        number,
                        url,
                        state,
                        updated,
                        dt(shipped + 900),
                        updated,
                    )
                )
        values = tuple(item.personalization.items())
        personalization = self._pers.get(values)
        if personalization is None:
            personalization = self._pers[values] = c.js(dict(values))
        variant = self._variants.get(id(item.variant))
        product_id, variant_id, sku, title, variant_title, price = (
            variant[1] if variant is not None else self._variant(item)
        )
        before = item.status_before
        self.rows["order_item"].append(
            (
                iid,
                oid,
                None if split_of is None else base + split_of,
                item.line_id,
                product_id,
                variant_id,
                sku,
                title,
                variant_title,
                item.quantity,
                price,
                self._raw(item),
                personalization,
                status.value,
                None if before is None else before.value,
                item.hold_reason,
                self._yes if managed else self._no,
                vendor_id,
                artwork_id,
                submitted_at,
                auto_submit_at,
                store_id,
                created,
                archived,
                steps,
                synced,
                updated,
            )
        )
        if rendered_at is not None:
            self._print_file(o, item, iid, f"{title} {variant_title}".strip(), rendered_at)

    def _print_file(self, o: DemoOrder, item: DemoItem, iid: int, what: str, at: Any) -> None:
        """The row of the print file the renderer wrote for the item, named as print_files does."""
        width, height, dpi = self._size(item.product.spec.artwork or "")
        folder = self.print_files / slug(o.store.name) / (slug(o.name.lstrip("#")) or "order")
        path = str(folder / f"{iid}-{slug(what)}.png")
        self.rows["print_file"].append(
            (iid, path, None, None, "", width, height, dpi, 0, self._yes, at)
        )

    def _size(self, artwork: str) -> tuple[int, int, int]:
        """The print size of an artwork's template (its width, height and dpi), read once."""
        found = self._sizes.get(artwork)
        if found is None:
            found = (4500, 5400, 300)  # a shirt front, for artwork whose template is not shipped
            spec = ARTWORK_BY_KEY.get(artwork)
            if spec is not None:
                with contextlib.suppress(TemplateError, OSError):
                    t = load_template(resolve_template(spec.template))
                    found = (t.width, t.height, t.dpi)
            self._sizes[artwork] = found
        return found
