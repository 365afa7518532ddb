"""docs/architecture.md's package map names every module of src/podtui, and nothing that is gone.

The map is one line per module (`- `path`: what it holds`), so a branch that adds a module adds
one line of its own instead of editing a shared paragraph; this test is what keeps the map true.
"""

from __future__ import annotations

import re
from pathlib import Path

import podtui

PACKAGE = Path(podtui.__file__).parent
DOC = PACKAGE.parents[1] / "docs" / "architecture.md"
ENTRY = re.compile(r"^- `([^`]+)`: \S")


def _map_lines() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("\n## Packages\n", 1)[1].split("\n## ", 1)[0]
    return section.splitlines()


def _named() -> list[str]:
    return [m.group(1) for line in _map_lines() if (m := ENTRY.match(line))]


def _modules() -> set[str]:
    """Every module and package of the tree, as the map spells them (`a/b.py`, `a/`)."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if relative.parts[:2] == ("migrations", "versions"):
            continue  # the migrations are named by their folder, not one by one
        if relative.name == "__init__.py":
            if len(relative.parts) > 1:
                found.add(relative.parent.as_posix() + "/")
            continue
        found.add(relative.as_posix())
    return found


def test_every_module_has_its_line() -> None:
    missing = sorted(_modules() - set(_named()))
    assert not missing, f"docs/architecture.md's package map lacks: {missing}"


def test_every_line_names_something_that_exists() -> None:
    gone = [name for name in _named() if not (PACKAGE / name.rstrip("/")).exists()]
    assert not gone, f"docs/architecture.md's package map names what is not there: {gone}"


def test_each_module_is_named_once() -> None:
    named = _named()
    twice = sorted({name for name in named if named.count(name) > 1})
    assert not twice, twice
