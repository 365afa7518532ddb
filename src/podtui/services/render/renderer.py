"""The Pillow renderer: a template plus field values -> a print-ready RGBA image, deterministically.

Text is shaped by FreeType (and Raqm where Pillow has it, for Arabic and Hebrew), shrunk to fit
its box, and drawn through a mask so it composites correctly over photos. Glyph coverage is
checked against each font's character map first: an emoji no font has is dropped with a
warning, any other missing character refuses the render, so nothing prints as tofu boxes.
Fonts, glyph maps and the fixed layers under the first personalized layer are cached per
process (`RenderCache`); pass a fresh cache to render with no reuse at all.
"""

from __future__ import annotations

import io
import unicodedata
import warnings
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont, TTLibError
from PIL import (
    Image,
    ImageChops,
    ImageDraw,
    ImageFont,
    ImageOps,
    UnidentifiedImageError,
)

from podtui.domain.errors import DomainError
from podtui.domain.letter_case import change_case
from podtui.domain.personalization import BLANK_GLYPHS, empty_message, has_visible_text
from podtui.domain.template import (
    ImageLayer,
    Layer,
    PhotoLayer,
    RectLayer,
    Template,
    TextLayer,
    parse_color,
)
from podtui.services.render.image_modes import to_srgb_rgba

PACKAGE_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
PACKAGE_FONTS = PACKAGE_TEMPLATES / "fonts"
PHOTO_FORMATS = ["PNG", "JPEG", "WEBP", "GIF", "TIFF", "BMP"]

PhotoLoader = Callable[[str, str], bytes]  # (value of the field, label) -> image bytes


class RenderError(DomainError):
    """An input the renderer cannot make a correct print from; the message says which and why."""


# Characters that make up emoji sequences: pictographs, flags, keycaps, skin tones, joiners.
_EMOJI_RANGES = (
    (0x1F000, 0x1FAFF),
    (0x2600, 0x27BF),
    (0x2300, 0x23FF),
    (0x2B00, 0x2BFF),
    (0xE0020, 0xE007F),
)
_EMOJI_COMPONENTS = frozenset({0x200D, 0xFE0E, 0xFE0F, 0x20E3}) | frozenset(range(0x1F3FB, 0x1F400))


def _is_emoji(cp: int) -> bool:
    return cp in _EMOJI_COMPONENTS or any(lo <= cp <= hi for lo, hi in _EMOJI_RANGES)


@dataclass
class RenderCache:
    """What a process reuses between renders: fonts, glyph maps, fixed layers, masks."""

    fonts: dict[tuple[str, int], ImageFont.FreeTypeFont] = field(default_factory=dict)
    cmaps: dict[str, frozenset[int]] = field(default_factory=dict)
    bases: OrderedDict[str, tuple[Image.Image, int]] = field(default_factory=OrderedDict)
    max_bases: int = 4

    def font(self, path: str, size: int) -> ImageFont.FreeTypeFont:
        key = (path, size)
        font = self.fonts.get(key)
        if font is None:
            layout = ImageFont.Layout.RAQM if ImageFont.core.HAVE_RAQM else ImageFont.Layout.BASIC
            font = ImageFont.truetype(path, size, layout_engine=layout)
            if len(self.fonts) > 512:  # shrink-to-fit tries many sizes; keep memory bounded
                self.fonts.clear()
            self.fonts[key] = font
        return font

    def cmap(self, path: str) -> frozenset[int]:
        found = self.cmaps.get(path)
        if found is None:
            try:
                with TTFont(path, lazy=True) as tt:
                    found = frozenset(tt.getBestCmap() or {})
            except (TTLibError, OSError, AssertionError) as exc:
                raise RenderError(f"font {Path(path).name} cannot be read: {exc}") from None
            self.cmaps[path] = found
        return found


def resolve_font(template: Template, name: str) -> str:
    """The font file for `name`: next to the template, else one of the fonts podtui ships."""
    for candidate in (template.resolve(name), PACKAGE_FONTS / Path(name).name):
        if candidate.is_file():
            return str(candidate)
    raise RenderError(
        f"font {name!r} of template {template.name} is missing "
        f"(looked in {template.directory} and {PACKAGE_FONTS})"
    )


