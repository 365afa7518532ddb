"""Routing items forward: the one path a mapping and a rule both use to give items a vendor and
artwork, one compare-and-set and one timeline event per item, in the caller's transaction.

Missing artwork -> Waiting approval (or Rendering with a render job queued when approval is
automatic); Waiting approval keeps its status (or is approved); Ready is re-routed only when the
caller says so (after the operator confirmed), and is rendered again, or waits for approval when
its artwork changed and approval is not automatic. Nothing else is ever touched. The rules'
side (which items a rule set would move) is `plan`, over `candidates` read in one query.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, exists, insert, or_
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from podtui.domain.models import (
    Artwork,
    Event,
    Order,
    OrderItem,
    ProductMapping,
    RenderJob,
    RoutingRule,
    utcnow,
)
from podtui.domain.routing import (
    APPROVE_AUTO,
    APPROVE_NO_FIELDS,
    ItemFacts,
    RuleTerms,
    first_match,
)
from podtui.domain.status import ItemStatus
from podtui.services.items.timeline import current_user

EVENT_ROUTE = "route"
WAITING = (ItemStatus.MISSING_ARTWORK, ItemStatus.WAITING_APPROVAL)
ROUTABLE = (*WAITING, ItemStatus.READY)


@dataclass(frozen=True)
class Move:
    """One item to route: as it is now, and where it goes."""

    item_id: int
    order_id: int
    status: ItemStatus
    version: int
    vendor_id: int | None
    artwork_id: int | None
    rule_id: int | None  # the rule routing it (None: a mapping)
    approve: bool = False
    was_vendor: int | None = None
    was_artwork: int | None = None
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def target(self) -> ItemStatus:
        """Where the status table's steps lead (add artwork, approve, regenerate)."""
        if self.artwork_id is None:
            return self.status if self.status is ItemStatus.READY else ItemStatus.MISSING_ARTWORK
        if self.status is ItemStatus.READY and not self.approve:
            same = self.artwork_id == self.was_artwork
            return ItemStatus.RENDERING if same else ItemStatus.WAITING_APPROVAL
        return ItemStatus.RENDERING if self.approve else ItemStatus.WAITING_APPROVAL


def apply_moves(session: Session, moves: Sequence[Move], event_type: str) -> list[int]:
    """Route each item by compare-and-set (status and version): the ids that moved.

    An item someone else changed meanwhile is left alone (it is not in the answer). Events and
    render jobs go in as one multi-row INSERT each.
    """
    if not moves:
        return []
    now, user = utcnow(), current_user()  # `now` also marks the rows this call changed
    table = OrderItem.__table__  # type: ignore[attr-defined]
    cas = (
        table.update()
        .where(
            table.c.id == bindparam("b_id"),
            table.c.status == bindparam("b_status"),
            table.c.version == bindparam("b_version"),
        )
        .values(
            status=bindparam("b_to"),
            vendor_id=bindparam("b_vendor"),
            artwork_id=bindparam("b_artwork"),
            rule_id=bindparam("b_rule"),
            managed=True,
            version=table.c.version + 1,
            updated_at=now,
        )
    )
    conn = session.connection()
    conn.execute(
        cas,
        [
            {
                "b_id": m.item_id,
                "b_status": m.status,
                "b_version": m.version,
                "b_to": m.target,
                "b_vendor": m.vendor_id,
                "b_artwork": m.artwork_id,
                "b_rule": m.rule_id,
            }
            for m in moves
        ],
    )
    # One executemany does not say which rows matched: the ones stamped with `now` did.
    changed: set[int] = set()
    ids = [m.item_id for m in moves]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        changed.update(
            conn.execute(
                sql_select(table.c.id).where(table.c.id.in_(chunk), table.c.updated_at == now)
            ).scalars()
        )
    done = [m for m in moves if m.item_id in changed]
    if not done:
        return []
    events = [
        {
            "at": now,
            "user": user,
            "type": event_type,
            "order_id": m.order_id,
            "item_id": m.item_id,
            "from_status": m.status.value,
            "to_status": m.target.value,
            "params": {
                **dict(m.params),
                "vendor_id": m.vendor_id,
                "artwork_id": m.artwork_id,
                "previous_vendor_id": m.was_vendor,
                "previous_artwork_id": m.was_artwork,
                "approved": m.target is ItemStatus.RENDERING,
            },
        }
        for m in done
    ]
    session.execute(insert(Event.__table__), events)  # type: ignore[attr-defined]
    jobs = [
        {"item_id": m.item_id, "state": "queued", "attempts": 0, "created_at": now}
        for m in done
        if m.target is ItemStatus.RENDERING
    ]
    if jobs:
        session.execute(insert(RenderJob.__table__), jobs)  # type: ignore[attr-defined]
    return [m.item_id for m in done]


@dataclass(frozen=True)
class RuleInfo:
    """A rule as the planner needs it."""

    id: int
    terms: RuleTerms
    vendor_id: int
    artwork_id: int | None
    approve: bool  # resolved: auto, or no_fields with an artwork that takes none


