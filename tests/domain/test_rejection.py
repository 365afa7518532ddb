"""Which field a vendor's refusal names: the demo's and the sandboxes' refusals, one by one."""

from __future__ import annotations

import pytest

from podtui.demo.failures import PRINTFUL, PRINTIFY, Address, address_refusals
from podtui.domain.rejection import rejected_field

# The demo makes its address refusals from the order's address (demo/failures.py).
US = Address("US", "CA", "94105", "+1 415 555 0100")
DE = Address("DE", "", "10115", "+49 30 901820")
PRINTIFY_US, PRINTIFY_DE = address_refusals("printify", US), address_refusals("printify", DE)
PRINTFUL_US, PRINTFUL_DE = address_refusals("printful", US), address_refusals("printful", DE)


@pytest.mark.parametrize(
    ("failure", "editor", "field"),
    [
        (PRINTIFY_US[0], "shipping", "postal_code"),
        (PRINTIFY_DE[0], "shipping", "postal_code"),
        (PRINTIFY_US[2], "shipping", "state"),
        (PRINTIFY_US[1], "shipping", "phone"),
        (PRINTIFY_DE[2], "shipping", "address1"),
        (PRINTFUL_US[1], "shipping", "postal_code"),
        (PRINTFUL_DE[1], "shipping", "postal_code"),
        (PRINTFUL_US[0], "shipping", "address1"),
        (PRINTFUL[0], "artwork", "print_file"),
    ],
)
def test_a_refusal_names_its_field(failure: object, editor: str, field: str) -> None:
    found = rejected_field(failure.message, failure.raw)  # type: ignore[attr-defined]
    assert found is not None
    assert (found.editor, found.field) == (editor, field)


def test_a_refusal_without_a_field_names_none() -> None:
    assert rejected_field(PRINTIFY[0].message, PRINTIFY[0].raw) is None  # out of stock
    assert rejected_field(PRINTIFY[1].message, PRINTIFY[1].raw) is None  # 429
    assert rejected_field(PRINTFUL[1].message, PRINTFUL[1].raw) is None  # payment


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
