"""The order list's SQL: a filter resolved against the database, turned into keyset-paged windows.

Nothing here loads all rows. A window is `LIMIT n` rows after (or before) the sort key of a row
already shown, walking an index in order; counts come from covering indexes; "mark everything
the filter matches" is the resolved filter itself, evaluated by SQL, never a million Python ints.
SQL text is written by hand (the planner's choices at a million rows are the point) and runs on
a plain DB-API connection, so the list needs neither the ORM nor its import time.

One module on purpose (over 600 lines): the filter's resolution, the WHERE clauses, the window
and count SQL all have to agree on the same indexes, and reading them side by side is how that
agreement is kept.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from typing import Any, Literal

from podtui.domain.errors import ValidationError
from podtui.domain.status import ItemStatus
from podtui.services.listing.filters import ListFilter, SortKey, Visibility, age_delta

# ---------------------------------------------------------------------------------------------
# Tabs and queries


@dataclass(frozen=True)
class Tab:
    """A status tab across the top of the list."""

    id: str
    label: str
    status: ItemStatus | None = None
    archived: bool = False


TABS: tuple[Tab, ...] = (
    Tab("all", "All"),
    *(Tab(s.value, s.label, status=s) for s in ItemStatus),
    Tab("archived", "Archived", archived=True),
)
TAB_BY_ID: dict[str, Tab] = {tab.id: tab for tab in TABS}


@dataclass(frozen=True)
class ListQuery:
    """What the list shows: a tab, a filter, and one row per item or per order."""

    filter: ListFilter = field(default_factory=ListFilter)
    tab: str = "all"
    per_order: bool = False


@dataclass(frozen=True)
class Lookups:
    """The small tables a filter names rows of: vendors and stores."""

    vendors: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (name, kind)
    stores: dict[int, str] = field(default_factory=dict)  # id -> name

    def vendor_name(self, vendor_id: int | None) -> str:
        if vendor_id is None:
            return ""
        found = self.vendors.get(vendor_id)
        return found[0] if found else f"vendor {vendor_id}"

    def vendor_integrated(self, vendor_id: int | None) -> bool | None:
        found = self.vendors.get(vendor_id) if vendor_id is not None else None
        return None if found is None else found[1] != "manual"


@dataclass(frozen=True)
class Resolved:
    """A filter with names turned into ids and dates into instants: plain SQL conditions."""

    statuses: tuple[str, ...] | None = None  # None: any status
    vendor_ids: tuple[int, ...] | None = None
    no_vendor: bool = False  # only items without a vendor (a segment of the vendor sort)
    store_ids: tuple[int, ...] | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None  # exclusive
    titles: tuple[str, ...] = ()
    words: tuple[str, ...] = ()  # bare words: each in any searched column (see _search_term)
    emails: tuple[str, ...] = ()
    orders: tuple[str, ...] = ()
    sources: tuple[str, ...] | None = None
    payments: tuple[str, ...] | None = None  # the order's payment status, any of these
    archived: Visibility = "hide"
    unmanaged: Visibility = "hide"
    test: Visibility = "show"
    item_ids: tuple[int, ...] | None = None  # only these items (a marked set made explicit)
    impossible: bool = False  # the conditions exclude each other: no row can match
    sort: SortKey = "created"
    descending: bool = True
    per_order: bool = False
    tab_note: str = ""  # set by for_tab: why the tab did not narrow this filter

    @property
    def overrides_tab(self) -> str:
        """Why a status tab does not narrow this filter ("" when it does)."""
        if self.statuses is not None:
            return "the filter names the status"
        if self.orders or self.emails:
            return "a look-up searches every status"
        return ""

    def for_tab(self, tab: Tab) -> Resolved:
        """This filter seen through a status tab.

        The tab narrows a plain filter to its status. A filter that names statuses, or looks up
        an order or a customer, is not narrowed: an operator on the Ready tab who types `#4450`
        wants the order, not its Ready items.
        """
        changes: dict[str, Any] = {}
        if tab.archived:
            changes["archived"] = "only"
        if tab.status is not None:
            why = self.overrides_tab
            if why:
                changes["tab_note"] = f"{why}, not only {tab.label}"
            else:
                changes["statuses"] = (tab.status.value,)
        return replace(self, **changes)

    def without_sort(self) -> Resolved:
        return replace(self, sort="created", descending=True, per_order=False)


def _looks_like_order(word: str) -> bool:
    """#1001 or 1001 names an order; a longer run of digits is searched for (a tracking number)."""
    return word.startswith("#") or (word.isdigit() and len(word) < 10)


def _day_start(day: datetime) -> datetime:
    local = day.astimezone()
    return datetime.combine(local.date(), time(), tzinfo=local.tzinfo).astimezone(UTC)


