"""Bulk actions over marked items: the question to ask first, then the run, then the report.

`plan_bulk` reads what the marks hold (counted per vendor and status, so a million marks cost
one GROUP BY), asks the status table which items the action allows, and resolves the ids to act
on. `run_bulk` applies the use-case item by item (one transaction each, via run_per_item), in
chunks, reporting progress and stopping between items when asked. Item use-cases live in
`services/items/` and sending in `services/sending/fulfil.py`; both are imported when a run
starts, so the list does not load the ORM before its first paint. `run_zip` writes the items'
print files into one ZIP (services/render/export_zip.py).
"""

from __future__ import annotations

import importlib
import re
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from podtui.domain.status import Action, ItemStatus, Requires, rule_for
from podtui.services.listing.query import MarkSet, Resolved
from podtui.services.listing.reader import BreakdownRow, ListReader

if TYPE_CHECKING:  # the ORM is imported when a run starts, not when the list opens
    from sqlmodel import Session

    from podtui.db import Database
    from podtui.services.connections.vendors import Connect
    from podtui.services.items.bulk_run import BulkOutcome

UseCase = Callable[["Session", int], object]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BulkKind:
    """One bulk action: what it is called and which status-table action it is."""

    id: str
    verb: str  # "Send", "Approve" ...
    action: Action | None = None  # None: not an item transition (archive, export)
    use_case: str = ""  # "module.function" in podtui.services.items
    per_order: bool = False  # acts on the marked items' orders
    archive: bool | None = None  # archive / unarchive: the state the orders end in
    needs_reason: bool = False
    export: Literal["", "csv", "zip"] = ""  # writes a file of the items instead of changing them


BULK_KINDS: dict[str, BulkKind] = {
    k.id: k
    for k in (
        BulkKind("send", "Send", Action.SEND),
        BulkKind("approve", "Approve", Action.APPROVE, "actions.approve"),
        BulkKind("regenerate", "Regenerate", Action.REGENERATE, "actions.regenerate"),
        BulkKind(
            "mark_fulfilled", "Mark fulfilled", Action.MARK_FULFILLED, "shipping.mark_fulfilled"
        ),
        BulkKind("hold", "Hold", Action.HOLD, "actions.hold", needs_reason=True),
        BulkKind("release", "Release", Action.RELEASE, "actions.release"),
        BulkKind("ignore", "Ignore", Action.IGNORE, "actions.ignore"),
        BulkKind("restore", "Restore", Action.RESTORE, "actions.restore"),
        BulkKind(
            "archive", "Archive", use_case="orders.archive_order", per_order=True, archive=True
        ),
        BulkKind(
            "unarchive",
            "Unarchive",
            use_case="orders.unarchive_order",
            per_order=True,
            archive=False,
        ),
        BulkKind("export", "Export", export="csv"),
        BulkKind("zip", "Export print files", export="zip"),
    )
}


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def skip_reason(kind: BulkKind, status: ItemStatus, integrated: bool | None) -> str | None:
    """Why the status table refuses `kind` for an item, or None when it allows it."""
    if kind.action is None:
        return None
    action = kind.action
    if action is Action.SEND and status is ItemStatus.FAILED:
        action = Action.RETRY  # sending a failed item again is its retry, with the same key
    rule = rule_for(status, action)
    if rule is None:
        if kind.action is Action.SEND:
            return "not ready"
        return f"{status.label.lower()}"
    if rule.requires is Requires.ANY:
        return None
    if integrated is None:
        return "without a vendor"
    if rule.requires is Requires.INTEGRATED and not integrated:
        return "for a manual vendor"
    if rule.requires is Requires.MANUAL and integrated:
        return "for an integrated vendor"
    return None


