"""The status tabs across the top of the order list, each with its live item count."""

from __future__ import annotations

from textual.widgets import Tab, Tabs

from podtui.services.order_query import TABS

SHORT_LABELS = {
    "missing_artwork": "Missing art",
    "waiting_approval": "Approval",
    "in_production": "In prod.",
}


def compact(n: int) -> str:
    """1234 -> 1.2k, 1000000 -> 1.0M: counts that keep fourteen tabs on one line."""
    if n < 1000:
        return str(n)
    if n < 100_000:
        return f"{n / 1000:.1f}k"
    if n < 1_000_000:
        return f"{n // 1000}k"
    return f"{n / 1_000_000:.1f}M"


class StatusTabs(Tabs):
    """All, one tab per item status, Archived; the counts follow the filter."""

    can_focus = False  # the table keeps the focus; `[` and `]` switch tabs

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(*[Tab(self._label(t.id, None), id=f"tab-{t.id}") for t in TABS], id=id)
        self.counts: dict[str, int] = {}

    @staticmethod
    def _label(tab_id: str, count: int | None) -> str:
        label = SHORT_LABELS.get(tab_id) or next(t.label for t in TABS if t.id == tab_id)
        return f"{label} {compact(count)}" if count is not None else label

    def set_counts(self, counts: dict[str, int] | None) -> None:
        """Show these counts (None: counting, show the labels alone)."""
        self.counts = dict(counts or {})
        for tab in TABS:
            widget = self.query_one(f"#tab-{tab.id}", Tab)
            label = self._label(tab.id, self.counts.get(tab.id) if counts is not None else None)
            if widget.label_text != label:
                widget.label = label

    @property
    def active_tab_id(self) -> str:
        return (self.active or "tab-all").removeprefix("tab-")

    def activate(self, tab_id: str) -> None:
        self.active = f"tab-{tab_id}"