def _created_bounds(term: str, now: datetime) -> tuple[datetime | None, datetime | None]:
    if term == "today":
        return _day_start(now), None
    if term.endswith("d") and term[:-1].isdigit():
        return _day_start(now) - timedelta(days=int(term[:-1]) - 1), None

    def at(day: str) -> datetime:
        local_tz = now.astimezone().tzinfo
        return datetime.fromisoformat(day).replace(tzinfo=local_tz).astimezone(UTC)

    if ".." in term:
        start, end = term.split("..", 1)
        return (at(start) if start else None), (at(end) + timedelta(days=1) if end else None)
    return at(term), at(term) + timedelta(days=1)


def _match_names(
    wanted: Sequence[str], names: dict[int, str], what: str, known: Sequence[str]
) -> tuple[int, ...]:
    ids: list[int] = []
    for value in wanted:
        hits = [i for i, name in names.items() if value.lower() in name.lower()]
        if not hits:
            raise ValidationError(
                f"No {what} matches {value!r}.",
                fields={what: "known: " + (", ".join(known) or "none yet")},
            )
        ids.extend(h for h in hits if h not in ids)
    return tuple(sorted(ids))


def resolve(query: ListQuery, lookups: Lookups, now: datetime) -> Resolved:
    """Turn a query into plain conditions; raises ValidationError naming an unknown vendor/store."""
    f = query.filter
    titles = [f.title] if f.title else []
    emails = [f.email.lower()] if f.email else []
    orders = [f.order] if f.order else []
    words = []
    for word in f.words:
        if "@" in word:
            emails.append(word.lower())
        elif _looks_like_order(word):
            orders.append(word)
        else:
            words.append(word)
    vendor_ids = None
    if f.vendors:
        names = {i: f"{name} {kind}" for i, (name, kind) in lookups.vendors.items()}
        known = [name for name, _ in lookups.vendors.values()]
        vendor_ids = _match_names(f.vendors, names, "vendor", known)
    store_ids = None
    if f.stores:
        store_ids = _match_names(f.stores, lookups.stores, "store", list(lookups.stores.values()))
    created_from = created_to = None
    if f.created:
        created_from, created_to = _created_bounds(f.created, now)
    for age in f.ages:  # older than: created before now - age; newer: created after it
        cutoff = now - age_delta(age)
        if age.startswith(">"):
            created_to = cutoff if created_to is None else min(created_to, cutoff)
        else:
            created_from = cutoff if created_from is None else max(created_from, cutoff)
    resolved = Resolved(
        statuses=tuple(s.value for s in f.statuses) or None,
        vendor_ids=vendor_ids,
        store_ids=store_ids,
        created_from=created_from,
        created_to=created_to,
        titles=tuple(titles),
        words=tuple(words),
        emails=tuple(emails),
        orders=tuple(orders),
        sources=tuple(f.sources) or None,
        payments=tuple(f.payments) or None,
        archived=f.archived,
        unmanaged=f.unmanaged,
        test=f.test,
        sort=f.sort,
        descending=f.descending,
        per_order=query.per_order,
    )
    return resolved.for_tab(TAB_BY_ID.get(query.tab, TABS[0]))


# ---------------------------------------------------------------------------------------------
# SQL building


class Dialect:
    """What differs between SQLite and PostgreSQL in the list's SQL."""

    def __init__(self, name: str, placeholder: str) -> None:
        self.name = name
        self.placeholder = placeholder

    @property
    def is_sqlite(self) -> bool:
        return self.name == "sqlite"

    def ts(self, value: datetime) -> Any:
        # SQLAlchemy stores aware datetimes as naive UTC text on SQLite; compare in that form.
        if self.is_sqlite:
            return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        return value

    def flag(self, value: bool) -> Any:
        return int(value) if self.is_sqlite else value


SQLITE = Dialect("sqlite", "?")
POSTGRESQL = Dialect("postgresql", "%s")


class Sql:
    """SQL text with its parameters, collected in order."""

    def __init__(self, dialect: Dialect) -> None:
        self.d = dialect
        self.params: list[Any] = []

    def p(self, value: Any) -> str:
        self.params.append(value)
        return self.d.placeholder

    def many(self, values: Sequence[Any]) -> str:
        return ", ".join(self.p(v) for v in values)

    def in_ids(self, column: str, ids: Sequence[int], *, negate: bool = False) -> str:
        """`column IN (ids)` with one parameter however many ids there are."""
        if self.d.is_sqlite:
            op = "NOT IN" if negate else "IN"
            return f"{column} {op} (SELECT value FROM json_each({self.p(json.dumps(list(ids)))}))"
        test = f"{column} = ANY({self.p(list(ids))})"
        return f"NOT ({test})" if negate else test


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _prefix_end(prefix: str) -> str | None:
    """The least text above every text starting with `prefix` (None: nothing is above them)."""
    stem = prefix.rstrip(chr(sys.maxunicode))
    if not stem:
        return None
    following = ord(stem[-1]) + 1
    if 0xD800 <= following <= 0xDFFF:  # surrogates are no text: the next character is U+E000
        following = 0xE000
    return stem[:-1] + chr(following)


