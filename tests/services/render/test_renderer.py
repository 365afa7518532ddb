"""The renderer on the demo templates: sizes, DPI, ICC, scripts, emoji, determinism, bad input."""

from __future__ import annotations

import hashlib
import io
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from podtui.domain.template import load_template
from podtui.services.render.photo_fetch import PhotoSources
from podtui.services.render.renderer import PACKAGE_TEMPLATES
from podtui.services.render.task import RenderFailure, RenderOutput, RenderRequest, run_request

# Per template: the required text field, an optional text field, and values for each case.
FIELDS = {
    "shirt-front": ("name", "tagline"),
    "mug-wrap": ("name", "message"),
    "poster": ("title", "date"),
}
CASES: dict[str, dict[str, tuple[str, str]]] = {
    "ordinary": dict.fromkeys(FIELDS, ("Anna", "Best aunt ever")),
    "long": {
        "shirt-front": (
            "Maximilian-Alexander Jr",
            "World's most patient dad and the best grill master on the whole street",
        ),
        "mug-wrap": (
            "Anna-Katharina von Hohenberg",
            "Coffee first, then we can talk about the meeting at nine",
        ),
        "poster": (
            "The Long and Winding Road Trip of the Summer of 2025",
            "June 14 - August 30, 2025",
        ),
    },
    "accented": dict.fromkeys(FIELDS, ("Zoë Ångström-Núñez", "Crème brûlée für Jürgen, ça va")),
    "cyrillic": dict.fromkeys(FIELDS, ("Алёна Петрова", "С днём рождения!")),  # noqa: RUF001
    "arabic-greek": dict.fromkeys(FIELDS, ("مرحبا بكم", "Γιώργος και Ελένη")),
    "hebrew": dict.fromkeys(FIELDS, ("שלום עליכם", "")),
    "emoji": dict.fromkeys(FIELDS, ("Anna 🦄", "Party time 🎉🎉 😀")),
    "empty-optional": dict.fromkeys(FIELDS, ("Anna", "")),
}


def request(
    tmp_path: Path, template: str, values: dict[str, str], tag: str = "a", **kw: object
) -> RenderRequest:
    base = tmp_path / tag
    fields: dict[str, object] = {
        "job_id": 1,
        "item_id": 7,
        "template_path": str(PACKAGE_TEMPLATES / f"{template}.toml"),
        "variant": "White / L",
        "values": values,
        "out_path": str(base / "7-tee.png"),
        "preview_path": str(base / "7-tee.preview.png"),
        "mockup_path": str(base / "7-tee.mockup.png"),
    }
    fields.update(kw)
    return RenderRequest(**fields)  # type: ignore[arg-type]


