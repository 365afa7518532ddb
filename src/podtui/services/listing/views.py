"""Named views: a filter saved under a name in the config file's `[views]` section.

The file is edited with tomlkit, so the operator's comments, order and formatting survive.
"""

from __future__ import annotations

import re
from pathlib import Path

import tomlkit

from podtui.config import config_file
from podtui.domain.errors import ValidationError

_NAME = re.compile(r"^[\w][\w .-]{0,39}$")


def check_view_name(name: str) -> str:
    name = name.strip()
    if not _NAME.match(name):
        raise ValidationError(
            f"Cannot name a view {name!r}.",
            fields={"name": "letters, digits, spaces, - . and _, at most 40"},
        )
    return name


def save_view(name: str, filter_text: str, path: Path | None = None) -> Path:
    """Write (or replace) view `name` in the config file; returns the file written."""
    name = check_view_name(name)
    path = path or config_file()
    doc = tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()
    views = doc.get("views")
    if views is None:
        views = tomlkit.table()
        doc["views"] = views
    views[name] = filter_text
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(tomlkit.dumps(doc), encoding="utf-8")
    tmp.replace(path)
    return path
