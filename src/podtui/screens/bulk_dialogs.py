"""Bulk action modals: the question before (No focused), the summary after, copyable text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from podtui import keymap
from podtui.config import export_path
from podtui.screens.text_modal import TextModal
from podtui.services.listing.bulk_actions import BulkPlan, BulkReport
from podtui.services.listing.export_csv import default_export_path
from podtui.services.sending.shipping_choice import ShippingOffer
from podtui.widgets.shipping_choice import ShippingChoices


class BulkConfirmDialog(ModalScreen[dict[str, str] | None]):
    """ "Send 37 items: 35 to Printify, 2 to In-house? ..." — No is focused; y or Yes goes.

    A send shows one shipping choice per vendor with several methods (`m`: the next one).
    """

    # y, n and m are every confirm's and every send's (the registry: `?` lists them, [keymap]
    # rebinds them); esc always says no.
    BINDINGS: ClassVar[list[BindingType]] = [
        ("escape", "cancel", "No"),
        *keymap.bindings("confirm"),
        *keymap.bindings("send"),
    ]
    KEY_SCOPES = ("confirm", "send")

    def __init__(
        self,
        plan: BulkPlan,
        *,
        now: Callable[[], datetime],
        offers: Sequence[ShippingOffer] = (),
    ) -> None:
        super().__init__(classes="dialog")
        self.plan = plan
        self.now = now
        self.offers = list(offers) if plan.acting else []

    def compose(self) -> ComposeResult:
        plan = self.plan
        with Vertical(id="dialog-box"):
            yield Label(f"{plan.kind.verb}", id="dialog-title")
            yield Static(plan.question(), id="dialog-question")
            if self.offers:
                next_key = keymap.bound_key(self.app, "send.next_method")
                yield ShippingChoices(self.offers, next_key=next_key)
            if plan.acting and plan.kind.needs_reason:
                yield Input(placeholder="Why? (required, shown on the item)", id="dialog-reason")
            if plan.acting and plan.kind.export:
                suffix = ".zip" if plan.kind.export == "zip" else ".csv"
                what = "print-files" if plan.kind.export == "zip" else "items"
                default = default_export_path(self.now(), name=what, suffix=suffix)
                yield Input(str(default), id="dialog-path")
            yield Static("", id="dialog-error")
            with Horizontal(id="dialog-buttons"):
                if plan.acting:
                    yield Button("No", id="no", variant="primary")
                    yield Button(f"Yes, {plan.kind.verb.lower()}", id="yes", variant="warning")
                else:
                    yield Button("OK", id="no", variant="primary")

    def on_mount(self) -> None:
        inputs = self.query(Input)
        if inputs:
            inputs.first().focus()
        else:
            self.query_one("#no", Button).focus()

    def _answer(self) -> dict[str, str] | None:
        answer: dict[str, str] = {}
        error = self.query_one("#dialog-error", Static)
        for field in self.query(Input):
            value = field.value.strip()
            if not value:
                error.update("This needs a value before it can go ahead.")
                field.focus()
                return None
            answer[(field.id or "").removeprefix("dialog-")] = value
        if "path" in answer and export_path(answer["path"]).is_dir():
            error.update("That is a folder: give a file name.")
            return None
        for choices in self.query(ShippingChoices):
            answer.update(choices.answer())
        return answer

    def action_next_method(self) -> None:
        for choices in self.query(ShippingChoices):
            choices.next_method(self.focused)

    def action_answer_no(self) -> None:
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_yes(self) -> None:
        if not self.plan.acting:
            self.dismiss(None)
            return
        answer = self._answer()
        if answer is not None:
            self.dismiss(answer)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.action_yes()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_yes()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # y and n are letters: typed into the reason or path they are text, not answers.
        typing = isinstance(self.focused, Input)
        return not (action in ("yes", "answer_no", "next_method") and typing)


class BulkSummaryModal(TextModal):
    """How a bulk action went: done, skipped, failed with each reason."""

    def __init__(self, report: BulkReport, *, then: Callable[[], None] | None = None) -> None:
        super().__init__(f"{report.kind.verb}: finished", report.text(), headline=report.headline())
        self.report = report
        self._then = then  # run once the summary is on screen (or closed), once

    def on_mount(self) -> None:
        if self._then is not None:
            self.call_after_refresh(self._follow_up)

    def on_unmount(self) -> None:
        # Closed before its first frame (a key already on its way): the callback queued for
        # after that frame goes with the screen, and the list below would stay stale.
        self._follow_up()

    def _follow_up(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            then()
