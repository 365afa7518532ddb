"""domain/ and services/ never import textual, and imports only point down."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import podtui

PACKAGE = Path(podtui.__file__).parent
UI = ("textual", "podtui.screens", "podtui.widgets", "podtui.app")
FORBIDDEN = {
    "domain": (*UI, "podtui.services", "podtui.adapters", "podtui.db", "podtui.cli"),
    "services": (*UI, "podtui.cli"),
}


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level:
            pytest.fail(f"{path}: use absolute imports so layering can be checked")
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_point_down(layer: str) -> None:
    files = sorted((PACKAGE / layer).rglob("*.py"))
    assert files
    for path in files:
        for name in _imports(path):
            bad = [f for f in FORBIDDEN[layer] if name == f or name.startswith(f + ".")]
            assert not bad, f"{path.relative_to(PACKAGE)} imports {name}"


def test_importing_domain_and_services_loads_no_textual() -> None:
    """Also catches textual pulled in indirectly, through a third module."""
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
