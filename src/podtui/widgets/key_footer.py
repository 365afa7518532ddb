"""A footer of the screen's shown keys, drawn as text instead of a widget per key.

Textual's stock Footer rebuilds its child widgets (mount, style, layout) whenever a binding is
enabled or disabled; on the order list that happens as the cursor moves between rows of
different statuses, and the rebuild cost 100-300 ms in the frame the new rows needed. This
footer reads the same `screen.active_bindings` (so the keymap's rebindings and `check_action`
apply) and only repaints its lines. Keys that do not apply are dim; a click presses the key.
Keys that do not fit the width go on a second line (an 80-column terminal), never cut off; the
footer's height changes only when the keys shown do, not when one is enabled or disabled.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.actions import parse as parse_action
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget

Entry = tuple[Text, str]  # the drawn "key label" and the key a click presses


class KeyFooter(Widget):
    """The shown bindings of the screen, `key label` pairs, with the palette key at the right."""

    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: auto;
        max-height: 3;
        background: $footer-background;
        color: $footer-foreground;
    }
    """
    ALLOW_SELECT = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spans: list[tuple[int, int, int, str]] = []  # line, cell start, end, key to press
        self._shape: tuple[int, tuple[str, ...]] = (0, ())  # width and labels of the last layout

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            entries, tail = self._entries()
            shape = (self.size.width, tuple(t.plain for t, _ in [*entries, *tail]))
            # A repaint, or a layout when the keys shown (so maybe the line count) changed.
            self.refresh(layout=shape != self._shape)

    def _entries(self) -> tuple[list[Entry], list[Entry]]:
        """The keys to show, and the palette key that goes last, at the right."""
        styles = self.app.theme_variables
        key_style = f"bold {styles.get('footer-key-foreground', styles.get('accent', 'yellow'))}"
        entries: list[Entry] = []
        seen: set[str] = set()
        palette = None
        # A screen whose keys always run (and say why when they do not apply) tells the footer
        # which to dim through `key_applies`, so a dim key still answers when pressed.
        applies = getattr(self.screen, "key_applies", None)
        # A key whose action reads differently where the screen is (a tab) is named by it.
        label = getattr(self.screen, "footer_label", None)
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if enabled and applies is not None:
                _, name, params = parse_action(binding.action)
                enabled = bool(applies(name, params))
            if binding.action == "command_palette":
                palette = binding
                continue
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            text = Text(no_wrap=True, end="")
            text.append(f" {self.app.get_key_display(binding)} ", key_style)
            description = (label(binding.action) if label else None) or binding.description
            text.append(f"{description} ", "" if enabled else "dim")
            if not enabled:
                text.stylize("dim")
            entries.append((text, binding.key))
        tail: list[Entry] = []
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            text = Text.assemble(
                (f" {self.app.get_key_display(palette)} ", key_style), ("palette ", "")
            )
            tail.append((text, palette.key))
        return entries, tail

    @staticmethod
    def _lines(entries: list[Entry], tail: list[Entry], width: int) -> list[list[Entry]]:
        """The entries packed into lines of `width` cells; the palette key ends the last line."""
        lines: list[list[Entry]] = [[]]
        used = 0
        for entry in entries:
            size = entry[0].cell_len
            if lines[-1] and used + size > width:
                lines.append([])
                used = 0
            lines[-1].append(entry)
            used += size
        for entry in tail:
            if used + entry[0].cell_len > width:
                lines.append([])
                used = 0
            lines[-1].append(entry)
            used += entry[0].cell_len
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        entries, tail = self._entries()
        return len(self._lines(entries, tail, max(1, width)))

    def render(self) -> Text:
        entries, tail = self._entries()
        width = max(1, self.size.width)
        self._shape = (self.size.width, tuple(t.plain for t, _ in [*entries, *tail]))
        out = Text(no_wrap=True, overflow="ellipsis", end="")
        spans: list[tuple[int, int, int, str]] = []
        for number, line in enumerate(self._lines(entries, tail, width)):
            row = Text(no_wrap=True, end="")
            for text, key in line:
                if tail and (text, key) == tail[-1]:
                    room = width - row.cell_len - text.cell_len
                    row.append(" " * max(0, room))  # the palette key sits at the right
                spans.append((number, row.cell_len, row.cell_len + text.cell_len, key))
                row.append_text(text)
            if number:
                out.append("\n")
            out.append_text(row)
        self._spans = spans
        return out

    def on_click(self, event: events.Click) -> None:
        for line, start, end, key in self._spans:
            if line == event.y and start <= event.x < end:
                self.app.simulate_key(key.split(",")[0])
                return
