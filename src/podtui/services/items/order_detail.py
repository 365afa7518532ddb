"""One read of everything the order details screen shows, in one read transaction.

The order, its items with their vendor, artwork and current print file, the submissions that
carry them, shipments, notes, and the timeline newest first (bounded: the newest
`TIMELINE_LIMIT` events, with a count of the older ones). Every query is keyed on the order's
id or its items' ids and served by an index, so opening an order costs the same on a shop of
a hundred items as on one of a million.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from podtui.domain.errors import NotFoundError
from podtui.domain.models import (
    Artwork,
    Event,
    Note,
    Order,
    OrderItem,
    PrintFile,
    Shipment,
    Store,
    Submission,
    SubmissionItem,
    SyncProblem,
    Vendor,
)
from podtui.domain.order_status import OrderState, OrderStatus, order_state
from podtui.domain.status import Action, ItemStatus, allowed_actions, is_allowed

TIMELINE_LIMIT = 500


@dataclass(frozen=True)
class TimelineEntry:
    """One event as the timeline shows it."""

    id: int
    at: datetime
    user: str
    type: str
    item_id: int | None
    from_status: str | None
    to_status: str | None
    params: dict[str, Any]


@dataclass
class ItemDetail:
    """An item with what the screen shows beside it."""

    item: OrderItem
    vendor: Vendor | None
    artwork: Artwork | None
    print_file: PrintFile | None
    submissions: list[Submission] = field(default_factory=list)  # newest first

    @property
    def id(self) -> int:
        assert self.item.id is not None
        return self.item.id

    @property
    def status(self) -> ItemStatus:
        return self.item.status

    @property
    def vendor_integrated(self) -> bool | None:
        return None if self.vendor is None else self.vendor.integrated

    @property
    def last_submission(self) -> Submission | None:
        return self.submissions[0] if self.submissions else None

    def allows(self, action: Action) -> bool:
        """Whether the status table allows `action` on this item for its vendor.

        Send and mark fulfilled also need a vendor: the table cannot tell which one applies
        to an item that has none yet.
        """
        integrated = self.vendor_integrated
        if action in (Action.SEND, Action.MARK_FULFILLED) and integrated is None:
            return False
        return is_allowed(self.status, action, vendor_integrated=integrated)

    def allowed(self) -> list[Action]:
        return allowed_actions(self.status, vendor_integrated=self.vendor_integrated)


@dataclass
class OrderDetail:
    """Everything the details screen of one order shows."""

    order: Order
    store: Store | None
    items: list[ItemDetail]
    submissions: list[Submission]
    shipments: list[Shipment]
    notes: list[Note]
    timeline: list[TimelineEntry]
    timeline_total: int
    problems: list[SyncProblem] = field(default_factory=list)  # the store's, still open

    @property
    def order_id(self) -> int:
        assert self.order.id is not None
        return self.order.id

    @property
    def state(self) -> OrderState:
        """The order's status with its badge (what holds it, or partly sent)."""
        managed = [d.status for d in self.items if d.item.managed]
        return order_state(managed, archived=self.order.archived)

    @property
    def status(self) -> OrderStatus:
        return self.state.status

    @property
    def timeline_more(self) -> int:
        """How many older events the bounded timeline leaves out."""
        return max(0, self.timeline_total - len(self.timeline))

    def item(self, item_id: int) -> ItemDetail | None:
        return next((d for d in self.items if d.id == item_id), None)


def order_stamp(session: Session, order_id: int) -> tuple[int, int, int]:
    """A cheap fingerprint of the order: it changes when any item, note or event does.

    (newest event id, sum of the items' versions, number of notes): every change through the
    services bumps one of them, so the screen polls this instead of reading everything again.
    """
    last_event = session.exec(
        select(func.max(Event.id)).where(col(Event.order_id) == order_id)
    ).one()
    versions = session.exec(
        select(func.coalesce(func.sum(OrderItem.version), 0)).where(
            col(OrderItem.order_id) == order_id
        )
    ).one()
    notes = session.exec(
        select(func.count()).select_from(Note).where(col(Note.order_id) == order_id)
    ).one()
    return (int(last_event or 0), int(versions or 0), int(notes or 0))


def _by_id(rows: list[Any]) -> dict[int, Any]:
    return {row.id: row for row in rows}


