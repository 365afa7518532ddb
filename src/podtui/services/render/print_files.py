"""Where print files live and how an operator or a vendor reaches them.

Layout: `<print files dir>/<store>/<order name>/<item id>-<slug>.png`, plus `.preview.png` and
`.mockup.png` beside it, with names an operator can read in a file manager or a hot folder.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlmodel import Session, col, select

from podtui import config
from podtui.domain.errors import NotFoundError
from podtui.domain.filenames import bounded
from podtui.domain.models import Order, OrderItem, PrintFile, Store


def slug(text: str, max_len: int = 60) -> str:
    """Lower-case ASCII words joined by dashes ("Café Mug / Black" -> "cafe-mug-black").

    A longer one keeps its start and ends in a hash of the whole (domain/filenames.py), so two
    long order names that share their start get two folders.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()
    return bounded(words, max_len) or "item"


@dataclass(frozen=True)
class PrintPaths:
    """The three files one render writes."""

    print_file: Path
    preview: Path
    mockup: Path


def item_paths(store: Store, order: Order, item: OrderItem, root: Path | None = None) -> PrintPaths:
    root = root or config.print_files_dir()
    folder = root / slug(store.name) / (slug(order.name.lstrip("#")) or f"order-{order.id}")
    stem = f"{item.id}-{slug(' '.join(p for p in (item.title, item.variant_title) if p))}"
    return PrintPaths(
        folder / f"{stem}.png", folder / f"{stem}.preview.png", folder / f"{stem}.mockup.png"
    )


def current_print_file(session: Session, item_id: int) -> PrintFile | None:
    """The print file that would be sent for this item now, if it has one."""
    return session.exec(
        select(PrintFile)
        .where(col(PrintFile.item_id) == item_id, col(PrintFile.current).is_(True))
        .order_by(col(PrintFile.id).desc())
    ).first()


def print_file_link(session: Session, item_id: int, base_url: str = "") -> str:
    """A link to the item's print file: under `base_url` when set, else a file:// URI."""
    found = current_print_file(session, item_id)
    if found is None:
        raise NotFoundError(f"Item {item_id} has no print file yet; approve it to render one.")
    return link_for_path(found.path, base_url)


def link_for_path(file_path: str, base_url: str = "") -> str:
    """The link of a print file at `file_path`: under `base_url` when set, else file://."""
    path = Path(file_path)
    if base_url:
        try:
            relative = path.relative_to(config.print_files_dir())
        except ValueError:
            relative = Path(path.name)
        return base_url.rstrip("/") + "/" + quote(relative.as_posix())
    return path.resolve().as_uri()