def _range_term(sql: Sql, column: str, prefix: str) -> str:
    """`column` starts with `prefix`, as a range an index can walk."""
    lower = f"{column} >= {sql.p(prefix)}"  # parameters bind in the order they are added
    end = _prefix_end(prefix)
    return lower if end is None else f"{lower} AND {column} < {sql.p(end)}"


def _order_name_terms(sql: Sql, text: str, prefix: str = "") -> str:
    """An order named `text` (#1001 or 1001, or its store order id); `150*` matches a prefix."""
    if text.endswith("*") and text.strip("#*"):
        named = "#" + text.strip("#*")
        return f"({_range_term(sql, f'{prefix}name', named)})"
    bare = text.lstrip("#")
    return (
        f"({prefix}name = {sql.p(text)} OR {prefix}name = {sql.p('#' + bare)} "
        f"OR {prefix}store_order_id = {sql.p(bare)})"
    )


def _email_term(sql: Sql, email: str, prefix: str = "") -> str:
    column = f"lower({prefix}customer_email)"
    if sql.d.is_sqlite:
        return _range_term(sql, column, email)
    return f"{column} LIKE {sql.p(_like_escape(email) + '%')}"


def _order_ids_where(sql: Sql, r: Resolved) -> list[str]:
    """Conditions on the order, as `i.order_id IN (...)`: the order table's own indexes drive."""
    conds: list[str] = []
    for text in r.orders:
        conds.append(f'i.order_id IN (SELECT id FROM "order" WHERE {_order_name_terms(sql, text)})')
    for email in r.emails:
        conds.append(f'i.order_id IN (SELECT id FROM "order" WHERE {_email_term(sql, email)})')
    if r.sources is not None:
        conds.append(
            f'i.order_id IN (SELECT id FROM "order" WHERE lower(source) IN ({sql.many(r.sources)}))'
        )
    if r.payments is not None:
        conds.append(
            f'i.order_id IN (SELECT id FROM "order" WHERE payment_status IN '
            f"({sql.many(r.payments)}))"
        )
    if r.test != "show":
        tests = f'SELECT id FROM "order" WHERE test = {sql.p(sql.d.flag(True))}'
        conds.append(f"i.order_id {'IN' if r.test == 'only' else 'NOT IN'} ({tests})")
    return conds


def _title_term(sql: Sql, title: str, *, per_row: bool) -> str:
    if not sql.d.is_sqlite:
        return f"i.title ILIKE {sql.p('%' + _like_escape(title) + '%')} ESCAPE '\\'"
    if per_row:
        return f"podtui_contains(i.title, {sql.p(title.lower())})"
    if len(title) >= 3:
        phrase = '"' + title.replace('"', '""') + '"'
        return (
            "i.id IN (SELECT rowid FROM order_item_title "
            f"WHERE order_item_title MATCH {sql.p(phrase)})"
        )
    return f"podtui_contains(i.title, {sql.p(title.lower())})"


# The order's searched columns as one text, a unit separator between fields so that no match
# spans two of them. PostgreSQL's trigram index is on this expression (migration 0017 writes
# it out: keep the two in step, the planner matches the expression itself).
ORDER_TEXT_COLUMNS = (
    "name",
    "number",
    "store_order_id",
    "customer_name",
    "customer_email",
    "ship_city",
)


def order_text(prefix: str = "") -> str:
    return "(" + " || E'\\x1f' || ".join(prefix + c for c in ORDER_TEXT_COLUMNS) + ")"


