"""The design editor: the template's fields with the customer's values, a preview, approve.

It opens on the current print file's preview; ctrl+r renders one of the values as typed (not
saved, off the UI thread); save writes them through
`item_design.edit_design` (a ready item goes back to waiting approval); "save and approve" then
approves, which queues the real print file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from podtui import keymap
from podtui.domain.errors import DomainError
from podtui.domain.status import ItemStatus
from podtui.screens.dialog_base import RetryOffer, ServiceDialog
from podtui.services import transaction
from podtui.services.items import design as item_design
from podtui.services.items.design_form import DesignForm, design_form, render_preview
from podtui.services.items.order_detail import ItemDetail
from podtui.services.transaction import UseCase
from podtui.widgets.preview import ImagePreview


class DesignDialog(ServiceDialog[object]):
    """One input per template field; the source of each value beside it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        ("escape", "close", "Cancel"),
        ("ctrl+r", "preview", "Preview"),
        *keymap.bindings("form"),
        *ServiceDialog.RETRY_BINDINGS,
    ]
    KEY_SCOPES = ("form", "confirm")  # confirm: the retry offer's y and n

    def __init__(
        self,
        d: ItemDetail,
        *,
        write: Callable[[UseCase[Any]], Any],
        focus: str | None = None,
        retry: RetryOffer | None = None,
    ):
        super().__init__(retry=retry)
        self.d = d
        self.write = write
        self.focus_field = focus
        self.form: DesignForm | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box", classes="wide tall"):
            yield Label(f"Design of item {self.d.id}: {self.d.item.title}", id="dialog-title")
            yield Static("Reading the template…", id="design-about")
            with Horizontal(id="design-body"):
                yield VerticalScroll(id="design-fields")
                yield ImagePreview(id="design-preview")
            yield Static("", id="dialog-error")
            save = keymap.bound_key(self.app, "form.save")
            yield Static(f"ctrl+r preview · {save} save · esc cancel", id="dialog-hint")
            with Horizontal(id="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Preview", id="preview")
                yield Button("Save", id="save", variant="primary")
                yield Button("Save and approve", id="approve", variant="success")

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="design-load", exit_on_error=False)
    def _load(self) -> None:
        db = self.app.database()  # type: ignore[attr-defined]
        try:
            form = transaction.read(db, lambda s: design_form(s, self.d.id))
        except DomainError as exc:
            self.app.call_from_thread(self.show_error, str(exc))
            return
        self.app.call_from_thread(self._show_form, form)

    def _show_form(self, form: DesignForm) -> None:
        self.form = form
        about = f"artwork {form.artwork_name}" if form.artwork_name else "no artwork"
        if form.problem:
            about += f" · {form.problem}"
        self.query_one("#design-about", Static).update(about)
        box = self.query_one("#design-fields", VerticalScroll)
        rows: list[Label | Input | Static] = []
        for spec in form.fields:
            source = form.sources.get(spec.name, "")
            need = " *" if spec.required else ""
            rows.append(Label(f"{spec.label}{need}  [dim]{spec.name} · {source or 'empty'}[/]"))
            rows.append(
                Input(
                    form.values.get(spec.name, ""),
                    id=f"design-{spec.name}",
                    classes="design-field",
                    max_length=spec.max_chars or 0,
                )
            )
        if not rows:
            rows.append(Static("The template takes no personalization."))
        box.mount_all(rows)
        self.query_one("#approve", Button).display = self.d.status in (
            ItemStatus.WAITING_APPROVAL,
            ItemStatus.READY,
        )
        inputs = self.query(".design-field")
        wanted = [i for i in inputs.results(Input) if i.id == f"design-{self.focus_field}"]
        if wanted:
            wanted[0].focus()
            wanted[0].select_all()  # what the operator types replaces the refused value
        elif inputs:
            inputs.first(Input).focus()
        current = self.d.print_file.preview_path if self.d.print_file is not None else None
        if current and Path(current).is_file():
            self.query_one(ImagePreview).load(Path(current))

    def values(self) -> dict[str, str]:
        if self.form is None:
            return {}
        return {
            spec.name: self.query_one(f"#design-{spec.name}", Input).value
            for spec in self.form.fields
        }

    def action_preview(self) -> None:
        if self.form is not None and self.form.template is not None:
            self._render_preview(self.form, self.values())

    @work(thread=True, exclusive=True, group="design-preview", exit_on_error=False)
    def _render_preview(self, form: DesignForm, values: dict[str, str]) -> None:
        try:
            image = render_preview(form, values)
        except DomainError as exc:
            self.app.call_from_thread(self.show_error, f"Preview: {exc}")
            return
        self.app.call_from_thread(self.query_one(ImagePreview).set_image, image)

    def _changes(self) -> dict[str, str]:
        assert self.form is not None
        return {k: v for k, v in self.values().items() if v != self.form.values.get(k, "")}

    def action_save(self, approve: bool = False) -> None:
        if self.form is None or self.offering:
            return
        changes = self._changes()
        item_id, status = self.d.id, self.d.status

        self.run_save(
            lambda: self.write(
                lambda s: item_design.save_design(
                    s, item_id, changes, and_approve=approve, expected=status
                )
            )
        )

    def _saved(self, result: Any) -> None:
        if result is False and not self.offering:
            self.saving = False
            self.dismiss(None)  # nothing changed: nothing to retry either
            return
        super()._saved(result)

    @on(Input.Submitted, ".design-field")
    def _submitted(self) -> None:
        self.action_preview()

    @on(Button.Pressed, "#preview")
    def _preview_pressed(self) -> None:
        self.action_preview()

    @on(Button.Pressed, "#approve")
    def _approve_pressed(self) -> None:
        self.action_save(approve=True)
