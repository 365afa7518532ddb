"""The shop's own printers as a `VendorAdapter`: print files and a JSON job ticket in a hot folder.

RIP software watches a folder per printer or product type. For each vendor order podtui writes the
print files, then the ticket `<external id>.json` (order, items, quantities, products, shipping
address), each atomically: a hidden `.part` file is written, flushed to disk (fsync), then renamed
into place, and the folder is synced. The ticket comes last, so a RIP that picks it up finds every
file complete, and a crash at any point leaves no ticket (only a hidden `.part` that the next
attempt overwrites).

The RIP (or the operator) moves the ticket on: `processing/` (printing), `done/` (printed),
`error/` (with an optional `<external id>.error.txt` saying why); podtui reads that back as the
status. A ticket still in the folder can be canceled (moved to `canceled/`). The item is Sent when
its files are in place and Fulfilled when the operator marks it with carrier and tracking.

Vendor settings: `path` (the root folder; it must exist, e.g. the mounted RIP share), `folders`
(queue name -> folder, absolute or under `path`); a line's queue is its product mapping's `queue`,
`printer` or `product_type` (none: the root itself).

Every name written is made from the external id and bounded (domain/filenames.py): a long order
name cannot make a name the file system refuses. Every OSError (a share gone, a full disk, a
folder it may not read) becomes an `ApiError` with a plain reason, like any other vendor's error.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from podtui.adapters.http import ApiError
from podtui.adapters.vendors.base import VendorLine, VendorOrder, VendorOrderRequest, VendorStage
from podtui.domain.filenames import bounded

TICKET_VERSION = 1
# Subfolder the RIP moved the ticket to -> (stage, the word shown to the operator).
STATES: dict[str, tuple[VendorStage, str]] = {
    "": (VendorStage.ACCEPTED, "queued"),
    "processing": (VendorStage.IN_PRODUCTION, "processing"),
    "done": (VendorStage.IN_PRODUCTION, "printed"),
    "error": (VendorStage.ON_HOLD, "error"),
    "canceled": (VendorStage.CANCELED, "canceled"),
}
QUEUE_KEYS = ("queue", "printer", "product_type")
NAME_MAX = 255  # bytes in one file name (ext4, XFS, NTFS, SMB)
# Errors no retry mends: the operator has to change a setting or the data.
FINAL_ERRNOS = frozenset({errno.ENAMETOOLONG, errno.EINVAL, errno.EROFS, errno.ENOTDIR})
T = TypeVar("T")


def safe_name(text: str) -> str:
    """`text` as a bounded file name stem any RIP and file share accepts."""
    return bounded(_cleaned(text))


def _cleaned(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "job"


def _stems(external_id: str) -> list[str]:
    """The stems a ticket of `external_id` may have: bounded, and as written before names were
    bounded (a key of up to ~250 characters then worked: it must still be found, never resent)."""
    stems = [safe_name(external_id)]
    legacy = _cleaned(external_id)
    if legacy not in stems and len(f".{legacy}.json.part".encode()) <= NAME_MAX:
        stems.append(legacy)
    return stems


def write_atomically(path: Path, data: bytes) -> None:
    """Write `path` so no reader ever sees it partial: `.part` file, fsync, rename, dir fsync."""
    temp = path.with_name(f".{path.name}.part")
    with temp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    temp.replace(path)
    _fsync_dir(path.parent)


def copy_atomically(source: Path, path: Path) -> None:
    """Copy `source` to `path` the same way as `write_atomically`, without loading it whole."""
    temp = path.with_name(f".{path.name}.part")
    with source.open("rb") as src, temp.open("wb") as handle:
        shutil.copyfileobj(src, handle, 1024 * 1024)
        handle.flush()
        os.fsync(handle.fileno())
    temp.replace(path)
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; some file systems (SMB shares) refuse it, which is fine.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


class HotFolderAdapter:
    """The in-house printers of one Vendor row of kind `hotfolder`."""

    kind = "hotfolder"

    def __init__(self, vendor: Any, secret: str | None = None, *, transport: Any = None) -> None:
        settings: dict[str, Any] = dict(vendor.settings or {})
        self.name = vendor.name
        self.system = f"Hot folder ({vendor.name})"
        self.root = Path(str(settings.get("path") or "")).expanduser()
        self.folders = {str(k): str(v) for k, v in (settings.get("folders") or {}).items()}
        self.max_concurrency = int(settings.get("max_concurrency", 2))
        self._configured = bool(settings.get("path"))

    # -- VendorAdapter

    async def submit(self, request: VendorOrderRequest) -> VendorOrder:
        return await self._in_thread("write the job into", self.submit_sync, request)

    async def find(self, external_id: str) -> VendorOrder | None:
        return await self._in_thread("look for the job in", self.find_sync, external_id)

    async def status(self, vendor_order_id: str) -> VendorOrder:
        found = await self.find(vendor_order_id)
        if found is None:
            raise ApiError(
                self.system,
                f"no job ticket {safe_name(vendor_order_id)}.json in {self.root} or its "
                "subfolders (deleted by hand?)",
                http_status=404,
            )
        return found

    async def cancel(self, vendor_order_id: str) -> VendorOrder:
        return await self._in_thread("cancel the job in", self.cancel_sync, vendor_order_id)

    def parse_webhook(self, payload: dict[str, Any]) -> VendorOrder | None:
        return None  # a folder sends no webhooks

    async def aclose(self) -> None:
        return None

    async def _in_thread(self, doing: str, work: Callable[[Any], T], arg: Any) -> T:
        """Run the folder work on a thread; any OSError it raises is this vendor's ApiError."""
        try:
            return await asyncio.to_thread(work, arg)
        except OSError as exc:
            raise self.os_error(doing, exc) from exc

    def os_error(self, doing: str, exc: OSError) -> ApiError:
        """An OSError as the operator reads it: what podtui was doing, where, and why."""
        where = f" ({exc.filename})" if exc.filename else ""
        retryable = exc.errno not in FINAL_ERRNOS
        then = "then retry" if retryable else "then send it again"
        return ApiError(
            self.system,
            f"could not {doing} {self.root}: {exc.strerror or exc}{where}; check the share, "
            f"its permissions and free space, {then}",
            code=errno.errorcode.get(exc.errno or 0),
            raw=repr(exc),
            retryable=retryable,
        )

    # -- the work, on a worker thread

    def submit_sync(self, request: VendorOrderRequest) -> VendorOrder:
        existing = self.find_sync(request.external_id)
        if existing is not None:
            return existing  # sent before (perhaps by a process that then died): never twice
        self._check_root()
        by_queue: dict[str, list[VendorLine]] = {}
        for line in request.lines:
            by_queue.setdefault(self.queue_of(line), []).append(line)
        stem = safe_name(request.external_id)
        written: list[Path] = []
        try:
            # Every print file first, then the tickets: the window in which only some queues
            # hold a ticket is the few milliseconds of the last renames.
            tickets: list[tuple[Path, dict[str, Any]]] = []
            for queue, lines in by_queue.items():
                folder = self.folder(queue)
                folder.mkdir(exist_ok=True)
                entries = [self._place_file(folder, stem, line, written) for line in lines]
                tickets.append((folder / f"{stem}.json", self.ticket(request, queue, entries)))
            for path, ticket in tickets:
                data = json.dumps(ticket, indent=2, ensure_ascii=False).encode("utf-8")
                write_atomically(path, data)
                written.append(path)
        except OSError as exc:
            raise self.os_error("write the job into", exc) from exc
        found = self.find_sync(request.external_id)
        assert found is not None
        return found

    def _place_file(
        self, folder: Path, stem: str, line: VendorLine, written: list[Path]
    ) -> dict[str, Any]:
        if line.print_file is None or not line.print_file.is_file():
            raise ApiError(
                self.system,
                f"item {line.item_id}: its print file "
                f"{line.print_file or '(none)'} is missing; render it again",
            )
        suffix = line.print_file.suffix[:12] or ".png"
        placement = bounded(_cleaned(line.placement or "front"), 40)
        name = f"{stem}-{line.item_id}-{placement}{suffix}"
        copy_atomically(line.print_file, folder / name)
        written.append(folder / name)
        return {
            "item_id": line.item_id,
            "quantity": line.quantity,
            "sku": line.sku,
            "title": line.title,
            "variant": line.variant,
            "product": {k: v for k, v in line.vendor_product.items() if k != "variants"},
            "placement": line.placement,
            "file": name,
            "sha256": _sha256(folder / name),
        }

    def ticket(
        self, request: VendorOrderRequest, queue: str, lines: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """The job ticket the RIP reads: who gets what, printed from which file."""
        return {
            "ticket_version": TICKET_VERSION,
            "external_id": request.external_id,
            "order": request.label,
            "queue": queue,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "shipping_method": request.shipping_method,
            "ship_to": request.address.as_dict(),
            "items": lines,
        }

    def find_sync(self, external_id: str) -> VendorOrder | None:
        """Where the ticket of `external_id` is now, read as a stage; None when there is none."""
        if not self._configured or not self.root.is_dir():
            return None
        stems = _stems(external_id.removesuffix(".json"))  # the ticket's name works too
        for folder in self.queue_folders():
            for sub, (stage, word) in STATES.items():
                place = folder / sub if sub else folder
                for stem in stems:
                    ticket = place / f"{stem}.json"
                    if not ticket.is_file():
                        continue
                    reason = self._error_text(place, stem) if sub == "error" else ""
                    return VendorOrder(
                        vendor_order_id=external_id,
                        external_id=external_id,
                        stage=stage,
                        vendor_status=word,
                        reason=reason,
                        raw={"ticket": str(ticket)},
                    )
        return None

    def cancel_sync(self, vendor_order_id: str) -> VendorOrder:
        found = self.find_sync(vendor_order_id)
        if found is None:
            raise ApiError(self.system, f"no job ticket for {vendor_order_id}", http_status=404)
        if found.stage is VendorStage.CANCELED:
            return found
        if found.vendor_status != "queued":
            raise ApiError(
                self.system,
                f"job {vendor_order_id} is already {found.vendor_status} at the printer; "
                "stop it at the RIP",
                http_status=409,
            )
        ticket = Path(str(found.raw["ticket"]))
        canceled = ticket.parent / "canceled"
        canceled.mkdir(exist_ok=True)
        ticket.replace(canceled / ticket.name)  # the RIP stops seeing it at once
        _fsync_dir(ticket.parent)
        result = self.find_sync(vendor_order_id)
        assert result is not None
        return result

    # -- folders

    def queue_of(self, line: VendorLine) -> str:
        for key in QUEUE_KEYS:
            value = line.vendor_product.get(key)
            if value:
                return str(value)
        return ""

    def folder(self, queue: str) -> Path:
        """The hot folder of `queue`: configured, else `<path>/<queue>`, else `<path>`."""
        configured = self.folders.get(queue)
        if configured:
            path = Path(configured).expanduser()
            return path if path.is_absolute() else self.root / path
        return self.root / safe_name(queue) if queue else self.root

    def queue_folders(self) -> list[Path]:
        """Every folder a ticket may be in: the root, the configured ones, the root's queues."""
        seen: list[Path] = [self.root, *(self.folder(q) for q in self.folders)]
        with contextlib.suppress(OSError):
            for child in sorted(self.root.iterdir()):
                if child.is_dir() and child.name not in STATES and not child.name.startswith("."):
                    seen.append(child)
        unique: list[Path] = []
        for path in seen:
            if path not in unique:
                unique.append(path)
        return unique

    def _check_root(self) -> None:
        if not self._configured:
            raise ApiError(
                self.system, f"vendor {self.name!r} has no hot folder path (setting 'path')"
            )
        if not self.root.is_dir():
            raise ApiError(
                self.system,
                f"hot folder {self.root} does not exist (is the RIP share mounted?)",
                retryable=True,
            )

    def _error_text(self, folder: Path, stem: str) -> str:
        note = folder / f"{stem}.error.txt"
        with contextlib.suppress(OSError, UnicodeDecodeError):
            text = note.read_text(encoding="utf-8").strip()
            if text:
                return text[:2000]
        return "the RIP moved the job to error/"
