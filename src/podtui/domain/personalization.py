"""Personalization: store line-item payloads -> a template's fields, and checks before rendering.

Stores carry what the customer typed in different shapes:

- Shopify line-item `properties`: `[{"name": "Name", "value": "Anna"}]`
  (names starting with `_` are hidden from the customer but still data, e.g. an upload URL);
- WooCommerce line-item `meta_data`: `[{"id": 1, "key": "name", "value": "Anna",
  "display_key": "Name", "display_value": "Anna"}]` (the value may be a list or a dict when a
  plugin stores structured data; `display_value` may hold HTML);
- the order's free-text customer note, one `Field: value` per line.

Which store name means which template field is configurable in the `[personalization]` section of
the config file; every field also matches its own name and its label::

    [personalization]
    parse_note = true                 # read "Name: Anna" lines from the customer note
    [personalization.aliases]         # template field -> names the stores use for it
    name = ["Custom Engraving", "Your name", "_pname"]
    photo = ["_image_url", "Upload"]

Names are compared ignoring case, spaces, dashes, dots and underscores
("Your_Name" = "your name" = "YourName").
Then each value is checked against the template's field: required and empty, longer than the
field allows, or looking cut short by the store (ends in an ellipsis, contains U+FFFD from a
broken encoding, or exactly reaches the length limit configured for the store's input).
A required value is empty unless it has a visible glyph: zero-width spaces, joiners, soft
hyphens, byte-order marks and blank "filler" letters alone print nothing (`has_visible_text`).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from podtui.domain.errors import ValidationError
from podtui.domain.template import FieldSpec

# Code points categorised as letters or symbols that nevertheless draw nothing (Hangul fillers,
# the blank Braille pattern): used on purpose to make a name look typed when it is blank.
BLANK_GLYPHS = frozenset({0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800})

_NOTE_LINE = re.compile(r"^\s*([^:=\n]{1,60}?)\s*[:=]\s*(.*?)\s*$")
_TAG = re.compile(r"<[^>]+>")


def normalize_name(name: str) -> str:
    """The comparable form of a property name: casefolded, separators collapsed."""
    folded = unicodedata.normalize("NFKC", name).casefold().strip().lstrip("_")
    return re.sub(r"[\s_\-.]+", "", folded)


def is_visible(ch: str) -> bool:
    """Whether the character puts ink on a print by itself: a letter, number, punctuation mark
    or symbol. Spaces (Z*), controls and format characters (Cc, Cf: zero-width space, joiners,
    soft hyphen, BOM, direction marks), unassigned and private code points, combining marks
    with no base (M*, variation selectors) and the blank fillers do not."""
    return unicodedata.category(ch)[0] in "LNPS" and ord(ch) not in BLANK_GLYPHS


def has_visible_text(text: str) -> bool:
    """Whether `text` has at least one visible glyph (what "required" asks of a text field)."""
    return any(is_visible(ch) for ch in text)


def empty_message(label: str, value: str, needs: str = "the design needs it") -> str:
    """Why a value with no visible glyph counts as empty, naming what was there if not spaces."""
    hidden = [ch for ch in dict.fromkeys(value) if ch not in " \t\r\n"]
    if not hidden:
        return f"{label} is empty; {needs}"
    shown = ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".rstrip() for ch in hidden[:4])
    more = f" and {len(hidden) - 4} more" if len(hidden) > 4 else ""
    return f"{label} is empty: it holds only invisible characters ({shown}{more}); {needs}"


@dataclass(frozen=True)
class PersonalizationConfig:
    """The `[personalization]` config section, validated."""

    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    parse_note: bool = True
    input_limits: Mapping[str, int] = field(default_factory=dict)  # field -> store's maxlength

    @classmethod
    def from_section(cls, section: Mapping[str, Any] | None) -> PersonalizationConfig:
        """Validate the raw config section (cfg.extra["personalization"]); errors name the key."""
        section = dict(section or {})
        bad: dict[str, str] = {}
        known = {"aliases", "parse_note", "input_limits"}
        for key in section:
            if key not in known:
                bad[key] = f"unknown key (known: {', '.join(sorted(known))})"
        aliases: dict[str, tuple[str, ...]] = {}
        raw_aliases = section.get("aliases", {})
        if not isinstance(raw_aliases, dict):
            bad["aliases"] = "must be a table of field = [names]"
        else:
            for name, value in raw_aliases.items():
                if isinstance(value, str):
                    value = [value]
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    bad[f"aliases.{name}"] = "must be a name or a list of names"
                    continue
                aliases[name] = tuple(value)
        parse_note = section.get("parse_note", True)
        if not isinstance(parse_note, bool):
            bad["parse_note"] = "must be true or false"
        limits: dict[str, int] = {}
        raw_limits = section.get("input_limits", {})
        if not isinstance(raw_limits, dict):
            bad["input_limits"] = "must be a table of field = number"
        else:
            for name, value in raw_limits.items():
                if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                    bad[f"input_limits.{name}"] = "must be a positive whole number"
                else:
                    limits[name] = value
        if bad:
            raise ValidationError("[personalization] in the config file is not valid", bad)
        return cls(aliases=aliases, parse_note=bool(parse_note), input_limits=limits)


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """One name/value pair as the store sent it, and where it came from."""

    name: str
    value: str
    source: Literal["shopify", "woocommerce", "note"]


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return str(value)
    if isinstance(value, list):
        return ", ".join(_as_text(v) for v in value if v not in (None, ""))
    if isinstance(value, dict):
        # Upload plugins store {"url": ..., "name": ...}; the URL is what a photo slot needs.
        for key in ("url", "value", "src", "name"):
            if key in value:
                return _as_text(value[key])
    return ""


def entries_from_payload(raw: Iterable[Any]) -> list[SourceEntry]:
    """Name/value pairs from Shopify `properties` and/or WooCommerce `meta_data` entries."""
    out: list[SourceEntry] = []
    for entry in raw:
        if not isinstance(entry, dict):
            continue
        if "key" in entry:  # WooCommerce meta_data
            value = _as_text(entry.get("value"))
            if not value and entry.get("display_value") is not None:
                value = html.unescape(_TAG.sub("", _as_text(entry.get("display_value"))))
            out.append(SourceEntry(str(entry["key"]), value, "woocommerce"))
            display_key = entry.get("display_key")
            if isinstance(display_key, str) and display_key and display_key != entry["key"]:
                out.append(SourceEntry(display_key, value, "woocommerce"))
        elif "name" in entry:  # Shopify properties / note_attributes
            out.append(SourceEntry(str(entry["name"]), _as_text(entry.get("value")), "shopify"))
    return out


def entries_from_note(note: str) -> list[SourceEntry]:
    """`Field: value` (or `Field = value`) lines of a free-text customer note."""
    out = []
    for line in note.splitlines():
        match = _NOTE_LINE.match(line)
        if match and match.group(1).strip():
            out.append(SourceEntry(match.group(1), match.group(2), "note"))
    return out


@dataclass
class Parsed:
    """Template field values found in a payload, where each came from, and what was left over."""

    values: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # field -> "shopify: Your name"
    unmatched: dict[str, str] = field(default_factory=dict)  # store name -> value


def parse_personalization(
    fields: Sequence[FieldSpec],
    raw: Iterable[Any],
    note: str = "",
    config: PersonalizationConfig | None = None,
) -> Parsed:
    """Map the store's payload (and note) onto `fields`; line-item data wins over the note."""
    config = config or PersonalizationConfig()
    lookup: dict[str, str] = {}
    for spec in fields:
        names = (spec.name, spec.label, *config.aliases.get(spec.name, ()))
        for name in names:
            lookup.setdefault(normalize_name(name), spec.name)
    entries = entries_from_payload(raw)
    if config.parse_note and note:
        entries += entries_from_note(note)
    parsed = Parsed()
    for entry in entries:
        target = lookup.get(normalize_name(entry.name))
        if target is None:
            if not entry.name.startswith("_"):
                parsed.unmatched.setdefault(entry.name, entry.value)
            continue
        if target in parsed.values and parsed.values[target].strip():
            continue
        parsed.values[target] = entry.value
        parsed.sources[target] = f"{entry.source}: {entry.name}"
    return parsed


