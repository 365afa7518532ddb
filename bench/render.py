"""Bench: print files per second, the worker (process pool) against a plain Pillow loop.

Renders N shirt-front print files (4500x5400 @ 300 DPI) twice in one run:
  1. a plain single-process loop: every file composed from scratch (template, fonts and the
     fixed badge loaded and scaled again each time) and saved with Pillow's default PNG
     settings (zlib level 6, default strategy);
  2. the render worker: jobs claimed from a real SQLite job table, rendered in a process pool
     with per-process caches and the chosen PNG settings, recorded as PrintFile rows (it also
     writes a preview and a mockup per item, which the loop does not).
Before that it compares PNG compression settings on a few of the same images (size and time).
The last line is one JSON object: speedup, size_ratio, files_per_s (and the details).

    uv run python bench/render.py [--files 50] [--processes 2]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
import zlib
from pathlib import Path

NAMES = [
    "Anna", "Zoë Ångström", "Алёна Петрова", "Γιώργος", "Lena",
    "Tom & Jerry", "José Núñez", "Ольга", "Kim 🦄", "Marie-Claire", "Björn", "Ayse Yilmaz",
    "Dad #1", "Coach Carter", "Élodie", "Sam", "Grandma Rose", "Ivan Ivanov", "Chloé",
]  # fmt: skip
TAGLINES = ["Best aunt since 2019", "", "Class of 2026", "Сердечно поздравляю", "Team captain"]


def values(n: int) -> dict[str, str]:
    return {"name": f"{NAMES[n % len(NAMES)]} {n}", "tagline": TAGLINES[n % len(TAGLINES)]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="podtui-bench-"))
    os.environ["PODTUI_DATA_DIR"] = str(work / "data")
    os.environ["PODTUI_CONFIG_DIR"] = str(work / "config")

    from datetime import UTC, datetime

    from podtui.db import open_database
    from podtui.domain.models import Artwork, Order, OrderItem, PrintFile, RenderJob, Store
    from podtui.domain.status import ItemStatus
    from podtui.domain.template import load_template
    from podtui.services.render.png_bands import BandedPngWriter
    from podtui.services.render.print_output import PILLOW_DEFAULT, PngSettings, save_png, srgb_icc
    from podtui.services.render.renderer import (
        PACKAGE_TEMPLATES,
        RenderCache,
        render_image,
        template_key,
    )
    from podtui.services.render.worker import RenderWorker

    template_path = PACKAGE_TEMPLATES / "shirt-front.toml"
    no_photos = lambda source, label: b""  # noqa: E731 - the shirt has no photo slot
    load = tuple(round(v, 2) for v in os.getloadavg())
    print(f"cpus={os.cpu_count()} load={load} files={args.files} processes={args.processes}")

    # Compression settings on a few of the same images.
    cache = RenderCache()
    template = load_template(template_path)
    samples = [render_image(template, values(n), load_photo=no_photos, cache=cache).image
               for n in range(3)]  # fmt: skip
    settings = {
        "pillow default (6)": PILLOW_DEFAULT,
        "level 1": PngSettings(1, None),
        "level 3": PngSettings(3, None),
        "level 9": PngSettings(9, None),
        "level 1 + Z_RLE": PngSettings(1, zlib.Z_RLE),
        "level 6 + Z_RLE": PngSettings(6, zlib.Z_RLE),
        "level 1 + Z_FILTERED": PngSettings(1, zlib.Z_FILTERED),
        "level 1 + Z_HUFFMAN_ONLY": PngSettings(1, zlib.Z_HUFFMAN_ONLY),
    }
    levels = {}
    print("\nPNG settings on 3 shirt prints (one process):", flush=True)
    writer = BandedPngWriter()
    key = template_key(template)
    writer.write(samples[0], io.BytesIO(), template=template, key=key, dpi=300, icc=srgb_icc())
    for label, setting in [*settings.items(), ("banded (podtui)", None)]:
        size, started = 0, time.perf_counter()
        for image in samples:
            buf = io.BytesIO()
            if setting is None:  # constant bands already compressed above, as in a worker
                writer.write(image, buf, template=template, key=key, dpi=300, icc=srgb_icc())
            else:
                save_png(image, buf, 300, setting)
            size += buf.tell()
        seconds = (time.perf_counter() - started) / len(samples)
        levels[label] = {"bytes": size // len(samples), "seconds": round(seconds, 3)}
        print(f"  {label:26} {size // len(samples):>10,} bytes  {seconds:6.3f} s/file", flush=True)
    del samples, cache

    # 1. The plain loop.
    loop_dir = work / "loop"
    loop_dir.mkdir()
    started = time.perf_counter()
    loop_bytes = 0
    for n in range(args.files):
        fresh = load_template(template_path)
        image = render_image(fresh, values(n), load_photo=no_photos).image
        out = loop_dir / f"{n}.png"
        image.save(out, "PNG", dpi=(300, 300), icc_profile=srgb_icc())
        loop_bytes += out.stat().st_size
    loop_seconds = time.perf_counter() - started
    loop_rate = args.files / loop_seconds
    print(f"\nplain loop: {args.files} files in {loop_seconds:.1f} s = {loop_rate:.2f} files/s, "
          f"{loop_bytes / args.files / 1e6:.2f} MB/file", flush=True)  # fmt: skip

    # 2. The worker, fed by the job table.
    db = open_database(f"sqlite:///{work / 'bench.db'}")
    created = datetime(2026, 3, 1, tzinfo=UTC)
    with db.write() as session:
        session.add(Store(id=1, name="Bench", kind="sandbox"))
        session.flush()
        artwork = Artwork(name="shirt", template="shirt-front")
        session.add(artwork)
        session.flush()
        for n in range(args.files):
            order = Order(store_id=1, store_order_id=str(n), name=f"#{n}", created_at=created)
            session.add(order)
            session.flush()
            assert order.id is not None
            item = OrderItem(order_id=order.id, store_id=1, order_created_at=created,
                             title="Tee", variant_title="White / L", artwork_id=artwork.id,
                             status=ItemStatus.RENDERING, personalization=values(n))  # fmt: skip
            session.add(item)
            session.flush()
            assert item.id is not None
            session.add(RenderJob(item_id=item.id))
    worker = RenderWorker(db, processes=args.processes)
    started = time.perf_counter()
    stats = worker.run(once=True)
    worker_seconds = time.perf_counter() - started
    with db.read() as session:
        files = session.exec(__import__("sqlmodel").select(PrintFile)).all()
    worker_bytes = sum(f.size_bytes for f in files)
    if len(stats.done) != args.files or len(files) != args.files:
        print(f"worker rendered {len(stats.done)} of {args.files}: {stats.failed}", file=sys.stderr)
        return 1
    worker_rate = args.files / worker_seconds
    print(f"worker ({args.processes} processes, {worker.png}): {args.files} files in "
          f"{worker_seconds:.1f} s = {worker_rate:.2f} files/s, "
          f"{worker_bytes / args.files / 1e6:.2f} MB/file", flush=True)  # fmt: skip
    db.dispose()

    result = {
        "speedup": round(worker_rate / loop_rate, 2),
        "size_ratio": round(worker_bytes / loop_bytes, 3),
        "files_per_s": round(worker_rate, 2),
        "loop_files_per_s": round(loop_rate, 2),
        "files": args.files,
        "processes": args.processes,
        "png": "banded" if worker.png.banded else f"pillow level {worker.png.compress_level}",
        "levels": levels,
        "load_after": [round(v, 2) for v in os.getloadavg()],
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
