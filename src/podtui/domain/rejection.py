"""Which field a vendor's refusal names, so the fix opens the right editor on that field.

Printify puts its field errors as JSON text in `errors.reason` (`{"zip": [...]}`); Printful
says it in a sentence ("Recipient: ZIP code does not match the state"); a print file that is
too small, or an image the vendor cannot read, is the artwork's. Pure: text in, a Rejection out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from podtui.domain.address import FIELD_LABELS

Editor = Literal["shipping", "design", "artwork"]


@dataclass(frozen=True, slots=True)
class Rejection:
    """The field a vendor refused: which editor fixes it, the field's name and its label."""

    editor: Editor
    field: str  # a ShippingAddress field, a design field's name, or "print_file"
    label: str  # "postal code", "phone", "design field 'name'", "print file"
    others: tuple[str, ...] = ()  # further fields the same refusal named, by label

    def describe(self) -> str:
        where = {"shipping": "shipping address", "design": "design", "artwork": "artwork"}
        text = f"{self.label} ({where[self.editor]})"
        if self.others:
            text += f"; also {', '.join(self.others)}"
        return text


# Vendor field names (Printify's address_to, Printful's recipient) to ShippingAddress fields.
_VENDOR_FIELDS: dict[str, str] = {
    "zip": "postal_code",
    "postcode": "postal_code",
    "postal_code": "postal_code",
    "region": "state",
    "state": "state",
    "state_code": "state",
    "province": "state",
    "phone": "phone",
    "email": "email",
    "address1": "address1",
    "address2": "address2",
    "city": "city",
    "country": "country",
    "country_code": "country",
    "first_name": "name",
    "last_name": "name",
    "name": "name",
    "company": "company",
}

# Words in a vendor's sentence that name a shipping field, first match wins.
_WORDS: tuple[tuple[str, str], ...] = (
    (r"\b(zip|post(al)?\s*code|postcode)\b", "postal_code"),
    (r"\bphone\b", "phone"),
    (r"\b(region|state|province)\b", "state"),
    (r"\bcity\b", "city"),
    (r"\bcountry\b", "country"),
    (r"\bemail\b", "email"),
    (r"\b(invalid address|address ?1|street)\b", "address1"),
)
_ARTWORK = re.compile(
    r"\b(print ?file|placement|artwork|image|dpi|too small|resolution)\b", re.IGNORECASE
)


def _field_errors(raw: str | None) -> dict[str, Any]:
    """Printify's field errors: `errors.reason` holds them as JSON text (or a dict)."""
    if not raw:
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        return {}
    errors = body.get("errors") if isinstance(body, dict) else None
    reason = errors.get("reason") if isinstance(errors, dict) else None
    if isinstance(reason, str):
        try:
            reason = json.loads(reason)
        except ValueError:
            return {}
    return reason if isinstance(reason, dict) else {}


def _shipping(field: str, others: Iterable[str] = ()) -> Rejection:
    return Rejection("shipping", field, FIELD_LABELS[field], tuple(others))


def rejected_field(
    message: str | None, raw: str | None = None, design_fields: Iterable[str] = ()
) -> Rejection | None:
    """The field the refusal names, or None when it names none (a rate limit, a payment)."""
    errors = _field_errors(raw)
    found: list[str] = []
    for key in errors:
        name = _VENDOR_FIELDS.get(str(key).rsplit(".", 1)[-1].lower())
        if name is not None and name not in found:
            found.append(name)
    if found:
        return _shipping(found[0], (FIELD_LABELS[f] for f in found[1:]))
    text = message or ""
    for name in design_fields:
        if re.search(rf"(^|[\s'\"(]){re.escape(name)}([\s'\":)]|$)", text, re.IGNORECASE):
            return Rejection("design", name, f"design field '{name}'")
    if _ARTWORK.search(text):
        return Rejection("artwork", "print_file", "print file")
    for pattern, name in _WORDS:
        if re.search(pattern, text, re.IGNORECASE):
            return _shipping(name)
    return None


def resolved_note(field_label: str) -> str:
    """How a refusal reads once the field it named was changed (until the next send)."""
    return f"Fixed since: the {field_label} was changed; r retries the send."
