"""The send's shipping method: offered per vendor, stored on the submission before the call, the
same on a recovery resend, and kept (or changed when chosen again) on a retry."""

from __future__ import annotations

import pytest

from podtui.cli import main
from podtui.domain.status import ItemStatus as S
from podtui.sandbox.printify import SandboxPrintify
from podtui.services.connections.vendors import connector
from podtui.services.sending import submissions
from podtui.services.sending.fulfil import SendOptions, send_items
from podtui.services.sending.recovery import recover
from podtui.services.sending.shipping_choice import shipping_offers
from tests.services.sending.conftest import Shop

VendorApi = tuple[SandboxPrintify, str]


def _with(fast: SendOptions, **shipping: str) -> SendOptions:
    return SendOptions(backoff=fast.backoff, shipping={int(k[1:]): v for k, v in shipping.items()})


def test_one_order_is_quoted_with_costs_and_the_cheapest_is_the_default(
    shop: Shop, vendor_api: VendorApi
) -> None:
    sandbox, _ = vendor_api
    item = shop.item()
    [offer] = shipping_offers(shop.db, [item], connect=connector())
    assert offer.vendor_id == shop.vendor_id and offer.vendor_name == "Printify test"
    assert [o.method for o in offer.options] == ["standard", "priority", "printify_express"]
    assert all(o.cost_cents for o in offer.options) and offer.quoted
    assert offer.default == "standard"
    assert "$" in offer.options[0].text()
    assert sandbox.created == []  # asking the price sends nothing