def _clean(text: str, multiline: bool) -> str:
    text = unicodedata.normalize("NFC", text)
    if not multiline:
        text = " ".join(text.split())
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc").strip()


def choose_font(
    template: Template, layer: TextLayer, text: str, cache: RenderCache
) -> tuple[str, str, list[str]]:
    """(font path, text to draw, warnings): the first font that can draw every letter.

    Emoji the chosen font lacks are dropped (with the rest of their sequence) and reported.
    """
    misses: list[str] = []
    for name in layer.fonts:
        path = resolve_font(template, name)
        cmap = cache.cmap(path)
        kept: list[str] = []
        dropped: list[str] = []
        missing: list[str] = []
        in_sequence = after_joiner = False
        for ch in text:
            cp = ord(ch)
            if in_sequence:
                # The rest of a dropped emoji's sequence (joiner, variation selector, skin
                # tone, the next emoji after a joiner) goes with it.
                if cp in _EMOJI_COMPONENTS or (after_joiner and _is_emoji(cp)):
                    dropped.append(ch)
                    after_joiner = cp == 0x200D
                    continue
                in_sequence = after_joiner = False
            if cp in cmap or ch == "\n" or unicodedata.category(ch) == "Zs":
                kept.append(ch)
            elif unicodedata.category(ch) == "Cf" or cp in BLANK_GLYPHS:
                continue  # draws nothing anyway (a zero-width space the font lacks)
            elif _is_emoji(cp):
                dropped.append(ch)
                in_sequence, after_joiner = True, cp == 0x200D
            else:
                missing.append(ch)
        if missing:
            shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in dict.fromkeys(missing))
            misses.append(f"{Path(path).name} lacks {shown}")
            continue
        result = " ".join("".join(kept).split(" "))
        result = "\n".join(" ".join(line.split()) for line in result.split("\n")).strip()
        notes = []
        emoji = "".join(c for c in dropped if ord(c) not in _EMOJI_COMPONENTS)
        if dropped:
            notes.append(
                f"{layer.label or layer.field}: dropped emoji {emoji or '(sequence)'}: "
                f"no font of the template has them"
            )
        return path, result, notes
    raise RenderError(
        f"{layer.label or layer.field}: no font can draw this text ({'; '.join(misses)})"
    )


