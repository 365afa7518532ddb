"""Shared fixtures: every test gets its own data/config dirs, a real SQLite file, no real keyring."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from podtui.db import Database, open_database
from tests import postgres_support

# The API sandboxes on loopback, as fixtures every test package may use.
pytest_plugins = [
    "tests.adapters.stores.woo_support",
    "tests.adapters.vendors.printify_support",
    "tests.adapters.vendors.printful_support",
    "tests.services.catalogue.map_support",
    "tests.cli.shop_support",
    "tests.services.sync.import_support",
]


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in a dict: these machines have no keyring service."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    monkeypatch.setenv("PODTUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PODTUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PODTUI_USER", "tester")
    monkeypatch.delenv("PODTUI_DATABASE_URL", raising=False)
    # The app's background store sync stays off unless a test turns it on (toasts, network).
    monkeypatch.setenv("PODTUI_BACKGROUND_SYNC", "0")
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def keyring_backend(_isolated_env: MemoryKeyring) -> MemoryKeyring:
    return _isolated_env


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "podtui.db"


@pytest.fixture(scope="session")
def _postgres_url(worker_id: str) -> Iterator[str | None]:
    """With PODTUI_TEST_DATABASE_URL set, one PostgreSQL database per test worker, migrated once
    (None without it: the suite runs on SQLite files)."""
    server = os.environ.get("PODTUI_TEST_DATABASE_URL")
    if not server:
        yield None
        return
    with postgres_support.worker_database(server, worker_id) as url:
        yield url


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated database per test worker; each test gets a copy (migrating takes longer)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    open_database(f"sqlite:///{path}").dispose()
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # all of it is in the file we copy
    return path


@pytest.fixture
def database_url(db_path: Path, request: pytest.FixtureRequest) -> str:
    """The URL of an empty database at the newest migration, fresh for each test: a real SQLite
    file, or with PODTUI_TEST_DATABASE_URL set this worker's PostgreSQL database, emptied."""
    pg_url = request.getfixturevalue("_postgres_url")
    if pg_url is not None:
        postgres_support.empty(pg_url)
        return str(pg_url)
    shutil.copyfile(request.getfixturevalue("_template_db"), db_path)
    return f"sqlite:///{db_path}"


@pytest.fixture
def sqlite_db(db_path: Path, _template_db: Path) -> Iterator[Database]:
    """A SQLite file at the newest migration, on every run: for what only SQLite has (its file,
    its WAL, its PRAGMAs)."""
    shutil.copyfile(_template_db, db_path)
    database = Database(f"sqlite:///{db_path}")
    yield database
    database.dispose()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """The test's database (see `database_url`), open."""
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture(autouse=True)
def _no_render_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app renders in a process pool by default; tests that want one start it themselves."""
    monkeypatch.setenv("PODTUI_RENDER_WORKERS", "0")


def pytest_sessionstart(session: pytest.Session) -> None:
    """Two migration heads fail every migrated test with one long error: say it once instead."""
    from tests import migration_heads

    problem = migration_heads.problem()
    if problem:
        pytest.exit(f"podtui tests: {problem}", returncode=3)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line saying which database this run used, so a SQLite-only run never passes for both."""
    url = os.environ.get("PODTUI_TEST_DATABASE_URL")
    if url:
        shown = url.split("@", 1)[-1]
        terminalreporter.write_line(f"database: PostgreSQL at {shown} (a database per worker)")
    else:
        terminalreporter.write_line(
            "database: SQLite; the PostgreSQL run was not done (.ci/run does it, or set "
            "PODTUI_TEST_DATABASE_URL=postgresql://user@host/db)"
        )
