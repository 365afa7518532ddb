"""The shop's own printers as a `VendorAdapter`: print files and a JSON job ticket in a hot folder.

RIP software watches a folder per printer or product type. For each vendor order podtui writes the
print files, then the ticket `<external id>.json` (order, items, quantities, products, shipping
address) in each queue the order's lines go to, every file atomically (hotfolder_files.py). The
tickets come last, so a RIP that picks one up finds every file complete. An order over several
queues is committed by a manifest written before the first ticket: a process that dies between
two ticket renames leaves an order that `find` reports and `resume` (called by a retry and by
recovery) finishes, each ticket exactly once; a crash before the manifest leaves no ticket at all.

The RIP (or the operator) moves a ticket on: `processing/` (printing), `done/` (printed),
`error/` (with an optional `<external id>.error.txt` saying why); podtui reads that back as the
status, an order over several queues as its least advanced queue (an error in any of them
first). A ticket still queued can be canceled (moved to `canceled/`, in every queue). The item is
Sent when its files are in place and Fulfilled when the operator marks it with carrier and
tracking.

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
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from podtui.adapters.http import ApiError
from podtui.adapters.vendors.base import (
    Resumer,
    VendorLine,
    VendorOrder,
    VendorOrderRequest,
    VendorStage,
)
from podtui.adapters.vendors.hotfolder_files import (
    clean_name,
    copy_atomically,
    fsync_dir,
    manifest_path,
    read_manifest,
    remove_manifest,
    safe_name,
    sha256_of,
    stems_of,
    ticket_bytes,
    write_atomically,
    write_manifest,
)
from podtui.domain.filenames import bounded

__all__ = ["HotFolderAdapter", "copy_atomically", "safe_name", "write_atomically"]

TICKET_VERSION = 1
# Subfolder the RIP moved the ticket to -> (stage, the word shown to the operator).
STATES: dict[str, tuple[VendorStage, str]] = {
    "": (VendorStage.ACCEPTED, "queued"),
    "processing": (VendorStage.IN_PRODUCTION, "processing"),
    "done": (VendorStage.IN_PRODUCTION, "printed"),
    "error": (VendorStage.ON_HOLD, "error"),
    "canceled": (VendorStage.CANCELED, "canceled"),
}
# An order over several queues reads as the first of these any of its tickets is in.
PRECEDENCE = ("error", "", "processing", "done", "canceled")
QUEUE_KEYS = ("queue", "printer", "product_type")
# Errors no retry mends: the operator has to change a setting or the data.
FINAL_ERRNOS = frozenset({errno.ENAMETOOLONG, errno.EINVAL, errno.EROFS, errno.ENOTDIR})
T = TypeVar("T")


class HotFolderAdapter(Resumer):
    """The in-house printers of one Vendor row of kind `hotfolder`."""

    kind = "hotfolder"

    def __init__(
        self, vendor: Any, secret: str | None = None, *, transport: Any = None, limiter: Any = None
    ) -> None:
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

    async def resume(self, order: VendorOrder) -> VendorOrder:
        """Finish an order a dead process left half written (sending/delivery.py calls it)."""
        return await self._in_thread("finish the job in", self.finish_sync, order)

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
            # Sent before (perhaps by a process that then died): never twice, but finished.
            return self.finish_sync(existing)
        self._check_root()
        by_queue: dict[str, list[VendorLine]] = {}
        for line in request.lines:
            by_queue.setdefault(self.queue_of(line), []).append(line)
        stem = safe_name(request.external_id)
        try:
            # Every print file first, then the tickets.
            tickets: list[tuple[Path, dict[str, Any]]] = []
            for queue, lines in by_queue.items():
                folder = self.folder(queue)
                folder.mkdir(exist_ok=True)
                entries = [self._place_file(folder, stem, line) for line in lines]
                tickets.append((folder / f"{stem}.json", self.ticket(request, queue, entries)))
            manifest = None
            if len(tickets) > 1:  # several renames: commit the whole order first
                manifest = write_manifest(self.root, stem, request.external_id, tickets)
            for path, ticket in tickets:
                write_atomically(path, ticket_bytes(ticket))
            if manifest is not None:
                remove_manifest(manifest)
        except OSError as exc:
            raise self.os_error("write the job into", exc) from exc
        found = self.find_sync(request.external_id)
        assert found is not None
        return found

    def _place_file(self, folder: Path, stem: str, line: VendorLine) -> dict[str, Any]:
        if line.print_file is None or not line.print_file.is_file():
            raise ApiError(
                self.system,
                f"item {line.item_id}: its print file "
                f"{line.print_file or '(none)'} is missing; render it again",
            )
        suffix = line.print_file.suffix[:12] or ".png"
        placement = bounded(clean_name(line.placement or "front"), 40)
        name = f"{stem}-{line.item_id}-{placement}{suffix}"
        copy_atomically(line.print_file, folder / name)
        return {
            "item_id": line.item_id,
            "quantity": line.quantity,
            "sku": line.sku,
            "title": line.title,
            "variant": line.variant,
            "product": {k: v for k, v in line.vendor_product.items() if k != "variants"},
            "placement": line.placement,
            "file": name,
            "sha256": sha256_of(folder / name),
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
        """Where the tickets of `external_id` are now, read as a stage; None when there are none.

        An order whose manifest is still pending is found too (a dead process began writing it):
        it exists, and `finish_sync` completes it.
        """
        if not self._configured or not self.root.is_dir():
            return None
        stems = stems_of(external_id.removesuffix(".json"))  # the ticket's name works too
        pending = manifest_path(self.root, stems[0])
        placed = self._tickets(stems)
        states: list[tuple[str, Path, str, Path | None]] = list(placed)
        if pending.is_file():
            states.append(("", self.root, stems[0], None))  # the tickets still to write: queued
        if not states:
            return None
        sub, place, stem, ticket = min(states, key=lambda state: PRECEDENCE.index(state[0]))
        stage, word = STATES[sub]
        if ticket is None:
            ticket = placed[0][3] if placed else None
        return VendorOrder(
            vendor_order_id=external_id,
            external_id=external_id,
            stage=stage,
            vendor_status=word,
            reason=self._error_text(place, stem) if sub == "error" else "",
            raw={
                "ticket": str(ticket or ""),
                "tickets": [str(found[3]) for found in placed],
                "pending": str(pending) if pending.is_file() else "",
            },
        )

    def _tickets(self, stems: list[str]) -> list[tuple[str, Path, str, Path]]:
        """Every ticket of these stems in every queue: (state subfolder, folder, stem, path)."""
        out: list[tuple[str, Path, str, Path]] = []
        for folder in self.queue_folders():
            for sub in STATES:
                place = folder / sub if sub else folder
                for stem in stems:
                    ticket = place / f"{stem}.json"
                    if ticket.is_file():
                        out.append((sub, place, stem, ticket))
                        break
        return out

    def finish_sync(self, order: VendorOrder) -> VendorOrder:
        """Write the tickets a pending manifest lists and no queue holds yet; then drop it.

        One finisher at a time: the sending process's own retry, or recovery after it took the
        submission over (a compare-and-set); a ticket the RIP already moved on counts as written.
        """
        pending = str(order.raw.get("pending") or "")
        if not pending:
            return order
        manifest = Path(pending)
        try:
            tickets = read_manifest(manifest)
        except (ValueError, KeyError, TypeError) as exc:
            raise ApiError(
                self.system,
                f"the manifest {manifest} of a half-written job cannot be read ({exc}); "
                "check the queues by hand, then delete it",
                raw=repr(exc),
            ) from exc
        for path, ticket in tickets or []:
            if _written(path):
                continue
            gone = [e["file"] for e in ticket["items"] if not (path.parent / e["file"]).is_file()]
            if gone:
                raise ApiError(
                    self.system,
                    f"job {order.external_id} was half written and its print file(s) "
                    f"{', '.join(gone)} are gone from {path.parent}; render and send it again",
                )
            write_atomically(path, ticket_bytes(ticket))
        remove_manifest(manifest)
        found = self.find_sync(order.external_id)
        assert found is not None
        return found

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
        stems = stems_of(vendor_order_id.removesuffix(".json"))
        # Nothing may finish a half-written order once it is canceled: the manifest goes first.
        remove_manifest(manifest_path(self.root, stems[0]))
        for sub, place, _stem, ticket in self._tickets(stems):
            if sub:
                continue  # already canceled (or moved on by the RIP a moment ago)
            canceled = place / "canceled"
            canceled.mkdir(exist_ok=True)
            ticket.replace(canceled / ticket.name)  # the RIP stops seeing it at once
            fsync_dir(place)
        result = self.find_sync(vendor_order_id)
        if result is None:  # only a manifest was there: no RIP ever saw the job
            return VendorOrder(
                vendor_order_id, vendor_order_id, VendorStage.CANCELED, "canceled", raw={}
            )
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


def _written(ticket: Path) -> bool:
    """Whether the ticket is in its queue, or was there and the RIP has moved it on."""
    queue = ticket.parent
    return any(((queue / sub) if sub else queue).joinpath(ticket.name).is_file() for sub in STATES)
