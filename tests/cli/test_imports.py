"""`podtui run` paints before it loads the ORM: building the command line imports nothing heavy,
and the app's own module imports Textual but neither the ORM, Alembic, Pillow nor httpx (they
load after the first paint; importing them first cost the start ~0.8 s, caught by bench/startup)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "PIL", "textual", "httpx")


def test_building_the_parser_loads_no_orm_ui_or_imaging_library() -> None:
    code = (
        "import sys\n"
        "from podtui.cli import build_parser\n"
        "build_parser()\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]", f"imported at parse time: {out.strip()}"


def test_importing_the_app_loads_no_orm_migrations_imaging_or_http_library() -> None:
    code = (
        "import sys\n"
        "import podtui.app\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "['textual']", f"imported with the app: {out.strip()}"