def _search_term(sql: Sql, word: str, *, per_row: bool) -> str:
    """A bare word: in the order's name, number, customer, e-mail or city, the item's SKU or
    title, or a parcel's tracking number; any part, any case.

    Per row (`i` joined to `o`) it checks the row's own columns; otherwise it is the set of
    matching item ids, read from the search indexes (SQLite's FTS5 trigram tables, PostgreSQL's
    pg_trgm indexes): few matches are then found without reading every row.
    """
    if not sql.d.is_sqlite:
        pattern = "%" + _like_escape(word) + "%"

        def like(column: str) -> str:
            return f"{column} ILIKE {sql.p(pattern)} ESCAPE '\\'"

        if per_row:
            return (
                f"({like('i.title')} OR {like('i.sku')} OR {like(order_text('o.'))} OR EXISTS "
                "(SELECT 1 FROM shipment s WHERE s.order_id = i.order_id "
                f"AND {like('s.tracking_number')}))"
            )
        return (
            f"i.id IN (SELECT x.id FROM order_item x WHERE {like('x.title')} OR {like('x.sku')} "
            "UNION SELECT x.id FROM order_item x WHERE x.order_id IN "
            f'(SELECT id FROM "order" WHERE {like(order_text())}) '
            "UNION SELECT x.id FROM order_item x WHERE x.order_id IN "
            f"(SELECT order_id FROM shipment WHERE {like('tracking_number')}))"
        )
    needle = word.lower()
    if per_row:
        order_columns = ", ".join("o." + c for c in ORDER_TEXT_COLUMNS)
        return (
            f"(podtui_search({sql.p(needle)}, i.title, i.sku, {order_columns}) OR EXISTS "
            "(SELECT 1 FROM shipment s WHERE s.order_id = i.order_id "
            f"AND podtui_contains(s.tracking_number, {sql.p(needle)})))"
        )
    if len(word) < 3:  # below the trigram's size: checked on every row
        order_columns = ", ".join("y." + c for c in ORDER_TEXT_COLUMNS)
        return (
            f"(podtui_search({sql.p(needle)}, i.title, i.sku) OR i.order_id IN "
            f'(SELECT y.id FROM "order" y WHERE podtui_search({sql.p(needle)}, {order_columns})) '
            "OR i.order_id IN (SELECT s.order_id FROM shipment s "
            f"WHERE podtui_contains(s.tracking_number, {sql.p(needle)})))"
        )

    def match(table: str) -> str:
        return f"SELECT rowid FROM {table} WHERE {table} MATCH {sql.p(phrase)}"

    phrase = '"' + word.replace('"', '""') + '"'
    return (
        f"i.id IN ({match('order_item_title')} UNION {match('order_item_sku')} "
        f"UNION SELECT x.id FROM order_item x WHERE x.order_id IN ({match('order_text')}) "
        "UNION SELECT x.id FROM order_item x WHERE x.order_id IN (SELECT s.order_id FROM "
        f"shipment s WHERE s.id IN ({match('shipment_tracking')})))"
    )


def indexed_where(sql: Sql, r: Resolved) -> list[str]:
    """Conditions on order_item's own indexed columns."""
    conds: list[str] = []
    if r.archived != "show":
        conds.append(f"i.archived = {sql.p(sql.d.flag(r.archived == 'only'))}")
    if r.unmanaged != "show":
        conds.append(f"i.managed = {sql.p(sql.d.flag(r.unmanaged == 'hide'))}")
    if r.statuses is not None:
        if len(r.statuses) == 1:
            conds.append(f"i.status = {sql.p(r.statuses[0])}")
        else:
            conds.append(f"i.status IN ({sql.many(r.statuses)})")
    if r.vendor_ids is not None:
        conds.append(f"i.vendor_id IN ({sql.many(r.vendor_ids)})")
    if r.no_vendor:
        conds.append("i.vendor_id IS NULL")
    if r.store_ids is not None:
        conds.append(f"i.store_id IN ({sql.many(r.store_ids)})")
    if r.created_from is not None:
        conds.append(f"i.order_created_at >= {sql.p(sql.d.ts(r.created_from))}")
    if r.created_to is not None:
        conds.append(f"i.order_created_at < {sql.p(sql.d.ts(r.created_to))}")
    if r.item_ids is not None:
        conds.append(sql.in_ids("i.id", r.item_ids))
    return conds


def has_row_checks(r: Resolved) -> bool:
    """Whether the filter has conditions an index walk can check row by row (title, order...)."""
    return bool(
        r.titles
        or r.words
        or r.emails
        or r.sources is not None
        or r.payments is not None
        or r.test != "show"
    )


def item_where(sql: Sql, r: Resolved) -> str:
    """The WHERE condition (on `order_item AS i`) that selects the filter's items."""
    if r.impossible:
        return "1 = 0"
    conds = indexed_where(sql, r)
    conds.extend(_title_term(sql, title, per_row=False) for title in r.titles)
    conds.extend(_search_term(sql, word, per_row=False) for word in r.words)
    conds.extend(_order_ids_where(sql, r))
    return " AND ".join(conds) or "1 = 1"


def row_checks(sql: Sql, r: Resolved) -> str:
    """The filter's title/e-mail/source/order conditions checked on each row (`i` joined to `o`)."""
    conds = [_title_term(sql, title, per_row=True) for title in r.titles]
    conds.extend(_search_term(sql, word, per_row=True) for word in r.words)
    conds.extend(_order_name_terms(sql, text, "o.") for text in r.orders)
    conds.extend(_email_term(sql, email, "o.") for email in r.emails)
    if r.sources is not None:
        conds.append(f"lower(o.source) IN ({sql.many(r.sources)})")
    if r.payments is not None:
        conds.append(f"o.payment_status IN ({sql.many(r.payments)})")
    if r.test != "show":
        conds.append(f"o.test = {sql.p(sql.d.flag(r.test == 'only'))}")
    return " AND ".join(conds) or "1 = 1"


