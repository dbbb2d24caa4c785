"""Transient database conflicts: run an article's transaction again instead of losing it.

With several writers, the database sometimes gives up on a transaction for reasons of
timing alone: PostgreSQL aborts one of two transactions that wait on each other
(deadlock_detected, 40P01: a worker holding the copy-linking lock wants a capture row an
editor's reprocess holds, while that reprocess waits for the linking lock), one it cannot
serialise (40001), or a lock it could not get within lock_timeout (55P03); SQLite says
"database is locked" when another writer kept the file past the busy timeout. Nothing is
wrong with the article, and nothing of it was written (the transaction rolled back; its
raw capture was stored before, in a transaction of its own). Running the same work again
in a fresh transaction succeeds, so `atomic_with_retry` does that a few times, with a
short growing pause, before it lets the error through.

The copy bands and the story clusterer's state are tables (`desk.copies`,
`desk.story_store`), rolled back with the rest, so a retry starts from what the database
holds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, connection, transaction

log = logging.getLogger(__name__)

T = TypeVar("T")

# SQLSTATE codes that mean "try again": deadlock, serialization failure, lock timeout.
TRANSIENT_SQLSTATES = frozenset({"40P01", "40001", "55P03"})
ATTEMPTS = 4  # the first run and three retries
PAUSE_S = 0.05  # before retry k, wait k × this (the other transaction is finishing)


def is_transient(error: BaseException) -> bool:
    """True for a conflict that a fresh transaction resolves, not a fault of the work."""
    cause = error.__cause__
    code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if code in TRANSIENT_SQLSTATES:
        return True
    return connection.vendor == "sqlite" and "database is locked" in str(error)


def atomic_with_retry(work: Callable[[], T], what: str = "transaction",
                      attempts: int = ATTEMPTS) -> T:
    """Run `work()` in its own transaction, again after a transient conflict.

    Inside a caller's transaction it runs once: the locks the caller took before are
    still held, so running again would meet the same cycle. The error goes up to whoever
    opened the transaction, the one place that can run the whole of it again.
    """
    nested = connection.in_atomic_block
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return work()
        except OperationalError as error:
            if nested or attempt == attempts or not is_transient(error):
                raise
            log.warning("%s: %s; running it again (attempt %d of %d)",
                        what, str(error).strip().splitlines()[0], attempt + 1, attempts)
            time.sleep(PAUSE_S * attempt)
    raise AssertionError("unreachable: the last attempt returns or raises")
