"""Which field a vendor's refusal names: the demo's and the sandboxes' refusals, one by one."""

from __future__ import annotations

import pytest

from podtui.demo.failures import PRINTFUL, PRINTIFY
from podtui.domain.rejection import rejected_field


@pytest.mark.parametrize(
    ("failure", "editor", "field"),
    [
        (PRINTIFY[0], "shipping", "postal_code"),
        (PRINTIFY[1], "shipping", "postal_code"),
        (PRINTIFY[2], "shipping", "state"),
        (PRINTIFY[3], "shipping", "phone"),
        (PRINTFUL[1], "shipping", "postal_code"),
        (PRINTFUL[0], "shipping", "address1"),
        (PRINTFUL[2], "artwork", "print_file"),
    ],
)
def test_a_refusal_names_its_field(failure: object, editor: str, field: str) -> None:
    found = rejected_field(failure.message, failure.raw)  # type: ignore[attr-defined]
    assert found is not None
    assert (found.editor, found.field) == (editor, field)


def test_a_refusal_without_a_field_names_none() -> None:
    assert rejected_field(PRINTIFY[4].message, PRINTIFY[4].raw) is None  # out of stock
    assert rejected_field(PRINTIFY[5].message, PRINTIFY[5].raw) is None  # 429
    assert rejected_field(PRINTFUL[3].message, PRINTFUL[3].raw) is None  # payment


def test_several_fields_name_the_first_and_list_the_others() -> None:
    raw = '{"errors": {"reason": "{\\"zip\\": [\\"x\\"], \\"region\\": [\\"y\\"]}"}}'
    found = rejected_field("Validation failed.", raw)
    assert found is not None
    assert found.field == "postal_code"
    assert found.describe() == "postal code (shipping address); also state/province"


def test_a_design_field_named_in_the_refusal_opens_the_design() -> None:
    found = rejected_field("Text for 'pet_name' is too long for its box", None, ["pet_name"])
    assert found is not None
    assert (found.editor, found.field) == ("design", "pet_name")
