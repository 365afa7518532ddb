"""Pick an artwork for an item: filter by name, link it to the item, its variant or its listing.

Linking to a variant or listing also saves a product mapping, so later syncs link new items of
that product by themselves (services/item_design.link_artwork).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from podtui import keymap
from podtui.domain.models import Artwork
from podtui.screens.dialog_base import ServiceDialog
from podtui.services import transaction
from podtui.services.items import design as item_design
from podtui.services.items.order_detail import ItemDetail, artworks_matching
from podtui.services.transaction import UseCase

SCOPES: tuple[item_design.Scope, ...] = ("item", "variant", "listing")
SCOPE_LABELS = {
    "item": "this item only",
    "variant": "every open item of this variant (and future ones)",
    "listing": "every open item of this listing (and future ones)",
}


class ArtworkPicker(ServiceDialog[object]):
    """Type to filter; ↓ to the list; enter links; ctrl+o changes what it links to."""

    # ctrl+o from the registry (`?` lists it, [keymap] rebinds it); esc always cancels.
    BINDINGS: ClassVar[list[BindingType]] = [
        ("escape", "close", "Cancel"),
        *keymap.bindings("artwork"),
    ]
    KEY_SCOPES = ("artwork",)

    def __init__(self, d: ItemDetail, *, write: Callable[[UseCase[Any]], Any]):
        super().__init__()
        self.d = d
        self.write = write
        self.scope: item_design.Scope = "item"
        self.artworks: list[Artwork] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box", classes="wide"):
            yield Label(f"Artwork for item {self.d.id}: {self.d.item.title}", id="dialog-title")
            yield Input(placeholder="filter by name", id="art-filter")
            yield OptionList(id="art-list")
            yield Static("", id="art-scope")
            yield Static("", id="dialog-error")
            scope_key = keymap.bound_key(self.app, "artwork.next_scope")
            yield Static(
                f"type to filter · ↓ choose · enter link · {scope_key} item/variant/listing · esc",
                id="dialog-hint",
            )
            with Horizontal(id="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Link", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#art-filter", Input).focus()
        self._show_scope()
        self._search("")

    def _show_scope(self) -> None:
        self.query_one("#art-scope", Static).update(f"Link to: [b]{SCOPE_LABELS[self.scope]}[/]")

    def action_next_scope(self) -> None:
        self.scope = SCOPES[(SCOPES.index(self.scope) + 1) % len(SCOPES)]
        self._show_scope()

    @on(Input.Changed, "#art-filter")
    def _filter(self, message: Input.Changed) -> None:
        self._search(message.value)

    @work(thread=True, exclusive=True, group="artwork-search", exit_on_error=False)
    def _search(self, text: str) -> None:
        db = self.app.database()  # type: ignore[attr-defined]
        found = transaction.read(db, lambda s: artworks_matching(s, text))
        self.app.call_from_thread(self._show, found)

    def _show(self, found: list[Artwork]) -> None:
        self.artworks = found
        listing = self.query_one("#art-list", OptionList)
        listing.clear_options()
        current = self.d.item.artwork_id
        listing.add_options(
            Option(
                f"{a.name}  [dim]{a.template}{'  (linked now)' if a.id == current else ''}[/]",
                id=str(a.id),
            )
            for a in found
        )
        if found:
            listing.highlighted = 0
        else:
            self.show_error("No artwork matches." if self.artworks == [] else "")

    @on(Input.Submitted, "#art-filter")
    def _submitted(self) -> None:
        self.action_save()

    @on(OptionList.OptionSelected, "#art-list")
    def _selected(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        index = self.query_one("#art-list", OptionList).highlighted
        if index is None or not 0 <= index < len(self.artworks):
            self.show_error("Choose an artwork first (type to filter, ↓ to the list).")
            return
        artwork = self.artworks[index]
        assert artwork.id is not None
        if self.scope == "item":
            self._link(artwork.id)
        else:  # more than the item under the cursor: say how many, and ask
            self._count(artwork)

    def _link(self, artwork_id: int) -> None:
        scope, item_id, status = self.scope, self.d.id, self.d.status
        self.run_save(
            lambda: self.write(
                lambda s: item_design.link_artwork(s, item_id, artwork_id, scope, expected=status)
            )
        )

    @work(thread=True, exclusive=True, group="artwork-count", exit_on_error=False)
    def _count(self, artwork: Artwork) -> None:
        assert artwork.id is not None
        artwork_id, scope, item_id = artwork.id, self.scope, self.d.id
        db = self.app.database()  # type: ignore[attr-defined]
        try:
            n = transaction.read(
                db, lambda s: item_design.link_count(s, item_id, artwork_id, scope)
            )
        except Exception as exc:  # the item moved meanwhile: say so, keep the picker open
            self.app.call_from_thread(self.show_error, str(exc))
            return
        self.app.call_from_thread(self._ask, artwork, n)

    def _ask(self, artwork: Artwork, n: int) -> None:
        from podtui.screens.confirm_dialog import ConfirmDialog

        assert artwork.id is not None
        artwork_id = artwork.id
        what = "variant" if self.scope == "variant" else "listing"
        items = f"{n} item{'' if n == 1 else 's'}"
        question = (
            f"Link {artwork.name} to {items} now (every open item of this {what}), and to the "
            f"{what}'s future items through a product mapping?"
        )

        def answered(result: object) -> None:
            if result is not None:
                self._link(artwork_id)

        self.app.push_screen(
            ConfirmDialog(f"Link a whole {what}", question, yes="Link", save=lambda _: True),
            answered,
        )
