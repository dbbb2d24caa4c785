"""The desk benchmark's desk side: ingest a set into a scratch desk, read back what readers see.

`newsdesk eval desk` (``newsdesk.evals.desk``) calls `predict` in a process of its own: the
set's inputs go, in order, through the real ingest path (`ingest_item` on each file, then the
run's end as ``newsdesk ingest`` does it: `settle_stories` and the planner statistics), into
a throwaway database (`search_bench.scratch_database`: a temporary SQLite file, or a
PostgreSQL database made beside ``--database-url`` and dropped afterwards) set up as a new
desk is (schema and region tree). Nothing is read from the desk's own database or cache.

Then each gold line's article is read as a reader reads it, through the site's JSON twin
(`/article/<id>.json` with Django's test client, in-process, on a host the settings accept):
a copy's twin redirects to its canonical article, which is what the reader is then shown,
and that page lists the copy under "Also published by" with its own headline and date, which
are the copy's; an article the site does not show (404) counts as refused. Each line becomes a prediction in the
reference scorer's format: refused or not from the ingest run's report and the site's answer,
every field from the JSON twin, never from the pipeline's own values.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from newsdesk.desk.search_bench import scratch_database

REFUSED = ("rejected", "failed")


def predict(set_dir: Path, gold: list[dict], database_url: str = "", progress: bool = True) -> dict:
    """Prediction lines (one per gold line, in gold order) and what the run noticed."""
    from django.conf import settings

    if settings.configured:  # its scratch database is chosen before Django starts
        raise SystemExit("eval desk runs as its own process, not inside a running desk")
    with scratch_database(database_url, purpose="evaldesk") as url, \
            tempfile.TemporaryDirectory(prefix="newsdesk-evaldesk-data-") as data_dir:
        # a scratch desk: its own database, data folder and in-process cache
        os.environ.update({"NEWSDESK_DATABASE_URL": url, "NEWSDESK_DATA_DIR": data_dir,
                           "NEWSDESK_CACHE_URL": ""})
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
        import django

        django.setup()
        from django.db import connection

        from newsdesk.desk.setup import ensure_ready

        ensure_ready()
        results, notes = ingest_set(Path(set_dir), gold, progress)
        reader = Reader()
        lines = [reader.line(g["file"], results.get(g["file"])) for g in gold]
        notes["database"] = connection.vendor
        connection.close()
    return {"lines": lines, "notes": notes}


def ingest_set(set_dir: Path, gold: list[dict], progress: bool) -> tuple[dict, dict]:
    """Ingest every input file in order; the ingest result of each gold line, by its key.

    A feed file's results are matched to its gold lines in the order the feed lists its items
    (one result per item, a skipped item reported as refused). Where the counts differ the
    order says nothing: the run names the file and its lines have no result (scored as
    refused) rather than another item's."""
    from newsdesk.desk.ingest import ingest_item, input_items
    from newsdesk.desk.planner_stats import refresh_planner_stats
    from newsdesk.desk.stories import settle_stories

    keys = defaultdict(list)  # input file -> its gold keys, in gold order
    for g in gold:
        keys[g["file"].split("#", 1)[0]].append(g["file"])
    files = input_items(str(set_dir / "inputs"))
    by_key, mismatched = {}, []
    for n, path in enumerate(files, 1):
        results = list(ingest_item(path))
        name = f"inputs/{Path(path).relative_to(set_dir / 'inputs').as_posix()}"
        wanted = keys.get(name, [])
        if len(wanted) != len(results):
            mismatched.append({"file": name, "gold_lines": len(wanted), "results": len(results)})
            continue
        by_key.update(zip(wanted, results, strict=True))
        if progress and (n % 50 == 0 or n == len(files)):
            print(f"  ingested {n}/{len(files)} files", file=sys.stderr, flush=True)
    settle_stories()  # the run's end, as `newsdesk ingest` does it
    refresh_planner_stats()
    return by_key, {"files": len(files), "count_mismatches": mismatched}


class Reader:
    """A reader of the scratch desk's site: Django's test client on a host the site answers
    to outside tests, each article twin fetched once."""

    def __init__(self):
        from django.conf import settings
        from django.test import Client

        host = next((h for h in settings.ALLOWED_HOSTS if h not in ("*", "testserver")
                     and not h.startswith(".")), "127.0.0.1")
        self.client = Client(HTTP_HOST=host)
        self.pages: dict[int, tuple[int, dict | None, int | None]] = {}

    def article(self, pk: int) -> tuple[int, dict | None, int | None]:
        """(HTTP status, the twin's article, the article a copy's twin redirects to)."""
        if pk not in self.pages:
            response = self.client.get(f"/article/{pk}.json")
            target = None
            if response.status_code in (301, 302):
                found = re.search(r"/article/(\d+)", response["Location"])
                target = int(found.group(1)) if found else None
            body = response.json()["article"] if response.status_code == 200 else None
            self.pages[pk] = (response.status_code, body, target)
        return self.pages[pk]

    def line(self, key: str, result) -> dict:
        """One prediction line: what a reader following this input's article was shown."""
        line = {"file": key, "status": "rejected", "article_id": None, "story_id": None, "copy_of": None}
        if result is None or result.status in REFUSED or result.article is None:
            line["reason"] = "no result" if result is None else (result.reason or result.status)
            return line
        pk = canonical = result.article.pk
        status, article, target = self.article(pk)
        seen = {pk}
        while target is not None and target not in seen:  # a copy: the reader lands on its canonical
            seen.add(target)
            canonical = target
            status, article, target = self.article(target)
        if article is None:
            line.update(article_id=pk, reason=f"not shown (HTTP {status})")
            return line
        line.update(status="duplicate" if canonical != pk else result.status, article_id=pk,
                    copy_of=canonical if canonical != pk else None, **shown_fields(article))
        if canonical != pk:
            line.update(copy_fields(article, pk))
        return line


def shown_fields(article: dict) -> dict:
    """The scored fields of an article twin, as the page prints them."""
    published = article.get("published")
    entities = [{"form": form, "entity_id": e["slug"]}
                for e in article.get("entities") or [] for form in (e.get("forms") or [e["name"]])]
    return {
        "story_id": (article.get("story") or {}).get("id"),
        "published": published[:10] if published else None,
        "agency": article.get("agency"),
        "title": article.get("title"),
        "body": shown_body(article),
        "countries": [p["code"] for p in article.get("places") or []],
        "entities": entities,
    }


def copy_fields(canonical: dict, pk: int) -> dict:
    """What the canonical page shows of one of its copies, under "Also published by": the
    copy's own headline and date (the rest of the copy is the canonical's text)."""
    entry = next((c for c in canonical.get("also_published") or [] if c["id"] == pk), None)
    if entry is None:
        return {}
    return {"title": entry["title"],
            "published": entry["published"][:10] if entry.get("published") else None}


def shown_body(article: dict) -> str:
    """The paragraphs, joined by blank lines. The page prints the lede above them and leaves
    out a first paragraph that only repeats it (a feed item's summary, say): a lede whose
    words the paragraphs do not carry is read as the body's first paragraph; one they carry
    (the same sentence with its dateline) is not read twice."""
    from newsdesk.evals.extraction import shingles

    paragraphs = [p["text"] for p in article.get("paragraphs") or [] if p["text"].strip()]
    lede = (article.get("excerpt") or "").strip()
    if lede:
        words, body = shingles(lede), shingles("\n\n".join(paragraphs))
        if sum((words & body).values()) < 0.5 * sum(words.values()):
            paragraphs.insert(0, lede)
    return "\n\n".join(paragraphs)