def test_the_quote_asks_about_the_very_order_the_send_makes(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    import json

    sandbox, _ = vendor_api
    order = shop.order()
    items = [shop.item(order_id=order), shop.item(order_id=order, quantity=3)]
    shipping_offers(shop.db, items, connect=connector())
    assert send_items(shop.db, items, options=fast).done == items
    [quote] = [r for r in sandbox.requests if r.url.path.endswith("/orders/shipping.json")]
    asked = json.loads(quote.content)
    [sent] = sandbox.created
    assert asked["address_to"] == sent["address_to"]
    assert [(li["variant_id"], li["quantity"]) for li in asked["line_items"]] == [
        (li["variant_id"], li["quantity"]) for li in sent["line_items"]
    ]


def test_several_orders_get_the_vendors_methods_without_a_quote_each(
    shop: Shop, vendor_api: VendorApi
) -> None:
    sandbox, _ = vendor_api
    a = shop.item(order_id=shop.order())
    b = shop.item(order_id=shop.order(ship_postal_code="94110", ship_address1="9 Elm St"))
    [offer] = shipping_offers(shop.db, [a, b], connect=connector())
    assert [o.method for o in offer.options] == ["standard", "priority", "printify_express"]
    assert not offer.quoted and offer.default == "standard"
    assert sandbox.requests == []


def test_a_manual_vendor_offers_no_choice(shop: Shop, vendor_api: VendorApi) -> None:
    manual = shop.item(vendor="manual")
    assert shipping_offers(shop.db, [manual], connect=connector()) == []


def test_the_chosen_method_is_stored_before_the_call_and_sent(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    sandbox, _ = vendor_api
    item = shop.item()
    outcome = send_items(shop.db, [item], options=fast)  # no choice: the default
    assert outcome.done == [item]
    assert sandbox.created[0]["shipping_method"] == 1
    other = shop.item(order_id=shop.order())
    opts = _with(fast, **{f"v{shop.vendor_id}": "priority"})
    assert send_items(shop.db, [other], options=opts).done == [other]
    assert sandbox.created[1]["shipping_method"] == 2
    subs = shop.submissions()
    assert [s.shipping_method for s in subs] == ["standard", "priority"]


def test_a_recovery_resend_uses_the_stored_method(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    sandbox, _ = vendor_api
    item = shop.item()
    with shop.db.read() as s:
        [batch] = submissions.plan_batches(s, [item]).batches
    batch.shipping_method = "printify_express"
    claim = submissions.claim(shop.db, batch)  # ... and the process dies here
    assert claim is not None
    [sub] = shop.submissions()
    assert sub.state == "sending" and sub.shipping_method == "printify_express"
    report = recover(shop.db, older_than=0, options=fast)
    assert report.resent == [claim.submission_id]
    assert shop.status(item) is S.SENT
    assert sandbox.created[0]["shipping_method"] == 3


def test_a_refused_method_fails_with_the_vendors_reason_and_a_retry_may_change_it(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    sandbox, _ = vendor_api
    item = shop.item(order_id=shop.order(ship_country="DE", ship_state="", ship_city="Berlin",
                                          ship_postal_code="10115"))  # fmt: skip
    opts = _with(fast, **{f"v{shop.vendor_id}": "printify_express"})
    outcome = send_items(shop.db, [item], options=opts)
    assert "shipping method" in outcome.failed[item].lower()
    assert shop.status(item) is S.FAILED
    # A retry without a new choice keeps the stored one; with one, the submission takes it.
    again = _with(fast, **{f"v{shop.vendor_id}": "standard"})
    assert send_items(shop.db, [item], options=again).done == [item]
    [sub] = shop.submissions()
    assert sub.shipping_method == "standard" and sub.state == "sent"
    assert sandbox.created[-1]["shipping_method"] == 1


def _db_args(shop: Shop) -> list[str]:
    return ["--db", shop.db.url.removeprefix("sqlite:///")]


def test_submit_ships_the_method_named(
    shop: Shop, vendor_api: VendorApi, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox, _ = vendor_api
    item = shop.item()
    args = ["submit", "--ids", str(item), "--vendor", "printify test", "--shipping", "Priority"]
    assert main([*_db_args(shop), *args, "--yes"]) == 0
    assert sandbox.created[0]["shipping_method"] == 2
    assert shop.submissions()[0].shipping_method == "priority"


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (["--vendor", "Printify test", "--shipping", "warp"], "standard, priority"),
        (["--shipping", "priority"], "--vendor"),
        (["--vendor", "Back room", "--shipping", "priority"], "no shipping methods to choose"),
    ],
)
def test_submit_refuses_a_method_it_cannot_use_and_sends_nothing(
    shop: Shop,
    vendor_api: VendorApi,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    says: str,
) -> None:
    sandbox, _ = vendor_api
    item = shop.item()
    assert main([*_db_args(shop), "submit", "--ids", str(item), *extra, "--yes"]) == 2
    assert says in capsys.readouterr().err
    assert sandbox.created == [] and shop.submissions() == []


def test_a_vendor_too_slow_to_quote_is_offered_unpriced(
    shop: Shop, vendor_api: VendorApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    from podtui.sandbox.http import Fault
    from podtui.services.sending import shipping_choice

    sandbox, _ = vendor_api
    sandbox.inject(Fault("timeout", method="POST", path="shipping.json", delay=2.0))
    monkeypatch.setattr(shipping_choice, "QUOTE_TIMEOUT", 0.3)
    [offer] = shipping_offers(shop.db, [shop.item()], connect=connector())
    assert not offer.quoted and "did not answer within 0.3 s" in offer.note
    assert [o.method for o in offer.options] == ["standard", "priority", "printify_express"]


def test_a_retry_with_the_pick_left_as_shown_keeps_its_stored_method(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    """The list's confirm shows every vendor's pick; a pick the operator did not touch is only
    what was shown (`shipping_shown`): a new send takes it, a retry keeps its own method."""
    sandbox, _ = vendor_api
    item = shop.item(order_id=shop.order(ship_country="DE", ship_state="", ship_city="Berlin",
                                          ship_postal_code="10115"))  # fmt: skip
    first = _with(fast, **{f"v{shop.vendor_id}": "printify_express"})
    assert item in send_items(shop.db, [item], options=first).failed  # stored, then refused
    sandbox.created.clear()
    shown = SendOptions(backoff=fast.backoff, shipping_shown={shop.vendor_id: "standard"})
    send_items(shop.db, [item], options=shown)
    [sub] = shop.submissions()
    assert sub.shipping_method == "printify_express"  # kept: nobody chose another
    fresh = shop.item(order_id=shop.order())
    assert send_items(shop.db, [fresh], options=shown).done == [fresh]
    assert shop.submissions()[-1].shipping_method == "standard"  # a new send takes the shown


def test_without_a_quote_the_vendors_own_default_is_preselected(
    shop: Shop, vendor_api: VendorApi
) -> None:
    shop.vendor_settings(shipping_method="priority")
    a = shop.item(order_id=shop.order())
    b = shop.item(order_id=shop.order(ship_postal_code="94110", ship_address1="9 Elm St"))
    [offer] = shipping_offers(shop.db, [a, b], connect=connector())
    assert not offer.quoted and offer.default == "priority"
