"""Shipping addresses: validation an operator can act on, normalisation, and a consolidation key.

Pure rules over ISO 3166 data (pycountry) and phone-number metadata (phonenumbers); no database.
Every reason says what is wrong and what would be right, because the shipping dialog shows it
under the field as the operator leaves it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import Any

import phonenumbers
import pycountry

ADDRESS_FIELDS: tuple[str, ...] = (
    "name",
    "company",
    "address1",
    "address2",
    "city",
    "state",
    "postal_code",
    "country",
    "phone",
    "email",
)

# Order columns holding the shipping address, by ShippingAddress field.
ORDER_COLUMNS: dict[str, str] = {name: f"ship_{name}" for name in ADDRESS_FIELDS}

FIELD_LABELS: dict[str, str] = {
    "name": "name",
    "company": "company",
    "address1": "address line 1",
    "address2": "address line 2",
    "city": "city",
    "state": "state/province",
    "postal_code": "postal code",
    "country": "country",
    "phone": "phone",
    "email": "email",
}


@dataclass(frozen=True, slots=True)
class ShippingAddress:
    """Where a parcel goes; `country` is an ISO 3166-1 alpha-2 code once normalised."""

    name: str = ""
    company: str = ""
    address1: str = ""
    address2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""
    phone: str = ""
    email: str = ""

    @classmethod
    def from_order(cls, order: Any) -> ShippingAddress:
        """The address held in an order's `ship_*` columns."""
        return cls(**{name: getattr(order, column) or "" for name, column in ORDER_COLUMNS.items()})

    def order_columns(self) -> dict[str, str]:
        """This address as `ship_*` column values."""
        return {ORDER_COLUMNS[name]: getattr(self, name) for name in ADDRESS_FIELDS}

    def as_dict(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


# --- countries -------------------------------------------------------------------------------

# Names operators and stores really type that ISO 3166 does not list.
_COUNTRY_ALIASES: dict[str, str] = {
    "uk": "GB",
    "u k": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "great britain": "GB",
    "britain": "GB",
    "us": "US",
    "u s": "US",
    "u s a": "US",
    "america": "US",
    "united states of america": "US",
    "russia": "RU",
    "turkey": "TR",
    "korea": "KR",
    "south korea": "KR",
    "holland": "NL",
    "the netherlands": "NL",
    "nederland": "NL",
    "deutschland": "DE",
    "espana": "ES",
    "italia": "IT",
    "osterreich": "AT",
    "schweiz": "CH",
    "suisse": "CH",
    "brasil": "BR",
    "uae": "AE",
    "czech republic": "CZ",
    "ivory coast": "CI",
}


def _fold(text: str) -> str:
    """Case-, accent- and punctuation-folded text with single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = re.sub(r"[^\w]+", " ", plain.casefold())
    return " ".join(plain.replace("_", " ").split())


@lru_cache(maxsize=512)
def normalise_country(value: str) -> str | None:
    """The ISO 3166-1 alpha-2 code for a code (alpha-2/alpha-3) or a country name; None if none."""
    text = value.strip()
    if not text:
        return None
    folded = _fold(text)
    if folded in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[folded]
    for candidate in (text, folded):
        try:
            country = pycountry.countries.lookup(candidate)
        except LookupError:
            continue
        return str(country.alpha_2)
    return None


def country_name(code: str) -> str:
    """The English short name of an alpha-2 code (the code itself when unknown)."""
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


# --- postal codes ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PostalRule:
    """How one country writes its postal codes."""

    pattern: str  # matched against the upper-cased code with runs of spaces collapsed
    shape: str  # "5 digits", "A1A 1A1" ...
    example: str
    label: str = ""  # "US ZIP code"; default "<country> postal code"


_US_ZIP = PostalRule(r"\d{5}(-?\d{4})?", "5 digits, or ZIP+4", "94103", "US ZIP code")

POSTAL_RULES: dict[str, PostalRule] = {
    "US": _US_ZIP,
    "PR": _US_ZIP,
    "GU": _US_ZIP,
    "VI": _US_ZIP,
    "AS": _US_ZIP,
    "MP": _US_ZIP,
    "CA": PostalRule(
        r"[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d",
        "A1A 1A1",
        "K1A 0B1",
        "Canadian postal code",
    ),
    "GB": PostalRule(
        r"(GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})", "like SW1A 1AA", "SW1A 1AA", "UK postcode"
    ),
    "IE": PostalRule(
        r"([AC-FHKNPRTV-Y]\d{2}|D6W) ?[\dAC-FHKNPRTV-Y]{4}", "like A65 F4E2", "D02 X285", "Eircode"
    ),
    "DE": PostalRule(r"\d{5}", "5 digits", "10115"),
    "FR": PostalRule(r"\d{5}", "5 digits", "75001"),
    "IT": PostalRule(r"\d{5}", "5 digits", "00184"),
    "ES": PostalRule(r"(0[1-9]|[1-4]\d|5[0-2])\d{3}", "5 digits", "28013"),
    "PT": PostalRule(r"\d{4}-\d{3}", "NNNN-NNN", "1000-001"),
    "NL": PostalRule(r"[1-9]\d{3} ?[A-Z]{2}", "4 digits and 2 letters", "1012 AB"),
    "BE": PostalRule(r"\d{4}", "4 digits", "1000"),
    "LU": PostalRule(r"(L-)?\d{4}", "4 digits", "1009"),
    "AT": PostalRule(r"\d{4}", "4 digits", "1010"),
    "CH": PostalRule(r"\d{4}", "4 digits", "8001"),
    "LI": PostalRule(r"94[89]\d", "4 digits", "9490"),
    "DK": PostalRule(r"\d{4}", "4 digits", "1050"),
    "NO": PostalRule(r"\d{4}", "4 digits", "0150"),
    "SE": PostalRule(r"\d{3} ?\d{2}", "5 digits", "114 55"),
    "FI": PostalRule(r"\d{5}", "5 digits", "00100"),
    "IS": PostalRule(r"\d{3}", "3 digits", "101"),
    "PL": PostalRule(r"\d{2}-?\d{3}", "NN-NNN", "00-950"),
    "CZ": PostalRule(r"\d{3} ?\d{2}", "5 digits", "110 00"),
    "SK": PostalRule(r"\d{3} ?\d{2}", "5 digits", "811 01"),
    "HU": PostalRule(r"\d{4}", "4 digits", "1051"),
    "SI": PostalRule(r"\d{4}", "4 digits", "1000"),
    "HR": PostalRule(r"\d{5}", "5 digits", "10000"),
    "RO": PostalRule(r"\d{6}", "6 digits", "010011"),
    "BG": PostalRule(r"\d{4}", "4 digits", "1000"),
    "GR": PostalRule(r"\d{3} ?\d{2}", "5 digits", "105 57"),
    "EE": PostalRule(r"\d{5}", "5 digits", "10111"),
    "LV": PostalRule(r"(LV-)?\d{4}", "LV-NNNN", "LV-1050"),
    "LT": PostalRule(r"(LT-)?\d{5}", "LT-NNNNN", "LT-01100"),
    "UA": PostalRule(r"\d{5}", "5 digits", "01001"),
    "RU": PostalRule(r"\d{6}", "6 digits", "101000"),
    "TR": PostalRule(r"\d{5}", "5 digits", "34000"),
    "IL": PostalRule(r"\d{7}", "7 digits", "6100000"),
    "AU": PostalRule(r"\d{4}", "4 digits", "2000", "Australian postcode"),
    "NZ": PostalRule(r"\d{4}", "4 digits", "6011"),
    "JP": PostalRule(r"\d{3}-?\d{4}", "NNN-NNNN", "100-0001"),
    "KR": PostalRule(r"\d{5}", "5 digits", "03154"),
    "CN": PostalRule(r"\d{6}", "6 digits", "100000"),
    "TW": PostalRule(r"\d{3}(\d{2,3})?", "3, 5 or 6 digits", "100"),
    "SG": PostalRule(r"\d{6}", "6 digits", "018956"),
    "MY": PostalRule(r"\d{5}", "5 digits", "50450"),
    "TH": PostalRule(r"\d{5}", "5 digits", "10200"),
    "ID": PostalRule(r"\d{5}", "5 digits", "10110"),
    "PH": PostalRule(r"\d{4}", "4 digits", "1000"),
    "VN": PostalRule(r"\d{6}", "6 digits", "100000"),
    "IN": PostalRule(r"[1-9]\d{2} ?\d{3}", "6 digits", "110001", "Indian PIN code"),
    "ZA": PostalRule(r"\d{4}", "4 digits", "8001"),
    "MX": PostalRule(r"\d{5}", "5 digits", "06600"),
    "BR": PostalRule(r"\d{5}-?\d{3}", "NNNNN-NNN", "01310-100", "Brazilian CEP"),
    "AR": PostalRule(r"([A-Z]\d{4}[A-Z]{3}|\d{4})", "A9999AAA or 4 digits", "C1425DKF"),
    "CL": PostalRule(r"\d{7}", "7 digits", "8320000"),
    "CO": PostalRule(r"\d{6}", "6 digits", "110111"),
    "PE": PostalRule(r"\d{5}", "5 digits", "15001"),
}

# Countries with no postal code system, or one so new or optional that addresses go without it
# (Ireland's Eircode is checked when given, never demanded).
NO_POSTAL_CODE: frozenset[str] = frozenset(
    {
        "AE", "AG", "AN", "AO", "AW", "BF", "BI", "BJ", "BO", "BS", "BW", "BZ", "CD", "CF",
        "CG", "CI", "CK", "CM", "CW", "DJ", "DM", "ER", "FJ", "GA", "GD", "GH", "GM", "GN",
        "GQ", "GY", "HK", "IE", "JM", "KI", "KM", "KN", "KP", "LC", "LY", "MO", "ML", "MR",
        "MS", "MW", "NR", "NU", "PA", "QA", "RW", "SB", "SC", "SL", "SO", "SR", "SS", "ST",
        "SX", "SY", "TD", "TF", "TG", "TK", "TL", "TO", "TT", "TV", "UG", "VU", "YE", "ZW",
    }
)  # fmt: skip


def clean_postal_code(country: str, value: str) -> str:
    """The postal code upper-cased with single spaces, in the country's usual spacing."""
    text = " ".join(value.upper().split())
    compact = text.replace(" ", "")
    if country == "CA" and len(compact) == 6:
        return f"{compact[:3]} {compact[3:]}"
    if country == "GB" and 5 <= len(compact) <= 7:
        return f"{compact[:-3]} {compact[-3:]}"
    if country == "IE" and len(compact) == 7:
        return f"{compact[:3]} {compact[3:]}"
    if country == "NL" and len(compact) == 6:
        return f"{compact[:4]} {compact[4:]}"
    return text


def _postal_reason(country: str, value: str) -> str | None:
    code = value.strip()
    rule = POSTAL_RULES.get(country)
    name = country_name(country)
    if not code:
        if country in NO_POSTAL_CODE:
            return None
        if rule is None:
            return f"postal code is required for {name}"
        return f"postal code is required for {name} ({rule.shape}, e.g. {rule.example})"
    if rule is None:
        if len(code) > 12 or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 -]*", code):
            return f"postal code {code} does not look like a postal code (letters, digits, - only)"
        return None
    if re.fullmatch(rule.pattern, clean_postal_code(country, code)):
        return None
    label = rule.label or f"{name} postal code"
    return f"postal code {code} is not a {label} ({rule.shape}, e.g. {rule.example})"


