"""The Textual application: opens the database, pushes the order list, owns the workers."""

from __future__ import annotations

from typing import ClassVar

from sqlmodel import col, select
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header

from podtui.config import Config
from podtui.db import Database
from podtui.domain.models import Order, OrderItem
from podtui.domain.status import ItemStatus


class PodTUI(App[None]):
    """podtui's app object."""

    TITLE = "podtui"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit", "Quit")]

    def __init__(self, db: Database, config: Config | None = None) -> None:
        super().__init__()
        self.db = db
        self.config_ = config or Config()

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="items", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Order", "Product", "Qty", "Status")
        with self.db.read() as s:
            rows = s.exec(
                select(Order.name, OrderItem.title, OrderItem.quantity, OrderItem.status)
                .join(Order, col(Order.id) == OrderItem.order_id)
                .order_by(col(OrderItem.order_created_at).desc())
                .limit(500)
            ).all()
        for name, title, qty, status in rows:
            table.add_row(name, title, str(qty), ItemStatus(status).label)
