"""Production files as a ZIP, from the service and from `podtui export zip`."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from podtui.cli import main
from podtui.db import Database
from podtui.domain.errors import ValidationError
from podtui.services.render.export_zip import export_zip
from podtui.services.render.print_files import current_print_file, print_file_link
from podtui.services.render.worker import RenderWorker
from tests.services.render.conftest import Shop


@pytest.fixture
def rendered(db: Database, shop: Shop) -> list[int]:
    ids = [shop.item("mug-wrap", {"name": n}, title="Mug") for n in ("Ana", "Bo")]
    RenderWorker(db, processes=1).run(once=True)
    return ids


def test_zip_holds_the_current_print_files_and_a_manifest(
    db: Database, rendered: list[int], tmp_path: Path
) -> None:
    out = tmp_path / "out" / "batch.zip"
    with db.read() as session:
        result = export_zip(session, [*rendered, 999], out)
        files = [current_print_file(session, i) for i in rendered]
    assert result.missing == {999: "no such item"}
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        assert names == [
            f"1001/{rendered[0]}-mug-white-l.png",
            f"1002/{rendered[1]}-mug-white-l.png",
            "manifest.csv",
        ]
        for name, pf in zip(names, files, strict=False):
            assert pf is not None
            assert archive.read(name) == Path(pf.path).read_bytes()
        manifest = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
    assert [row["order"] for row in manifest] == ["#1001", "#1002"]
    assert manifest[0]["sha256"] == files[0].sha256  # type: ignore[union-attr]
    assert not list(out.parent.glob(".*.tmp"))


def test_changed_or_missing_files_are_reported_not_shipped(
    db: Database, shop: Shop, rendered: list[int], tmp_path: Path
) -> None:
    with db.read() as session:
        pf = current_print_file(session, rendered[0])
    assert pf is not None
    Path(pf.path).write_bytes(b"tampered")
    unrendered = shop.item("mug-wrap", {"name": "x"}, queue=False)
    with db.read() as session, pytest.raises(ValidationError, match="Nothing to export"):
        export_zip(session, [rendered[0], unrendered], tmp_path / "x.zip")
    assert not (tmp_path / "x.zip").exists()


def test_cli_exports_one_order(
    database_url: str, rendered: list[int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "order.zip"
    assert main(["--db", database_url, "export", "zip", "--order", "#1002", "-o", str(out)]) == 0
    assert "1 print files" in capsys.readouterr().out
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == [f"1002/{rendered[1]}-mug-white-l.png", "manifest.csv"]
    assert (
        main(["--db", database_url, "export", "zip", "--ids", f"{rendered[0]},77", "-o", str(out)])
        == 1
    )
    assert "not included: item 77: no such item" in capsys.readouterr().err
    assert main(["--db", database_url, "export", "zip", "--order", "#42", "-o", str(out)]) == 2


def test_print_file_link(db: Database, rendered: list[int]) -> None:
    with db.read() as session:
        assert print_file_link(session, rendered[0]).startswith("file:///")
        link = print_file_link(session, rendered[0], "https://files.example.com/pod/")
    assert link == f"https://files.example.com/pod/demo-shop/1001/{rendered[0]}-mug-white-l.png"


def test_manifest_cells_a_spreadsheet_would_run_are_quoted(
    db: Database, shop: Shop, tmp_path: Path
) -> None:
    item_id = shop.item(
        "mug-wrap", {"name": "x"}, title='=HYPERLINK("http://evil.example")', variant="-3 / @A1"
    )
    RenderWorker(db, processes=1).run(once=True)
    out = tmp_path / "hostile.zip"
    with db.read() as session:
        export_zip(session, [item_id], out)
    with zipfile.ZipFile(out) as archive:
        (row,) = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
    assert row["title"] == '\'=HYPERLINK("http://evil.example")'
    assert row["variant"] == "'-3 / @A1"
    assert row["item_id"] == str(item_id)


def test_zip_reports_progress_and_says_why_items_are_left_out(
    db: Database, shop: Shop, rendered: list[int], tmp_path: Path
) -> None:
    unrendered = shop.item("mug-wrap", {"name": "x"}, queue=False)
    seen: list[tuple[int, int]] = []
    with db.read() as session:
        result = export_zip(
            session,
            iter([*rendered, unrendered]),  # read as it goes: a filter's ids come in chunks
            tmp_path / "p.zip",
            on_progress=lambda done, total: seen.append((done, total)),
            total=3,
        )
    assert seen[-1] == (3, 3) and len(result.files) == 2
    assert result.missing == {unrendered: "no print file yet (Rendering)"}
    assert not result.stopped


def test_a_stopped_zip_leaves_no_file_behind(
    db: Database, rendered: list[int], tmp_path: Path
) -> None:
    out = tmp_path / "stopped.zip"
    with db.read() as session:
        result = export_zip(session, rendered, out, should_stop=lambda: True)
    assert result.stopped and not result.files
    assert not out.exists() and not list(tmp_path.glob(".*.tmp"))


def test_a_typed_export_name_lands_in_the_export_folder_never_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from podtui.config import export_path

    documents, cwd = tmp_path / "Documents", tmp_path / "cwd"
    documents.mkdir()
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(documents))
    assert export_path("batch.zip") == documents / "batch.zip"
    assert export_path("  week/48.csv ") == documents / "week" / "48.csv"
    assert export_path("~/x.zip") == Path.home() / "x.zip"
    assert export_path(str(tmp_path / "abs.csv")) == tmp_path / "abs.csv"


def test_cli_zip_without_an_output_goes_to_the_export_folder(
    database_url: str,
    rendered: list[int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    documents, cwd = tmp_path / "Documents", tmp_path / "cwd"
    documents.mkdir()
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(documents))
    assert main(["--db", database_url, "export", "zip", "--order", "#1001"]) == 0
    (written,) = documents.glob("podtui-print-files-*.zip")
    assert f"wrote {written}" in capsys.readouterr().out
    assert not list(cwd.iterdir())
