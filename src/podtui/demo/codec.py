"""How the demo seeder renders row values for each bulk path.

`TextCodec` renders them exactly as SQLAlchemy writes them to SQLite, for the raw DBAPI path:
datetimes as naive UTC text `YYYY-MM-DD HH:MM:SS.ffffff` (what `UTCDateTime` over SQLite's
`DATETIME` stores and reads back as aware UTC), JSON as `json.dumps` text, booleans as 0/1.
`ObjectCodec` leaves Python values for SQLAlchemy Core to render through the column types.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

_EPOCH = datetime(1970, 1, 1)
_CLOCK: list[str] = []  # "HH:MM:SS.000000" for every second of a day, built on first use


def _clock() -> list[str]:
    if not _CLOCK:
        _CLOCK.extend(
            f"{h:02d}:{m:02d}:{s:02d}.000000"
            for h in range(24)
            for m in range(60)
            for s in range(60)
        )
    return _CLOCK


class Codec(Protocol):
    """How row values are rendered for one bulk path."""

    def dt(self, ts: int) -> Any: ...
    def dts(self, stamps: tuple[int, ...]) -> list[Any]: ...
    def js(self, value: Any) -> Any: ...
    def js_cached(self, key: Hashable, make: Callable[[], Any]) -> Any: ...
    def flag(self, value: bool) -> Any: ...


class TextCodec:
    """Values as SQLAlchemy writes them to SQLite, for the raw DBAPI path."""

    def __init__(self) -> None:
        self._days: dict[int, str] = {}
        self._clock = _clock()
        self._json: dict[Hashable, str] = {}

    def dt(self, ts: int) -> str:
        day, second = divmod(ts, 86_400)
        prefix = self._days.get(day)
        if prefix is None:
            prefix = self._days[day] = (_EPOCH + timedelta(days=day)).strftime("%Y-%m-%d ")
        return prefix + self._clock[second]

    def dts(self, stamps: tuple[int, ...]) -> list[str]:
        """`dt` of each of `stamps`, in one call (an item's steps)."""
        days, clock, dt = self._days, self._clock, self.dt
        out = []
        for ts in stamps:
            prefix = days.get(ts // 86_400)
            out.append(dt(ts) if prefix is None else prefix + clock[ts % 86_400])
        return out

    def js(self, value: Any) -> str:
        return json.dumps(value)

    def js_cached(self, key: Hashable, make: Callable[[], Any]) -> str:
        found = self._json.get(key)
        if found is None:
            if len(self._json) > 50_000:
                self._json.clear()
            found = self._json[key] = json.dumps(make())
        return found

    def flag(self, value: bool) -> int:
        return 1 if value else 0


class ObjectCodec:
    """Python values for SQLAlchemy Core to render through the column types."""

    def dt(self, ts: int) -> datetime:
        return datetime.fromtimestamp(ts, UTC)

    def dts(self, stamps: tuple[int, ...]) -> list[datetime]:
        return [datetime.fromtimestamp(ts, UTC) for ts in stamps]

    def js(self, value: Any) -> Any:
        return value

    def js_cached(self, key: Hashable, make: Callable[[], Any]) -> Any:
        return make()

    def flag(self, value: bool) -> bool:
        return value