@dataclass
class BulkPlan:
    """What a bulk action will do, worked out before the operator is asked."""

    kind: BulkKind
    target: MarkSet
    marked: int  # items the marks hold
    acting: int  # items (or orders, per_order) the action will touch
    by_vendor: list[tuple[str, int]] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> items
    items_in_orders: int = 0  # per_order: how many marked items those orders carry
    ids: array[int] = field(default_factory=lambda: array("q"))
    tests: int = 0  # of `ids`, items of the store's test orders: sent only if confirmed again
    hidden: int = 0  # marked items the list's filter does not show: named in the question
    vendor_ids: list[int] = field(default_factory=list)  # the vendors of the items acted on

    @property
    def noun(self) -> str:
        return "order" if self.kind.per_order else "item"

    def question(self) -> str:
        """ "Send 37 items: 35 to Printify, 2 to In-house? 3 marked items are not ready ..."."""
        k = self.kind
        if k.export == "zip":
            return f"Export the print files of {_plural(self.acting, 'item')} as a ZIP?"
        if k.export:
            return f"Export {_plural(self.acting, 'item')} to a CSV file?"
        head = f"{k.verb} {_plural(self.acting, self.noun)}"
        if k.per_order:
            head += f" ({_plural(self.items_in_orders, 'marked item')})"
        if self.by_vendor and k.action is not None:
            split = ", ".join(
                f"{n:,} {'to' if k.action is Action.SEND else 'for'} {name}"
                for name, n in self.by_vendor
            )
            if len(self.by_vendor) > 1 or k.action is Action.SEND:
                head += f": {split}"
        text = head + "?"
        if self.hidden:
            are = "is" if self.hidden == 1 else "are"
            text += (
                f" {self.hidden:,} of them {are} hidden by the filter (marked before it "
                "changed) and included."
            )
        if self.skipped:
            total = sum(self.skipped.values())
            parts = [f"{n:,} {reason}" for reason, n in self.skipped.items()]
            are = "is" if total == 1 else "are"
            if len(parts) == 1:
                reason = next(iter(self.skipped))
                text += f" {_plural(total, 'marked item')} {are} {reason} and will be skipped."
            else:
                text += f" {_plural(total, 'marked item')} will be skipped ({', '.join(parts)})."
        if self.tests:
            text += (
                f" {_plural(self.tests, 'item')} {'is' if self.tests == 1 else 'are'} from a "
                "TEST order at the store: you will be asked again."
            )
        if self.acting == 0:
            text = f"Nothing to {k.verb.lower()}: " + text
        return text


def plan_bulk(
    reader: ListReader, kind: BulkKind, target: MarkSet, *, shown: Resolved | None = None
) -> BulkPlan:
    """Count, split and resolve what `kind` would do to the `target` items.

    `shown`: what the list shows; marked items outside it are counted and named in the question.
    """
    plan = _plan_bulk(reader, kind, target)
    if shown is not None:
        plan.hidden = reader.count_marks_hidden(target, shown)
    return plan


def _plan_bulk(reader: ListReader, kind: BulkKind, target: MarkSet) -> BulkPlan:
    lookups = reader.lookups()
    if kind.export:
        marked = reader.count_marks(target)
        return BulkPlan(kind, target, marked=marked, acting=marked)
    rows = reader.marks_breakdown(target)
    marked = sum(r.count for r in rows)
    if kind.per_order:
        return _plan_orders(reader, kind, target, marked)
    allowed: list[BreakdownRow] = []
    skipped: dict[str, int] = {}
    per_vendor: dict[str, int] = {}
    for row in rows:
        reason = skip_reason(kind, row.status, lookups.vendor_integrated(row.vendor_id))
        if reason is None:
            allowed.append(row)
            name = lookups.vendor_name(row.vendor_id) or "no vendor"
            per_vendor[name] = per_vendor.get(name, 0) + row.count
        else:
            skipped[reason] = skipped.get(reason, 0) + row.count
    plan = BulkPlan(
        kind,
        target,
        marked=marked,
        acting=sum(r.count for r in allowed),
        by_vendor=sorted(per_vendor.items(), key=lambda kv: (-kv[1], kv[0])),
        skipped=skipped,
    )
    plan.vendor_ids = sorted({r.vendor_id for r in allowed if r.vendor_id is not None})
    if allowed:
        where, params = _allowed_where(reader, allowed)
        for chunk in reader.iter_marked_ids(target, where, params):
            plan.ids.extend(chunk)
        plan.acting = len(plan.ids)
        if kind.action in (Action.SEND, Action.RETRY):
            ph = reader.dialect.placeholder
            tests = f'({where}) AND i.order_id IN (SELECT id FROM "order" WHERE test = {ph})'
            flag = reader.dialect.flag(True)
            plan.tests = sum(len(c) for c in reader.iter_marked_ids(target, tests, [*params, flag]))
    return plan


