"""Shipping address rules, field by field and country by country."""

from __future__ import annotations

from dataclasses import replace

import pytest

from podtui.domain.address import (
    ADDRESS_FIELDS,
    POSTAL_RULES,
    ShippingAddress,
    clean_address,
    normalise_address,
    normalise_country,
    normalise_state,
    validate_address,
    validate_field,
)

# A good address per country, in that country's own shape.
GOOD: dict[str, ShippingAddress] = {
    "US": ShippingAddress(
        "Ada Lovelace",
        "",
        "1 Market St",
        "Apt 4",
        "San Francisco",
        "CA",
        "94105",
        "US",
        "+1 415 555 0100",
        "ada@example.com",
    ),
    "CA": ShippingAddress(
        "Jean Tremblay", "", "24 Sussex Dr", "", "Ottawa", "ON", "K1M 1M4", "CA", "613-555-0142"
    ),
    "GB": ShippingAddress(
        "Tom Jones", "", "10 Downing Street", "", "London", "", "SW1A 2AA", "GB", "020 7946 0958"
    ),
    "DE": ShippingAddress(
        "Jürgen Müller",
        "Müller GmbH",
        "Unter den Linden 5",
        "",
        "Berlin",
        "",
        "10117",
        "DE",
        "030 1234567",
    ),
    "FR": ShippingAddress(
        "Amélie Poulain", "", "15 Rue Lepic", "", "Paris", "", "75018", "FR", "01 42 52 12 34"
    ),
    "AU": ShippingAddress(
        "Bruce Wayne", "", "1 Macquarie St", "", "Sydney", "NSW", "2000", "AU", "02 9876 5432"
    ),
    "NL": ShippingAddress("Sanne de Vries", "", "Damrak 1", "", "Amsterdam", "", "1012 LG", "NL"),
    "JP": ShippingAddress(
        "山田 太郎", "", "1-1 Chiyoda", "", "Chiyoda-ku", "Tokyo", "100-0001", "JP", "03-1234-5678"
    ),
    "BR": ShippingAddress(
        "João Silva",
        "",
        "Av. Paulista, 1000",
        "",
        "São Paulo",
        "SP",
        "01310-100",
        "BR",
        "11 91234-5678",
    ),
    "IN": ShippingAddress(
        "Priya Sharma",
        "",
        "12 MG Road",
        "",
        "Mumbai",
        "Maharashtra",
        "400001",
        "IN",
        "098765 43210",
    ),
    "MX": ShippingAddress(
        "Lucía Hernández", "", "Av. Reforma 222", "", "Ciudad de México", "CMX", "06600", "MX"
    ),
    "IE": ShippingAddress(
        "Siobhán Murphy", "", "1 Grafton St", "", "Dublin", "", "", "IE", "+353 1 234 5678"
    ),
    "HK": ShippingAddress("陳大文", "", "1 Queen's Rd Central", "", "Hong Kong", "", "", "HK"),
    "AE": ShippingAddress(
        "Fatima Al Mansouri", "", "Sheikh Zayed Rd 1", "", "Dubai", "", "", "AE", "+971 4 123 4567"
    ),
}


@pytest.mark.parametrize("country", sorted(GOOD))
def test_good_addresses_pass(country: str) -> None:
    assert validate_address(GOOD[country]) == {}


@pytest.mark.parametrize("field", ["name", "address1", "city", "country"])
@pytest.mark.parametrize("value", ["", "   "])
def test_required_fields(field: str, value: str) -> None:
    problems = validate_address(replace(GOOD["DE"], **{field: value}))
    assert field in problems
    assert "required" in problems[field]


@pytest.mark.parametrize("field", ["company", "address2", "phone", "email"])
def test_optional_fields(field: str) -> None:
    assert validate_address(replace(GOOD["US"], **{field: ""})) == {}


