"""The details' send confirm: "Send 1 item to Printify?" with the vendor's shipping methods.

A ConfirmDialog (No focused, `y` sends, `n`/esc leaves it) with a ShippingChoices under the
question; `m` picks the next method. The chosen methods go to `save` in the answer as
`shipping:<vendor id>`, which the caller hands to the send as `SendOptions.shipping`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType

from podtui import keymap
from podtui.screens.confirm_dialog import ConfirmDialog
from podtui.services.sending.shipping_choice import ShippingOffer
from podtui.widgets.shipping_choice import ShippingChoices


def shipping_answer(answer: dict[str, str], kind: str = "shipping") -> dict[int, str]:
    """vendor id -> method, out of a dialog's answer: the methods chosen (`shipping`), or the
    shown defaults left as they were (`shipping_shown`)."""
    out: dict[int, str] = {}
    for key, value in answer.items():
        if key.startswith(f"{kind}:") and value:
            out[int(key.removeprefix(f"{kind}:"))] = value
    return out


class SendConfirmDialog(ConfirmDialog):
    """Send with a shipping method per vendor; `y` sends, `m` the next method."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *ConfirmDialog.BINDINGS,
        *keymap.bindings("send"),
    ]
    KEY_SCOPES = ("confirm", "send")

    def __init__(
        self,
        title: str,
        question: str,
        *,
        yes: str,
        save: Callable[[dict[str, str]], object],
        offers: Sequence[ShippingOffer] = (),
    ) -> None:
        super().__init__(title, question, yes=yes, save=save)
        self.offers = list(offers)

    def compose_body(self) -> ComposeResult:
        yield ShippingChoices(self.offers, next_key=keymap.bound_key(self.app, "send.next_method"))

    def action_next_method(self) -> None:
        self.query_one(ShippingChoices).next_method(self.focused)

    def action_yes(self) -> None:
        answer = self.query_one(ShippingChoices).answer()
        self.run_save(lambda: self.save(answer) or True)
