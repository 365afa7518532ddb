"""Where podtui keeps things, and the TOML config file, validated strictly.

Precedence: command-line option > `PODTUI_...` environment variable > config file > default.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from podtui.domain.errors import DatabaseUnavailableError

APP_NAME = "podtui"


class ConfigError(Exception):
    """The config file says something podtui cannot use; the message names the key."""


def config_dir() -> Path:
    return Path(os.environ.get("PODTUI_CONFIG_DIR") or platformdirs.user_config_path(APP_NAME))


def data_dir() -> Path:
    return Path(os.environ.get("PODTUI_DATA_DIR") or platformdirs.user_data_path(APP_NAME))


def export_dir() -> Path:
    """Where exports go by default: the user's documents folder, or the data folder without one."""
    documents = platformdirs.user_documents_path()
    return documents if documents.is_dir() else data_dir()


def export_path(text: str) -> Path:
    """Where an export typed as `text` goes: `~` is the home folder, an absolute path stays,
    and a bare name or a relative path lands in `export_dir()`, never the working directory
    (podtui is often started from wherever the shell happened to be)."""
    path = Path(text.strip()).expanduser()
    return path if path.is_absolute() else export_dir() / path


def config_file() -> Path:
    return Path(os.environ.get("PODTUI_CONFIG") or config_dir() / "config.toml")


def default_database_path() -> Path:
    return data_dir() / "podtui.db"


def print_files_dir() -> Path:
    return data_dir() / "print-files"


@dataclass
class Config:
    """The validated config file."""

    database_url: str | None = None
    sync_interval_minutes: float = 15.0
    vendor_poll_minutes: float = 10.0  # how often the open app asks vendors for news; 0 = off
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> keys
    views: dict[str, str] = field(default_factory=dict)  # view name -> filter text
    theme: str = "textual-dark"
    image_protocol: str = "halfblock"  # halfblock | sixel | kitty
    print_file_base_url: str = ""  # public URL prefix vendors fetch print files from
    render_workers: int | None = None  # render processes the TUI runs; None: cores - 1; 0: off
    photo_timeout_seconds: float = 30.0  # a whole photo download, redirects included
    photo_max_mb: float = 64.0  # the largest photo downloaded
    photo_allowed_hosts: list[str] = field(default_factory=list)  # names, addresses, networks
    turnaround_days: dict[str, float] = field(default_factory=dict)  # store name -> promised days
    extra: dict[str, dict[str, Any]] = field(default_factory=dict)  # sections other modules own


# section -> {key: expected type}; sections listed in OWNED_SECTIONS are validated by their owner.
_SCHEMA: dict[str, dict[str, type | tuple[type, ...]]] = {
    "database": {"url": str},
    "sync": {"interval_minutes": (int, float), "vendor_poll_minutes": (int, float)},
    "ui": {"theme": str, "image_protocol": str},
    "render": {
        "print_file_base_url": str,
        "workers": int,
        "photo_timeout_seconds": (int, float),
        "photo_max_mb": (int, float),
        "photo_allowed_hosts": list,
    },
}
OWNED_SECTIONS = {"keymap", "views", "stores", "personalization"}
STORE_KEYS = (
    "turnaround_days",
    "auto_submit_hours",
)  # [stores."<name>"]: see docs/configuration.md


def _check(section: str, key: str, value: Any, expected: type | tuple[type, ...]) -> None:
    if not isinstance(value, expected) or isinstance(value, bool):
        names = (
            " or ".join(t.__name__ for t in expected)
            if isinstance(expected, tuple)
            else expected.__name__
        )
        raise ConfigError(f"[{section}] {key} must be {names}, not {value!r}")


def parse_config(data: dict[str, Any]) -> Config:
    """Validate a parsed TOML document into a Config; unknown sections and keys are errors."""
    cfg = Config()
    for section, body in data.items():
        if not isinstance(body, dict):
            raise ConfigError(f"{section} must be a [section], not {body!r}")
        if section in OWNED_SECTIONS:
            if section in ("keymap", "views"):
                for key, value in body.items():
                    _check(section, key, value, str)
                getattr(cfg, section).update(body)
            else:
                cfg.extra[section] = body
            continue
        schema = _SCHEMA.get(section)
        if schema is None:
            known = ", ".join(sorted([*_SCHEMA, *OWNED_SECTIONS]))
            raise ConfigError(f"unknown section [{section}] (known: {known})")
        for key, value in body.items():
            if key not in schema:
                raise ConfigError(
                    f"unknown key {key!r} in [{section}] (known: {', '.join(schema)})"
                )
            _check(section, key, value, schema[key])
    db = data.get("database", {})
    cfg.database_url = db.get("url")
    cfg.sync_interval_minutes = float(data.get("sync", {}).get("interval_minutes", 15.0))
    if cfg.sync_interval_minutes <= 0:
        raise ConfigError("[sync] interval_minutes must be more than 0")
    cfg.vendor_poll_minutes = float(data.get("sync", {}).get("vendor_poll_minutes", 10.0))
    if cfg.vendor_poll_minutes < 0:
        raise ConfigError("[sync] vendor_poll_minutes must be 0 (off) or more")
    ui = data.get("ui", {})
    cfg.theme = ui.get("theme", cfg.theme)
    cfg.image_protocol = ui.get("image_protocol", cfg.image_protocol)
    if cfg.image_protocol not in ("halfblock", "sixel", "kitty"):
        raise ConfigError("[ui] image_protocol must be halfblock, sixel or kitty")
    cfg.print_file_base_url = data.get("render", {}).get("print_file_base_url", "")
    cfg.render_workers = data.get("render", {}).get("workers")
    if cfg.render_workers is not None and cfg.render_workers < 0:
        raise ConfigError("[render] workers must be 0 (off) or more")
    _photo_settings(cfg, data.get("render", {}))
    cfg.turnaround_days = _turnarounds(data.get("stores", {}))
    return cfg


