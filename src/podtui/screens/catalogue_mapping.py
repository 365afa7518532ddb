"""The mapping editor: map one or many store product variants to artwork and a vendor product.

Choose the artwork and the vendor. For Printify and Printful, search the vendor's own catalogue
(the product list is read once and kept; typing searches the kept list), pick the product, the
print provider (Printify), and the variant: each store variant's options suggest one, which the
operator may change when mapping a single variant. A hot folder takes a queue and a product type;
a manual vendor nothing. Weight and HS code go with the mapping for shipping. Saving checks
everything (the vendor's ids in its catalogue too) and saves all rows or none; a refusal keeps
the editor open with every reason. Every read and the save run in thread workers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from podtui.domain.errors import DomainError
from podtui.domain.wording import count
from podtui.screens.dialog_base import ServiceDialog
from podtui.services.catalogue import vendor_catalog
from podtui.services.catalogue.editor import (
    EditorChoices,
    RowKey,
    VendorChoice,
    editor_choices,
    row_key,
    save_rows,
    suggestions,
)
from podtui.services.catalogue.mappings import Saved
from podtui.services.connections.reach import REAL

if TYPE_CHECKING:
    from podtui.db import Database
    from podtui.domain.variant_match import Suggestion
    from podtui.services.catalogue.unmapped import Unmapped

CATALOGUE_KINDS = ("printify", "printful")
SHOWN_PRODUCTS = 40


def _product_line(product: Any) -> str:
    """`    68  Mug 11oz · Generic brand`: the brand and model where the title lacks them."""
    extra = " ".join(w for w in (product.brand, product.model) if w and w not in product.title)
    return f"{product.id:>6}  {product.title}" + (f" · {extra}" if extra else "")


class MappingEditor(ServiceDialog[list[Saved]]):
    """Map the given store variants; dismissed with what was saved."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape", "close", "Cancel")]

    class Read(Message):
        """A worker read something for the editor (`what` says which part)."""

        def __init__(self, what: str, data: Any, error: str = "") -> None:
            super().__init__()
            self.what = what
            self.data = data
            self.error = error

    def __init__(self, db: Database, rows: list[Unmapped]) -> None:
        super().__init__(id="mapping-editor")
        self.db = db
        self.rows = rows
        self.choices = EditorChoices([], [])
        self.products: list[Any] = []  # the vendor's CatalogProducts
        self.product_id: int | None = None
        self.chosen: dict[RowKey, int | None] = {}
        self.reads = 0  # how many reads came back (tests wait on it)

    # -- layout

    def _row(self, label: str, widget: Any, row_id: str = "") -> Horizontal:
        return Horizontal(
            Label(label, classes="form-label"), widget, classes="form-row", id=row_id or None
        )

    def compose(self) -> ComposeResult:
        first = self.rows[0].label
        more = f" and {len(self.rows) - 1} more" if len(self.rows) > 1 else ""
        with Vertical(id="dialog-box", classes="wide tall"):
            yield Label(f"Map {first}{more}", id="dialog-title")
            with VerticalScroll(id="map-form"):
                yield self._row(
                    "Artwork",
                    Select([], prompt="choose the artwork", compact=True, id="map-artwork"),
                )
                yield self._row(
                    "Vendor", Select([], prompt="choose the vendor", compact=True, id="map-vendor")
                )
                with Vertical(id="map-catalogue"):
                    yield self._row(
                        "Search",
                        Input(
                            placeholder="words of the title, brand, model or id",
                            compact=True,
                            id="map-search",
                        ),
                    )
                    yield OptionList(id="map-products")
                    yield Static("", id="map-picked")
                    yield self._row(
                        "Provider",
                        Select(
                            [], prompt="choose the print provider", compact=True, id="map-provider"
                        ),
                        "row-provider",
                    )
                    yield self._row(
                        "Variant",
                        Select([], prompt="choose the variant", compact=True, id="map-variant"),
                        "row-variant",
                    )
                    yield Static("", id="map-suggested")
                with Vertical(id="map-local"):
                    yield self._row(
                        "Queue",
                        Select([], prompt="the printer's queue", compact=True, id="map-queue"),
                        "row-queue",
                    )
                    yield self._row(
                        "Product type",
                        Input(
                            placeholder="what the RIP prints it as",
                            compact=True,
                            id="map-product-type",
                        ),
                    )
                yield self._row(
                    "Weight (g)",
                    Input(
                        placeholder="shipping weight in grams",
                        compact=True,
                        id="map-weight",
                        restrict=r"\d*",
                    ),
                )
                yield self._row(
                    "HS code",
                    Input(
                        placeholder="customs tariff code, e.g. 6109.10", compact=True, id="map-hs"
                    ),
                )
            yield Static("", id="dialog-error")
            with Horizontal(id="dialog-buttons"):
                yield Button("Cancel", id="map-cancel")
                yield Button("Save mapping", variant="primary", id="map-save")

    def on_mount(self) -> None:
        for part in ("#map-catalogue", "#map-local", "#row-provider", "#row-variant"):
            self.query_one(part).display = False
        self.query_one("#map-artwork", Select).focus()
        self._read_choices()

    # -- reads (workers) and what comes back

    @property
    def reach(self) -> Any:
        return getattr(self.app, "reach", REAL)

    @work(thread=True, group="map-read", exit_on_error=False)
    def _read_choices(self) -> None:
        self.post_message(self.Read("choices", editor_choices(self.db)))

    def _run(self, what: str, job: Any) -> None:
        """Run one catalogue read in a worker; its answer (or refusal) comes back as `Read`."""
        self._work(what, job)

    @work(thread=True, exclusive=True, group="map-catalogue", exit_on_error=False)
    def _work(self, what: str, job: Any) -> None:
        try:
            data = job()
        except DomainError as exc:
            self.post_message(self.Read(what, None, str(exc)))
            return
        self.post_message(self.Read(what, data))

    def on_mapping_editor_read(self, message: Read) -> None:
        self.reads += 1
        if message.error:
            self.show_error(message.error)
            return
        handler = getattr(self, f"_got_{message.what}")
        handler(message.data)

    def _got_choices(self, choices: EditorChoices) -> None:
        self.choices = choices
        self.query_one("#map-artwork", Select).set_options([(n, i) for i, n in choices.artworks])
        self.query_one("#map-vendor", Select).set_options(
            [(v.label, v.id) for v in choices.vendors]
        )
        if not choices.artworks:
            self.show_error("The library has no artwork yet: add some first (a on the Catalogue).")

    def _got_products(self, listed: Any) -> None:
        self.products = listed.products
        self.query_one("#map-picked", Static).update(
            f"{count(len(self.products), 'product')} in {listed.vendor}'s catalogue: "
            "search, then enter"
        )
        self._show_products(self.query_one("#map-search", Input).value)

    def _got_providers(self, providers: list[Any]) -> None:
        provider = self.query_one("#map-provider", Select)
        provider.set_options([(f"{p.title} ({p.id})", p.id) for p in providers])
        self.query_one("#row-provider").display = True
        if len(providers) == 1:
            provider.value = providers[0].id

    def _got_variants(
        self, data: tuple[list[tuple[int, str, bool]], dict[RowKey, Suggestion]]
    ) -> None:
        found, suggested = data
        self.chosen = {key: hit.id for key, hit in suggested.items()}
        if len(self.rows) == 1:
            options = [(f"{t}{'' if ok else ' (out of stock)'} · {i}", i) for i, t, ok in found]
            select = self.query_one("#map-variant", Select)
            select.set_options(options)
            self.query_one("#row-variant").display = True
            hit = suggested[row_key(self.rows[0])]
            if hit.id is not None:
                select.value = hit.id
        lines = []
        for row in self.rows:
            hit = suggested[row_key(row)]
            lines.append(
                f"{row.label} → {hit.title} ({hit.id}), suggested"
                if hit.id is not None
                else f"{row.label} → no suggestion: {hit.why}"
            )
        self.query_one("#map-suggested", Static).update("\n".join(lines))

    # -- the form reacting

    def _vendor(self) -> VendorChoice | None:
        value = self.query_one("#map-vendor", Select).value
        return next((v for v in self.choices.vendors if v.id == value), None)

    @on(Select.Changed, "#map-vendor")
    def _vendor_changed(self) -> None:
        vendor = self._vendor()
        self.product_id, self.products, self.chosen = None, [], {}
        catalogue = vendor is not None and vendor.kind in CATALOGUE_KINDS
        self.query_one("#map-catalogue").display = catalogue
        self.query_one("#map-local").display = vendor is not None and vendor.kind == "hotfolder"
        for part in ("#row-provider", "#row-variant"):
            self.query_one(part).display = False
        self.query_one("#map-suggested", Static).update("")
        self.query_one("#map-products", OptionList).clear_options()
        if vendor is None:
            return
        if vendor.kind == "hotfolder":
            queue = self.query_one("#map-queue", Select)
            queue.set_options([(q, q) for q in vendor.queues])
            self.query_one("#row-queue").display = bool(vendor.queues)
        if catalogue:
            self.query_one("#map-picked", Static).update(f"Reading {vendor.name}'s catalogue…")
            db, reach = self.db, self.reach
            self._run("products", lambda: vendor_catalog.products(db, vendor.id, reach=reach))

    @on(Input.Changed, "#map-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self._show_products(event.value)

    def _show_products(self, text: str) -> None:
        hits = vendor_catalog.search(self.products, text, SHOWN_PRODUCTS)
        listing = self.query_one("#map-products", OptionList)
        listing.clear_options()
        listing.add_options([Option(_product_line(p), id=str(p.id)) for p in hits])
        if hits:
            listing.highlighted = 0

    @on(OptionList.OptionSelected, "#map-products")
    def _product_picked(self, event: OptionList.OptionSelected) -> None:
        vendor = self._vendor()
        if vendor is None or event.option.id is None:
            return
        self.product_id = int(event.option.id)
        title = next((p.title for p in self.products if p.id == self.product_id), "")
        self.query_one("#map-picked", Static).update(f"Chosen: {self.product_id} {title}")
        self.query_one("#map-suggested", Static).update("")
        self.query_one("#row-variant").display = False
        db, reach, product = self.db, self.reach, self.product_id
        if vendor.kind == "printify":
            self._run(
                "providers", lambda: vendor_catalog.providers(db, vendor.id, product, reach=reach)
            )
        else:
            self._read_variants(None)

    @on(Select.Changed, "#map-provider")
    def _provider_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, int):
            self._read_variants(event.value)

    def _read_variants(self, provider: int | None) -> None:
        vendor, product = self._vendor(), self.product_id
        if vendor is None or product is None:
            return
        db, reach, rows = self.db, self.reach, self.rows
        self.query_one("#map-suggested", Static).update("Reading the variants…")
        self._run(
            "variants", lambda: suggestions(db, rows, vendor.id, product, provider, reach=reach)
        )

    @on(Select.Changed, "#map-variant")
    def _variant_changed(self, event: Select.Changed) -> None:
        if len(self.rows) == 1 and isinstance(event.value, int):
            self.chosen = {row_key(self.rows[0]): event.value}

    # -- saving

    def _value(self, selector: str) -> Any:
        value = self.query_one(selector, Select).value
        return None if value is Select.NULL else value

    def _vendor_product(self, vendor: VendorChoice) -> dict[str, Any]:
        if vendor.kind == "printify":
            return {
                "blueprint_id": self.product_id,
                "print_provider_id": self._value("#map-provider"),
            }
        if vendor.kind == "printful":
            return {"product_id": self.product_id}
        if vendor.kind == "hotfolder":
            return {
                "queue": self._value("#map-queue"),
                "product_type": self.query_one("#map-product-type", Input).value,
            }
        return {}

    @on(Button.Pressed, "#map-save")
    def action_save(self) -> None:
        vendor = self._vendor()
        if vendor is not None and vendor.kind in CATALOGUE_KINDS and self.product_id is None:
            self.show_error(f"Search {vendor.name}'s catalogue and pick the product (enter).")
            return
        weight = self.query_one("#map-weight", Input).value.strip()
        catalogue = vendor is not None and vendor.kind in CATALOGUE_KINDS
        chosen = dict(self.chosen) if catalogue else {}
        if catalogue and not chosen:
            chosen = {row_key(r): None for r in self.rows}
        # Everything read from the widgets here, on the UI thread; the worker only saves.
        values: dict[str, Any] = {
            "artwork_id": self._value("#map-artwork"),
            "vendor_id": vendor.id if vendor else None,
            "vendor_product": self._vendor_product(vendor) if vendor else {},
            "chosen": chosen,
            "weight_grams": int(weight) if weight else None,
            "hs_code": self.query_one("#map-hs", Input).value,
        }
        rows, db, reach = self.rows, self.db, self.reach
        self.run_save(lambda: save_rows(db, rows, reach=reach, **values))

    @on(Input.Submitted, "#map-weight, #map-hs, #map-product-type")
    def _submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#map-cancel")
    def _cancel(self) -> None:
        self.action_close()