# ---------------------------------------------------------------------------------------------
# Marks


@dataclass
class MarkSet:
    """The marked items: explicit ids, or everything a resolved filter matches minus exclusions.

    `*` stores the filter, not its million ids; a bulk action resolves ids in chunks when it runs.
    """

    base: Resolved | None = None
    excluded: set[int] = field(default_factory=set)
    included: set[int] = field(default_factory=set)

    @property
    def is_empty(self) -> bool:
        return self.base is None and not self.included

    def is_marked(self, item_id: int, in_base: bool) -> bool:
        if item_id in self.included:
            return True
        return self.base is not None and in_base and item_id not in self.excluded

    def set(self, item_id: int, in_base: bool, marked: bool) -> None:
        if marked:
            self.excluded.discard(item_id)
            if not (self.base is not None and in_base):
                self.included.add(item_id)
        else:
            self.included.discard(item_id)
            if self.base is not None and in_base:
                self.excluded.add(item_id)

    def mark_all(self, base: Resolved) -> None:
        self.base = base.without_sort()
        self.excluded.clear()

    def clear(self) -> None:
        self.base = None
        self.excluded.clear()
        self.included.clear()

    def copy(self) -> MarkSet:
        return MarkSet(self.base, set(self.excluded), set(self.included))

    def count_hint(self, base_count: int | None) -> int:
        """A count good enough to show at once; SQL gives the exact one a moment later."""
        if self.base is None:
            return len(self.included)
        return max(0, (base_count or 0) - len(self.excluded)) + len(self.included)


def marks_where(sql: Sql, marks: MarkSet) -> str:
    """The WHERE condition (on `order_item AS i`) that selects the marked items."""
    parts: list[str] = []
    if marks.base is not None:
        base = item_where(sql, marks.base)
        if marks.excluded:
            base = f"{base} AND {sql.in_ids('i.id', sorted(marks.excluded), negate=True)}"
        parts.append(f"({base})")
    if marks.included:
        parts.append(sql.in_ids("i.id", sorted(marks.included)))
    return " OR ".join(parts) or "1 = 0"


# ---------------------------------------------------------------------------------------------
# Windows


@dataclass(slots=True)
class ListRow:
    """One row of the list: an item, or an order with its matching items."""

    key: tuple[Any, ...]  # the raw sort-key values, handed back for keyset paging
    order_id: int
    item_ids: tuple[int, ...]
    base_ids: frozenset[int]  # which of item_ids the marks' base filter matches
    order_name: str
    created_at: datetime
    title: str
    variant: str
    quantity: int
    status: ItemStatus | None  # per-order rows carry a derived order status in status_text
    status_text: str
    customer: str
    place: str
    total: str
    currency: str
    payment_method: str
    vendor_id: int | None
    vendor: str
    source: str
    submit: str  # "Submitted", "Failed" or ""
    auto_submit_at: datetime | None
    version: int
    archived: bool
    test: bool = False  # a test order at the store
    store_id: int | None = None
    late_at: datetime | None = None  # when it is past its store's promised turnaround, if open

    @property
    def item_id(self) -> int | None:
        return self.item_ids[0] if len(self.item_ids) == 1 else None


FetchKind = Literal["first", "after", "before", "last", "offset", "at"]


@dataclass(frozen=True)
class WindowRequest:
    """Which rows to fetch: from the start, after/before/at a row's key, the end, or an offset."""

    kind: FetchKind
    limit: int
    key: tuple[Any, ...] | None = None
    offset: int = 0


# "{total}" is the order's total as a number, written per dialect (total_sql). Sorts by a rank
# no index holds (status in workflow order, vendor by name, due time) are read in segments
# (services/listing/ranked.py), each segment by creation time; their rows here are a fallback.
_SORT_COLUMNS: dict[SortKey, tuple[str, ...]] = {
    "created": ("i.order_created_at", "i.id"),
    "order": ("o.name", "o.id", "i.id"),
    "status": ("i.status", "i.order_created_at", "i.id"),
    "payment": ("o.payment_status", "o.created_at", "o.id", "i.id"),
    "fulfillment": ("o.store_fulfillment_status", "o.created_at", "o.id", "i.id"),
    "total": ("{total}", "o.created_at", "o.id", "i.id"),
    "customer": ("lower(o.customer_name)", "o.created_at", "o.id", "i.id"),
    "vendor": ("i.order_created_at", "i.id"),
    "due": ("i.order_created_at", "i.id"),
}
_ORDER_SORT_COLUMNS: dict[SortKey, tuple[str, ...]] = {
    "created": ("o.created_at", "o.id"),
    "order": ("o.name", "o.id"),
    # An order's status is derived, its items may go to several vendors, and their due times
    # differ: one row per order sorts by time instead.
    "status": ("o.created_at", "o.id"),
    "vendor": ("o.created_at", "o.id"),
    "due": ("o.created_at", "o.id"),
    "payment": ("o.payment_status", "o.created_at", "o.id"),
    "fulfillment": ("o.store_fulfillment_status", "o.created_at", "o.id"),
    "total": ("{total}", "o.created_at", "o.id"),
    "customer": ("lower(o.customer_name)", "o.created_at", "o.id"),
}
RANKED_SORTS = ("status", "vendor", "due")  # read in segments, one row per item only


