"""A PNG writer that compresses only the rows the personalized layers touch.

Print files of one template share most of their rows: everything outside the text and photo
boxes is the same fixed artwork every time. The zlib stream inside a PNG can be built from
independently compressed pieces (each ended with a full flush, so none refers back into
another), with the Adler-32 checksums combined arithmetically. So each process compresses the
constant row bands of a template once, keeps them, and per print compresses just the variable
bands: on a shirt front that is well under half the rows.

Filters: constant bands try None and Up and keep the smaller; variable bands use None
for flat art (text on a flat background compresses best unfiltered) and Up where a photo is,
computed with Pillow's per-byte modulo subtraction, so no pixel loop runs in Python.
"""

from __future__ import annotations

import struct
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import IO

from PIL import Image, ImageChops

from podtui.domain.template import PhotoLayer, Template, TextLayer

_ADLER_BASE = 65521
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ZLIB_HEADER = b"\x78\xda"  # deflate, 32K window, "maximum compression" flag (informative)
_FINAL_EMPTY_BLOCK = b"\x03\x00"  # a fixed-Huffman block with BFINAL set and no data
FILTER_NONE, FILTER_SUB, FILTER_UP = 0, 1, 2
VARIABLE_LEVEL = 6
CONSTANT_LEVEL = 6  # compressed once per process; 9 costs seconds for ~1% less


def adler32_combine(adler1: int, adler2: int, len2: int) -> int:
    """The Adler-32 of A+B from those of A and B (zlib's adler32_combine)."""
    rem = len2 % _ADLER_BASE
    sum1 = adler1 & 0xFFFF
    sum2 = (rem * sum1) % _ADLER_BASE
    sum1 += (adler2 & 0xFFFF) + _ADLER_BASE - 1
    sum2 += ((adler1 >> 16) & 0xFFFF) + ((adler2 >> 16) & 0xFFFF) + _ADLER_BASE - rem
    sum1 %= _ADLER_BASE
    sum2 %= _ADLER_BASE
    return sum1 | (sum2 << 16)


@dataclass(frozen=True, slots=True)
class Band:
    """Rows [top, bottom) of the canvas; `variable` ones change from print to print."""

    top: int
    bottom: int
    variable: bool
    photo: bool = False


@dataclass(frozen=True, slots=True)
class Segment:
    """A band's filtered rows as raw deflate data ending on a full flush."""

    data: bytes
    adler: int
    length: int  # uncompressed bytes, filter bytes included


def plan_bands(template: Template) -> list[Band]:
    """Split the canvas into constant and variable row bands (variable = under a text/photo box)."""
    spans: list[tuple[int, int, bool]] = []
    for layer in template.layers:
        if isinstance(layer, TextLayer | PhotoLayer):
            _, y, _, h = layer.box
            spans.append((y, y + h, isinstance(layer, PhotoLayer)))
    spans.sort()
    merged: list[tuple[int, int, bool]] = []
    for top, bottom, photo in spans:
        if merged and top <= merged[-1][1]:
            last = merged.pop()
            merged.append((last[0], max(last[1], bottom), last[2] or photo))
        else:
            merged.append((top, bottom, photo))
    bands: list[Band] = []
    cursor = 0
    for top, bottom, photo in merged:
        if top > cursor:
            bands.append(Band(cursor, top, False))
        bands.append(Band(top, bottom, True, photo))
        cursor = bottom
    if cursor < template.height:
        bands.append(Band(cursor, template.height, False))
    return bands


def _filtered(image: Image.Image, band: Band, kind: int) -> bytes:
    width = image.width
    rows = image.crop((0, band.top, width, band.bottom))
    if kind == FILTER_NONE:
        return rows.tobytes()
    if kind == FILTER_UP:
        if band.top > 0:
            above = image.crop((0, band.top - 1, width, band.bottom - 1))
        else:  # the image's first row has a row of zeros above it
            above = Image.new("RGBA", rows.size, (0, 0, 0, 0))
            above.paste(image.crop((0, 0, width, band.bottom - 1)), (0, 1))
        return ImageChops.subtract_modulo(rows, above).tobytes()
    left = Image.new("RGBA", rows.size, (0, 0, 0, 0))
    left.paste(rows.crop((0, 0, width - 1, rows.height)), (1, 0))
    return ImageChops.subtract_modulo(rows, left).tobytes()


