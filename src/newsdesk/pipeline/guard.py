"""Which hosts may be fetched: refuse anything that is not a public http(s) address.

A news desk fetches URLs that strangers control (feed entries, redirects, OPML files),
so every URL is a possible request forgery aimed at the machine itself (127.0.0.1),
its network (10.0.0.0/8 …) or the cloud metadata service (169.254.169.254). The guard:

1. refuses schemes other than http and https;
2. reads numeric hosts the way the C resolver does (``2130706433``, ``0177.0.0.1``,
   ``0x7f.1`` all mean 127.0.0.1) and checks the address they stand for;
3. resolves names and checks *every* address they resolve to (one bad record is enough);
4. unwraps IPv6 forms that carry an IPv4 address (``::ffff:127.0.0.1``, 6to4, NAT64,
   Teredo) and checks the IPv4 address inside.

`check_url` gives a clear refusal before a request; `GuardedBackend` repeats the check
when the socket is opened and connects to the checked address itself, so a name that
resolves to a public address for the check and to a private one a moment later (DNS
rebinding) is still refused. The fetcher calls `check_url` on every redirect hop.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

import httpcore

from newsdesk.pipeline.documents import Rejected, RejectReason

ALLOWED_SCHEMES = ("http", "https")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# A host made only of numbers (decimal, octal with a leading 0, hex with 0x) in one to
# four dot-separated parts: the forms inet_aton() — and so getaddrinfo() — accepts.
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}\.?$", re.I)

# IPv6 prefixes that embed an IPv4 address a gateway will forward to.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class Refused(Rejected):
    """The guard refused a URL; the message names the address and how to allow it."""

    def __init__(self, message: str):
        super().__init__(RejectReason.REFUSED, message)


class HostNotFound(Exception):
    """The host name does not resolve (a typo, or DNS is down); not a refusal."""


def _why_blocked(ip: IPAddress) -> str | None:
    """Say what kind of non-public address `ip` is ("a loopback address"), or None."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if ip.teredo:
            embedded = ip.teredo[1]
        if ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            inner = _why_blocked(embedded)
            return f"an IPv6 address carrying {embedded}, {inner}" if inner else None
    # Most specific first: 169.254.0.0/16 is also "private", but "link-local" says more.
    for name in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(ip, f"is_{name}"):
            article = "an" if name[0] in "aeiou" else "a"
            return f"{article} {name.replace('_', '-')} address"
    if not ip.is_global:
        return "an address that is not globally routable"
    return None


def _parse_numeric_host(host: str) -> IPAddress | None:
    """Read `host` as an IP address in any form the resolver accepts, else None."""
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        pass
    if _NUMERIC_HOST.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host.rstrip(".")))
        except OSError:
            # More than 32 bits ("4294967296") or a part out of range: the resolver
            # would not connect anywhere either; refuse it as a malformed address.
            raise Refused(f"{host!r} is not a valid IP address") from None
    return None


def _is_allowed(ip: IPAddress, allowed_networks: Iterable[str]) -> bool:
    for net in allowed_networks:
        network = ipaddress.ip_network(net, strict=False)
        candidates = [ip]
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            candidates.append(ip.ipv4_mapped)
        if any(c.version == network.version and c in network for c in candidates):
            return True
    return False


def check_address(
    ip: IPAddress, host: str, allow_private: bool = False, allowed_networks: Iterable[str] = ()
) -> None:
    """Raise `Refused` when `ip` (which `host` stands for) is not a public address."""
    if allow_private or _is_allowed(ip, allowed_networks):
        return
    why = _why_blocked(ip)
    if why:
        shown = host if host == str(ip) else f"{host} ({ip})"
        raise Refused(
            f"{shown} is {why}; newsdesk fetches only public addresses. "
            "If this host is yours and trusted, allow private addresses (allow_private) "
            "or add its network to allowed_networks."
        )


def resolve_checked(
    host: str, port: int, allow_private: bool = False, allowed_networks: Iterable[str] = ()
) -> list[IPAddress]:
    """Resolve `host` and return its addresses, refusing if any one is not public."""
    allowed_networks = tuple(allowed_networks)
    if not host:
        raise Refused("the URL has no host")
    literal = _parse_numeric_host(host)
    if literal is not None:
        check_address(literal, host, allow_private, allowed_networks)
        return [literal]
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise Refused(f"{host!r} is not a valid host name") from None
    try:
        infos = socket.getaddrinfo(ascii_host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise HostNotFound(
            f"could not resolve host {host!r} ({exc.strerror}); check the spelling "
            "of the URL, or whether this machine's DNS works"
        ) from None
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        check_address(ip, host, allow_private, allowed_networks)
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise HostNotFound(f"host {host!r} resolved to no address")
    return addresses


def check_url(url: str, allow_private: bool = False, allowed_networks: Iterable[str] = ()) -> None:
    """Raise `Refused` unless `url` is http(s) to a host whose every address is public.

    Raise `HostNotFound` when the host does not resolve. `allowed_networks` (CIDR
    strings such as "10.1.0.0/16") exempts chosen private networks only.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise Refused(f"{url!r} is not a valid URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = f"{scheme}:" if scheme else "no scheme"
        raise Refused(f"{url!r} has {shown}; only http:// and https:// URLs are fetched")
    host = parts.hostname or ""
    resolve_checked(
        host, port or (443 if scheme == "https" else 80), allow_private, allowed_networks
    )


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore network backend that checks addresses when it connects.

    It resolves the host itself, refuses the connection if any address is not public,
    and connects to one of the checked addresses, so the name is never resolved a
    second time by someone else. TLS still verifies the certificate against the host
    name: httpcore passes the origin's host as the SNI name, not the socket's address.
    """

    def __init__(self, allow_private: bool = False, allowed_networks: Iterable[str] = ()):
        self.allow_private = allow_private
        self.allowed_networks = tuple(allowed_networks)
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        try:
            addresses = resolve_checked(host, port, self.allow_private, self.allowed_networks)
        except HostNotFound as exc:
            raise httpcore.ConnectError(str(exc)) from None
        last_error: Exception | None = None
        for ip in addresses:
            try:
                return self._inner.connect_tcp(
                    str(ip), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        assert last_error is not None  # resolve_checked never returns an empty list
        raise last_error

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise Refused("unix sockets are never fetched")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)
