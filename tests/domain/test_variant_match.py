"""A store variant's options suggest the vendor variant, across the ways shops spell them."""

from __future__ import annotations

import pytest

from podtui.domain.variant_match import Candidate, suggest, words

TEE = [
    Candidate(n, f"{colour} / {size}", {"color": colour, "size": size})
    for n, (colour, size) in enumerate(
        (c, s)
        for c in ("Black", "Heather Grey", "Sport Grey", "White")
        for s in ("S", "M", "L", "XL", "2XL")
    )
]
MUG = [
    Candidate(1, "11oz", {"size": "11oz"}),
    Candidate(2, "15oz", {"size": "15oz"}),
]


@pytest.mark.parametrize(
    ("store", "vendor"),
    [
        ("Extra Large / Black", "Black / XL"),  # XL vs Extra Large
        ("Heather Gray / L", "Heather Grey / L"),  # Gray vs Grey
        ("sport gray, x-large", "Sport Grey / XL"),
        ("XXL / White", "White / 2XL"),
        ("Black / Small", "Black / S"),
        ("White - medium", "White / M"),
    ],
)
def test_shirt_sizes_and_colours(store: str, vendor: str) -> None:
    found = suggest(store, TEE)
    assert found.title == vendor, found.why


@pytest.mark.parametrize(("store", "vendor"), [("11 oz", "11oz"), ("15 Ounce", "15oz")])
def test_mug_volumes(store: str, vendor: str) -> None:
    assert suggest(store, MUG).title == vendor


def test_printful_spells_the_volume_apart() -> None:
    printful = [Candidate(7, "White / 11 oz", {"color": "White", "size": "11 oz"})]
    assert suggest("11oz White", printful).id == 7


def test_no_suggestion_says_why() -> None:
    missing = suggest("Purple / XL", TEE)
    assert missing.id is None and "no vendor variant has every option" in missing.why
    tied = suggest(
        "XL", [Candidate(1, "A / XL", {"size": "XL"}), Candidate(2, "B", {"size": "XL"})]
    )
    assert tied.id is None and "2 vendor variants fit 'XL'" in tied.why
    # "Gray" alone is neither Heather Grey nor Sport Grey
    assert suggest("Gray / L", TEE).id is None


def test_whole_words_only() -> None:
    assert words("XS") != words("S")
    assert suggest("Black / XS", TEE).id is None  # no XS: S must not be taken for it
