"""Customer photos from the web, fetched within bounds: how long, how much, and from where.

A photo field holds whatever URL the customer (or a store plugin) typed, so the fetch trusts
nothing in it:

- The whole download has a deadline (`PhotoLimits.timeout`, 30 s by default), not each read:
  every connect, TLS handshake, write and read is given only the time left, so a server that
  drips a byte a second cannot hold a render slot.
- The body is cut at `PhotoLimits.max_bytes` (64 MiB by default); a Content-Length over it is
  refused before anything is read. Only identity encoding is asked for, so nothing inflates.
- The address is checked where the connection is made. The host name is resolved (through an
  injectable resolver), the address must be public (not loopback, private, link-local,
  multicast, reserved or unspecified), and the connection goes to the very address checked, so
  a DNS answer cannot change in between. Every redirect hop (at most five, http and https only)
  connects anew and is checked the same way.
- Hosts the shop allows (`[render] photo_allowed_hosts`: names, addresses or networks) skip the
  address check: an in-house photo server, and the demo's and the tests' loopback servers.

Proxies from the environment are not used: the address checked must be the one reached.
`PhotoSources` is the whole setup of a photo field's loader (these limits, plus the local folders
a field may name): the render jobs, the design preview and the details' customer images share it.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpcore
import httpx

from podtui import config
from podtui.services.render.renderer import PhotoLoader, RenderError

Resolver = Callable[[str, int], list[str]]  # (host, port) -> addresses, best first
Clock = Callable[[], float]
REDIRECTS = frozenset({301, 302, 303, 307, 308})
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class PhotoLimits:
    """How a photo URL may be fetched (plain data: it travels to the render process)."""

    timeout: float = 30.0  # seconds for the whole download, redirects included
    max_bytes: int = 64 * 2**20
    allowed_hosts: tuple[str, ...] = ()  # names, addresses or networks (CIDR) always allowed
    max_redirects: int = 5


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the operating system gives for `host`, in its order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def parse_allowed(entries: Iterable[str]) -> tuple[frozenset[str], tuple[IPNetwork, ...]]:
    """(host names, networks) of an allow-list; an address is a network of one."""
    names: set[str] = set()
    networks: list[IPNetwork] = []
    for entry in entries:
        cleaned = entry.strip().strip("[]").lower().rstrip(".")
        try:
            networks.append(ipaddress.ip_network(cleaned, strict=False))
        except ValueError:
            names.add(cleaned)
    return frozenset(names), tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    found = ipaddress.ip_address(text.split("%", 1)[0])  # drop an IPv6 zone (fe80::1%eth0)
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped is not None:
        return found.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return found


def why_not_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """What kind of address this is when a photo must not be fetched from it, else None."""
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_private:
        return "a private address"
    if not address.is_global:
        return "a reserved address"
    return None


class _Deadline:
    """The time left of one download; every network step is given no more than that."""

    def __init__(self, seconds: float, clock: Clock) -> None:
        self.seconds = seconds
        self.clock = clock
        self.end = clock() + seconds

    def left(self, timeout: float | None, *, connecting: bool = False) -> float:
        remaining = self.end - self.clock()
        if remaining <= 0:
            kind = httpcore.ConnectTimeout if connecting else httpcore.ReadTimeout
            raise kind("the download's time is up")
        return remaining if timeout is None else min(timeout, remaining)


class _Stream(httpcore.NetworkStream):
    """A connection whose every step is held to the download's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._deadline.left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._deadline.left(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(
            ssl_context, server_hostname, self._deadline.left(timeout, connecting=True)
        )
        return _Stream(inner, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    """Connects only to addresses the limits allow, to the very address it checked."""

    def __init__(
        self, limits: PhotoLimits, resolve: Resolver, deadline: _Deadline, label: str
    ) -> None:
        self._names, self._networks = parse_allowed(limits.allowed_hosts)
        self._resolve = resolve
        self._deadline = deadline
        self._label = label
        self._inner = httpcore.SyncBackend()

    def _pick(self, host: str, port: int) -> str:
        name = host.lower().rstrip(".")
        found = self._lookup(name, port)
        if not found:
            raise httpcore.ConnectError(f"cannot find the host {host}")
        refused: list[str] = []
        for text in found:
            address = _address(text)
            if name in self._names or any(address in net for net in self._networks):
                return text
            kind = why_not_public(address)
            if kind is None:
                return text
            refused.append(f"{kind} {address}")
        where = "" if name == str(_address(found[0])) else f" ({host})"
        raise RenderError(
            f"{self._label}: the photo URL points at {refused[0]}{where}: not fetched"
        )

    def _lookup(self, name: str, port: int) -> list[str]:
        """Resolve within the deadline too: a DNS server that never answers is a slow photo."""
        answer: dict[str, Any] = {}

        def run() -> None:
            try:
                answer["found"] = self._resolve(name, port)
            except (OSError, UnicodeError) as exc:
                answer["error"] = exc

        thread = threading.Thread(target=run, name="podtui-photo-dns", daemon=True)
        thread.start()
        thread.join(self._deadline.left(None, connecting=True))
        if thread.is_alive():  # left behind; it ends when the resolver gives up
            raise httpcore.ConnectTimeout(f"looking up {name} took too long")
        if "error" in answer:
            raise httpcore.ConnectError(f"cannot find the host {name}: {answer['error']}")
        found: list[str] = answer.get("found", [])
        return found

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        address = self._pick(host, port)
        inner = self._inner.connect_tcp(
            address,
            port,
            timeout=self._deadline.left(timeout, connecting=True),
            local_address=local_address,
            socket_options=socket_options,
        )
        return _Stream(inner, self._deadline)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("photos are not fetched over unix sockets")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def _target(url: str, label: str, base: httpx.URL | None = None) -> httpx.URL:
    """The URL to ask (a redirect's Location is taken relative to `base`), http(s) only."""
    try:
        parsed = base.join(url) if base is not None else httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError):
        raise RenderError(f"{label}: {url!r} is not a usable URL") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise RenderError(f"{label}: {url!r} is not an http(s) URL: not fetched")
    return parsed


