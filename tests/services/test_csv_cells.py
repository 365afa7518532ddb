"""The one rule every CSV podtui writes follows: no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import pytest

from podtui.services.csv_cells import safe_cell, safe_row


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+44 20 7946 0958", "-12.50", "@SUM(A1)", "\t=1", "\r=1", "\n=1", "-", "=", "  =1"],
)
def test_a_cell_that_could_start_a_formula_gets_a_leading_quote(value: str) -> None:
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Ann O'Brien", "#1001", "1+1", "a=b", "   ", "", "Ünïcode"])
def test_other_text_is_left_alone(value: str) -> None:
    assert safe_cell(value) == value


def test_numbers_are_checked_as_the_text_they_become() -> None:
    assert safe_row([3, -2, 1.5, -0.5, None, True]) == [3, "'-2", 1.5, "'-0.5", "", True]