def _allowed_where(reader: ListReader, rows: Sequence[BreakdownRow]) -> tuple[str, list[Any]]:
    ph = reader.dialect.placeholder
    terms: list[str] = []
    params: list[Any] = []
    for row in rows:
        if row.vendor_id is None:
            terms.append(f"(i.status = {ph} AND i.vendor_id IS NULL)")
            params.append(row.status.value)
        else:
            terms.append(f"(i.status = {ph} AND i.vendor_id = {ph})")
            params.extend([row.status.value, row.vendor_id])
    return " OR ".join(terms), params


def _plan_orders(reader: ListReader, kind: BulkKind, target: MarkSet, marked: int) -> BulkPlan:
    ph = reader.dialect.placeholder
    flag = reader.dialect.flag(not kind.archive)  # the orders still to change
    ids: array[int] = array("q")
    for chunk in reader.iter_marked_ids(target, f"i.archived = {ph}", [flag], column="i.order_id"):
        ids.extend(chunk)
    already = reader.count_marks_where(target, f"i.archived <> {ph}", [flag])
    state = "archived" if kind.archive else "not archived"
    return BulkPlan(
        kind,
        target,
        marked=marked,
        acting=len(ids),
        items_in_orders=marked - already,
        skipped={f"already {state}": already} if already else {},
        ids=ids,
    )


# ---------------------------------------------------------------------------------------------
# Running


@dataclass
class BulkReport:
    """What a bulk action did: counts, and each failure with the reason an operator can act on."""

    kind: BulkKind
    done: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # planned skips: reason -> count
    skipped_items: dict[int, str] = field(default_factory=dict)  # refused while running
    failed: dict[int, str] = field(default_factory=dict)
    stopped: bool = False
    detail: str = ""  # e.g. where the export went
    noun: str = "item"
    done_ids: list[int] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)  # id -> "#1205 Hometown Map Print"
    vendors: dict[int, str] = field(default_factory=dict)  # item id -> its vendor's name

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values()) + len(self.skipped_items)

    def label(self, id_: int) -> str:
        """What the operator knows the item (or order) by; its id only when it is gone."""
        return self.names.get(id_) or f"{self.noun} {id_}"

    def per_vendor(self) -> list[tuple[str, int, int, int]]:
        """(vendor, done, skipped while running, failed) per vendor, the busiest first."""
        tally: dict[str, list[int]] = {}
        for bucket, ids in enumerate((self.done_ids, self.skipped_items, self.failed)):
            for id_ in ids:
                vendor = self.vendors.get(id_)
                if vendor is not None:
                    tally.setdefault(vendor or "no vendor", [0, 0, 0])[bucket] += 1
        rows = [(name, done, skipped, failed) for name, (done, skipped, failed) in tally.items()]
        return sorted(rows, key=lambda r: (-(r[1] + r[2] + r[3]), r[0]))

    def vendor_lines(self) -> list[str]:
        """ "Printify: 35 sent, 2 failed" for each vendor the run touched."""
        past = "sent" if self.kind.action is Action.SEND else "done"
        lines = []
        for name, done, skipped, failed in self.per_vendor():
            line = f"{name}: {done:,} {past}"
            if skipped:
                line += f", {skipped:,} skipped"
            if failed:
                line += f", {failed:,} failed"
            lines.append(line)
        return lines

    def headline(self) -> str:
        noun = self.noun
        text = (
            f"{self.kind.verb}: {_plural(self.done, noun)} done, "
            f"{self.skipped_total:,} skipped, {len(self.failed):,} failed"
        )
        return text + (" (stopped before the end)" if self.stopped else "")

    def text(self) -> str:
        """The whole report as plain text, for the summary and the clipboard."""
        lines = [self.headline()]
        if self.detail:
            lines.append(self.detail)
        lines.extend(self.vendor_lines())
        for reason, n in self.skipped.items():
            lines.append(f"skipped {n:,}: {reason}")
        for item_id, reason in self.skipped_items.items():
            lines.append(f"skipped {self.label(item_id)}: {reason}")
        for item_id, reason in self.failed.items():
            lines.append(f"FAILED {self.label(item_id)}: {reason}")
        return "\n".join(lines)

    def describe(self, db: Database) -> None:
        """Read the names (and vendors) of what the run touched, for the text."""
        from podtui.services.items.names import label_items, label_orders

        ids = [*self.done_ids, *self.skipped_items, *self.failed]
        if self.kind.per_order:
            self.names.update(label_orders(db, ids))
            return
        for item_id, found in label_items(db, ids).items():
            self.names[item_id] = found.name
            self.vendors[item_id] = found.vendor


