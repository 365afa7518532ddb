"""How the services reach a store or a vendor: the real API, or a route the caller hands in.

A `Reach` answers, for a Store or Vendor row, the transport and secret its adapter should use in
place of the internet and the keyring, or None for the real thing. The product only ever asks
`REAL` (no routes); `podtui demo` builds a Reach that serves its sandboxes in-process and hands it
to the app, and tests hand in loopback sandboxes the same way. So no service looks the demo up:
it is told.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the app imports this before its first paint: no httpx, no ORM here
    import httpx

    from podtui.domain.models import Store, Vendor


@dataclass(frozen=True)
class Route:
    """Where one store's or vendor's API is served, and the secret it accepts there."""

    transport: httpx.AsyncBaseTransport
    secret: str
    label: str = "sandbox"  # what the Connections screen says instead of "connected"


class Reach(Protocol):
    """Routes for the stores and vendors that are not reached over the internet."""

    def store_route(self, store: Store) -> Route | None:
        """The route of `store`, or None: reach it for real."""
        ...

    def vendor_route(self, vendor: Vendor) -> Route | None:
        """The route of `vendor`, or None: reach it for real."""
        ...


class _Real:
    """Every store and vendor over the internet, with its secret from the keyring."""

    def store_route(self, store: Store) -> Route | None:
        return None

    def vendor_route(self, vendor: Vendor) -> Route | None:
        return None


REAL: Reach = _Real()
