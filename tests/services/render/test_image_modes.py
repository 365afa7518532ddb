"""Every image mode Pillow opens reaches the renderer with its tones and transparency intact.

One small image per mode, encoded the way a customer's photo or a template image arrives (PNG,
TIFF, GIF, JPEG, BMP), opened through `open_image` (the path photos and template images take),
then checked pixel by pixel: black stays black, mid-grey stays mid-grey, white stays white, and
a transparent pixel stays transparent.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from podtui.services.render.photo_fetch import PhotoSources
from podtui.services.render.renderer import open_image
from podtui.services.render.task import RenderFailure, RenderOutput, RenderRequest, run_request
from tests.services.render.test_renderer import request

Pixel = tuple[int, int, int, int]
BLACK: Pixel = (0, 0, 0, 255)
GREY: Pixel = (128, 128, 128, 255)
WHITE: Pixel = (255, 255, 255, 255)
CLEAR = 0  # alpha of a transparent pixel (its colour does not matter)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png16(colour_type: int, pixels: list[tuple[int, ...]], trns: bytes = b"") -> bytes:
    """A one-row 16-bit PNG written by hand (Pillow cannot write most of these)."""
    ihdr = struct.pack(">IIBBBBB", len(pixels), 1, 16, colour_type, 0, 0, 0)
    row = b"\0" + b"".join(struct.pack(f">{len(p)}H", *p) for p in pixels)
    extra = _chunk(b"tRNS", trns) if trns else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + extra
        + _chunk(b"IDAT", zlib.compress(row))
        + _chunk(b"IEND", b"")
    )


def encode(mode: str, values: list[object], fmt: str, **save: object) -> bytes:
    image = Image.new(mode, (len(values), 1))
    for x, value in enumerate(values):
        image.putpixel((x, 0), value)  # type: ignore[arg-type]
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def palette(fmt: str, **save: object) -> bytes:
    image = Image.new("P", (3, 1))
    image.putpalette([0, 0, 0, 128, 128, 128, 255, 255, 255])
    for x, index in enumerate((0, 1, 2)):
        image.putpixel((x, 0), index)
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


# name -> (the encoded image, the mode Pillow opens it in, the pixels expected, left to right)
CASES: dict[str, tuple[Callable[[], bytes], str, list[Pixel | int]]] = {
    "16-bit grey PNG (I;16)": (
        lambda: png16(0, [(0,), (32768,), (65535,)]),
        "I;16",
        [BLACK, GREY, WHITE],
    ),
    "16-bit grey PNG with a transparent grey (I;16 + tRNS)": (
        lambda: png16(0, [(1000,), (32768,), (65535,)], trns=struct.pack(">H", 1000)),
        "I;16",
        [CLEAR, GREY, WHITE],
    ),
    "16-bit big-endian TIFF (I;16B)": (
        lambda: encode("I;16B", [0, 32768, 65535], "TIFF"),
        "I;16B",
        [BLACK, GREY, WHITE],
    ),
    "16-bit little-endian TIFF (I;16)": (
        lambda: encode("I;16", [0, 32768, 65535], "TIFF"),
        "I;16",
        [BLACK, GREY, WHITE],
    ),
    "32-bit integer TIFF with 16-bit values (I)": (
        lambda: encode("I", [0, 32768, 65535], "TIFF"),
        "I",
        [BLACK, GREY, WHITE],
    ),
    "32-bit integer TIFF with 8-bit values (I)": (
        lambda: encode("I", [0, 128, 255], "TIFF"),
        "I",
        [BLACK, GREY, WHITE],
    ),
    "32-bit integer TIFF past 16 bits (I)": (
        lambda: encode("I", [0, 50000, 100000], "TIFF"),
        "I",
        [BLACK, GREY, WHITE],
    ),
    "float TIFF, 0 to 1 (F)": (
        lambda: encode("F", [0.0, 0.5, 1.0], "TIFF"),
        "F",
        [BLACK, GREY, WHITE],
    ),
    "float TIFF, 0 to 255 (F)": (
        lambda: encode("F", [0.0, 128.0, 255.0], "TIFF"),
        "F",
        [BLACK, GREY, WHITE],
    ),
    "16-bit grey and alpha PNG": (
        lambda: png16(4, [(0, 65535), (32768, 65535), (65535, 0)]),
        "RGBA",
        [BLACK, GREY, CLEAR],
    ),
    "16-bit RGB PNG": (
        lambda: png16(2, [(0, 0, 0), (32768, 32768, 32768), (65535, 65535, 65535)]),
        "RGB",
        [BLACK, GREY, WHITE],
    ),
    "16-bit RGBA PNG": (
        lambda: png16(6, [(0, 0, 0, 65535), (32768, 32768, 32768, 65535), (0, 0, 0, 0)]),
        "RGBA",
        [BLACK, GREY, CLEAR],
    ),
    "grey and alpha PNG (LA)": (
        lambda: encode("LA", [(0, 255), (128, 255), (255, 0)], "PNG"),
        "LA",
        [BLACK, GREY, CLEAR],
    ),
    "half-transparent grey (LA)": (
        lambda: encode("LA", [(128, 128)], "PNG"),
        "LA",
        [(128, 128, 128, 128)],
    ),
    "palette PNG with a transparent index (P + tRNS)": (
        lambda: palette("PNG", transparency=0),
        "P",
        [CLEAR, GREY, WHITE],
    ),
    "palette PNG with partly transparent entries (P + alpha tRNS)": (
        lambda: palette("PNG", transparency=b"\x00\x80\xff"),
        "P",
        [CLEAR, (128, 128, 128, 128), WHITE],
    ),
    "GIF with a transparent index (P)": (
        lambda: palette("GIF", transparency=0, optimize=False),
        "P",
        [CLEAR, GREY, WHITE],
    ),
    "CMYK TIFF": (
        lambda: encode("CMYK", [(0, 0, 0, 255), (0, 0, 0, 127), (0, 0, 0, 0)], "TIFF"),
        "CMYK",
        [BLACK, GREY, WHITE],
    ),
    "CMYK JPEG": (
        lambda: encode("CMYK", [(0, 0, 0, 127)] * 3, "JPEG", quality=100),
        "CMYK",
        [GREY, GREY, GREY],
    ),
    "bilevel PNG (1)": (lambda: encode("1", [0, 1, 1], "PNG"), "1", [BLACK, WHITE, WHITE]),
    "bilevel BMP (1)": (lambda: encode("1", [0, 1, 0], "BMP"), "1", [BLACK, WHITE, BLACK]),
    "grey PNG (L)": (lambda: encode("L", [0, 128, 255], "PNG"), "L", [BLACK, GREY, WHITE]),
    "grey PNG with a transparent grey (L + tRNS)": (
        lambda: encode("L", [7, 128, 255], "PNG", transparency=7),
        "L",
        [CLEAR, GREY, WHITE],
    ),
    "RGB PNG": (
        lambda: encode("RGB", [(0, 0, 0), (128, 128, 128), (255, 255, 255)], "PNG"),
        "RGB",
        [BLACK, GREY, WHITE],
    ),
    "RGB PNG with a transparent colour (RGB + tRNS)": (
        lambda: encode(
            "RGB", [(1, 2, 3), (128, 128, 128), (255, 255, 255)], "PNG", transparency=(1, 2, 3)
        ),
        "RGB",
        [CLEAR, GREY, WHITE],
    ),
    "RGBA PNG": (
        lambda: encode("RGBA", [(0, 0, 0, 255), (128, 128, 128, 100), (9, 9, 9, 0)], "PNG"),
        "RGBA",
        [BLACK, (128, 128, 128, 100), CLEAR],
    ),
}


def _close(got: tuple[int, ...], want: Pixel | int, tolerance: int) -> bool:
    if isinstance(want, int):  # only the alpha matters
        return got[3] == want
    return all(abs(g - w) <= tolerance for g, w in zip(got, want, strict=True))


@pytest.mark.parametrize("name", list(CASES))
def test_each_mode_keeps_its_tones_and_transparency(name: str) -> None:
    make, opened_as, expected = CASES[name]
    data = make()
    with Image.open(io.BytesIO(data)) as raw:
        assert raw.mode == opened_as  # the case really exercises that mode
    image = open_image(data, name)
    assert image.mode == "RGBA" and image.size == (len(expected), 1)
    tolerance = 3 if "JPEG" in name else 1  # JPEG is lossy; 127.5 may round either way
    for x, want in enumerate(expected):
        got = image.getpixel((x, 0))
        assert isinstance(got, tuple)
        assert _close(got, want, tolerance), (name, x, got, want)


def test_a_16_bit_grey_photo_prints_mid_grey_not_white(tmp_path: Path) -> None:
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    photo = uploads / "scan.png"
    photo.write_bytes(png16(0, [(32768,)] * 4))
    req: RenderRequest = request(
        tmp_path,
        "mug-wrap",
        {"name": "Tom", "photo": str(photo)},
        photos=PhotoSources(dirs=(str(uploads),)),
    )
    out = run_request(req)
    assert isinstance(out, RenderOutput), out
    with Image.open(out.path) as im:
        r, g, b, a = im.getpixel((525, 525))  # the photo slot's centre
        assert max(abs(r - 128), abs(g - 128), abs(b - 128)) <= 1 and a == 255


def test_a_16_bit_grey_mockup_photo_stays_grey(tmp_path: Path) -> None:
    folder = tmp_path / "designs"
    folder.mkdir()
    (folder / "studio.png").write_bytes(png16(0, [(32768,)] * 40))
    (folder / "plain.toml").write_text(
        'name = "plain"\nwidth = 40\nheight = 40\n'
        '[[layers]]\ntype = "rect"\nid = "ink"\ncolor = "#ff0000"\nbox = [0, 0, 40, 40]\n'
        '[mockup]\nphoto = "studio.png"\nbox = [0, 0, 10, 1]\n',
        encoding="utf-8",
    )
    out = run_request(request(tmp_path, "poster", {}, template_path=str(folder / "plain.toml")))
    assert isinstance(out, RenderOutput), out
    assert out.mockup_path is not None
    with Image.open(out.mockup_path) as mockup:
        pixel = mockup.convert("RGB").getpixel((30, 0))  # the photo, beside the print
        assert isinstance(pixel, tuple)
        assert all(abs(c - 128) <= 1 for c in pixel), pixel


def test_a_mockup_photo_that_is_missing_or_not_an_image_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "designs"
    folder.mkdir()
    (folder / "notes.png").write_text("not an image", encoding="utf-8")
    for photo, reason in (
        ("gone.png", "mockup photo 'gone.png' of template plain cannot be read"),
        ("notes.png", "mockup photo 'notes.png' is not a readable image"),
    ):
        (folder / "plain.toml").write_text(
            'name = "plain"\nwidth = 40\nheight = 40\n'
            '[[layers]]\ntype = "rect"\nid = "ink"\ncolor = "#ff0000"\nbox = [0, 0, 40, 40]\n'
            f'[mockup]\nphoto = "{photo}"\nbox = [0, 0, 10, 10]\n',
            encoding="utf-8",
        )
        req = request(tmp_path, "poster", {}, photo, template_path=str(folder / "plain.toml"))
        out = run_request(req)
        assert isinstance(out, RenderFailure), out
        # The template's fault, not the disk's: the item is held, not retried.
        assert reason in out.reason and out.bad_input, out
        assert not Path(req.out_path).exists()
