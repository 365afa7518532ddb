"""Run by the submit tests in its own OS process: send items, optionally after a go signal.

As a script, argv: database URL, go file ("-" for none), then the item ids; it prints "started"
when it begins sending, and one JSON object (done / skipped / failed ids) as its last line.
`send_in_child` is the same for a forkserver child (which starts in milliseconds, with podtui
already imported), telling the parent through `started` when it begins.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any


def main() -> None:
    url, go, *ids = sys.argv[1:]
    from podtui.db import Database
    from podtui.services.sending.delivery import Backoff
    from podtui.services.sending.fulfil import SendOptions, send_items

    db = Database(url)
    if go != "-":
        deadline = time.monotonic() + 60
        while not Path(go).exists():
            if time.monotonic() > deadline:
                raise SystemExit("no go signal")
            time.sleep(0.001)
    print("started", flush=True)
    options = SendOptions(backoff=Backoff(attempts=3, base_delay=0.01, max_delay=0.05))
    outcome = send_items(db, [int(i) for i in ids], options=options)
    db.dispose()
    print(
        json.dumps(
            {
                "done": outcome.done,
                "skipped": sorted(outcome.skipped),
                "failed": outcome.failed,
            }
        ),
        flush=True,
    )


def send_in_child(url: str, ids: list[int], started: Any, env: dict[str, str]) -> None:
    # A forkserver child has the environment of when the server started, not the test's.
    os.environ.update(env)
    from podtui.db import Database
    from podtui.services.sending.delivery import Backoff
    from podtui.services.sending.fulfil import SendOptions, send_items

    db = Database(url)
    options = SendOptions(backoff=Backoff(attempts=3, base_delay=0.01, max_delay=0.05))
    started.set()
    send_items(db, ids, options=options)
    db.dispose()


if __name__ == "__main__":
    main()
