"""The one-line check that the migration chain has a single head (tests/migration_heads.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests import migration_heads


def _copy(tmp_path: Path) -> Path:
    versions = tmp_path / "versions"
    shutil.copytree(migration_heads.VERSIONS, versions, ignore=shutil.ignore_patterns("__py*"))
    return versions


def _newest(versions: Path) -> Path:
    return sorted(versions.glob("0*.py"))[-1]


def test_the_project_has_one_line_of_migrations() -> None:
    assert migration_heads.problem() is None


def test_two_branches_adding_the_same_number_are_named(tmp_path: Path) -> None:
    versions = _copy(tmp_path)
    newest = _newest(versions)
    shutil.copyfile(newest, versions / f"{newest.stem}_other_branch.py")
    message = migration_heads.problem(versions)
    assert message is not None and newest.name in message and "other_branch" in message


def test_two_heads_with_their_own_numbers_are_named(tmp_path: Path) -> None:
    versions = _copy(tmp_path)
    newest = _newest(versions)
    text = newest.read_text(encoding="utf-8")
    revision = newest.name[:4]
    twin = text.replace(f'revision: str = "{revision}"', 'revision: str = "9999"')
    assert twin != text
    (versions / "9999_parallel.py").write_text(twin, encoding="utf-8")
    message = migration_heads.problem(versions)
    assert message is not None and "2 heads" in message and "9999_parallel.py" in message
