"""Order types as the shop reads them: In-app, Amazon, ShineOn, Others. One rule table.

A WooCommerce order says how it was made (`created_via`: `checkout` and `store-api` are the
shop's own checkout) and marketplace plugins leave their meta on it (WP-Lister for Amazon writes
`_wpla_amazon_order_id`). The first rule that matches names the type; a store's own rules
(`settings.order_types`, a list of `{"created_via" | "meta": ..., "type": ...}`) come first.
The type is kept in the order's `source`, shown in the list and filtered with `type:`.
By default only In-app orders are submitted automatically (`settings.auto_submit_types`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

IN_APP, AMAZON, SHINEON, OTHERS = "in-app", "amazon", "shineon", "others"
TYPES = (IN_APP, AMAZON, SHINEON, OTHERS)
# The shop's own checkout: "store" is what orders synced before types were known say.
AUTO_SUBMIT_DEFAULT = (IN_APP, "store")

RULES: tuple[dict[str, str], ...] = (
    {"meta": "_wpla_amazon_order_id", "type": AMAZON},
    {"meta": "_amazon_order_id", "type": AMAZON},
    {"created_via": "amazon", "type": AMAZON},
    {"meta": "_shineon_order_id", "type": SHINEON},
    {"created_via": "shineon", "type": SHINEON},
    {"created_via": "checkout", "type": IN_APP},
    {"created_via": "store-api", "type": IN_APP},
)


def _matches(rule: Mapping[str, Any], created_via: str, meta: Mapping[str, str]) -> bool:
    if "created_via" in rule:
        return created_via.casefold() == str(rule["created_via"]).casefold()
    if "meta" in rule:
        key = str(rule["meta"])
        if key not in meta:
            return False
        return "value" not in rule or meta[key] == str(rule["value"])
    return False


def classify(
    created_via: str, meta: Mapping[str, str], own: Sequence[Mapping[str, Any]] | None = None
) -> str:
    """The order type of an order made `created_via` with this order meta."""
    for rule in (*(own or ()), *RULES):
        if isinstance(rule, Mapping) and rule.get("type") and _matches(rule, created_via, meta):
            return str(rule["type"]).casefold()
    return OTHERS


def auto_submit_types(settings: Mapping[str, Any] | None) -> tuple[str, ...]:
    """Which order types a store submits automatically."""
    chosen = (settings or {}).get("auto_submit_types")
    if isinstance(chosen, list) and all(isinstance(t, str) for t in chosen):
        return tuple(t.casefold() for t in chosen)
    return AUTO_SUBMIT_DEFAULT
