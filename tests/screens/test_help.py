"""The help screen: every key of the screen once, under each group's heading once."""

from __future__ import annotations

from podtui.keymap import REGISTRY
from podtui.screens.help import HelpModal


def test_each_group_is_one_section_and_the_id_column_says_what_it_is_for() -> None:
    text = HelpModal(["app", "orders", "table"], {}).text
    assert "id (for [keymap])" in text
    groups = {e.group for e in REGISTRY if e.scope in ("app", "orders", "table")}
    lines = [line.strip() for line in text.splitlines()]
    for group in groups:
        assert lines.count(group) == 1, group