def total_sql(d: Dialect, prefix: str = "o.") -> str:
    """The order's total as a number (migration 0018 indexes the same expression).

    SQLite reads any text as a number; PostgreSQL would refuse text that is not one, so a
    total that is not a plain decimal counts as 0 there.
    """
    if d.is_sqlite:
        return f"CAST({prefix}total AS REAL)"
    return (
        f"(CASE WHEN {prefix}total ~ '^-?[0-9]+(\\.[0-9]+)?$' "
        f"THEN CAST({prefix}total AS numeric) ELSE 0 END)"
    )


def sort_columns(d: Dialect, sort: SortKey, per_order: bool) -> tuple[str, ...]:
    columns = (_ORDER_SORT_COLUMNS if per_order else _SORT_COLUMNS)[sort]
    return tuple(total_sql(d) if c == "{total}" else c for c in columns)


ITEM_COLUMNS = (
    "i.id, i.order_id, i.title, i.variant_title, i.quantity, i.status, i.vendor_id, "
    "i.submitted_at, i.auto_submit_at, i.order_created_at, i.version, i.archived"
)
ORDER_COLUMNS = (
    "o.name, o.customer_name, o.ship_city, o.ship_state, o.ship_country, o.total, "
    "o.currency, o.payment_method, o.source, o.test, o.store_id"
)
# Items still owed to the customer: past the store's promised turnaround, they are late.
OPEN_STATUSES: tuple[ItemStatus, ...] = tuple(
    s
    for s in ItemStatus
    if s not in (ItemStatus.FULFILLED, ItemStatus.CANCELED, ItemStatus.IGNORED)
)


def _keyset(
    sql: Sql, columns: Sequence[str], key: Sequence[Any], after: bool, inclusive: bool
) -> str:
    op = (">" if after else "<") + ("=" if inclusive else "")
    return f"({', '.join(columns)}) {op} ({sql.many(key)})"


WALK_ROWS = 4000  # rows of the sort index a window may walk, checking each, before it drives


ORDER_SORTS = ("order", "payment", "fulfillment", "total", "customer")  # by an order's column


def can_walk(r: Resolved, req: WindowRequest) -> bool:
    """Whether a window should first walk the sort order, checking rows one by one.

    A title, e-mail prefix or source that matches many rows is found fastest by walking the
    sort order and checking each row; one that matches few is found fastest from its own
    index. A sort by an order column is walked through the order table's index, whatever
    the filter. The walk is bounded (WALK_ROWS); when it falls short the window is driven
    from the matches instead. A named order is always few, so it always drives.
    """
    narrowed = (
        r.statuses is not None
        or r.vendor_ids is not None
        or r.store_ids is not None
        or r.created_from is not None
    )
    if r.orders or r.impossible or req.kind == "offset":
        return False
    if r.per_order:
        return has_row_checks(r) or narrowed
    return has_row_checks(r) or (r.sort in ORDER_SORTS and narrowed)


