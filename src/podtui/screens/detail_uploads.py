"""The details' customer-uploaded images: each named in the item card, the first one previewed.

Fetching runs in a worker through services/items/uploads.py (the photo fetcher's bounds); the
results are kept per source for as long as the screen is open, so moving the cursor back does
not fetch again. The card says "fetching…", the size, or why it cannot be shown; the preview
sits beside the print file's (hidden on short terminals, like it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PIL import Image
from rich.text import Text
from textual import work
from textual.message import Message

from podtui.services.items.uploads import CustomerImage, ShownImage, customer_images
from podtui.widgets.preview import ImagePreview

if TYPE_CHECKING:
    from podtui.services.items.order_detail import ItemDetail


class UploadsFetched(Message):
    """Customer images of an item arrived (or failed: each ShownImage says)."""

    def __init__(self, shown: dict[str, ShownImage]) -> None:
        super().__init__()
        self.shown = shown


class UploadPreviews:
    """Mixed into OrderDetailScreen: the card lines and the preview of the customer's images."""

    _uploads: dict[str, ShownImage | None]  # source -> result (None: being fetched)
    _upload_shown: Image.Image | None  # what the preview holds now

    def upload_lines(self, d: ItemDetail, card: Text) -> None:
        """Add a line per customer image to the item card; fetch the ones not seen yet."""
        screen: Any = self
        if not hasattr(self, "_uploads"):
            self._uploads, self._upload_shown = {}, None
        images = customer_images(d.item.personalization_raw or [], d.item.personalization or {})
        preview = screen.query_one("#detail-upload", ImagePreview)
        first = self._uploads.get(images[0].source) if images else None
        picture = first.image if first is not None else None
        preview.set_class(picture is not None, "has-image")
        # Setting an image drops the preview's painted lines: only a new one is worth that.
        if picture is not self._upload_shown:
            self._upload_shown = picture
            preview.set_image(picture)
        if not images:
            return
        for image in images:
            shown = self._uploads.get(image.source)
            state = "fetching…" if shown is None else shown.summary()
            card.append("\ncustomer image  ", style="bold")
            card.append(f"{image.label} ({image.name}): {state}")
        wanted = [i for i in images if i.source not in self._uploads]
        if wanted:
            for image in wanted:
                self._uploads[image.source] = None
            self._fetch_uploads(wanted)

    @work(thread=True, group="detail-uploads", exit_on_error=False)
    def _fetch_uploads(self, images: list[CustomerImage]) -> None:
        from podtui.services.items.uploads import load_customer_image
        from podtui.services.render.photo_fetch import limits_from_config

        screen: Any = self
        cfg = getattr(screen.app, "config_", None)
        try:
            limits = limits_from_config(cfg) if cfg is not None else None
        except Exception:
            limits = None
        shown = {i.source: load_customer_image(i.source, i.label, limits=limits) for i in images}
        screen.post_message(UploadsFetched(shown))

    def on_uploads_fetched(self, message: UploadsFetched) -> None:
        self._uploads.update(message.shown)
        screen: Any = self
        screen.show_item()
