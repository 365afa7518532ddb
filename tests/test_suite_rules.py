"""Rules the suite keeps so that it never flakes on a loaded machine.

Every app a test starts runs on a ManualClock, so none of the app's own timers (recovery and the
countdown, the vendor poll, the database watcher) goes off in the middle of a test's steps: the
test fires the ones it means (`await app.clock.fire("watch")`). And no test waits a fixed time
for something to happen: it waits for the thing (`settle`, `until`, an event).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).parent


def _calls(name: str) -> list[tuple[Path, ast.Call]]:
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == name:
                found.append((path, node))
    return found


def test_every_app_in_the_tests_runs_on_a_manual_clock() -> None:
    apps = _calls("PodTUI")
    assert apps  # the rule is checking something
    without = [
        f"{path.relative_to(TESTS)}:{call.lineno}"
        for path, call in apps
        if not any(k.arg == "clock" for k in call.keywords)
    ]
    assert without == []


def test_no_test_waits_a_fixed_time_for_the_app() -> None:
    # pilot.pause(n) with n of a tenth of a second or more is a guess at how long the app takes.
    guess = re.compile(r"pilot\.pause\(\s*(0\.[1-9]|[1-9])")
    found = [
        f"{path.relative_to(TESTS)}:{number}"
        for path in sorted(TESTS.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if guess.search(line)
    ]
    assert found == []
