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
from typing import Any, NamedTuple

from sqlalchemy import String, and_, exists, insert, literal, or_, type_coerce
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


class Move(NamedTuple):
    """One item to route: as it is now, and where it goes (a tuple: plans hold 100,000)."""

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


IN_CHUNK = 900  # ids per statement: under every SQLite build's bound-parameter limit


def _chunks(ids: Sequence[int], size: int = IN_CHUNK) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def apply_moves(session: Session, moves: Sequence[Move], event_type: str) -> list[int]:
    """Route each item by compare-and-set (status and version): the ids that moved.

    Set-based: the moves that change the same way (from the same status and version, to the
    same vendor, artwork and rule) go as one `UPDATE ... WHERE id IN (...) AND status = :was
    AND version = :was ... RETURNING id` per chunk of ids, and their events and render jobs as
    one `INSERT ... SELECT` each over the ids that moved. An item someone else changed meanwhile
    is left alone (it is not in the answer, and has no event).
    """
    if not moves:
        return []
    now, user = utcnow(), current_user()
    groups: dict[tuple[Any, ...], list[int]] = {}
    for m in moves:
        key = (m.status, m.version, m.target, m.vendor_id, m.artwork_id, m.rule_id,
               m.was_vendor, m.was_artwork, m.params)  # fmt: skip
        groups.setdefault(key, []).append(m.item_id)
    conn = session.connection()
    returning = conn.dialect.update_returning
    items = OrderItem.__table__  # type: ignore[attr-defined]
    events = Event.__table__  # type: ignore[attr-defined]
    jobs = RenderJob.__table__  # type: ignore[attr-defined]
    moved: list[int] = []
    for key, ids in groups.items():
        status, version, target, vendor, artwork, rule, was_vendor, was_artwork, params = key
        # `status || ''`, not `status`: SQLite would otherwise take the status index and read
        # every item of that status for each chunk of ids, not the chunk by its primary key.
        was = (type_coerce(items.c.status, String) + "") == status.value
        cas = (
            items.update()
            .where(was, items.c.version == version)
            .values(
                status=target,
                vendor_id=vendor,
                artwork_id=artwork,
                rule_id=rule,
                managed=True,
                version=items.c.version + 1,
                updated_at=now,
            )
        )
        event_params = {
            **dict(params),
            "vendor_id": vendor,
            "artwork_id": artwork,
            "previous_vendor_id": was_vendor,
            "previous_artwork_id": was_artwork,
            "approved": target is ItemStatus.RENDERING,
        }
        for chunk in _chunks(ids):
            if returning:
                moving = cas.where(items.c.id.in_(chunk)).returning(items.c.id)
                changed = [row[0] for row in conn.execute(moving).all()]
            else:  # no RETURNING (an old SQLite): the rows stamped `now` are the ones it moved
                conn.execute(cas.where(items.c.id.in_(chunk)))
                changed = list(
                    conn.execute(
                        sql_select(items.c.id).where(
                            items.c.id.in_(chunk), items.c.updated_at == now
                        )
                    ).scalars()
                )
            if not changed:
                continue
            moved.extend(changed)
            these = items.c.id.in_(changed)
            conn.execute(
                insert(events).from_select(
                    [
                        "at",
                        "user",
                        "type",
                        "order_id",
                        "item_id",
                        "from_status",
                        "to_status",
                        "params",
                    ],
                    sql_select(
                        literal(now, events.c.at.type),
                        literal(user, events.c.user.type),
                        literal(event_type, events.c.type.type),
                        items.c.order_id,
                        items.c.id,
                        literal(status.value, events.c.from_status.type),
                        literal(target.value, events.c.to_status.type),
                        literal(event_params, events.c.params.type),
                    ).where(these),
                )
            )
            if target is ItemStatus.RENDERING:
                conn.execute(
                    insert(jobs).from_select(
                        ["item_id", "state", "attempts", "created_at"],
                        sql_select(
                            items.c.id,
                            literal("queued", jobs.c.state.type),
                            literal(0, jobs.c.attempts.type),
                            literal(now, jobs.c.created_at.type),
                        ).where(these),
                    )
                )
    order = {m.item_id: n for n, m in enumerate(moves)}
    return sorted(moved, key=order.__getitem__)


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
        product_type=rule.match_product_type,
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


class Candidate(NamedTuple):
    """An item the rules may route: open, not archived, no mapping, not routed by hand."""

    id: int
    order_id: int
    status: ItemStatus
    version: int
    sku: str
    title: str
    store_id: int
    country: str
    vendor_id: int | None
    artwork_id: int | None
    rule_id: int | None
    managed: bool
    product_type: str

    @property
    def facts(self) -> ItemFacts:
        return ItemFacts(sku=self.sku, title=self.title, store_id=self.store_id,
                         country=self.country, product_type=self.product_type)  # fmt: skip


_STATUS = {s.value: s for s in ItemStatus}


def candidates(
    session: Session,
    item_ids: Iterable[int] | None = None,
    statuses: Sequence[ItemStatus] = ROUTABLE,
) -> list[Candidate]:
    """The items the rules decide for: unmanaged ones, and those a rule routed before.

    Read as plain rows (the status as its text), one query: a rule over 100,000 items reads
    them all, and an ORM object or a typed value per row would cost more than the query.
    """
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
            type_coerce(col(OrderItem.status), String),
            col(OrderItem.version),
            col(OrderItem.sku),
            col(OrderItem.title),
            col(OrderItem.store_id),
            col(Order.ship_country),
            col(OrderItem.vendor_id),
            col(OrderItem.artwork_id),
            col(OrderItem.rule_id),
            col(OrderItem.managed),
            col(OrderItem.product_type),
        )
        .join(Order, col(Order.id) == OrderItem.order_id)
        .where(
            col(OrderItem.status).in_(statuses),
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
    status = _STATUS
    rows: Iterable[Any] = session.connection().execute(query).all()
    return [
        Candidate(
            r[0],
            r[1],
            status[r[2]],
            r[3],
            r[4] or "",
            r[5] or "",
            r[6],
            r[7] or "",
            r[8],
            r[9],
            r[10],
            bool(r[11]),
            r[12] or "",
        )
        for r in rows
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
    # Items of one product to one place share their facts: match each distinct set once.
    matched: dict[tuple[str, str, int, str, str], int | None] = {}
    for item in found:
        facts = (item.sku, item.title, item.store_id, item.country, item.product_type)
        if facts in matched:
            key = matched[facts]
        else:
            key = matched[facts] = first_match(ordered, item.facts)
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
