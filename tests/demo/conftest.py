"""A demo database seeded once per module, at a fixed time, for the demo tests to read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from podtui.db import Database, open_database
from podtui.demo.seed import SeedReport, seed_demo

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SEED = 11
ORDERS = 400


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, SeedReport]]:
    path: Path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = open_database(f"sqlite:///{path}")
    report = seed_demo(db, orders=ORDERS, seed=SEED, now=NOW, hotfolder_path="/srv/rip/dtg")
    yield db, report
    db.dispose()
