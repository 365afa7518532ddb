"""Names made from data: a short one is kept, a long one is cut with a hash of the whole."""

from __future__ import annotations

from podtui.domain.filenames import bounded
from podtui.services.render.print_files import slug


def test_a_short_name_is_kept_as_it_is() -> None:
    assert bounded("HF-1001-1") == "HF-1001-1"
    assert bounded("x" * 100) == "x" * 100


def test_a_long_name_keeps_its_start_and_two_long_names_stay_two() -> None:
    a, b = "Wedding-" * 30 + "a", "Wedding-" * 30 + "b"
    cut_a, cut_b = bounded(a), bounded(b)
    assert cut_a != cut_b
    assert cut_a.startswith("Wedding-Wedding") and len(cut_a.encode()) <= 100
    assert bounded(a) == cut_a  # the same text, the same name: a look-up finds what was written


def test_multibyte_text_is_cut_on_a_character_boundary() -> None:
    cut = bounded("Café-Ünïcödé-" * 20, 50)
    assert len(cut.encode()) <= 50
    cut.encode().decode("utf-8")  # whole characters only


def test_slugs_of_long_order_names_that_share_their_start_differ() -> None:
    first = slug("The Whole Smith Family Reunion Summer 2026 Hoodies, order one")
    second = slug("The Whole Smith Family Reunion Summer 2026 Hoodies, order two")
    assert first != second and first.startswith("the-whole-smith-family")
    assert len(first) <= 60