def sha(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def assert_print_file(out: RenderOutput, template: str) -> None:
    spec = load_template(PACKAGE_TEMPLATES / f"{template}.toml")
    with Image.open(out.path) as im:
        assert im.format == "PNG"
        assert im.mode == "RGBA"
        assert im.size == (spec.width, spec.height) == (out.width, out.height)
        assert tuple(round(v) for v in im.info["dpi"]) == (spec.dpi, spec.dpi)
        icc = im.info["icc_profile"]
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        assert "sRGB" in ImageCms.getProfileDescription(profile)
        assert profile.profile.xcolor_space.strip() == "RGB"
    assert out.sha256 == sha(out.path)
    assert out.size_bytes == Path(out.path).stat().st_size
    with Image.open(out.preview_path) as preview:
        assert max(preview.size) <= spec.preview_size
    assert out.mockup_path is not None and Path(out.mockup_path).is_file()
    assert not list(Path(out.path).parent.glob(".*.tmp"))


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("template", list(FIELDS))
def test_demo_template_renders(tmp_path: Path, template: str, case: str) -> None:
    main, extra = FIELDS[template]
    first, second = CASES[case][template]
    out = run_request(request(tmp_path, template, {main: first, extra: second}))
    assert isinstance(out, RenderOutput), out
    assert_print_file(out, template)
    if case == "emoji":
        assert any("🦄" in w for w in out.warnings), out.warnings
        assert any("🎉" in w for w in out.warnings), out.warnings
        assert not any("😀" in w for w in out.warnings)  # DejaVu has this one: drawn, not dropped
    else:
        assert out.warnings == []


@pytest.mark.parametrize("template", list(FIELDS))
def test_empty_required_value_is_refused_and_writes_nothing(tmp_path: Path, template: str) -> None:
    main, extra = FIELDS[template]
    req = request(tmp_path, template, {main: "   ", extra: "x"})
    out = run_request(req)
    assert isinstance(out, RenderFailure)
    assert "is empty" in out.reason
    assert not Path(req.out_path).parent.exists() or not any(Path(req.out_path).parent.iterdir())


def test_text_too_wide_even_at_min_size_is_refused(tmp_path: Path) -> None:
    req = request(tmp_path, "shirt-front", {"name": "W" * 24})
    out = run_request(req)
    assert isinstance(out, RenderFailure)
    assert "does not fit its box even at the smallest size (220 px)" in out.reason
    assert not Path(req.out_path).exists()


def test_emoji_only_required_value_is_refused(tmp_path: Path) -> None:
    out = run_request(request(tmp_path, "shirt-front", {"name": "🦄🦄"}))
    assert isinstance(out, RenderFailure)
    assert "nothing printable left" in out.reason


def test_script_no_font_has_is_refused_not_tofu(tmp_path: Path) -> None:
    out = run_request(request(tmp_path, "shirt-front", {"name": "你好"}))
    assert isinstance(out, RenderFailure)
    assert "no font can draw" in out.reason and "U+4F60" in out.reason


def test_long_text_shrinks_but_short_text_does_not(tmp_path: Path) -> None:
    short = run_request(request(tmp_path, "shirt-front", {"name": "Al"}, "s"))
    long = run_request(request(tmp_path, "shirt-front", {"name": "Maximilian-Alexander Jr"}, "l"))
    assert isinstance(short, RenderOutput) and isinstance(long, RenderOutput)

    def ink_height(path: str) -> int:
        with Image.open(path) as im:
            box = im.getchannel("A").crop((0, 2800, 4500, 3800)).getbbox()
        assert box is not None
        return box[3] - box[1]

    assert ink_height(long.path) < ink_height(short.path)


def test_dark_variant_prints_white_ink(tmp_path: Path) -> None:
    out = run_request(request(tmp_path, "shirt-front", {"name": "IIII"}, variant="Black / XL"))
    assert isinstance(out, RenderOutput)
    with Image.open(out.path) as im:
        ink = im.crop((200, 2800, 4300, 3800))
        colours = {c for _, c in ink.getcolors(maxcolors=1 << 16) or [] if c[3] == 255}
    assert (255, 255, 255, 255) in colours


def test_same_inputs_give_the_same_bytes_in_one_process(tmp_path: Path) -> None:
    values = {"name": "Zoë", "tagline": "Привет 🦄"}
    first = run_request(request(tmp_path, "shirt-front", values, "one"))
    second = run_request(request(tmp_path, "shirt-front", values, "two"))
    assert isinstance(first, RenderOutput) and isinstance(second, RenderOutput)
    assert first.sha256 == second.sha256 == sha(second.path)
    assert sha(first.preview_path) == sha(second.preview_path)


def test_same_inputs_give_the_same_bytes_across_processes(tmp_path: Path) -> None:
    values = {"title": "Γιώργος & Ελένη", "date": "14 июня 2025", "photo": ""}
    here = run_request(request(tmp_path, "poster", values, "here"))
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        there = pool.submit(run_request, request(tmp_path, "poster", values, "there")).result()
    assert isinstance(here, RenderOutput) and isinstance(there, RenderOutput)
    assert here.sha256 == there.sha256


def test_photo_slot_with_local_upload(tmp_path: Path) -> None:
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    photo = uploads / "cat.png"
    Image.new("RGB", (300, 200), (10, 200, 10)).save(photo)
    req = request(
        tmp_path,
        "mug-wrap",
        {"name": "Tom", "photo": str(photo)},
        photos=PhotoSources(dirs=(str(uploads),)),
    )
    out = run_request(req)
    assert isinstance(out, RenderOutput), out
    with Image.open(out.path) as im:
        assert im.getpixel((525, 525))[:3] == (10, 200, 10)  # the ellipse's centre
        assert im.getpixel((180, 180))[:3] == (255, 255, 255)  # outside the ellipse mask


def test_photo_outside_uploads_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    Image.new("RGB", (10, 10)).save(secret)
    out = run_request(request(tmp_path, "mug-wrap", {"name": "Tom", "photo": str(secret)}))
    assert isinstance(out, RenderFailure)
    assert "not an http(s) URL or a file in the uploads folder" in out.reason


def test_png_settings_change_size_not_pixels(tmp_path: Path) -> None:
    from podtui.services.render.print_output import PILLOW_DEFAULT

    values = {"name": "Anna"}
    fast = run_request(request(tmp_path, "mug-wrap", values, "fast"))
    default = run_request(request(tmp_path, "mug-wrap", values, "default", png=PILLOW_DEFAULT))
    assert isinstance(fast, RenderOutput) and isinstance(default, RenderOutput)
    with Image.open(fast.path) as a, Image.open(default.path) as b:
        assert a.tobytes() == b.tobytes()


def test_request_is_picklable_plain_data(tmp_path: Path) -> None:
    import pickle

    req = request(tmp_path, "poster", {"title": "x"})
    assert pickle.loads(pickle.dumps(replace(req))) == req


@pytest.mark.parametrize(
    "char", ["\u200b", "\ufeff", "\u2060", "\u200c", "\u200d", "\u00ad", "\u3164", "\u2800"]
)
def test_required_text_of_invisible_characters_is_refused_not_printed_blank(
    tmp_path: Path, char: str
) -> None:
    req = request(tmp_path, "shirt-front", {"name": char * 2, "tagline": "x"})
    out = run_request(req)
    assert isinstance(out, RenderFailure), "rendered a blank name"
    assert "Name is empty" in out.reason and f"U+{ord(char):04X}" in out.reason
    assert not Path(req.out_path).exists()


def test_emoji_and_invisible_characters_leave_nothing_printable(tmp_path: Path) -> None:
    out = run_request(request(tmp_path, "shirt-front", {"name": "🦄\u200b🦄"}))
    assert isinstance(out, RenderFailure)
    assert "nothing printable left" in out.reason


@pytest.mark.parametrize(
    "photo",
    [
        "\x00",
        "cat\x00.png",
        "{uploads}/cat\x00.png",
        "file://{uploads}/\x00",
        "https://x.example/\x00",
    ],
)
def test_a_photo_field_with_nul_gives_a_plain_reason(tmp_path: Path, photo: str) -> None:
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    value = photo.replace("{uploads}", str(uploads))
    req = request(
        tmp_path,
        "mug-wrap",
        {"name": "Tom", "photo": value},
        photos=PhotoSources(dirs=(str(uploads),)),
    )
    out = run_request(req)
    assert isinstance(out, RenderFailure), out
    assert out.reason.startswith("Photo: "), out.reason
    assert "ValueError" not in out.reason and "embedded null" not in out.reason
