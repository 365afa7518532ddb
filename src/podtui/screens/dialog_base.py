"""The base of the details screen's dialogs: save in a worker, stay open on a refusal.

A dialog is given a `save` callable that runs one service use-case in its own write
transaction; its `#cancel` button closes it and its `#save` button runs its `action_save`. The
dialog calls `save` off the UI thread; a DomainError keeps the dialog open with the message (and
each ValidationError field's reason beside its field), so bad input changes nothing and loses
nothing the operator typed; success dismisses the dialog with the service's result.

A dialog opened to fix what a vendor refused is given `retry` as well: once the save works it
stays open and offers the retry (y retries, n or esc leaves it Failed: every confirm's keys), and
dismisses with a FixRetried carrying the save's result and the retry's outcome.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from textual import on, work
from textual.binding import BindingType
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from podtui import keymap
from podtui.domain.errors import DomainError, ValidationError

R = TypeVar("R")


@dataclass(frozen=True)
class FixRetried:
    """A fix saved and the retry it was followed by (`outcome`: the send's BulkOutcome)."""

    saved: Any
    outcome: Any


@dataclass(frozen=True)
class RetryOffer:
    """What a fix dialog offers once saved: the retry call and the words to offer it with."""

    run: Callable[[], Any]
    question: str  # "Saved. Retry sending item 12 to Printify now?"


class ServiceDialog(ModalScreen[R], Generic[R]):
    """A modal that saves through a service call; `esc` closes it without saving."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape", "close", "Cancel")]
    # The keys of the retry offer, for the dialogs that take one (shipping, design): a yes/no
    # question, so every confirm's y and n answer it (the registry's confirm.yes and confirm.no:
    # a [keymap] rebinding holds here too).
    RETRY_BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("confirm")

    def __init__(self, *, id: str | None = None, retry: RetryOffer | None = None) -> None:
        super().__init__(id=id, classes="dialog")
        self.saving = False
        self.last_error = ""
        self.retry = retry
        self.offering = False  # saved; the retry is on offer
        self._saved_result: Any = None

    def action_close(self) -> None:
        if self.offering and not self.saving:
            self.dismiss(self._saved_result)  # saved: closing says so, without the retry
        elif not self.saving:
            self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("yes", "answer_no", "retry_now", "retry_later"):
            return self.offering and not isinstance(self.focused, Input)
        return True

    def offer_retry(self, result: Any) -> None:
        """The save worked: keep the dialog, its fields read-only, and offer the retry."""
        assert self.retry is not None
        self.offering = True
        self._saved_result = result
        yes, no = (keymap.bound_key(self.app, f"confirm.{answer}") for answer in ("yes", "no"))
        for field in self.query(Input):
            field.disabled = True
        with contextlib.suppress(NoMatches):
            buttons = self.query_one("#dialog-buttons")
            for button in buttons.query(Button):
                button.display = False
            later = Button(f"Later ({no})", id="retry-later")
            now = Button(f"Retry now ({yes})", id="retry-now", variant="warning")
            buttons.mount(later, now)
            self.call_after_refresh(now.focus)
        self.show_error(f"{self.retry.question} {yes} retries · {no} later")

    def action_yes(self) -> None:
        self.action_retry_now()

    def action_answer_no(self) -> None:
        self.action_retry_later()

    def action_retry_now(self) -> None:
        if not self.offering or self.saving or self.retry is None:
            return
        run, saved = self.retry.run, self._saved_result
        self.show_error("Retrying…")
        self.saving = True
        self._save(lambda: FixRetried(saved, run()))

    def action_retry_later(self) -> None:
        if self.offering and not self.saving:
            self.dismiss(self._saved_result)

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_close()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        save = getattr(self, "action_save", None)  # every dialog with a Save button has one
        if save is not None:
            save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "retry-now":
            event.stop()
            self.action_retry_now()
        elif event.button.id == "retry-later":
            event.stop()
            self.action_retry_later()

    def run_save(self, job: Callable[[], Any]) -> None:
        """Run `job` (a service call) off the UI thread; dismiss with its result when it works."""
        if self.saving:
            return
        self.saving = True
        self.show_error("")
        self._save(job)

    @work(thread=True, exclusive=True, group="dialog-save", exit_on_error=False)
    def _save(self, job: Callable[[], Any]) -> None:
        try:
            result = job()
        except DomainError as exc:
            self.app.call_from_thread(self._refused, exc)
            return
        except Exception as exc:  # a broken database, a bug: say it, keep the dialog open
            self.app.call_from_thread(self._refused, DomainError(f"{type(exc).__name__}: {exc}"))
            return
        self.app.call_from_thread(self._saved, result)

    def _saved(self, result: Any) -> None:
        self.saving = False
        if self.retry is not None and not self.offering and result is not False:
            self.offer_retry(result)
            return
        self.dismiss(result)

    def _refused(self, exc: DomainError) -> None:
        self.saving = False
        if isinstance(exc, ValidationError):
            # The fields' reasons go beside the fields; the headline says what happened.
            self.show_error(exc.args[0] if exc.args else str(exc))
            self.show_field_errors(exc.fields)
        else:
            self.show_error(str(exc))

    def show_error(self, message: str) -> None:
        self.last_error = message
        with contextlib.suppress(NoMatches):
            self.query_one("#dialog-error", Static).update(message)

    def show_field_errors(self, fields: dict[str, str]) -> None:
        """Put each reason next to its field (`#err-<name>`), the others under the headline."""
        elsewhere = []
        for name, reason in fields.items():
            try:
                if not re.fullmatch(r"[A-Za-z_][\w-]*", name):  # a path, a line: no widget id
                    raise NoMatches(name)
                self.query_one(f"#err-{name}", Static).update(reason)
            except NoMatches:
                elsewhere.append(f"{name}: {reason}")
        if elsewhere:
            self.show_error("\n".join([self.last_error, *elsewhere]))
