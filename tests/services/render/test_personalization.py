"""Personalization: store payloads onto template fields, and the checks before rendering."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from podtui.domain.errors import ValidationError
from podtui.domain.personalization import (
    PersonalizationConfig,
    check_values,
    parse_personalization,
)
from podtui.domain.template import load_template
from podtui.services.render.renderer import PACKAGE_TEMPLATES

FIXTURES = Path("/work/shared/reference/fixtures")
FIELDS = load_template(PACKAGE_TEMPLATES / "shirt-front.toml").fields


def test_shopify_properties_by_alias() -> None:
    config = PersonalizationConfig.from_section({"aliases": {"name": "Custom Engraving"}})
    raw = [
        {"name": "Custom Engraving", "value": "Happy Birthday"},
        {"name": "_internal", "value": "x"},
        {"name": "Gift wrap", "value": "yes"},
    ]
    parsed = parse_personalization(FIELDS, raw, config=config)
    assert parsed.values == {"name": "Happy Birthday"}
    assert parsed.sources == {"name": "shopify: Custom Engraving"}
    assert parsed.unmatched == {"Gift wrap": "yes"}  # hidden "_" properties are not listed


@pytest.mark.skipif(not FIXTURES.exists(), reason="shared fixtures not present")
def test_real_shopify_fixture_line_item() -> None:
    order = json.loads((FIXTURES / "shopify" / "order.json").read_text())["order"]
    line = order["line_items"][0]
    config = PersonalizationConfig.from_section({"aliases": {"name": ["custom engraving"]}})
    parsed = parse_personalization(FIELDS, line["properties"], config=config)
    assert parsed.values["name"] == "Happy Birthday"


def test_woocommerce_meta_data_by_key_or_display_key() -> None:
    raw = [
        {"id": 1, "key": "pa_color", "value": "black"},
        {
            "id": 2,
            "key": "_wapf_name",
            "value": "",
            "display_key": "Name",
            "display_value": "<p>Zo&euml; &amp; Co</p>",
        },
        {"id": 3, "key": "tag_line", "value": ["Best", "sister"]},
    ]
    parsed = parse_personalization(FIELDS, raw)
    assert parsed.values == {"name": "Zoë & Co", "tagline": "Best, sister"}
    assert parsed.sources["name"] == "woocommerce: Name"


def test_customer_note_lines_fill_what_the_line_item_lacks() -> None:
    note = "Please hurry!\nName: Anna\nTagline = Best aunt\nname: ignored, already set"
    parsed = parse_personalization(FIELDS, [{"name": "Name", "value": "Lena"}], note=note)
    assert parsed.values == {"name": "Lena", "tagline": "Best aunt"}
    off = PersonalizationConfig.from_section({"parse_note": False})
    assert parse_personalization(FIELDS, [], note=note, config=off).values == {}


def test_config_section_is_validated_strictly() -> None:
    with pytest.raises(ValidationError) as caught:
        PersonalizationConfig.from_section(
            {"aliases": {"name": 3}, "parse_note": "yes", "input_limits": {"name": 0}, "x": 1}
        )
    assert set(caught.value.fields) == {"aliases.name", "parse_note", "input_limits.name", "x"}


def test_checks_flag_empty_too_long_and_cut_short() -> None:
    config = PersonalizationConfig.from_section({"input_limits": {"tagline": 20}})
    problems = check_values(FIELDS, {"name": "", "tagline": "x" * 20}, config)
    assert [(p.field, p.kind, p.blocking) for p in problems] == [
        ("name", "empty", True),
        ("tagline", "cut_short", False),
    ]
    problems = check_values(FIELDS, {"name": "N" * 25, "tagline": "We love you so…"})
    assert [(p.field, p.kind) for p in problems] == [("name", "too_long"), ("tagline", "cut_short")]
    assert problems[0].message == "Name has 25 characters; at most 24 fit"
    assert check_values(FIELDS, {"name": "Anna", "tagline": ""}) == []


def test_length_counts_characters_not_code_points() -> None:
    decomposed = "e\u0301" * 24  # 24 "é" typed with combining accents
    assert check_values(FIELDS, {"name": decomposed}) == []


# Characters that draw nothing: format controls, fillers and blank patterns a customer can type
# (or a store can leave behind) in a required field. Each alone, and all together, is empty.
INVISIBLE = {
    "ZERO WIDTH SPACE": "\u200b",
    "ZERO WIDTH NO-BREAK SPACE (BOM)": "\ufeff",
    "WORD JOINER": "\u2060",
    "ZERO WIDTH NON-JOINER": "\u200c",
    "ZERO WIDTH JOINER": "\u200d",
    "SOFT HYPHEN": "\u00ad",
    "LEFT-TO-RIGHT MARK": "\u200e",
    "MONGOLIAN VOWEL SEPARATOR": "\u180e",
    "COMBINING GRAPHEME JOINER": "\u034f",
    "HANGUL FILLER": "\u3164",
    "HALFWIDTH HANGUL FILLER": "\uffa0",
    "HANGUL CHOSEONG FILLER": "\u115f",
    "BRAILLE PATTERN BLANK": "\u2800",
    "NO-BREAK SPACE": "\u00a0",
    "IDEOGRAPHIC SPACE": "\u3000",
    "LINE SEPARATOR": "\u2028",
    "NUL": "\x00",
    "VARIATION SELECTOR-16": "\ufe0f",
    "TAG SPACE": "\U000e0020",
}


@pytest.mark.parametrize("char", list(INVISIBLE.values()), ids=list(INVISIBLE))
def test_a_required_value_of_invisible_characters_is_empty(char: str) -> None:
    for value in (char, char * 3, f" {char} "):
        [problem] = check_values(FIELDS, {"name": value})
        assert (problem.field, problem.kind, problem.blocking) == ("name", "empty", True)
        assert problem.message.startswith("Name is empty")
        assert f"U+{ord(char):04X}" in problem.message  # the operator sees what was there


def test_invisible_characters_together_are_empty_but_one_letter_is_enough() -> None:
    everything = "".join(INVISIBLE.values())
    [problem] = check_values(FIELDS, {"name": everything})
    assert problem.kind == "empty"
    for visible in ("A", "7", "!", "€", "Ж", "\u0627", "漢", "\u200bAnna\u00ad"):
        assert check_values(FIELDS, {"name": visible}) == [], visible
    # An optional field of invisible characters is simply left out, not a problem.
    assert check_values(FIELDS, {"name": "Anna", "tagline": "\u200b\u2060"}) == []
