"""Any image Pillow opens -> the renderer's working mode: RGBA in sRGB, mid-grey kept mid-grey.

Pillow opens photos and template images in many modes; `Image.convert("RGBA")` is right for most
of them but clips deep ones: a 16-bit greyscale PNG (`I;16`) holds 0..65535 and comes out white.
So the deep modes (`I;16`, `I;16B`, `I;16L`, `I;16N`, `I`, `F`) are scaled to 8 bits first:

- `I;16*`: 0..65535, divided by 257 (65535 -> 255, 32768 -> 128);
- `I` (32-bit integers, from TIFF): the range is not recorded in the file. Values that all fit
  in 0..255 are taken as 8-bit, up to 65535 as 16-bit (PNG's and most scanners' depth), beyond
  that the image is scaled by its brightest pixel; negatives are black;
- `F` (floats, from TIFF): 0..1 when no pixel is above 1 (the usual float convention), else
  0..255 (what Pillow itself makes from an 8-bit image).

A transparent colour key (PNG `tRNS` on a grey, RGB or palette image) becomes the alpha channel;
`LA`, `PA`, `P` with transparency and `RGBA` keep theirs. An embedded ICC profile is applied when
its colour space matches the pixels (a grey profile on grey pixels, CMYK on CMYK, RGB on RGB),
else the pixels are taken as sRGB, as browsers do.
"""

from __future__ import annotations

import io

from PIL import Image, ImageCms, ImageMath

SRGB_PROFILE = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
DEEP_MODES = frozenset({"I;16", "I;16B", "I;16L", "I;16N", "I", "F"})
_ALPHA_MODES = frozenset({"RGBA", "LA", "PA", "RGBa", "La"})
_PROFILE_MODES = {"GRAY": "L", "RGB": "RGB", "CMYK": "CMYK"}  # ICC colour space -> pixels


def _deep_scale(image: Image.Image) -> float:
    """What one 8-bit step is worth in this deep image's values."""
    if image.mode.startswith("I;16"):
        return 257.0
    _, high = image.getextrema()
    assert isinstance(high, int | float)
    if image.mode == "F":
        return 1 / 255 if high <= 1.0 else 1.0
    if high <= 255:
        return 1.0
    if high <= 65535:
        return 257.0
    return float(high) / 255


def _deep_to_grey(image: Image.Image) -> tuple[Image.Image, Image.Image | None]:
    """(L image, alpha or None) from a deep image, the transparent key (if any) made alpha."""
    values = image.convert("F")  # exact for every deep mode (floats hold 32-bit ints closely)
    step = _deep_scale(image)
    # F -> L clips to 0..255; the +0.5 rounds (F -> L truncates).
    grey = values.point(lambda v: v * (1 / step) + 0.5).convert("L")
    key = image.info.get("transparency")
    alpha = None
    if isinstance(key, int | float) and not isinstance(key, bool):
        alpha = ImageMath.lambda_eval(lambda a: a["convert"]((a["v"] != key) * 255, "L"), v=values)
        assert isinstance(alpha, Image.Image)
    return grey, alpha


def _split(image: Image.Image) -> tuple[Image.Image, Image.Image | None]:
    """(colour pixels in L, RGB or CMYK; alpha or None) for any mode."""
    if image.mode in DEEP_MODES:
        return _deep_to_grey(image)
    if image.mode in ("L", "RGB", "CMYK") and "transparency" not in image.info:
        return image, None
    if image.mode == "LA":
        return image.getchannel("L"), image.getchannel("A")
    # Palettes, bilevel, premultiplied, colour keys, YCbCr, LAB, HSV: Pillow converts these to
    # RGBA correctly, keeping a palette's or a key's transparency.
    rgba = image if image.mode == "RGBA" else image.convert("RGBA")
    alpha = rgba.getchannel("A")
    has_alpha = image.mode in _ALPHA_MODES or "transparency" in image.info
    return rgba.convert("RGB"), alpha if has_alpha else None


def _apply_profile(pixels: Image.Image, icc: bytes | None) -> Image.Image:
    """The pixels in sRGB (mode RGB) through their ICC profile when it fits them."""
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            space = str(source.profile.xcolor_space).strip()
            if _PROFILE_MODES.get(space) == pixels.mode:
                converted = ImageCms.profileToProfile(
                    pixels, source, SRGB_PROFILE, outputMode="RGB"
                )
                if converted is not None:
                    return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unreadable profile: the pixels are taken as sRGB, as browsers do
    return pixels if pixels.mode == "RGB" else pixels.convert("RGB")


def to_srgb_rgba(image: Image.Image, icc: bytes | None = None) -> Image.Image:
    """The image as RGBA in sRGB, from any mode Pillow opens, converting from its ICC profile
    (`icc`) when it has one that matches its pixels."""
    pixels, alpha = _split(image)
    result = _apply_profile(pixels, icc).convert("RGBA")
    if alpha is not None:
        result.putalpha(alpha)
    return result
