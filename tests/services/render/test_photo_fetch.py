"""Photo URLs are fetched within bounds: the whole download's time and size, and never from a
loopback, private or link-local address (checked on the address each hop connects to) unless the
shop allows the host. The loopback photo server is reached through the allow-list, or through an
injected resolver that maps made-up names onto it."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from podtui import config
from podtui.config import ConfigError, parse_config
from podtui.services.render.photo_fetch import (
    PhotoLimits,
    PhotoSources,
    fetch_photo,
    limits_from_config,
)
from podtui.services.render.renderer import RenderError
from tests.services.render.conftest import PhotoServer, png_bytes

LOOPBACK = PhotoLimits(allowed_hosts=("127.0.0.1",))


def names(mapping: dict[str, str]) -> Callable[[str, int], list[str]]:
    """A resolver that knows only these names (what a hostile DNS could answer)."""

    def resolve(host: str, port: int) -> list[str]:
        if host not in mapping:
            raise OSError(f"unknown host {host}")
        return [mapping[host]]

    return resolve


def ticking(step: float = 1.0) -> Callable[[], float]:
    """A clock that moves `step` seconds each time it is read: time passes per network step,
    whatever the machine's load, so the deadline is reached after a known number of steps."""
    now = [0.0]

    def clock() -> float:
        now[0] += step
        return now[0]

    return clock


def refusal(url: str, limits: PhotoLimits | None = None, **kw: object) -> str:
    with pytest.raises(RenderError) as caught:
        fetch_photo(url, "Photo", limits or PhotoLimits(), **kw)  # type: ignore[arg-type]
    return str(caught.value)


def test_an_allowed_loopback_server_is_fetched(photo_server: PhotoServer) -> None:
    assert fetch_photo(photo_server.url("/ok.png"), "Photo", LOOPBACK) == png_bytes()


def test_a_photo_that_drips_in_is_cut_off_at_the_deadline(photo_server: PhotoServer) -> None:
    # The server sends a byte at a time and never finishes: no read waits long, so only a
    # deadline on the whole download ends it. Each network step costs a second on this clock.
    reason = refusal(
        photo_server.url("/drip.png"),
        PhotoLimits(timeout=40, allowed_hosts=("127.0.0.1",)),
        clock=ticking(),
    )
    assert reason.startswith("Photo: the photo did not arrive within 40 s")
    assert photo_server.dripped.is_set()  # it was reading the drip, not stuck connecting


def test_a_photo_over_the_size_limit_is_refused(photo_server: PhotoServer) -> None:
    small = PhotoLimits(max_bytes=4096, allowed_hosts=("127.0.0.1",))
    for path in ("/big.png", "/big-unsized.png"):  # with and without a Content-Length
        reason = refusal(photo_server.url(path), small)
        assert reason == f"Photo: the photo at {photo_server.url(path)} is over 4 KiB: not fetched"


@pytest.mark.parametrize(
    ("host", "resolved", "kind"),
    [
        ("photos.example", "10.0.0.5", "a private address 10.0.0.5 (photos.example)"),
        ("cdn.example", "192.168.1.20", "a private address 192.168.1.20 (cdn.example)"),
        ("meta.example", "169.254.169.254", "a link-local address 169.254.169.254 (meta.example)"),
        ("home.example", "127.0.0.1", "a loopback address 127.0.0.1 (home.example)"),
        ("v6.example", "::1", "a loopback address ::1 (v6.example)"),
        ("mapped.example", "::ffff:10.1.2.3", "a private address 10.1.2.3 (mapped.example)"),
        ("zero.example", "0.0.0.0", "an unspecified address 0.0.0.0 (zero.example)"),
        ("fe.example", "fe80::1", "a link-local address fe80::1 (fe.example)"),
        ("ula.example", "fd00::7", "a private address fd00::7 (ula.example)"),
    ],
)
def test_names_that_resolve_to_inner_addresses_are_refused(
    photo_server: PhotoServer, host: str, resolved: str, kind: str
) -> None:
    reason = refusal(f"http://{host}/cat.png", resolve=names({host: resolved}))
    assert reason == f"Photo: the photo URL points at {kind}: not fetched"


def test_localhost_and_loopback_literals_are_refused_by_the_real_resolver(
    photo_server: PhotoServer,
) -> None:
    port = photo_server.port
    for url, shown in (
        (f"http://localhost:{port}/ok.png", "127.0.0.1 (localhost)"),
        (photo_server.url("/ok.png"), "127.0.0.1"),
        (f"http://2130706433:{port}/ok.png", "127.0.0.1 (2130706433)"),  # 127.0.0.1 in decimal
        (f"http://[::ffff:127.0.0.1]:{port}/ok.png", "127.0.0.1 (::ffff:127.0.0.1)"),
    ):
        reason = refusal(url)
        assert reason == f"Photo: the photo URL points at a loopback address {shown}: not fetched"
    assert photo_server.hits == []  # never contacted


