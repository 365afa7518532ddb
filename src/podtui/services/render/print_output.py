"""Print-ready PNG output: sRGB ICC profile, DPI, chosen zlib settings, atomic file writes.

A file is written to a hidden temporary name in the target folder, fsynced, then renamed over
the final name (and the folder fsynced), so a reader never sees half a print file and a crash
leaves at most a `.tmp` file that `sweep_temp_files` removes.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO

from PIL import Image, ImageCms

# Chosen with bench/render.py. Print files go through the banded writer (png_bands.py); these
# are the settings for Pillow's own encoder, used when banding is off: zlib level 1 with the
# RLE strategy is about as small as Pillow's default (level 6) on flat art and faster.
PNG_COMPRESS_LEVEL = 1
PNG_COMPRESS_TYPE = zlib.Z_RLE
TEMP_SUFFIX = ".tmp"

# A fixed creation date keeps the profile, and so every print file, byte-for-byte reproducible
# (LittleCMS stamps profiles it creates with the current time).
_ICC_DATE = bytes.fromhex("07e8 0001 0001 0000 0000 0000")


@lru_cache(maxsize=1)
def srgb_icc() -> bytes:
    """The sRGB ICC profile embedded in every print file."""
    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    data[24:36] = _ICC_DATE
    return bytes(data)


@dataclass(frozen=True, slots=True)
class PngSettings:
    """How print files are compressed (bench/render.py compares these)."""

    compress_level: int = PNG_COMPRESS_LEVEL
    compress_type: int | None = PNG_COMPRESS_TYPE
    banded: bool = True  # re-compress only the rows personalized layers touch


PILLOW_DEFAULT = PngSettings(compress_level=6, compress_type=None, banded=False)


def save_png(image: Image.Image, fp: IO[bytes], dpi: int, settings: PngSettings) -> None:
    """Write `image` as a PNG with the sRGB profile and its DPI."""
    params: dict[str, object] = {
        "dpi": (dpi, dpi),
        "icc_profile": srgb_icc(),
        "compress_level": settings.compress_level,
        "optimize": False,
    }
    if settings.compress_type is not None:
        params["compress_type"] = settings.compress_type
    image.save(fp, "PNG", **params)


def make_preview(image: Image.Image, max_side: int) -> Image.Image:
    """A small copy for screens and mockups, at most `max_side` pixels on its longer side.

    Any filtered resize of an RGBA image first premultiplies every pixel of it, which on a
    24-megapixel print costs more than the rest of the preview. So the print is sampled
    (nearest pixel) down to twice the preview size, then box-reduced by 2 with proper alpha.
    """
    factor = max(1, -(-max(image.size) // max_side))
    if factor == 1:
        return image.copy()
    target = (max(1, image.width // factor), max(1, image.height // factor))
    if factor < 4:
        return image.reduce(factor)
    sampled = image.resize((target[0] * 2, target[1] * 2), Image.Resampling.NEAREST)
    return sampled.reduce(2)


def temp_path(final: Path) -> Path:
    return final.with_name(f".{final.name}.{os.getpid()}{TEMP_SUFFIX}")


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # platforms without directory handles (Windows)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True, slots=True)
class Written:
    """A file that is now complete on disk."""

    path: Path
    sha256: str
    size_bytes: int


class _HashingWriter:
    """A binary file wrapper that hashes what goes through it."""

    def __init__(self, fp: IO[bytes]) -> None:
        self.fp = fp
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.hash.update(data)
        self.size += len(data)
        return self.fp.write(data)

    def flush(self) -> None:
        self.fp.flush()


def stage(final: Path, write: Callable[[IO[bytes]], None]) -> tuple[Path, Written]:
    """Write to the temporary name and fsync; `commit` then renames it into place."""
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(final)
    try:
        with tmp.open("wb") as raw:
            writer = _HashingWriter(raw)
            write(writer)  # type: ignore[arg-type]
            raw.flush()
            os.fsync(raw.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp, Written(final, writer.hash.hexdigest(), writer.size)


def commit(staged: list[tuple[Path, Written]]) -> None:
    """Rename staged files into place, then make the renames durable."""
    for tmp, written in staged:
        tmp.replace(written.path)
    for folder in {written.path.parent for _, written in staged}:
        _fsync_dir(folder)


def discard(staged: list[tuple[Path, Written]]) -> None:
    for tmp, _ in staged:
        tmp.unlink(missing_ok=True)


def sweep_temp_files(folder: Path, stem: str) -> list[Path]:
    """Remove temporary files a killed render left for files starting with `stem`."""
    removed = []
    if folder.is_dir():
        for path in folder.glob(f".{stem}*{TEMP_SUFFIX}"):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fp:
        for chunk in iter(lambda: fp.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
