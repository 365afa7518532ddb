"""Secrets for stores and vendors: the system keyring, or `PODTUI_*` variables on a headless box.

Secrets never go to the database, the config file, the logs or an error message: every secret
read or kept here is remembered by `redact`, which masks it in whatever podtui stores or shows.
On a machine with no keyring backend (a headless print-shop box over ssh) podtui reads
environment variables instead and says so plainly.
"""

from __future__ import annotations

import contextlib
import os
import re

import keyring
import keyring.errors
from keyring.backends import fail

from podtui.adapters.redact import remember

SERVICE = "podtui"


def env_var_name(system: str, account: str, field: str = "token") -> str:
    """`PODTUI_<SYSTEM>_<ACCOUNT>_<FIELD>`, upper-case, non-alphanumerics as underscores."""
    raw = f"PODTUI_{system}_{account}_{field}"
    return re.sub(r"[^A-Za-z0-9]+", "_", raw).upper()


def keyring_available() -> bool:
    """Whether a real keyring backend is there to keep secrets in."""
    backend = keyring.get_keyring()
    return not isinstance(backend, fail.Keyring) and float(backend.priority) > 0


def _key(system: str, account: str, field: str) -> str:
    return f"{system}:{account}:{field}"


def get_secret(system: str, account: str, field: str = "token") -> str | None:
    """The secret from the keyring, else from its environment variable, else None."""
    if keyring_available():
        try:
            value = keyring.get_password(SERVICE, _key(system, account, field))
        except keyring.errors.KeyringError:
            value = None
        if value:
            remember(value)
            return value
    value = os.environ.get(env_var_name(system, account, field)) or None
    remember(value)
    return value


class NoKeyringError(RuntimeError):
    """There is no keyring to store into; the message says which variable to set instead."""


def set_secret(system: str, account: str, value: str, field: str = "token") -> None:
    """Store the secret in the keyring, or explain which environment variable to use."""
    remember(value)
    if not keyring_available():
        raise NoKeyringError(
            "No keyring is available on this machine (headless?). Put the secret in the "
            f"environment variable {env_var_name(system, account, field)} instead, e.g. in the "
            "service unit or the shell profile of the operator account."
        )
    keyring.set_password(SERVICE, _key(system, account, field), value)


def delete_secret(system: str, account: str, field: str = "token") -> None:
    if keyring_available():
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(SERVICE, _key(system, account, field))


def where_secrets_live() -> str:
    """One plain sentence for the UI and `podtui config path`."""
    if keyring_available():
        return f"system keyring ({type(keyring.get_keyring()).__name__})"
    return "environment variables PODTUI_<SYSTEM>_<ACCOUNT>_TOKEN (no keyring on this machine)"
