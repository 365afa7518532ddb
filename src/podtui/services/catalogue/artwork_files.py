"""One artwork on disk: a print image or a template with its assets, checked, hashed and copied.

`prepare(path)` reads without writing: a PNG/JPEG print image becomes a one-layer template over
the whole image; a template TOML is validated and every file it names (image layers, fonts next
to it, a mockup photo; variant overrides too) must exist and be readable. A font that is neither
next to the template nor one podtui ships is refused, since no render could use it. The content
hash is the sha256 of the file and of each asset, so the same artwork is the same hash wherever
it was added from. `install` copies it into `<library>/<hash>/` (template.toml, assets/, fonts/,
preview.png) through a temporary folder renamed into place, with asset paths rewritten to the
copies: moving or deleting the original later breaks nothing.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
from fontTools.ttLib import TTFont, TTLibError
from PIL import Image, UnidentifiedImageError

from podtui.domain.errors import DomainError
from podtui.domain.template import ImageLayer, Template, TemplateError, TextLayer, load_template
from podtui.services.render.renderer import PACKAGE_FONTS, PHOTO_FORMATS, render_image

PRINT_FORMATS = ("PNG", "JPEG")
BUILTIN_PHOTOS = ("shirt", "mug", "poster")
PREVIEW_PIXELS = 480
HASH_LENGTH = 24  # hex digits of the sha256 in the folder name


class ArtworkError(DomainError):
    """Why one file cannot become artwork; the message is the reason alone."""


@dataclass(frozen=True)
class Asset:
    """A file the artwork needs: where it is now, and its path inside the library folder."""

    source: Path
    target: str


@dataclass(frozen=True)
class PreparedArtwork:
    """A checked artwork, ready to copy into the library."""

    source: Path
    kind: str  # image | template
    name: str
    fields: tuple[str, ...]
    template_text: str  # template.toml as written into the library (asset paths rewritten)
    assets: tuple[Asset, ...]
    content_hash: str

    @property
    def folder_name(self) -> str:
        return self.content_hash[:HASH_LENGTH]


def _image_facts(path: Path, formats: tuple[str, ...] | list[str]) -> Image.Image:
    """The opened (not decoded) image at `path`; ArtworkError when it is not one of `formats`."""
    try:
        image = Image.open(path, formats=list(formats))
        image.verify()  # damaged data: bad checksums, truncated chunks
    except Image.DecompressionBombError:
        raise ArtworkError("the image is too large to process safely") from None
    except UnidentifiedImageError:
        try:
            with Image.open(path) as other:
                found = f"a {other.format} image"
        except (UnidentifiedImageError, OSError):
            found = "not an image"
        raise ArtworkError(f"{found}; podtui takes {' or '.join(formats)}") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ArtworkError(f"a damaged image ({exc})") from None
    return Image.open(path, formats=list(formats))  # verify() leaves the first one unusable


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "artwork"
    return slug if re.match(r"[A-Za-z_]", slug) else f"art-{slug}"


def _hash(parts: list[tuple[str, Path]]) -> str:
    digest = hashlib.sha256()
    for label, path in parts:
        digest.update(label.encode() + b"\0")
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


def prepare_image(path: Path) -> PreparedArtwork:
    """A print image as artwork: one image layer over a canvas of the image's own size."""
    with _image_facts(path, PRINT_FORMATS) as image:
        fmt, (width, height) = image.format or "PNG", image.size
        dpi = image.info.get("dpi")
    if width > 30000 or height > 30000:
        raise ArtworkError(f"{width}x{height} pixels is more than a print (30000 at most)")
    target = "print.png" if fmt == "PNG" else "print.jpg"
    doc = tomlkit.document()
    doc.add(tomlkit.comment(f"The print image {path.name}, added as it is."))
    doc["name"] = _slug(path.stem)
    doc["title"] = path.name
    doc["width"], doc["height"] = width, height
    doc["dpi"] = max(1, min(2400, round(float(dpi[0])))) if dpi else 300
    layer = tomlkit.table()
    layer.update({"type": "image", "id": "print", "src": target, "box": [0, 0, width, height]})
    layer["fit"] = "stretch"
    doc["layers"] = tomlkit.aot()
    doc["layers"].append(layer)
    return PreparedArtwork(
        source=path,
        kind="image",
        name=path.stem,
        fields=(),
        template_text=tomlkit.dumps(doc),
        assets=(Asset(path, target),),
        content_hash=_hash([("image", path)]),
    )


