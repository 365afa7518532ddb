"""The item-status table of DESIGN.md as data: which action each status allows and where it leads.

Screens ask it which keys to enable; services ask it whether a transition is legal. Nothing else
in the code base decides that.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ItemStatus(StrEnum):
    """Where an order item stands in production."""

    MISSING_ARTWORK = "missing_artwork"
    WAITING_APPROVAL = "waiting_approval"
    RENDERING = "rendering"
    READY = "ready"
    ON_HOLD = "on_hold"
    SENDING = "sending"
    SENT = "sent"
    IN_PRODUCTION = "in_production"
    FULFILLED = "fulfilled"
    FAILED = "failed"
    CANCELED = "canceled"
    IGNORED = "ignored"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[ItemStatus, str] = {
    ItemStatus.MISSING_ARTWORK: "Missing artwork",
    ItemStatus.WAITING_APPROVAL: "Waiting approval",
    ItemStatus.RENDERING: "Rendering",
    ItemStatus.READY: "Ready",
    ItemStatus.ON_HOLD: "On hold",
    ItemStatus.SENDING: "Sending",
    ItemStatus.SENT: "Sent",
    ItemStatus.IN_PRODUCTION: "In production",
    ItemStatus.FULFILLED: "Fulfilled",
    ItemStatus.FAILED: "Failed",
    ItemStatus.CANCELED: "Canceled",
    ItemStatus.IGNORED: "Ignored",
}


# The order an item moves through production: the list's status sort (Missing artwork first,
# Canceled last). Held and failed items sit where they wait, before anything is sent.
WORKFLOW_ORDER: tuple[ItemStatus, ...] = (
    ItemStatus.MISSING_ARTWORK,
    ItemStatus.WAITING_APPROVAL,
    ItemStatus.RENDERING,
    ItemStatus.READY,
    ItemStatus.ON_HOLD,
    ItemStatus.FAILED,
    ItemStatus.SENDING,
    ItemStatus.SENT,
    ItemStatus.IN_PRODUCTION,
    ItemStatus.FULFILLED,
    ItemStatus.IGNORED,
    ItemStatus.CANCELED,
)


class Action(StrEnum):
    """Something an operator (or the system on the vendor's word) does to an item."""

    SPLIT = "split"
    ADD_ARTWORK = "add_artwork"
    EDIT_DESIGN = "edit_design"
    APPROVE = "approve"
    IGNORE = "ignore"
    RESTORE = "restore"
    EDIT_SHIPPING = "edit_shipping"
    HOLD = "hold"
    RELEASE = "release"
    COPY_LINK = "copy_link"
    REGENERATE = "regenerate"
    SEND = "send"
    MARK_FULFILLED = "mark_fulfilled"
    RETRY = "retry"
    SEE_REASON = "see_reason"
    CANCEL = "cancel"
    CHANGE_VARIANT = "change_variant"  # a size exchange: another variant of the same product
    # System transitions: the renderer and the vendors move items through these.
    RENDER_DONE = "render_done"
    RENDER_FAILED = "render_failed"
    SUBMIT_ACCEPTED = "submit_accepted"
    SUBMIT_FAILED = "submit_failed"
    VENDOR_IN_PRODUCTION = "vendor_in_production"
    VENDOR_FULFILLED = "vendor_fulfilled"
    VENDOR_CANCELED = "vendor_canceled"
    VENDOR_HOLD = "vendor_hold"
    STORE_CANCELED = "store_canceled"  # the store canceled or refunded the order

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


OPERATOR_ACTIONS: frozenset[Action] = frozenset(
    {
        Action.SPLIT,
        Action.ADD_ARTWORK,
        Action.EDIT_DESIGN,
        Action.APPROVE,
        Action.IGNORE,
        Action.RESTORE,
        Action.EDIT_SHIPPING,
        Action.HOLD,
        Action.RELEASE,
        Action.COPY_LINK,
        Action.REGENERATE,
        Action.SEND,
        Action.MARK_FULFILLED,
        Action.RETRY,
        Action.SEE_REASON,
        Action.CANCEL,
        Action.CHANGE_VARIANT,
    }
)


class Requires(StrEnum):
    """A condition on the item's vendor that an action needs besides the status."""

    ANY = "any"
    INTEGRATED = "integrated"  # a vendor podtui sends to (API or hot folder)
    MANUAL = "manual"  # a vendor podtui cannot send to: mark fulfilled only


class Target(StrEnum):
    """Where an action leads when it is not a fixed status."""

    SAME = "same"  # no status change (edit shipping, copy link ...)
    PREVIOUS = "previous"  # back to the status saved before hold/ignore/cancel


@dataclass(frozen=True, slots=True)
class Rule:
    """One cell of the table: in `status`, `action` is allowed and leads to `to`."""

    action: Action
    to: ItemStatus | Target
    requires: Requires = Requires.ANY
    saves_previous: bool = False  # remember the current status so restore/release can go back
    # The current print file no longer shows the item (a new design, artwork or size): it is
    # never sent or shown as current again.
    retires_print_file: bool = False


S = ItemStatus
A = Action
T = Target

_SAME_EDITS = (
    Rule(A.EDIT_SHIPPING, T.SAME),
    Rule(A.COPY_LINK, T.SAME),
)

TABLE: dict[ItemStatus, tuple[Rule, ...]] = {
    S.MISSING_ARTWORK: (
        Rule(A.SPLIT, T.SAME),
        Rule(A.ADD_ARTWORK, S.WAITING_APPROVAL),
        Rule(A.CHANGE_VARIANT, T.SAME),
        Rule(A.IGNORE, S.IGNORED, saves_previous=True),
        Rule(A.EDIT_SHIPPING, T.SAME),
        Rule(A.STORE_CANCELED, S.CANCELED, saves_previous=True),
        Rule(A.CANCEL, S.CANCELED, saves_previous=True),  # the operator's own cancel
        Rule(A.HOLD, S.ON_HOLD, saves_previous=True),
    ),
    S.WAITING_APPROVAL: (
        Rule(A.SPLIT, T.SAME),
        Rule(A.ADD_ARTWORK, T.SAME),
        Rule(A.EDIT_DESIGN, T.SAME),
        Rule(A.CHANGE_VARIANT, T.SAME),
        Rule(A.APPROVE, S.RENDERING),
        Rule(A.IGNORE, S.IGNORED, saves_previous=True),
        Rule(A.EDIT_SHIPPING, T.SAME),
        Rule(A.STORE_CANCELED, S.CANCELED, saves_previous=True),
        Rule(A.CANCEL, S.CANCELED, saves_previous=True),  # the operator's own cancel
        Rule(A.HOLD, S.ON_HOLD, saves_previous=True),
    ),
    S.RENDERING: (
        Rule(A.EDIT_SHIPPING, T.SAME),
        Rule(A.RENDER_DONE, S.READY),
        Rule(A.RENDER_FAILED, S.ON_HOLD, saves_previous=False),
        Rule(A.STORE_CANCELED, S.CANCELED, saves_previous=True),
    ),
    S.READY: (
        Rule(A.SPLIT, T.SAME),
        Rule(A.COPY_LINK, T.SAME),
        Rule(A.ADD_ARTWORK, S.WAITING_APPROVAL, retires_print_file=True),
        # A new design makes the print file stale: it must be approved and rendered again.
        Rule(A.EDIT_DESIGN, S.WAITING_APPROVAL, retires_print_file=True),
        # Another size needs its own print file: approved again, then rendered again.
        Rule(A.CHANGE_VARIANT, S.WAITING_APPROVAL, retires_print_file=True),
        Rule(A.REGENERATE, S.RENDERING),
        Rule(A.SEND, S.SENDING, requires=Requires.INTEGRATED),
        Rule(A.MARK_FULFILLED, S.FULFILLED, requires=Requires.MANUAL),
        Rule(A.HOLD, S.ON_HOLD, saves_previous=True),
        Rule(A.IGNORE, S.IGNORED, saves_previous=True),
        Rule(A.EDIT_SHIPPING, T.SAME),
        Rule(A.STORE_CANCELED, S.CANCELED, saves_previous=True),
        Rule(A.CANCEL, S.CANCELED, saves_previous=True),  # the operator's own cancel
    ),
    S.ON_HOLD: (
        Rule(A.RELEASE, T.PREVIOUS),
        Rule(A.EDIT_DESIGN, T.SAME),
        Rule(A.EDIT_SHIPPING, T.SAME),
        Rule(A.IGNORE, S.IGNORED),  # keeps the status saved before the hold
        Rule(A.ADD_ARTWORK, T.SAME),
        Rule(A.REGENERATE, S.RENDERING),  # a render failure is fixed by rendering again
        Rule(A.STORE_CANCELED, S.CANCELED, saves_previous=True),  # restore: back on hold
        Rule(A.CANCEL, S.CANCELED, saves_previous=True),  # the operator's own cancel
    ),
    S.SENDING: (
        *_SAME_EDITS,
        Rule(A.SUBMIT_ACCEPTED, S.SENT),
        Rule(A.SUBMIT_FAILED, S.FAILED),
    ),
    S.SENT: (
        Rule(A.COPY_LINK, T.SAME),
        Rule(A.EDIT_DESIGN, T.SAME),
        Rule(A.REGENERATE, T.SAME),  # re-render in place for a reprint; never re-sent
        Rule(A.IGNORE, S.IGNORED, saves_previous=True),
        Rule(A.EDIT_SHIPPING, T.SAME),
        Rule(A.CANCEL, S.CANCELED, saves_previous=True),
        # The in-house printer: sent when the ticket is in the hot folder, fulfilled by hand.
        Rule(A.MARK_FULFILLED, S.FULFILLED),
        Rule(A.VENDOR_IN_PRODUCTION, S.IN_PRODUCTION),
        Rule(A.VENDOR_FULFILLED, S.FULFILLED),
        Rule(A.VENDOR_CANCELED, S.CANCELED, saves_previous=True),
        Rule(A.VENDOR_HOLD, S.ON_HOLD, saves_previous=True),
    ),
    S.IN_PRODUCTION: (
        Rule(A.COPY_LINK, T.SAME),
        # Asked of the vendor, which says whether printing has gone too far to stop.
        Rule(A.CANCEL, S.CANCELED, saves_previous=True),
        Rule(A.MARK_FULFILLED, S.FULFILLED),
        Rule(A.VENDOR_FULFILLED, S.FULFILLED),
        Rule(A.VENDOR_CANCELED, S.CANCELED, saves_previous=True),
        Rule(A.VENDOR_HOLD, S.ON_HOLD, saves_previous=True),
    ),
    S.FULFILLED: (
        Rule(A.COPY_LINK, T.SAME),
        Rule(A.EDIT_DESIGN, T.SAME),
        Rule(A.REGENERATE, T.SAME),
        Rule(A.IGNORE, S.IGNORED, saves_previous=True),
        Rule(A.EDIT_SHIPPING, T.SAME),
    ),
    S.FAILED: (
        Rule(A.RETRY, S.SENDING),
        Rule(A.SEE_REASON, T.SAME),
        Rule(A.COPY_LINK, T.SAME),
        Rule(A.EDIT_DESIGN, T.SAME),
        Rule(A.REGENERATE, S.RENDERING),
        Rule(A.IGNORE, S.IGNORED, saves_previous=True),
        Rule(A.EDIT_SHIPPING, T.SAME),
        Rule(A.HOLD, S.ON_HOLD, saves_previous=True),
        Rule(A.STORE_CANCELED, S.CANCELED, saves_previous=True),
    ),
    S.CANCELED: (Rule(A.RESTORE, T.PREVIOUS),),
    S.IGNORED: (
        Rule(A.RESTORE, T.PREVIOUS),
        Rule(A.COPY_LINK, T.SAME),
        Rule(A.EDIT_DESIGN, T.SAME),
        Rule(A.REGENERATE, T.SAME),
        Rule(A.EDIT_SHIPPING, T.SAME),
    ),
}

# Statuses in which the item has been handed to a vendor (or is being): never send again.
SUBMITTED_STATUSES: frozenset[ItemStatus] = frozenset(
    {S.SENDING, S.SENT, S.IN_PRODUCTION, S.FULFILLED, S.FAILED}
)


def rule_for(status: ItemStatus, action: Action) -> Rule | None:
    """The rule that allows `action` in `status`, or None when the table forbids it."""
    for rule in TABLE[status]:
        if rule.action is action:
            return rule
    return None


def is_allowed(
    status: ItemStatus, action: Action, *, vendor_integrated: bool | None = None
) -> bool:
    """Whether the table allows `action` in `status` for a vendor of this kind.

    `vendor_integrated=None` means the vendor is unknown yet: the vendor condition is not checked.
    """
    rule = rule_for(status, action)
    if rule is None:
        return False
    if vendor_integrated is None or rule.requires is Requires.ANY:
        return True
    if rule.requires is Requires.INTEGRATED:
        return vendor_integrated
    return not vendor_integrated


def allowed_actions(
    status: ItemStatus, *, vendor_integrated: bool | None = None, operator_only: bool = True
) -> list[Action]:
    """Every action allowed in `status`, in table order."""
    return [
        rule.action
        for rule in TABLE[status]
        if (not operator_only or rule.action in OPERATOR_ACTIONS)
        and is_allowed(status, rule.action, vendor_integrated=vendor_integrated)
    ]


def refusal(status: ItemStatus, action: Action, *, vendor_integrated: bool | None = None) -> str:
    """Why `action` does not apply in `status`, and what does: the words for a key's toast.

    "it is Waiting approval, which allows split, edit design, approve, ignore, edit shipping and
    hold"; or, when the vendor's kind is the reason, "mark fulfilled is for a manual vendor's
    items; ...".
    """
    allowed = [
        a.label.lower() for a in allowed_actions(status, vendor_integrated=vendor_integrated)
    ]
    offer = (
        ", ".join(allowed[:-1]) + f" and {allowed[-1]}" if len(allowed) > 1 else "".join(allowed)
    ) or "nothing more"
    rule = rule_for(status, action)
    if rule is not None and rule.requires is not Requires.ANY:
        kind = "an integrated vendor" if rule.requires is Requires.INTEGRATED else "a manual vendor"
        return f"{action.label.lower()} is for items of {kind}; this one allows {offer}"
    return f"it is {status.label}, which allows {offer}"


def target_status(status: ItemStatus, action: Action, previous: ItemStatus | None) -> ItemStatus:
    """Where `action` in `status` leads; raises KeyError when the table does not allow it."""
    rule = rule_for(status, action)
    if rule is None:
        raise KeyError(f"{action} is not allowed in {status}")
    if rule.to is Target.SAME:
        return status
    if rule.to is Target.PREVIOUS:
        # An item with no saved status (made before the field existed) restarts at approval.
        return previous if previous is not None else ItemStatus.WAITING_APPROVAL
    assert isinstance(rule.to, ItemStatus)
    return rule.to


def statuses_allowing(action: Action) -> list[ItemStatus]:
    """Every status in which `action` is allowed (for SQL filters of bulk actions)."""
    return [status for status in ItemStatus if rule_for(status, action) is not None]