ProblemKind = Literal["empty", "too_long", "cut_short"]


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """Something wrong with one value; `blocking` problems put the item on hold."""

    field: str
    kind: ProblemKind
    message: str

    @property
    def blocking(self) -> bool:
        # "Cut short" is a guess: shown to the operator, but it does not stop the render.
        return self.kind != "cut_short"


def check_values(
    fields: Sequence[FieldSpec],
    values: Mapping[str, str],
    config: PersonalizationConfig | None = None,
) -> list[FieldProblem]:
    """Flag empty required values, values over the field's limit and values that look cut."""
    config = config or PersonalizationConfig()
    problems: list[FieldProblem] = []
    for spec in fields:
        value = values.get(spec.name, "")
        text = value.strip()
        if not text or (spec.kind == "text" and not has_visible_text(text)):
            if spec.required:
                problems.append(FieldProblem(spec.name, "empty", empty_message(spec.label, value)))
            continue
        if spec.kind != "text":
            continue
        length = len(unicodedata.normalize("NFC", text))
        if spec.max_chars is not None and length > spec.max_chars:
            problems.append(
                FieldProblem(
                    spec.name,
                    "too_long",
                    f"{spec.label} has {length} characters; at most {spec.max_chars} fit",
                )
            )
        limit = config.input_limits.get(spec.name)
        if text.endswith(("…", "...")):
            why = "ends with '…'"
        elif "\ufffd" in text:
            why = "contains a broken character (U+FFFD)"
        elif limit is not None and len(value) >= limit:
            why = f"fills the store's {limit}-character input exactly"
        else:
            continue
        problems.append(
            FieldProblem(spec.name, "cut_short", f"{spec.label} looks cut short: it {why}")
        )
    return problems
