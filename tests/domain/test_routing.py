"""Routing rules as data: what a rule matches, and which of the ordered rules takes an item."""

from __future__ import annotations

from podtui.domain.routing import ItemFacts, RuleTerms, first_match, matches, terms_problems


def _facts(**kw: object) -> ItemFacts:
    base: dict[str, object] = {"sku": "TEE-BLK-XL", "title": "Idea Tee", "store_id": 1,
                               "country": "US", "product_type": "T-Shirt"}  # fmt: skip
    base.update(kw)
    return ItemFacts(**base)  # type: ignore[arg-type]


def test_each_term_narrows_and_an_empty_term_matches_anything() -> None:
    assert matches(RuleTerms(), _facts())
    assert matches(RuleTerms(sku="tee-*"), _facts())  # globs ignore case
    assert not matches(RuleTerms(sku="MUG-*"), _facts())
    assert matches(RuleTerms(title="tee"), _facts())  # a title without wildcards: contains
    assert matches(RuleTerms(title="idea*"), _facts())
    assert not matches(RuleTerms(title="*mug*"), _facts())
    assert matches(RuleTerms(store_id=1), _facts()) and not matches(RuleTerms(store_id=2), _facts())
    assert matches(RuleTerms(countries=("DE", "US")), _facts())
    assert not matches(RuleTerms(countries=("DE",)), _facts())
    assert not matches(RuleTerms(sku="TEE-*", countries=("DE",)), _facts())


def test_the_store_product_type_is_a_term_like_the_title() -> None:
    assert matches(RuleTerms(product_type="t-shirt"), _facts())  # words it contains, any case
    assert matches(RuleTerms(product_type="*shirt"), _facts())  # or a glob
    assert not matches(RuleTerms(product_type="mug"), _facts())
    assert not matches(RuleTerms(product_type="mug"), _facts(product_type=""))
    assert matches(
        RuleTerms(product_type="Mug", sku="MUG*"), _facts(product_type="Mug", sku="MUG-1")
    )
    assert RuleTerms(sku="MUG*", product_type="Mug").describe() == "SKU MUG* · type Mug"


def test_the_first_rule_that_matches_wins() -> None:
    rules = [(7, RuleTerms(sku="MUG-*")), (3, RuleTerms(title="tee")), (9, RuleTerms())]
    assert first_match(rules, _facts()) == 3
    assert first_match(rules, _facts(sku="MUG-11", title="Mug")) == 7
    assert first_match(rules, _facts(sku="", title="Poster")) == 9
    assert first_match(rules[:2], _facts(sku="", title="Poster")) is None


def test_terms_are_checked() -> None:
    assert terms_problems(RuleTerms(countries=("USA",))) == {
        "countries": "'USA' is not a two-letter country code (US, DE ...)"
    }
    assert terms_problems(RuleTerms(sku="[abc")) == {"sku": "'[abc' has an unclosed ["}
    assert terms_problems(RuleTerms(countries=("us",))) == {}
