"""Half-block image preview: two pixels per terminal cell, `▀` with fg = top, bg = bottom.

Works in any true-colour terminal and over ssh, which is why it is the default; the config's
`[ui] image_protocol` may ask for sixel or kitty, which this widget does not speak yet and
answers with half blocks too. Loading and scaling happen off the UI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from PIL import Image
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual import work
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

UPPER_HALF = "\u2580"
RGB = tuple[int, int, int]


def fit_size(image_size: tuple[int, int], cells: tuple[int, int]) -> tuple[int, int]:
    """Pixel size that fits `cells` (columns, rows = 2 pixels each), keeping the aspect ratio."""
    width, height = image_size
    max_w, max_h = cells[0], cells[1] * 2
    if width <= 0 or height <= 0 or max_w <= 0 or max_h <= 0:
        return (0, 0)
    scale = min(max_w / width, max_h / height)
    return (max(1, round(width * scale)), max(1, round(height * scale)))


def flatten(image: Image.Image, background: RGB) -> Image.Image:
    """RGB pixels: transparent parts over a light checkerboard, as image editors show them."""
    rgba = image.convert("RGBA")
    board = Image.new("RGB", rgba.size, background)
    lowest_alpha = cast("tuple[float, float]", rgba.getchannel("A").getextrema())[0]
    if lowest_alpha < 255:
        light = tuple(min(255, c + 40) for c in background)
        for y in range(0, rgba.height, 2):
            for x in range((y // 2) % 2 * 2, rgba.width, 4):
                board.paste(light, (x, y, x + 2, y + 2))
    board.paste(rgba, (0, 0), rgba)
    return board


def halfblock_lines(image: Image.Image, cells: tuple[int, int], background: RGB) -> list[Strip]:
    """The image as strips of `▀` cells, centred in `cells` (columns, rows)."""
    columns, rows = cells
    size = fit_size(image.size, cells)
    if size == (0, 0):
        return [Strip.blank(columns) for _ in range(rows)]
    small = flatten(image.resize(size, Image.Resampling.LANCZOS), background)
    width, height = small.size
    pixels = small.load()
    assert pixels is not None
    pad_left = (columns - width) // 2
    top_rows = (rows - (height + 1) // 2) // 2
    bg_style = Style(bgcolor=Color.from_rgb(*background))
    strips: list[Strip] = []
    for row in range(rows):
        y = (row - top_rows) * 2
        if y < 0 or y >= height:
            strips.append(Strip([Segment(" " * columns, bg_style)], columns))
            continue
        segments = [Segment(" " * pad_left, bg_style)] if pad_left > 0 else []
        for x in range(width):
            top = pixels[x, y]
            bottom = pixels[x, y + 1] if y + 1 < height else background
            assert isinstance(top, tuple) and isinstance(bottom, tuple)
            style = Style(color=Color.from_rgb(*top[:3]), bgcolor=Color.from_rgb(*bottom[:3]))
            segments.append(Segment(UPPER_HALF, style))
        right = columns - pad_left - width
        if right > 0:
            segments.append(Segment(" " * right, bg_style))
        strips.append(Strip(Segment.simplify(segments), columns))
    return strips


class ImagePreview(Widget):
    """Shows an image (artwork, print file, mockup) as half blocks, fitted to the widget."""

    DEFAULT_CSS = """
    ImagePreview { width: 1fr; height: 1fr; min-height: 4; }
    """

    class Loaded(Message):
        """An image file finished loading."""

        def __init__(self, image: Image.Image, path: Path) -> None:
            super().__init__()
            self.image = image
            self.path = path

    class LoadFailed(Message):
        """An image file could not be read; `reason` says why."""

        def __init__(self, path: Path, reason: str) -> None:
            super().__init__()
            self.path = path
            self.reason = reason

    def __init__(
        self,
        image: Image.Image | None = None,
        *,
        background: RGB = (24, 24, 24),
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.background = background
        self._image = image
        self._strips: list[Strip] = []
        self._strips_for: tuple[int, int] | None = None

    @property
    def image(self) -> Image.Image | None:
        return self._image

    def set_image(self, image: Image.Image | None) -> None:
        self._image = image
        self._strips_for = None
        self.refresh()

    def load(self, path: Path) -> None:
        """Read the image at `path` in a thread and show it when it arrives."""
        self._load(path)

    @work(thread=True, exclusive=True, group="image-preview")
    def _load(self, path: Path) -> None:
        try:
            with Image.open(path) as opened:
                opened.draft("RGB", (800, 800))  # JPEGs decode at a fraction of their size
                image = opened.copy()
                image.thumbnail((800, 800))
        except (OSError, ValueError, Image.DecompressionBombError) as exc:
            self.post_message(self.LoadFailed(path, str(exc)))
            return
        self.post_message(self.Loaded(image, path))

    def on_image_preview_loaded(self, message: Loaded) -> None:
        self.set_image(message.image)

    def render_line(self, y: int) -> Strip:
        width, height = self.size.width, self.size.height
        if self._image is None:
            return Strip.blank(width)
        if self._strips_for != (width, height):
            self._strips = halfblock_lines(self._image, (width, height), self.background)
            self._strips_for = (width, height)
        return self._strips[y] if 0 <= y < len(self._strips) else Strip.blank(width)
