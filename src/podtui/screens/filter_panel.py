"""The filter panel: the same filter as the `/` line, with pickers for every field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from podtui.domain.errors import DomainError
from podtui.domain.status import ItemStatus
from podtui.services.listing.filters import (
    DATE_PRESETS,
    SORT_KEYS,
    SORT_LABELS,
    ListFilter,
    Visibility,
    parse_created,
)
from podtui.services.listing.reader import ListReader

_VISIBILITY_OPTIONS: list[tuple[str, Visibility]] = [
    ("hidden", "hide"),
    ("shown too", "show"),
    ("only these", "only"),
]
_CREATED_OPTIONS = [
    ("any time", "any"),
    *((label, key) for key, label in DATE_PRESETS.items()),
    ("custom range", "custom"),
]
KNOWN_SOURCES = ("store", "etsy", "amazon", "other")


class FilterPanelModal(ModalScreen[ListFilter | None]):
    """Pick a filter field by field; Apply gives the filter back to the list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        ("escape", "cancel", "Cancel"),
        ("ctrl+r", "clear", "Clear all"),
    ]

    def __init__(
        self, current: ListFilter, reader: ListReader, *, now: Callable[[], datetime]
    ) -> None:
        super().__init__(classes="dialog")
        self.current = current
        self.reader = reader
        self.now = now

    def compose(self) -> ComposeResult:
        f = self.current
        lookups = self.reader.cached_lookups()
        created = f.created or "any"
        custom_from = custom_to = ""
        if created not in DATE_PRESETS and created != "any":
            start, _, end = created.partition("..") if ".." in created else (created, "", created)
            custom_from, custom_to, created = start, end, "custom"
        vendor_names = sorted({name for name, _kind in lookups.vendors.values()})
        store_names = sorted(set(lookups.stores.values()))
        with Vertical(id="dialog-box", classes="wide"):
            yield Label("Filter", id="dialog-title")
            with VerticalScroll(id="filter-form"):
                with Grid(id="filter-text-fields"):
                    yield Label("Order name / store id")
                    yield Input(f.order or "", placeholder="e.g. #1001", id="f-order")
                    yield Label("Product title (any part)")
                    yield Input(f.title or "", placeholder="e.g. mug", id="f-title")
                    yield Label("Customer e-mail (start)")
                    yield Input(f.email or "", placeholder="e.g. bob@", id="f-email")
                    yield Label("Other words")
                    yield Input(" ".join(f.words), id="f-words")
                    yield Label("Created")
                    yield Select(_CREATED_OPTIONS, value=created, allow_blank=False, id="f-created")
                    yield Label("From, to (YYYY-MM-DD)")
                    with Horizontal(id="f-range"):
                        yield Input(custom_from, placeholder="from", id="f-from")
                        yield Input(custom_to, placeholder="to", id="f-to")
                    yield Label("Unmanaged items")
                    yield Select(
                        _VISIBILITY_OPTIONS, value=f.unmanaged, allow_blank=False, id="f-unmanaged"
                    )
                    yield Label("Archived orders")
                    yield Select(
                        _VISIBILITY_OPTIONS, value=f.archived, allow_blank=False, id="f-archived"
                    )
                    yield Label("Sort by")
                    yield Select(
                        [(SORT_LABELS[k], k) for k in SORT_KEYS],
                        value=f.sort,
                        allow_blank=False,
                        id="f-sort",
                    )
                    yield Label("Direction")
                    yield Checkbox("descending", f.descending, id="f-descending")
                with Grid(id="filter-pickers"):
                    yield Label("Status")
                    yield Label("Vendor")
                    yield Label("Store")
                    yield Label("Source")
                    yield SelectionList[str](
                        *(Selection(s.label, s.value, s in f.statuses) for s in ItemStatus),
                        id="f-status",
                    )
                    yield SelectionList[str](
                        *(
                            Selection(n, n.lower(), any(v in n.lower() for v in f.vendors))
                            for n in vendor_names
                        ),
                        id="f-vendor",
                    )
                    yield SelectionList[str](
                        *(
                            Selection(n, n.lower(), any(v in n.lower() for v in f.stores))
                            for n in store_names
                        ),
                        id="f-store",
                    )
                    yield SelectionList[str](
                        *(Selection(s, s, s in f.sources) for s in self._sources(KNOWN_SOURCES)),
                        id="f-source",
                    )
            yield Static("", id="dialog-error")
            with Horizontal(id="dialog-buttons"):
                yield Button("Apply", id="apply", variant="primary")
                yield Button("Clear all", id="clear")
                yield Button("Cancel", id="cancel")

    def _sources(self, found: tuple[str, ...] | list[str]) -> list[str]:
        return sorted({*found, *self.current.sources})

    def on_mount(self) -> None:
        self._show_range()
        self.query_one("#f-order", Input).focus()
        self._load_sources()

    @work(thread=True, exclusive=True, group="filter-panel", exit_on_error=False)
    def _load_sources(self) -> None:
        found = self.reader.sources()
        self.app.call_from_thread(self._set_sources, found)

    def _set_sources(self, found: list[str]) -> None:
        picker = self.query_one("#f-source", SelectionList)
        chosen = set(picker.selected)
        have = {str(picker.get_option_at_index(i).value) for i in range(picker.option_count)}
        for source in self._sources(found):
            if source not in have:
                picker.add_option(Selection(source, source, source in chosen))

    @on(Select.Changed, "#f-created")
    def _show_range(self) -> None:
        custom = self.query_one("#f-created", Select).value == "custom"
        self.query_one("#f-range").disabled = not custom

    def _built(self) -> ListFilter:
        def text(field_id: str) -> str | None:
            return self.query_one(field_id, Input).value.strip() or None

        created_choice = str(self.query_one("#f-created", Select).value)
        created: str | None = None
        if created_choice == "custom":
            start, end = text("#f-from") or "", text("#f-to") or ""
            if start or end:
                created = parse_created(f"{start}..{end}" if start != end else start)
        elif created_choice != "any":
            created = created_choice
        words = tuple((text("#f-words") or "").split())

        def picked(field_id: str) -> tuple[str, ...]:
            return tuple(str(v) for v in self.query_one(field_id, SelectionList).selected)

        for field_id in ("#f-from", "#f-to"):
            value = text(field_id)
            if value and created_choice == "custom":
                try:
                    date.fromisoformat(value)
                except ValueError:
                    raise DomainError(f"{value!r} is not a date like 2026-01-31.") from None
        return ListFilter(
            words=words,
            order=text("#f-order"),
            title=text("#f-title"),
            email=(text("#f-email") or "").lower() or None,
            statuses=tuple(ItemStatus(v) for v in picked("#f-status")),
            vendors=picked("#f-vendor"),
            stores=picked("#f-store"),
            sources=picked("#f-source"),
            created=created,
            unmanaged=self.query_one("#f-unmanaged", Select).value,  # type: ignore[arg-type]
            archived=self.query_one("#f-archived", Select).value,  # type: ignore[arg-type]
            sort=self.query_one("#f-sort", Select).value,  # type: ignore[arg-type]
            descending=self.query_one("#f-descending", Checkbox).value,
        )

    @on(Button.Pressed, "#apply")
    @on(Input.Submitted)
    def action_apply(self) -> None:
        try:
            built = self._built()
        except DomainError as exc:
            self.query_one("#dialog-error", Static).update(str(exc))
            return
        self.dismiss(built)

    @on(Button.Pressed, "#clear")
    def action_clear(self) -> None:
        self.dismiss(ListFilter().with_sort(self.current.sort, self.current.descending))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
