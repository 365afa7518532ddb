"""Relayed vendor webhooks (Printify, Printful) applied to the database, for `podtui webhook-apply`.

Shops that receive vendor webhooks elsewhere (a small web hook relay, a serverless function) hand
the bodies to podtui as files. Each body is recognised as Printify's (`type` "order:...",
`resource`) or Printful's (`type` "package_shipped" ..., `data.order`), parsed to a VendorOrder and
applied by `apply_vendor_order`, so a webhook and a poll have exactly the same effect, and the
same webhook applied twice changes nothing.

Whoever can hand podtui a file could write a body, so only an authenticated one is taken at its
word: a Printify body whose X-Pfy-Signature holds for the vendor's webhook secret. Any other body
is a hint: podtui reads the order it names back from the vendor's API (`status`, or `find` by our
external id) and applies that answer, never the body's status or tracking link. Printful signs
nothing, so its bodies are always read back. With a Printify webhook secret set, an unsigned
Printify body is refused: the relay lost the signature, or someone forged it.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from podtui.adapters.credentials import env_var_name, get_secret
from podtui.adapters.http import ApiError
from podtui.adapters.vendors import printful
from podtui.adapters.vendors.base import VendorOrder
from podtui.adapters.vendors.printify_webhook import is_printify_webhook, parse_printify_webhook
from podtui.db import Database
from podtui.domain.errors import DomainError, NotFoundError, ValidationError
from podtui.domain.models import Submission, Vendor
from podtui.services.connections.rate_limits import SharedLimits
from podtui.services.connections.reach import REAL, Reach
from podtui.services.connections.vendors import connect
from podtui.services.sending.vendor_status import (
    VendorUpdate,
    after_shipments,
    apply_vendor_order,
    find_submission,
)


@dataclass
class WebhookResult:
    """What one webhook body did: its kind and event, and the update (None: not followed)."""

    kind: str
    event: str
    update: VendorUpdate | None = None
    problem: str = ""
    checked_with: str = ""  # the vendor whose API was asked, when the body was only a hint

    @property
    def ok(self) -> bool:
        return not self.problem and (self.update is None or not self.update.problem)

    def text(self) -> str:
        head = f"{self.kind} {self.event}"
        if self.problem:
            return f"{head}: {self.problem}"
        if self.update is None:
            return f"{head}: not an order event podtui follows; ignored"
        if self.checked_with:
            return f"{head}: checked with {self.checked_with}: {self.update.text()}"
        return f"{head}: {self.update.text()}"


@dataclass
class WebhookBatch:
    results: list[WebhookResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)


def read_payloads(text: str) -> list[dict[str, Any]]:
    """One JSON object, a JSON array of them, or JSON lines; ValidationError when unreadable."""
    stripped = text.strip()
    if not stripped:
        raise ValidationError("The webhook file is empty; nothing was applied.")
    try:
        parsed: Any = json.loads(stripped)
    except json.JSONDecodeError as first:
        try:
            parsed = [json.loads(line) for line in stripped.splitlines() if line.strip()]
        except json.JSONDecodeError:
            raise ValidationError(
                f"The webhook file is not JSON (line {first.lineno}, column {first.colno}: "
                f"{first.msg}); nothing was applied."
            ) from first
    bodies = parsed if isinstance(parsed, list) else [parsed]
    bad = [n for n, body in enumerate(bodies, 1) if not isinstance(body, dict)]
    if bad:
        raise ValidationError(f"Webhook body {bad[0]} is not a JSON object; nothing was applied.")
    return bodies


def kind_of(payload: dict[str, Any]) -> str:
    """`printify` or `printful`; ValidationError when the body is neither vendor's webhook."""
    if is_printify_webhook(payload):
        return "printify"
    if isinstance(payload.get("type"), str) and isinstance(payload.get("data"), dict):
        return "printful"
    raise ValidationError(
        "Not a Printify or Printful webhook body (expected 'type' with 'resource' or 'data')."
    )


def parse(kind: str, payload: dict[str, Any]) -> VendorOrder | None:
    try:
        if kind == "printify":
            return parse_printify_webhook(payload)
        return printful.parse_webhook(payload)
    except ValueError as exc:
        raise ValidationError(f"{exc}; nothing was applied.") from exc


def _vendor_for(session: Session, kind: str, news: VendorOrder, vendor_name: str | None) -> Vendor:
    if vendor_name:
        vendor = session.exec(select(Vendor).where(col(Vendor.name) == vendor_name)).first()
        if vendor is None:
            raise NotFoundError(f"There is no vendor named {vendor_name!r}.")
        if vendor.kind != kind:
            raise ValidationError(
                f"Vendor {vendor_name!r} is a {vendor.kind} vendor, but this is a {kind} webhook."
            )
        return vendor
    candidates = list(session.exec(select(Vendor).where(col(Vendor.kind) == kind)).all())
    if not candidates:
        raise NotFoundError(f"There is no {kind} vendor in this database.")
    if len(candidates) == 1:
        return candidates[0]
    owning = [v for v in candidates if find_submission(session, v, news) is not None]
    if len(owning) == 1:
        return owning[0]
    names = ", ".join(v.name for v in candidates)
    raise ValidationError(
        f"Several {kind} vendors ({names}) and the order does not tell which: "
        "name one with --vendor."
    )


