"""Routing rules as data: what a rule matches, and which of the ordered rules takes an item.

A rule's terms narrow by SKU (a glob), product title and the store's product type (each a glob, or
words it contains), store and destination country; an empty term matches anything. Rules are tried
in order and the first that matches takes the item. Items with a mapping of their own never reach
the rules (the services leave them out): an explicit mapping always wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import TypeVar

from podtui.domain.countries import ISO_CODES

K = TypeVar("K")

# How a rule approves the items it routes.
APPROVE_MANUAL = "manual"  # they wait for an operator's look
APPROVE_AUTO = "auto"  # approved at once: a render is queued
APPROVE_NO_FIELDS = "no_fields"  # approved at once when the artwork takes no personalization
APPROVE_MODES = (APPROVE_MANUAL, APPROVE_AUTO, APPROVE_NO_FIELDS)
_WILD = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class RuleTerms:
    """What a rule matches; an empty term matches anything."""

    sku: str = ""
    title: str = ""
    store_id: int | None = None
    countries: tuple[str, ...] = ()
    product_type: str = ""

    def describe(self, store_name: str = "") -> str:
        bits = []
        if self.sku:
            bits.append(f"SKU {self.sku}")
        if self.title:
            bits.append(f"title {self.title}")
        if self.product_type:
            bits.append(f"type {self.product_type}")
        if self.store_id is not None:
            bits.append(f"store {store_name or self.store_id}")
        if self.countries:
            bits.append("to " + ", ".join(self.countries))
        return " · ".join(bits) or "every unmapped item"


@dataclass(frozen=True)
class ItemFacts:
    """What the rules look at on an item."""

    sku: str
    title: str
    store_id: int
    country: str
    product_type: str = ""


def _glob(pattern: str, text: str) -> bool:
    return fnmatchcase(text.casefold(), pattern.casefold())


def _words_or_glob(pattern: str, text: str) -> bool:
    if _WILD.search(pattern):
        return _glob(pattern, text)
    return pattern.casefold() in text.casefold()


def matches(terms: RuleTerms, facts: ItemFacts) -> bool:
    """Whether every term of the rule holds for the item."""
    if terms.sku and not _glob(terms.sku, facts.sku):
        return False
    if terms.title and not _words_or_glob(terms.title, facts.title):
        return False
    if terms.product_type and not _words_or_glob(terms.product_type, facts.product_type):
        return False
    if terms.store_id is not None and terms.store_id != facts.store_id:
        return False
    countries = {c.upper() for c in terms.countries}
    return not countries or facts.country.upper() in countries


def first_match(rules: Iterable[tuple[K, RuleTerms]], facts: ItemFacts) -> K | None:
    """The key of the first rule (in order) that matches the item, or None."""
    for key, terms in rules:
        if matches(terms, facts):
            return key
    return None


def terms_problems(terms: RuleTerms) -> dict[str, str]:
    """A problem per term that cannot work: a broken glob, a country that is not a code."""
    problems: dict[str, str] = {}
    for name in ("sku", "title", "product_type"):
        pattern = getattr(terms, name)
        if pattern.count("[") > pattern.count("]"):
            problems[name] = f"{pattern!r} has an unclosed ["
    for code in terms.countries:
        if code.upper() not in ISO_CODES:
            problems["countries"] = f"{code!r} is not a two-letter country code (US, DE ...)"
    return problems


def parse_countries(text: str) -> tuple[str, ...]:
    """'us, de ca' -> ('US', 'DE', 'CA')."""
    return tuple(dict.fromkeys(c.upper() for c in re.split(r"[\s,;]+", text) if c))
