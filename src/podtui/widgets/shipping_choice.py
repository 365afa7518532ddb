"""The send confirm's shipping choice: one line per vendor, its name and a pick of its methods.

The options come from services/sending/shipping_choice.py (quoted with costs for one order, the
vendor's methods for several); the default is selected. `m` in the dialog moves the focused pick
(else the first) to the next method, so the choice never needs the mouse or an open list.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Select, Static

from podtui.services.sending.shipping_choice import ShippingOffer


class ShippingChoices(Vertical):
    """A shipping method per vendor; `chosen()` says which, by vendor id."""

    DEFAULT_CSS = """
    ShippingChoices { height: auto; margin-bottom: 1; }
    ShippingChoices .method-row { height: auto; }
    ShippingChoices .method-label {
        width: 28; padding-right: 1; text-wrap: nowrap; text-overflow: ellipsis;
    }
    ShippingChoices Select { width: 1fr; }
    ShippingChoices .method-note { color: $text-muted; }
    """

    def __init__(self, offers: Sequence[ShippingOffer], *, next_key: str = "m") -> None:
        """`next_key`: the dialog's key for the next method, as bound now (named in the note)."""
        super().__init__(id="shipping-choices")
        self.offers = list(offers)
        self.next_key = next_key

    def compose(self) -> ComposeResult:
        for offer in self.offers:
            with Horizontal(classes="method-row"):
                yield Label(f"{offer.label()}:", classes="method-label")
                yield Select(
                    [(option.text(), option.method) for option in offer.options],
                    value=offer.default,
                    allow_blank=False,
                    compact=True,
                    id=f"ship-{offer.vendor_id}",
                )
            if offer.note:
                yield Static(offer.note, classes="method-note")
        if self.offers:
            yield Static(f"{self.next_key}: next shipping method", classes="method-note")

    def answer(self) -> dict[str, str]:
        """The picks as a dialog's answer: `shipping:<vendor id>` where the operator chose a
        method, `shipping_shown:<vendor id>` where the shown default was left as it was (a retry
        keeps its stored method then; see SendOptions)."""
        out: dict[str, str] = {}
        defaults = {offer.vendor_id: offer.default for offer in self.offers}
        for vendor_id, method in self.chosen().items():
            key = "shipping_shown" if method == defaults.get(vendor_id) else "shipping"
            out[f"{key}:{vendor_id}"] = method
        return out

    def chosen(self) -> dict[int, str]:
        """vendor id -> the method picked."""
        out: dict[int, str] = {}
        for offer in self.offers:
            value = self.query_one(f"#ship-{offer.vendor_id}", Select).value
            if isinstance(value, str):
                out[offer.vendor_id] = value
        return out

    def next_method(self, focused: object = None) -> None:
        """Move the focused pick (else the first) to its next method, wrapping round."""
        picks = list(self.query(Select))
        if not picks:
            return
        pick = focused if isinstance(focused, Select) and focused in picks else picks[0]
        offer = self.offers[picks.index(pick)]
        methods = [option.method for option in offer.options]
        at = methods.index(pick.value) if pick.value in methods else -1
        pick.value = methods[(at + 1) % len(methods)]
