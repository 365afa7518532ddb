"""Seams to services other branches build (sending, retrying, re-syncing one order).

They are looked up when called, not imported at start-up, so the details screen works before
those services exist and picks them up as soon as they do; until then the caller gets
ServiceUnavailableError, whose message says so plainly.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from podtui.domain.errors import DomainError


class ServiceUnavailableError(DomainError):
    """The service behind an action is not part of this build yet."""


def find_service(module: str, *names: str) -> Callable[..., Any] | None:
    """The first callable of `names` in `podtui.services.<module>`, or None."""
    try:
        mod = importlib.import_module(f"podtui.services.{module}")
    except ImportError:
        return None
    for name in names:
        found = getattr(mod, name, None)
        if callable(found):
            return found  # type: ignore[no-any-return]
    return None


def require_service(module: str, *names: str, what: str) -> Callable[..., Any]:
    """Like find_service, but raises ServiceUnavailableError naming `what` when it is missing."""
    found = find_service(module, *names)
    if found is None:
        raise ServiceUnavailableError(f"{what} is not available yet in this build.")
    return found
