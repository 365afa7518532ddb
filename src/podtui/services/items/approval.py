"""What the operator looks at before approving an item: its print file, its mockup, or the
design its template would print now, as one image, with the words that name the item.

Read off the UI thread (a print file is thousands of pixels a side): the image comes back
shrunk to `side` pixels, which is more than any terminal shows in half blocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from sqlmodel import Session, col, select

from podtui.domain.errors import DomainError
from podtui.domain.models import Order, PrintFile
from podtui.domain.status import ItemStatus
from podtui.services.items.design_form import design_form, render_preview
from podtui.services.items.transitions import load_item

LOOK_SIDE = 800  # pixels: a 300-column terminal shows 300 x 160 in half blocks


@dataclass
class ApprovalLook:
    """One item as the approval shows it; `image` is None when there is nothing to show."""

    item_id: int
    status: ItemStatus
    name: str  # "#1205 Star Map Poster · 18x24"
    what: str  # "print file", "mockup", "design (not rendered yet)" or ""
    image: Image.Image | None
    note: str = ""  # why there is no image, or what the image is not


def _open(path: str | None) -> Image.Image | None:
    if not path or not Path(path).is_file():
        return None
    try:
        with Image.open(path) as image:
            image.draft("RGB", (LOOK_SIDE, LOOK_SIDE))  # JPEG: decode at a fraction of the size
            small = image.copy()
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    small.thumbnail((LOOK_SIDE, LOOK_SIDE))
    return small


def approval_look(session: Session, item_id: int) -> ApprovalLook:
    """The item's print file (else its mockup, else its design rendered now) and its name."""
    item = load_item(session, item_id)
    order = session.get(Order, item.order_id)
    name = f"{order.name if order else ''} {item.title}".strip()
    if item.variant_title:
        name += f" · {item.variant_title}"
    current = session.exec(
        select(PrintFile)
        .where(PrintFile.item_id == item_id, col(PrintFile.current).is_(True))
        .order_by(col(PrintFile.id).desc())
    ).first()
    if current is not None:
        for what, path in (
            ("print file", current.preview_path or current.path),
            ("print file", current.path),
            ("mockup", current.mockup_path),
        ):
            image = _open(path)
            if image is not None:
                return ApprovalLook(item_id, item.status, name, what, image)
    form = design_form(session, item_id)
    if form.template is None:
        return ApprovalLook(
            item_id, item.status, name, "", None, f"Nothing to show: {form.problem}."
        )
    try:
        image = render_preview(form, form.values)
    except DomainError as exc:
        return ApprovalLook(item_id, item.status, name, "", None, f"Nothing to show: {exc}")
    return ApprovalLook(
        item_id,
        item.status,
        name,
        "design (not rendered yet)",
        image,
        "The print file renders once approved.",
    )
