"""`podtui connect shopify|woocommerce|printful|printify|hotfolder|manual ...`.

For a system with an API the secret is asked for without echo (or read from standard input with
`--secret-stdin`, for scripts), tested against the API, kept in the keyring and the row recorded.
On a box without a keyring the command says which `PODTUI_...` variable must hold the secret
instead. The secret is never printed. `--url` points any of them at another address (a proxy, a
test server); `--rate-per-min` lowers the request rate podtui allows itself. A hot folder
(`--path DIR`, `--queue NAME[=FOLDER]`...) and a manual vendor have no API and no secret.
Exit status: 0 connected, 1 the store refused, 2 bad input, 3 connected but the secret could not
be kept (no keyring: set the named variable).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from podtui.cli.common import open_db
from podtui.domain.errors import DomainError, ValidationError

# The adapters and services (httpx, the ORM) load in `run`: `podtui run` builds this parser
# too, and must not pay for them before its first paint (tests/test_cli_imports.py).
VENDOR_KINDS = ("printful", "printify")
LOCAL_KINDS = ("hotfolder", "manual")


def _rate(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("a rate is more than 0 requests a minute")
    return value


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "connect",
        help="connect a store: test its secret against the API and keep it in the keyring",
        description=__doc__,
    )
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    shopify = kinds.add_parser("shopify", help="a Shopify shop (Admin API access token)")
    shopify.add_argument("--shop", help="the shop: NAME, NAME.myshopify.com or its admin URL")
    shopify.add_argument(
        "--url", default="", help="API address to use instead of the shop's (a proxy)"
    )
    shopify.add_argument(
        "--api-version", default=None, help="Admin API version (default: the one podtui speaks)"
    )
    woo = kinds.add_parser("woocommerce", help="a WooCommerce site (REST API key and secret)")
    woo.add_argument("--url", required=True, help="the site's address, e.g. https://shop.example")
    vendors = []
    for kind, label in (("printful", "Printful"), ("printify", "Printify")):
        vendor = kinds.add_parser(kind, help=f"the {label} vendor (API token)")
        vendor.add_argument("--url", default="", help="API base URL (default: the real API)")
        vendor.add_argument(
            "--store-id" if kind == "printful" else "--shop-id",
            dest="vendor_store",
            type=int,
            help="Printful store id (account-level tokens)"
            if kind == "printful"
            else "Printify shop id (GET /v1/shops.json lists them)",
        )
        vendors.append(vendor)
    hot = kinds.add_parser("hotfolder", help="the shop's own printers, fed through a hot folder")
    hot.add_argument("--name", required=True, help="what podtui calls it")
    hot.add_argument(
        "--path", required=True, help="the folder the RIP watches (must exist and be writable)"
    )
    hot.add_argument(
        "--queue",
        action="append",
        default=[],
        metavar="NAME[=FOLDER]",
        help="a queue (printer or product type): a subfolder NAME, or its own FOLDER; repeat",
    )
    manual = kinds.add_parser("manual", help="a vendor podtui never sends to (marked by hand)")
    manual.add_argument("--name", required=True, help="what podtui calls it")
    for sub in (hot, manual):
        sub.set_defaults(func=run)
    for sub in (shopify, woo, *vendors):
        sub.add_argument("--name", help="what podtui calls it (default: from the address)")
        sub.add_argument(
            "--rate-per-min",
            type=_rate,
            default=None,
            metavar="N",
            help="requests a minute podtui allows itself (default: the API's documented limit)",
        )
        sub.add_argument(
            "--secret-stdin",
            action="store_true",
            help="read the secret from standard input instead of prompting "
            "(WooCommerce: 'ck_...:cs_...' on one line, or key and secret on two lines)",
        )
        sub.set_defaults(func=run)


def _read_secret(args: argparse.Namespace) -> str:
    if args.kind in VENDOR_KINDS:
        if args.secret_stdin:
            return sys.stdin.readline().strip()
        return getpass.getpass(f"{args.kind.capitalize()} API token: ").strip()
    if args.kind == "shopify":
        if args.secret_stdin:
            return sys.stdin.readline().strip()
        return getpass.getpass("Admin API access token (shpat_...): ").strip()
    if args.secret_stdin:
        first = sys.stdin.readline().strip()
        if ":" in first:
            return first
        return f"{first}:{sys.stdin.readline().strip()}"
    key = getpass.getpass("Consumer key (ck_...): ").strip()
    secret = getpass.getpass("Consumer secret (cs_...): ").strip()
    return f"{key}:{secret}"


def _default_name(url: str) -> str:
    host = url.split("://", 1)[-1].split("/", 1)[0]
    return host.removesuffix(".myshopify.com")


def run(args: argparse.Namespace) -> int:
    if args.kind in LOCAL_KINDS:
        return _run_local(args)
    if args.kind in VENDOR_KINDS:
        return _run_vendor(args)
    from podtui.adapters.http import ApiError
    from podtui.adapters.stores.shopify import API_VERSION, shop_base_url
    from podtui.services.connections.connect import ConnectError, connect_store

    if args.kind == "shopify":
        if not (args.shop or args.url):
            print("podtui: connect shopify needs --shop (or --url)", file=sys.stderr)
            return 2
        base_url = (args.url or shop_base_url(args.shop)).strip().rstrip("/")
        settings: dict[str, Any] = {"api_version": args.api_version or API_VERSION}
    else:
        base_url = args.url.strip().rstrip("/")
        if "://" not in base_url:
            base_url = f"https://{base_url}"
        settings = {}
    if args.rate_per_min is not None:
        settings["rate_limit_per_min"] = args.rate_per_min
    shop = getattr(args, "shop", None)
    name = args.name or _default_name(shop_base_url(shop) if shop else base_url)
    secret = _read_secret(args)
    if not secret.strip(": "):
        print("podtui: no secret given; nothing was changed", file=sys.stderr)
        return 2
    db = open_db(args)
    try:
        result = connect_store(
            db, kind=args.kind, name=name, base_url=base_url, secret=secret, settings=settings
        )
    except ApiError as exc:
        # ApiError never carries the secret; say what the store answered and change nothing.
        print(
            f"podtui: {name}: the store refused or could not be reached: {exc}\n"
            "Nothing was changed. Check the address and the secret, then try again.",
            file=sys.stderr,
        )
        return 1
    except (ConnectError, DomainError) as exc:
        print(f"podtui: {exc}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    return _report(result)


def _report(result: Any) -> int:
    print(result.summary())
    return 0 if result.stored else 3


def _run_vendor(args: argparse.Namespace) -> int:
    from podtui.adapters.http import ApiError
    from podtui.services.connections.connect import ConnectError, connect_vendor

    name = args.name or args.kind.capitalize()
    settings = {}
    if args.vendor_store is not None:
        settings["store_id" if args.kind == "printful" else "shop_id"] = args.vendor_store
    secret = _read_secret(args)
    if not secret:
        print("podtui: no token given; nothing was changed", file=sys.stderr)
        return 2
    db = open_db(args)
    try:
        result = connect_vendor(
            db,
            kind=args.kind,
            name=name,
            secret=secret,
            base_url=args.url,
            settings=settings,
            rate_limit_per_min=args.rate_per_min,
        )
    except ApiError as exc:
        print(
            f"podtui: {name}: the vendor refused the token or could not be reached: {exc}\n"
            "Nothing was changed.",
            file=sys.stderr,
        )
        return 1
    except (ConnectError, DomainError) as exc:
        print(f"podtui: {exc}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    return _report(result)


def _run_local(args: argparse.Namespace) -> int:
    from podtui.services.connections.local import add_hotfolder_vendor, add_manual_vendor

    db = open_db(args)
    try:
        if args.kind == "hotfolder":
            result = add_hotfolder_vendor(db, name=args.name, path=args.path, queues=args.queue)
        else:
            result = add_manual_vendor(db, name=args.name)
    except ValidationError as exc:
        print(f"podtui: {exc.args[0]}", file=sys.stderr)
        for field_name, why in exc.fields.items():
            print(f"  {field_name}: {why}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    print(result.summary())
    return 0
