"""Why an item failed: the vendor's message, code, HTTP status, when, attempts, raw response.

The raw response scrolls and can be copied (c) or saved (f); the panel names the field the
vendor refused, and enter opens its editor on that field (`fix:<editor>:<field>`); from here
the operator also goes to edit shipping (s), edit the design (d), regenerate (R) or retry (r).
The panel closes with the chosen action and the details screen runs it on the same item.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static, TextArea

from podtui import keymap
from podtui.domain.rejection import Rejection, rejected_field, resolved_note
from podtui.domain.status import Action
from podtui.services.items.order_detail import ItemDetail, TimelineEntry
from podtui.widgets.detail_text import when

FIX_KEYS: dict[str, Action] = {
    "edit_shipping": Action.EDIT_SHIPPING,
    "edit_design": Action.EDIT_DESIGN,
    "regenerate": Action.REGENERATE,
    "retry": Action.RETRY,
}


def _resolved_label(events: list[TimelineEntry]) -> str | None:
    """The field label of a `reason_resolved` newer than the last refusal, else None."""
    for event in events:  # newest first
        if event.type == "submit_failed":
            return None
        if event.type == "reason_resolved":
            return str((event.params or {}).get("label") or "refused field")
    return None


def _pretty(raw: str | None) -> str:
    if not raw:
        return "(the vendor sent no response body)"
    try:
        return json.dumps(json.loads(raw), indent=2, ensure_ascii=False)
    except ValueError:
        return raw


class FailurePanel(ModalScreen[str | None]):
    """The vendor's refusal in full, with keys to fix it."""

    # From the registry, so `?` lists them and the config's [keymap] rebinds them; q closes the
    # panel as it closes the help (Textual hands a modal none of the app's keys but the priority
    # ones).
    BINDINGS: ClassVar[list[BindingType]] = [
        *keymap.bindings("failure"),
        Binding("q", "close", "Close", show=False),
    ]
    KEY_SCOPES = ("failure",)

    def __init__(self, d: ItemDetail, events: list[TimelineEntry] | None = None) -> None:
        super().__init__(classes="dialog")
        self.d = d
        self.events = events or []
        sub = d.last_submission
        self.raw = _pretty(sub.raw_response if sub is not None else None)
        fields = list((d.item.personalization or {}).keys())
        self.rejection: Rejection | None = (
            rejected_field(sub.error_message, sub.raw_response, fields) if sub else None
        )
        self.resolved = _resolved_label(self.events)

    def summary(self) -> Text:
        sub = self.d.last_submission
        text = Text()
        if sub is None:
            failed = next((e for e in self.events if e.to_status == "failed"), None)
            text.append("No submission is recorded for this item.\n", style="bold")
            if failed is not None:
                params = failed.params or {}
                reason = params.get("reason") or params.get("error")
                text.append(f"failed {when(failed.at)} by {failed.user}: {reason or '—'}\n")
            return text
        vendor = self.d.vendor.name if self.d.vendor else f"vendor {sub.vendor_id}"
        text.append(f"{vendor} said: ", style="dim")
        text.append(f"{sub.error_message or 'no message'}\n", style="bold red")
        if self.resolved is not None:
            text.append(f"{resolved_note(self.resolved)}\n", style="bold green")
        elif self.rejection is not None:
            text.append("refused: ", style="dim")
            text.append(self.rejection.describe(), style="bold")
            text.append(f" · enter: {self._fix_words()}\n")
        for label, value in (
            ("code", sub.error_code or "—"),
            ("HTTP status", str(sub.http_status) if sub.http_status else "—"),
            ("when", when(sub.updated_at)),
            ("attempts", str(sub.attempts)),
            ("submission", f"{sub.idempotency_key} ({sub.state})"),
        ):
            text.append(f"{label:<12}", style="dim")
            text.append(f"{value}\n")
        return text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box", classes="wide"):
            yield Label(f"Why item {self.d.id} failed: {self.d.item.title}", id="dialog-title")
            yield Static(self.summary(), id="dialog-question")
            yield Label("Raw response", classes="help-heading")
            yield TextArea(self.raw, read_only=True, id="dialog-text", soft_wrap=True)
            yield Static(self._hint(), id="dialog-hint")

    def _hint(self) -> str:
        """The panel's keys as they are bound now (the config may rebind them)."""
        return " · ".join(
            f"{keymap.bound_key(self.app, entry.id)} {entry.short.lower()}"
            for entry in keymap.in_scopes(["failure"])
        )

    def _fix_words(self) -> str:
        assert self.rejection is not None
        if self.rejection.editor == "artwork":
            return "render the print file again"
        return f"edit the {self.rejection.label}"

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def text(self) -> str:
        return f"{self.summary().plain}\n{self.raw}"

    def action_close(self) -> None:
        self.dismiss(None)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text())
        self.notify("Copied (through the terminal; if it did not arrive, press f to save).")

    def action_save(self) -> None:
        from podtui.config import data_dir

        folder = data_dir() / "reports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"failure-{self.d.id}-{datetime.now():%Y%m%d-%H%M%S}.txt"
        path.write_text(self.text() + "\n", encoding="utf-8")
        self.notify(f"Saved to {path}")

    def action_fix_rejected(self) -> None:
        r = self.rejection
        if r is None:
            self.notify("The vendor's answer names no field: s, d or R fix by hand.")
            return
        needs = {"shipping": Action.EDIT_SHIPPING, "design": Action.EDIT_DESIGN}
        wanted = needs.get(r.editor, Action.REGENERATE)
        if not self.d.allows(wanted):
            self.notify(f"Item {self.d.id} is {self.d.status.label}: nothing to fix here.")
            return
        self.dismiss(f"fix:{r.editor}:{r.field}")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "fix" and parameters:
            wanted = FIX_KEYS.get(str(parameters[0]))
            return True if wanted is not None and self.d.allows(wanted) else None
        return True

    def action_fix(self, name: str) -> None:
        self.dismiss(name)