# --- country --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("US", "US"),
        ("us", "US"),
        ("USA", "US"),
        ("United States", "US"),
        ("united states of america", "US"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("England", "GB"),
        ("Deutschland", "DE"),
        ("Germany", "DE"),
        ("DEU", "DE"),
        ("  france ", "FR"),
        ("Brasil", "BR"),
        ("México", "MX"),
        ("South Korea", "KR"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Viet Nam", "VN"),
        ("Côte d'Ivoire", "CI"),
    ],
)
def test_countries_by_code_or_name(typed: str, code: str) -> None:
    assert normalise_country(typed) == code
    assert validate_field("country", replace(GOOD["US"], country=typed)) is None


@pytest.mark.parametrize("typed", ["Atlantis", "XX", "U", "123"])
def test_unknown_countries(typed: str) -> None:
    assert normalise_country(typed) is None
    reason = validate_field("country", replace(GOOD["US"], country=typed))
    assert reason is not None and "is not a country" in reason and "ISO code" in reason


def test_with_an_unknown_country_the_country_dependent_fields_are_not_guessed() -> None:
    problems = validate_address(replace(GOOD["US"], country="Atlantis", postal_code="x"))
    assert set(problems) == {"country"}


# --- postal codes ---------------------------------------------------------------------------

POSTAL_CASES = [
    # country, good codes, bad codes
    ("US", ["94103", "94103-1234", "941031234"], ["9410", "ABCDE", "94103-12"]),
    ("CA", ["K1A 0B1", "k1a0b1", "M5V 3L9"], ["12345", "K1A 0B", "D1A 0B1", "W1A 0B1"]),
    (
        "GB",
        ["SW1A 1AA", "sw1a1aa", "M1 1AE", "B33 8TH", "EC1A 1BB", "GIR 0AA"],
        ["12345", "SW1A", "1AA SW1"],
    ),
    ("DE", ["10115", "01067"], ["1011", "101155", "D-10115"]),
    ("FR", ["75001", "97400"], ["7500", "750011"]),
    ("AU", ["2000", "0800"], ["200", "20000"]),
    ("NL", ["1012 AB", "1012AB"], ["0123 AB", "1012", "1012 A"]),
    ("JP", ["100-0001", "1000001"], ["100-001", "10000"]),
    ("BR", ["01310-100", "01310100"], ["01310-10", "1310"]),
    ("IN", ["110001", "400 001"], ["011001", "11001"]),
    ("IT", ["00184"], ["0018"]),
    ("ES", ["28013", "52001"], ["53001", "99999"]),
    ("PL", ["00-950", "00950"], ["0-950"]),
    ("PT", ["1000-001"], ["1000"]),
    ("SE", ["114 55", "11455"], ["1145"]),
    ("MX", ["06600"], ["0660"]),
    ("AR", ["C1425DKF", "1425"], ["C1425"]),
    ("IE", ["D02 X285", "A65F4E2", "D6W 1234"], ["12345", "D02"]),
]


@pytest.mark.parametrize(
    ("country", "code"), [(c, g) for c, goods, _ in POSTAL_CASES for g in goods]
)
def test_postal_codes_in_the_country_shape(country: str, code: str) -> None:
    addr = replace(GOOD.get(country, GOOD["DE"]), country=country, postal_code=code)
    assert validate_field("postal_code", addr) is None


@pytest.mark.parametrize(("country", "code"), [(c, b) for c, _, bads in POSTAL_CASES for b in bads])
def test_postal_codes_out_of_shape_say_what_is_expected(country: str, code: str) -> None:
    addr = replace(GOOD.get(country, GOOD["DE"]), country=country, postal_code=code)
    reason = validate_field("postal_code", addr)
    assert reason is not None
    rule = POSTAL_RULES[country]
    assert reason.startswith(f"postal code {code} is not a")
    assert f"e.g. {rule.example}" in reason


def test_the_us_zip_message() -> None:
    assert validate_field("postal_code", replace(GOOD["US"], postal_code="1234")) == (
        "postal code 1234 is not a US ZIP code (5 digits, or ZIP+4, e.g. 94103)"
    )