def resolve_use_case(kind: BulkKind, reason: str = "") -> UseCase:
    """The item use-case for `kind`, from its module in podtui.services.items."""
    module_name, _, name = kind.use_case.partition(".")
    func = getattr(importlib.import_module(f"podtui.services.items.{module_name}"), name)
    if kind.needs_reason:
        return lambda session, item_id: func(session, item_id, reason)
    return func  # type: ignore[no-any-return]


def run_bulk(
    db: Database,
    plan: BulkPlan,
    use_case: UseCase,
    *,
    on_progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    chunk: int = 200,
) -> BulkReport:
    """Apply `use_case` to each planned id, one transaction each, in chunks of `chunk` ids."""
    from podtui.services.items.bulk_run import run_per_item

    report = BulkReport(plan.kind, skipped=dict(plan.skipped), noun=plan.noun)
    total = len(plan.ids)
    finished = 0
    for start in range(0, total, chunk):
        if should_stop is not None and should_stop():
            report.stopped = True
            break
        ids = plan.ids[start : start + chunk]
        offset = finished

        def progress(n: int, _t: int, offset: int = offset) -> None:
            if on_progress is not None:
                on_progress(offset + n, total)

        outcome = run_per_item(db, ids, use_case, on_progress=progress, should_stop=should_stop)
        _merge(report, outcome)
        finished += outcome.total
        if outcome.total < len(ids):
            report.stopped = True
            break
    report.describe(db)
    return report


def run_send(
    db: Database,
    plan: BulkPlan,
    *,
    on_progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    connect: Connect | None = None,
    allow_test: bool = False,
    shipping: dict[int, str] | None = None,
    shipping_shown: dict[int, str] | None = None,
) -> BulkReport:
    """Hand the planned items to the fulfil service, which batches them per vendor order.

    Items of the store's test orders go only with `allow_test` (the operator said yes twice);
    `shipping` is the method chosen per vendor id at the confirm.
    """
    from podtui.services.sending import fulfil

    outcome: BulkOutcome = fulfil.send_items(
        db,
        list(plan.ids),
        on_progress=on_progress,
        should_stop=should_stop,
        connect=connect,
        options=fulfil.SendOptions(
            allow_test=allow_test,
            shipping=dict(shipping or {}),
            shipping_shown=dict(shipping_shown or {}),
        ),
    )
    report = BulkReport(plan.kind, skipped=dict(plan.skipped), noun=plan.noun)
    _merge(report, outcome)
    report.stopped = outcome.total < len(plan.ids)
    report.describe(db)
    return report


def report_of(db: Database, kind: BulkKind, outcome: BulkOutcome) -> BulkReport:
    """A BulkReport of an outcome run elsewhere (the CLI's submit), names and vendors read."""
    report = BulkReport(kind)
    _merge(report, outcome)
    report.describe(db)
    return report


def _merge(report: BulkReport, outcome: BulkOutcome) -> None:
    report.done_ids.extend(outcome.done)
    report.done += len(outcome.done)
    report.skipped_items.update(outcome.skipped)
    report.failed.update(outcome.failed)


def run_zip(
    db: Database,
    reader: ListReader,
    plan: BulkPlan,
    path: Path,
    *,
    on_progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> BulkReport:
    """The current print files of the planned items as one ZIP at `path`; the report names each
    item left out and why (not rendered yet, its file changed or gone)."""
    from podtui.services.render.export_zip import export_zip

    ids = (item_id for chunk in reader.iter_marked_ids(plan.target) for item_id in chunk)
    with db.read() as session:
        result = export_zip(
            session, ids, path, on_progress=on_progress, should_stop=should_stop,
            total=plan.acting, empty_ok=True,
        )  # fmt: skip
    report = BulkReport(plan.kind, done=len(result.files), stopped=result.stopped)
    report.skipped_items = dict(result.missing)
    if result.stopped:
        report.detail = "Stopped: no ZIP was written"
    elif result.files:
        report.detail = f"Written to {path}"
    else:
        report.detail = "Nothing had a print file: no ZIP was written"
    # Why, counted first (each item follows): a file's own path is left out of the count.
    why = Counter(
        re.sub(r"print file \S*[/\\]\S* ", "print file ", r) for r in result.missing.values()
    )
    for reason, n in why.most_common():
        report.detail += f"\nleft out {n:,}: {reason}"
    report.describe(db)
    return report
