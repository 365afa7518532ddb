"""Before any test: the migrations form one line. Two branches that each added "the next"
migration leave two heads (or two files claiming one revision); every migrated test would then
fail with the same long Alembic error. This says it once, naming the files to renumber."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

VERSIONS = Path(__file__).resolve().parents[1] / "src" / "podtui" / "migrations" / "versions"


def _assigned(path: Path, name: str) -> str | None:
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        target = node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        value = getattr(node, "value", None)
        if isinstance(target, ast.Name) and target.id == name and isinstance(value, ast.Constant):
            return None if value.value is None else str(value.value)
    return None


def problem(versions: Path = VERSIONS) -> str | None:
    """What is wrong with the migration chain in `versions`, or None when it is one line."""
    files = sorted(versions.glob("*.py"))
    revisions = {f.name: _assigned(f, "revision") for f in files}
    downs = {f.name: _assigned(f, "down_revision") for f in files}
    twice = [r for r, n in Counter(revisions.values()).items() if n > 1]
    if twice:
        names = [f for f, r in revisions.items() if r in twice]
        return (
            f"two migration files claim revision {', '.join(map(str, twice))}: {', '.join(names)}"
        )
    pointed_at = set(downs.values())
    heads = [f for f, r in revisions.items() if r not in pointed_at]
    if len(heads) > 1:
        return (
            f"the migrations have {len(heads)} heads: {', '.join(heads)}; "
            "renumber the newer one to follow the other (revision and down_revision)"
        )
    return None
