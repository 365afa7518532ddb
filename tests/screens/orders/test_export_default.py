"""The export dialog proposes a file in the user's documents folder, else podtui's data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from podtui.config import data_dir
from podtui.db import Database
from tests.screens.orders.conftest import make_app, settle
from tests.screens.orders.data import Shop


async def proposed_path(db: Database) -> Path:
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")  # export the row under the cursor
        await settle(pilot)
        return Path(app.screen.query_one("#dialog-path").value)  # type: ignore[attr-defined]


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory that is neither the documents nor the data folder."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return cwd


async def test_export_defaults_to_the_documents_folder(
    db: Database, shop: Shop, tmp_path: Path, elsewhere: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(documents))
    path = await proposed_path(db)
    assert path.parent == documents
    assert path.name.startswith("podtui-items-") and path.suffix == ".csv"


async def test_export_falls_back_to_the_data_folder_never_the_working_directory(
    db: Database, shop: Shop, tmp_path: Path, elsewhere: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "no-such-folder"))
    path = await proposed_path(db)
    assert path.parent == data_dir()
    assert path.parent != elsewhere