_MEASURE = ImageDraw.Draw(Image.new("L", (1, 1)))


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int, max_lines: int) -> str | None:
    """Greedy word wrap into at most `max_lines` lines of at most `width` pixels, or None."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            trial = f"{current} {word}" if current else word
            if font.getlength(trial) <= width:
                current = trial
                continue
            if not current or font.getlength(word) > width:
                return None
            lines.append(current)
            current = word
        lines.append(current)
    return "\n".join(lines) if len(lines) <= max_lines else None


@dataclass(frozen=True)
class _Fitted:
    font: ImageFont.FreeTypeFont
    text: str
    spacing: int
    bbox: tuple[int, int, int, int]


def fit_text(layer: TextLayer, text: str, font_path: str, cache: RenderCache) -> _Fitted:
    """The largest size from `size` down to `min_size` at which the text fits the box."""
    _, _, box_w, box_h = layer.box

    def attempt(size: int) -> _Fitted | None:
        font = cache.font(font_path, size)
        spacing = round(size * (layer.line_spacing - 1.0))
        if layer.max_lines == 1:
            wrapped = text.replace("\n", " ")
        else:
            wrapped_or_none = _wrap(text, font, box_w, layer.max_lines)
            if wrapped_or_none is None:
                return None
            wrapped = wrapped_or_none
        bbox = _MEASURE.multiline_textbbox(
            (0, 0), wrapped, font=font, spacing=spacing, align=layer.align
        )
        left, top, right, bottom = (int(v) for v in bbox)
        if right - left > box_w or bottom - top > box_h:
            return None
        return _Fitted(font, wrapped, spacing, (left, top, right, bottom))

    best = attempt(layer.size)
    if best is not None:
        return best
    low, high = layer.smallest, layer.size - 1
    found = attempt(low)
    if found is None:
        raise RenderError(
            f"{layer.label or layer.field}: {text!r} does not fit its box even at the smallest "
            f"size ({layer.smallest} px); shorten it"
        )
    while low < high:  # invariant: `found` fits at `low`
        mid = (low + high + 1) // 2
        trial = attempt(mid)
        if trial is None:
            high = mid - 1
        else:
            low, found = mid, trial
    return found


def _with_opacity(image: Image.Image, opacity: float) -> Image.Image:
    if opacity >= 1.0:
        return image
    alpha = image.getchannel("A").point(lambda v: round(v * opacity))
    image = image.copy()
    image.putalpha(alpha)
    return image


def _draw_text(canvas: Image.Image, layer: TextLayer, fitted: _Fitted) -> None:
    x, y, box_w, box_h = layer.box
    left, top, right, bottom = fitted.bbox
    width, height = right - left, bottom - top
    dx = {"left": -left, "center": (box_w - width) // 2 - left, "right": box_w - width - left}
    dy = {"top": -top, "middle": (box_h - height) // 2 - top, "bottom": box_h - height - top}
    mask = Image.new("L", (box_w, box_h), 0)
    ImageDraw.Draw(mask).multiline_text(
        (dx[layer.align], dy[layer.valign]),
        fitted.text,
        fill=255,
        font=fitted.font,
        spacing=fitted.spacing,
        align=layer.align,
    )
    r, g, b, a = parse_color(layer.color)
    a = round(a * layer.opacity)
    if a < 255:
        mask = mask.point(lambda v: v * a // 255)
    ink = Image.new("RGBA", mask.size, (r, g, b, 0))
    ink.putalpha(mask)
    canvas.alpha_composite(ink, dest=(x, y))


def _fit_image(image: Image.Image, size: tuple[int, int], fit: str) -> Image.Image:
    if fit == "stretch":
        return image.resize(size, Image.Resampling.LANCZOS)
    if fit == "cover":
        return ImageOps.fit(image, size, Image.Resampling.LANCZOS)
    inner = ImageOps.contain(image, size, Image.Resampling.LANCZOS)
    framed = Image.new("RGBA", size, (0, 0, 0, 0))
    framed.paste(inner, ((size[0] - inner.width) // 2, (size[1] - inner.height) // 2))
    return framed


@lru_cache(maxsize=16)
def _mask(size: tuple[int, int], shape: str, radius: int) -> Image.Image:
    mask = Image.new("L", size, 0)
    draw = ImageDraw.Draw(mask)
    box = (0, 0, size[0] - 1, size[1] - 1)
    if shape == "ellipse":
        draw.ellipse(box, fill=255)
    else:
        draw.rounded_rectangle(box, radius=radius, fill=255)
    return mask


def open_image(data: bytes, what: str) -> Image.Image:
    """Decode image bytes safely: corrupt data and decompression bombs become RenderErrors."""
    with warnings.catch_warnings():
        # Above MAX_IMAGE_PIXELS Pillow only warns; a print shop refuses those too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            opened = Image.open(io.BytesIO(data), formats=PHOTO_FORMATS)
            opened.load()
            icc = opened.info.get("icc_profile")
            image: Image.Image = ImageOps.exif_transpose(opened)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise RenderError(f"{what} is too large to process safely: {exc}") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise RenderError(f"{what} is not a readable image ({exc})") from None
    return to_srgb_rgba(image, icc)


def _fixed_layer(template: Template, layer: ImageLayer | RectLayer) -> Image.Image:
    _, _, w, h = layer.box
    if isinstance(layer, RectLayer):
        tile = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        ImageDraw.Draw(tile).rounded_rectangle(
            (0, 0, w - 1, h - 1), radius=layer.radius, fill=parse_color(layer.color)
        )
    else:
        path = template.resolve(layer.src)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise RenderError(
                f"image {layer.src!r} of template {template.name} cannot be read: "
                f"{exc.strerror or exc}"
            ) from None
        tile = _fit_image(open_image(data, f"template image {layer.src!r}"), (w, h), layer.fit)
    return _with_opacity(tile, layer.opacity)


def _is_fixed(layer: Layer) -> bool:
    return isinstance(layer, ImageLayer | RectLayer)


def template_key(template: Template) -> str:
    """What decides a template's fixed pixels: its (variant-applied) data and its images."""
    stamps = []
    for layer in template.layers:
        if isinstance(layer, ImageLayer):
            try:
                stat = template.resolve(layer.src).stat()
                stamps.append(f"{layer.src}:{stat.st_mtime_ns}:{stat.st_size}")
            except OSError:
                stamps.append(f"{layer.src}:missing")
    return template.model_dump_json() + "|" + "|".join(stamps)


