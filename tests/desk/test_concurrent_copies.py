"""Two workers filing copies of one wire story at the same moment agree on one canonical.

Each worker is a thread with its own database connection and transaction, as two
`newsdesk worker` processes would be. The first holds its transaction open after filing
its copy; the second must wait for that commit instead of filing blind (it could not see
the uncommitted copy, and would become a second canonical with a second story).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from tests.desk.syndication import FIXTURES, forget_process_state

pytestmark = pytest.mark.django_db(transaction=True)

FIRST, SECOND = "levantpost-truncated", "gulfdailyherald-prefix"


def _known_entities(*names: str) -> None:
    """Store every entity both pages name first, as a running desk has them: then only
    the copies and their story are new, and nothing else makes the workers queue."""
    from newsdesk.desk.entities import entity_for, find_mentions
    from newsdesk.pipeline import documents as doc
    from newsdesk.pipeline.extract import extract

    for name in names:
        page = (FIXTURES / f"{name}.html").read_bytes()
        draft = extract(doc.Capture(content=page, url=f"https://example.org/{name}",
                                    content_type="text/html"))
        for mention in find_mentions(draft):
            entity_for(mention)


def _ingest(name: str) -> list:
    from newsdesk.desk.ingest import ingest_file

    return list(ingest_file(FIXTURES / f"{name}.html"))


def _race(first: str, second: str) -> tuple[dict[str, list], bool]:
    """`first` files its page and holds its transaction open; `second` files meanwhile.
    Returns each worker's results and whether `second` was still waiting after 2 s."""
    filed, release = threading.Event(), threading.Event()
    results: dict[str, list] = {}
    errors: list[BaseException] = []

    def first_worker():
        try:
            with transaction.atomic():
                results[first] = _ingest(first)
                filed.set()
                release.wait(timeout=30)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
            filed.set()
        finally:
            connection.close()

    def second_worker():
        try:
            results[second] = _ingest(second)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    a = threading.Thread(target=first_worker)
    a.start()
    assert filed.wait(timeout=60)
    b = threading.Thread(target=second_worker)
    b.start()
    b.join(timeout=2.0)
    waited = b.is_alive()  # still queued behind the first worker's open transaction
    release.set()
    a.join(timeout=60)
    b.join(timeout=60)
    assert not errors, errors
    return results, waited


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's IMMEDIATE transactions serialise writers at BEGIN already")


@postgres_only
def test_a_copy_filed_while_another_commits_waits_and_joins_it():
    from newsdesk.desk.models import Article

    forget_process_state()
    _known_entities(FIRST, SECOND)
    results, waited = _race(FIRST, SECOND)

    first = Article.objects.get(pk=results[FIRST][0].article.pk)
    second = Article.objects.get(pk=results[SECOND][0].article.pk)
    canonicals = [x for x in (first, second) if x.duplicate_of_id is None]
    assert len(canonicals) == 1, "both copies became canonical"
    other = second if canonicals[0] is first else first
    assert other.duplicate_of_id == canonicals[0].pk
    assert first.story_id is not None and first.story_id == second.story_id
    assert waited, "the second worker filed its copy before the first one committed"


@postgres_only
def test_two_workers_naming_the_same_new_entity_both_file_their_articles():
    """Both stories name Iraq, Kirkuk … for the first time: one entity row each, and
    neither worker fails on the other's insert."""
    from newsdesk.desk.models import Article, Entity

    forget_process_state()
    results, _ = _race(FIRST, "other-basra-gas-deal")
    statuses = [r.status for rs in results.values() for r in rs]
    assert statuses == ["ingested", "ingested"], statuses
    shared = set(Article.objects.get(pk=results[FIRST][0].article.pk)
                 .mentions.values_list("entity__slug", flat=True))
    shared &= set(Article.objects.get(pk=results["other-basra-gas-deal"][0].article.pk)
                  .mentions.values_list("entity__slug", flat=True))
    assert shared, "the two stories were meant to share entities"
    for slug in shared:
        assert Entity.objects.filter(slug=slug).count() == 1
