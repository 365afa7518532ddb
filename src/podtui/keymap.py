"""The one registry of key bindings: every action has an id, default keys and a description.

Screens take their `BINDINGS` from here; the footer, the `?` help screen and the command palette
all read the same entries; the config file's `[keymap]` section rebinds any id
(`"orders.send" = "ctrl+e"`). Defaults avoid ctrl+a/b/s/j, which tmux and terminals take.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class KeyAction:
    """One bindable action: `id` is what the config names, `action` what Textual runs."""

    id: str
    keys: str
    action: str
    description: str
    scope: str  # "app", "orders", "table", ...
    group: str = "General"
    show: bool = False  # shown in the footer
    key_display: str | None = None
    priority: bool = False
    palette: bool = True  # offered in the command palette
    short: str = ""  # the footer's label, when the description is too long for it


A = KeyAction

REGISTRY: tuple[KeyAction, ...] = (
    # app
    # Priority: Textual hands a dialog (a modal) none of the app's other keys; ? works in every
    # one. The app declines it where a field takes the character (PodTUI.check_action).
    A("app.help", "question_mark", "help", "Help: every key", "app", show=True, key_display="?",
      short="Help", priority=True),
    A("app.quit", "q", "quit", "Quit", "app", show=True),
    A("app.palette", "ctrl+p", "command_palette", "Command palette", "app", palette=False,
      priority=True),
    A("app.render_queue", "J", "render_queue", "Render queue: print-file jobs and progress",
      "app", "Screens", short="Renders"),
    A("app.connections", "C", "connections", "Connections: stores, vendors and their secrets",
      "app", "Screens", short="Connections"),
    A("app.catalogue", "M", "catalogue", "Catalogue: artwork, unmapped products, mappings",
      "app", "Screens", short="Catalogue"),
    A("app.messages", "I", "messages", "Messages: what podtui said (the toasts), newest first",
      "app", "Screens", short="Messages"),
    # the catalogue screen
    A("catalogue.back", "escape", "back", "Clear the search, then the marks, then go back",
      "catalogue", show=True, short="Back"),
    A("catalogue.map", "enter", "map_products",
      "Map the marked products (or the one here); on the Rules tab, edit the rule", "catalogue",
      show=True, short="Map"),
    A("catalogue.mark", "space", "toggle_mark", "Mark / unmark the product", "catalogue",
      show=True, short="Mark"),
    A("catalogue.add", "a", "add_artwork", "Add artwork: print images, templates, folders",
      "catalogue", show=True, short="Add art"),
    A("catalogue.search", "slash", "search", "Search the unmapped products", "catalogue",
      show=True, key_display="/", short="Search"),
    A("catalogue.next_tab", "right_square_bracket", "next_tab", "Next tab", "catalogue",
      key_display="]"),
    A("catalogue.prev_tab", "left_square_bracket", "prev_tab", "Previous tab", "catalogue",
      key_display="["),
    A("catalogue.refresh", "r", "refresh_catalogue", "Read everything again", "catalogue",
      short="Refresh"),
    A("catalogue.new_rule", "n", "new_rule", "New routing rule (Rules tab)", "catalogue",
      show=True, short="New rule"),
    A("catalogue.rule_up", "u", "rule_up", "Try the rule earlier (Rules tab)", "catalogue",
      show=True, short="Up"),
    A("catalogue.rule_down", "d", "rule_down", "Try the rule later (Rules tab)", "catalogue",
      show=True, short="Down"),
    A("catalogue.remove_rule", "x", "remove_rule", "Remove the rule (Rules tab)", "catalogue",
      show=True, short="Remove"),
    A("catalogue.apply_rules", "s", "apply_rules",
      "Save the order: route the waiting items by the rules (Rules tab)", "catalogue",
      show=True, short="Apply"),
    # the connections screen
    A("connections.back", "escape", "back", "Back", "connections", show=True),
    A("connections.add", "a", "add_connection",
      "Add a store or vendor (Shopify, WooCommerce, Printify, Printful, hot folder, manual)",
      "connections", show=True, short="Add"),
    A("connections.test", "t", "test_connection", "Test the connection against its API",
      "connections", show=True, short="Test"),
    A("connections.secret", "s", "replace_secret", "Add or replace the secret", "connections",
      show=True, short="Secret"),
    A("connections.refresh", "r", "refresh_connections", "Read the states again",
      "connections", short="Refresh"),
    A("connections.notify", "n", "toggle_notify",
      "Notify the customer by default (refunds, cancels, notes) at this store: on / off",
      "connections", show=True, short="Notify"),
    # the render-queue screen
    A("render_queue.back", "escape", "back", "Back", "render_queue", show=True),
    A("render_queue.refresh", "r", "refresh_queue", "Read the queue again", "render_queue",
      show=True, short="Refresh"),
    A("render_queue.retry", "R", "retry_job", "Retry the failed render (render it again)",
      "render_queue", show=True, short="Retry"),
    A("render_queue.open", "enter", "open_job_order", "Open the job's order", "render_queue",
      show=True, short="Open", priority=True),  # before the job table's own enter
    A("app.sync", "y", "sync_status", "Sync: each store's last and next sync, sync problems",
      "app", "Screens", short="Sync"),
    # the sync screen
    A("sync.back", "escape", "back", "Back", "sync", show=True),
    A("sync.now", "n", "sync_now", "Sync every store now", "sync", show=True, short="Sync now"),
    A("sync.refresh", "r", "refresh_sync", "Read the sync state again", "sync", show=True,
      short="Refresh"),
    A("sync.import", "i", "import_orders",
      "Import orders: every order, a date range or order ids, from one store or all", "sync",
      show=True, short="Import"),
    A("sync.copy", "c", "copy_problem", "Copy the problem and its payload", "sync", show=True,
      short="Copy"),
    A("sync.dismiss", "d", "dismiss_problem", "Dismiss the problem (dealt with)", "sync",
      show=True, short="Dismiss"),
    # moving in the list
    A("table.down", "down,j", "cursor_down", "Down", "table", "Move", palette=False),
    A("table.up", "up,k", "cursor_up", "Up", "table", "Move", palette=False),
    A("table.page_down", "pagedown", "page_down", "Page down", "table", "Move", palette=False),
    A("table.page_up", "pageup", "page_up", "Page up", "table", "Move", palette=False),
    A("table.top", "home,g", "top", "First row", "table", "Move"),
    A("table.bottom", "end,G", "bottom", "Last row", "table", "Move"),
    # marks
    A("table.mark", "space", "toggle_mark", "Mark / unmark", "table", "Marks", show=True,
      short="Mark"),
    A("table.mark_down", "shift+down", "mark_range(1)", "Mark a range downwards", "table",
      "Marks"),
    A("table.mark_up", "shift+up", "mark_range(-1)", "Mark a range upwards", "table", "Marks"),
    A("table.mark_all", "asterisk", "mark_all", "Mark everything the filter matches", "table",
      "Marks", show=True, key_display="*", short="Mark all"),
    # the list
    A("orders.back", "escape", "back", "Clear the filter, then the marks, then go back",
      "orders", "List", palette=False),
    A("orders.filter", "slash", "filter_line", "Filter line", "orders", "List", show=True,
      key_display="/", short="Filter"),
    A("orders.filter_panel", "f", "filter_panel", "Filter panel", "orders", "List", show=True,
      short="Panel"),
    A("orders.views", "v", "views", "Saved views", "orders", "List"),
    A("orders.save_view", "V", "save_view", "Save the filter as a view", "orders", "List"),
    A("orders.next_tab", "right_square_bracket", "next_tab", "Next status tab", "orders",
      "List", key_display="]"),
    A("orders.prev_tab", "left_square_bracket", "prev_tab", "Previous status tab", "orders",
      "List", key_display="["),
    A("orders.queues", "Q", "vendor_queues", "Vendor queues: jump to a vendor's Ready items",
      "orders", "List", short="Queues"),
    A("orders.per_order", "o", "per_order", "One row per order / per item", "orders", "List"),
    A("orders.sort", "s", "next_sort", "Sort by the next column", "orders", "List"),
    A("orders.sort_direction", "d", "sort_direction", "Reverse the sort", "orders", "List"),
    A("orders.open", "enter", "open_order", "Open the order", "orders", "List", show=True,
      short="Open"),
    A("orders.reason", "w", "show_reason", "Why it failed or is held (copyable)", "orders",
      "List"),
    # bulk actions: on the marks, or the row under the cursor when nothing is marked
    A("orders.send", "S", "bulk('send')", "Send to vendor", "orders", "Actions", show=True,
      short="Send"),
    A("orders.approve", "a", "bulk('approve')", "Approve design", "orders", "Actions",
      show=True, short="Approve"),
    A("orders.regenerate", "R", "bulk('regenerate')", "Render / regenerate", "orders",
      "Actions"),
    A("orders.fulfilled", "F", "bulk('mark_fulfilled')", "Mark fulfilled", "orders", "Actions"),
    A("orders.hold", "h", "bulk('hold')", "Hold", "orders", "Actions"),
    A("orders.release", "H", "bulk('release')", "Release from hold", "orders", "Actions"),
    A("orders.ignore", "i", "bulk('ignore')", "Ignore", "orders", "Actions"),
    A("orders.restore", "u", "bulk('restore')", "Restore", "orders", "Actions"),
    A("orders.archive", "e", "bulk('archive')", "Archive the orders", "orders", "Actions"),
    A("orders.unarchive", "E", "bulk('unarchive')", "Unarchive the orders", "orders", "Actions"),
    A("orders.export", "x", "bulk('export')", "Export CSV (the marks, else the filter)",
      "orders", "Actions"),
    A("orders.zip", "Z", "bulk('zip')",
      "Export the print files as a ZIP (the marks, else the filter)", "orders", "Actions"),
    A("orders.stop", "ctrl+x", "stop_bulk", "Stop the running bulk action", "orders", "Actions"),
    # the store side of the marked orders (or the order under the cursor): the order page's keys
    A("orders.mark_paid", "P", "store_bulk('mark_paid')",
      "Mark the orders paid at their stores (a manual payment)", "orders", "Store"),
    A("orders.store_status", "O", "store_bulk('status')",
      "Store status of the orders: processing, on hold, completed; close, reopen", "orders",
      "Store"),
    A("orders.store_note", "m", "store_bulk('note')", "Post a note to the orders' stores",
      "orders", "Store"),
    # order details: actions on the item under the cursor, enabled where its status allows
    A("detail.back", "escape", "back", "Back to the list", "detail", "Order", palette=False),
    A("detail.split", "t", "item('split')", "Split the item", "detail", "Item", show=True,
      short="Split"),
    A("detail.artwork", "l", "item('add_artwork')", "Add / link artwork", "detail", "Item",
      show=True, short="Art"),
    A("detail.design", "d", "item('edit_design')", "Edit the design", "detail", "Item",
      show=True, short="Design"),
    A("detail.approve", "a", "item('approve')", "Approve the design", "detail", "Item",
      show=True, short="Approve"),
    A("detail.shipping", "s", "item('edit_shipping')", "Edit the shipping address", "detail",
      "Item", show=True, short="Ship"),
    A("detail.send", "S", "item('send')", "Send to the vendor", "detail", "Item", show=True,
      short="Send"),
    A("detail.fulfilled", "F", "item('mark_fulfilled')", "Mark fulfilled (carrier, tracking)",
      "detail", "Item", show=True, short="Fulfil"),
    A("detail.retry", "r", "item('retry')", "Retry the send", "detail", "Item", show=True,
      short="Retry"),
    A("detail.reason", "w", "item('see_reason')", "Why it failed (vendor's answer)", "detail",
      "Item", show=True, short="Reason"),
    A("detail.regenerate", "R", "item('regenerate')", "Regenerate the print file", "detail",
      "Item"),
    A("detail.variant", "V", "item('change_variant')",
      "Change the variant (a size exchange: another size of the same product)", "detail",
      "Item", short="Variant"),
    A("detail.hold", "h", "item('hold')", "Hold", "detail", "Item"),
    A("detail.release", "H", "item('release')", "Release from hold", "detail", "Item"),
    A("detail.ignore", "i", "item('ignore')", "Ignore", "detail", "Item"),
    A("detail.restore", "u", "item('restore')", "Restore", "detail", "Item"),
    A("detail.cancel", "X", "item('cancel')", "Cancel (at the vendor)", "detail", "Item"),
    A("detail.copy_link", "c", "item('copy_link')", "Copy the print-file link", "detail",
      "Item"),
    A("detail.link_to_file", "L", "link_to_file", "Write the print-file link to a file",
      "detail", "Item"),
    A("detail.raw", "v", "raw_payload", "The item's raw store payload", "detail", "Item"),
    A("detail.cancel_order", "K", "cancel_order", "Cancel every open item of the order",
      "detail", "Order"),
    A("detail.archive", "e", "archive(True)", "Archive the order", "detail", "Order"),
    A("detail.unarchive", "E", "archive(False)", "Unarchive the order", "detail", "Order"),
    A("detail.note", "n", "add_note", "Add a note", "detail", "Order", show=True,
      short="Note"),
    A("detail.notes", "N", "notes", "Edit or delete notes", "detail", "Order"),
    A("detail.timeline", "T", "timeline", "The whole timeline (copyable)", "detail", "Order"),
    A("detail.resync", "ctrl+r", "resync", "Re-sync this order from its store", "detail",
      "Order"),
    # the store side of the order: each asks first, then goes through the store's API
    A("detail.mark_paid", "P", "mark_paid", "Mark as paid at the store (a manual payment)",
      "detail", "Store", short="Paid"),
    A("detail.store_status", "O", "store_status",
      "Store status: processing, on hold, completed; close, reopen, cancel", "detail", "Store",
      short="Store status"),
    A("detail.refund", "dollar_sign", "refund", "Refund: units per line, shipping, reason",
      "detail", "Store", key_display="$", short="Refund"),
    A("detail.return", "B", "take_return", "Return fulfilled units (Shopify return; a note at "
      "WooCommerce)", "detail", "Store", short="Return"),
    A("detail.customer", "U", "change_customer",
      "Change the customer: search the store's customers by name or e-mail", "detail",
      "Store", short="Customer"),
    A("detail.store_note", "m", "store_note",
      "Post a note to the store (private, or to the customer)", "detail", "Store",
      short="Store note"),
    # the failure panel (screens/failure_panel.py): the vendor's refusal and the keys to fix it
    A("failure.close", "escape", "close", "Close the panel", "failure", "Failure panel",
      show=True, short="Close"),
    A("failure.fix_rejected", "enter", "fix_rejected",
      "Fix the refused field (opens its editor on that field)", "failure", "Failure panel",
      show=True, priority=True, short="Fix field"),
    A("failure.retry", "r", "fix('retry')", "Retry the send", "failure", "Failure panel",
      show=True, short="Retry"),
    A("failure.edit_shipping", "s", "fix('edit_shipping')", "Edit the shipping address",
      "failure", "Failure panel", show=True, short="Shipping"),
    A("failure.edit_design", "d", "fix('edit_design')", "Edit the design fields", "failure",
      "Failure panel", show=True, short="Design"),
    A("failure.regenerate", "R", "fix('regenerate')", "Render the print file again",
      "failure", "Failure panel", show=True, short="Regenerate"),
    A("failure.copy", "c", "copy", "Copy the refusal", "failure", "Failure panel", show=True,
      short="Copy"),
    A("failure.save", "f", "save", "Save the refusal to a file", "failure", "Failure panel",
      show=True, short="Save"),
    # The dialogs' own keys. esc stays each dialog's own binding: it always closes a dialog, so
    # a rebinding can never leave one without a way out.
    # every dialog of fields (screens/form_dialog.py, and the split, shipping and design
    # dialogs): priority, before a text area's redo
    A("form.save", "ctrl+y", "save", "Save (or post, or go on to the question)", "form", "Form",
      priority=True, short="save"),
    # every yes/no question (screens/confirm_dialog.py, the list's bulk confirm)
    A("confirm.yes", "y", "yes", "Yes: do it", "confirm", "Confirm", short="Yes"),
    A("confirm.no", "n", "answer_no", "No: leave it be", "confirm", "Confirm", short="No"),
    # the send confirms (screens/send_dialog.py, the list's bulk send)
    A("send.next_method", "m", "next_method", "Next shipping method (the focused vendor's)",
      "send", "Send", short="next shipping method"),
    # the approval look (screens/approval.py)
    A("approval.approve", "y", "approve", "Approve and show the next item waiting", "approval",
      "Approval", short="approve and show the next"),
    A("approval.leave", "n", "leave", "Leave (approves nothing more)", "approval", "Approval",
      short="leave"),
    A("approval.full_screen", "enter", "full_screen", "The image on the whole screen",
      "approval", "Approval", short="full screen"),
    # the vendor-queue picker (screens/vendor_queues.py): a key per row
    *(A(f"queues.pick_{n}", str(n), f"pick({n})", f"Show vendor {n}'s ready queue", "queues",
        "Vendor queues", palette=False) for n in range(1, 10)),
    # the artwork picker (screens/artwork_picker.py)
    A("artwork.next_scope", "ctrl+o", "next_scope",
      "Link to: this item, every item of its variant, or of its listing", "artwork",
      "Artwork picker", short="item/variant/listing"),
)  # fmt: skip
BY_ID: dict[str, KeyAction] = {entry.id: entry for entry in REGISTRY}
# Scopes whose keys live in a dialog (a modal): Textual hands a modal none of the app's keys but
# its priority ones, so a dialog may reuse an app-wide letter (the confirm's y is not Sync).
DIALOG_SCOPES = frozenset({"failure", "form", "confirm", "send", "approval", "queues", "artwork"})


def bindings(scope: str) -> list[BindingType]:
    """The Textual bindings of one scope, each carrying its registry id (so keymaps apply)."""
    return [
        Binding(
            entry.keys,
            entry.action,
            entry.short or entry.description,
            show=entry.show,
            tooltip=entry.description,
            key_display=entry.key_display,
            priority=entry.priority,
            id=entry.id,
        )
        for entry in REGISTRY
        if entry.scope == scope
    ]


def in_scopes(scopes: Iterable[str]) -> list[KeyAction]:
    """The registry's entries of `scopes`, in the registry's order."""
    wanted = set(scopes)
    return [entry for entry in REGISTRY if entry.scope in wanted]


def check_keymap(keymap: Mapping[str, str]) -> list[str]:
    """Problems with a config keymap (unknown ids), worded for a toast."""
    unknown = sorted(set(keymap) - set(BY_ID))
    if not unknown:
        return []
    return [f"[keymap] has unknown ids: {', '.join(unknown)} (see `?` for the ids)"]


_KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "asterisk": "*",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "escape": "esc",
    "dollar_sign": "$",
    "space": "space",
}


def display_keys(keys: str) -> str:
    """Keys as the help screen prints them: `down,j` -> `down j`."""
    return " ".join(_KEY_NAMES.get(k.strip(), k.strip()) for k in keys.split(","))


def effective_keys(entry: KeyAction, keymap: Mapping[str, str]) -> str:
    """The keys that run `entry` now: the config's rebinding, else the default."""
    return keymap.get(entry.id, entry.keys)


def key_of(action_id: str, keymap: Mapping[str, str]) -> str:
    """How to name the key of `action_id` in a message ("L"), rebinding included."""
    return display_keys(effective_keys(BY_ID[action_id], keymap)).split(" ")[0]


def bound_key(app: object, action_id: str) -> str:
    """`key_of` with the app's own [keymap]: the key a hint, button or message names now.

    An app without one (a test's bare App) has the registry's defaults.
    """
    return key_of(action_id, getattr(app, "keymap_overrides", {}))
