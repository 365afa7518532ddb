"""The timeline: every change writes one Event saying who, when, what and from which status."""

from __future__ import annotations

import getpass
import os
from typing import Any

from sqlmodel import Session

from podtui.adapters.redact import scrub_value
from podtui.domain.models import Event, utcnow


def current_user() -> str:
    """The OS user behind this change (PODTUI_USER overrides it, for shared kiosk logins)."""
    override = os.environ.get("PODTUI_USER")
    if override:
        return override
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry (some containers): still say something true
        return f"uid:{os.getuid()}"


def record_event(
    session: Session,
    type: str,
    *,
    order_id: int | None = None,
    item_id: int | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    params: dict[str, Any] | None = None,
    user: str | None = None,
) -> Event:
    """Add one timeline event to the caller's transaction (its params scrubbed of secrets)."""
    event = Event(
        at=utcnow(),
        user=user or current_user(),
        type=type,
        order_id=order_id,
        item_id=item_id,
        from_status=from_status,
        to_status=to_status,
        params=scrub_value(params or {}),  # a vendor's or a store's reason may echo a login
    )
    session.add(event)
    return event