# --- states and provinces --------------------------------------------------------------------

# Countries whose carriers and vendors need the state/province, and what it is called there.
STATE_REQUIRED: dict[str, str] = {
    "US": "state",
    "CA": "province",
    "AU": "state",
    "BR": "state",
    "MX": "state",
    "IN": "state",
    "AR": "province",
    "CN": "province",
    "JP": "prefecture",
    "IT": "province",
    "MY": "state",
}

# US military "states" that ISO 3166-2 does not list.
_EXTRA_SUBDIVISIONS: dict[str, dict[str, str]] = {
    "US": {
        "aa": "AA",
        "armed forces americas": "AA",
        "ae": "AE",
        "armed forces europe": "AE",
        "ap": "AP",
        "armed forces pacific": "AP",
    }
}

_NAME_SUFFIXES = (" sheng", " shi", " zizhiqu", " sar", " to", " fu", " ken", " prefecture")
_EXAMPLE_STATES = {
    "US": ("CA", "California"),
    "CA": ("ON", "Ontario"),
    "AU": ("NSW", "New South Wales"),
    "BR": ("SP", "São Paulo"),
    "MX": ("JAL", "Jalisco"),
    "IN": ("MH", "Maharashtra"),
    "AR": ("B", "Buenos Aires"),
    "CN": ("GD", "Guangdong"),
    "JP": ("13", "Tokyo"),
    "IT": ("MI", "Milano"),
    "MY": ("14", "Kuala Lumpur"),
}


