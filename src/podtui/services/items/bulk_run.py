"""Run one use-case over many items, one transaction each, and say per item what happened.

A bulk action never lets one bad item roll back the others: each item gets its own write
transaction, and the outcome lists what was done, what was skipped (the status table refused it)
and what failed (with the reason an operator can act on).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlmodel import Session

from podtui.db import Database
from podtui.domain.errors import ConcurrentChangeError, DomainError

ProgressCallback = Callable[[int, int], None]  # (finished so far, total)


@dataclass
class BulkOutcome:
    """What a bulk action did, item by item."""

    done: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)  # item id -> why it was not touched
    failed: dict[int, str] = field(default_factory=dict)  # item id -> why it broke

    @property
    def total(self) -> int:
        return len(self.done) + len(self.skipped) + len(self.failed)

    def merge(self, other: BulkOutcome) -> None:
        self.done.extend(other.done)
        self.skipped.update(other.skipped)
        self.failed.update(other.failed)

    def summary(self) -> str:
        return f"{len(self.done)} done, {len(self.skipped)} skipped, {len(self.failed)} failed"


def run_per_item(
    db: Database,
    item_ids: Iterable[int],
    use_case: Callable[[Session, int], object],
    *,
    on_progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> BulkOutcome:
    """Apply `use_case(session, item_id)` to each item in its own transaction."""
    ids = list(item_ids)
    outcome = BulkOutcome()
    for n, item_id in enumerate(ids, start=1):
        if should_stop is not None and should_stop():
            break
        try:
            with db.write() as session:
                use_case(session, item_id)
        except ConcurrentChangeError as exc:
            outcome.failed[item_id] = str(exc)
        except DomainError as exc:
            # The rules refused it (wrong status, no vendor ...): counted, never forced.
            outcome.skipped[item_id] = str(exc)
        except Exception as exc:  # one broken item must not stop the rest
            outcome.failed[item_id] = f"{type(exc).__name__}: {exc}"
        else:
            outcome.done.append(item_id)
        if on_progress is not None:
            on_progress(n, len(ids))
    return outcome
