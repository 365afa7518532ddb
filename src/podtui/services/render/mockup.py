"""Mockups: the print composited onto a product photo inside the template's placement box.

The built-in photos (shirt, mug, poster) are drawn here from shapes, so they are deterministic,
tiny and licence-free; a template may name its own PNG instead. Garment colour follows colour
words in the variant title ("Black / L" gives a black shirt).
"""

from __future__ import annotations

import re
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter, ImageOps

from podtui.domain.template import Template
from podtui.services.render.renderer import RenderError, open_image

PHOTO_SIZE = (1000, 1000)
_COLOURS = {
    "black": (28, 28, 30),
    "white": (245, 245, 242),
    "navy": (30, 42, 74),
    "red": (170, 30, 40),
    "grey": (150, 150, 150),
    "gray": (150, 150, 150),
    "charcoal": (60, 62, 66),
    "green": (40, 100, 60),
    "blue": (50, 90, 170),
    "pink": (235, 170, 190),
}
_HEATHER = (196, 196, 192)


def garment_colour(variant: str) -> tuple[int, int, int]:
    for word in re.findall(r"\w+", variant.casefold()):
        if word in _COLOURS:
            return _COLOURS[word]
    return _HEATHER


def _shade(colour: tuple[int, int, int], by: int) -> tuple[int, int, int]:
    r, g, b = (max(0, min(255, c + by)) for c in colour)
    return (r, g, b)


@lru_cache(maxsize=8)
def builtin_photo(kind: str, colour: tuple[int, int, int]) -> Image.Image:
    """A plain studio-style product photo drawn from shapes."""
    photo = Image.new("RGB", PHOTO_SIZE, (236, 234, 230))
    draw = ImageDraw.Draw(photo)
    if kind == "shirt":
        body = [(300, 140), (420, 110), (500, 150), (580, 110), (700, 140), (880, 300),
                (790, 400), (730, 350), (730, 900), (270, 900), (270, 350), (210, 400),
                (120, 300)]  # fmt: skip
        draw.polygon(body, fill=colour)
        draw.arc((420, 70, 580, 190), 20, 160, fill=_shade(colour, -35), width=14)
    elif kind == "mug":
        draw.rounded_rectangle((220, 280, 720, 760), radius=40, fill=colour)
        draw.ellipse((220, 250, 720, 310), fill=_shade(colour, -30))
        draw.arc((660, 380, 860, 640), -90, 90, fill=colour, width=46)
    else:  # poster on a wall
        photo.paste((214, 206, 194), (0, 760, 1000, 1000))
        draw.rectangle((320, 140, 680, 660), fill=(40, 36, 34))
        draw.rectangle((334, 154, 666, 646), fill=(250, 250, 248))
    shadow = Image.new("L", PHOTO_SIZE, 0)
    ImageDraw.Draw(shadow).ellipse((200, 880, 800, 960), fill=90)
    photo.paste((150, 146, 140), (0, 0), shadow.filter(ImageFilter.GaussianBlur(18)))
    return photo


def render_mockup(
    print_image: Image.Image, preview: Image.Image, template: Template, variant: str
) -> Image.Image:
    """The print (or its `crop`) fitted into the placement box of the template's photo."""
    spec = template.mockup
    assert spec is not None
    if spec.photo in ("shirt", "mug", "poster"):
        colour = garment_colour(variant) if spec.photo == "shirt" else (250, 250, 250)
        photo = builtin_photo(spec.photo, colour).copy()
    else:
        try:
            data = template.resolve(spec.photo).read_bytes()
        except OSError as exc:
            raise RenderError(
                f"mockup photo {spec.photo!r} of template {template.name} cannot be read: "
                f"{exc.strerror or exc}"
            ) from None
        # Through open_image like every other image: any mode, its ICC profile, bomb-checked.
        photo = open_image(data, f"mockup photo {spec.photo!r}").convert("RGB")
    x, y, w, h = spec.box
    source = print_image
    if spec.crop is not None:
        cx, cy, cw, ch = spec.crop
        source = print_image.crop((cx, cy, cx + cw, cy + ch))
    elif max(preview.size) >= max(w, h):
        source = preview  # already small: no need to shrink 24 megapixels again
    art = ImageOps.contain(source, (w, h), Image.Resampling.LANCZOS).convert("RGBA")
    photo.paste(art, (x + (w - art.width) // 2, y + (h - art.height) // 2), art)
    return photo
