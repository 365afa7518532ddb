"""A vendor's shipping methods as podtui offers them: one option each, and which one is the default.

The adapters fill these from the vendor (Printify's shipping quote, Printful's shipping rates) or
from what the vendor is known to have; the send confirm lists them and the submission stores the
chosen `method`, the vendor's own word for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ShippingOption:
    """One way a vendor can ship an order: `method` is what the vendor's API takes."""

    method: str
    label: str
    cost_cents: int | None = None  # None: not quoted (several orders, or the quote failed)
    currency: str = "USD"
    days: str = ""  # "3-5 days" where the vendor says

    def text(self) -> str:
        """ "Priority · $9.50 · 2-4 days"."""
        parts = [self.label]
        if self.cost_cents is not None:
            sign = "$" if self.currency.upper() == "USD" else f"{self.currency.upper()} "
            parts.append(f"{sign}{self.cost_cents / 100:,.2f}")
        if self.days:
            parts.append(self.days)
        return " · ".join(parts)


def is_standard(method: str) -> bool:
    return method.strip().lower() == "standard"


def default_method(options: Sequence[ShippingOption]) -> str:
    """The cheapest quoted option (standard on a tie); without costs, standard, else the first."""
    if not options:
        return ""
    quoted = [o for o in options if o.cost_cents is not None]
    if quoted:
        best = min(quoted, key=lambda o: (o.cost_cents or 0, not is_standard(o.method)))
        return best.method
    for option in options:
        if is_standard(option.method):
            return option.method
    return options[0].method


def days_text(low: object, high: object) -> str:
    """ "3-5 days" out of a vendor's minimum and maximum delivery days ("" when unknown)."""
    try:
        a, b = int(str(low)), int(str(high))
    except ValueError:
        return ""
    if a <= 0 and b <= 0:
        return ""
    return f"{a} days" if a == b else f"{min(a, b)}-{max(a, b)} days"
