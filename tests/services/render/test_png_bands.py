"""The banded PNG writer: pixel-exact, valid checksums, constant bands reused."""

from __future__ import annotations

import io
import os
import zlib
from pathlib import Path

import pytest
from PIL import Image

from podtui.domain.template import load_template
from podtui.services.render.png_bands import (
    FILTER_NONE,
    FILTER_SUB,
    FILTER_UP,
    Band,
    BandedPngWriter,
    _filtered,
    adler32_combine,
    plan_bands,
)
from podtui.services.render.print_output import srgb_icc
from podtui.services.render.renderer import PACKAGE_TEMPLATES, RenderCache, render_image


def test_adler32_combine_matches_zlib() -> None:
    for a, b in [(b"", b"x"), (b"hello ", b"world"), (os.urandom(70_000), os.urandom(100_003))]:
        assert adler32_combine(zlib.adler32(a), zlib.adler32(b), len(b)) == zlib.adler32(a + b)


def test_bands_follow_the_personalized_boxes() -> None:
    shirt = load_template(PACKAGE_TEMPLATES / "shirt-front.toml")
    assert plan_bands(shirt) == [
        Band(0, 2800, False),
        Band(2800, 3800, True),
        Band(3800, 4000, False),
        Band(4000, 5100, True),
        Band(5100, 5400, False),
    ]
    mug = load_template(PACKAGE_TEMPLATES / "mug-wrap.toml")
    assert plan_bands(mug) == [
        Band(0, 175, False),
        Band(175, 875, True, True),
        Band(875, 1050, False),
    ]


@pytest.mark.parametrize("name", ["mug-wrap", "poster"])
def test_banded_png_decodes_to_the_same_pixels(name: str, tmp_path: Path) -> None:
    template = load_template(PACKAGE_TEMPLATES / f"{name}.toml")
    photo = tmp_path / "photo.png"
    Image.effect_mandelbrot((300, 200), (-2, -1.2, 1, 1.2), 60).convert("RGB").save(photo)
    writer, cache = BandedPngWriter(), RenderCache()
    for n in range(2):  # the second print reuses the first one's constant bands
        image = render_image(
            template,
            {"name": f"Anna {n}", "title": f"Title {n}", "photo": str(photo)},
            load_photo=lambda source, label: Path(source).read_bytes(),
            cache=cache,
        ).image
        buf = io.BytesIO()
        writer.write(image, buf, template=template, key=name, dpi=300, icc=srgb_icc())
        buf.seek(0)
        with Image.open(buf) as back:
            back.load()  # verifies every chunk CRC and the zlib stream's Adler-32
            assert back.mode == "RGBA" and back.tobytes() == image.tobytes()
            assert back.info["icc_profile"] == srgb_icc()
            assert tuple(round(v) for v in back.info["dpi"]) == (300, 300)


def test_writer_refuses_a_canvas_of_another_size() -> None:
    template = load_template(PACKAGE_TEMPLATES / "mug-wrap.toml")
    with pytest.raises(ValueError, match="RGBA canvas"):
        BandedPngWriter().write(
            Image.new("RGBA", (10, 10)), io.BytesIO(), template=template, key="k", dpi=300, icc=b""
        )


@pytest.mark.parametrize("kind", [FILTER_NONE, FILTER_SUB, FILTER_UP])
@pytest.mark.parametrize("top", [0, 2])
def test_filters_undo_to_the_original_rows(kind: int, top: int) -> None:
    image = Image.effect_mandelbrot((8, 6), (-2, -1.2, 1, 1.2), 60).convert("RGBA")
    band = Band(top, 6, False)
    stride = image.width * 4
    data = _filtered(image, band, kind)
    raw = image.tobytes()
    previous = bytearray(raw[(top - 1) * stride : top * stride]) if top else bytearray(stride)
    out = bytearray()
    for y in range(band.bottom - band.top):  # what a PNG decoder does
        row = bytearray(data[y * stride : (y + 1) * stride])
        for x in range(stride):
            if kind == FILTER_SUB:
                row[x] = (row[x] + (row[x - 4] if x >= 4 else 0)) % 256
            elif kind == FILTER_UP:
                row[x] = (row[x] + previous[x]) % 256
        out += row
        previous = row
    assert bytes(out) == raw[top * stride :]