@pytest.mark.parametrize(
    "country", ["US", "CA", "GB", "DE", "FR", "AU", "NL", "JP", "BR", "IN", "KE", "NG"]
)
def test_postal_code_required_where_the_country_has_them(country: str) -> None:
    reason = validate_field("postal_code", replace(GOOD["DE"], country=country, postal_code=""))
    assert reason is not None and reason.startswith("postal code is required for")


@pytest.mark.parametrize("country", ["IE", "HK", "AE", "QA", "JM", "FJ"])
def test_no_postal_code_demanded_where_there_is_none(country: str) -> None:
    assert (
        validate_field("postal_code", replace(GOOD["DE"], country=country, postal_code="")) is None
    )


def test_countries_without_a_pattern_take_any_plausible_code() -> None:
    assert (
        validate_field("postal_code", replace(GOOD["DE"], country="KE", postal_code="00100"))
        is None
    )
    reason = validate_field("postal_code", replace(GOOD["DE"], country="KE", postal_code="#!?"))
    assert reason is not None and "does not look like" in reason


# --- states ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("US", "CA", "CA"),
        ("US", "ca", "CA"),
        ("US", "California", "CA"),
        ("US", "US-CA", "CA"),
        ("US", "district of columbia", "DC"),
        ("US", "Puerto Rico", "PR"),
        ("US", "AE", "AE"),  # Armed Forces Europe
        ("CA", "Ontario", "ON"),
        ("CA", "QC", "QC"),
        ("CA", "Québec", "QC"),
        ("AU", "New South Wales", "NSW"),
        ("AU", "vic", "VIC"),
        ("BR", "São Paulo", "SP"),
        ("BR", "sao paulo", "SP"),
        ("MX", "Jalisco", "JAL"),
        ("IN", "Maharashtra", "MH"),
        ("JP", "Tokyo", "Tokyo"),
        ("JP", "Tokyo-to", "Tokyo"),
        ("JP", "13", "Tokyo"),
        ("CN", "Guangdong", "GD"),
        ("CN", "Guangdong Sheng", "GD"),
        ("IT", "MI", "MI"),
        ("IT", "Milano", "MI"),
        ("AR", "Buenos Aires", "B"),
    ],
)
def test_states_by_code_or_name(country: str, typed: str, stored: str) -> None:
    assert normalise_state(country, typed) == stored
    addr = replace(GOOD.get(country, GOOD["US"]), country=country, state=typed)
    assert validate_field("state", addr) is None


@pytest.mark.parametrize(
    ("country", "word"),
    [
        ("US", "state"),
        ("CA", "province"),
        ("AU", "state"),
        ("BR", "state"),
        ("MX", "state"),
        ("IN", "state"),
        ("JP", "prefecture"),
    ],
)
def test_state_required_where_the_country_needs_it(country: str, word: str) -> None:
    reason = validate_field("state", replace(GOOD[country], state=""))
    assert reason is not None and reason.startswith(f"{word} is required for")
    reason = validate_field("state", replace(GOOD[country], state="Narnia"))
    assert reason is not None and reason.startswith(f"Narnia is not a {word} of")
    assert "a code such as" in reason


def test_a_canadian_address_with_a_us_state() -> None:
    reason = validate_field("state", replace(GOOD["CA"], state="Texas"))
    assert reason == (
        "Texas is not a province of Canada: a code such as ON or a name such as Ontario"
    )


@pytest.mark.parametrize("country", ["DE", "GB", "FR", "NL", "IE"])
def test_state_is_free_text_elsewhere(country: str) -> None:
    assert validate_field("state", replace(GOOD[country], state="")) is None
    assert validate_field("state", replace(GOOD[country], state="Greater Somewhere")) is None


# --- phone and email ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "phone"),
    [
        ("US", "(415) 555-0100"),
        ("US", "+1 415 555 0100"),
        ("US", "+44 20 7946 0958"),  # a foreign number, written with its country code
        ("GB", "07700 900123"),
        ("DE", "+49 30 1234567"),
        ("FR", "06 12 34 56 78"),
        ("JP", "090-1234-5678"),
        ("IN", "+91 98765 43210"),
    ],
)
def test_phones_that_parse(country: str, phone: str) -> None:
    assert validate_field("phone", replace(GOOD[country], phone=phone)) is None


