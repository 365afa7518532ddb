"""Run by test_concurrency in its own OS process: approve items in lock-step with a rival.

argv: database URL, sync directory, worker name, then one "item_id:mode" per round, where mode
"expected" passes the status the operator saw and "plain" does not.
For each item it says it is ready, waits for the parent's go, then races; it prints one JSON
list of outcomes as its last line.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main() -> None:
    url, sync_dir, name, *rounds = sys.argv[1:]
    from podtui.db import Database
    from podtui.domain.errors import ConcurrentChangeError, DomainError
    from podtui.domain.status import ItemStatus
    from podtui.services.items import actions

    db = Database(url)
    sync = Path(sync_dir)
    results: list[dict[str, object]] = []
    for n, spec in enumerate(rounds):
        item_id, mode = int(spec.split(":")[0]), spec.split(":")[1]
        expected = ItemStatus.WAITING_APPROVAL if mode == "expected" else None
        (sync / f"ready-{n}-{name}").touch()
        go = sync / f"go-{n}"
        deadline = time.monotonic() + 120
        while not go.exists():
            if time.monotonic() > deadline:
                raise SystemExit(f"{name}: no go for round {n}")
            time.sleep(0.0005)
        try:
            with db.write() as session:
                actions.approve(session, item_id, expected=expected)
        except ConcurrentChangeError as exc:
            results.append({"item": item_id, "outcome": "ConcurrentChangeError", "why": str(exc)})
        except DomainError as exc:
            results.append({"item": item_id, "outcome": "DomainError", "why": str(exc)})
        else:
            results.append({"item": item_id, "outcome": "won"})
    db.dispose()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
