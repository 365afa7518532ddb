"""The Catalogue screen: the artwork library and the store products no mapping covers yet.

Artwork tab: every artwork with how many mappings and items use it; beside it the highlighted
one's half-block preview and the fields its template takes. `a` adds artwork (a file or a
folder). Unmapped tab: each store product variant seen in orders without a mapping, with the
items waiting and an example order; `space` marks rows (every size of one shirt), `enter` opens
the mapping editor on the marks or on the row here, `/` searches. Rules tab: the routing rules
in the order they are tried, with the items each routes now; `n` adds one and `enter` edits it
(screens/catalogue_rules.py: try, then save), `u`/`d` move it, `x` removes it, `s` saves the
order by routing the waiting items again (asking first, with the count). Reads run in thread
workers and come back as messages; the screen never queries on the UI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static, TabbedContent, TabPane

from podtui import keymap
from podtui.domain.wording import count
from podtui.services.catalogue.artwork_library import ArtworkInfo, list_artwork
from podtui.services.catalogue.editor import artwork_facts, artwork_preview
from podtui.services.catalogue.rules import RuleRow, Tried, list_rules
from podtui.services.catalogue.unmapped import Unmapped, unmapped
from podtui.widgets.key_footer import KeyFooter
from podtui.widgets.preview import ImagePreview
from podtui.widgets.table_fill import refill

if TYPE_CHECKING:
    from podtui.db import Database
    from podtui.services.catalogue.mappings import Saved
    from podtui.services.catalogue.rules import Applied

ARTWORK_COLUMNS = ("Id", "Name", "Kind", "Fields", "Mappings", "Items")
UNMAPPED_COLUMNS = ("Product / variant", "Waiting", "Order", "SKU", "Store", "Ids")
RULE_COLUMNS = ("#", "Name", "Matches", "Goes to", "Artwork", "Approve", "Waiting")
MARK = "●"
TABS = ["unmapped-tab", "artwork-tab", "rules-tab"]
# Keys that only work on one tab: hidden from the footer elsewhere.
RULE_TAB = frozenset({"rules-tab"})
TAB_ACTIONS = {
    "map_products": frozenset({"unmapped-tab", "rules-tab"}),
    "toggle_mark": frozenset({"unmapped-tab"}),
    "search": frozenset({"unmapped-tab"}),
    "add_artwork": frozenset({"unmapped-tab", "artwork-tab"}),
    "new_rule": RULE_TAB,
    "rule_up": RULE_TAB,
    "rule_down": RULE_TAB,
    "remove_rule": RULE_TAB,
    "apply_rules": RULE_TAB,
}
APPROVE_SHORT = {"manual": "by hand", "auto": "auto", "no_fields": "auto, no fields"}


class UnmappedTable(DataTable[Any], inherit_bindings=False):
    """The unmapped products: `enter` is left to the screen (map), so the footer shows it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        b for b in DataTable.BINDINGS if not (isinstance(b, Binding) and b.key == "enter")
    ]


def _rule_cells(r: RuleRow) -> tuple[str, ...]:
    product = " ".join(str(v) for v in r.vendor_product.values())
    return (
        str(r.position), r.name or "-", r.describe(),
        r.vendor + (f" ({product})" if product else ""), r.artwork or "the item's",
        APPROVE_SHORT.get(r.approve, r.approve), str(r.waiting),
    )  # fmt: skip


def _key(row: Unmapped) -> str:
    return f"{row.store_id}|{row.product_id}|{row.variant_id}"


