"""Where the checker may connect, and who gets the GitHub token.

A pull request controls the URLs CI fetches, so by default no request may
reach loopback, private, link-local, multicast or otherwise non-public
addresses. The rule is enforced in the resolver the connector uses for every
connection, so it holds after DNS resolution and again after every redirect;
IP literals, which are never resolved, are checked before each request.
The resolver itself lives in safe_resolver.py, so that a run answered
entirely from the cache never imports asyncio.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import lru_cache

from yarl import URL

# Hosts GitHub serves itself: the token is for these and nothing else.
GITHUB_HOSTS = frozenset(
    {
        "github.com",
        "api.github.com",
        "raw.githubusercontent.com",
        "gist.github.com",
        "gist.githubusercontent.com",
        "objects.githubusercontent.com",
        "codeload.github.com",
    }
)


class UnsafeAddressError(OSError):
    """A host resolved only to addresses the safety rule refuses."""


def is_public_address(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


# Asked on every new connection: ipaddress parses in Python (about 15 us a time, profiled).
@lru_cache(maxsize=4096)
def literal_address(host: str) -> str | None:
    """The address when `host` is an IP literal (the connector skips the resolver for those)."""
    if ":" not in host and not host[-1:].isdigit():
        return None  # a name: an IPv4 literal ends in a digit, an IPv6 one has colons
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


# Tests stand a loopback address in for "the internet" by passing their own rule.
AddressRule = Callable[[str], bool]


def refusal(url: URL, allow_local: bool, is_public: AddressRule = is_public_address) -> str | None:
    """Why the safety rule refuses `url` before any lookup, or None."""
    if allow_local or url.host is None:
        return None
    address = literal_address(url.host)
    if address is not None and not is_public(address):
        return f"refused: {address} is not a public address (use --allow-local to check it)"
    if address is None and (
        url.host.lower().rstrip(".") == "localhost" or url.host.lower().endswith(".localhost")
    ):
        return f"refused: {url.host} is a local name (use --allow-local to check it)"
    return None


def github_authorization(url: URL, token: str | None) -> dict[str, str]:
    """The Authorization header for `url`: only over HTTPS to GitHub's own hosts."""
    if not token or url.scheme != "https" or (url.host or "").lower() not in GITHUB_HOSTS:
        return {}
    return {"Authorization": f"Bearer {token}"}
