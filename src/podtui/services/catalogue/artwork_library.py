"""The artwork library: print images and templates copied into the data directory, and their use.

`add_artwork` is what `podtui artwork add` and the Catalogue screen call. Every path is checked
before anything is copied; one bad file refuses the whole call with every reason, and nothing is
kept. A folder adds its templates and the print images no template of it uses as an asset
(other files are skipped and named). The same content twice is one artwork: the second add
reports the first. `list_artwork` gives every artwork with how many mappings and items use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from podtui import config
from podtui.db import Database
from podtui.domain.errors import ValidationError
from podtui.domain.models import Artwork, OrderItem, ProductMapping
from podtui.services.catalogue.artwork_files import (
    ArtworkError,
    PreparedArtwork,
    install,
    prepare,
)

LIBRARY = "artwork"  # the library's folder, under the data directory
CANDIDATE_SUFFIXES = (".toml", ".png", ".jpg", ".jpeg")


def library_dir() -> Path:
    return config.data_dir() / LIBRARY


def data_path(stored: str | None) -> Path | None:
    """A path as Artwork stores it (relative to the data directory for library artwork)."""
    if not stored:
        return None
    path = Path(stored)
    return path if path.is_absolute() else config.data_dir() / path


@dataclass(frozen=True)
class ArtworkInfo:
    """One artwork as the CLI and the Catalogue screen show it."""

    id: int
    name: str
    kind: str
    fields: tuple[str, ...]
    mappings: int
    items: int
    source: str
    template: str
    preview: Path | None


@dataclass
class AddReport:
    """What `add_artwork` did: new artwork, artwork already there, files it passed over."""

    added: list[ArtworkInfo] = field(default_factory=list)
    existing: list[ArtworkInfo] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"Added #{a.id} {a.name!r} ({_what(a)})" for a in self.added]
        out += [f"Already in the library: #{a.id} {a.name!r} ({_what(a)})" for a in self.existing]
        out += [f"Skipped {s}" for s in self.skipped]
        return out


def _what(info: ArtworkInfo) -> str:
    if info.kind == "image":
        return "print image"
    return f"template; fields: {', '.join(info.fields) or 'none'}"


def _candidates(
    paths: Sequence[str | Path],
) -> tuple[list[Path], set[Path], list[str], dict[str, str]]:
    """(files to add, of them the ones found in folders, skipped notes, problems per path)."""
    files: list[Path] = []
    from_folders: set[Path] = set()
    skipped: list[str] = []
    problems: dict[str, str] = {}
    for given in paths:
        path = Path(given).expanduser()
        if not path.exists():
            problems[str(given)] = "does not exist"
        elif path.is_dir():
            found = []
            for child in sorted(path.iterdir()):
                if child.name.startswith(".") or not child.is_file():
                    continue
                if child.suffix.lower() in CANDIDATE_SUFFIXES:
                    found.append(child.resolve())
                else:
                    skipped.append(f"{child}: not a PNG, JPEG or template (.toml)")
            if not found:
                problems[str(given)] = "holds no PNG, JPEG or template (.toml)"
            files += found
            from_folders.update(found)
        else:
            files.append(path.resolve())
    return list(dict.fromkeys(files)), from_folders, skipped, problems


def prepare_all(paths: Sequence[str | Path]) -> tuple[list[PreparedArtwork], list[str]]:
    """Every artwork the paths name, checked; ValidationError with every bad path's reason."""
    files, from_folders, skipped, problems = _candidates(paths)
    prepared: list[PreparedArtwork] = []
    for path in files:
        try:
            prepared.append(prepare(path))
        except ArtworkError as exc:
            problems[str(path)] = str(exc)
        except OSError as exc:
            problems[str(path)] = f"cannot be read ({exc.strerror or exc})"
    if problems:
        raise ValidationError(
            f"No artwork was added ({len(problems)} of the files cannot be used).", problems
        )
    # An image a template of the same folder draws is its asset, not artwork of its own.
    used = {a.source.resolve() for p in prepared if p.kind == "template" for a in p.assets}
    kept, seen = [], set()
    for p in prepared:
        if p.kind == "image" and p.source in from_folders and p.source in used:
            continue
        if p.content_hash not in seen:
            seen.add(p.content_hash)
            kept.append(p)
    return kept, skipped


def _info(session: Session, artwork: Artwork) -> ArtworkInfo:
    assert artwork.id is not None
    mappings = session.exec(
        select(func.count()).where(col(ProductMapping.artwork_id) == artwork.id)
    ).one()
    items = session.exec(select(func.count()).where(col(OrderItem.artwork_id) == artwork.id)).one()
    return _row(artwork, int(mappings), int(items))


def _row(artwork: Artwork, mappings: int, items: int) -> ArtworkInfo:
    assert artwork.id is not None
    return ArtworkInfo(
        id=artwork.id,
        name=artwork.name,
        kind=artwork.kind,
        fields=tuple(artwork.fields or ()),
        mappings=mappings,
        items=items,
        source=artwork.source,
        template=artwork.template,
        preview=data_path(artwork.preview_path),
    )


def _record(db: Database, prepared: PreparedArtwork, folder: Path) -> tuple[ArtworkInfo, bool]:
    """The Artwork row of an installed artwork: (its info, whether it is new)."""
    relative = folder.relative_to(config.data_dir())
    preview = folder / "preview.png"
    for _ in range(2):  # a second operator adding the same file at once: read theirs
        try:
            with db.write() as session:
                row = session.exec(
                    select(Artwork).where(col(Artwork.content_hash) == prepared.content_hash)
                ).first()
                if row is not None:
                    return _info(session, row), False
                row = Artwork(
                    name=prepared.name,
                    template=str(relative / "template.toml"),
                    fields=list(prepared.fields),
                    preview_path=str(relative / "preview.png") if preview.is_file() else None,
                    kind=prepared.kind,
                    content_hash=prepared.content_hash,
                    source=str(prepared.source),
                )
                session.add(row)
                session.flush()
                return _info(session, row), True
        except IntegrityError:
            continue
    raise RuntimeError("the artwork row could not be written")  # pragma: no cover


def add_artwork(db: Database, paths: Sequence[str | Path]) -> AddReport:
    """Check every path, then copy each artwork into the library and record it."""
    if not paths:
        raise ValidationError("Name at least one file or folder to add.", {"paths": "none"})
    prepared, skipped = prepare_all(paths)
    report = AddReport(skipped=skipped)
    library = library_dir()
    for artwork in prepared:
        info, new = _record(db, artwork, install(artwork, library))
        (report.added if new else report.existing).append(info)
    return report


def list_artwork(db: Database) -> list[ArtworkInfo]:
    """Every artwork, newest last, with how many mappings and items use it."""
    with db.read() as session:
        mappings = dict(
            session.exec(
                select(ProductMapping.artwork_id, func.count())
                .where(col(ProductMapping.artwork_id).is_not(None))
                .group_by(col(ProductMapping.artwork_id))
            ).all()
        )
        items = dict(
            session.exec(
                select(OrderItem.artwork_id, func.count())
                .where(col(OrderItem.artwork_id).is_not(None))
                .group_by(col(OrderItem.artwork_id))
            ).all()
        )
        rows = session.exec(select(Artwork).order_by(col(Artwork.id))).all()
        return [_row(a, int(mappings.get(a.id, 0)), int(items.get(a.id, 0))) for a in rows]
