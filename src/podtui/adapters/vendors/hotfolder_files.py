"""The hot folder's file work: bounded names, atomic writes, and the manifest of a pending order.

Every file appears by a rename of a complete, fsynced hidden `.part` file, so a RIP never reads
half a file. A vendor order over several queues needs several renames, and a process can die
between two of them; so before the first ticket is renamed into place, a manifest of every ticket
(where it goes and what it says) is written under `<root>/.podtui-pending/`. The manifest is the
order's commit point: without it no ticket exists yet (the order was never sent); with it the
order exists, and whoever finds it (a retry, recovery) writes the tickets still missing and
removes it. A single-queue order is one rename and needs none.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

from podtui.domain.filenames import bounded

NAME_MAX = 255  # bytes in one file name (ext4, XFS, NTFS, SMB)
PENDING = ".podtui-pending"  # under the root; hidden, so no RIP and no queue scan looks in


def clean_name(text: str) -> str:
    """`text` in the characters any RIP and file share accepts (unbounded)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "job"


def safe_name(text: str) -> str:
    """`text` as a bounded file name stem any RIP and file share accepts."""
    return bounded(clean_name(text))


def stems_of(external_id: str) -> list[str]:
    """The stems a ticket of `external_id` may have: bounded, and as written before names were
    bounded (a key of up to ~240 characters then worked: it must still be found, never resent)."""
    stems = [safe_name(external_id)]
    legacy = clean_name(external_id)
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
    fsync_dir(path.parent)


def copy_atomically(source: Path, path: Path) -> None:
    """Copy `source` to `path` the same way as `write_atomically`, without loading it whole."""
    temp = path.with_name(f".{path.name}.part")
    with source.open("rb") as src, temp.open("wb") as handle:
        shutil.copyfileobj(src, handle, 1024 * 1024)
        handle.flush()
        os.fsync(handle.fileno())
    temp.replace(path)
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable; some file systems (SMB shares) refuse, which is fine."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def ticket_bytes(ticket: dict[str, Any]) -> bytes:
    return json.dumps(ticket, indent=2, ensure_ascii=False).encode("utf-8")


# -- the manifest of an order being written


def manifest_path(root: Path, stem: str) -> Path:
    return root / PENDING / f"{stem}.json"


def write_manifest(
    root: Path, stem: str, external_id: str, tickets: list[tuple[Path, dict[str, Any]]]
) -> Path:
    """Commit the order: every ticket it will have, before the first one is renamed into place."""
    path = manifest_path(root, stem)
    path.parent.mkdir(exist_ok=True)
    body = {
        "external_id": external_id,
        "tickets": [{"path": str(where), "ticket": ticket} for where, ticket in tickets],
    }
    write_atomically(path, json.dumps(body, ensure_ascii=False).encode("utf-8"))
    return path


def read_manifest(path: Path) -> list[tuple[Path, dict[str, Any]]] | None:
    """The tickets a manifest lists; None when it is gone (finished or canceled meanwhile)."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return [(Path(entry["path"]), entry["ticket"]) for entry in body["tickets"]]


def remove_manifest(path: Path) -> None:
    """The order is whole (or canceled): nothing is left to finish."""
    path.unlink(missing_ok=True)
    fsync_dir(path.parent)
