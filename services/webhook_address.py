"""Where a webhook may point: http(s) URLs whose host resolves only to public addresses.

A webhook URL is chosen by a caller and fetched by our worker, from inside our network: without a
guard it reaches the metadata service (169.254.169.254), the database, anything on localhost
(server-side request forgery). The guard runs when a webhook is created and again on every
delivery, and the delivery connects to the very address it checked (`PinnedTransport`), so a
name that resolves to a public address at the check and a private one a moment later (DNS
rebinding) cannot slip through. `WEBHOOK_ALLOW_PRIVATE_NETWORKS=true` turns the address check off
(tests, receivers on a private network); the URL rules stay.
"""

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from typing import Any

import httpx

MAX_URL = 2048
# getaddrinfo can hang on a broken resolver; creation and delivery both give up after this.
RESOLVE_TIMEOUT = 5.0

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """The URL is not one a webhook may call; the message says why (shown to the owner)."""


@dataclass(frozen=True)
class AddressGuard:
    allow_private: bool = False


def parse_url(url: str) -> httpx.URL:
    """The URL if it is an absolute http(s) URL of at most MAX_URL characters with a host."""
    if len(url) > MAX_URL:
        raise AddressRefused(f"The URL is longer than {MAX_URL} characters.")
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise AddressRefused("The URL is not a valid URL.") from exc
    if len(str(parsed)) > MAX_URL:  # percent-encoding can lengthen it
        raise AddressRefused(f"The URL is longer than {MAX_URL} characters.")
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise AddressRefused("The URL must be an absolute http:// or https:// URL.")
    if parsed.userinfo:
        # Credentials would be sent with every delivery and shown in Webhook.url.
        raise AddressRefused("The URL must not contain a user name or password.")
    return parsed


def refusal(address: IPAddress) -> str | None:
    """Why a webhook may not call `address`, or None when it may."""
    if isinstance(address, ipaddress.IPv6Address):
        # ::ffff:127.0.0.1 reaches 127.0.0.1: judge the IPv4 address it carries.
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            return refusal(mapped)
    checks = (
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("unspecified", address.is_unspecified),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
        # Shared (100.64/10), documentation, benchmarking, ...: not on the internet either.
        ("non-public", not address.is_global),
    )
    for name, hit in checks:
        if hit:
            return f"The URL's host resolves to a {name} address ({address}); refused."
    return None


async def resolve(host: str, port: int, guard: AddressGuard) -> list[str]:
    """The addresses `host` resolves to, each checked (unless the guard allows private ones);
    refused when any of them is not public, so a mixed answer cannot be used either."""
    loop = asyncio.get_running_loop()
    try:
        found = await asyncio.wait_for(
            loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), RESOLVE_TIMEOUT
        )
    except (OSError, TimeoutError, UnicodeError) as exc:
        raise AddressRefused(f"The URL's host {host!r} cannot be resolved.") from exc
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in found:
        text = str(sockaddr[0]).split("%", 1)[0]  # an IPv6 scope (%eth0) is not part of it
        if not guard.allow_private:
            reason = refusal(ipaddress.ip_address(text))
            if reason is not None:
                raise AddressRefused(reason)
        if text not in addresses:
            addresses.append(text)
    if not addresses:
        raise AddressRefused(f"The URL's host {host!r} cannot be resolved.")
    return addresses


async def check_url(url: str, guard: AddressGuard) -> httpx.URL:
    """The parsed URL when a webhook may call it now."""
    parsed = parse_url(url)
    await resolve(parsed.host, parsed.port or _default_port(parsed), guard)
    return parsed


def _default_port(url: httpx.URL) -> int:
    return 443 if url.scheme == "https" else 80


class PinnedTransport(httpx.AsyncBaseTransport):
    """Connects to the address the guard just checked, not to whatever the name resolves to
    when the connection is opened: the URL's host becomes that address, while the Host header
    (set by httpx from the original URL) and TLS (SNI and certificate check, through httpcore's
    `sni_hostname`) keep the name."""

    def __init__(self, guard: AddressGuard, **transport: Any) -> None:
        self.guard = guard
        self._inner = httpx.AsyncHTTPTransport(**transport)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host, url = request.url.host, request.url
        addresses = await resolve(host, url.port or _default_port(url), self.guard)
        if url.scheme == "https":
            request.extensions = {**request.extensions, "sni_hostname": host}
        # Each checked address in turn until one takes the connection (a name may resolve to
        # ::1 and 127.0.0.1 while the receiver listens on one of them).
        for address in addresses[:-1]:
            request.url = url.copy_with(host=address)
            try:
                return await self._inner.handle_async_request(request)
            except httpx.ConnectError:
                continue
        request.url = url.copy_with(host=addresses[-1])
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
