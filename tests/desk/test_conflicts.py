"""A deadlock with another writer costs a retry, not the article (desk.conflicts).

The deadlocks here are real: PostgreSQL's own detector picks the transaction to abort.
Each side is a thread with its own connection, as two processes would be.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connection, transaction

from tests.desk.syndication import FIXTURES, forget_process_state

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SQLite has one writer at a time: two writers cannot deadlock"),
]

KEY_A, KEY_B = 0x7465_7374, 0x7465_7375


def _advisory(key: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _others_waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        # the statistics views are read once per transaction unless the snapshot is dropped
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT count(*) FROM pg_stat_activity "
                       "WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid() "
                       "AND datname = current_database()")
        return cursor.fetchone()[0]


def _wait_for_a_waiter(timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while _others_waiting_on_a_lock() == 0:
        assert time.monotonic() < deadline, "the other transaction never blocked"
        time.sleep(0.02)


def _run(threads: list[threading.Thread]) -> None:
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)
        assert not t.is_alive()


def test_two_writers_taking_locks_in_opposite_orders_both_finish():
    """One of them is aborted by the deadlock detector and runs again; neither fails."""
    from newsdesk.desk.conflicts import atomic_with_retry

    both_hold_one = threading.Barrier(2, timeout=30)
    attempts: list[str] = []
    done: dict[str, bool] = {}
    errors: list[BaseException] = []

    def writer(name: str, first: int, second: int) -> None:
        def work() -> bool:
            attempts.append(name)
            _advisory(first)
            if attempts.count(name) == 1:
                both_hold_one.wait()  # each holds its first lock: the cycle is certain
            _advisory(second)
            return True

        try:
            done[name] = atomic_with_retry(work, what=name)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    _run([threading.Thread(target=writer, args=("one", KEY_A, KEY_B)),
          threading.Thread(target=writer, args=("two", KEY_B, KEY_A))])
    assert not errors, errors
    assert done == {"one": True, "two": True}
    assert len(attempts) == 3, f"exactly one writer should have run twice: {attempts}"


def test_inside_a_callers_transaction_the_deadlock_goes_up():
    """Nothing can be retried inside a transaction the conflict already aborted."""
    from newsdesk.desk.conflicts import atomic_with_retry

    both_hold_one = threading.Barrier(2, timeout=30)
    outcomes: list[str] = []

    def writer(first: int, second: int) -> None:
        def work() -> None:
            _advisory(first)
            both_hold_one.wait()
            _advisory(second)

        try:
            with transaction.atomic():
                atomic_with_retry(work)
            outcomes.append("committed")
        except OperationalError:
            outcomes.append("deadlock")
        finally:
            connection.close()

    _run([threading.Thread(target=writer, args=(KEY_A, KEY_B)),
          threading.Thread(target=writer, args=(KEY_B, KEY_A))])
    assert sorted(outcomes) == ["committed", "deadlock"]


def test_an_article_filed_while_an_editor_reprocess_holds_its_capture_is_not_lost():
    """The worker holds the copy-linking lock and waits for the capture row; the editor's
    transaction holds that row and waits for the linking lock. PostgreSQL aborts the
    worker (it waited first); the worker files the article again and it is on the desk."""
    from newsdesk.desk.copies import LINKING_LOCK
    from newsdesk.desk.ingest import process_capture, store_capture
    from newsdesk.desk.models import Article, Capture
    from newsdesk.pipeline import documents as doc

    forget_process_state()
    page = (FIXTURES / "levantpost-truncated.html").read_bytes()
    row, _ = store_capture(doc.Capture(content=page, url="https://example.org/levant",
                                       content_type="text/html"), origin="test")
    editor_holds_row = threading.Event()
    results: list = []
    errors: list[BaseException] = []

    def editor() -> None:
        try:
            with transaction.atomic():
                Capture.objects.select_for_update().get(pk=row.pk)
                editor_holds_row.set()
                _wait_for_a_waiter()  # the worker is queued on the capture row …
                _advisory(LINKING_LOCK)  # … and now waits on the editor: a cycle
        except BaseException as exc:
            errors.append(exc)
            editor_holds_row.set()
        finally:
            connection.close()

    def worker() -> None:
        try:
            assert editor_holds_row.wait(timeout=30)
            results.append(process_capture(Capture.objects.get(pk=row.pk)))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    _run([threading.Thread(target=editor), threading.Thread(target=worker)])
    assert not errors, errors
    assert [r.status for r in results] == ["ingested"]
    assert Article.objects.filter(capture_id=row.pk).count() == 1
    assert Capture.objects.get(pk=row.pk).status == Capture.Status.EXTRACTED