def rule_info(rule: RoutingRule, artwork_fields: dict[int, list[str]], rule_id: int) -> RuleInfo:
    """The planner's view of a row (or of a draft, under a stand-in id)."""
    approve = rule.approve == APPROVE_AUTO or (
        rule.approve == APPROVE_NO_FIELDS
        and rule.artwork_id is not None
        and not artwork_fields.get(rule.artwork_id)
    )
    terms = RuleTerms(
        sku=rule.match_sku,
        title=rule.match_title,
        store_id=rule.match_store_id,
        countries=tuple(rule.match_countries or ()),
    )
    return RuleInfo(rule_id, terms, rule.vendor_id, rule.artwork_id, approve)


def artwork_fields(session: Session) -> dict[int, list[str]]:
    rows = session.exec(select(Artwork.id, Artwork.fields)).all()
    return {i: list(f or []) for i, f in rows if i is not None}


def load_rules(session: Session) -> list[RoutingRule]:
    """The rules in the order they are tried."""
    return list(
        session.exec(
            select(RoutingRule).order_by(col(RoutingRule.position), col(RoutingRule.id))
        ).all()
    )


@dataclass(frozen=True)
class Candidate:
    """An item the rules may route: open, not archived, no mapping, not routed by hand."""

    id: int
    order_id: int
    status: ItemStatus
    version: int
    facts: ItemFacts
    vendor_id: int | None
    artwork_id: int | None
    rule_id: int | None
    managed: bool


def candidates(session: Session, item_ids: Iterable[int] | None = None) -> list[Candidate]:
    """The items the rules decide for: unmanaged ones, and those a rule routed before."""
    mapped = exists().where(
        col(ProductMapping.store_id) == OrderItem.store_id,
        col(ProductMapping.product_id) == OrderItem.product_id,
        or_(
            col(ProductMapping.variant_id) == OrderItem.variant_id,
            col(ProductMapping.variant_id) == "",
        ),
    )
    query = (
        sql_select(
            col(OrderItem.id),
            col(OrderItem.order_id),
            col(OrderItem.status),
            col(OrderItem.version),
            col(OrderItem.sku),
            col(OrderItem.title),
            col(OrderItem.store_id),
            col(Order.ship_country),
            col(OrderItem.vendor_id),
            col(OrderItem.artwork_id),
            col(OrderItem.rule_id),
            col(OrderItem.managed),
        )
        .join(Order, col(Order.id) == OrderItem.order_id)
        .where(
            col(OrderItem.status).in_(ROUTABLE),
            col(OrderItem.archived).is_(False),
            or_(
                and_(
                    col(OrderItem.managed).is_(False),
                    col(OrderItem.status) == ItemStatus.MISSING_ARTWORK,
                ),
                col(OrderItem.rule_id).is_not(None),
            ),
            ~mapped,
        )
        .order_by(col(OrderItem.id))
    )
    if item_ids is not None:
        query = query.where(col(OrderItem.id).in_(list(item_ids)))
    return [
        Candidate(
            id=r[0],
            order_id=r[1],
            status=ItemStatus(r[2]),
            version=r[3],
            facts=ItemFacts(sku=r[4] or "", title=r[5] or "", store_id=r[6], country=r[7] or ""),
            vendor_id=r[8],
            artwork_id=r[9],
            rule_id=r[10],
            managed=bool(r[11]),
        )
        for r in session.execute(query).all()
    ]


@dataclass(frozen=True)
class Plan:
    """What a rule set would do: the moves, and the Ready items it would move if confirmed."""

    moves: tuple[Move, ...]
    ready: tuple[Move, ...]


def plan(
    found: Sequence[Candidate], rules: Sequence[RuleInfo], *, draft_id: int | None = None
) -> Plan:
    """The items whose rule, vendor or artwork the rules change (in the rules' order).

    `draft_id` is the stand-in id of a rule being tried: its moves name no rule id yet.
    """
    by_id = {r.id: r for r in rules}
    ordered = [(r.id, r.terms) for r in rules]
    moves: list[Move] = []
    ready: list[Move] = []
    for item in found:
        key = first_match(ordered, item.facts)
        if key is None:
            continue
        rule = by_id[key]
        artwork = rule.artwork_id if rule.artwork_id is not None else item.artwork_id
        if (
            item.managed
            and item.rule_id == key
            and item.vendor_id == rule.vendor_id
            and item.artwork_id == artwork
        ):
            continue
        move = Move(
            item_id=item.id,
            order_id=item.order_id,
            status=item.status,
            version=item.version,
            vendor_id=rule.vendor_id,
            artwork_id=artwork,
            rule_id=None if key == draft_id else key,
            approve=rule.approve,
            was_vendor=item.vendor_id,
            was_artwork=item.artwork_id,
            params=(("rule_id", key),),
        )
        (ready if item.status is ItemStatus.READY else moves).append(move)
    return Plan(tuple(moves), tuple(ready))


def route_new(session: Session, item_ids: Sequence[int]) -> list[int]:
    """Route items just imported by the shop's rules (in the caller's transaction)."""
    if not item_ids:
        return []
    rows = load_rules(session)
    if not rows:
        return []
    fields = artwork_fields(session)
    infos = [rule_info(r, fields, r.id) for r in rows if r.id is not None]
    found = plan(candidates(session, item_ids), infos)
    return apply_moves(session, found.moves, EVENT_ROUTE)