def window_sql(
    d: Dialect,
    r: Resolved,
    req: WindowRequest,
    marks_base: Resolved | None,
    *,
    walk: bool = False,
    walk_rows: int = 0,
) -> tuple[str, list[Any], bool]:
    """The SELECT for one window; returns (sql, params, reversed) — reversed rows need flipping.

    With `walk`, the window looks only at the next WALK_ROWS rows of the sort order (see
    `can_walk`); fewer rows than asked then means "not found in the walk", not "the end".
    """
    sql = Sql(d)
    per_order = r.per_order
    columns = sort_columns(d, r.sort, per_order)
    # Walking "before" a key or from the end reads the index backwards, then flips the rows.
    backwards = req.kind in ("before", "last")
    descending = r.descending != backwards
    order_by = ", ".join(c + (" DESC" if descending else "") for c in columns)
    select_keys = ", ".join(columns)
    after = (req.kind != "before") != r.descending
    if per_order:
        if walk:
            # The next WALK_ROWS orders in sort order, each checked for a matching item.
            inner = []
            if r.archived != "show":
                inner.append(f"o.archived = {sql.p(d.flag(r.archived == 'only'))}")
            if req.kind in ("after", "before", "at") and req.key is not None:
                inner.append(_keyset(sql, columns, req.key, after, inclusive=req.kind == "at"))
            walked = (
                f'SELECT o.id FROM "order" o WHERE {" AND ".join(inner) or "1 = 1"} '
                f"ORDER BY {order_by} LIMIT {sql.p(walk_rows or WALK_ROWS)}"
            )
            checks = " AND ".join([*indexed_where(sql, r), row_checks(sql, r)])
            where = [
                f"o.id IN ({walked})",
                f"EXISTS (SELECT 1 FROM order_item i WHERE i.order_id = o.id AND {checks})",
            ]
        elif can_walk(r, replace(req, kind="first")):
            # Driven from the matching items: few of them, anywhere in the order table.
            where = [f"o.id IN (SELECT i.order_id FROM order_item i WHERE {item_where(sql, r)})"]
        else:
            where = [
                "EXISTS (SELECT 1 FROM order_item i "
                f"WHERE i.order_id = o.id AND {item_where(sql, r)})"
            ]
        if r.created_from is not None:
            where.append(f"o.created_at >= {sql.p(d.ts(r.created_from))}")
        if r.created_to is not None:
            where.append(f"o.created_at < {sql.p(d.ts(r.created_to))}")
        if r.archived != "show":
            where.append(f"o.archived = {sql.p(d.flag(r.archived == 'only'))}")
        head = f'SELECT o.id, o.created_at, {select_keys} FROM "order" o'
    else:
        base_col = ""
        if marks_base is not None:
            base_col = f", CASE WHEN ({item_where(sql, marks_base)}) THEN 1 ELSE 0 END"
        head = (
            f"SELECT {ITEM_COLUMNS}, {ORDER_COLUMNS}{base_col}, {select_keys} "
            'FROM order_item i JOIN "order" o ON o.id = i.order_id'
        )
        if walk and r.sort in ORDER_SORTS:
            # Walk the orders in their index order, a bounded number, and join their items.
            order_columns = columns[:-1]  # the order's part of the sort key
            inner = []
            if r.archived != "show":
                inner.append(f"o.archived = {sql.p(d.flag(r.archived == 'only'))}")
            if req.kind in ("after", "before", "at") and req.key is not None:
                # The boundary order may have items left past the key: include it.
                inner.append(_keyset(sql, order_columns, req.key[:-1], after, inclusive=True))
            order_by_orders = ", ".join(c + (" DESC" if descending else "") for c in order_columns)
            walked = (
                f'SELECT o.id FROM "order" o WHERE {" AND ".join(inner) or "1 = 1"} '
                f"ORDER BY {order_by_orders} LIMIT {sql.p(walk_rows or WALK_ROWS)}"
            )
            where = [f"o.id IN ({walked})", *indexed_where(sql, r), row_checks(sql, r)]
            if req.kind in ("after", "before", "at") and req.key is not None:
                where.append(_keyset(sql, columns, req.key, after, inclusive=req.kind == "at"))
            # SQLite: CROSS JOIN pins the join order (orders first, walked by their index);
            # PostgreSQL has no CROSS JOIN ... ON and picks the order itself.
            pinned = "CROSS JOIN" if d.is_sqlite else "JOIN"
            head = head.replace(
                'FROM order_item i JOIN "order" o ON o.id = i.order_id',
                f'FROM "order" o {pinned} order_item i ON i.order_id = o.id',
            )
            text = (
                f"{head} WHERE {' AND '.join(where)} ORDER BY {order_by} LIMIT {sql.p(req.limit)}"
            )
            return text, sql.params, backwards
        if walk:
            inner = indexed_where(sql, r)
            if req.kind in ("after", "before", "at") and req.key is not None:
                inner.append(_keyset(sql, columns, req.key, after, inclusive=req.kind == "at"))
            join = ' JOIN "order" o ON o.id = i.order_id' if "o." in select_keys else ""
            walked = (
                f"SELECT i.id FROM order_item i{join} WHERE {' AND '.join(inner) or '1 = 1'} "
                f"ORDER BY {order_by} LIMIT {sql.p(walk_rows or WALK_ROWS)}"
            )
            where = [f"i.id IN ({walked})", row_checks(sql, r)]
            text = (
                f"{head} WHERE {' AND '.join(where)} ORDER BY {order_by} LIMIT {sql.p(req.limit)}"
            )
            return text, sql.params, backwards
        where = [item_where(sql, r)]
    if req.kind in ("after", "before", "at") and req.key is not None:
        where.append(_keyset(sql, columns, req.key, after, inclusive=req.kind == "at"))
    text = f"{head} WHERE {' AND '.join(where)} ORDER BY {order_by} LIMIT {sql.p(req.limit)}"
    if req.kind == "offset" and req.offset:
        text += f" OFFSET {sql.p(req.offset)}"
    return text, sql.params, backwards


