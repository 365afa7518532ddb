"""The scrubber: every form of a remembered secret is masked, ordinary words are not."""

from __future__ import annotations

import base64
import json
import logging
import re
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from podtui.adapters.http import ApiError
from podtui.adapters.redact import get_logger, remember, remember_login, scrub, scrub_value

USER, PASSWORD = "ck_unit+key/1", "cs_unit=pw&2"
TOKEN = "tok_unit/abc+def"


@pytest.fixture(autouse=True, scope="module")
def _known() -> None:
    remember_login(USER, PASSWORD)
    remember(TOKEN)


def b64(text: str, alphabet: str = "std") -> str:
    encode = base64.b64encode if alphabet == "std" else base64.urlsafe_b64encode
    return encode(text.encode()).decode()


@pytest.mark.parametrize(
    "form",
    [
        PASSWORD,
        f"Basic {b64(f'{USER}:{PASSWORD}')}",
        b64(f"{USER}:{PASSWORD}", "url"),
        quote(PASSWORD, safe=""),
        quote(PASSWORD, safe="").lower(),
        quote_plus(PASSWORD),
        json.dumps(TOKEN)[1:-1],
        TOKEN.replace("/", "\\/"),
        f"Bearer {TOKEN}",
        b64(TOKEN),
        b64(f"{TOKEN}:"),
    ],
)
def test_every_form_of_a_remembered_secret_is_masked(form: str) -> None:
    text = scrub(f"the server said: {form} (see above)")
    assert text.startswith("the server said: ") and text.endswith(" (see above)")
    for secret in (USER, PASSWORD, TOKEN):
        assert secret not in text
    assert form not in text and "***" in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Authorization: Basic dXNlcjpwYXNzd29yZDE=", "Authorization: Basic ***"),
        ("authorization: Token 0ff1ce", "authorization: Token ***"),
        ("sent Bearer eyJhbGciOi.J9x_y-z", "sent Bearer ***"),
        ("GET /orders?consumer_key=ck_1&consumer_secret=cs_2&page=3",
         "GET /orders?consumer_key=***&consumer_secret=***&page=3"),
        ('{"access_token": "shpat_0ff1ce"}', '{"access_token": "***"}'),
        ("X-Shopify-Access-Token: shpat_0ff1ce", "X-Shopify-Access-Token: ***"),
    ],
)  # fmt: skip
def test_credentials_podtui_does_not_know_are_masked_too(text: str, expected: str) -> None:
    assert scrub(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Invalid token provided",
        "basic settings are missing",
        "the secret is empty; nothing was changed",
        "Bearer of bad news",
        "HTTP 401: Sorry, you cannot list resources.",
        "",
    ],
)
def test_ordinary_words_are_left_alone(text: str) -> None:
    assert scrub(text) == text


def test_values_inside_params_are_scrubbed() -> None:
    params = {"reason": f"echo {PASSWORD}", "n": 3, "lines": [f"Bearer {TOKEN}", "ok"]}
    assert scrub_value(params) == {"reason": "echo ***", "n": 3, "lines": ["Bearer ***", "ok"]}


def test_an_api_error_is_scrubbed_when_made() -> None:
    error = ApiError("Shop", f"refused {TOKEN}", raw=f"<pre>Basic {b64(f'{USER}:{PASSWORD}')}")
    assert TOKEN not in str(error) and USER not in error.raw and "Basic ***" in error.raw


def test_log_records_are_scrubbed_before_any_handler(caplog: pytest.LogCaptureFixture) -> None:
    log = get_logger("podtui.test_redact")
    with caplog.at_level(logging.DEBUG, logger="podtui.test_redact"):
        log.warning("store said %s", f"Authorization: Basic {b64(f'{USER}:{PASSWORD}')}")
        try:
            raise RuntimeError(f"boom {TOKEN}")
        except RuntimeError:
            log.exception("failed with %s", PASSWORD)
    assert "store said Authorization: Basic ***" in caplog.text
    assert "RuntimeError: boom ***" in caplog.text and "failed with ***" in caplog.text
    for secret in (USER, PASSWORD, TOKEN):
        assert secret not in caplog.text


def test_every_module_of_the_product_logs_through_the_scrubbing_loggers() -> None:
    src = Path(__file__).parents[2] / "src" / "podtui"
    direct = [
        str(path.relative_to(src))
        for path in src.rglob("*.py")
        if re.search(r"logging\.getLogger\(", path.read_text(encoding="utf-8"))
        and path.name != "redact.py"
        and "sandbox" not in path.parts
    ]
    assert direct == [], "use podtui.adapters.redact.get_logger"