def _turnarounds(stores: dict[str, Any]) -> dict[str, float]:
    """`[stores."<name>"] turnaround_days = N`: the days promised to ship an order in."""
    out: dict[str, float] = {}
    for name, section in stores.items():
        if not isinstance(section, dict):
            raise ConfigError(f'[stores."{name}"] must be a [section], not {section!r}')
        unknown = sorted(set(section) - set(STORE_KEYS))
        if unknown:
            raise ConfigError(
                f'unknown key {unknown[0]!r} in [stores."{name}"] (known: {", ".join(STORE_KEYS)})'
            )
        if "turnaround_days" not in section:
            continue
        value = section["turnaround_days"]
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ConfigError(
                f'[stores."{name}"] turnaround_days must be a number of days, more than 0 '
                f"(leave it out for no promise), not {value!r}"
            )
        out[str(name)] = float(value)
    return out


def _photo_settings(cfg: Config, render: dict[str, Any]) -> None:
    """The `[render] photo_*` keys: how customer photos are downloaded (see docs/templates.md)."""
    for key in ("photo_timeout_seconds", "photo_max_mb"):
        value = float(render.get(key, getattr(cfg, key)))
        if value <= 0:
            raise ConfigError(f"[render] {key} must be more than 0")
        setattr(cfg, key, value)
    hosts = render.get("photo_allowed_hosts", [])
    for host in hosts:
        text = host.strip() if isinstance(host, str) else ""
        if not text or "://" in text or any(c in text for c in "@?# "):
            raise ConfigError(
                f"[render] photo_allowed_hosts: {host!r} is not a host name, an address or a "
                "network (such as photos.myshop.lan, 10.0.0.5 or 10.20.0.0/16)"
            )
        if ("/" in text or ":" in text) and not _is_network(text):
            raise ConfigError(
                f"[render] photo_allowed_hosts: {host!r} is not a network or an address "
                "(such as 10.20.0.0/16 or fd00::5; a host name goes without a port)"
            )
    cfg.photo_allowed_hosts = [h.strip() for h in hosts]


def _is_network(text: str) -> bool:
    try:
        ipaddress.ip_network(text.strip().strip("[]"), strict=False)
    except ValueError:
        return False
    return True


def load_config(path: Path | None = None) -> Config:
    """Read and validate the config file; a missing file is the defaults."""
    path = path or config_file()
    if not path.exists():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    try:
        return parse_config(data)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def render_workers(cfg: Config | None = None) -> int:
    """Render processes the TUI runs: PODTUI_RENDER_WORKERS, then `[render] workers`, else
    one fewer than the cores (at least one), so the list keeps a core; 0 turns it off."""
    env = os.environ.get("PODTUI_RENDER_WORKERS", "").strip()
    if env:
        if not env.isdigit():
            raise ConfigError(f"PODTUI_RENDER_WORKERS must be 0 or a whole number, not {env!r}")
        return int(env)
    if cfg is not None and cfg.render_workers is not None:
        return cfg.render_workers
    return max(1, (os.cpu_count() or 2) - 1)


def database_url_of(where: str) -> str:
    """A database named on the command line: a URL as it is, anything else a SQLite file."""
    if "://" in where:
        return where
    return f"sqlite:///{Path(where).expanduser().resolve()}"


def resolve_database_url(db_path: str | None, cfg: Config | None = None) -> str:
    """The SQLAlchemy URL to open: --db, then PODTUI_DATABASE_URL, then config, then default."""
    if db_path:
        return database_url_of(db_path)
    env = os.environ.get("PODTUI_DATABASE_URL")
    if env:
        return env
    if cfg is not None and cfg.database_url:
        return cfg.database_url
    return f"sqlite:///{default_database_path()}"


_SQLITE_URL = re.compile(r"^sqlite(\+\w+)?:///(?P<name>[^?]*)")


def sqlite_file(url: str) -> Path | None:
    """The file a `sqlite:///` URL names; None for another database or one in memory."""
    found = _SQLITE_URL.match(url)
    name = found.group("name") if found else ""
    return Path(name) if name and name != ":memory:" else None


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def check_database_file(path: Path) -> list[Path]:
    """The folders opening the SQLite file `path` will create (outermost first).

    Raises DatabaseUnavailableError, in one plain sentence, when the file cannot be opened for
    writing: it is a folder, a folder on its way is a file, or the file or its folder is
    read-only (SQLite writes its -wal and -shm files beside the database).
    """
    if path.is_dir():
        raise DatabaseUnavailableError(
            f"{path} is a folder, not a database file: name a file in it, such as "
            f"{path / 'podtui.db'}"
        )
    missing: list[Path] = []
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        missing.insert(0, folder)
        folder = folder.parent
    if not folder.is_dir():
        raise DatabaseUnavailableError(
            f"cannot create the database {path}: {folder} is a file, not a folder"
        )
    if not path.exists():
        if not _writable(folder):
            raise DatabaseUnavailableError(
                f"cannot create the database {path}: the folder {folder} is read-only"
            )
        return missing
    if not os.access(path, os.R_OK | os.W_OK):
        raise DatabaseUnavailableError(
            f"the database {path} is read-only: podtui needs to write it "
            "(check the file's permissions and owner)"
        )
    beside = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    if not _writable(path.parent) and not all(os.access(f, os.W_OK) for f in beside):
        raise DatabaseUnavailableError(
            f"the database {path} is in a read-only folder: SQLite needs to write its "
            f"-wal and -shm files beside it in {path.parent}"
        )
    return missing
