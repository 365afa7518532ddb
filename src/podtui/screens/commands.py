"""Command palette providers: every registry action of the screen, and jump to an order by name."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from podtui.keymap import BY_ID, KeyAction, display_keys, effective_keys, in_scopes
from podtui.services.listing.filters import SORT_LABELS


def _scopes_of(screen: Any) -> list[str]:
    return ["app", *getattr(screen, "KEY_SCOPES", [])]


class ActionCommands(Provider):
    """Each action the screen has a key for, by its description (and its key)."""

    def _entries(self) -> list[KeyAction]:
        return [e for e in in_scopes(_scopes_of(self.screen)) if e.palette]

    def _label(self, entry: KeyAction) -> str:
        keymap = getattr(self.app, "keymap_overrides", {})
        return f"{entry.description}  ({display_keys(effective_keys(entry, keymap))})"

    async def _run(self, entry: KeyAction) -> None:
        target: Any = self.screen
        if entry.scope == "app":
            target = self.app
        elif entry.scope == "table":
            target = getattr(self.screen, "table", self.screen)
        await target.run_action(entry.action)

    def _sorts(self) -> list[tuple[str, Any]]:
        """The list's sorts, each by name ("Sort by order total"), where the screen has them."""
        screen: Any = self.screen
        if not hasattr(screen, "sort_keys"):
            return []
        keymap = getattr(self.app, "keymap_overrides", {})
        keys = display_keys(effective_keys(BY_ID["orders.sort"], keymap))
        return [
            (f"Sort by {SORT_LABELS[key]}  ({keys} for the next)", partial(screen.sort_by, key))
            for key in screen.sort_keys()
        ]

    async def discover(self) -> Hits:
        for entry in self._entries():
            yield DiscoveryHit(self._label(entry), partial(self._run, entry), help=entry.id)
        for label, run in self._sorts():
            yield DiscoveryHit(label, run, help="orders.sort")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self._entries():
            label = self._label(entry)
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self._run, entry), help=entry.id)
        for label, run in self._sorts() if "sort" in query.lower() else []:
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), run, help="orders.sort")


class OrderCommands(Provider):
    """ "#1001" or "1001": open that order; saved views by name."""

    async def search(self, query: str) -> Hits:
        app: Any = self.app
        text = query.strip()
        views: dict[str, str] = getattr(getattr(app, "config_", None), "views", {})
        matcher = self.matcher(text)
        for name, filter_text in views.items():
            score = matcher.match(f"view {name}")
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(f"view {name}"),
                    partial(app.show_view, filter_text),
                    help=filter_text,
                )
        reader = getattr(app, "reader", None)
        stores = reader.cached_lookups().stores if reader is not None else {}
        for store in stores.values():
            label = f"Place test order at {store}"
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(label),
                    partial(app.place_test_order, store),
                    help="a test order: TEST badge, never sent by itself",
                )
        bare = text.lstrip("#")
        if reader is None or not bare or not (bare[0].isdigit() or text.startswith("#")):
            return
        found = await asyncio.to_thread(reader.find_orders, text, 12)
        for order_id, name, customer in found:
            label = f"Open order {name}  {customer}"
            yield Hit(
                1.0 if name.lstrip("#") == bare else 0.8,
                label,
                partial(app.open_order, order_id, None, name),
                text=label,
                help="jump to this order",
            )
