"""Demo customers: names, addresses and phones in each country's own shape; tracking numbers."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from podtui.demo import places


@dataclass(frozen=True, slots=True)
class Customer:
    """A buyer and the address they ship to (ISO country, region code, local postcode)."""

    first_name: str
    last_name: str
    email: str
    phone: str
    company: str
    address1: str
    address2: str
    city: str
    state: str
    postcode: str
    country: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


_RUNS = {
    "@": "12345678",
    "A": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "X": "0123456789ABCDEFGHJKLMNPRSTVWXYZ",
}
_SHAPES: dict[str, tuple[tuple[str, int], ...]] = {}


def _compile(shape: str) -> tuple[tuple[str, int], ...]:
    """`shape` as runs of (kind, length); literal text is kept as (text, 0)."""
    runs: list[tuple[str, int]] = []
    for ch in shape:
        kind = ch if ch in "#@AX" else ""
        if kind and runs and runs[-1][0] == kind:
            runs[-1] = (kind, runs[-1][1] + 1)
        elif kind:
            runs.append((kind, 1))
        elif runs and runs[-1][1] == 0:
            runs[-1] = (runs[-1][0] + ch, 0)
        else:
            runs.append((ch, 0))
    return tuple(runs)


def fill(shape: str, rng: random.Random) -> str:
    """`shape` with "#" a digit, "@" a digit 1-8, "A" a capital letter and "X" a letter or digit."""
    runs = _SHAPES.get(shape)
    if runs is None:
        runs = _SHAPES[shape] = _compile(shape)
    out = []
    for kind, n in runs:
        if n == 0:
            out.append(kind)
        elif kind == "#":  # one draw per run of up to 15 digits (a double holds 15 exactly)
            while n > 0:
                k = min(n, 15)
                out.append(str(int(rng.random() * 10**k)).zfill(k))
                n -= k
        else:
            out.append("".join(rng.choices(_RUNS[kind], k=n)))
    return "".join(out)


def make_customer(rng: random.Random, country: str, serial: int) -> Customer:
    """A plausible customer living in `country` (an ISO code `demo_pools.COUNTRIES` knows)."""
    pool = places.COUNTRIES[country]
    place = rng.choice(pool.places)
    first = rng.choice(pool.first_names)
    last = rng.choice(pool.last_names)
    user = ".".join(p for p in (_ascii(first), _ascii(last)) if p) or f"customer{serial}"
    suffix = str(serial % 97) if serial % 3 else ""
    email = f"{user}{suffix}@{rng.choice(places.EMAIL_DOMAINS)}"
    address1 = pool.street_format.format(n=rng.randrange(1, 240), street=rng.choice(pool.streets))
    phone = fill(rng.choice(pool.phone_formats).replace("{area}", place.phone_area), rng)
    return Customer(
        first_name=first,
        last_name=last,
        email=email,
        phone=phone,
        company="Lumen & Co." if serial % 41 == 40 else "",
        address1=address1,
        address2=rng.choice(pool.unit_formats),
        city=place.city,
        state=place.state,
        postcode=place.postcode,
        country=country,
    )


def tracking_for(rng: random.Random, carrier: str) -> tuple[str, str]:
    """A tracking number in `carrier`'s shape and the carrier's tracking URL for it."""
    shape, url = places.TRACKING[carrier]
    number = fill(shape, rng)
    return number, url + number
