"""The order details screen: header, items with the one under the cursor in full, shipping,
store and fulfillment on the right, notes and the timeline.

Reads go through `read_order_detail` in a thread worker and come back as DetailRead; after
every action the screen reads again. Keys act on the item under the cursor and are enabled
only where the status table allows them (see DetailActions in detail_actions.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from podtui import keymap
from podtui.clock import clock_of
from podtui.domain.errors import DomainError
from podtui.screens.detail_actions import DetailActions
from podtui.screens.detail_uploads import UploadPreviews
from podtui.services import transaction
from podtui.services.catalogue.artwork_library import data_path
from podtui.services.items.order_detail import (
    ItemDetail,
    OrderDetail,
    order_stamp,
    read_order_detail,
)
from podtui.services.render.print_files import link_for_path
from podtui.widgets import detail_text
from podtui.widgets.key_footer import KeyFooter
from podtui.widgets.preview import ImagePreview


class DetailRead(Message):
    """The order was read; `detail` is everything the screen shows."""

    def __init__(self, detail: OrderDetail) -> None:
        super().__init__()
        self.detail = detail


class DetailReadFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class OrderDetailScreen(UploadPreviews, DetailActions):
    """One order, to fix what stops it."""

    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("detail")
    AUTO_FOCUS = "#detail-items"
    KEY_SCOPES = ("detail",)

    def __init__(self, order_id: int, *, item_id: int | None = None) -> None:
        super().__init__()  # no fixed id: one may be leaving while the next one opens
        self.order_id = order_id
        self.want_item = item_id
        self.detail: OrderDetail | None = None
        self.read_error = ""
        self._preview_path: Path | None = None
        self._keys_state: object = ()
        self._stamp: tuple[int, int, int] | None = None
        self.changed = False  # something was saved here: the list reads again on the way back

    def compose(self) -> ComposeResult:
        yield Static("Reading the order…", id="detail-header")
        with Horizontal(id="detail-body"):
            with Vertical(id="detail-left"):
                yield OptionList(id="detail-items")
                with Horizontal(id="detail-item-box"):
                    with VerticalScroll(id="detail-item-scroll"):
                        yield Static(id="detail-item")
                    yield ImagePreview(id="detail-preview")
                    yield ImagePreview(id="detail-upload")
                with VerticalScroll(id="detail-timeline-scroll"):
                    yield Static(id="detail-timeline")
            with VerticalScroll(id="detail-right"):
                yield Static(id="detail-shipping")
                yield Static(id="detail-store")
                yield Static(id="detail-fulfilment")
                yield Static(id="detail-notes")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload()
        interval = getattr(self.app, "watch_interval", 1.0)
        clock_of(self).every(self, max(1.0, interval), self._check_changed, name="detail-watch")

    # -- reading ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the order again (after an action, or another operator's change)."""
        self._read()

    @work(thread=True, exclusive=True, group="detail-read", exit_on_error=False)
    def _read(self) -> None:
        try:
            db = self._app.database()
            detail, stamp = transaction.read(
                db, lambda s: (read_order_detail(s, self.order_id), order_stamp(s, self.order_id))
            )
        except (DomainError, RuntimeError) as exc:
            self.post_message(DetailReadFailed(str(exc)))
            return
        self._stamp = stamp
        self.post_message(DetailRead(detail))

    def _check_changed(self) -> None:
        if self.detail is not None and not any(
            w.group in ("detail-read", "detail-watch") and not w.is_finished for w in self.workers
        ):
            self._watch()

    @work(thread=True, exclusive=True, group="detail-watch", exit_on_error=False)
    def _watch(self) -> None:
        """Read the order again when another operator, the renderer or a sync changed it."""
        try:
            stamp = transaction.read(self._app.database(), lambda s: order_stamp(s, self.order_id))
        except Exception:  # a locked or closing database: look again next time
            return
        if stamp != self._stamp:
            self.app.call_from_thread(self.reload)

    def on_detail_read_failed(self, message: DetailReadFailed) -> None:
        self.read_error = message.error
        self.query_one("#detail-header", Static).update(f"Cannot show the order: {message.error}")
        self.notify(message.error, severity="error")

    def on_detail_read(self, message: DetailRead) -> None:
        if self.detail is not None:
            self.changed = True  # a second read: something changed here or elsewhere
        keep = self.current.id if self.current is not None else self.want_item
        self.detail = detail = message.detail
        self.query_one("#detail-header", Static).update(detail_text.header(detail))
        items = self.query_one("#detail-items", OptionList)
        items.clear_options()
        items.add_options(Option(detail_text.item_line(d), id=str(d.id)) for d in detail.items)
        index = next((n for n, d in enumerate(detail.items) if d.id == keep), 0)
        if detail.items:
            items.highlighted = index
        for widget_id, text in (
            ("#detail-shipping", detail_text.shipping(detail)),
            ("#detail-store", detail_text.store_section(detail)),
            ("#detail-fulfilment", detail_text.fulfilment_section(detail)),
            ("#detail-notes", detail_text.notes_section(detail)),
            ("#detail-timeline", detail_text.timeline(detail)),
        ):
            text.rstrip()
            self.query_one(widget_id, Static).update(text)
        self.show_item()
        if self.reason_after_read is not None:
            self.show_reason_again()

    # -- the item under the cursor --------------------------------------------------------------

    @property
    def _app(self) -> Any:
        return self.app

    @property
    def current(self) -> ItemDetail | None:
        if self.detail is None:
            return None
        index = self.query_one("#detail-items", OptionList).highlighted
        if index is None or not 0 <= index < len(self.detail.items):
            return None
        return self.detail.items[index]

    def link_of(self, d: ItemDetail) -> str:
        if d.print_file is None:
            return ""
        base = getattr(getattr(self.app, "config_", None), "print_file_base_url", "")
        return link_for_path(d.print_file.path, base)

    @on(OptionList.OptionHighlighted, "#detail-items")
    def _moved(self, _message: OptionList.OptionHighlighted) -> None:
        self.show_item()

    def show_item(self) -> None:
        d = self.current
        card = self.query_one("#detail-item", Static)
        preview = self.query_one("#detail-preview", ImagePreview)
        self._refresh_keys(d)
        if d is None or self.detail is None:
            card.update("This order has no items." if self.detail is not None else "")
            preview.remove_class("has-image")
            self.query_one("#detail-upload", ImagePreview).remove_class("has-image")
            return
        text = detail_text.item_card(d, self.detail, self.link_of(d))
        text.rstrip()
        self.upload_lines(d, text)
        card.update(text)
        path = _image_of(d)
        # Shown when there is an image and room for it (podtui.tcss hides it on short screens).
        preview.set_class(path is not None, "has-image")
        if path is None:
            self._preview_path = None
        elif path != self._preview_path:
            self._preview_path = path
            preview.set_image(None)
            preview.load(path)

    def _refresh_keys(self, d: ItemDetail | None) -> None:
        """Tell the footer which keys are enabled, only when that changed: it rebuilds itself
        on every refresh, which costs more than the rest of a cursor move."""
        state = (
            None if d is None else (d.status, d.vendor_integrated),
            None if self.detail is None else self.detail.order.archived,
        )
        if state != self._keys_state:
            self._keys_state = state
            self.refresh_bindings()

    def on_image_preview_load_failed(self, _message: ImagePreview.LoadFailed) -> None:
        self.query_one("#detail-preview", ImagePreview).remove_class("has-image")

    def action_back(self) -> None:
        if self.changed:
            from podtui.screens.orders import OrdersScreen

            for screen in self.app.screen_stack:
                if isinstance(screen, OrdersScreen):
                    screen.refresh_list()
        self.dismiss(None)


def _image_of(d: ItemDetail) -> Path | None:
    """The picture that best shows the item: its mockup, else its print preview, else the art."""
    candidates: list[Path | None] = []
    if d.print_file is not None:
        for stored in (d.print_file.mockup_path, d.print_file.preview_path):
            candidates.append(Path(stored) if stored else None)
    if d.artwork is not None:
        # The library keeps its previews relative to the data directory.
        candidates.append(data_path(d.artwork.preview_path))
    for candidate in candidates:
        if candidate is not None and candidate.is_file():
            return candidate
    return None
