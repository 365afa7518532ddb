"""The messages log: the app's bounded history of what it notified, and `I`'s dialog showing it.

A toast goes after a few seconds; an operator who looked away reads it here, newest first, with
its time and severity, and can copy it or save it to a file.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime

from textual.content import Content

from podtui.domain.wording import count
from podtui.screens.text_modal import TextModal

LIMIT = 500  # a long day's worth; older ones drop off
_SEVERITY = {"information": "info", "warning": "warning", "error": "error"}


@dataclass(frozen=True)
class Notice:
    """One message the app showed as a toast, as it was given to `notify`."""

    at: datetime
    message: str
    title: str = ""
    severity: str = "information"
    markup: bool = True

    def line(self) -> str:
        """`12:00:00  warning  Filter: ...`: the time in local time, the text as shown."""
        text = self.message
        if self.markup:  # the toast rendered it: the log shows what the toast showed
            try:
                text = Content.from_markup(self.message).plain
            except Exception:
                text = self.message
        said = f"{self.title}: {text}" if self.title else text
        label = _SEVERITY.get(self.severity, self.severity)
        return f"{self.at.astimezone():%H:%M:%S}  {label:<7}  {said}"


class NoticeLog:
    """The latest `limit` notices, oldest first; `notify` may run on any thread, hence the lock."""

    def __init__(self, limit: int = LIMIT) -> None:
        self._entries: deque[Notice] = deque(maxlen=limit)
        self._lock = threading.Lock()

    def add(self, notice: Notice) -> None:
        with self._lock:
            self._entries.append(notice)

    def entries(self) -> list[Notice]:
        with self._lock:
            return list(self._entries)

    def text(self) -> str:
        """Every notice, newest first, one a line."""
        return "\n".join(notice.line() for notice in reversed(self.entries()))


class MessagesModal(TextModal):
    """What podtui said this session, newest first (c copies, s saves, esc closes)."""

    def __init__(self, log: NoticeLog) -> None:
        n = len(log.entries())
        headline = (
            f"{count(n, 'message')} this session, newest first"
            if n
            else "Nothing has been said yet."
        )
        super().__init__("Messages", log.text(), headline=headline)
