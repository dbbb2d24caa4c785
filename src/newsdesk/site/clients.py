"""Telling reader clients apart without knowing who they are.

A client is its network address (an IPv4 address, or an IPv6 /64: one household or
phone holds a whole /64, so counting its addresses one by one would let it count as
billions) and, where a reader is meant, its browser's User-Agent. Neither is kept: what
the desk stores or puts in its cache is a keyed hash of them under a random salt of the
day (``ReadSalt``), so the keys change every day and cannot be traced back once the
salt is gone.

Behind a reverse proxy every request comes from the proxy; ``NEWSDESK_TRUSTED_PROXIES``
names the proxies whose ``X-Forwarded-For`` is believed. Anyone else's is ignored: a
client cannot pose as many by writing the header itself.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import secrets
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from newsdesk import config

IPV6_PREFIX = 64
AGENT_CHARS = 512  # more of a User-Agent names no other browser, only a longer key
SALT_DAYS = 2  # today's and yesterday's: a mark made before midnight is still found after it

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@functools.cache
def _trusted(setting: str) -> tuple:
    networks = []
    for part in filter(None, (p.strip() for p in setting.split(","))):
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(f"NEWSDESK_TRUSTED_PROXIES: {part!r} is not an address or network") from None
    return tuple(networks)


def trusted_proxies() -> tuple:
    """The networks of NEWSDESK_TRUSTED_PROXIES."""
    return _trusted(config.get("NEWSDESK_TRUSTED_PROXIES"))


def _parse(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def address(request: HttpRequest) -> Address | None:
    """The client's address: the peer's, or, when the peer is a trusted proxy, the last
    address in X-Forwarded-For that no trusted proxy wrote."""
    peer = _parse(request.META.get("REMOTE_ADDR", ""))
    trusted = trusted_proxies()
    if peer is None or not any(peer in net for net in trusted):
        return peer
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        found = _parse(hop)
        if found is None:
            break
        peer = found
        if not any(found in net for net in trusted):
            break
    return peer


def network(request: HttpRequest) -> str:
    """The address as one client holds it: an IPv4 address, or the /64 of an IPv6 one."""
    found = address(request)
    if found is None:
        return "unknown"
    if found.version == 6:
        return str(ipaddress.ip_network(f"{found}/{IPV6_PREFIX}", strict=False))
    return str(found)


def agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:AGENT_CHARS]


_salts: dict[date, str | None] = {}


def salt(day: date, create: bool = True) -> str | None:
    """The day's random salt, made by whichever process asks first; None for a past day
    that has none (only the current day's is ever made, so that answer is kept too)."""
    from newsdesk.site.models import ReadSalt

    if day in _salts and (_salts[day] is not None or not create):
        return _salts[day]
    value = ReadSalt.objects.filter(day=day).values_list("salt", flat=True).first()
    if value is None and create:
        try:
            with transaction.atomic():
                value = ReadSalt.objects.create(day=day, salt=secrets.token_hex(32)).salt
        except IntegrityError:  # another process made it first
            value = ReadSalt.objects.values_list("salt", flat=True).get(day=day)
        ReadSalt.objects.filter(day__lte=day - timedelta(days=SALT_DAYS)).delete()
    for old in [d for d in _salts if d <= day - timedelta(days=SALT_DAYS)]:
        del _salts[old]
    _salts[day] = value
    return value


def salts() -> list[str]:
    """Today's salt first, then yesterday's if it still exists."""
    today = timezone.now().date()
    found = [salt(today), salt(today - timedelta(days=1), create=False)]
    return [s for s in found if s]


def digest(salt_value: str, *parts: str) -> str:
    """A keyed hash of the parts: 32 hex digits that say nothing without the salt."""
    h = hashlib.blake2b(key=bytes.fromhex(salt_value)[:64], digest_size=16)
    h.update("\x00".join(parts).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def forget_salts() -> None:
    """Drop this process's copies (tests, and a salt deleted by another process)."""
    _salts.clear()