@lru_cache(maxsize=64)
def _subdivision_index(country: str) -> dict[str, str]:
    """Folded code/name -> the value to store, for one country's ISO 3166-2 subdivisions."""
    index: dict[str, str] = {}
    subdivisions = pycountry.subdivisions.get(country_code=country)  # type: ignore[no-untyped-call]
    for sub in subdivisions or ():
        suffix = str(sub.code).split("-", 1)[1]
        # Numeric codes (JP-13, MY-14) mean nothing on a label: keep the name there.
        stored = str(sub.name) if suffix.isdigit() else suffix
        names = {_fold(str(sub.name))}
        for end in _NAME_SUFFIXES:
            for name in list(names):
                if name.endswith(end):
                    names.add(name[: -len(end)])
        for key in (_fold(suffix), _fold(str(sub.code)), *names):
            index.setdefault(key, stored)
    index.update(_EXTRA_SUBDIVISIONS.get(country, {}))
    return index


def normalise_state(country: str, value: str) -> str | None:
    """The state/province as stored (code, or name where codes are numbers); None if unknown."""
    folded = _fold(value)
    if not folded:
        return None
    index = _subdivision_index(country.upper())
    if folded in index:
        return index[folded]
    for end in _NAME_SUFFIXES:
        if folded.endswith(end) and folded[: -len(end)] in index:
            return index[folded[: -len(end)]]
    return None


