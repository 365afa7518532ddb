"""What an adapter can do beyond its base protocol is declared as a runtime-checkable protocol
next to that base, and the services ask it with isinstance: never by probing names with getattr,
which a renamed method would silently turn into "cannot"."""

from __future__ import annotations

import ast
from pathlib import Path

import podtui
from podtui.adapters.stores.base import OrderPlacer, RawReader
from podtui.adapters.stores.shopify import ShopifyAdapter
from podtui.adapters.stores.woocommerce import WooCommerceAdapter
from podtui.adapters.vendors.base import ManyFinder, RecentLister, Resumer, ShippingQuoter
from podtui.adapters.vendors.hotfolder import HotFolderAdapter
from podtui.adapters.vendors.printful import PrintfulAdapter
from podtui.adapters.vendors.printify import PrintifyAdapter

SERVICES = Path(podtui.__file__).parent / "services"
CAPABILITIES = (ManyFinder, RecentLister, Resumer, ShippingQuoter, RawReader, OrderPlacer)
# The methods those protocols declare: what a service must ask with isinstance.
DECLARED = {
    name
    for protocol in CAPABILITIES
    for name, member in vars(protocol).items()
    if not name.startswith("_") and callable(getattr(protocol, name))
}


def test_vendor_adapters_declare_what_they_can_do() -> None:
    # Printify cannot be asked by external id: it finds many by paging its list.
    assert issubclass(PrintifyAdapter, ManyFinder)
    assert not issubclass(PrintfulAdapter, ManyFinder)
    assert not issubclass(HotFolderAdapter, ManyFinder)
    # Printful's poll lists its newest orders instead of asking each.
    assert issubclass(PrintfulAdapter, RecentLister)
    assert not issubclass(PrintifyAdapter, RecentLister)
    # An order found half-done is finished: Printify's production, the hot folder's job.
    assert issubclass(PrintifyAdapter, Resumer)
    assert issubclass(HotFolderAdapter, Resumer)
    assert not issubclass(PrintfulAdapter, Resumer)


def test_store_adapters_declare_what_they_can_do() -> None:
    assert issubclass(WooCommerceAdapter, OrderPlacer)
    assert not issubclass(ShopifyAdapter, OrderPlacer)  # the Bogus Gateway, by hand
    assert issubclass(WooCommerceAdapter, RawReader)
    assert issubclass(ShopifyAdapter, RawReader)


def test_the_capabilities_declare_their_methods() -> None:
    assert {"find_many", "recent_orders", "resume", "parse_raw", "place_test_order"} <= DECLARED


def _probes(tree: ast.AST) -> list[str]:
    """`getattr(x, "name", ...)` / `hasattr(x, "name")` of a capability's method."""
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in DECLARED
        ):
            found.append(f"{node.func.id}(..., {node.args[1].value!r}) at line {node.lineno}")
    return found


def test_no_service_probes_an_adapter_by_name() -> None:
    probes = {
        str(path.relative_to(SERVICES)): found
        for path in sorted(SERVICES.rglob("*.py"))
        if (found := _probes(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert probes == {}
