# ruff: noqa: RUF001
"""Print files for any garment colour and any language: a clear background, capitals as written."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops

from podtui.db import Database
from podtui.domain.models import RenderJob, Store
from podtui.domain.template import TextLayer, load_template
from podtui.services.render import jobs
from podtui.services.render.renderer import PACKAGE_TEMPLATES
from podtui.services.render.task import RenderOutput, run_request
from tests.services.render.conftest import Shop
from tests.services.render.test_renderer import request

GARMENTS = ["shirt-front", "tee_pet", "hoodie_family", "tote_monogram"]


def _values(template: str, text: str = "Anna") -> dict[str, str]:
    spec = load_template(PACKAGE_TEMPLATES / f"{template}.toml")
    return {layer.field: text for layer in spec.layers if isinstance(layer, TextLayer)}


@pytest.mark.parametrize("template", GARMENTS)
def test_a_garment_print_is_clear_around_its_ink(tmp_path: Path, template: str) -> None:
    """A print for a dark shirt is ink on nothing, never a white rectangle."""
    out = run_request(request(tmp_path, template, _values(template), variant="Black / L"))
    assert isinstance(out, RenderOutput), out
    with Image.open(out.path) as im:
        assert im.mode == "RGBA"
        alpha = im.getchannel("A")
        w, h = im.size
        corners = [(0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1)]
        assert [alpha.getpixel(c) for c in corners] == [0, 0, 0, 0]
        assert alpha.getextrema() == (0, 255)  # the ink is there, opaque


def test_a_template_that_asks_for_a_background_gets_it(tmp_path: Path) -> None:
    # The mug's sublimation paper is printed whole: its template says background = "#ffffff".
    out = run_request(request(tmp_path, "mug_name_date", _values("mug_name_date")))
    assert isinstance(out, RenderOutput), out
    with Image.open(out.path) as im:
        assert im.getpixel((0, 0)) == (255, 255, 255, 255)


def _same_pixels(a: str, b: str) -> bool:
    with Image.open(a) as x, Image.open(b) as y:
        return ImageChops.difference(x, y).getbbox() is None


def test_capitals_follow_the_language_the_request_names(tmp_path: Path) -> None:
    turkish = run_request(request(tmp_path, "tee_pet", {"pet_name": "minik"}, "tr", language="tr"))
    written = run_request(
        request(tmp_path, "tee_pet", {"pet_name": "MİNİK"}, "written", language="")
    )
    latin = run_request(request(tmp_path, "tee_pet", {"pet_name": "minik"}, "latin"))
    assert isinstance(turkish, RenderOutput) and isinstance(written, RenderOutput)
    assert isinstance(latin, RenderOutput)
    assert _same_pixels(turkish.path, written.path)
    assert not _same_pixels(turkish.path, latin.path)


def _prepared_language(db: Database, item_id: int) -> str:
    with db.read() as session:
        job = session.exec(jobs.select(RenderJob).where(RenderJob.item_id == item_id)).one()
        prepared = jobs.prepare(session, job, jobs.personalization_config(), root=Path("/x"))
    return prepared.request.language


def test_the_order_language_is_the_store_customer_locale_unless_the_template_says(
    db: Database, shop: Shop, tmp_path: Path
) -> None:
    item = shop.item("tee_pet", {"pet_name": "Işıl"})
    assert _prepared_language(db, item) == ""  # nothing known: no language's rules
    with db.write() as session:
        store = session.get(Store, 1)
        assert store is not None
        store.settings = {**store.settings, "locale": "tr-TR"}
        session.add(store)
    assert _prepared_language(db, item) == "tr"
    template = tmp_path / "greek_tee.toml"
    text = (PACKAGE_TEMPLATES / "tee_pet.toml").read_text(encoding="utf-8")
    fonts = (PACKAGE_TEMPLATES / "fonts").as_posix()
    template.write_text(
        text.replace("dpi = 300\n", 'dpi = 300\nlanguage = "el"\n', 1).replace(
            '"fonts/', f'"{fonts}/'
        ),
        encoding="utf-8",
    )
    greek = shop.item(str(template), {"pet_name": "Μάιος"})
    assert _prepared_language(db, greek) == "el"  # the template's own setting wins
