"""The artwork library: content-addressed copies of print images and templates with their assets."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import tomlkit
from PIL import Image
from sqlmodel import select

from podtui import config
from podtui.db import Database
from podtui.domain.errors import ValidationError
from podtui.domain.models import Artwork
from podtui.domain.template import load_template
from podtui.services.catalogue.artwork_library import add_artwork, library_dir, list_artwork
from podtui.services.render.jobs import resolve_template
from podtui.services.render.renderer import PACKAGE_TEMPLATES, render_image

SHIRT = PACKAGE_TEMPLATES / "shirt-front.toml"


def _png(path: Path, size: tuple[int, int] = (40, 30), colour: str = "#c03030") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGBA", size, colour).save(path, dpi=(150, 150))
    return path


def _template(folder: Path, font: str = "fonts/DejaVuSans-Bold.ttf") -> Path:
    """A copy of the shipped shirt template with its badge and font beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(PACKAGE_TEMPLATES / "assets", folder / "assets")
    shutil.copytree(PACKAGE_TEMPLATES / "fonts", folder / "fonts")
    text = SHIRT.read_text().replace('"fonts/DejaVuSans-Bold.ttf"', f'"{font}"')
    (folder / "shirt.toml").write_text(text)
    return folder / "shirt.toml"


def _rows(db: Database) -> list[Artwork]:
    with db.read() as session:
        return list(session.exec(select(Artwork)).all())


def _library_files() -> list[str]:
    root = library_dir()
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")) if root.exists() else []


def test_a_print_image_is_copied_and_renders_as_it_is(db: Database, tmp_path: Path) -> None:
    original = _png(tmp_path / "in" / "Sunset Mug.png")
    report = add_artwork(db, [original])
    [info] = report.added
    assert (info.name, info.kind, info.fields) == ("Sunset Mug", "image", ())
    original.unlink()  # the library does not need the original any more
    path = resolve_template(info.template)
    assert path.is_relative_to(config.data_dir())
    template = load_template(path)
    assert (template.width, template.height, template.dpi) == (40, 30, 150)
    rendered = render_image(template, {}, load_photo=lambda s, label: b"").image
    assert rendered.getpixel((5, 5)) == (192, 48, 48, 255)
    assert info.preview is not None and info.preview.is_file()


def test_the_same_content_twice_is_one_artwork(db: Database, tmp_path: Path) -> None:
    first = _png(tmp_path / "a" / "logo.png")
    second = tmp_path / "b" / "logo-copy.png"
    second.parent.mkdir()
    shutil.copyfile(first, second)
    added = add_artwork(db, [first]).added
    again = add_artwork(db, [second])
    assert again.added == [] and [a.id for a in again.existing] == [added[0].id]
    assert "Already in the library: #1 'logo' (print image)" in again.lines()
    assert len(_rows(db)) == 1


def test_a_template_is_copied_with_every_file_it_names(db: Database, tmp_path: Path) -> None:
    path = _template(tmp_path / "designs")
    [info] = add_artwork(db, [path]).added
    assert (info.kind, info.fields) == ("template", ("name", "tagline"))
    shutil.rmtree(tmp_path / "designs")
    copy = resolve_template(info.template)
    files = sorted(str(p.relative_to(copy.parent)) for p in copy.parent.rglob("*") if p.is_file())
    assert files == ["assets/star-badge.png", "fonts/DejaVuSans-Bold.ttf",
                     "fonts/DejaVuSans.ttf", "preview.png", "template.toml"]  # fmt: skip
    template = load_template(copy)
    image = render_image(template, {"name": "Ada"}, load_photo=lambda s, label: b"").image
    assert image.size == (4500, 5400)
    # a changed asset is another artwork
    _template(tmp_path / "designs")
    _png(tmp_path / "designs" / "assets" / "star-badge.png", (64, 64), "#2040c0")
    [other] = add_artwork(db, [tmp_path / "designs" / "shirt.toml"]).added
    assert other.id != info.id


def test_a_shipped_font_named_by_file_name_is_not_copied(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "t"
    path = _template(folder, font="DejaVuSans.ttf")
    shutil.rmtree(folder / "fonts")
    (folder / "shirt.toml").write_text(
        path.read_text().replace("fonts/DejaVuSans.ttf", "DejaVuSans.ttf")
    )
    [info] = add_artwork(db, [path]).added
    copy = resolve_template(info.template)
    assert not (copy.parent / "fonts").exists()
    assert tomlkit.parse(copy.read_text())["layers"][1]["font"] == "DejaVuSans.ttf"


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda d: (d / "notes.png").write_text("not a picture") and d / "notes.png",
         "not an image; podtui takes PNG or JPEG"),
        (lambda d: Image.new("RGB", (4, 4)).save(d / "anim.gif") or d / "anim.gif",
         "a GIF image; podtui takes PNG or JPEG"),
        (lambda d: (d / "bad.toml").write_text("name = [") and d / "bad.toml", "not valid TOML"),
        (lambda d: (d / "nolayers.toml").write_text('name = "x"\nwidth = 10\nheight = 10\n')
         and d / "nolayers.toml", "layers: missing (required)"),
        (lambda d: _template(d, font="Fancy Script.otf"),
         "font 'Fancy Script.otf' is missing on this machine"),
        (lambda d: _template(d).parent.joinpath("assets/star-badge.png").write_text("x")
         and d / "shirt.toml", "layer 'badge': 'assets/star-badge.png' is not an image"),
        (lambda d: d / "nowhere.png", "does not exist"),
    ],
)  # fmt: skip
def test_what_cannot_be_used_is_refused_and_nothing_is_kept(
    db: Database, tmp_path: Path, make: object, reason: str
) -> None:
    good = _png(tmp_path / "good.png")
    folder = tmp_path / "case"
    folder.mkdir()
    bad = make(folder)  # type: ignore[operator]
    with pytest.raises(ValidationError) as caught:
        add_artwork(db, [good, bad])
    assert "No artwork was added" in str(caught.value)
    [(where, why)] = caught.value.fields.items()
    assert Path(where).name == Path(bad).name and reason in why, why
    assert _rows(db) == [] and _library_files() == []


def test_a_folder_adds_templates_and_loose_images(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    _template(folder)
    _png(folder / "poster.png")
    (folder / "README.txt").write_text("hi")
    report = add_artwork(db, [folder])
    assert sorted(a.name for a in report.added) == ["T-shirt front (15 x 18 in)", "poster"]
    assert report.skipped == [f"{folder / 'README.txt'}: not a PNG, JPEG or template (.toml)"]


def test_an_image_a_template_beside_it_draws_is_its_asset(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "flat"
    folder.mkdir()
    _png(folder / "badge.png")
    (folder / "card.toml").write_text(
        'name = "card"\nwidth = 100\nheight = 100\n[[layers]]\ntype = "image"\nid = "b"\n'
        'src = "badge.png"\nbox = [0, 0, 100, 100]\n'
    )
    report = add_artwork(db, [folder])
    assert [(a.name, a.kind) for a in report.added] == [("card", "template")]


def test_the_list_counts_mappings_and_items(db: Database, tmp_path: Path) -> None:
    from podtui.domain.models import ProductMapping, Store

    [art] = add_artwork(db, [_png(tmp_path / "a.png")]).added
    with db.write() as session:
        store = Store(name="S", kind="woocommerce")
        session.add(store)
        session.flush()
        assert store.id is not None
        for product in ("1", "2"):
            session.add(ProductMapping(store_id=store.id, product_id=product, artwork_id=art.id))
    [row] = list_artwork(db)
    assert (row.id, row.mappings, row.items) == (art.id, 2, 0)