class CatalogueScreen(Screen[None]):
    """Artwork and unmapped products; esc clears the search, then the marks, then goes back."""

    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("catalogue")
    KEY_SCOPES = ("catalogue",)

    class Loaded(Message):
        """The artwork and the unmapped products were read."""

        def __init__(
            self, artwork: list[ArtworkInfo], rows: list[Unmapped], rules: list[RuleRow]
        ) -> None:
            super().__init__()
            self.artwork = artwork
            self.rows = rows
            self.rules = rules

    class RulesTried(Message):
        """What applying the rules as they are would route (before `s` asks)."""

        def __init__(self, tried: Tried) -> None:
            super().__init__()
            self.tried = tried

    class FactsRead(Message):
        """The highlighted artwork's template was read and its preview drawn."""

        def __init__(self, artwork_id: int, lines: list[str], image: Any) -> None:
            super().__init__()
            self.artwork_id = artwork_id
            self.lines = lines
            self.image = image

    def __init__(self, db: Database) -> None:
        super().__init__(id="catalogue-screen")
        self.db = db
        self.artwork: list[ArtworkInfo] = []
        self.rows: list[Unmapped] = []
        self.rules: list[RuleRow] = []
        self.order_changed = False  # rules moved since they were last applied
        self.marks: set[str] = set()
        self.search_text = ""
        self.loads = 0  # how many reads have come back (tests wait on it)
        self.facts_shown: int | None = None  # the artwork whose facts are on screen

    def compose(self) -> ComposeResult:
        yield Static("Catalogue", id="catalogue-header")
        with TabbedContent(initial="unmapped-tab", id="catalogue-tabs"):
            with TabPane("Unmapped products", id="unmapped-tab"):
                yield Input(placeholder="/ search: title, variant or SKU", id="unmapped-search")
                yield UnmappedTable(id="unmapped-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Artwork", id="artwork-tab"), Horizontal(id="artwork-body"):
                yield DataTable(id="artwork-table", cursor_type="row", zebra_stripes=True)
                with Vertical(id="artwork-side"):
                    yield ImagePreview(id="artwork-preview")
                    yield Static("", id="artwork-facts")
            with TabPane("Rules", id="rules-tab"):
                yield Static("", id="rules-note")
                yield UnmappedTable(id="rules-table", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#artwork-table", DataTable).add_columns(*ARTWORK_COLUMNS)
        self.unmapped_table.add_column("", width=1, key="mark")
        self.unmapped_table.add_columns(*UNMAPPED_COLUMNS)
        self.rules_table.add_columns(*RULE_COLUMNS)
        self.unmapped_table.focus()
        self.reload()

    @property
    def unmapped_table(self) -> DataTable[Any]:
        return self.query_one("#unmapped-table", DataTable)

    @property
    def rules_table(self) -> DataTable[Any]:
        return self.query_one("#rules-table", DataTable)

    @property
    def artwork_table(self) -> DataTable[Any]:
        return self.query_one("#artwork-table", DataTable)

    @property
    def tab(self) -> str:
        return str(self.query_one(TabbedContent).active)

    # -- reading

    def reload(self) -> None:
        self._read(self.search_text)

    @work(thread=True, exclusive=True, group="catalogue-read")
    def _read(self, text: str) -> None:
        self.post_message(
            self.Loaded(list_artwork(self.db), unmapped(self.db, text=text), list_rules(self.db))
        )

    def on_catalogue_screen_loaded(self, message: Loaded) -> None:
        self.artwork, self.rows, self.rules = message.artwork, message.rows, message.rules
        self._fill_rules()
        present = {_key(r) for r in self.rows}
        self.marks &= present
        self._fill_artwork()
        self._fill_unmapped()
        self._header()
        self.loads += 1

    def _header(self) -> None:
        waiting = sum(r.waiting for r in self.rows)
        self.query_one("#catalogue-header", Static).update(
            f"Catalogue · {len(self.artwork)} artwork · {len(self.rows)} unmapped products "
            f"({count(waiting, 'item')} waiting)"
            + (f" · {len(self.marks)} marked" if self.marks else "")
            + (f" · search: {self.search_text}" if self.search_text else "")
        )

    def _fill_artwork(self) -> None:
        table = self.artwork_table
        row = table.cursor_row
        refill(table, [
            (str(a.id), (str(a.id), a.name, a.kind, ", ".join(a.fields) or "-", str(a.mappings),
                         str(a.items)))
            for a in self.artwork
        ])  # fmt: skip
        if self.artwork:
            table.move_cursor(row=min(max(row, 0), len(self.artwork) - 1))
            self._show_artwork(self.artwork[table.cursor_row])
        else:
            self.query_one("#artwork-facts", Static).update(
                "No artwork yet: press a to add a print image, a template or a folder."
            )

    def _fill_unmapped(self) -> None:
        table = self.unmapped_table
        row = table.cursor_row
        refill(table, [
            (_key(r), (MARK if _key(r) in self.marks else "", r.label, str(r.waiting),
                       r.example_order, r.sku, r.store,
                       f"{r.product_id}/{r.variant_id}" if r.variant_id else r.product_id))
            for r in self.rows
        ])  # fmt: skip
        if self.rows:
            table.move_cursor(row=min(max(row, 0), len(self.rows) - 1))

    def _fill_rules(self) -> None:
        table = self.rules_table
        row = table.cursor_row
        refill(table, [(str(r.id), _rule_cells(r)) for r in self.rules])
        if self.rules:
            table.move_cursor(row=min(max(row, 0), len(self.rules) - 1))
        note = self.query_one("#rules-note", Static)
        if not self.rules:
            note.update(
                "No rules yet. A rule routes the items no mapping covers (a mapping always "
                "wins): press n."
            )
        elif self.order_changed:
            note.update("The order changed: press s to route the waiting items by it.")
        else:
            note.update("Tried top to bottom; the first that matches takes the item.")

    @on(DataTable.RowHighlighted, "#artwork-table")
    def _artwork_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.artwork):
            self._show_artwork(self.artwork[event.cursor_row])

    def _show_artwork(self, info: ArtworkInfo) -> None:
        self._facts(info)

    @work(thread=True, exclusive=True, group="catalogue-facts")
    def _facts(self, info: ArtworkInfo) -> None:
        self.post_message(self.FactsRead(info.id, artwork_facts(info), artwork_preview(info)))

    def on_catalogue_screen_facts_read(self, message: FactsRead) -> None:
        self.query_one("#artwork-facts", Static).update("\n".join(message.lines))
        self.query_one("#artwork-preview", ImagePreview).set_image(message.image)
        self.facts_shown = message.artwork_id

    # -- actions

    def _current(self) -> Unmapped | None:
        table = self.unmapped_table
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def action_back(self) -> None:
        if self.search_text:
            self.query_one("#unmapped-search", Input).value = ""
            self._search("")
        elif self.marks:
            self.marks.clear()
            self._fill_unmapped()
            self._header()
        else:
            self.dismiss()

    def action_toggle_mark(self) -> None:
        row = self._current()
        if row is None or self.tab != "unmapped-tab":
            return
        self.marks ^= {_key(row)}
        mark = MARK if _key(row) in self.marks else ""
        self.unmapped_table.update_cell(_key(row), "mark", mark)
        self._header()
        self.unmapped_table.action_cursor_down()

    def footer_label(self, action: str) -> str | None:
        """enter maps products on the Unmapped tab and edits the rule on the Rules tab."""
        return "Edit" if action == "map_products" and self.tab == "rules-tab" else None

    def action_map_products(self) -> None:
        if self.tab == "rules-tab":
            rule = self._current_rule()
            if rule is not None:
                self._edit_rule(rule)
            return
        if self.tab != "unmapped-tab":
            return
        chosen = [r for r in self.rows if _key(r) in self.marks]
        if not chosen:
            current = self._current()
            chosen = [current] if current is not None else []
        if not chosen:
            self.notify(
                "Nothing to map: every product seen in orders is mapped or routed by a rule."
            )
            return
        from podtui.screens.catalogue_mapping import MappingEditor

        def done(saved: list[Saved] | None) -> None:
            if saved:
                moved = sum(len(s.moved) for s in saved)
                what = count(len(saved), "product")
                self.notify(f"Mapped {what}: {count(moved, 'item')} to Waiting approval.")
                self.marks.clear()
                self.reload()

        self.app.push_screen(MappingEditor(self.db, chosen), done)

    def action_add_artwork(self) -> None:
        from podtui.screens.catalogue_dialogs import AddArtworkDialog

        def done(lines: list[str] | None) -> None:
            if lines:
                self.notify("\n".join(lines[:6]), timeout=10)
                self.reload()

        self.app.push_screen(AddArtworkDialog(self.db), done)

    def action_search(self) -> None:
        self.query_one(TabbedContent).active = "unmapped-tab"
        self.query_one("#unmapped-search", Input).focus()

    @on(Input.Submitted, "#unmapped-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self._search(event.value)
        self.unmapped_table.focus()

    def _search(self, text: str) -> None:
        self.search_text = text.strip()
        self.reload()

    def _switch(self, step: int) -> None:
        active = TABS[(TABS.index(self.tab) + step) % len(TABS)]
        self.query_one(TabbedContent).active = active
        tables = {"unmapped-tab": self.unmapped_table, "artwork-tab": self.artwork_table}
        tables.get(active, self.rules_table).focus()
        self.refresh_bindings()

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        tabs = TAB_ACTIONS.get(action)
        return tabs is None or self.tab in tabs

    # -- rules

    def _current_rule(self) -> RuleRow | None:
        table = self.rules_table
        if not self.rules or not 0 <= table.cursor_row < len(self.rules):
            return None
        return self.rules[table.cursor_row]

    def action_new_rule(self) -> None:
        self._edit_rule(None)

    def _edit_rule(self, rule: RuleRow | None) -> None:
        from podtui.screens.catalogue_rules import RuleEditor

        def done(applied: Applied | None) -> None:
            if applied is not None:
                self.order_changed = False
                self.notify(f"Rule saved. {applied.summary()}")
                self.reload()

        self.app.push_screen(RuleEditor(self.db, rule, len(self.rules)), done)

    def _move_rule(self, step: int) -> None:
        rule = self._current_rule()
        if rule is None:
            return
        position = max(1, min(len(self.rules), rule.position + step))
        if position == rule.position:
            return
        from podtui.services.catalogue.rules import move_rule

        self.order_changed = True
        self.rules_table.move_cursor(row=position - 1)
        self._write(lambda: move_rule(self.db, rule.id, position))

    @work(thread=True, exclusive=True, group="catalogue-write", exit_on_error=False)
    def _write(self, job: Any) -> None:
        job()
        self.app.call_from_thread(self.reload)

    def action_rule_up(self) -> None:
        self._move_rule(-1)

    def action_rule_down(self) -> None:
        self._move_rule(1)

    def action_remove_rule(self) -> None:
        rule = self._current_rule()
        if rule is None:
            return
        from podtui.screens.confirm_dialog import ConfirmDialog
        from podtui.services.catalogue.rules import remove_rule

        def done(yes: object) -> None:
            if yes:
                self.reload()

        name = rule.name or f"rule {rule.position}"
        self.app.push_screen(
            ConfirmDialog(
                f"Remove {name}?",
                f"The {count(rule.waiting, 'item')} it routes "
                f"{'keeps its' if rule.waiting == 1 else 'keep their'} vendor and artwork; "
                "new orders it would have matched go to the next rule that matches, or wait "
                "unmapped.",
                yes="Remove",
                save=lambda _answer: remove_rule(self.db, rule.id),
            ),
            done,
        )

    def action_apply_rules(self) -> None:
        self._try_rules()

    @work(thread=True, exclusive=True, group="catalogue-try", exit_on_error=False)
    def _try_rules(self) -> None:
        from podtui.services.catalogue.rules import try_rules

        self.post_message(self.RulesTried(try_rules(self.db)))

    def on_catalogue_screen_rules_tried(self, message: RulesTried) -> None:
        tried = message.tried
        if not tried.routed and not tried.ready:
            self.order_changed = False
            self._fill_rules()
            self.notify("The waiting items already go where the rules say.")
            return
        from podtui.screens.confirm_dialog import ConfirmDialog
        from podtui.services.catalogue.rules import apply_rules

        ready = tried.ready

        def done(yes: object) -> None:
            if yes:
                self.order_changed = False
                self.reload()

        extra = f" and re-route {ready} Ready items (rendered again)" if ready else ""
        self.app.push_screen(
            ConfirmDialog(
                f"Route {tried.routed} waiting items{extra}?",
                tried.summary("The rules"),
                yes=f"Route {tried.routed + ready}",
                save=lambda _answer: apply_rules(self.db, reroute_ready=bool(ready)),
            ),
            done,
        )

    def action_next_tab(self) -> None:
        self._switch(1)

    def action_prev_tab(self) -> None:
        self._switch(-1)

    def action_refresh_catalogue(self) -> None:
        self.reload()