def test_every_redirect_hop_is_checked(photo_server: PhotoServer) -> None:
    port = photo_server.port
    photo_server.redirects["/to-inside.png"] = f"http://inside.example:{port}/ok.png"
    photo_server.redirects["/to-allowed.png"] = f"http://photos.shop.example:{port}/ok.png"
    photo_server.redirects["/to-file.png"] = "file:///etc/passwd"
    resolve = names({"photos.shop.example": "127.0.0.1", "inside.example": "127.0.0.1"})
    shop_server = PhotoLimits(allowed_hosts=("photos.shop.example",))
    start = f"http://photos.shop.example:{port}"

    assert fetch_photo(f"{start}/to-allowed.png", "Photo", shop_server, resolve=resolve) == (
        png_bytes()
    )
    reason = refusal(f"{start}/to-inside.png", shop_server, resolve=resolve)
    assert reason == (
        "Photo: the photo URL points at a loopback address 127.0.0.1 (inside.example): not fetched"
    )
    reason = refusal(f"{start}/to-file.png", shop_server, resolve=resolve)
    assert reason == "Photo: 'file:///etc/passwd' is not an http(s) URL: not fetched"
    # The refused hops were never asked for.
    assert photo_server.hits == ["/to-allowed.png", "/ok.png", "/to-inside.png", "/to-file.png"]


def test_the_allow_list_takes_names_addresses_and_networks(photo_server: PhotoServer) -> None:
    port = photo_server.port
    url = f"http://localhost:{port}/ok.png"
    for entry in ("localhost", "127.0.0.1", "127.0.0.0/8", "LOCALHOST."):
        assert fetch_photo(url, "Photo", PhotoLimits(allowed_hosts=(entry,))) == png_bytes(), entry


def test_photo_settings_come_from_the_config_with_sane_defaults() -> None:
    assert limits_from_config(parse_config({})) == PhotoLimits(timeout=30.0, max_bytes=64 * 2**20)
    cfg = parse_config(
        {
            "render": {
                "photo_timeout_seconds": 12.5,
                "photo_max_mb": 8,
                "photo_allowed_hosts": ["photos.myshop.lan", "10.20.0.0/16"],
            }
        }
    )
    assert limits_from_config(cfg) == PhotoLimits(
        timeout=12.5, max_bytes=8 * 2**20, allowed_hosts=("photos.myshop.lan", "10.20.0.0/16")
    )
    for bad, message in (
        ({"photo_timeout_seconds": 0}, r"\[render\] photo_timeout_seconds must be more than 0"),
        ({"photo_max_mb": -1}, r"\[render\] photo_max_mb must be more than 0"),
        ({"photo_allowed_hosts": "localhost"}, r"\[render\] photo_allowed_hosts must be list"),
        ({"photo_allowed_hosts": [""]}, r"photo_allowed_hosts: '' is not a host name"),
        ({"photo_allowed_hosts": ["http://x.lan/"]}, r"'http://x.lan/' is not a host name"),
        ({"photo_allowed_hosts": ["10.0.0.0/33"]}, r"'10.0.0.0/33' is not a network"),
    ):
        with pytest.raises(ConfigError, match=message):
            parse_config({"render": bad})


def test_the_shop_s_photo_sources_are_the_config_s_limits_and_the_uploads_folder() -> None:
    # One setup for the render jobs, the design preview and the customer images on the details.
    shop = PhotoSources.of_shop()
    assert shop.limits == limits_from_config()
    assert shop.dirs == (str(config.data_dir() / "uploads"),)
    assert PhotoSources.of_shop(LOOPBACK).limits == LOOPBACK  # a caller's limits win
    uploads = config.data_dir() / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    (uploads / "cat.png").write_bytes(png_bytes())
    load = shop.loader()
    assert load(str(uploads / "cat.png"), "Photo") == png_bytes()
    with pytest.raises(RenderError, match="not an http"):
        load("/etc/passwd", "Photo")


def test_a_host_name_that_never_resolves_counts_against_the_deadline() -> None:
    answered = threading.Event()

    def silent_dns(host: str, port: int) -> list[str]:
        answered.wait(30)  # a DNS server that does not answer (until the test ends)
        return ["93.184.216.34"]

    try:
        reason = refusal(
            "http://photos.example/cat.png", PhotoLimits(timeout=0.2), resolve=silent_dns
        )
    finally:
        answered.set()
    assert reason == (
        "Photo: the photo did not arrive within 0.2 s (http://photos.example/cat.png): not fetched"
    )