class _Assets:
    """The files a template names, each with its place in the library and its problems."""

    def __init__(self, template: Template) -> None:
        self.template = template
        self.targets: dict[Path, str] = {}
        self.problems: list[str] = []

    def add(self, written: str, where: str, folder: str, check: Any) -> str | None:
        source = self.template.resolve(written)
        if not source.is_file():
            self.problems.append(f"{where}: {written!r} does not exist (looked for {source})")
            return None
        try:
            check(source)
        except ArtworkError as exc:
            self.problems.append(f"{where}: {written!r} is {exc}")
            return None
        key = source.resolve()
        if key not in self.targets:
            taken = set(self.targets.values())
            target, n = f"{folder}/{source.name}", 1
            while target in taken:
                n += 1
                target = f"{folder}/{n}-{source.name}"
            self.targets[key] = target
        return self.targets[key]

    def image(self, written: str, where: str) -> str | None:
        return self.add(written, where, "assets", lambda p: _image_facts(p, PHOTO_FORMATS).close())

    def font(self, written: str, where: str) -> str | None:
        """The font's library path; None when podtui ships it (or it is missing: a problem)."""
        if self.template.resolve(written).is_file():
            return self.add(written, where, "fonts", _check_font)
        if (PACKAGE_FONTS / Path(written).name).is_file():
            return None  # one of podtui's own fonts: found by name at render time
        shipped = ", ".join(sorted(p.name for p in PACKAGE_FONTS.glob("*.tt[fc]")))
        self.problems.append(
            f"{where}: font {written!r} is missing on this machine (not next to the template "
            f"in {self.template.directory}, and not one podtui ships: {shipped}); put the font "
            "file next to the template"
        )
        return None


def _check_font(path: Path) -> None:
    try:
        with TTFont(path, lazy=True) as font:
            font.getBestCmap()
    except (TTLibError, OSError, AssertionError, KeyError) as exc:
        raise ArtworkError(f"not a font podtui can read ({exc})") from None


def _fonts(value: Any, assets: _Assets, where: str) -> Any:
    """`font` (a name or a list of names) with each copied font's library path."""
    names = [value] if isinstance(value, str) else list(value)
    out = [assets.font(str(n), where) or str(n) for n in names]
    return out[0] if isinstance(value, str) else out


def prepare_template(path: Path) -> PreparedArtwork:
    """A template TOML with every file it names; ArtworkError lists what is wrong."""
    try:
        template = load_template(path)
    except TemplateError as exc:
        raise ArtworkError(str(exc).replace(f"template {path}: ", "")) from None
    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    assets = _Assets(template)
    by_id = {str(t["id"]): t for t in doc["layers"]}
    for layer in template.layers:
        where = f"layer {layer.id!r}"
        if isinstance(layer, ImageLayer):
            target = assets.image(layer.src, where)
            if target:
                by_id[layer.id]["src"] = target
        elif isinstance(layer, TextLayer):
            by_id[layer.id]["font"] = _fonts(layer.font, assets, where)
    for n, variant in enumerate(doc.get("variants") or []):
        for layer_id, changes in (variant.get("layers") or {}).items():
            where = f"variants[{n}] layer {layer_id!r}"
            if "src" in changes:
                changes["src"] = assets.image(str(changes["src"]), where) or changes["src"]
            if "font" in changes:
                changes["font"] = _fonts(changes["font"], assets, where)
    if template.mockup is not None and template.mockup.photo not in BUILTIN_PHOTOS:
        target = assets.image(template.mockup.photo, "mockup photo")
        if target:
            doc["mockup"]["photo"] = target
    if assets.problems:
        raise ArtworkError("; ".join(assets.problems))
    parts = [("template", path)]
    parts += sorted((target, source) for source, target in assets.targets.items())
    return PreparedArtwork(
        source=path,
        kind="template",
        name=template.title or template.name,
        fields=tuple(f.name for f in template.fields),
        template_text=tomlkit.dumps(doc),
        assets=tuple(Asset(source, target) for source, target in assets.targets.items()),
        content_hash=_hash(parts),
    )


def prepare(path: Path) -> PreparedArtwork:
    """The artwork at `path` (a .toml template, else a print image), checked; nothing written."""
    if path.suffix.lower() == ".toml":
        return prepare_template(path)
    return prepare_image(path)


def _placeholder_photo(source: str, label: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (150, 150, 150)).save(buffer, "PNG")
    return buffer.getvalue()


def sample_image(template: Template) -> Image.Image:
    """The template drawn with each field's label as its value, at preview size."""
    values = {f.name: f.label for f in template.fields}
    image = render_image(template, values, load_photo=_placeholder_photo).image
    image.thumbnail((PREVIEW_PIXELS, PREVIEW_PIXELS))
    return image


def _write_preview(folder: Path, prepared: PreparedArtwork) -> None:
    """preview.png: the print image, or the template drawn with each field's label as its value."""
    try:
        if prepared.kind == "image":
            with Image.open(folder / prepared.assets[0].target) as opened:
                opened.draft("RGB", (PREVIEW_PIXELS, PREVIEW_PIXELS))
                image = opened.convert("RGBA")
            image.thumbnail((PREVIEW_PIXELS, PREVIEW_PIXELS))
        else:
            image = sample_image(load_template(folder / "template.toml"))
        image.save(folder / "preview.png")
    except (DomainError, OSError, ValueError):
        return  # no preview is no reason to refuse the artwork


def install(prepared: PreparedArtwork, library: Path) -> Path:
    """Copy the artwork into `library/<hash>/` (once: an existing copy is kept); its folder."""
    folder = library / prepared.folder_name
    if (folder / "template.toml").is_file():
        return folder
    shutil.rmtree(folder, ignore_errors=True)  # what a copy cut short left behind
    library.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".adding-", dir=library))
    try:
        for asset in prepared.assets:
            target = work / asset.target
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(asset.source, target)
        (work / "template.toml").write_text(prepared.template_text, encoding="utf-8")
        _write_preview(work, prepared)
        try:
            work.rename(folder)
        except OSError:
            if not (folder / "template.toml").is_file():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return folder
