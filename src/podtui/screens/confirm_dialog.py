"""A yes/no question with No focused, optionally asking why; yes runs the given service call."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from podtui import keymap
from podtui.screens.dialog_base import ServiceDialog


class ConfirmDialog(ServiceDialog[object]):
    """ "Hold item 12?" — `y` or Yes saves (through `save`), `n`/esc/No leaves it be."""

    # y and n from the registry (`?` lists them, [keymap] rebinds them); esc always says no.
    BINDINGS: ClassVar[list[BindingType]] = [
        ("escape", "close", "No"),
        *keymap.bindings("confirm"),
    ]
    KEY_SCOPES: ClassVar[tuple[str, ...]] = ("confirm",)

    def __init__(
        self,
        title: str,
        question: str,
        *,
        yes: str,
        save: Callable[[dict[str, str]], object],
        reason: Literal["required", "optional"] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.yes_label = yes
        self.save = save
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label(self.title_text, id="dialog-title")
            yield Static(self.question, id="dialog-question")
            yield from self.compose_body()
            yield Static("", id="dialog-error")
            with Horizontal(id="dialog-buttons"):
                yield Button("No", id="no", variant="primary")
                yield Button(self.yes_label, id="yes", variant="warning")

    def compose_body(self) -> ComposeResult:
        """What goes between the question and the error line: the reason, when one is asked.

        A subclass puts its own widgets here and keeps the rest of the skeleton.
        """
        if self.reason is not None:
            hint = (
                "Why? (required, shown on the item)"
                if self.reason == "required"
                else ("Why? (optional)")
            )
            yield Input(placeholder=hint, id="dialog-reason")

    def on_mount(self) -> None:
        if self.reason is not None:
            self.query_one(Input).focus()
        else:
            self.query_one("#no", Button).focus()

    def action_yes(self) -> None:
        answer: dict[str, str] = {}
        if self.reason is not None:
            field = self.query_one(Input)
            answer["reason"] = field.value.strip()
            if self.reason == "required" and not answer["reason"]:
                self.show_error("Say why first: the next person needs to know.")
                field.focus()
                return
        self.run_save(lambda: self.save(answer) or True)

    def action_answer_no(self) -> None:
        self.action_close()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # y and n typed into the reason are letters, not answers.
        return not (action in ("yes", "answer_no") and isinstance(self.focused, Input))

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.action_close()

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.action_yes()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_yes()
