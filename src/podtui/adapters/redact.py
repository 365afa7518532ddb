"""Secrets scrubbed out of any text podtui keeps or shows: messages, stored errors, logs, output.

A secret leaks in more forms than the one podtui holds: an error page that echoes the request
shows the `Authorization: Basic ...` header (base64 of `key:secret`), a proxy's page shows a URL
with the secret percent-encoded, a JSON body escapes it, a debug page shows `Bearer ...`. Every
secret podtui reads (the keyring or a `PODTUI_*` variable, the login of an API client) is
remembered here for the life of the process, and `scrub` masks each of its forms, and any
`Basic`/`Bearer` credential or `consumer_secret=`-style parameter whose value it does not know.

Text is scrubbed where it leaves podtui's hands: an `ApiError` when it is made, the services
when they store a reason (the store row, sync problems, a failed send, the timeline), the CLI
when it prints one, and the loggers from `get_logger` before any handler sees a record.
"""

from __future__ import annotations

import base64
import html
import json
import logging
import re
import threading
from typing import TypeVar, cast
from urllib.parse import quote, quote_plus

T = TypeVar("T")
MASK = "***"
MIN_LENGTH = 6  # shorter values would mask ordinary words; no real credential is this short

# Credentials whose value podtui does not know: an echoed header or a parameter.
_ANY_CREDENTIAL = [
    # The value must hold a digit or a symbol, so "basic settings" stays as it is.
    re.compile(r"\b((?i:basic|bearer)\s+)(?=[\w+/=.~-]*[\d+/=_.~-])[\w+/=.~-]{8,}"),
    re.compile(
        r"(?i)\b((?:consumer_key|consumer_secret|client_secret|access_token|refresh_token"
        r"|api_key|apikey|password)(?:=|%3D|[\"']?\s*:\s*[\"']?))[^&\s\"'<>,;}]+"
    ),
    re.compile(
        r"(?i)\b((?:x-shopify-access-token|authorization)[\"']?\s*:\s*[\"']?"
        r"(?:(?:basic|bearer|token)\s+)?)[^\s\"'<>,;}]+"
    ),
]

# A cheap first look (on the lower-cased text): the patterns above only run when one is there.
_CREDENTIAL_WORDS = re.compile(
    "basic|bearer|consumer_|client_secret|token|api_key|apikey|password|authorization"
)

_lock = threading.Lock()
_secrets: set[str] = set()
_forms: re.Pattern[str] | None = None  # every form of every secret, longest first


def _base64(raw: str) -> set[str]:
    data = raw.encode("utf-8")
    # Unpadded: a padded copy holds it, and "=" may be escaped or cut off.
    return {
        base64.b64encode(data).decode("ascii").rstrip("="),
        base64.urlsafe_b64encode(data).decode("ascii").rstrip("="),
    }


def forms_of(secret: str) -> set[str]:
    """The ways `secret` shows up in text: plain, percent-encoded, escaped, base64."""
    out = {secret, html.escape(secret), json.dumps(secret)[1:-1], secret.replace("/", "\\/")}
    for encoded in (quote(secret, safe=""), quote(secret), quote_plus(secret)):
        out.add(encoded)
        out.add(re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), encoded))
    # Basic auth sends base64 of "user:password"; a token may be either half of it.
    for raw in (secret, f"{secret}:", f":{secret}"):
        out |= _base64(raw)
    return {f for f in out if len(f) >= MIN_LENGTH}


def remember(*secrets: str | None) -> None:
    """Mask these values, in every form, in whatever is scrubbed from now on."""
    global _forms
    fresh = {s for s in secrets if s and len(s) >= MIN_LENGTH} - _secrets
    if not fresh:
        return
    with _lock:
        _secrets.update(fresh)
        forms = set().union(*(forms_of(s) for s in _secrets))
        # One pattern, longest form first, so "key:secret" is masked whole, not around "secret".
        _forms = re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)))


def remember_login(user: str | None, password: str | None) -> None:
    """A user and password sent together (HTTP Basic): each, and `user:password` as one."""
    remember(user, password)
    if user and password:
        remember(f"{user}:{password}")


def scrub(text: str) -> str:
    """`text` with every remembered secret, in every form, and any credential value masked."""
    if not text:
        return text
    forms = _forms
    if forms is not None:
        text = forms.sub(MASK, text)
    if _CREDENTIAL_WORDS.search(text.lower()):
        for pattern in _ANY_CREDENTIAL:
            text = pattern.sub(_keep_label, text)
    return text


def _keep_label(found: re.Match[str]) -> str:
    return found.group(1) + MASK


def scrub_value(value: T) -> T:
    """`value` with its strings scrubbed, inside lists and dicts too (an event's params)."""
    out: object = value
    if isinstance(value, str):
        out = scrub(value)
    elif isinstance(value, dict):
        out = {k: scrub_value(v) for k, v in value.items()}
    elif isinstance(value, list | tuple):
        out = type(value)(scrub_value(v) for v in value)
    return cast(T, out)


class ScrubFilter(logging.Filter):
    """Scrubs a record's message, traceback and stack before any handler formats them."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage())
        record.args = None
        if record.exc_info:
            # The traceback quotes exception messages: format it here, scrubbed, once.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


_FILTER = ScrubFilter()


def get_logger(name: str) -> logging.Logger:
    """A logger whose records are scrubbed: how every podtui module gets its logger."""
    logger = logging.getLogger(name)
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    return logger
