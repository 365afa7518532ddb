"""Vendors without an API: the shop's own printers through a hot folder, and manual vendors.

`add_hotfolder_vendor` is what `podtui connect hotfolder` and the Connections screen call. The
folder must exist and be writable (a file is really written and removed: on a network share the
permission bits say little), and it may not lie inside another hot-folder vendor's folder or hold
one (a RIP watching the outer folder would print the inner vendor's jobs). Each queue is
`NAME` (a subfolder of the path) or `NAME=FOLDER`; the names the adapter reads states from
(`done`, `error`, `processing`, `canceled`) are refused. Every problem is found before anything
is written, and reported together; nothing is changed when there is one.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import select

from podtui.db import Database
from podtui.domain.errors import ValidationError
from podtui.domain.models import Vendor

# Subfolders the hot-folder adapter reads a ticket's state from (adapters/vendors/hotfolder.py).
RESERVED_QUEUES = ("done", "error", "processing", "canceled")
_QUEUE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$")


@dataclass(frozen=True)
class LocalVendorResult:
    """What adding a vendor without an API did."""

    name: str
    kind: str
    created: bool
    detail: str

    def summary(self) -> str:
        verb = "Added" if self.created else "Updated"
        label = "hot-folder" if self.kind == "hotfolder" else "manual"
        return f"{verb} {label} vendor {self.name!r}: {self.detail}."


def _existing(db: Database, name: str, kind: str) -> Vendor | None:
    with db.read() as session:
        row = session.exec(select(Vendor).where(Vendor.name == name)).first()
    if row is not None and row.kind != kind:
        raise ValidationError(
            f"Vendor {name!r} exists already as a {row.kind} vendor; choose another name. "
            "Nothing was changed.",
            {"name": f"taken by a {row.kind} vendor"},
        )
    return row


def _check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError("The vendor needs a name. Nothing was changed.", {"name": "empty"})
    return name


def _writable(folder: Path) -> str:
    """Why `folder` cannot take a job ticket, or "" when a file could be written there."""
    if not folder.exists():
        return f"{folder} does not exist (create it, or mount the RIP share, first)"
    if not folder.is_dir():
        return f"{folder} is a file, not a folder"
    probe = folder / f".podtui-probe-{uuid.uuid4().hex[:8]}"
    try:
        with probe.open("xb"):
            pass
        probe.unlink()
    except OSError as exc:
        return f"{folder} is not writable ({exc.strerror or exc})"
    return ""


def _inside(a: Path, b: Path) -> bool:
    return a == b or a.is_relative_to(b)


def _others(db: Database, name: str) -> list[tuple[str, Path]]:
    """Every folder of the other hot-folder vendors: (vendor name, folder)."""
    with db.read() as session:
        rows = session.exec(select(Vendor).where(Vendor.kind == "hotfolder")).all()
    found = []
    for row in rows:
        if row.name == name:
            continue
        settings = row.settings or {}
        if not settings.get("path"):
            continue
        root = Path(str(settings["path"])).expanduser().resolve()
        found.append((row.name, root))
        for folder in (settings.get("folders") or {}).values():
            path = Path(str(folder)).expanduser()
            found.append((row.name, (path if path.is_absolute() else root / path).resolve()))
    return found


def parse_queues(queues: Sequence[str]) -> tuple[dict[str, str], dict[str, str]]:
    """(queue name -> folder as stored, problems): `NAME` or `NAME=FOLDER` per queue."""
    folders: dict[str, str] = {}
    problems: dict[str, str] = {}
    for text in queues:
        name, sep, folder = text.partition("=")
        name, folder = name.strip(), folder.strip()
        key = f"queue {name or text!r}"
        if name.casefold() in RESERVED_QUEUES:
            problems[key] = (
                f"{name!r} is the folder a RIP moves tickets to ({', '.join(RESERVED_QUEUES)} "
                "are taken); choose another name"
            )
        elif not _QUEUE_NAME.match(name):
            problems[key] = "a queue name is letters, digits, space, '.', '_' or '-'"
        elif name in folders:
            problems[key] = "named twice"
        elif sep and not folder:
            problems[key] = "NAME=FOLDER needs a folder after '='"
        else:
            folders[name] = folder or name
    return folders, problems


def check_hotfolder(
    db: Database, name: str, path: str, queues: Sequence[str]
) -> tuple[Path, dict[str, str]]:
    """(the resolved root, queue folders) of a hot folder; ValidationError lists every problem."""
    name = _check_name(name)
    problems: dict[str, str] = {}
    if not path.strip():
        raise ValidationError("A hot folder needs --path. Nothing was changed.", {"path": "empty"})
    root = Path(path.strip()).expanduser().resolve()
    why = _writable(root)
    if why:
        problems["path"] = why
    folders, queue_problems = parse_queues(queues)
    problems.update(queue_problems)
    places = [("path", root)]
    for queue, folder in folders.items():
        place = Path(folder).expanduser()
        place = (place if place.is_absolute() else root / place).resolve()
        places.append((f"queue {queue!r}", place))
        if place.is_relative_to(root) and place != root and not problems.get("path"):
            continue  # created below, under a root that was just written to
        why = _writable(place)
        if why:
            problems[f"queue {queue!r}"] = why
    for other, theirs in _others(db, name):
        for key, place in places:
            if _inside(place, theirs):
                why = f"{place} lies inside {theirs}, a folder of vendor {other!r}"
            elif _inside(theirs, place):
                why = f"{place} holds {theirs}, a folder of vendor {other!r}"
            else:
                continue
            problems[key] = f"{problems[key]}; {why}" if key in problems else why
    if problems:
        raise ValidationError(f"Hot folder {name!r} was not added; nothing was changed.", problems)
    return root, folders


def add_hotfolder_vendor(
    db: Database, *, name: str, path: str, queues: Sequence[str] = ()
) -> LocalVendorResult:
    """Create or update a hot-folder vendor after checking its folders; creates queue folders."""
    name = _check_name(name)
    existing = _existing(db, name, "hotfolder")
    root, folders = check_hotfolder(db, name, path, queues)
    for folder in folders.values():
        place = Path(folder).expanduser()
        if not place.is_absolute():
            (root / place).mkdir(exist_ok=True)
    settings: dict[str, Any] = {"path": str(root)}
    if folders:
        settings["folders"] = folders
    with db.write() as session:
        row = session.get(Vendor, existing.id) if existing is not None else None
        row = row or Vendor(name=name, kind="hotfolder")
        row.settings = {**(row.settings or {}), **settings}
        if not folders:
            row.settings.pop("folders", None)
        session.add(row)
    queue_text = ", ".join(folders) if folders else "none (tickets go in the folder itself)"
    return LocalVendorResult(name, "hotfolder", existing is None, f"{root}; queues: {queue_text}")


def add_manual_vendor(db: Database, *, name: str) -> LocalVendorResult:
    """Create a manual vendor (podtui never sends to it; the operator marks items fulfilled)."""
    name = _check_name(name)
    existing = _existing(db, name, "manual")
    if existing is None:
        with db.write() as session:
            session.add(Vendor(name=name, kind="manual"))
    detail = "items mapped to it are marked fulfilled by hand (F), never sent"
    return LocalVendorResult(name, "manual", existing is None, detail)
