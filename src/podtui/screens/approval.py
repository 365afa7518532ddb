"""Approval with a real look: the print file (or mockup, or the design) as large as the terminal
allows; `y` approves and shows the next item waiting for approval, `n`/esc leaves, `enter`
shows the image full screen.

Opened by `a` on one item, from the list (the next item is the next one the list shows waiting)
or from the details (the next one of the order). Reads and the approval run in workers; the
approval is the same use-case the list and the CLI run (one compare-and-set, one event).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from podtui import keymap
from podtui.domain.errors import DomainError
from podtui.domain.status import ItemStatus
from podtui.services import transaction
from podtui.services.items import actions
from podtui.services.items.approval import ApprovalLook, approval_look
from podtui.services.listing.query import Resolved, WindowRequest
from podtui.widgets.preview import ImagePreview

if TYPE_CHECKING:
    from PIL import Image

    from podtui.services.listing.reader import ListReader

WAITING = ItemStatus.WAITING_APPROVAL


class LookRead(Message):
    """An item's look was read, with its key in the order the next items come in."""

    def __init__(self, look: ApprovalLook, key: tuple[Any, ...] | None) -> None:
        super().__init__()
        self.look = look
        self.key = key


class ItemApproved(Message):
    """The item on show was approved; `next_id` is the next one waiting, if any."""

    def __init__(self, look: ApprovalLook, next_id: int | None) -> None:
        super().__init__()
        self.look = look
        self.next_id = next_id


class ApprovalFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


def hint(app: object) -> str:
    """The look's keys as they are bound now (the config's [keymap] may rebind them)."""
    approve, leave, full = (
        keymap.bound_key(app, f"approval.{name}") for name in ("approve", "leave", "full_screen")
    )
    return f"{approve} approve and show the next · {leave} or esc leave · {full} full screen"


class ApprovalModal(ModalScreen[int]):
    """One item's image and name; dismisses with how many items it approved."""

    # A confirm's keys, as every confirm's (ConfirmDialog): y and n, esc as n. From the
    # registry, so `?` lists them and [keymap] rebinds them; esc always leaves.
    BINDINGS: ClassVar[list[BindingType]] = [
        *keymap.bindings("approval"),
        ("escape", "leave", "Leave"),
    ]
    KEY_SCOPES = ("approval",)
    DEFAULT_CSS = """
    ApprovalModal { align: center middle; }
    ApprovalModal #approval-box {
        width: 100%; height: 100%; padding: 0 1; border: thick $accent; background: $surface;
    }
    ApprovalModal #approval-title { text-style: bold; height: 1; }
    ApprovalModal #approval-what { color: $text-muted; height: 1; }
    ApprovalModal #approval-preview { height: 1fr; }
    ApprovalModal #approval-note { height: auto; }
    ApprovalModal #approval-hint { height: 1; color: $text-muted; }
    """

    def __init__(self, reader: ListReader, item_id: int, following: Resolved) -> None:
        """`following`: the items the next one is taken from, in their order (waiting ones)."""
        super().__init__(classes="dialog")
        self.reader = reader
        self.item_id = item_id
        self.following = replace(following, statuses=(WAITING.value,), per_order=False)
        self.look: ApprovalLook | None = None
        self.key: tuple[Any, ...] | None = None
        self.approved = 0
        self.busy = True

    def compose(self) -> ComposeResult:
        with Vertical(id="approval-box"):
            yield Label("Approve …", id="approval-title")
            yield Static("", id="approval-what")
            yield ImagePreview(id="approval-preview")
            yield Static("", id="approval-note")
            yield Static(hint(self.app), id="approval-hint")

    def on_mount(self) -> None:
        self._read(self.item_id)

    def _db(self) -> Any:
        return self.app.database()  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="approval", exit_on_error=False)
    def _read(self, item_id: int) -> None:
        try:
            look = transaction.read(self._db(), lambda s: approval_look(s, item_id))
            narrowed = replace(self.following, item_ids=(item_id,), statuses=None)
            rows = self.reader.window(narrowed, WindowRequest("first", 1)).rows
        except Exception as exc:
            self.post_message(ApprovalFailed(f"Could not read item {item_id}: {exc}"))
            return
        self.post_message(LookRead(look, rows[0].key if rows else None))

    def on_look_read(self, message: LookRead) -> None:
        look = self.look = message.look
        self.key = message.key
        self.busy = False
        self.item_id = look.item_id
        state = "" if look.status is WAITING else f" ({look.status.label}: nothing to approve)"
        self.query_one("#approval-title", Label).update(f"Approve {look.name}?{state}")
        what = f"The {look.what}." if look.what else ""
        if self.approved:
            what += f"  {self.approved} approved so far."
        self.query_one("#approval-what", Static).update(what.strip())
        self.query_one("#approval-note", Static).update(look.note)
        self.query_one(ImagePreview).set_image(look.image)

    def action_approve(self) -> None:
        look = self.look
        if self.busy or look is None:
            return
        if look.status is not WAITING:
            self.notify(f"{look.name} is {look.status.label}: nothing to approve.")
            return
        self.busy = True
        self._approve(look, self.key)

    @work(thread=True, exclusive=True, group="approval", exit_on_error=False)
    def _approve(self, look: ApprovalLook, key: tuple[Any, ...] | None) -> None:
        try:
            transaction.write(
                self._db(), lambda s: actions.approve(s, look.item_id, expected=WAITING)
            )
        except DomainError as exc:
            self.post_message(ApprovalFailed(str(exc)))
            return
        except Exception as exc:
            self.post_message(ApprovalFailed(f"{type(exc).__name__}: {exc}"))
            return
        request = WindowRequest("after", 1, key=key) if key else WindowRequest("first", 1)
        try:
            rows = self.reader.window(self.following, request).rows
            if not rows:  # none after it: the first one still waiting, from the top
                rows = self.reader.window(self.following, WindowRequest("first", 1)).rows
        except Exception:
            rows = []
        next_id = rows[0].item_ids[0] if rows and rows[0].item_ids[0] != look.item_id else None
        self.post_message(ItemApproved(look, next_id))

    def on_item_approved(self, message: ItemApproved) -> None:
        self.approved += 1
        self.notify(f"Approved {message.look.name}: its print file is queued to render.")
        if message.next_id is None:
            self.notify("No more items wait for approval here.")
            self.dismiss(self.approved)
            return
        self._read(message.next_id)

    def on_approval_failed(self, message: ApprovalFailed) -> None:
        self.busy = False
        self.notify(message.error, severity="error", timeout=10)

    def action_leave(self) -> None:
        self.dismiss(self.approved)

    def action_full_screen(self) -> None:
        look = self.look
        if look is None or look.image is None:
            self.notify("Nothing to show full screen.")
            return
        self.app.push_screen(FullImageScreen(look.image, look.name))


class FullImageScreen(Screen[None]):
    """An image on the whole terminal; any of its keys goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape,enter", "close", "Back")]
    DEFAULT_CSS = """
    FullImageScreen #full-image { height: 1fr; }
    FullImageScreen #full-name { height: 1; color: $text-muted; }
    """

    def __init__(self, image: Image.Image, name: str) -> None:
        super().__init__()
        self.image = image
        self.image_name = name

    def compose(self) -> ComposeResult:
        yield ImagePreview(self.image, id="full-image")
        yield Static(f"{self.image_name} · esc back", id="full-name")

    def action_close(self) -> None:
        self.dismiss()