def fetch_photo(
    url: str,
    label: str,
    limits: PhotoLimits,
    *,
    resolve: Resolver = system_resolver,
    clock: Clock = time.monotonic,
) -> bytes:
    """The photo's bytes, or a RenderError that says plainly why not."""
    deadline = _Deadline(limits.timeout, clock)
    backend = _GuardedBackend(limits, resolve, deadline, label)
    current = _target(url, label)
    try:
        with httpcore.ConnectionPool(network_backend=backend, max_connections=1) as pool:
            for _ in range(limits.max_redirects + 1):
                location = _get(pool, current, url, label, limits)
                if isinstance(location, bytes):
                    return location
                current = _target(location, label, current)
            raise RenderError(
                f"{label}: the photo URL redirects more than {limits.max_redirects} times ({url})"
            )
    except httpcore.TimeoutException:
        raise RenderError(
            f"{label}: the photo did not arrive within {limits.timeout:g} s ({url}): not fetched"
        ) from None
    except httpcore.ConnectError as exc:
        raise RenderError(f"{label}: cannot download the photo ({url}): {exc}") from None
    except (httpcore.NetworkError, httpcore.ProtocolError) as exc:
        raise RenderError(
            f"{label}: the photo's download broke off ({url}): {exc or type(exc).__name__}"
        ) from None


def _get(
    pool: httpcore.ConnectionPool, target: httpx.URL, url: str, label: str, limits: PhotoLimits
) -> bytes | str:
    """One hop: the body, or where the server redirects to."""
    request_url = httpcore.URL(
        scheme=target.raw_scheme, host=target.raw_host, port=target.port, target=target.raw_path
    )
    headers = [(b"Accept", b"image/*"), (b"Accept-Encoding", b"identity")]
    timeouts = {"timeout": dict.fromkeys(("connect", "read", "write", "pool"), limits.timeout)}
    with pool.stream("GET", request_url, headers=headers, extensions=timeouts) as response:
        fields = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in response.headers}
        if response.status in REDIRECTS and "location" in fields:
            return fields["location"]
        if response.status != 200:
            raise RenderError(f"{label}: the photo URL answered HTTP {response.status} ({url})")
        too_big = f"{label}: the photo at {url} is over {_size(limits.max_bytes)}: not fetched"
        declared = fields.get("content-length", "")
        if declared.isdigit() and int(declared) > limits.max_bytes:
            raise RenderError(too_big)
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_stream():
            size += len(chunk)
            if size > limits.max_bytes:
                raise RenderError(too_big)
            chunks.append(chunk)
        return b"".join(chunks)


def _size(n: int) -> str:
    if n >= 2**20 and n % 2**20 == 0:
        return f"{n // 2**20} MiB"
    if n >= 2**10 and n % 2**10 == 0:
        return f"{n // 2**10} KiB"
    return f"{n} bytes"


def limits_from_config(cfg: config.Config | None = None) -> PhotoLimits:
    """The shop's photo limits: `[render] photo_timeout_seconds`, `photo_max_mb`,
    `photo_allowed_hosts` (the config file's, when `cfg` is None)."""
    cfg = cfg if cfg is not None else config.load_config()
    return PhotoLimits(
        timeout=cfg.photo_timeout_seconds,
        max_bytes=int(cfg.photo_max_mb * 2**20),
        allowed_hosts=tuple(cfg.photo_allowed_hosts),
    )


@dataclass(frozen=True)
class PhotoSources:
    """Where a photo field's image may come from: http(s) URLs fetched within `limits`, or
    files inside `dirs` (plain data: it travels to the render process in the request)."""

    limits: PhotoLimits = field(default_factory=PhotoLimits)
    dirs: tuple[str, ...] = ()  # local folders a photo field may name (operator uploads)

    @classmethod
    def of_shop(cls, limits: PhotoLimits | None = None) -> PhotoSources:
        """The shop's: the config file's limits (ConfigError when it is bad) unless `limits` is
        given, and the uploads folder in podtui's data folder."""
        return cls(
            limits if limits is not None else limits_from_config(),
            (str(config.data_dir() / "uploads"),),
        )

    def loader(self) -> PhotoLoader:
        """The loader the renderer calls for each photo field: `(source, label) -> bytes`."""

        def load(source: str, label: str) -> bytes:
            if source.startswith(("http://", "https://")):
                return fetch_photo(source, label, self.limits)
            refused = f"{label}: {source!r} is not an http(s) URL or a file in the uploads folder"
            try:
                resolved = Path(source.removeprefix("file://")).expanduser().resolve()
            except (OSError, ValueError, RuntimeError):  # a NUL byte, a symlink loop
                raise RenderError(refused) from None
            allowed = [Path(d).resolve() for d in self.dirs]
            if not any(resolved.is_relative_to(folder) for folder in allowed):
                raise RenderError(refused)
            try:
                return resolved.read_bytes()
            except OSError as exc:
                raise RenderError(f"{label}: cannot read {source}: {exc.strerror or exc}") from None

        return load
