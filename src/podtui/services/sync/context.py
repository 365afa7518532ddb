"""What one store's sync carries from page to page: options, the store's mappings, the tally.

The product mappings and artwork of the store are read once per sync (a few hundred rows) so that
upserting a page of orders asks the database nothing per line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from sqlmodel import Session, col, select

from podtui.adapters.stores.base import StoreOrder
from podtui.domain.errors import ValidationError
from podtui.domain.models import ProductMapping, Store, SyncProblem
from podtui.domain.wording import count

Mode = Literal["incremental", "all", "since", "ids"]


@dataclass(frozen=True)
class SyncOptions:
    """Which orders to ask the store for: changed since the cursor, all, a date range, by ids."""

    mode: Mode = "incremental"
    since: datetime | None = None
    until: datetime | None = None
    ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.mode == "since" and self.since is None:
            raise ValidationError("A date-range sync needs a start date.", {"since": "missing"})
        if self.mode == "ids" and not self.ids:
            raise ValidationError("A sync by ids needs at least one order id.", {"ids": "empty"})
        if self.since and self.until and self.until <= self.since:
            raise ValidationError(
                "The end of the date range is not after its start.",
                {"until": f"{self.until:%Y-%m-%d} is not after {self.since:%Y-%m-%d}"},
            )


@dataclass
class SyncReport:
    """How one store's sync went; `error` is set when the store could not be synced."""

    store: str
    store_id: int
    mode: Mode = "incremental"
    orders_seen: int = 0
    store_notes: int = 0  # the store's notes and events newly on the timeline
    orders_created: int = 0
    orders_updated: int = 0
    orders_unchanged: int = 0
    items_created: int = 0
    problems: int = 0
    drafts_skipped: int = 0
    tracking_pushed: int = 0
    tracking_failed: int = 0
    problem_reasons: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0
    wait_seconds: float = 0.0  # time spent waiting for the store's answers
    cursor: str | None = None
    failures_in_row: int = 0  # the store's consecutive failed syncs, this one included
    stopped: bool = False  # the operator stopped it; the pages before were kept

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def podtui_share(self) -> float:
        """The share of the sync's time spent in podtui (parsing, upserting), not waiting."""
        if self.seconds <= 0:
            return 0.0
        return max(0.0, min(1.0, 1.0 - self.wait_seconds / self.seconds))

    def summary(self) -> str:
        """One line for the CLI and the TUI."""
        if self.error is not None:
            head = f"{self.store}: FAILED ({self.error})"
            if self.orders_seen:
                head += f" after {count(self.orders_seen, 'order')}"
            return head
        bits = [
            *(["stopped"] if self.stopped else []),
            f"{count(self.orders_seen, 'order')} read",
            f"{self.orders_created} new",
            f"{self.orders_updated} changed",
            f"{count(self.items_created, 'item')} added",
        ]
        if self.store_notes:
            bits.append(count(self.store_notes, "store note"))
        if self.problems:
            bits.append(count(self.problems, "problem"))
        if self.drafts_skipped:
            word = "draft" if self.drafts_skipped == 1 else "drafts"
            bits.append(f"{self.drafts_skipped} {word} skipped")
        if self.tracking_pushed or self.tracking_failed:
            bits.append(f"{self.tracking_pushed} tracking pushed")
        if self.tracking_failed:
            bits.append(f"{self.tracking_failed} pushes failed")
        return f"{self.store}: " + ", ".join(bits) + f" in {self.seconds:.1f} s"


MappingKey = tuple[str, str]  # product id, variant id ("" = the whole listing)


@dataclass
class MappingInfo:
    artwork_id: int | None
    vendor_id: int | None


@dataclass
class SyncContext:
    """One store's sync: the store, its mappings, the problems already on record, the report."""

    store_id: int
    store_name: str
    options: SyncOptions
    report: SyncReport
    mappings: dict[MappingKey, MappingInfo] = field(default_factory=dict)
    open_problems: dict[str, set[str]] = field(default_factory=dict)  # order id -> reasons
    # Store order id -> the time of the newest copy met in this sync (a listing may repeat one).
    seen: dict[str, datetime] = field(default_factory=dict)
    # Copies as old as what podtui holds but different, for a full sync to apply once the
    # listing is through (unless a later copy of the same order came after them).
    deferred: dict[str, StoreOrder] = field(default_factory=dict)
    created: set[str] = field(default_factory=set)  # orders the page being written inserted
    # Orders this sync inserted or changed, in the order met: their store notes are read after.
    touched: dict[str, None] = field(default_factory=dict)
    # The adapter's own payload parser, to tell what the store said at the last sync.
    parse_raw: Callable[[dict[str, Any]], StoreOrder] | None = None

    @classmethod
    def load(cls, session: Session, store: Store, options: SyncOptions) -> SyncContext:
        assert store.id is not None
        ctx = cls(
            store_id=store.id,
            store_name=store.name,
            options=options,
            report=SyncReport(store.name, store.id, options.mode),
        )
        for m in session.exec(select(ProductMapping).where(ProductMapping.store_id == store.id)):
            ctx.mappings[(m.product_id, m.variant_id)] = MappingInfo(m.artwork_id, m.vendor_id)
        rows = session.exec(
            select(SyncProblem.store_order_id, SyncProblem.reason).where(
                SyncProblem.store_id == store.id, col(SyncProblem.resolved).is_(False)
            )
        ).all()
        for order_id, reason in rows:
            ctx.open_problems.setdefault(order_id or "", set()).add(reason)
        return ctx

    def mapping_for(self, product_id: str, variant_id: str) -> MappingInfo | None:
        """The variant's own mapping, else the whole listing's (SKUs are never a key)."""
        if not product_id:
            return None
        return self.mappings.get((product_id, variant_id)) or self.mappings.get((product_id, ""))


def as_utc(moment: datetime | None) -> datetime | None:
    """`moment` as aware UTC (a naive value from a database is taken as UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
