"""The base of the details screen's dialogs: save in a worker, stay open on a refusal.

A dialog is given a `save` callable that runs one service use-case in its own write
transaction. The dialog calls it off the UI thread; a DomainError keeps the dialog open with the
message (and each ValidationError field's reason beside its field), so bad input changes nothing
and loses nothing the operator typed; success dismisses the dialog with the service's result.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

from textual import work
from textual.binding import BindingType
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import Static

from podtui.domain.errors import DomainError, ValidationError

R = TypeVar("R")


class ServiceDialog(ModalScreen[R], Generic[R]):
    """A modal that saves through a service call; `esc` closes it without saving."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape", "close", "Cancel")]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="dialog")
        self.saving = False
        self.last_error = ""

    def action_close(self) -> None:
        if not self.saving:
            self.dismiss(None)

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