def _state_reason(country: str, value: str) -> str | None:
    word = STATE_REQUIRED.get(country)
    if word is None:
        return None  # free text where the country does not need one
    code, name = _EXAMPLE_STATES.get(country, ("", ""))
    hint = f": a code such as {code} or a name such as {name}" if code else ""
    if not value.strip():
        return f"{word} is required for {country_name(country)}{hint}"
    if normalise_state(country, value) is None:
        return f"{value.strip()} is not a {word} of {country_name(country)}{hint}"
    return None


# --- phone and email -------------------------------------------------------------------------

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]{2,}")


def _phone_reason(country: str | None, value: str) -> str | None:
    text = value.strip()
    if not text:
        return None
    where = f" for {country_name(country)}" if country else ""
    try:
        number = phonenumbers.parse(text, country)
    except phonenumbers.NumberParseException as exc:
        if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            return f"phone {text} has an unknown country code: start with + and the country code"
        return (
            f"phone {text} is not a phone number{where}: use digits, "
            "or start with + and the country code"
        )
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == phonenumbers.ValidationResult.IS_POSSIBLE:
        return None
    if reason == phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY:
        return (
            f"phone {text} is too short or lacks the area code{where}: "
            "the carrier needs the full number"
        )
    if reason == phonenumbers.ValidationResult.TOO_SHORT:
        return f"phone {text} is too short{where}: check the digits"
    if reason == phonenumbers.ValidationResult.TOO_LONG:
        return f"phone {text} is too long{where}: check the digits"
    if reason == phonenumbers.ValidationResult.INVALID_COUNTRY_CODE:
        return f"phone {text} has an unknown country code: start with + and the country code"
    return f"phone {text} is not a phone number{where}: check the digits"


