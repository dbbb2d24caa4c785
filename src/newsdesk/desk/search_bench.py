"""`newsdesk bench search`: how fast a reader's search answers, beside a LIKE scan.

The peer is what WordPress's built-in search and Django admin's ``search_fields`` do:
every word must appear, as a case-insensitive substring (``LIKE '%word%'``), in the
title, the excerpt or the body, newest first. Both answer the same page a reader sees:
the number of matches and the first 20 articles.

The bench never touches the desk's own database. It fills a scratch one (a SQLite file in
a temporary folder, or a PostgreSQL database it creates beside ``--database-url`` and drops
afterwards) with ``--articles`` articles cycled from a JSON-lines corpus of real news
(``--data``: Reuters-21578 by default, each pass of it dated a month later), then times
``--queries`` searches drawn from the corpus's own headlines: one and two words.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HELP = "search: median and p95 ms per search page, FTS vs a LIKE scan (WordPress, Django admin)"
DEFAULT_DATA = Path("../shared/data/geo/reuters21578-train.jsonl.gz")
PAGE = 20
BATCH = 2_000
WORD = re.compile(r"[A-Za-z]{4,}")
# Headline words that say nothing on their own; the rest of the headline is a fair query.
COMMON = {"says", "said", "sees", "with", "from", "that", "will", "have", "year", "rise",
          "rises", "fall", "falls", "over", "into", "after", "more", "than", "talks", "plan"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="JSON lines (.gz too) with title and body or text (default: %(default)s)")
    parser.add_argument("--articles", type=int, default=20_000, help="articles stored (default: %(default)s)")
    parser.add_argument("--queries", type=int, default=100, help="searches timed (default: %(default)s)")
    parser.add_argument("--database-url", default="",
                        help="a PostgreSQL server to bench on (a scratch database is created and "
                             "dropped there); SQLite in a temporary folder when left out")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")


def load_corpus(path: Path) -> list[dict]:
    if not path.exists():
        raise SystemExit(f"no corpus at {path}: give --data a JSON-lines file of articles")
    opener = gzip.open if path.suffix == ".gz" else open
    rows = []
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            r = json.loads(line)
            body = (r.get("body") or r.get("text") or "").strip()
            title = (r.get("title") or "").strip()
            if body and title:
                rows.append({"title": title, "body": body, "date": _date(r.get("date")),
                             "dateline": (r.get("dateline") or "").strip()})
    if not rows:
        raise SystemExit(f"{path} holds no records with both a title and a body")
    return rows


def _date(raw) -> datetime | None:
    """The record's date, or None where the corpus wrote it badly ('31-MAR-1987 605:12:').
    Not ``html_dates.parse_date``: it refuses years before 1990 as no news page's date,
    and Reuters-21578 is from 1987."""
    try:
        return datetime.fromisoformat(str(raw)[:19]).replace(tzinfo=UTC) if raw else None
    except ValueError:
        return None


def queries(corpus: list[dict], n: int, seed: int) -> list[str]:
    """One- and two-word searches drawn from real headlines (every other one of each)."""
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        words = [w.lower() for w in WORD.findall(rng.choice(corpus)["title"]) if w.lower() not in COMMON]
        if not words:
            continue
        if len(out) % 2 and len(words) > 1:
            i = rng.randrange(len(words) - 1)
            out.append(f"{words[i]} {words[i + 1]}")
        else:
            out.append(rng.choice(words))
    return out


@contextmanager
def scratch_database(server_url: str, purpose: str = "bench"):
    """NEWSDESK_DATABASE_URL for a throwaway database, removed when the bench (or eval,
    whose ``purpose`` names the file and database) ends."""
    if not server_url:
        folder = tempfile.mkdtemp(prefix=f"newsdesk-{purpose}-")
        try:
            yield f"sqlite:///{folder}/{purpose}.sqlite3"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    import psycopg

    name = f"newsdesk_{purpose}_{os.getpid()}"
    parts = urlsplit(server_url)
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name}")


def fill(corpus: list[dict], n: int, prepare=None, saved=None) -> float:
    """Store ``n`` articles cycled from the corpus; seconds taken (the index included).

    ``prepare(article, lap)`` may fill in more of each row before it is stored (the
    ingest bench gives rows the copy and story state the real path would have), and
    ``saved(articles)`` is called after each batch is written.
    """
    start = time.perf_counter()

    def rows() -> Iterator:
        for i, article in enumerate(corpus_articles(corpus, n)):
            if prepare is not None:
                prepare(article, i // len(corpus))
            yield article

    store(rows(), saved=saved)
    return time.perf_counter() - start


def corpus_articles(corpus: list[dict], n: int) -> Iterator:
    """``n`` unsaved articles cycled from the corpus, each pass of it dated a month later."""
    from newsdesk.desk.models import Article

    base = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(n):
        lap, doc = divmod(i, len(corpus))
        r = corpus[doc]
        when = (r["date"] or base) + timedelta(days=30 * lap)
        yield Article(
            url=f"https://bench.example/{lap}/{doc}", title=r["title"], body=r["body"],
            excerpt=" ".join(r["body"].split()[:40]), published_at=when, created_at=when,
            content_hash=f"{lap}-{doc}",
        )


def store(rows: Iterable, batch: int = BATCH, saved=None) -> list[int]:
    """Save unsaved model rows (of one model) in bulk, ``batch`` at a time; their ids, in order.

    One INSERT per batch instead of one per row: a scratch desk of 100,000 articles (and
    its million mentions) is stored in about two minutes. The rows themselves are let go
    batch by batch; both databases hand the new ids back (RETURNING). ``saved(rows)`` is
    called after each batch is written.
    """
    ids: list[int] = []
    chunk: list = []

    def flush() -> None:
        created = type(chunk[0]).objects.bulk_create(chunk)
        ids.extend(r.pk for r in created)
        if saved is not None:
            saved(created)

    for row in rows:
        chunk.append(row)
        if len(chunk) == batch:
            flush()
            chunk = []
    if chunk:
        flush()
    return ids


def newsdesk_page(query: str) -> tuple[int, list[int]]:
    from newsdesk.desk.search import search
    from newsdesk.pipeline.search_query import parse

    results = search(parse(query))
    return results.count(), [a.pk for a in results[:PAGE]]


def like_page(query: str) -> tuple[int, list[int]]:
    from django.db.models import Q

    from newsdesk.desk.models import Article

    found = Article.objects.published()
    for word in query.split():
        found = found.filter(Q(title__icontains=word) | Q(excerpt__icontains=word) | Q(body__icontains=word))
    found = found.select_related("source").order_by("-published_at", "-pk")
    return found.count(), [a.pk for a in found[:PAGE]]


def time_searches(page, searches: list[str]) -> dict:
    page(searches[0])  # the first query pays for the page cache; both sides alike
    times, hits = [], []
    for q in searches:
        start = time.perf_counter()
        count, _ = page(q)
        times.append((time.perf_counter() - start) * 1000)
        hits.append(count)
    times.sort()
    return {
        "median_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, int(0.95 * len(times)))],
        "mean_matches": statistics.fmean(hits),
    }


def run(args) -> int:
    from django.conf import settings

    if settings.configured:  # its scratch database is chosen before Django starts
        raise SystemExit("bench search runs as its own process, not inside a running desk")
    corpus = load_corpus(args.data)
    searches = queries(corpus, args.queries, args.seed)
    with scratch_database(args.database_url) as url:
        os.environ["NEWSDESK_DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", interactive=False, verbosity=0)
        fill_s = fill(corpus, args.articles)
        # Planner statistics, as a running desk has them (SQLite: the desk's own refresh
        # after an ingest run; PostgreSQL: autovacuum): without them PostgreSQL scans.
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        result = {
            "database": connection.vendor,
            "articles": args.articles,
            "queries": len(searches),
            "fill_s": fill_s,
            "newsdesk": time_searches(newsdesk_page, searches),
            "peer": {"name": "LIKE scan (WordPress, Django admin search_fields)",
                     **time_searches(like_page, searches)},
        }
    result["ratio_median"] = result["peer"]["median_ms"] / result["newsdesk"]["median_ms"]
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"search on {result['database']}: {args.articles:,} articles (stored in {fill_s:.1f} s, "
          f"index included), {len(searches)} searches from the corpus's headlines")
    print(f"{'':28}{'median ms':>11}{'p95 ms':>10}{'matches':>10}")
    for label, row in (("newsdesk (full-text index)", result["newsdesk"]), ("peer: LIKE scan", result["peer"])):
        print(f"{label:28}{row['median_ms']:>11.2f}{row['p95_ms']:>10.2f}{row['mean_matches']:>10.0f}")
    print(f"ratio: newsdesk answers ×{result['ratio_median']:.1f} faster at the median")
    if result["database"] == "postgresql":
        from newsdesk.desk.search import LISTED_MATCHES

        print(f"(newsdesk's matches are those it lists: on PostgreSQL a search with more than "
              f"{LISTED_MATCHES:,} lists its newest {LISTED_MATCHES:,}, ranked, and says more match)")
    return 0
