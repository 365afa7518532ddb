"""The rule editor: what a routing rule matches, where its items go, tried before it is saved.

Terms: a name, a SKU glob, the title and the store's product type (each a glob, or words it
contains), a store, destination countries; then the vendor with its ids (`queue=dtg
product_type=mug` for a hot folder), the artwork, how the items are approved and the rule's place
in the order. `Try` says what saving would route; `Save` saves and applies it, and first asks,
naming how many, before it re-routes Ready items (which are rendered again). Reads, tries and the
save run in thread workers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static

from podtui.domain.errors import DomainError
from podtui.domain.routing import parse_countries
from podtui.screens.dialog_base import ServiceDialog
from podtui.services.catalogue import rules
from podtui.services.catalogue.rules import Applied, RuleChoices, RuleDraft, RuleRow, Tried

if TYPE_CHECKING:
    from podtui.db import Database

APPROVE_CHOICES = [
    ("by an operator", "manual"),
    ("automatically", "auto"),
    ("automatically when the artwork has no fields", "no_fields"),
]
VENDOR_HINTS = {
    "hotfolder": "queue=dtg product_type=mug",
    "printify": "blueprint_id=6 print_provider_id=99 variant_id=12100",
    "printful": "product_id=71 variant_id=4012",
    "manual": "nothing needed",
}


class RuleEditor(ServiceDialog[Applied]):
    """Add or edit one rule; dismissed with what saving routed."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape", "close", "Cancel")]

    class Read(Message):
        """A worker came back: the choices, or what the rule would do."""

        def __init__(self, what: str, data: Any, error: str = "") -> None:
            super().__init__()
            self.what = what
            self.data = data
            self.error = error

    def __init__(self, db: Database, rule: RuleRow | None = None, count: int = 0) -> None:
        super().__init__(id="rule-editor")
        self.db = db
        self.rule = rule
        self.count = count  # rules there are now (a new one goes last)
        self.choices = RuleChoices([], [], [])
        self.tried: Tried | None = None
        self.reads = 0  # how many reads came back (tests wait on it)

    def _row(self, label: str, widget: Any) -> Horizontal:
        return Horizontal(Label(label, classes="form-label"), widget, classes="form-row")

    def _input(self, label: str, value: str, hint: str, name: str, **kw: Any) -> Horizontal:
        field = Input(value, placeholder=hint, compact=True, id=f"rule-{name}", **kw)
        return self._row(label, field)

    def _select(self, label: str, hint: str, name: str) -> Horizontal:
        return self._row(label, Select([], prompt=hint, compact=True, id=f"rule-{name}"))

    def compose(self) -> ComposeResult:
        rule = self.rule
        title = f"Rule {rule.position}: {rule.name}" if rule else "New routing rule"
        position = str(rule.position if rule else self.count + 1)
        terms = rule.terms if rule else None
        ids = rules.vendor_ids_text(rule.vendor_product) if rule else ""
        approve = Select(APPROVE_CHOICES, value=rule.approve if rule else "manual",
                         allow_blank=False, compact=True, id="rule-approve")  # fmt: skip
        with Vertical(id="dialog-box", classes="wide tall"):
            yield Label(title, id="dialog-title")
            with VerticalScroll(id="rule-form"):
                yield self._input("Name", rule.name if rule else "", "what it is for", "name")
                yield self._input("SKU", terms.sku if terms else "",
                                  "glob, e.g. MUG-* (blank: any)", "sku")  # fmt: skip
                yield self._input("Title", terms.title if terms else "",
                                  "words or a glob (blank: any)", "title")  # fmt: skip
                yield self._input("Type", terms.product_type if terms else "",
                                  "the store's product type (blank: any)", "type")  # fmt: skip
                yield self._select("Store", "any store", "store")
                yield self._input("Ship to", " ".join(terms.countries) if terms else "",
                                  "US DE ... (blank: anywhere)", "countries")  # fmt: skip
                yield self._select("Vendor", "choose the vendor", "vendor")
                yield self._input("Vendor ids", ids, "queue=dtg product_type=mug", "product")
                yield self._select("Artwork", "keep the item's", "artwork")
                yield self._row("Approve", approve)
                yield self._input("Position", position, "1 = tried first", "position",
                                  restrict=r"\d*")  # fmt: skip
            yield Static("", id="rule-tried")
            yield ProgressBar(id="rule-progress", show_eta=False)
            yield Static("", id="dialog-error")
            with Horizontal(id="dialog-buttons"):
                yield Button("Cancel", id="rule-cancel")
                yield Button("Try", id="rule-try")
                yield Button("Save rule", variant="primary", id="rule-save")

    def on_mount(self) -> None:
        self.query_one("#rule-progress").display = False
        self.query_one("#rule-name", Input).focus()
        self._read_choices()

    @work(thread=True, group="rule-read", exit_on_error=False)
    def _read_choices(self) -> None:
        self.post_message(self.Read("choices", rules.rule_choices(self.db)))

    def on_rule_editor_read(self, message: Read) -> None:
        self.reads += 1
        if message.error:
            self.show_error(message.error)
        elif message.what == "choices":
            self._got_choices(message.data)
        elif message.what == "tried":
            self.tried = message.data
            self.query_one("#rule-tried", Static).update(message.data.summary())
        elif message.what == "save":
            self._confirm_then_save(message.data)

    def _got_choices(self, choices: RuleChoices) -> None:
        self.choices = choices
        self.query_one("#rule-store", Select).set_options([(n, i) for i, n in choices.stores])
        self.query_one("#rule-vendor", Select).set_options(
            [(v.label, v.id) for v in choices.vendors]
        )
        self.query_one("#rule-artwork", Select).set_options([(n, i) for i, n in choices.artworks])
        rule = self.rule
        if rule is not None:
            self.query_one("#rule-vendor", Select).value = rule.vendor_id
            if rule.artwork_id is not None:
                self.query_one("#rule-artwork", Select).value = rule.artwork_id
            if rule.terms.store_id is not None:
                self.query_one("#rule-store", Select).value = rule.terms.store_id

    @on(Select.Changed, "#rule-vendor")
    def _vendor_changed(self, event: Select.Changed) -> None:
        vendor = next((v for v in self.choices.vendors if v.id == event.value), None)
        if vendor is not None:
            hint = VENDOR_HINTS.get(vendor.kind, "key=value ...")
            if vendor.queues:
                queues = ", ".join(vendor.queues)
                hint = f"queue={vendor.queues[0]} product_type=... (queues: {queues})"
            self.query_one("#rule-product", Input).placeholder = hint

    # -- the draft, try and save

    def _value(self, selector: str) -> Any:
        value = self.query_one(selector, Select).value
        return None if value is Select.NULL else value

    def draft(self) -> RuleDraft:
        """The rule as the form says it (read on the UI thread)."""
        position = self.query_one("#rule-position", Input).value.strip()
        return RuleDraft(
            vendor_id=self._value("#rule-vendor"),
            name=self.query_one("#rule-name", Input).value,
            sku=self.query_one("#rule-sku", Input).value,
            title=self.query_one("#rule-title", Input).value,
            product_type=self.query_one("#rule-type", Input).value,
            store_id=self._value("#rule-store"),
            countries=parse_countries(self.query_one("#rule-countries", Input).value),
            artwork_id=self._value("#rule-artwork"),
            vendor_product=rules.parse_vendor_ids(self.query_one("#rule-product", Input).value),
            approve=str(self._value("#rule-approve") or "manual"),
            position=int(position) if position else None,
            rule_id=self.rule.id if self.rule else None,
        )

    def _draft_or_say(self) -> RuleDraft | None:
        try:
            return self.draft()
        except DomainError as exc:
            self._refused(exc)
            return None

    @on(Button.Pressed, "#rule-try")
    def action_try(self) -> None:
        draft = self._draft_or_say()
        if draft is not None:
            self.show_error("")
            self._try(draft, "tried")

    @work(thread=True, exclusive=True, group="rule-try", exit_on_error=False)
    def _try(self, draft: RuleDraft, what: str) -> None:
        try:
            if what == "save":  # only what the confirmation needs: the Ready items it moves
                found: Any = (draft, rules.ready_to_reroute(self.db, draft))
            else:
                found = rules.try_rule(self.db, draft)
        except DomainError as exc:
            self.app.call_from_thread(self._refused, exc)
            return
        self.post_message(self.Read(what, found))

    @on(Button.Pressed, "#rule-save")
    def action_save(self) -> None:
        draft = self._draft_or_say()
        if draft is not None and not self.saving:
            self.show_error("")
            self._try(draft, "save")

    def _confirm_then_save(self, data: tuple[RuleDraft, int]) -> None:
        draft, ready = data
        if not ready:
            self._save_rule(draft, False)
            return
        from podtui.screens.confirm_dialog import ConfirmDialog

        noun = "item" if ready == 1 else "items"
        question = (
            f"{ready} Ready {noun} already have print files for their old route. "
            f"Re-route {'it' if ready == 1 else 'them'} and render again? "
            "No saves the rule and leaves them as they are."
        )

        def answered(yes: object) -> None:
            self._save_rule(draft, bool(yes))

        self.app.push_screen(
            ConfirmDialog(f"Re-route {ready} Ready {noun}?", question,
                          yes=f"Re-route {ready}", save=lambda _answer: True),
            answered,
        )  # fmt: skip

    def _save_rule(self, draft: RuleDraft, reroute_ready: bool) -> None:
        db, app = self.db, self.app
        bar = self.query_one("#rule-progress", ProgressBar)
        bar.display = True

        def progress(done: int, total: int) -> None:  # on the worker's thread
            app.call_from_thread(bar.update, total=max(total, 1), progress=done)

        self.run_save(
            lambda: rules.save_rule(db, draft, reroute_ready=reroute_ready, progress=progress)
        )

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#rule-cancel")
    def _cancel(self) -> None:
        self.action_close()