def due_offset_sql(
    d: Dialect,
    r: Resolved,
    days: Sequence[tuple[int, float]],
    offset: int,
    limit: int,
    marks_base: Resolved | None,
) -> tuple[str, list[Any]]:
    """Items `offset` on, sorted by due time (creation time plus their store's promised days).

    No index holds that order across stores promising different days: this sorts every
    match, so only a jump deep into a due-time sort asks for it (paging merges indexed
    windows instead, services/listing/ranked.py).
    """
    sql = Sql(d)
    base_col = ""
    if marks_base is not None:
        base_col = f", CASE WHEN ({item_where(sql, marks_base)}) THEN 1 ELSE 0 END"
    where = item_where(sql, r)
    cases = " ".join(f"WHEN {sql.p(store_id)} THEN {sql.p(n)}" for store_id, n in days)
    shift = f"CASE i.store_id {cases} ELSE 0 END"
    if d.is_sqlite:
        due = f"julianday(i.order_created_at) + {shift}"
    else:
        due = f"i.order_created_at + CAST({shift} AS double precision) * interval '1 day'"
    way = " DESC" if r.descending else ""
    text = (
        f"SELECT {ITEM_COLUMNS}, {ORDER_COLUMNS}{base_col}, i.order_created_at, i.id "
        f'FROM order_item i JOIN "order" o ON o.id = i.order_id WHERE {where} '
        f"ORDER BY {due}{way}, i.id{way} LIMIT {sql.p(limit)} OFFSET {sql.p(offset)}"
    )
    return text, sql.params


def _count_source(d: Dialect, r: Resolved) -> str:
    """Where a count reads from: every item condition is in ix_item_list_status, so a count
    on those alone is one scan of that covering index; the planner, not knowing how narrow a
    created range is, would otherwise pick an index and read the table row by row."""
    if d.is_sqlite and not (has_row_checks(r) or r.orders or r.item_ids is not None):
        return "order_item i INDEXED BY ix_item_list_status"
    return "order_item i"


def count_sql(d: Dialect, r: Resolved) -> tuple[str, list[Any]]:
    """How many rows the list has: items, or orders in one-row-per-order mode."""
    sql = Sql(d)
    what = "count(DISTINCT i.order_id)" if r.per_order else "count(*)"
    if r.per_order:
        return f"SELECT {what} FROM order_item i WHERE {item_where(sql, r)}", sql.params
    return f"SELECT {what} FROM {_count_source(d, r)} WHERE {item_where(sql, r)}", sql.params


def status_counts_sql(d: Dialect, r: Resolved) -> tuple[str, list[Any]]:
    """Items per status under the filter (the status tabs read these): (status, count) rows,
    one status possibly over several rows. Grouped in the covering index's own order, so the
    count streams instead of sorting a million keys in memory."""
    sql = Sql(d)
    return (
        f"SELECT i.status, count(*) FROM {_count_source(d, r)} WHERE {item_where(sql, r)} "
        "GROUP BY i.archived, i.managed, i.status",
        sql.params,
    )


def late_counts_sql(
    d: Dialect, r: Resolved, late_before: Sequence[tuple[int, datetime]]
) -> tuple[str, list[Any]]:
    """Late items per status under the filter: created before their store's cutoff in
    `late_before` ((store id, cutoff) pairs). The planner picks the index: the store's
    creation-time index reads only the late rows of each store, and the tab counts' covering
    index (which holds the store and the creation time too) serves a filter by status or
    vendor; `r` should name the open statuses. (A sum over the tab counts' own read would
    check every row: twice the count's time on an unfiltered list.)"""
    sql = Sql(d)
    where = item_where(sql, r)  # parameters in the order the text names them
    past = " OR ".join(
        f"(i.store_id = {sql.p(store_id)} AND i.order_created_at < {sql.p(d.ts(cutoff))})"
        for store_id, cutoff in late_before
    )
    return (
        f"SELECT i.status, count(*) FROM order_item i WHERE {where} AND ({past}) GROUP BY i.status",
        sql.params,
    )


def marks_count_sql(d: Dialect, marks: MarkSet) -> tuple[str, list[Any]]:
    sql = Sql(d)
    return f"SELECT count(*) FROM order_item i WHERE {marks_where(sql, marks)}", sql.params


def parse_ts(value: Any) -> datetime:
    """A datetime column as an aware UTC datetime, whichever form the driver returned."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def submit_text(status: ItemStatus, submitted_at: Any) -> str:
    if status is ItemStatus.FAILED:
        return "Failed"
    return "Submitted" if submitted_at is not None else ""


def place_text(city: str, state: str, country: str) -> str:
    return ", ".join(part for part in (city, state, country) if part)