def _email_reason(value: str) -> str | None:
    text = value.strip()
    if not text or _EMAIL.fullmatch(text):
        return None
    return f"{text} is not an email address (expected name@example.com)"


# --- the rules ------------------------------------------------------------------------------


def _required(value: str, reason: str) -> str | None:
    return None if value.strip() else reason


def validate_field(name: str, addr: ShippingAddress) -> str | None:
    """The reason field `name` of `addr` is wrong (it may depend on the country), or None."""
    if name not in ADDRESS_FIELDS:
        raise KeyError(f"ShippingAddress has no field {name!r}")
    value: str = getattr(addr, name)
    country = normalise_country(addr.country)
    if name == "name":
        return _required(value, "name is required (the person the parcel goes to)")
    if name == "address1":
        return _required(value, "address line 1 is required (street and number)")
    if name == "city":
        return _required(value, "city is required")
    if name == "country":
        if not value.strip():
            return "country is required: an ISO code such as US or DE, or its name"
        if country is None:
            return (
                f"{value.strip()} is not a country: use an ISO code such as US, GB or DE, "
                "or the country's English name"
            )
        return None
    if name == "postal_code":
        return None if country is None else _postal_reason(country, value)
    if name == "state":
        return None if country is None else _state_reason(country, value)
    if name == "phone":
        return _phone_reason(country, value)
    if name == "email":
        return _email_reason(value)
    return None  # company, address2: free text


def validate_address(addr: ShippingAddress) -> dict[str, str]:
    """Every bad field of `addr` with its reason; empty when the address is good to ship to."""
    problems: dict[str, str] = {}
    for name in ADDRESS_FIELDS:
        reason = validate_field(name, addr)
        if reason is not None:
            problems[name] = reason
    return problems


def clean_address(addr: ShippingAddress) -> ShippingAddress:
    """`addr` trimmed, with the country as its code, state and postal code in their usual form.

    Values that cannot be normalised are kept as typed (validation reports them).
    """
    trimmed = ShippingAddress(
        **{name: " ".join(getattr(addr, name).split()) for name in ADDRESS_FIELDS}
    )
    country = normalise_country(trimmed.country)
    if country is None:
        return trimmed
    state = trimmed.state
    if country in STATE_REQUIRED and state:
        state = normalise_state(country, state) or state
    postal = clean_postal_code(country, trimmed.postal_code) if trimmed.postal_code else ""
    return replace(trimmed, country=country, state=state, postal_code=postal)


def normalise_address(addr: ShippingAddress) -> str:
    """A canonical key for "the same place": case, accents, spaces and punctuation folded.

    Two orders to the same person at the same address get the same key, so their vendor orders
    can be consolidated; phone and email do not take part.
    """
    clean = clean_address(addr)
    parts = [
        _fold(clean.name),
        _fold(clean.company),
        _fold(clean.address1),
        _fold(clean.address2),
        _fold(clean.city),
        _fold(clean.state),
        _fold(clean.postal_code).replace(" ", ""),
        clean.country.upper() if len(clean.country) == 2 else _fold(clean.country),
    ]
    return "|".join(parts)
