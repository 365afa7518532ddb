"""Vendor refusals for the demo, in the bodies the real APIs send (shared/reference/apis.md).

Printify errors are `{"status":"error","code":8103,"message":"Validation failed.","errors":{...}}`
with the field errors as a JSON string in `errors.reason`; Printful v1 errors are the envelope
`{"code":400,"result":"...","error":{"reason":"BadRequest","message":"..."}}`; the hot folder fails
the way a file system does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a send failed, as a Submission row keeps it."""

    code: str
    http_status: int | None
    message: str
    raw: str | None

    def for_path(self, path: str) -> Failure:
        """The same failure naming the vendor's real hot-folder path."""
        if "{path}" not in self.message:
            return self
        return replace(
            self,
            message=self.message.replace("{path}", path),
            raw=None if self.raw is None else self.raw.replace("{path}", path),
        )


def _printify(reason: dict[str, list[str]] | str, code: int = 8103, message: str = "") -> Failure:
    message = message or ("Validation failed." if code == 8103 else "Operation failed.")
    reason_text = reason if isinstance(reason, str) else json.dumps(reason)
    body = {
        "status": "error",
        "code": code,
        "message": message,
        "errors": {"reason": reason_text, "code": code},
    }
    if isinstance(reason, dict):
        detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in reason.items())
    else:
        detail = reason
    return Failure(str(code), 400, f"{message} {detail}", json.dumps(body))


def _printful(status: int, reason: str, result: str, message: str | None = None) -> Failure:
    body = {
        "code": status,
        "result": result,
        "error": {"reason": reason, "message": message or result},
    }
    return Failure(reason, status, message or result, json.dumps(body))


PRINTIFY: tuple[Failure, ...] = (
    _printify(
        "Variant 17887 is out of stock with print provider 29 (Monster Digital).", code=10300
    ),
    Failure(
        "429", 429, "Too Many Attempts. (gave up after 5 tries)", '{"message":"Too Many Attempts."}'
    ),
    Failure(
        "503",
        503,
        "Service Unavailable (gave up after 5 tries)",
        "<html><head><title>503 Service Temporarily Unavailable</title></head><body>"
        "<center><h1>503 Service Temporarily Unavailable</h1></center></body></html>",
    ),
    Failure("timeout", None, "ReadTimeout: api.printify.com did not answer within 30 s", None),
)

PRINTFUL: tuple[Failure, ...] = (
    _printful(
        400,
        "BadRequest",
        "Item 0: Print file is too small for placement 'front' (1800x1800 px, needs 3600x4800)",
    ),
    _printful(
        402,
        "PaymentRequired",
        "Payment required",
        "Payment required: the card on file was declined",
    ),
    _printful(404, "NotFound", "Item 0: Product variant 4011 is discontinued"),
    Failure(
        "429",
        429,
        "You've recently sent too many requests. Please try again after 60 seconds.",
        '{"code":429,"result":"You\'ve recently sent too many requests. Please try again after '
        '60 seconds.","error":{"reason":"TooManyRequests","message":"You\'ve recently sent too '
        'many requests. Please try again after 60 seconds."}}',
    ),
)

HOTFOLDER: tuple[Failure, ...] = (
    Failure(
        "EACCES", None, "[Errno 13] Permission denied: '{path}/incoming/.ticket.json.tmp'", None
    ),
    Failure("ENOSPC", None, "[Errno 28] No space left on device: '{path}/incoming'", None),
    Failure(
        "ENOENT",
        None,
        "Hot folder {path}/incoming does not exist (is the RIP share mounted?)",
        None,
    ),
)

# Refusals of the address itself are made from the order's address (address_refusals), so a
# refusal never names another country or calls a field missing that the order has.


@dataclass(frozen=True, slots=True)
class Address:
    """What an address refusal may quote of the order's shipping address."""

    country: str
    state: str
    postcode: str
    phone: str


def address_refusals(vendor: str, a: Address) -> tuple[Failure, ...]:
    """The vendor's refusals that fit this address, in the vendor's own shapes."""
    if vendor == "printify":
        found = [
            _printify(
                {
                    "zip": [
                        f"The zip {a.postcode} is invalid for the selected country ({a.country})."
                    ]
                }
            ),
            _printify({"phone": [f"The phone format is invalid: {a.phone}."]}),
        ]
        if a.state:
            found.append(
                _printify(
                    {"region": [f"The region {a.state} does not match the zip {a.postcode}."]}
                )
            )
        else:
            found.append(
                _printify(
                    {"address1": [f"The address could not be verified for country {a.country}."]}
                )
            )
        return tuple(found)
    if vendor == "printful":
        if a.state:
            zip_reason = f"Recipient: ZIP code {a.postcode} does not match the state {a.state}"
        else:
            zip_reason = f"Recipient: ZIP code {a.postcode} is not valid for country {a.country}"
        return (
            _printful(
                400, "BadRequest", f"Invalid address: no such street at {a.postcode} ({a.country})"
            ),
            _printful(400, "BadRequest", zip_reason, zip_reason),
        )
    return ()


FAILURES: dict[str, tuple[Failure, ...]] = {
    "printify": PRINTIFY,
    "printful": PRINTFUL,
    "hotfolder": HOTFOLDER,
    "manual": (),
}
