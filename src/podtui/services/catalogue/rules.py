"""Routing rules: check, try, save (and apply), reorder and remove them.

A rule routes the waiting items no mapping covers (domain/routing.py says what it matches). It is
tried before it is saved ("This rule would route 412 waiting items: 380 to Printful, 32 to DTG");
saving applies the whole rule set through `routing.apply_moves`, one transaction per batch and one
event per item. Ready items move only with `reroute_ready` (the operator confirmed the count).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from podtui.db import Database
from podtui.domain.errors import NotFoundError, ValidationError
from podtui.domain.models import Artwork, OrderItem, RoutingRule, Store, Vendor, utcnow
from podtui.domain.routing import APPROVE_MANUAL, APPROVE_MODES, RuleTerms, terms_problems
from podtui.domain.status import ItemStatus
from podtui.domain.wording import count
from podtui.services.catalogue import routing
from podtui.services.catalogue.mappings import _clean_product

BATCH = 10_000  # items per transaction: a commit (an fsync) per batch, a progress step each
# Items not yet handed to a vendor: what "waiting" counts in the list of rules.
PENDING = (*routing.ROUTABLE, ItemStatus.RENDERING, ItemStatus.ON_HOLD)
DRAFT_ID = -1  # the stand-in id of a rule being tried
Progress = Callable[[int, int], None]  # (items done, items in all)


@dataclass(frozen=True)
class RuleDraft:
    """A rule as the CLI, the Catalogue screen or an import gives it, before it is checked."""

    vendor_id: int | None
    name: str = ""
    sku: str = ""
    title: str = ""
    store_id: int | None = None
    countries: tuple[str, ...] = ()
    product_type: str = ""
    artwork_id: int | None = None
    vendor_product: dict[str, Any] = field(default_factory=dict)
    approve: str = APPROVE_MANUAL
    position: int | None = None  # 1 = tried first; None = last (or where it is, when editing)
    rule_id: int | None = None  # the rule it edits

    @property
    def terms(self) -> RuleTerms:
        return RuleTerms(self.sku.strip(), self.title.strip(), self.store_id,
                         tuple(c.upper() for c in self.countries),
                         self.product_type.strip())  # fmt: skip


@dataclass(frozen=True)
class RuleRow:
    """One rule as the list shows it."""

    id: int
    position: int
    name: str
    terms: RuleTerms
    store: str
    vendor_id: int
    vendor: str
    vendor_product: dict[str, Any]
    artwork_id: int | None
    artwork: str
    approve: str
    waiting: int  # open items it routes now

    def describe(self) -> str:
        return self.terms.describe(self.store)


@dataclass(frozen=True)
class Tried:
    """What a rule (or the rule set) would do."""

    routed: int
    by_vendor: tuple[tuple[str, int], ...]
    ready: int

    def summary(self, what: str = "This rule") -> str:
        noun = "item" if self.routed == 1 else "items"
        head = f"{what} would route {self.routed} waiting {noun}"
        if self.by_vendor:
            head += ": " + ", ".join(f"{n} to {name}" for name, n in self.by_vendor)
        if self.ready:
            noun = "item" if self.ready == 1 else "items"
            again = "would be re-routed and rendered again if you confirm"
            return f"{head}; {self.ready} Ready {noun} {again}."
        return head + "."


@dataclass(frozen=True)
class Applied:
    """What saving or applying did."""

    rule_id: int | None
    routed: int
    ready_left: int  # Ready items it would move, left as they are (not confirmed)
    skipped: int  # items someone else changed meanwhile

    def summary(self) -> str:
        text = f"Routed {count(self.routed, 'item')}."
        if self.ready_left:
            left = "was left as it is" if self.ready_left == 1 else "were left as they are"
            text += f" {count(self.ready_left, 'Ready item')} {left}."
        if self.skipped:
            changed = f"{count(self.skipped, 'item')} changed meanwhile"
            text += f" {changed} and {'was' if self.skipped == 1 else 'were'} left alone."
        return text


def check(session: Session, draft: RuleDraft) -> tuple[dict[str, str], dict[str, Any]]:
    """(problems by field, the vendor's ids typed)."""
    problems = terms_problems(draft.terms)
    product: dict[str, Any] = {}
    vendor = session.get(Vendor, draft.vendor_id) if draft.vendor_id is not None else None
    if draft.vendor_id is None:
        problems["vendor"] = "choose the vendor the items go to"
    elif vendor is None:
        problems["vendor"] = f"vendor {draft.vendor_id} does not exist"
    else:
        product = _clean_product(vendor, draft.vendor_product, problems)
    if draft.artwork_id is not None and session.get(Artwork, draft.artwork_id) is None:
        problems["artwork"] = f"artwork {draft.artwork_id} does not exist"
    if draft.store_id is not None and session.get(Store, draft.store_id) is None:
        problems["store"] = f"store {draft.store_id} does not exist"
    if draft.approve not in APPROVE_MODES:
        problems["approve"] = f"approve is one of {', '.join(APPROVE_MODES)}"
    if draft.rule_id is not None and session.get(RoutingRule, draft.rule_id) is None:
        problems["rule"] = f"rule {draft.rule_id} does not exist"
    return problems, product


def _fill(row: RoutingRule, draft: RuleDraft, product: dict[str, Any]) -> RoutingRule:
    terms = draft.terms
    row.name = draft.name.strip()
    row.match_sku, row.match_title = terms.sku, terms.title
    row.match_product_type = terms.product_type
    row.match_store_id, row.match_countries = terms.store_id, list(terms.countries)
    assert draft.vendor_id is not None
    row.vendor_id, row.vendor_product = draft.vendor_id, product
    row.artwork_id, row.approve = draft.artwork_id, draft.approve
    row.updated_at = utcnow()
    return row


def _ordered(rows: list[RoutingRule], row: RoutingRule, position: int | None) -> list[RoutingRule]:
    """`rows` with `row` put at `position` (1-based; None: where it is, or last)."""
    others = [r for r in rows if r is not row and (row.id is None or r.id != row.id)]
    if position is None:
        where = next((i for i, r in enumerate(rows) if row.id is not None and r.id == row.id), None)
        position = len(others) + 1 if where is None else where + 1
    index = max(0, min(len(others), position - 1))
    return [*others[:index], row, *others[index:]]


def _vendor_names(session: Session) -> dict[int, str]:
    return {i: n for i, n in session.exec(select(Vendor.id, Vendor.name)).all() if i is not None}


def _tried(session: Session, found: routing.Plan) -> Tried:
    names = _vendor_names(session)
    counts = Counter(names.get(m.vendor_id or 0, "?") for m in found.moves)
    return Tried(len(found.moves), tuple(counts.most_common()), len(found.ready))


def _plan(
    session: Session,
    draft: RuleDraft | None = None,
    statuses: Sequence[ItemStatus] = routing.ROUTABLE,
) -> routing.Plan:
    rows = routing.load_rules(session)
    fields = routing.artwork_fields(session)
    infos: list[routing.RuleInfo] = []
    if draft is not None:
        problems, product = check(session, draft)
        if problems:
            raise ValidationError("The rule cannot be tried.", problems)
        stand_in = _fill(RoutingRule(vendor_id=0), draft, product)
        stand_in.id = draft.rule_id
        rows = _ordered(rows, stand_in, draft.position)
    for row in rows:
        # A new rule is tried under a stand-in id; an edited one keeps its own, so the items
        # it routes already are not counted again.
        key = DRAFT_ID if row.id is None else row.id
        infos.append(routing.rule_info(row, fields, key))
    found = routing.candidates(session, statuses=statuses)
    return routing.plan(found, infos, draft_id=DRAFT_ID)


def try_rule(db: Database, draft: RuleDraft) -> Tried:
    """What saving the rule would route; nothing is written."""
    with db.read() as session:
        return _tried(session, _plan(session, draft))


def ready_to_reroute(db: Database, draft: RuleDraft) -> int:
    """How many Ready items saving the rule would re-route: what Save asks about first (only
    the Ready items are read, so a rule over 100,000 waiting ones is not planned twice)."""
    with db.read() as session:
        return len(_plan(session, draft, statuses=(ItemStatus.READY,)).ready)


def try_rules(db: Database) -> Tried:
    """What applying the saved rules would route now (after a reorder, say)."""
    with db.read() as session:
        return _tried(session, _plan(session))


def apply_rules(
    db: Database,
    *,
    reroute_ready: bool = False,
    progress: Progress | None = None,
    batch: int = BATCH,
    rule_id: int | None = None,
) -> Applied:
    """Apply the saved rules to the items: one transaction per batch, one event per item."""
    with db.read() as session:
        found = _plan(session)
    moves = list(found.moves) + (list(found.ready) if reroute_ready else [])
    done = 0
    if progress is not None:
        progress(0, len(moves))
    for start in range(0, len(moves), batch):
        chunk = moves[start : start + batch]
        with db.write() as session:
            done += len(routing.apply_moves(session, chunk, routing.EVENT_ROUTE))
        if progress is not None:
            progress(start + len(chunk), len(moves))
    left = 0 if reroute_ready else len(found.ready)
    return Applied(rule_id, done, left, len(moves) - done)


def save_rule(
    db: Database,
    draft: RuleDraft,
    *,
    reroute_ready: bool = False,
    progress: Progress | None = None,
    batch: int = BATCH,
) -> Applied:
    """Check and save the rule (new, or the one it edits, at its place), then apply the rules."""
    with db.write() as session:
        problems, product = check(session, draft)
        if problems:
            raise ValidationError("The rule was not saved.", problems)
        rows = routing.load_rules(session)
        row = session.get(RoutingRule, draft.rule_id) if draft.rule_id else None
        row = _fill(row or RoutingRule(vendor_id=draft.vendor_id or 0), draft, product)
        _renumber(session, _ordered(rows, row, draft.position))
        session.flush()
        rule_id = row.id
    return apply_rules(
        db, reroute_ready=reroute_ready, progress=progress, batch=batch, rule_id=rule_id
    )


def _renumber(session: Session, rows: list[RoutingRule]) -> None:
    for n, row in enumerate(rows, start=1):
        row.position = n
        session.add(row)


def move_rule(db: Database, rule_id: int, position: int) -> None:
    """Put the rule at `position` (1 = tried first); items move when the rules are applied."""
    with db.write() as session:
        row = session.get(RoutingRule, rule_id)
        if row is None:
            raise NotFoundError(f"Rule {rule_id} does not exist")
        _renumber(session, _ordered(routing.load_rules(session), row, position))


def remove_rule(db: Database, rule_id: int) -> int:
    """Delete the rule; the items it routed keep their vendor and artwork. How many it had."""
    with db.write() as session:
        row = session.get(RoutingRule, rule_id)
        if row is None:
            raise NotFoundError(f"Rule {rule_id} does not exist")
        result = session.execute(
            update(OrderItem).where(col(OrderItem.rule_id) == rule_id).values(rule_id=None)
        )
        session.delete(row)
        session.flush()
        _renumber(session, routing.load_rules(session))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def list_rules(db: Database) -> list[RuleRow]:
    """The rules in the order they are tried, with how many open items each routes now."""
    with db.read() as session:
        rows = routing.load_rules(session)
        counts = dict(
            session.exec(
                select(OrderItem.rule_id, func.count())
                .where(
                    col(OrderItem.rule_id).is_not(None),
                    col(OrderItem.status).in_(PENDING),
                    col(OrderItem.archived).is_(False),
                )
                .group_by(col(OrderItem.rule_id))
            ).all()
        )
        vendors = _vendor_names(session)
        art = dict(session.exec(select(Artwork.id, Artwork.name)).all())
        stores = dict(session.exec(select(Store.id, Store.name)).all())
    out = []
    for row in rows:
        assert row.id is not None
        terms = RuleTerms(row.match_sku, row.match_title, row.match_store_id,
                          tuple(row.match_countries or ()), row.match_product_type)  # fmt: skip
        out.append(
            RuleRow(
                id=row.id,
                position=row.position,
                name=row.name,
                terms=terms,
                store=stores.get(row.match_store_id, "") if row.match_store_id else "",
                vendor_id=row.vendor_id,
                vendor=vendors.get(row.vendor_id, "?"),
                vendor_product=dict(row.vendor_product or {}),
                artwork_id=row.artwork_id,
                artwork=art.get(row.artwork_id, "") if row.artwork_id else "",
                approve=row.approve,
                waiting=int(counts.get(row.id, 0)),
            )
        )
    return out


@dataclass(frozen=True)
class Imported:
    """What importing rules did."""

    created: int
    updated: int
    applied: Applied

    def summary(self) -> str:
        n = self.created + self.updated
        made = f"{self.created} new, {self.updated} updated"
        return f"{count(n, 'rule')} ({made}): {self.applied.summary()}"


def import_rules(db: Database, drafts: list[RuleDraft]) -> Imported:
    """Save rules by name (the file's order first, then the rules it does not name), apply."""
    created = updated = 0
    with db.write() as session:
        rows = routing.load_rules(session)
        by_name = {r.name: r for r in rows if r.name}
        named: list[RoutingRule] = []
        for draft in drafts:
            problems, product = check(session, draft)
            if problems:
                raise ValidationError(f"Rule {draft.name!r} was not saved.", problems)
            row = by_name.get(draft.name)
            created, updated = (created + 1, updated) if row is None else (created, updated + 1)
            named.append(_fill(row or RoutingRule(vendor_id=draft.vendor_id or 0), draft, product))
        rest = [r for r in rows if all(r is not n for n in named)]
        _renumber(session, [*named, *rest])
    return Imported(created, updated, apply_rules(db))


@dataclass(frozen=True)
class RuleChoices:
    """What the rule editor offers: artwork, vendors (with their queues) and stores."""

    artworks: list[tuple[int, str]]
    vendors: list[Any]  # editor.VendorChoice
    stores: list[tuple[int, str]]


def rule_choices(db: Database) -> RuleChoices:
    from podtui.services.catalogue.editor import editor_choices

    base = editor_choices(db)
    with db.read() as session:
        stores = session.exec(select(Store.id, Store.name).order_by(col(Store.name))).all()
    return RuleChoices(base.artworks, base.vendors, [(i, n) for i, n in stores if i is not None])


def parse_vendor_ids(text: str) -> dict[str, str]:
    """'queue=dtg product_type=mug' -> {'queue': 'dtg', 'product_type': 'mug'}."""
    out: dict[str, str] = {}
    problems: dict[str, str] = {}
    for word in text.replace(",", " ").split():
        key, sep, value = word.partition("=")
        if not sep or not key or not value:
            problems["vendor_product"] = f"{word!r} is not key=value (queue=dtg product_type=mug)"
            continue
        out[key.strip()] = value.strip()
    if problems:
        raise ValidationError("The rule was not saved.", problems)
    return out


def vendor_ids_text(product: dict[str, Any]) -> str:
    return " ".join(f"{k}={v}" for k, v in product.items())
