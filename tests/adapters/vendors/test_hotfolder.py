"""The in-house hot folder: atomic files and tickets, idempotent on the external id, status read
back from the RIP's subfolders, and a crash between write and rename leaves no ticket."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from podtui.adapters.http import ApiError
from podtui.adapters.vendors.base import VendorLine, VendorOrderRequest, VendorStage
from podtui.adapters.vendors.hotfolder import HotFolderAdapter
from podtui.domain.models import Vendor
from tests.adapters.vendors.printful_support import ADDRESS

PNG = b"\x89PNG\r\n\x1a\n" + b"print data " * 5000


@pytest.fixture
def hot(tmp_path: Path) -> Path:
    root = tmp_path / "rip"
    root.mkdir()
    return root


def adapter(root: Path, **settings: Any) -> HotFolderAdapter:
    vendor = Vendor(name="In-house DTG", kind="hotfolder", settings={"path": str(root), **settings})
    return HotFolderAdapter(vendor, None)


def job(
    tmp_path: Path, external_id: str = "HF-1001-1", queues: tuple[str, ...] = ("dtg",)
) -> VendorOrderRequest:
    lines = []
    for n, queue in enumerate(queues, start=21):
        art = tmp_path / f"art-{n}.png"
        art.write_bytes(PNG)
        lines.append(
            VendorLine(
                item_id=n,
                quantity=2,
                sku=f"HOOD-NAVY-L-{n}",
                vendor_product={"queue": queue, "media": "Gildan 18500", "variants": {"1": "x"}},
                print_file=art,
                title="Family Reunion Hoodie",
                variant="L / Navy",
            )
        )
    return VendorOrderRequest(
        external_id=external_id, lines=tuple(lines), address=ADDRESS, label="#1001"
    )


def visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


async def test_submit_writes_the_print_file_then_the_ticket(tmp_path: Path, hot: Path) -> None:
    result = await adapter(hot).submit(job(tmp_path))
    assert (result.stage, result.vendor_status) == (VendorStage.ACCEPTED, "queued")
    assert visible(hot / "dtg") == ["HF-1001-1-21-front.png", "HF-1001-1.json"]
    assert [p.name for p in (hot / "dtg").iterdir() if p.name.endswith(".part")] == []
    assert (hot / "dtg" / "HF-1001-1-21-front.png").read_bytes() == PNG
    ticket = json.loads((hot / "dtg" / "HF-1001-1.json").read_text())
    assert ticket["external_id"] == "HF-1001-1" and ticket["order"] == "#1001"
    assert ticket["ship_to"]["name"] == "Ada Lovelace" and ticket["ship_to"]["country"] == "US"
    [item] = ticket["items"]
    assert (item["item_id"], item["quantity"], item["file"]) == (21, 2, "HF-1001-1-21-front.png")
    assert item["product"] == {"queue": "dtg", "media": "Gildan 18500"}
    assert len(item["sha256"]) == 64


async def test_resubmitting_finds_the_existing_ticket_and_writes_nothing(
    tmp_path: Path, hot: Path
) -> None:
    folder = adapter(hot)
    await folder.submit(job(tmp_path))
    ticket = hot / "dtg" / "HF-1001-1.json"
    ticket.write_text(ticket.read_text() + " ")  # a marker: rewriting it would drop this
    again = await folder.submit(job(tmp_path))
    assert again.external_id == "HF-1001-1"
    assert ticket.read_text().endswith(" ")
    assert visible(hot / "dtg") == ["HF-1001-1-21-front.png", "HF-1001-1.json"]


async def test_configured_folders_per_queue(tmp_path: Path, hot: Path) -> None:
    elsewhere = tmp_path / "epson"
    elsewhere.mkdir()
    folder = adapter(hot, folders={"dtg": str(elsewhere), "poster": "large-format"})
    await folder.submit(job(tmp_path, queues=("dtg", "poster")))
    assert visible(elsewhere) == ["HF-1001-1-21-front.png", "HF-1001-1.json"]
    assert visible(hot / "large-format") == ["HF-1001-1-22-front.png", "HF-1001-1.json"]


async def test_the_rip_subfolders_read_back_as_status(tmp_path: Path, hot: Path) -> None:
    folder = adapter(hot)
    await folder.submit(job(tmp_path))
    queue = hot / "dtg"
    for sub, stage, word in (
        ("processing", VendorStage.IN_PRODUCTION, "processing"),
        ("done", VendorStage.IN_PRODUCTION, "printed"),
        ("error", VendorStage.ON_HOLD, "error"),
    ):
        (queue / sub).mkdir(exist_ok=True)
        current = next(queue.rglob("HF-1001-1.json"))
        current.replace(queue / sub / "HF-1001-1.json")
        found = await folder.status("HF-1001-1")
        assert (found.stage, found.vendor_status) == (stage, word)
    assert found.reason == "the RIP moved the job to error/"
    (queue / "error" / "HF-1001-1.error.txt").write_text("Pretreatment missing on platen 2\n")
    assert (await folder.status("HF-1001-1")).reason == "Pretreatment missing on platen 2"


async def test_cancel_only_while_queued(tmp_path: Path, hot: Path) -> None:
    folder = adapter(hot)
    await folder.submit(job(tmp_path, "HF-1"))
    canceled = await folder.cancel("HF-1")
    assert canceled.stage is VendorStage.CANCELED
    assert not (hot / "dtg" / "HF-1.json").exists()
    await folder.submit(job(tmp_path, "HF-2"))
    (hot / "dtg" / "processing").mkdir()
    (hot / "dtg" / "HF-2.json").replace(hot / "dtg" / "processing" / "HF-2.json")
    with pytest.raises(ApiError, match="already processing") as refused:
        await folder.cancel("HF-2")
    assert refused.value.http_status == 409


async def test_a_missing_share_fails_clearly_and_creates_nothing(tmp_path: Path) -> None:
    gone = tmp_path / "mnt" / "rip"
    with pytest.raises(ApiError, match="is the RIP share mounted") as failed:
        await adapter(gone).submit(job(tmp_path))
    assert failed.value.retryable
    assert not gone.exists()
    assert await adapter(gone).find("HF-1001-1") is None


async def test_a_missing_print_file_writes_no_ticket(tmp_path: Path, hot: Path) -> None:
    request = job(tmp_path)
    assert request.lines[0].print_file is not None
    request.lines[0].print_file.unlink()
    with pytest.raises(ApiError, match="print file"):
        await adapter(hot).submit(request)
    assert not list(hot.rglob("*.json"))


async def test_no_partial_file_is_ever_visible(
    tmp_path: Path, hot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every visible name appears by a rename of a complete, fsynced hidden file; ticket last."""
    import os

    synced: set[str] = set()
    renames: list[str] = []
    real_fsync, real_replace = os.fsync, Path.replace

    def fsync(fd: int) -> None:
        synced.add(str(Path(f"/proc/self/fd/{fd}").readlink()))
        real_fsync(fd)

    def replace(self: Path, target: Any) -> Path:
        target = Path(target)
        assert self.name.startswith(".") and self.name.endswith(".part")
        assert str(self) in synced, "renamed before it was flushed to disk"
        assert not target.exists()
        if target.suffix == ".json":  # the ticket comes after every print file is complete
            assert all(Path(r).exists() for r in renames)
        renames.append(str(target))
        return real_replace(self, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(Path, "replace", replace)
    await adapter(hot).submit(job(tmp_path, queues=("dtg", "dtg")))
    assert [Path(r).suffix for r in renames] == [".png", ".png", ".json"]


async def test_a_crash_between_write_and_rename_leaves_no_ticket(
    tmp_path: Path, hot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = Path.replace

    def crash_on_ticket(self: Path, target: Any) -> Path:
        if Path(target).suffix == ".json":
            raise OSError(5, "Input/output error", str(target))  # the process dies here
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", crash_on_ticket)
    folder = adapter(hot)
    with pytest.raises(ApiError, match="could not write the job"):
        await folder.submit(job(tmp_path))
    assert not list(hot.rglob("*.json"))  # the RIP sees no job
    assert await folder.find("HF-1001-1") is None  # so recovery may send it
    monkeypatch.setattr(Path, "replace", real_replace)
    result = await folder.submit(job(tmp_path))
    assert result.stage is VendorStage.ACCEPTED
    assert visible(hot / "dtg") == ["HF-1001-1-21-front.png", "HF-1001-1.json"]
    assert json.loads((hot / "dtg" / "HF-1001-1.json").read_text())["external_id"] == "HF-1001-1"


def test_the_demo_hot_folder_lives_under_the_data_dir(tmp_path: Path) -> None:
    from podtui import config
    from podtui.db import open_database
    from podtui.demo.seed import seed_demo

    db = open_database(f"sqlite:///{tmp_path / 'demo.db'}")
    try:
        seed_demo(db, orders=3)
        with db.read() as s:
            from sqlmodel import select

            vendor = s.exec(select(Vendor).where(Vendor.kind == "hotfolder")).one()
    finally:
        db.dispose()
    path = Path(vendor.settings["path"])
    assert path == config.data_dir() / "demo-hotfolder" and path.is_dir()


# -- names made from data are bounded (issue 13, defect 1) ------------------------------------

NAME_MAX = 255  # bytes in one file name on ext4, XFS, NTFS and SMB shares
LONG = "Wedding" + "AndReceptionForTheWholeFamily" * 12  # an order name a store allows


def every_name(root: Path) -> list[str]:
    return [p.name for p in root.rglob("*")]


async def test_a_long_external_id_gives_bounded_unique_readable_names(
    tmp_path: Path, hot: Path
) -> None:
    folder = adapter(hot)
    first, second = f"{LONG}-21-aaaa", f"{LONG}-21-bbbb"  # the same start, other tails
    assert len(first) > NAME_MAX
    await folder.submit(job(tmp_path, first))
    await folder.submit(job(tmp_path, second))
    names = every_name(hot)
    assert names and all(len(n.encode()) <= 160 for n in names), max(names, key=len)
    tickets = sorted(n for n in visible(hot / "dtg") if n.endswith(".json"))
    assert len(tickets) == 2  # two orders, two tickets: the hash keeps them apart
    assert all(t.startswith("WeddingAndReception") for t in tickets)  # still readable
    for key in (first, second):
        found = await folder.find(key)
        assert found is not None and found.external_id == key
        ticket = json.loads(Path(found.raw["ticket"]).read_text())
        assert ticket["external_id"] == key  # the ticket keeps the whole key
        assert (hot / "dtg" / ticket["items"][0]["file"]).is_file()


async def test_a_ticket_written_before_names_were_bounded_is_still_found(
    tmp_path: Path, hot: Path
) -> None:
    """A key of 200 characters made a 205-byte ticket name, which worked: never send it again."""
    key = "X" * 200
    (hot / "dtg").mkdir()
    (hot / "dtg" / f"{key}.json").write_text(json.dumps({"external_id": key}))
    folder = adapter(hot)
    found = await folder.find(key)
    assert found is not None and found.vendor_status == "queued"
    again = await folder.submit(job(tmp_path, key))  # a retry finds it instead of writing
    assert again.raw["ticket"] == str(hot / "dtg" / f"{key}.json")
    assert len([n for n in visible(hot / "dtg") if n.endswith(".json")]) == 1


async def test_an_os_error_anywhere_in_the_folder_is_an_api_error_with_a_plain_reason(
    tmp_path: Path, hot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = adapter(hot)
    await folder.submit(job(tmp_path))

    def broken(self: Path) -> bool:
        raise OSError(5, "Input/output error", str(self))

    monkeypatch.setattr(Path, "is_file", broken)
    for call in (folder.find, folder.status, folder.cancel):
        with pytest.raises(ApiError) as failed:
            await call("HF-1001-1")
        reason = str(failed.value)
        assert reason.startswith("Hot folder (In-house DTG)")
        assert "Input/output error" in reason and "Traceback" not in reason
        assert failed.value.retryable  # the share may come back
    with pytest.raises(ApiError, match="Input/output error"):
        await folder.submit(job(tmp_path, "HF-2"))


# -- a vendor order over several queues is written whole or finished (issue 13, defect 11) ----


class ProcessDied(BaseException):
    """The process is killed here: nothing after this line of the adapter runs."""


def die_after_first_ticket(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    real_replace = Path.replace
    renamed: list[Path] = []

    def replace(self: Path, target: Any) -> Path:
        target = Path(target)
        result = real_replace(self, target)
        hidden = any(part.startswith(".") for part in target.relative_to(root).parts)
        if target.suffix == ".json" and not hidden:
            renamed.append(target)
            if len(renamed) == 1:
                raise ProcessDied  # one queue has its ticket, the other not yet
        return result

    monkeypatch.setattr(Path, "replace", replace)


def queue_tickets(root: Path, key: str) -> dict[str, int]:
    """How many tickets of `key` each queue holds, wherever the RIP moved them."""
    counts: dict[str, int] = {}
    for path in root.rglob("*.json"):
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        if json.loads(path.read_text()).get("external_id") == key:
            queue = path.relative_to(root).parts[0]
            counts[queue] = counts.get(queue, 0) + 1
    return counts


async def test_a_crash_between_ticket_renames_is_finished_exactly_once(
    tmp_path: Path, hot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    request = job(tmp_path, "HF-7", queues=("dtg", "poster"))
    die_after_first_ticket(monkeypatch, hot)
    with pytest.raises(ProcessDied):
        await adapter(hot).submit(request)
    monkeypatch.undo()
    assert queue_tickets(hot, "HF-7") == {"dtg": 1}  # half written: what the crash leaves
    after = adapter(hot)  # the next process
    found = await after.find("HF-7")
    assert found is not None  # it exists: never sent again from scratch
    again = await after.submit(request)  # a retry (or recovery) finishes it
    assert again.stage is VendorStage.ACCEPTED
    assert queue_tickets(hot, "HF-7") == {"dtg": 1, "poster": 1}
    await after.submit(request)  # and once finished, nothing more is written
    assert queue_tickets(hot, "HF-7") == {"dtg": 1, "poster": 1}
    assert visible(hot / "poster") == ["HF-7-22-front.png", "HF-7.json"]
    leftovers = [p for p in hot.rglob("*") if p.is_file() and p.name.startswith(".")]
    assert leftovers == []


async def test_a_crash_before_any_ticket_leaves_nothing_to_find(
    tmp_path: Path, hot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = Path.replace

    def replace(self: Path, target: Any) -> Path:
        if Path(target).suffix == ".json":
            raise ProcessDied
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    with pytest.raises(ProcessDied):
        await adapter(hot).submit(job(tmp_path, "HF-8", queues=("dtg", "poster")))
    monkeypatch.undo()
    assert await adapter(hot).find("HF-8") is None  # the vendor never got it: recovery sends


async def test_cancel_takes_the_ticket_out_of_every_queue(tmp_path: Path, hot: Path) -> None:
    folder = adapter(hot)
    await folder.submit(job(tmp_path, "HF-9", queues=("dtg", "poster")))
    canceled = await folder.cancel("HF-9")
    assert canceled.stage is VendorStage.CANCELED
    assert not list(hot.glob("*/HF-9.json"))  # no RIP sees it any more
    assert sorted(p.parent.parent.name for p in hot.glob("*/canceled/HF-9.json")) == [
        "dtg",
        "poster",
    ]


async def test_an_order_over_two_queues_reads_as_its_least_advanced_queue(
    tmp_path: Path, hot: Path
) -> None:
    folder = adapter(hot)
    await folder.submit(job(tmp_path, "HF-10", queues=("dtg", "poster")))
    (hot / "dtg" / "done").mkdir()
    (hot / "dtg" / "HF-10.json").replace(hot / "dtg" / "done" / "HF-10.json")
    assert (await folder.status("HF-10")).vendor_status == "queued"  # the poster is not printed
    (hot / "poster" / "error").mkdir()
    (hot / "poster" / "HF-10.json").replace(hot / "poster" / "error" / "HF-10.json")
    found = await folder.status("HF-10")
    assert (found.stage, found.vendor_status) == (VendorStage.ON_HOLD, "error")
    with pytest.raises(ApiError, match="already"):
        await folder.cancel("HF-10")


async def test_canceling_a_half_written_order_never_finishes_it(
    tmp_path: Path, hot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    request = job(tmp_path, "HF-11", queues=("dtg", "poster"))
    die_after_first_ticket(monkeypatch, hot)
    with pytest.raises(ProcessDied):
        await adapter(hot).submit(request)
    monkeypatch.undo()
    folder = adapter(hot)
    assert (await folder.cancel("HF-11")).stage is VendorStage.CANCELED
    assert not (hot / "poster" / "HF-11.json").exists()
    found = await folder.find("HF-11")
    assert found is not None and found.stage is VendorStage.CANCELED
    assert (await folder.resume(found)).stage is VendorStage.CANCELED  # nothing left to finish
    assert queue_tickets(hot, "HF-11") == {"dtg": 1}  # the one ticket, in dtg/canceled/
    assert (hot / "dtg" / "canceled" / "HF-11.json").is_file()
