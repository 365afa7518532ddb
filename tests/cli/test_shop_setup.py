"""Done when (issue 14), from the command line: on an empty database and nothing but `podtui`
commands against loopback sandboxes, a shop connects its store and vendor, syncs, sees what is
unmapped, adds artwork, maps through the vendor's catalogue, and its items wait for approval."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlmodel import select

from podtui.cli import main
from podtui.db import open_database
from podtui.domain.models import OrderItem
from podtui.domain.status import ItemStatus
from tests.adapters.stores.woo_support import KEY, SECRET
from tests.cli.shop_support import PRINTIFY_SHOP, PRINTIFY_TOKEN, NewShop


def test_a_new_shop_from_the_command_line_alone(
    tmp_path: Path,
    new_shop: NewShop,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db_path = tmp_path / "new-shop.db"  # nothing there: the first command makes it

    def podtui(*args: str, stdin: str = "") -> str:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(["--db", str(db_path), *args])
        out = capsys.readouterr()
        assert code == 0, f"podtui {' '.join(args)}: {out.err}"
        return out.out

    podtui("connect", "woocommerce", "--url", new_shop.woo_url, "--name", "Lumen",
           "--secret-stdin", stdin=f"{KEY}:{SECRET}\n")  # fmt: skip
    podtui("connect", "printify", "--url", new_shop.printify_url, "--name", "Printify",
           "--shop-id", str(PRINTIFY_SHOP), "--secret-stdin", stdin=PRINTIFY_TOKEN + "\n")  # fmt: skip
    podtui("connect", "manual", "--name", "Back room")
    assert "3 orders read" in podtui("sync", "--all")

    unmapped = podtui("mappings", "unmapped").splitlines()[1:]
    rows = {tuple(line.split()[1:3]): line for line in unmapped}
    assert set(rows) == {("93", "-"), ("22", "23"), ("22", "24")}
    assert "Ship Your Idea / Color: Sport Gray, Size: Extra Large [Bar4]" in rows[("22", "24")]
    assert rows[("93", "-")].split()[3] == "3"  # three items wait, one per order

    added = podtui("artwork", "add", str(new_shop.artwork))
    assert added == "Added #1 'Idea front' (print image)\n"

    # Look the shirt up in Printify's own catalogue, as an operator would.
    found = podtui(
        "mappings", "catalogue", "--vendor", "Printify", "--search", "heavy cotton gildan"
    )
    blueprint = found.splitlines()[1].split()[0]
    providers = podtui("mappings", "catalogue", "--vendor", "Printify", "--product", blueprint)
    provider = next(line.split()[0] for line in providers.splitlines() if "Printify Choice" in line)
    mapped = podtui(
        "mappings", "add", "--store", "Lumen", "--product", "22", "--all-variants",
        "--artwork", "1", "--vendor", "Printify", "--blueprint", blueprint, "--provider", provider,
        "--weight", "180", "--hs-code", "6109.10",
    )  # fmt: skip
    assert "(Black / M, suggested): 2 items to Waiting approval." in mapped
    assert "(Sport Grey / XL, suggested): 1 item to Waiting approval." in mapped
    podtui("mappings", "add", "--store", "Lumen", "--product", "93", "--artwork", "1",
           "--vendor", "Back room")  # fmt: skip
    assert (
        podtui("mappings", "unmapped")
        == "Every product seen in orders is mapped or routed by a rule.\n"
    )
    assert len(podtui("mappings", "list").splitlines()) == 3

    db = open_database(f"sqlite:///{db_path}")
    try:
        with db.read() as session:
            items = session.exec(select(OrderItem)).all()
    finally:
        db.dispose()
    assert len(items) == 6
    assert {i.status for i in items} == {ItemStatus.WAITING_APPROVAL}
    assert all(i.managed and i.artwork_id == 1 for i in items)
