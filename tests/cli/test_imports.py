"""`podtui run` paints before it loads the ORM: building the command line imports nothing heavy,
and the app's own module imports Textual but neither the ORM, Alembic, Pillow nor httpx (they
load after the first paint; importing them first cost the start ~0.8 s, caught by bench/startup)."""

from __future__ import annotations

import ast
import subprocess
import sys

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "PIL", "textual", "httpx")


def _heavy_loaded(statements: str) -> list[str]:
    """The heavy packages a fresh interpreter has loaded after running `statements`."""
    code = (
        f"import sys\n{statements}\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return list(ast.literal_eval(out.strip()))


def test_building_the_parser_loads_no_orm_ui_or_imaging_library() -> None:
    loaded = _heavy_loaded("from podtui.cli import build_parser\nbuild_parser()")
    assert loaded == [], f"imported at parse time: {loaded}"


def test_importing_the_app_loads_no_orm_migrations_imaging_or_http_library() -> None:
    loaded = _heavy_loaded("import podtui.app")
    assert loaded == ["textual"], f"imported with the app: {loaded}"