def compress_band(image: Image.Image, band: Band, kind: int, level: int) -> Segment:
    """Filter and compress one band into an independent raw-deflate segment."""
    data = memoryview(_filtered(image, band, kind))
    stride = image.width * 4
    marker = bytes([kind])
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15, 9)
    parts: list[bytes] = []
    adler = 1
    for start in range(0, len(data), stride):
        row = data[start : start + stride]
        parts.append(compressor.compress(marker))
        parts.append(compressor.compress(row))
        adler = zlib.adler32(row, zlib.adler32(marker, adler))
    parts.append(compressor.flush(zlib.Z_FULL_FLUSH))
    return Segment(b"".join(parts), adler, len(data) + (band.bottom - band.top))


def _chunk(fp: IO[bytes], kind: bytes, data: bytes) -> None:
    fp.write(struct.pack(">I", len(data)))
    fp.write(kind)
    fp.write(data)
    fp.write(struct.pack(">I", zlib.crc32(data, zlib.crc32(kind))))


class BandedPngWriter:
    """Writes RGBA print files, reusing the compressed constant bands of each template."""

    def __init__(self, max_templates: int = 8) -> None:
        self._constant: OrderedDict[str, dict[tuple[int, int], Segment]] = OrderedDict()
        self.max_templates = max_templates

    def _constant_segment(self, key: str, image: Image.Image, band: Band) -> Segment:
        known = self._constant.setdefault(key, {})
        self._constant.move_to_end(key)
        while len(self._constant) > self.max_templates:
            self._constant.popitem(last=False)
        span = (band.top, band.bottom)
        found = known.get(span)
        if found is None:
            # Sampling a strip misleads (the middle of a logo favours Up, the whole band None),
            # so both are tried in full, once per process; Sub rarely wins on print art.
            found = min(
                (
                    compress_band(image, band, kind, CONSTANT_LEVEL)
                    for kind in (FILTER_NONE, FILTER_UP)
                ),
                key=lambda segment: len(segment.data),
            )
            known[span] = found
        return found

    def write(
        self,
        image: Image.Image,
        fp: IO[bytes],
        *,
        template: Template,
        key: str,
        dpi: int,
        icc: bytes,
    ) -> None:
        """Write `image` (rendered from `template`; `key` names its constant pixels) as PNG."""
        if image.mode != "RGBA" or image.size != (template.width, template.height):
            raise ValueError("the banded writer takes the RGBA canvas of its template")
        adler = 1
        segments: list[bytes] = []
        for band in plan_bands(template):
            if band.variable:
                kind = FILTER_UP if band.photo else FILTER_NONE
                segment = compress_band(image, band, kind, VARIABLE_LEVEL)
            else:
                segment = self._constant_segment(key, image, band)
            segments.append(segment.data)
            adler = adler32_combine(adler, segment.adler, segment.length)
        fp.write(_PNG_SIGNATURE)
        _chunk(fp, b"IHDR", struct.pack(">IIBBBBB", image.width, image.height, 8, 6, 0, 0, 0))
        _chunk(fp, b"iCCP", b"ICC Profile\0\0" + zlib.compress(icc))
        ppm = int(dpi / 0.0254 + 0.5)
        _chunk(fp, b"pHYs", struct.pack(">IIB", ppm, ppm, 1))
        _chunk(fp, b"IDAT", _ZLIB_HEADER)
        for data in segments:
            for start in range(0, len(data), 1 << 20):
                _chunk(fp, b"IDAT", data[start : start + (1 << 20)])
        _chunk(fp, b"IDAT", _FINAL_EMPTY_BLOCK + struct.pack(">I", adler))
        _chunk(fp, b"IEND", b"")