def _base(template: Template, cache: RenderCache | None) -> tuple[Image.Image, int]:
    """The canvas with every fixed layer below the first personalized one, and how many."""
    key = template_key(template)
    if cache is not None and key in cache.bases:
        cache.bases.move_to_end(key)
        base, count = cache.bases[key]
        return base.copy(), count
    canvas = Image.new("RGBA", (template.width, template.height), parse_color(template.background))
    count = 0
    for layer in template.layers:
        if not _is_fixed(layer):
            break
        assert isinstance(layer, ImageLayer | RectLayer)
        canvas.alpha_composite(_fixed_layer(template, layer), dest=layer.box[:2])
        count += 1
    if cache is not None:
        cache.bases[key] = (canvas, count)
        while len(cache.bases) > cache.max_bases:
            cache.bases.popitem(last=False)
        return canvas.copy(), count
    return canvas, count


@dataclass
class Rendered:
    """A rendered print: the full-size image and what the operator should know about it."""

    image: Image.Image
    warnings: list[str] = field(default_factory=list)


def render_image(
    template: Template,
    values: dict[str, str],
    *,
    load_photo: PhotoLoader,
    cache: RenderCache | None = None,
    language: str = "",
) -> Rendered:
    """Draw the print for these field values; raises RenderError on input it cannot print.

    Text is cased as `language` writes it (the template's own `language` setting wins).
    """
    language = template.language or language
    work_cache = cache if cache is not None else RenderCache()
    canvas, skip = _base(template, cache)
    notes: list[str] = []
    for layer in template.layers[skip:]:
        if isinstance(layer, ImageLayer | RectLayer):
            canvas.alpha_composite(_fixed_layer(template, layer), dest=layer.box[:2])
        elif isinstance(layer, TextLayer):
            given = values.get(layer.field, "")
            # A value with no visible glyph is empty: the default stands in, or it is refused.
            raw = given if has_visible_text(given) else layer.default
            text = _clean(raw, layer.max_lines > 1)
            if not has_visible_text(text):
                if layer.required:
                    raise RenderError(empty_message(layer.label or layer.field, given))
                continue
            font_path, text, found = choose_font(template, layer, text, work_cache)
            notes += found
            text = change_case(text, layer.transform, language)
            if not has_visible_text(text):
                if layer.required:
                    raise RenderError(
                        f"{layer.label or layer.field} has nothing printable left "
                        "after dropping emoji"
                    )
                continue
            _draw_text(canvas, layer, fit_text(layer, text, font_path, work_cache))
        else:
            assert isinstance(layer, PhotoLayer)
            source = (values.get(layer.field) or "").strip()
            label = layer.label or layer.field
            if not source:
                if layer.required:
                    raise RenderError(f"{label} is empty; the design needs a photo")
                continue
            photo = open_image(load_photo(source, label), f"{label} ({source})")
            size = layer.box[2], layer.box[3]
            tile = _fit_image(photo, size, layer.fit)
            if layer.mask != "none":
                tile.putalpha(
                    ImageChops.multiply(tile.getchannel("A"), _mask(size, layer.mask, layer.radius))
                )
            canvas.alpha_composite(_with_opacity(tile, layer.opacity), dest=layer.box[:2])
    return Rendered(canvas, notes)
