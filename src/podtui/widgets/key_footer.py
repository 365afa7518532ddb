"""A one-line footer of the screen's shown keys, drawn as text instead of a widget per key.

Textual's stock Footer rebuilds its child widgets (mount, style, layout) whenever a binding is
enabled or disabled; on the order list that happens as the cursor moves between rows of
different statuses, and the rebuild cost 100-300 ms in the frame the new rows needed. This
footer reads the same `screen.active_bindings` (so the keymap's rebindings and `check_action`
apply) and only repaints its one line. Keys that do not apply are dim; a click presses the key.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.actions import parse as parse_action
from textual.screen import Screen
from textual.widget import Widget


class KeyFooter(Widget):
    """The shown bindings of the screen, `key label` pairs, with the palette key at the right."""

    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    """
    ALLOW_SELECT = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spans: list[tuple[int, int, str]] = []  # cell start, end, key to press

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()  # a repaint of one line, never a layout

    def render(self) -> Text:
        styles = self.app.theme_variables
        key_style = f"bold {styles.get('footer-key-foreground', styles.get('accent', 'yellow'))}"
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        spans: list[tuple[int, int, str]] = []
        seen: set[str] = set()
        palette = None
        # A screen whose keys always run (and say why when they do not apply) tells the footer
        # which to dim through `key_applies`, so a dim key still answers when pressed.
        applies = getattr(self.screen, "key_applies", None)
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
            start = text.cell_len
            text.append(f" {self.app.get_key_display(binding)} ", key_style)
            text.append(f"{binding.description} ", "" if enabled else "dim")
            if not enabled:
                text.stylize("dim", start)
            spans.append((start, text.cell_len, binding.key))
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            tail = Text.assemble(
                (f" {self.app.get_key_display(palette)} ", key_style), ("palette ", "")
            )
            room = self.size.width - text.cell_len - tail.cell_len
            if room > 0:
                text.append(" " * room)
                spans.append((text.cell_len, text.cell_len + tail.cell_len, palette.key))
                text.append_text(tail)
        self._spans = spans
        return text

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key.split(",")[0])
                return
