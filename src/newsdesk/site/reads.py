"""Read counts that no single client can stuff.

A read is counted once per reader and article a day (``WINDOW``): a reader is a network
address and a browser (``site.clients``), so a loop of a thousand requests from one
client moves an article's count by one. A loop that changes its User-Agent each time is
still one address: at most ``NEWSDESK_READERS_PER_ADDRESS`` readers from one address
count for one article in the window. Readers on many addresses all count.

What is kept is what ``site.models`` says: hashed marks that expire, and the hourly
counts (``ReadCount``: article, hour, count). No cookie, no account, no list of what
anyone read.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.http import HttpRequest
from django.utils import timezone

from newsdesk import config
from newsdesk.desk.models import ReadCount
from newsdesk.site import clients
from newsdesk.site.models import ReadMark

WINDOW = timedelta(days=1)
PRUNE_SECONDS = 60  # how often a process deletes expired marks
_pruned_at = 0.0


@dataclass(frozen=True)
class Read:
    counted: bool  # False: this reader's read of the article was counted already
    count_this_hour: int


class _NotCounted(Exception):
    """Undoes a read's marks: its address has no room left for another reader."""


def current_hour():
    return timezone.now().replace(minute=0, second=0, microsecond=0)


def readers_per_address() -> int:
    raw = config.get("NEWSDESK_READERS_PER_ADDRESS").strip()
    if not (raw.isascii() and raw.isdigit() and int(raw) >= 1):
        raise ValueError(f"NEWSDESK_READERS_PER_ADDRESS is a whole number, 1 or more; got {raw!r}")
    return int(raw)


def prune(now) -> None:
    """Delete expired marks, at most once a minute per process."""
    global _pruned_at
    if time.monotonic() - _pruned_at >= PRUNE_SECONDS:
        ReadMark.objects.filter(expires_at__lte=now).delete()
        _pruned_at = time.monotonic()


def _take_address_slot(keys: list[str], now, room: int) -> None:
    """One more reader from this address for this article, or _NotCounted if it has
    had its ``room``. ``keys``: this article's address mark under today's salt, then
    yesterday's (whose readers still take room until it expires)."""
    earlier = (ReadMark.objects.filter(key__in=keys[1:], expires_at__gt=now)
               .aggregate(n=Sum("uses"))["n"] or 0)
    room -= earlier
    if room <= 0:
        raise _NotCounted
    if ReadMark.objects.filter(key=keys[0], expires_at__gt=now, uses__lt=room).update(uses=F("uses") + 1):
        return
    if ReadMark.objects.filter(key=keys[0], expires_at__gt=now).exists():
        raise _NotCounted  # full
    ReadMark.objects.filter(key=keys[0]).delete()  # expired, not yet pruned
    try:
        with transaction.atomic():
            ReadMark.objects.create(key=keys[0], uses=1, expires_at=now + WINDOW)
    except IntegrityError:  # another reader from this address at the same moment
        if not ReadMark.objects.filter(key=keys[0], uses__lt=room).update(uses=F("uses") + 1):
            raise _NotCounted from None


def _first_read(article_id: int, request: HttpRequest, now) -> bool:
    """Whether this is the reader's first read of the article in the window (then marked)."""
    network, agent = clients.network(request), clients.agent(request)
    salts = clients.salts()
    readers = [clients.digest(s, "reader", network, agent, str(article_id)) for s in salts]
    addresses = [clients.digest(s, "address", network, str(article_id)) for s in salts]
    if ReadMark.objects.filter(key__in=readers, expires_at__gt=now).exists():
        return False
    ReadMark.objects.filter(key=readers[0]).delete()  # expired, not yet pruned
    try:
        with transaction.atomic():
            ReadMark.objects.create(key=readers[0], expires_at=now + WINDOW)
            _take_address_slot(addresses, now, readers_per_address())
    except (IntegrityError, _NotCounted):
        return False
    return True


def record_read(article_id: int, request: HttpRequest) -> Read:
    """Count the read if it is this reader's first of the article in the window; the
    hour's count either way. The increment is an SQL ``count = count + 1``, so two
    readers at once never lose a read."""
    now = timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        prune(now)
        counted = _first_read(article_id, request, now)
        if counted:
            row, _ = ReadCount.objects.get_or_create(article_id=article_id, hour=hour, defaults={"count": 0})
            ReadCount.objects.filter(pk=row.pk).update(count=F("count") + 1)
    count = (ReadCount.objects.filter(article_id=article_id, hour=hour)
             .values_list("count", flat=True).first() or 0)
    return Read(counted, count)

