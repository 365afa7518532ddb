"""Countries as podtui stores them: ISO 3166-1 alpha-2 codes, and the names stores send instead.

Vendors and carriers take only the two-letter code. A store (or a checkout plugin) sometimes sends
a country's name; `read_country` maps a name that means one country (an explicit table, never a
guess) and refuses one that could mean two ("Georgia", "Congo", "Korea") or that it does not know,
so such an order becomes a sync problem for the operator instead of a parcel sent astray.
"""

from __future__ import annotations

from dataclasses import dataclass

import pycountry

# Every assigned code, and Kosovo's XK, which carriers and vendors use.
ISO_CODES = frozenset({str(c.alpha_2) for c in pycountry.countries} | {"XK"})

# Names (folded: lower case, no dots) that mean exactly one country.
NAMES: dict[str, str] = {
    "usa": "US", "us": "US", "u s a": "US", "united states": "US",
    "united states of america": "US", "america": "US",
    "uk": "GB", "united kingdom": "GB", "great britain": "GB", "britain": "GB",
    "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB",
    "canada": "CA", "mexico": "MX", "australia": "AU", "new zealand": "NZ",
    "germany": "DE", "deutschland": "DE", "france": "FR", "spain": "ES", "españa": "ES",
    "italy": "IT", "italia": "IT", "portugal": "PT", "netherlands": "NL", "the netherlands": "NL",
    "holland": "NL", "belgium": "BE", "luxembourg": "LU", "switzerland": "CH", "austria": "AT",
    "österreich": "AT", "ireland": "IE", "republic of ireland": "IE", "denmark": "DK",
    "sweden": "SE", "norway": "NO", "finland": "FI", "iceland": "IS", "poland": "PL",
    "czech republic": "CZ", "czechia": "CZ", "slovakia": "SK", "hungary": "HU",
    "romania": "RO", "bulgaria": "BG", "greece": "GR", "croatia": "HR", "slovenia": "SI",
    "serbia": "RS", "estonia": "EE", "latvia": "LV", "lithuania": "LT", "ukraine": "UA",
    "turkey": "TR", "türkiye": "TR", "israel": "IL", "japan": "JP", "china": "CN",
    "people's republic of china": "CN", "taiwan": "TW", "hong kong": "HK", "singapore": "SG",
    "india": "IN", "south africa": "ZA", "brazil": "BR", "brasil": "BR", "argentina": "AR",
    "chile": "CL", "colombia": "CO", "peru": "PE", "philippines": "PH", "thailand": "TH",
    "vietnam": "VN", "viet nam": "VN", "indonesia": "ID", "malaysia": "MY",
    "united arab emirates": "AE", "uae": "AE", "saudi arabia": "SA", "egypt": "EG",
    "south korea": "KR", "republic of korea": "KR", "korea, republic of": "KR",
    "north korea": "KP", "democratic republic of the congo": "CD", "dr congo": "CD",
    "drc": "CD", "republic of the congo": "CG", "congo-brazzaville": "CG",
    "congo-kinshasa": "CD", "russia": "RU", "russian federation": "RU", "puerto rico": "PR",
    "cyprus": "CY", "malta": "MT", "monaco": "MC",
}  # fmt: skip

# Names that stand for two or more countries (or a country and a US state).
AMBIGUOUS: dict[str, str] = {
    "georgia": "the country (GE) or the US state",
    "congo": "the Republic of the Congo (CG) or the Democratic Republic (CD)",
    "korea": "South Korea (KR) or North Korea (KP)",
    "guinea": "Guinea (GN), Guinea-Bissau (GW), Equatorial Guinea (GQ) or Papua New Guinea (PG)",
    "sudan": "Sudan (SD) or South Sudan (SS)",
    "virgin islands": "the British (VG) or the US Virgin Islands (VI)",
    "samoa": "Samoa (WS) or American Samoa (AS)",
    "macedonia": "North Macedonia (MK) or the Greek region",
    "dominica": "Dominica (DM) or the Dominican Republic (DO)",
    "jersey": "Jersey (JE) or New Jersey (US)",
}


@dataclass(frozen=True)
class CountryReading:
    """What a store's country field says: the code, or why it cannot be used as one."""

    code: str  # "" when there is none to use
    problem: str = ""  # empty when `code` can be used
    mapped: bool = False  # a name was read as `code`


def _fold(text: str) -> str:
    return " ".join(text.replace(".", " ").casefold().split())


def read_country(value: str) -> CountryReading:
    """The ISO 3166-1 alpha-2 code `value` stands for, or the reason it stands for none."""
    text = value.strip()
    if not text:
        return CountryReading("", "the shipping address has no country")
    if len(text) == 2 and text.upper() in ISO_CODES:
        return CountryReading(text.upper())
    folded = _fold(text)
    if folded in AMBIGUOUS:
        return CountryReading("", f"shipping country {text!r} is ambiguous: {AMBIGUOUS[folded]}")
    code = NAMES.get(folded)
    if code is not None:
        return CountryReading(code, mapped=True)
    return CountryReading("", f"shipping country {text!r} is not an ISO 3166-1 alpha-2 code")