def apply_webhook(
    db: Database,
    payload: dict[str, Any],
    *,
    vendor_name: str | None = None,
    signed: bool = False,
    reach: Reach = REAL,
) -> WebhookResult:
    """Apply one body in its own transaction; one that cannot be applied changes nothing.

    `signed`: the body came with a Printify signature that `check_signature` verified. Any
    other body only says which order to read back from the vendor (see the module's doc).
    """
    kind = kind_of(payload)
    event = str(payload.get("type"))
    news = parse(kind, payload)
    if news is None:
        return WebhookResult(kind, event)
    checked_with = ""
    try:
        with db.read() as session:
            vendor = _vendor_for(session, kind, news, vendor_name)
            submission = find_submission(session, vendor, news)
        if not (signed and kind == "printify"):
            if kind == "printify" and webhook_secret(vendor):
                return WebhookResult(kind, event, problem=_unsigned(vendor))
            if submission is not None:
                news = _read_back(db, vendor, submission, reach)
                checked_with = vendor.name
        with db.write() as session:
            update = apply_vendor_order(session, vendor, news, source="webhook")
    except DomainError as exc:
        return WebhookResult(kind, event, problem=str(exc))
    asyncio.run(after_shipments(db, update.shipment_ids, reach=reach))
    return WebhookResult(kind, event, update, checked_with=checked_with)


def _unsigned(vendor: Vendor) -> str:
    return (
        f"not signed, and a webhook secret is set for {vendor.name}: Printify signs every "
        "webhook, so pass the X-Pfy-Signature header it came with (--signature); nothing was "
        "applied."
    )


def _read_back(db: Database, vendor: Vendor, submission: Submission, reach: Reach) -> VendorOrder:
    """What the vendor's API says about the submission's order (ValidationError: cannot ask)."""

    async def ask() -> VendorOrder | None:
        adapter = connect(vendor, reach=reach, limits=SharedLimits(db))
        try:
            if submission.vendor_order_id:
                return await adapter.status(submission.vendor_order_id)
            return await adapter.find(submission.idempotency_key)
        finally:
            await adapter.aclose()

    try:
        found = asyncio.run(ask())
    except (ApiError, LookupError, DomainError) as exc:
        raise ValidationError(
            f"the body is not signed and podtui could not check it with {vendor.name}: {exc}; "
            "nothing was applied (the next poll asks the vendor again)."
        ) from exc
    if found is None:
        raise ValidationError(
            f"the body is not signed and {vendor.name} does not know order "
            f"{submission.idempotency_key}; nothing was applied."
        )
    return found


def apply_webhook_text(
    db: Database,
    text: str,
    *,
    vendor_name: str | None = None,
    signed: bool = False,
    reach: Reach = REAL,
) -> WebhookBatch:
    """Every body in `text`, each in its own transaction; the batch says which did what."""
    batch = WebhookBatch()
    for payload in read_payloads(text):
        try:
            result = apply_webhook(db, payload, vendor_name=vendor_name, signed=signed, reach=reach)
        except ValidationError as exc:
            result = WebhookResult("?", str(payload.get("type")), problem=str(exc))
        batch.results.append(result)
    return batch


SECRET_FIELD = "webhook_secret"


def _account(vendor: Vendor) -> str:
    return str(vendor.settings.get("account") or vendor.name)


def webhook_secret(vendor: Vendor) -> str | None:
    """The Printify vendor's webhook secret (keyring or environment), if the shop set one."""
    if vendor.kind != "printify":
        return None
    return get_secret("printify", _account(vendor), SECRET_FIELD)


def verify_printify_signature(raw: bytes, header: str, secret: str) -> bool:
    """Whether `header` (X-Pfy-Signature, `sha256=<hex>`) is HMAC-SHA256(secret, raw body)."""
    algorithm, _, given = header.strip().partition("=")
    if algorithm.lower() != "sha256" or not given:
        return False
    expected = hmac.new(secret.encode("utf-8"), raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given.strip().lower())


def check_signature(db: Database, raw: bytes, header: str, vendor_name: str | None = None) -> None:
    """Refuse (ValidationError, nothing applied) a Printify body whose signature does not hold."""
    with db.read() as session:
        query = select(Vendor).where(col(Vendor.kind) == "printify")
        if vendor_name:
            query = query.where(col(Vendor.name) == vendor_name)
        vendors = list(session.exec(query).all())
    if len(vendors) != 1:
        raise ValidationError(
            "Checking a signature needs exactly one Printify vendor: name it with --vendor."
        )
    vendor = vendors[0]
    secret = webhook_secret(vendor)
    if not secret:
        account = _account(vendor)
        raise ValidationError(
            f"No webhook secret for {vendor.name}: put it in the keyring or in "
            f"{env_var_name('printify', account, SECRET_FIELD)}; nothing was applied."
        )
    if not verify_printify_signature(raw, header, secret):
        raise ValidationError(
            "The signature does not match the body (wrong secret, or the body was changed "
            "on its way); nothing was applied."
        )
