"""Artwork templates: the TOML file format and its strict loader.

A template says how to turn an item's personalization into a print file: the canvas (pixels
and DPI), then layers drawn in order. The full format, with an example, is in
`docs/templates.md`; in short::

    name = "shirt-front"          # what Artwork.template refers to
    width = 4500                   # canvas, pixels
    height = 5400
    dpi = 300                      # written into the PNG (default 300)
    background = "transparent"     # or a colour: "#fff", "#RRGGBB", "#RRGGBBAA", "white"
    language = "el"                # optional: the text's language for upper/lower case
                                   # (default: the store's customer locale)

    [[layers]]                     # a fixed image (PNG/JPEG/WebP), path relative to this file
    type = "image"
    id = "badge"
    src = "assets/badge.png"
    box = [250, 300, 4000, 2000]   # x, y, width, height in canvas pixels
    fit = "contain"                # contain | cover | stretch

    [[layers]]                     # a text layer bound to a personalization field
    type = "text"
    id = "name"
    field = "name"
    font = "DejaVuSans-Bold.ttf"   # or a list: the first font that has every glyph is used
    size = 600                     # largest size, pixels; shrinks to fit down to min_size
    min_size = 200
    color = "#111111"
    box = [250, 2400, 4000, 900]
    align = "center"               # left | center | right
    valign = "middle"              # top | middle | bottom
    max_chars = 20                 # longer values are flagged before rendering
    max_lines = 1                  # > 1 wraps words onto more lines
    transform = "upper"            # none | upper | lower | title, as the language writes it

    [[layers]]                     # a slot for the customer's photo (an http(s) URL field)
    type = "photo"
    id = "photo"
    field = "photo_url"
    box = [750, 600, 3000, 3000]
    fit = "cover"                  # cover | contain
    mask = "ellipse"               # none | ellipse | rounded (with radius)

    [[variants]]                   # overrides for some product variants (dark shirts ...)
    match = ["black", "navy"]      # whole words of the item's variant title, any case
    layers.name.color = "#ffffff"

    [mockup]                       # where the print sits on a product photo
    photo = "shirt"                # a built-in photo (shirt | mug | poster) or a PNG path
    box = [380, 330, 440, 528]     # placement box on the photo

Unknown keys, wrong types and impossible values are errors that name the file and the key.
This module is pure: it reads the TOML file it is given and nothing else.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from PIL import ImageColor
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from podtui.domain.errors import DomainError

Box = tuple[int, int, int, int]
_ID = r"^[A-Za-z_][A-Za-z0-9_-]*$"


class TemplateError(DomainError):
    """A template file that cannot be used; the message names the file and the bad key."""


def _check_box(box: Box) -> Box:
    _, _, w, h = box
    if w <= 0 or h <= 0:
        raise ValueError(f"box width and height must be more than 0, not {w}x{h}")
    return box


def _check_color(value: str) -> str:
    if value == "transparent":
        return value
    try:
        ImageColor.getrgb(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a colour (use #RRGGBB, #RRGGBBAA or a name)") from None
    return value


def parse_color(value: str) -> tuple[int, int, int, int]:
    """An RGBA tuple for a validated colour string ("transparent" is fully clear)."""
    if value == "transparent":
        return (0, 0, 0, 0)
    rgb = ImageColor.getrgb(value)
    return (rgb[0], rgb[1], rgb[2], rgb[3] if len(rgb) == 4 else 255)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class _Layer(_Strict):
    id: Annotated[str, Field(pattern=_ID)]
    box: Box
    opacity: Annotated[float, Field(ge=0.0, le=1.0, strict=False)] = 1.0

    @field_validator("box", mode="before")
    @classmethod
    def _box_list(cls, value: Any) -> Any:
        # TOML arrays arrive as lists; strict mode would refuse them for a tuple.
        return tuple(value) if isinstance(value, list) else value

    @field_validator("box")
    @classmethod
    def _box(cls, value: Box) -> Box:
        return _check_box(value)


class ImageLayer(_Layer):
    """A fixed picture (logo, frame, texture) drawn the same on every print."""

    type: Literal["image"]
    src: str
    fit: Literal["contain", "cover", "stretch"] = "contain"


class RectLayer(_Layer):
    """A filled rectangle (a panel behind text, a background band)."""

    type: Literal["rect"]
    color: str
    radius: Annotated[int, Field(ge=0)] = 0

    @field_validator("color")
    @classmethod
    def _color(cls, value: str) -> str:
        return _check_color(value)


class TextLayer(_Layer):
    """Text from a personalization field, shrunk to fit its box down to `min_size`."""

    type: Literal["text"]
    field: Annotated[str, Field(pattern=_ID)]
    label: str = ""
    font: str | tuple[str, ...]
    size: Annotated[int, Field(gt=0)]
    min_size: Annotated[int, Field(gt=0)] | None = None
    color: str = "#000000"
    align: Literal["left", "center", "right"] = "center"
    valign: Literal["top", "middle", "bottom"] = "middle"
    max_chars: Annotated[int, Field(gt=0)] | None = None
    max_lines: Annotated[int, Field(gt=0)] = 1
    line_spacing: Annotated[float, Field(gt=0.0, strict=False)] = 1.15
    transform: Literal["none", "upper", "lower", "title"] = "none"
    required: bool = True
    default: str = ""

    @field_validator("color")
    @classmethod
    def _color(cls, value: str) -> str:
        return _check_color(value)

    @field_validator("font", mode="before")
    @classmethod
    def _font_list(cls, value: Any) -> Any:
        if isinstance(value, list):
            if not value:
                raise ValueError("font list is empty")
            return tuple(value)
        return value

    @model_validator(mode="after")
    def _sizes(self) -> TextLayer:
        if self.min_size is not None and self.min_size > self.size:
            raise ValueError(f"min_size {self.min_size} is more than size {self.size}")
        return self

    @property
    def fonts(self) -> tuple[str, ...]:
        return (self.font,) if isinstance(self.font, str) else self.font

    @property
    def smallest(self) -> int:
        return self.min_size if self.min_size is not None else self.size


class PhotoLayer(_Layer):
    """A slot for the customer's uploaded photo, fetched from the URL in `field`."""

    type: Literal["photo"]
    field: Annotated[str, Field(pattern=_ID)]
    label: str = ""
    fit: Literal["cover", "contain"] = "cover"
    mask: Literal["none", "ellipse", "rounded"] = "none"
    radius: Annotated[int, Field(ge=0)] = 0
    required: bool = True


