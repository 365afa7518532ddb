"""The sync's store: a WooCommerce sandbox on loopback (tests/adapters/stores/woo_support.py)."""

from __future__ import annotations

import pytest

from podtui.db import Database
from podtui.domain.models import Store
from tests.adapters.stores.woo_support import loopback_store


@pytest.fixture
def store(db: Database, woo_url: str) -> Store:
    """A WooCommerce store on loopback whose secret is in the (test) keyring; a mapped product."""
    return loopback_store(db, woo_url)
