"""The status tabs across the top of the order list, each with its live item count.

One line, painted in place: counts change every time the database does, so the tabs must not
cost a layout pass each time. When they are wider than the screen, the strip slides to keep
the active tab in view.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget

from podtui.services.listing.query import TABS

SHORT_LABELS = {
    "missing_artwork": "Missing art",
    "waiting_approval": "Approval",
    "in_production": "In prod.",
}
TAB_IDS = [tab.id for tab in TABS]


def compact(n: int) -> str:
    """1234 -> 1.2k, 1000000 -> 1.0M: counts that keep fourteen tabs near one line."""
    if n < 1000:
        return str(n)
    if n < 100_000:
        return f"{n / 1000:.1f}k"
    if n < 1_000_000:
        return f"{n // 1000}k"
    return f"{n / 1_000_000:.1f}M"


def label_of(tab_id: str) -> str:
    return SHORT_LABELS.get(tab_id) or next(t.label for t in TABS if t.id == tab_id)


class StatusTabs(Widget):
    """All, one tab per item status, Archived; the counts follow the filter."""

    COMPONENT_CLASSES = {"status-tabs--active", "status-tabs--count", "status-tabs--more"}
    DEFAULT_CSS = """
    StatusTabs { height: 1; width: 1fr; background: $panel; }
    StatusTabs > .status-tabs--active { background: $accent; color: $text; text-style: bold; }
    StatusTabs > .status-tabs--count { color: $text-muted; }
    StatusTabs > .status-tabs--more { color: $text-accent; }
    """

    class Changed(Message):
        """The operator picked another tab."""

        def __init__(self, tab_id: str) -> None:
            super().__init__()
            self.tab_id = tab_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.active = "all"
        self.counts: dict[str, int] = {}
        self._spans: list[tuple[int, int, str]] = []  # (start x, end x, tab id) as painted
        self._painted_active = ""

    def set_counts(self, counts: dict[str, int] | None) -> None:
        new = dict(counts or {})
        if new != self.counts:
            self.counts = new
            self.refresh()

    @property
    def active_tab_id(self) -> str:
        return self.active

    def activate(self, tab_id: str, *, announce: bool = False, repaint: bool = True) -> None:
        """Make `tab_id` the active tab; `repaint=False` leaves the paint to the next `sync`
        (the list repaints the tabs with the new rows, in one frame)."""
        if tab_id not in TAB_IDS:
            return
        self.active = tab_id
        if repaint:
            self.sync()
        if announce:
            self.post_message(self.Changed(tab_id))

    def sync(self) -> None:
        """Repaint if what is on screen is not the active tab."""
        if self._painted_active != self.active:
            self.refresh()

    def _pieces(self) -> list[tuple[str, Text]]:
        count_style = self.get_component_rich_style("status-tabs--count", partial=True)
        active_style = self.get_component_rich_style("status-tabs--active", partial=True)
        pieces = []
        for tab_id in TAB_IDS:
            text = Text(f" {label_of(tab_id)}")
            if tab_id in self.counts:
                text.append(f" {compact(self.counts[tab_id])}", count_style)
            text.append(" ")
            if tab_id == self.active:
                text.stylize(active_style)
            pieces.append((tab_id, text))
        return pieces

    def render(self) -> Text:
        self._painted_active = self.active
        width = self.size.width
        pieces = self._pieces()
        starts = []
        x = 0
        for _tab_id, text in pieces:
            starts.append(x)
            x += text.cell_len
        total = x
        # Slide the strip so the active tab is on screen, a little in from the edge.
        active = TAB_IDS.index(self.active)
        offset = 0
        if total > width:
            end = starts[active] + pieces[active][1].cell_len
            offset = max(0, min(total - width + 1, end - width + 2 if end > width - 2 else 0))
            offset = min(offset, starts[active])
        line = Text(no_wrap=True, overflow="crop")
        for text in (t for _i, t in pieces):
            line.append_text(text)
        self._spans = [
            (start - offset, start - offset + text.cell_len, tab_id)
            for start, (tab_id, text) in zip(starts, pieces, strict=True)
        ]
        line = line[offset:]
        more = self.get_component_rich_style("status-tabs--more", partial=True)
        if offset:
            line = Text("\u2039", more) + line[1:]
        if total - offset > width:
            line = line[: width - 1] + Text("\u203a", more)
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, tab_id in self._spans:
            if start <= event.x < end:
                self.activate(tab_id, announce=True)
                return
