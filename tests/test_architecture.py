"""The layers of docs/architecture.md hold: import-linter's contracts pass, and catch a breach.

The contracts live in pyproject.toml (`[tool.importlinter]`) and `.ci/run` checks them. These
tests run `lint-imports` on a copy of the package, once as it is and once with a forbidden import
planted in a module, so a contract that stopped catching anything would fail here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import podtui

PACKAGE = Path(podtui.__file__).parent
ROOT = PACKAGE.parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _copy(tmp_path: Path) -> Path:
    """The package and its contracts in a temporary tree (never the working copy)."""
    shutil.copytree(PACKAGE, tmp_path / "src" / "podtui", ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    # The copy, not the installed package; wide enough that no contract name wraps.
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "COLUMNS": "200"}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _plant(tree: Path, module: str, line: str) -> None:
    path = tree / "src" / Path(*module.split(".")).with_suffix(".py")
    text = path.read_text(encoding="utf-8")
    # In a function, as the breaches found before these contracts were: still caught.
    path.write_text(text + f"\n\ndef _planted() -> None:\n    {line}\n", encoding="utf-8")


def test_the_package_keeps_every_contract(tmp_path: Path) -> None:
    result = _lint(_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("podtui.services.sync.pull", "import podtui.demo.sandboxes", "product never reaches"),
        ("podtui.screens.connections", "import podtui.adapters.stores.shopify", "screens and"),
        ("podtui.widgets.preview", "import sqlalchemy", "screens and widgets never"),
        ("podtui.services.items.actions", "import textual.app", "services never import"),
        ("podtui.domain.status", "import httpx", "domain imports no other"),
        ("podtui.adapters.vendors.printify", "import podtui.services.items", "adapters never"),
    ],
)
def test_a_planted_forbidden_import_breaks_its_contract(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    tree = _copy(tmp_path)
    _plant(tree, module, line)
    result = _lint(tree)
    assert result.returncode != 0, result.stdout
    broken = [row for row in result.stdout.splitlines() if row.endswith("BROKEN")]
    assert any(contract in row for row in broken), result.stdout
    assert module in result.stdout  # the report names the module that broke it


def test_importing_domain_and_services_loads_no_textual() -> None:
    """What the contracts cannot see: textual pulled in at run time through a third package."""
    code = (
        "import importlib, pkgutil, sys\n"
        "import podtui.domain, podtui.services\n"
        "for pkg in (podtui.domain, podtui.services):\n"
        "    for mod in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(mod.name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(len(loaded), loaded[:5])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert out.startswith("0 "), out


def test_screens_and_widgets_open_no_session() -> None:
    """A screen hands its database to a service; it never opens a transaction of its own."""
    offenders = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for folder in ("screens", "widgets")
        for path in sorted((PACKAGE / folder).rglob("*.py"))
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ".read() as " in text or ".write() as " in text
    ]
    assert offenders == []
