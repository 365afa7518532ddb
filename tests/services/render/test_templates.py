"""The template format: the demo templates load, and each kind of mistake is named clearly."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from podtui.domain.template import TemplateError, load_template, parse_template
from podtui.services.render.renderer import PACKAGE_FONTS, PACKAGE_TEMPLATES

SHIRT = PACKAGE_TEMPLATES / "shirt-front.toml"


def shirt_data() -> dict[str, Any]:
    return tomllib.loads(SHIRT.read_text(encoding="utf-8"))


def error_for(data: dict[str, Any]) -> str:
    with pytest.raises(TemplateError) as caught:
        parse_template(data, SHIRT.parent, "shirt.toml")
    return str(caught.value)


@pytest.mark.parametrize("name", ["shirt-front", "mug-wrap", "poster"])
def test_demo_templates_load(name: str) -> None:
    template = load_template(PACKAGE_TEMPLATES / f"{name}.toml")
    assert template.name == name
    assert template.dpi == 300
    assert template.fields
    assert template.mockup is not None


def test_shirt_front_is_the_platen_size() -> None:
    template = load_template(SHIRT)
    assert (template.width, template.height, template.dpi) == (4500, 5400, 300)
    assert [(f.name, f.required, f.max_chars) for f in template.fields] == [
        ("name", True, 24),
        ("tagline", False, 80),
    ]


def test_shipped_font_has_its_licence() -> None:
    assert (PACKAGE_FONTS / "DejaVuSans.ttf").is_file()
    assert "Bitstream" in (PACKAGE_FONTS / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")


def test_variant_overrides_apply_by_whole_word() -> None:
    template = load_template(SHIRT)
    assert template.for_variant("Black / XL").layer("name").color == "#ffffff"  # type: ignore[union-attr]
    assert template.for_variant("Blackberry / XL").layer("name").color == "#1b1b1b"  # type: ignore[union-attr]
    assert template.for_variant("Navy").layer("tagline").color == "#e6e6e6"  # type: ignore[union-attr]


def test_unknown_key_is_named_with_its_layer() -> None:
    data = shirt_data()
    data["layers"][1]["colour"] = "red"
    assert error_for(data) == "template shirt.toml: layers[1].colour: unknown key"


def test_wrong_types_and_values_are_all_reported() -> None:
    data = shirt_data()
    data["width"] = -5
    data["layers"][1]["size"] = "big"
    data["layers"][1]["align"] = "middle"
    message = error_for(data)
    assert "width: Input should be greater than 0" in message
    assert "layers[1].size: Input should be a valid integer" in message
    assert "layers[1].align: Input should be 'left', 'center' or 'right'" in message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["layers"][1].update(box=[4000, 0, 900, 100]),
            "does not lie inside the 4500x5400 canvas",
        ),
        (lambda d: d["layers"][1].update(min_size=900), "min_size 900 is more than size 720"),
        (lambda d: d["layers"][1].update(color="reddish"), "'reddish' is not a colour"),
        (lambda d: d["layers"][2].update(id="name"), "two layers have the id 'name'"),
        (lambda d: d["layers"][0].update(type="video"), "does not match any of the expected tags"),
        (lambda d: d.pop("width"), "width: missing (required)"),
        (
            lambda d: d["variants"][0]["layers"].update(nope={"color": "#fff"}),
            "unknown layer 'nope'",
        ),
        (
            lambda d: d["layers"][1].update(box=[0, 0, 0, 10]),
            "box width and height must be more than 0",
        ),
    ],
)
def test_impossible_templates_are_refused(change: Any, expected: str) -> None:
    data = shirt_data()
    change(data)
    assert expected in error_for(data)


def test_bad_variant_override_value_is_refused_when_applied() -> None:
    data = shirt_data()
    data["variants"][0]["layers"]["name"]["color"] = "inky"
    template = parse_template(data, SHIRT.parent, "shirt.toml")
    with pytest.raises(TemplateError, match="'inky' is not a colour"):
        template.for_variant("Black")


def test_missing_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="does not exist"):
        load_template(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("name = \n", encoding="utf-8")
    with pytest.raises(TemplateError, match="not valid TOML"):
        load_template(bad)


def one_layer(**layer: Any) -> dict[str, Any]:
    """A template of one layer, a panel that fills the canvas, changed by `layer`."""
    rect = {"type": "rect", "id": "panel", "box": [0, 0, 100, 100], "color": "#ffffff"}
    return {"name": "one", "width": 100, "height": 100, "layers": [{**rect, **layer}]}


@pytest.mark.parametrize(
    ("layer", "reason"),
    [
        ({"color": "inky"}, "layers[0].color: 'inky' is not a colour"),
        ({"radius": -1}, "layers[0].radius: Input should be greater than or equal to 0"),
        ({"type": "video"}, "layers[0]: Input tag 'video' found using 'type'"),
    ],
)
def test_a_broken_only_layer_gives_only_its_own_reason(layer: dict[str, Any], reason: str) -> None:
    message = error_for(one_layer(**layer))
    assert reason in message
    assert "Tuple" not in message and "at least 1 item" not in message
    assert message.count(";") == 0, message  # one mistake, one reason


def test_a_template_without_layers_says_so_plainly() -> None:
    data = one_layer()
    data["layers"] = []
    assert error_for(data) == "template shirt.toml: layers: a template needs at least one layer"
