"""Process start to first painted list: podtui over N items against a minimal Textual app.

Each run starts a fresh Python process and records the wall clock from just before the spawn
to the moment the first frame with rows goes to the (headless) terminal driver: for podtui,
`podtui --db FILE run` through the real command line with the order list showing rows read
from the database; for the reference, a Textual app painting one static 40-row DataTable.
Runs alternate, side by side in the same run; the ratio is of the medians. The child's
resident memory at that moment is reported too. The last line printed is one JSON object.

    uv run python bench/startup.py --items 1000000
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _seed import ensure_bench_db

# Both children report from the app's own hand-over of a frame to the driver, so the two
# times end at the same point of the same code path.
MINIMAL = r"""
import resource, sys, time
from textual.app import App
from textual.widgets import DataTable

class Minimal(App):
    def compose(self):
        table = DataTable()
        table.add_columns("Order", "Product", "Qty", "Status")
        for n in range(40):
            table.add_row(f"#{1000 + n}", "Custom Pet Portrait Mug", "1", "Ready")
        yield table

    def _display(self, screen, renderable):
        super()._display(screen, renderable)
        table = self.query(DataTable)
        if table and table.first().row_count:
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"PAINTED {time.time():.6f} {rss:.1f}", flush=True)
            self.exit()

Minimal().run(headless=True, size=(160, 50))
"""

PODTUI = r"""
import resource, sys, time
import podtui.app
from podtui.screens.orders import OrdersScreen

class Timed(podtui.app.PodTUI):
    def _display(self, screen, renderable):
        super()._display(screen, renderable)
        if isinstance(screen, OrdersScreen):
            paint = screen.table.last_paint
            if paint is not None and paint.complete and screen.table.loaded_rows:
                rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print(f"PAINTED {time.time():.6f} {rss:.1f}", flush=True)
                self.exit()

    def run(self, **kwargs):
        return super().run(headless=True, size=(160, 50))

podtui.app.PodTUI = Timed
from podtui.cli import main
sys.exit(main(["--db", sys.argv[1], "run"]))
"""


def one(code: str, *args: str) -> tuple[float, float]:
    data = Path(__file__).parent / ".data"
    data.mkdir(exist_ok=True)
    # A file, not `-c`: Textual finds an app's CSS next to the file its class was written in.
    script = data / ("startup_podtui.py" if "podtui" in code else "startup_minimal.py")
    script.write_text(code, encoding="utf-8")
    env = {**os.environ, "PODTUI_CONFIG_DIR": str(data / "config")}
    # A second start of an installed program reads compiled bytecode; with this variable set
    # (some shells and CI images set it) every start would compile every module from source,
    # a second or more for Textual alone. Both children run without it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.time()
    out = subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, env=env, timeout=120
    )
    for line in out.stdout.splitlines():
        if line.startswith("PAINTED "):
            _, at, rss = line.split()
            return float(at) - started, float(rss)
    raise RuntimeError(f"child did not paint:\n{out.stdout}\n{out.stderr}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    path = ensure_bench_db(args.items)
    one(PODTUI, str(path))  # warm the page cache and the .pyc files, like any second start
    one(MINIMAL)
    podtui_s: list[float] = []
    minimal_s: list[float] = []
    rss: list[float] = []
    for _ in range(args.runs):
        seconds, mb = one(PODTUI, str(path))
        podtui_s.append(seconds)
        rss.append(mb)
        minimal_s.append(one(MINIMAL)[0])
    result = {
        "items": args.items,
        "podtui_s_median": round(statistics.median(podtui_s), 3),
        "minimal_s_median": round(statistics.median(minimal_s), 3),
        "startup_ratio": round(statistics.median(podtui_s) / statistics.median(minimal_s), 2),
        "rss_mb": round(max(rss), 1),
        "load_average": round(os.getloadavg()[0], 2),
    }
    print(f"podtui  {sorted(round(s, 3) for s in podtui_s)}", file=sys.stderr)
    print(f"minimal {sorted(round(s, 3) for s in minimal_s)}", file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
