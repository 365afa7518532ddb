"""Which vendor variant a store variant is: options compared as an operator would read them.

A store says "Extra Large / Gray" or "11 oz", the vendor "Sport Grey / XL" or "11oz". Both sides
are brought to one spelling first: sizes to their short names (extra large -> xl, xx-large and
xxl -> 2xl), British and American spellings to one (grey -> gray), and amounts glued to their
unit (11 oz -> 11oz). A vendor variant fits when every one of its option values is found, as a
run of whole words, in the store's text. The suggestion is the one fitting variant; when several
fit, the one that matched the most words, and no suggestion if that is still a tie. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Longest phrases first, so "extra extra large" is not read as "extra" + "xl".
_SIZES = (
    ("extra extra extra large", "3xl"),
    ("extra extra large", "2xl"),
    ("extra large", "xl"),
    ("extra small", "xs"),
    ("x large", "xl"),
    ("x small", "xs"),
    ("xxx large", "3xl"),
    ("xx large", "2xl"),
    ("2x large", "2xl"),
    ("3x large", "3xl"),
    ("4x large", "4xl"),
    ("5x large", "5xl"),
    ("one size fits all", "onesize"),
    ("one size", "onesize"),
)
_WORDS = {
    "xxxxxl": "5xl",
    "xxxxl": "4xl",
    "xxxl": "3xl",
    "xxl": "2xl",
    "xlarge": "xl",
    "xsmall": "xs",
    "small": "s",
    "medium": "m",
    "med": "m",
    "large": "l",
    "grey": "gray",
    "heathered": "heather",
    "colour": "color",
    "os": "onesize",
}
_UNITS = r"oz|ml|in|cm|mm|pcs|pc"


def words(text: str) -> tuple[str, ...]:
    """`text` as the words a match compares: one spelling for sizes, colours and amounts."""
    t = text.casefold()
    t = re.sub(r"[\u2033\u201d\"]", " in ", t)  # 11″ x 14″ -> 11 in x 14 in
    t = re.sub(r"(\d)\s*[x\u00d7]\s*(\d)", r"\1 x \2", t)
    t = re.sub(r"[^\w.]+|_", " ", t)
    t = re.sub(r"\bounces?\b", "oz", re.sub(r"\binch(?:es)?\b", "in", t))
    t = re.sub(r"(?<!\w)(\d+(?:\.\d+)?)\s+(" + _UNITS + r")(?!\w)", r"\1\2", t)
    t = f" {' '.join(t.split())} "
    for phrase, short in _SIZES:
        t = t.replace(f" {phrase} ", f" {short} ")
    out = [_WORDS.get(w, w) for w in t.split()]
    return tuple(w.rstrip(".") for w in out if w.rstrip("."))


def _found(needle: tuple[str, ...], haystack: tuple[str, ...]) -> bool:
    n = len(needle)
    return n > 0 and any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


@dataclass(frozen=True)
class Candidate:
    """A vendor variant to choose from: its id, title and option values."""

    id: int
    title: str
    options: Mapping[str, str]


@dataclass(frozen=True)
class Suggestion:
    """The vendor variant a store variant most likely is, or why there is none (`id` None)."""

    id: int | None
    title: str = ""
    why: str = ""


def suggest(store_text: str, candidates: Iterable[Candidate]) -> Suggestion:
    """The one candidate whose every option value is in `store_text`; else why not."""
    have = words(store_text)
    fits: list[tuple[int, Candidate]] = []
    for candidate in candidates:
        values = [words(v) for v in candidate.options.values() if str(v).strip()]
        if values and all(_found(v, have) for v in values):
            fits.append((sum(len(v) for v in values), candidate))
    if not fits:
        return Suggestion(None, why=f"no vendor variant has every option of {store_text!r}")
    fits.sort(key=lambda pair: -pair[0])
    best = [c for score, c in fits if score == fits[0][0]]
    if len(best) > 1:
        names = ", ".join(c.title for c in best[:4])
        return Suggestion(None, why=f"{len(best)} vendor variants fit {store_text!r}: {names}")
    return Suggestion(best[0].id, best[0].title)