def read_order_detail(
    session: Session, order_id: int, *, timeline_limit: int = TIMELINE_LIMIT
) -> OrderDetail:
    """Everything about the order, read in the caller's session; NotFoundError if it is gone."""
    order = session.get(Order, order_id, populate_existing=True)
    if order is None:
        raise NotFoundError(f"Order {order_id} does not exist (deleted, or another database?)")
    store = session.get(Store, order.store_id)
    items = list(
        session.exec(
            select(OrderItem)
            .where(col(OrderItem.order_id) == order_id)
            .order_by(col(OrderItem.id))
            .execution_options(populate_existing=True)
        ).all()
    )
    item_ids = [i.id for i in items if i.id is not None]
    vendor_ids = {i.vendor_id for i in items if i.vendor_id is not None}
    artwork_ids = {i.artwork_id for i in items if i.artwork_id is not None}
    vendors = (
        _by_id(list(session.exec(select(Vendor).where(col(Vendor.id).in_(vendor_ids))).all()))
        if vendor_ids
        else {}
    )
    artworks = (
        _by_id(list(session.exec(select(Artwork).where(col(Artwork.id).in_(artwork_ids))).all()))
        if artwork_ids
        else {}
    )
    files: dict[int, PrintFile] = {}
    submissions: list[Submission] = []
    by_item: dict[int, list[Submission]] = {}
    if item_ids:
        for pf in session.exec(
            select(PrintFile)
            .where(col(PrintFile.item_id).in_(item_ids), col(PrintFile.current).is_(True))
            .order_by(col(PrintFile.id))
        ).all():
            files[pf.item_id] = pf  # the newest current file wins
        links = session.exec(
            select(SubmissionItem.item_id, SubmissionItem.submission_id).where(
                col(SubmissionItem.item_id).in_(item_ids)
            )
        ).all()
        sub_ids = {sid for _, sid in links}
        if sub_ids:
            submissions = list(
                session.exec(
                    select(Submission)
                    .where(col(Submission.id).in_(sub_ids))
                    .order_by(col(Submission.id).desc())
                    .execution_options(populate_existing=True)
                ).all()
            )
            subs = _by_id(submissions)
            for item_id, sid in sorted(links, key=lambda link: -link[1]):
                by_item.setdefault(item_id, []).append(subs[sid])
    shipments = list(
        session.exec(
            select(Shipment).where(col(Shipment.order_id) == order_id).order_by(col(Shipment.id))
        ).all()
    )
    notes = list(
        session.exec(
            select(Note)
            .where(col(Note.order_id) == order_id)
            .order_by(col(Note.created_at), col(Note.id))
            .execution_options(populate_existing=True)
        ).all()
    )
    # Columns, not objects: a long timeline would otherwise build hundreds of ORM rows.
    events = session.execute(
        sa_select(
            col(Event.id),
            col(Event.at),
            col(Event.user),
            col(Event.type),
            col(Event.item_id),
            col(Event.from_status),
            col(Event.to_status),
            col(Event.params),
        )
        .where(col(Event.order_id) == order_id)
        .order_by(col(Event.at).desc(), col(Event.id).desc())
        .limit(timeline_limit)
    ).all()
    timeline = [TimelineEntry(*row) for row in events]
    total = len(timeline)
    if total >= timeline_limit:
        total = session.exec(
            select(func.count()).select_from(Event).where(col(Event.order_id) == order_id)
        ).one()
    details = [
        ItemDetail(
            item=i,
            vendor=vendors.get(i.vendor_id) if i.vendor_id is not None else None,
            artwork=artworks.get(i.artwork_id) if i.artwork_id is not None else None,
            print_file=files.get(i.id) if i.id is not None else None,
            submissions=by_item.get(i.id, []) if i.id is not None else [],
        )
        for i in items
    ]
    problems = list(
        session.exec(
            select(SyncProblem)
            .where(
                SyncProblem.store_id == order.store_id,
                SyncProblem.store_order_id == order.store_order_id,
                col(SyncProblem.resolved).is_(False),
            )
            .order_by(col(SyncProblem.id))
        ).all()
    )
    return OrderDetail(
        problems=problems,
        order=order,
        store=store,
        items=details,
        submissions=submissions,
        shipments=shipments,
        notes=notes,
        timeline=timeline,
        timeline_total=int(total),
    )


def artworks_matching(session: Session, text: str, limit: int = 200) -> list[Artwork]:
    """Artworks whose name contains `text` (any case), by name: the artwork picker's list."""
    query = select(Artwork).order_by(col(Artwork.name), col(Artwork.id)).limit(limit)
    if text.strip():
        query = query.where(col(Artwork.name).ilike(f"%{text.strip()}%"))
    return list(session.exec(query).all())