Layer = Annotated[ImageLayer | RectLayer | TextLayer | PhotoLayer, Field(discriminator="type")]


class Variant(_Strict):
    """Changes to some layers for the variants whose title contains one of `match`."""

    match: Annotated[tuple[str, ...], Field(min_length=1)]
    layers: dict[str, dict[str, Any]] = {}

    @field_validator("match", mode="before")
    @classmethod
    def _match_list(cls, value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else value

    def applies_to(self, variant_title: str) -> bool:
        words = variant_title.casefold()
        return any(re.search(rf"(?<!\w){re.escape(m.casefold())}(?!\w)", words) for m in self.match)


class Mockup(_Strict):
    """Where the print goes on a product photo (built-in shirt/mug/poster, or a PNG file)."""

    photo: str
    box: Box
    crop: Box | None = None  # the part of the print shown (a mug shows the front of the wrap)

    @field_validator("box", "crop", mode="before")
    @classmethod
    def _box_list(cls, value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else value

    @field_validator("box", "crop")
    @classmethod
    def _box(cls, value: Box | None) -> Box | None:
        return None if value is None else _check_box(value)


class Template(_Strict):
    """A validated template; `directory` is where its relative paths start."""

    name: Annotated[str, Field(pattern=_ID)]
    title: str = ""
    width: Annotated[int, Field(gt=0, le=30000)]
    height: Annotated[int, Field(gt=0, le=30000)]
    dpi: Annotated[int, Field(gt=0, le=2400)] = 300
    background: str = "transparent"
    language: Annotated[str, Field(pattern=r"^([A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*)?$")] = ""
    preview_size: Annotated[int, Field(ge=64, le=2048)] = 600
    layers: Annotated[tuple[Layer, ...], Field(min_length=1)]
    variants: tuple[Variant, ...] = ()
    mockup: Mockup | None = None
    directory: str = ""

    @field_validator("background")
    @classmethod
    def _bg(cls, value: str) -> str:
        return _check_color(value)

    @field_validator("layers", "variants", mode="before")
    @classmethod
    def _tuple(cls, value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else value

    @model_validator(mode="after")
    def _consistent(self) -> Template:
        seen: set[str] = set()
        for layer in self.layers:
            if layer.id in seen:
                raise ValueError(f"two layers have the id {layer.id!r}")
            seen.add(layer.id)
            x, y, w, h = layer.box
            if x < 0 or y < 0 or x + w > self.width or y + h > self.height:
                raise ValueError(
                    f"layer {layer.id!r}: box {list(layer.box)} does not lie inside the "
                    f"{self.width}x{self.height} canvas"
                )
        for n, variant in enumerate(self.variants):
            for layer_id in variant.layers:
                if layer_id not in seen:
                    raise ValueError(f"variants[{n}] changes unknown layer {layer_id!r}")
        return self

    def layer(self, layer_id: str) -> Layer:
        for layer in self.layers:
            if layer.id == layer_id:
                return layer
        raise KeyError(layer_id)

    @property
    def fields(self) -> list[FieldSpec]:
        """The personalization fields the template takes, in layer order."""
        specs: dict[str, FieldSpec] = {}
        for layer in self.layers:
            if isinstance(layer, TextLayer | PhotoLayer) and layer.field not in specs:
                specs[layer.field] = FieldSpec(
                    name=layer.field,
                    label=layer.label or layer.field.replace("_", " ").capitalize(),
                    kind="text" if isinstance(layer, TextLayer) else "photo",
                    required=layer.required,
                    max_chars=layer.max_chars if isinstance(layer, TextLayer) else None,
                )
        return list(specs.values())

    def for_variant(self, variant_title: str) -> Template:
        """The template with the overrides of every variant rule that matches applied."""
        overrides: dict[str, dict[str, Any]] = {}
        for variant in self.variants:
            if variant.applies_to(variant_title):
                for layer_id, changes in variant.layers.items():
                    overrides.setdefault(layer_id, {}).update(changes)
        if not overrides:
            return self
        data = self.model_dump(mode="python")
        for entry in data["layers"]:
            entry.update(overrides.get(entry["id"], {}))
        return _validate(data, f"{self.name} (variant {variant_title!r})")

    def resolve(self, relative: str) -> Path:
        """A path named in the template, relative to the template's own folder."""
        path = Path(relative)
        return path if path.is_absolute() else Path(self.directory) / path


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One personalization field a template takes."""

    name: str
    label: str
    kind: Literal["text", "photo"]
    required: bool
    max_chars: int | None


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("image", "rect", "text", "photo") and out.endswith("]"):
            continue  # pydantic's discriminator tag: the layer index already says which
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


_TOO_SHORT = {  # what an empty list that must have entries is told
    "layers": "a template needs at least one layer",
    "match": "give at least one word of the variant titles it is for",
}


def _validate(data: dict[str, Any], source: str) -> Template:
    try:
        return Template.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        problems = []
        for err in errors:
            msg = err["msg"].removeprefix("Value error, ")
            loc = err["loc"]
            if err["type"] == "too_short":
                if any(other["loc"][: len(loc)] == loc != other["loc"] for other in errors):
                    continue  # counted after its broken entries were dropped: not a mistake
                msg = _TOO_SHORT.get(str(loc[-1]), "needs at least one entry")
            elif err["type"] == "extra_forbidden":
                msg = "unknown key"
            elif err["type"] == "missing":
                msg = "missing (required)"
            problems.append(f"{_where(err['loc'])}: {msg}")
        raise TemplateError(f"template {source}: " + "; ".join(problems)) from None


def parse_template(data: dict[str, Any], directory: Path, source: str = "") -> Template:
    """Validate a parsed TOML document into a Template whose paths start at `directory`."""
    if "directory" in data:
        raise TemplateError(f"template {source}: directory: unknown key")
    return _validate({**data, "directory": str(directory)}, source or "<data>")


def load_template(path: Path) -> Template:
    """Read and validate the template file at `path`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TemplateError(f"template file {path} does not exist") from None
    except OSError as exc:
        raise TemplateError(f"template file {path} cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        # Saved by an editor in Latin-1 or UTF-16; TOML is UTF-8, so say where and what to do.
        line = exc.object[: exc.start].count(b"\n") + 1
        raise TemplateError(
            f"template file {path} is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} on "
            f"line {line}); save it as UTF-8"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"template {path}: not valid TOML: {exc}") from None
    return parse_template(data, path.parent, str(path))