@pytest.mark.parametrize(
    ("country", "phone", "needle"),
    [
        ("US", "555-0100", "lacks the area code"),
        ("US", "12", "too short"),
        ("DE", "12", "too short"),
        ("US", "1234567890123456", "too long"),
        ("US", "call me", "is not a phone number"),
        ("US", "+999 1234", "unknown country code"),
    ],
)
def test_phones_that_do_not(country: str, phone: str, needle: str) -> None:
    reason = validate_field("phone", replace(GOOD[country], phone=phone))
    assert reason is not None and needle in reason


@pytest.mark.parametrize("email", ["a@b.co", "zoë@example.com", "first.last+tag@sub.example.org"])
def test_emails_that_look_right(email: str) -> None:
    assert validate_field("email", replace(GOOD["US"], email=email)) is None


@pytest.mark.parametrize(
    "email", ["bob", "bob@", "@example.com", "bob@example", "bob @example.com", "a@b.c"]
)
def test_emails_that_do_not(email: str) -> None:
    reason = validate_field("email", replace(GOOD["US"], email=email))
    assert reason is not None and "is not an email address" in reason


# --- the whole address ----------------------------------------------------------------------


def test_every_bad_field_is_named_at_once() -> None:
    addr = ShippingAddress(country="US", state="Narnia", postal_code="1", phone="1", email="x")
    assert set(validate_address(addr)) == {
        "name",
        "address1",
        "city",
        "state",
        "postal_code",
        "phone",
        "email",
    }


def test_validate_field_knows_every_field_and_nothing_else() -> None:
    for field in ADDRESS_FIELDS:
        validate_field(field, GOOD["US"])
    with pytest.raises(KeyError):
        validate_field("zip", GOOD["US"])


def test_clean_address_normalises_what_it_can() -> None:
    typed = ShippingAddress(
        name="  Jean   Tremblay ",
        address1="24  Sussex Dr",
        city="Ottawa",
        state="ontario",
        postal_code="k1m1m4",
        country="canada",
    )
    assert clean_address(typed) == ShippingAddress(
        name="Jean Tremblay",
        address1="24 Sussex Dr",
        city="Ottawa",
        state="ON",
        postal_code="K1M 1M4",
        country="CA",
    )
    odd = ShippingAddress(country="Atlantis", state="Deep", postal_code="x 1")
    assert clean_address(odd) == odd  # kept as typed; validation reports it


def test_from_order_and_back() -> None:
    class FakeOrder:
        pass

    order = FakeOrder()
    for column, value in GOOD["US"].order_columns().items():
        setattr(order, column, value)
    assert ShippingAddress.from_order(order) == GOOD["US"]


# --- the consolidation key ------------------------------------------------------------------


def test_the_same_place_written_differently_gives_one_key() -> None:
    a = ShippingAddress("Zoë Ångström", "", "Drottninggatan 1", "", "Stockholm", "", "111 51", "SE")
    b = ShippingAddress(
        "ZOE ANGSTROM",
        "",
        "drottninggatan, 1.",
        "",
        " stockholm ",
        "",
        "11151",
        "Sweden",
        "+46 8 123 456",
        "z@example.com",
    )
    assert normalise_address(a) == normalise_address(b)
    us1 = GOOD["US"]
    us2 = replace(
        us1, state="california", country="United States", postal_code=" 94105 ", address2="APT. 4"
    )
    assert normalise_address(us1) == normalise_address(us2)


@pytest.mark.parametrize(
    "change",
    [
        {"address1": "2 Market St"},
        {"name": "Ada King"},
        {"postal_code": "94106"},
        {"address2": "Apt 5"},
        {"country": "CA"},
    ],
)
def test_different_places_give_different_keys(change: dict[str, str]) -> None:
    assert normalise_address(GOOD["US"]) != normalise_address(replace(GOOD["US"], **change))
