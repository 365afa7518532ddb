"""Production files as a ZIP from the list (Z): the marks or the filter, a file in the export
folder unless told otherwise, the progress strip, and a summary naming what was left out."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from podtui.db import Database
from podtui.screens.bulk_dialogs import BulkConfirmDialog, BulkSummaryModal
from podtui.services.render.worker import RenderWorker
from tests.screens.conftest import assert_inside
from tests.screens.orders.conftest import make_app, settle
from tests.services.render.conftest import Shop


@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "Documents"
    folder.mkdir()
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(folder))
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return folder


@pytest.fixture
def items(db: Database) -> tuple[list[int], int]:
    shop = Shop(db)
    rendered = [shop.item("mug-wrap", {"name": n}, title="Mug") for n in ("Ana", "Bo")]
    RenderWorker(db, processes=1).run(once=True)
    waiting = shop.item("mug-wrap", {"name": "Cy"}, title="Mug", queue=False)
    return rendered, waiting


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_zip_of_the_marked_items_with_what_was_left_out(
    db: Database, items: tuple[list[int], int], documents: Path, size: tuple[int, int]
) -> None:
    rendered, waiting = items
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("asterisk", "Z")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, BulkConfirmDialog)
        question = str(dialog.query_one("#dialog-question").content)
        assert question == "Export the print files of 3 items as a ZIP?"
        path = dialog.query_one("#dialog-path").value  # type: ignore[attr-defined]
        assert Path(path).parent == documents and path.endswith(".zip")
        assert_inside(pilot)
        dialog.query_one("#dialog-path").value = "batch.zip"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        summary = app.screen
        assert isinstance(summary, BulkSummaryModal)
        report = summary.report
        assert report.detail.splitlines() == [
            f"Written to {documents / 'batch.zip'}",
            "left out 1: no print file yet (Rendering)",
        ]
        assert report.done == 2
        assert "#1003 Mug: no print file yet (Rendering)" in report.text()
    with zipfile.ZipFile(documents / "batch.zip") as archive:
        names = archive.namelist()
    assert names == [
        f"1001/{rendered[0]}-mug-white-l.png",
        f"1002/{rendered[1]}-mug-white-l.png",
        "manifest.csv",
    ]
    assert waiting not in rendered


async def test_zip_without_marks_takes_the_filter(
    db: Database, items: tuple[list[int], int], documents: Path
) -> None:
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("Z")
        await settle(pilot)
        question = str(app.screen.query_one("#dialog-question").content)
        assert question == "Export the print files of 3 items as a ZIP?"
        await pilot.press("escape")


async def test_a_typed_csv_name_lands_in_the_documents_folder(
    db: Database, items: tuple[list[int], int], documents: Path
) -> None:
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        app.screen.query_one("#dialog-path").value = "mine.csv"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.report.detail == f"Written to {documents / 'mine.csv'}"  # type: ignore[attr-defined]
    assert (documents / "mine.csv").is_file()
    assert not list((documents.parent / "cwd").iterdir())
