"""refill sizes a table's columns as its rows go in, so a header painted before Idle is right."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from podtui.widgets.table_fill import cell_width, refill


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        table: DataTable[str] = DataTable()
        table.add_columns("Job", "State")
        yield table


def lines(table: DataTable[str]) -> list[str]:
    return [table.render_line(y).text.rstrip() for y in range(table.row_count + 1)]


async def test_the_header_painted_before_idle_has_the_rows_widths() -> None:
    async with TableApp().run_test(size=(60, 6)) as pilot:
        table = pilot.app.query_one(DataTable)
        refill(table, [("1", ("1", "a long state name"))])
        header, row = lines(table)  # painted at once: no Idle has run since the rows went in
        await pilot.pause()
        await pilot.pause()
        assert lines(table) == [header, row]  # and the Idle that follows changes nothing
        assert header.index("State") == row.index("a long")
        assert "a long state name" in row


async def test_columns_narrow_again_when_the_long_cell_goes() -> None:
    async with TableApp().run_test(size=(60, 6)) as pilot:
        table = pilot.app.query_one(DataTable)
        refill(table, [("1", ("1", "a long state name"))])
        await pilot.pause()
        refill(table, [("1", ("1", "ok"))])
        await pilot.pause()
        assert [c.get_render_width(table) for c in table.ordered_columns] == [5, 7]


async def test_a_plain_add_row_leaves_the_header_behind() -> None:
    # Why refill exists: Textual sizes columns for new rows only on its next Idle.
    async with TableApp().run_test(size=(60, 6)) as pilot:
        table = pilot.app.query_one(DataTable)
        table.add_row("1", "a long state name")
        lines(table)  # painted before the Idle that measures the new row
        await pilot.pause()
        await pilot.pause()
        header, row = lines(table)
        assert len(header) < len(row)
        assert "State" in header and "a long state name" in row  # the row widened, not the header


def test_markup_is_measured_as_drawn() -> None:
    assert cell_width("[bold red]failed[/]") == 6
    assert cell_width(Text("两个")) == 4
    assert cell_width("[/nothing open]") == len("[/nothing open]")
