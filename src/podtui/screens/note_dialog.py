"""Order notes: write one, and a list of the order's notes to edit or delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from podtui.domain.models import Note
from podtui.screens.form_dialog import FormDialog
from podtui.services.items import orders
from podtui.services.transaction import UseCase
from podtui.widgets.detail_text import when


class NoteDialog(FormDialog):
    """A note's text; ctrl+y or Save keeps it (an empty note is refused)."""

    FOCUS = "TextArea"
    HINT = "{save} save · esc cancel"

    def __init__(self, title: str, body: str, *, save: Callable[[str], object]) -> None:
        super().__init__(title, "Save note")
        self.body = body
        self.save = save

    def fields(self) -> ComposeResult:
        yield TextArea(self.body, id="note-body")

    def job(self) -> Callable[[], object]:
        body = self.query_one(TextArea).text
        return lambda: self.save(body)


class NotesModal(ModalScreen[bool]):
    """The order's notes: enter edits the one under the cursor, d deletes it (after asking)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        ("escape", "close", "Close"),
        ("e", "edit", "Edit"),
        ("d,delete", "delete", "Delete"),
    ]

    def __init__(self, notes: list[Note], *, write: Callable[[UseCase[Any]], Any]):
        super().__init__(classes="dialog")
        self.notes = list(notes)
        self.write = write
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box", classes="wide"):
            yield Label("Notes", id="dialog-title")
            yield OptionList(id="notes-list")
            yield Static("enter edit · d delete · esc close", id="dialog-hint")

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()

    def _fill(self) -> None:
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options(
            Option(f"{n.author} {when(n.created_at)}  {n.body}", id=str(n.id)) for n in self.notes
        )
        if self.notes:
            listing.highlighted = 0

    @property
    def current(self) -> Note | None:
        index = self.query_one(OptionList).highlighted
        return self.notes[index] if index is not None and index < len(self.notes) else None

    def action_close(self) -> None:
        self.dismiss(self.changed)

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        note = self.current
        if note is None or note.id is None:
            return
        note_id = note.id

        def save(body: str) -> object:
            return self.write(lambda s: orders.edit_note(s, note_id, body))

        def done(result: Any) -> None:
            if isinstance(result, Note):
                self.changed = True
                self.notes = [result if n.id == note_id else n for n in self.notes]
                self._fill()
                self.notify("Note saved.")

        self.app.push_screen(NoteDialog("Edit the note", note.body, save=save), done)

    def action_delete(self) -> None:
        from podtui.screens.confirm_dialog import ConfirmDialog

        note = self.current
        if note is None or note.id is None:
            return
        note_id = note.id

        def save(_answer: dict[str, str]) -> object:
            self.write(lambda s: orders.delete_note(s, note_id))
            return True

        def done(result: Any) -> None:
            if result is not None:
                self.changed = True
                self.notes = [n for n in self.notes if n.id != note_id]
                self._fill()
                self.notify("Note deleted (its text stays on the timeline).")
                if not self.notes:
                    self.dismiss(True)

        self.app.push_screen(
            ConfirmDialog(
                "Delete the note",
                f"Delete {note.author}'s note? “{note.body[:60]}”",
                yes="Delete",
                save=save,
            ),
            done,
        )
