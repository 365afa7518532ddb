"""The footer: the screen's shown keys from the registry, rebinds, dim keys, click to press."""

from __future__ import annotations

import pytest
from rich.text import Text

from podtui.config import Config
from podtui.db import Database
from podtui.screens.filter_panel import FilterPanelModal
from podtui.widgets.key_footer import KeyFooter
from tests.screens.conftest import until
from tests.screens.orders.conftest import make_app, settle
from tests.screens.orders.data import Shop, seed_shop


@pytest.fixture
def shop(db: Database) -> Shop:
    return seed_shop(db)


def footer_text(app: object) -> Text:
    footer = app.screen.query_one(KeyFooter)  # type: ignore[attr-defined]
    text = footer.render()
    assert isinstance(text, Text)
    return text


def dim_words(text: Text) -> set[str]:
    return {
        text.plain[span.start : span.end].strip() for span in text.spans if "dim" in str(span.style)
    }


async def test_footer_lists_the_shown_keys_with_their_rebinds(db: Database, shop: Shop) -> None:
    app = make_app(db, Config(keymap={"orders.approve": "A"}))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        plain = footer_text(app).plain
        for label in ("space Mark", "* Mark all", "/ Filter", "f Panel", "S Send", "? Help"):
            assert label in plain
        assert "A Approve" in plain and "a Approve" not in plain
        assert plain.rstrip().endswith("^p palette")


async def test_keys_the_row_does_not_allow_are_dim(db: Database, shop: Shop) -> None:
    app = make_app(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        app.screen.query_one("#filter-input").value = "s:sent"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        # The footer follows the row a moment after it is painted (a debounce): wait for it.
        await until(pilot, lambda: "Approve" in dim_words(footer_text(app)), "Approve dimmed")
        app.screen.query_one("#filter-input").value = ""  # type: ignore[attr-defined]
        await pilot.press("slash")
        app.screen.query_one("#filter-input").value = "s:waiting_approval"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        await until(pilot, lambda: "Approve" not in dim_words(footer_text(app)), "Approve lit")


async def test_clicking_a_key_presses_it(db: Database, shop: Shop) -> None:
    app = make_app(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        plain = footer_text(app).plain
        await pilot.click(KeyFooter, offset=(plain.index(" f Panel") + 1, 0))
        await settle(pilot)
        assert isinstance(app.screen, FilterPanelModal)
