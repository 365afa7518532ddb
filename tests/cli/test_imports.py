"""`podtui run` paints before it loads the ORM: building the command line imports nothing heavy."""

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
