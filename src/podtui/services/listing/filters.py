"""The order list's filter language: `field:value` terms and plain words, parsed and printed.

`status:ready,failed vendor:printify created:7d "name necklace"` is a filter; the same text is
what the header shows and what a saved view stores in the config file. Parsing is pure (no
database): names of vendors and stores are matched later, when the query is resolved.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from podtui.domain.errors import ValidationError
from podtui.domain.payment import PAYMENT_STATUSES
from podtui.domain.status import ItemStatus

Visibility = Literal["hide", "show", "only"]
SortKey = Literal["created", "order", "status", "payment", "fulfillment"]

SORT_KEYS: tuple[SortKey, ...] = ("created", "order", "status", "payment", "fulfillment")
SORT_LABELS: dict[SortKey, str] = {
    "created": "created time",
    "order": "order name",
    "status": "status",
    "payment": "payment status",
    "fulfillment": "store fulfillment status",
}
DATE_PRESETS: dict[str, str] = {
    "today": "today",
    "7d": "last 7 days",
    "30d": "last 30 days",
    "90d": "last 90 days",
}
_PRESET_ALIASES = {"7": "7d", "30": "30d", "90": "90d", "week": "7d", "month": "30d"}

# field name -> the canonical field it means
FIELDS: dict[str, str] = {
    "order": "order",
    "o": "order",
    "name": "order",
    "title": "title",
    "t": "title",
    "product": "title",
    "email": "email",
    "e": "email",
    "vendor": "vendor",
    "v": "vendor",
    "status": "status",
    "s": "status",
    "source": "source",
    "type": "source",
    "payment": "payment",
    "pay": "payment",
    "store": "store",
    "created": "created",
    "date": "created",
    "d": "created",
    "age": "age",
    "unmanaged": "unmanaged",
    "archived": "archived",
    "test": "test",
    "sort": "sort",
}
FIELD_HELP: dict[str, str] = {
    "order": "order name or the store's order id (#1001, 1001)",
    "title": "product title, any part, any case (mug, 'name necklace')",
    "email": "customer e-mail, from its start (bob@, bob@example.com)",
    "vendor": "vendor name or kind, any part (printify, in-house)",
    "status": "item status, comma-separated (ready,failed; 'on hold' or on_hold)",
    "source": "order type/source (store, etsy, amazon)",
    "payment": (
        "the store's payment status, comma-separated (unpaid,pending; 'partially refunded')"
    ),
    "store": "store name, any part",
    "created": "today, 7d, 30d, 90d, 2026-01-01..2026-01-31, 2026-01-05, 2026-01-01..",
    "age": "the order's age: >3d older than 3 days, <12h newer than 12 hours (m, h, d, w)",
    "unmanaged": "items without a POD mapping: hide (default), show, only",
    "archived": "archived orders: hide (default), show, only",
    "test": "the store's test orders: show (default), hide, only",
    "sort": "created, order, status, payment, fulfillment; a leading - sorts descending",
}
_VISIBILITY = {
    "hide": "hide",
    "no": "hide",
    "false": "hide",
    "show": "show",
    "yes": "show",
    "true": "show",
    "all": "show",
    "only": "only",
}
_AGE = re.compile(r"^([<>])(\d+)([mhdw])$")
AGE_UNITS: dict[str, timedelta] = {
    "m": timedelta(minutes=1),
    "h": timedelta(hours=1),
    "d": timedelta(days=1),
    "w": timedelta(weeks=1),
}
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})?\.\.(\d{4}-\d{2}-\d{2})?$")


@dataclass(frozen=True)
class ListFilter:
    """What the operator asked the list to show; every field narrows (AND), values within OR."""

    words: tuple[str, ...] = ()
    order: str | None = None
    title: str | None = None
    email: str | None = None
    vendors: tuple[str, ...] = ()
    statuses: tuple[ItemStatus, ...] = ()
    sources: tuple[str, ...] = ()
    payments: tuple[str, ...] = ()  # payment status keys (domain/payment.py)
    stores: tuple[str, ...] = ()
    created: str | None = None  # a DATE_PRESETS key, "YYYY-MM-DD..YYYY-MM-DD" or one day
    ages: tuple[str, ...] = ()  # ">3d", "<12h": older or newer than that
    unmanaged: Visibility = "hide"
    archived: Visibility = "hide"
    test: Visibility = "show"
    sort: SortKey = "created"
    descending: bool = True

    @property
    def is_empty(self) -> bool:
        """Whether the filter narrows nothing (the default sort does not count)."""
        return self.without_sort() == ListFilter()

    def without_sort(self) -> ListFilter:
        return replace(self, sort="created", descending=True)

    def with_sort(self, key: SortKey, descending: bool) -> ListFilter:
        return replace(self, sort=key, descending=descending)

    def text(self) -> str:
        """The filter as the operator would type it (what the header shows and views store)."""
        return format_filter(self)


def _quote(value: str) -> str:
    if value and re.fullmatch(r"[^\s\"]+", value) and not value.startswith("'"):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def format_filter(f: ListFilter, *, include_sort: bool = True) -> str:
    """Print `f` back as filter text; parsing the result gives `f` again."""
    terms: list[str] = [_quote(w) for w in f.words]
    if f.order:
        terms.append(f"order:{_quote(f.order)}")
    if f.title:
        terms.append(f"title:{_quote(f.title)}")
    if f.email:
        terms.append(f"email:{_quote(f.email)}")
    if f.statuses:
        terms.append("status:" + ",".join(s.value for s in f.statuses))
    if f.vendors:
        terms.append("vendor:" + _quote(",".join(f.vendors)))
    if f.stores:
        terms.append("store:" + _quote(",".join(f.stores)))
    if f.sources:
        terms.append("source:" + _quote(",".join(f.sources)))
    if f.payments:
        terms.append("payment:" + ",".join(f.payments))
    if f.created:
        terms.append(f"created:{f.created}")
    terms.extend(f"age:{age}" for age in f.ages)
    if f.unmanaged != "hide":
        terms.append(f"unmanaged:{f.unmanaged}")
    if f.archived != "hide":
        terms.append(f"archived:{f.archived}")
    if f.test != "show":
        terms.append(f"test:{f.test}")
    if include_sort and (f.sort != "created" or not f.descending):
        terms.append(f"sort:{'-' if f.descending else ''}{f.sort}")
    return " ".join(terms)


def parse_status(value: str) -> ItemStatus:
    """An item status from its value, its label or an unambiguous start of either."""
    wanted = value.strip().lower().replace(" ", "_").replace("-", "_")
    for status in ItemStatus:
        if wanted in (status.value, status.value.replace("_", "")):
            return status
    matches = [s for s in ItemStatus if s.value.startswith(wanted) and wanted]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(s.value for s in ItemStatus)
    raise ValidationError(f"Unknown status {value!r}.", fields={"status": f"use one of: {known}"})


def parse_payment(value: str) -> str:
    """A payment status key from its key, its label or an unambiguous start of either."""
    wanted = value.strip().lower().replace(" ", "_").replace("-", "_")
    for status in PAYMENT_STATUSES:
        if wanted in (status.key, status.key.replace("_", "")):
            return status.key
    matches = [p.key for p in PAYMENT_STATUSES if p.key.startswith(wanted) and wanted]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(p.key for p in PAYMENT_STATUSES)
    raise ValidationError(
        f"Unknown payment status {value!r}.", fields={"payment": f"use one of: {known}"}
    )


def parse_created(value: str) -> str:
    """A created-date term in its canonical form; raises ValidationError when it is not one."""
    v = value.strip().lower()
    v = _PRESET_ALIASES.get(v, v)
    if v in DATE_PRESETS:
        return v
    m = _RANGE.match(v)
    try:
        if m:
            start, end = m.group(1), m.group(2)
            if not start and not end:
                raise ValueError
            if start and end and date.fromisoformat(start) > date.fromisoformat(end):
                raise ValidationError(
                    f"Date range {value!r} ends before it starts.",
                    fields={"created": "write the earlier date first"},
                )
            for part in (start, end):
                if part:
                    date.fromisoformat(part)
            return v
        date.fromisoformat(v)
        return v
    except ValueError:
        raise ValidationError(
            f"Cannot read the date {value!r}.", fields={"created": FIELD_HELP["created"]}
        ) from None


def parse_age(value: str) -> str:
    """An age term in its canonical form (">3d"); raises ValidationError when it is not one."""
    v = value.strip().lower()
    if not _AGE.match(v):
        raise ValidationError(f"Cannot read the age {value!r}.", fields={"age": FIELD_HELP["age"]})
    return v


def age_delta(term: str) -> timedelta:
    """How old an age term (">3d") says: 3 days."""
    found = _AGE.match(term)
    assert found is not None
    return int(found.group(2)) * AGE_UNITS[found.group(3)]


def _split_values(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _unsearchable(text: str) -> str | None:
    """The first character no search can hold (a lone surrogate, NUL or another control)."""
    for ch in text:
        if ch in "\t\n\r":
            continue
        if unicodedata.category(ch) in ("Cs", "Cc"):
            return ch
    return None


def _closes_apostrophe(text: str, at: int) -> bool:
    """Whether the apostrophe at `at` ends a quoted value: it is followed by a space or the end."""
    return at + 1 == len(text) or text[at + 1].isspace()


def _tokens(text: str) -> list[str]:
    """Split on spaces; "double quotes" group words, and so do 'single quotes' around a value.

    An apostrophe inside a word is a letter (O'Brien); a backslash escapes only a quote or a
    backslash inside double quotes, and is a letter everywhere else.
    """
    tokens: list[str] = []
    current: list[str] = []
    started = False  # a token has begun (it may be "" so far, as in "")
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            if started:
                tokens.append("".join(current))
                current, started = [], False
            i += 1
            continue
        so_far = "".join(current)
        at_value = not started or (so_far.endswith(":") and so_far.count(":") == 1)
        if ch == '"':
            i += 1
            while i < n and text[i] != '"':
                if text[i] == "\\" and i + 1 < n and text[i + 1] in '"\\':
                    i += 1
                current.append(text[i])
                i += 1
            if i >= n:
                raise ValidationError(
                    "Cannot read the filter: a double quote is not closed.",
                    fields={"filter": 'close it, as in title:"name necklace"'},
                )
            started = True
            i += 1
            continue
        if ch == "'" and at_value:
            end = next(
                (j for j in range(i + 1, n) if text[j] == "'" and _closes_apostrophe(text, j)), -1
            )
            if end > 0:
                current.extend(text[i + 1 : end])
                started = True
                i = end + 1
                continue
        current.append(ch)
        started = True
        i += 1
    if started:
        tokens.append("".join(current))
    return tokens


def parse_filter(text: str, base: ListFilter | None = None) -> ListFilter:
    """Parse filter text; `base` supplies the sort when the text has no sort term."""
    bad = _unsearchable(text)
    if bad is not None:
        raise ValidationError(
            f"The filter has a character that cannot be searched for (U+{ord(bad):04X}); "
            "remove it.",
            fields={"filter": "letters, digits, punctuation and spaces"},
        )
    values: dict[str, object] = {}
    words: list[str] = []
    for token in _tokens(text):
        if not token:
            continue  # "" asks for nothing
        name, sep, value = token.partition(":")
        canonical = FIELDS.get(name.lower()) if sep else None
        if canonical is None:
            if sep and re.fullmatch(r"[A-Za-z_]+", name) and not value.startswith("//"):
                known = ", ".join(sorted(set(FIELDS.values())))
                raise ValidationError(
                    f"Unknown filter field {name!r}.", fields={name: f"use one of: {known}"}
                )
            words.append(token)
            continue
        if not value.strip():
            raise ValidationError(
                f"{canonical}: needs a value.", fields={canonical: FIELD_HELP[canonical]}
            )
        if canonical in ("order", "title", "email"):
            values[canonical] = value.strip()
        elif canonical == "status":
            statuses = list(values.get("statuses", ()))  # type: ignore[call-overload]
            for part in _split_values(value):
                status = parse_status(part)
                if status not in statuses:
                    statuses.append(status)
            values["statuses"] = tuple(statuses)
        elif canonical == "payment":
            payments = list(values.get("payments", ()))  # type: ignore[call-overload]
            for part in _split_values(value):
                key = parse_payment(part)
                if key not in payments:
                    payments.append(key)
            values["payments"] = tuple(payments)
        elif canonical in ("vendor", "source", "store"):
            key = canonical + "s"
            values[key] = (*values.get(key, ()), *_split_values(value.lower()))  # type: ignore[misc]
        elif canonical == "created":
            values["created"] = parse_created(value)
        elif canonical == "age":
            ages = values.get("ages", ())
            values["ages"] = (*ages, parse_age(value))  # type: ignore[misc]
        elif canonical in ("unmanaged", "archived", "test"):
            visibility = _VISIBILITY.get(value.strip().lower())
            if visibility is None:
                raise ValidationError(
                    f"{canonical}: {value!r} is not hide, show or only.",
                    fields={canonical: FIELD_HELP[canonical]},
                )
            values[canonical] = visibility
        elif canonical == "sort":
            raw = value.strip().lower()
            descending = raw.startswith("-")
            key = raw.lstrip("-+")
            if key not in SORT_KEYS:
                raise ValidationError(
                    f"Cannot sort by {value!r}.", fields={"sort": FIELD_HELP["sort"]}
                )
            values["sort"] = key
            values["descending"] = descending
    if base is not None and "sort" not in values:
        values["sort"] = base.sort
        values["descending"] = base.descending
    return ListFilter(words=tuple(words), **values)  # type: ignore[arg-type]
