"""`newsdesk bench ingest`: a one-file ingest into a big desk, and ingest throughput.

Two figures a desk at scale lives on:
  (a) how long `newsdesk ingest one.html` takes, end to end (process start, Django,
      the spaCy model, the copy and story state, the article's filing), into a desk that
      already holds ``--articles`` articles;
  (b) how many articles per CPU-second the real ingest path files (extraction, entities,
      countries, copies, stories, the database), over ``--pages`` article pages of about
      630 words, with the CPU time of each stage so the one that dominates is named.

Like `bench search` it never touches the desk's own database: it fills a scratch one
(SQLite in a temporary folder, or a PostgreSQL database created beside
``--database-url`` and dropped afterwards) through `search_bench.fill`, giving each row
the state the real path would have left: its copy signature and LSH bands, its story
record and story, and the story clusterer's tables. Lap after lap of the corpus is dated
a month later and has the words of each sentence reversed, so no lap is a copy of another
(five-word shingles differ) while its stories stay as rich as the first lap's. The articles' entity names and
countries are left out of that state (the NER is what the fill would otherwise spend its
hours on): their story records carry none.

The pages timed are the corpus's long articles (450 to 900 words), held out of the fill
and written as article pages like the WordPress peer's export (``make_pages.py``), or
the pages of ``--page-dir`` (that export itself).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from newsdesk.desk import search_bench

HELP = "ingest: one-file ingest time into a desk of N articles, and articles per CPU-second by stage"
PAGE_WORDS = (450, 900)  # long Reuters articles: about 630 words on average, like the peer's posts
PROBES = 3  # one-file ingests timed (the median is reported)
SENTENCE = re.compile(r"(?<=[.!?])\s+")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=search_bench.DEFAULT_DATA,
                        help="JSON lines (.gz too) with title, body and date (default: %(default)s)")
    parser.add_argument("--articles", type=int, default=20_000,
                        help="articles already on the desk (default: %(default)s)")
    parser.add_argument("--pages", type=int, default=40,
                        help="article pages ingested for the throughput figure (default: %(default)s)")
    parser.add_argument("--page-dir", type=Path, default=None,
                        help="time these HTML article pages instead of the corpus's long articles "
                             "(the WordPress peer's export, say)")
    parser.add_argument("--database-url", default="",
                        help="a PostgreSQL server to bench on (a scratch database is created and "
                             "dropped there); SQLite in a temporary folder when left out")
    parser.add_argument("--keep", type=Path, default=None,
                        help="SQLite only: copy the filled desk to this file (before anything is "
                             "timed), so a later run can --reuse it")
    parser.add_argument("--reuse", type=Path, default=None,
                        help="SQLite only: start from a copy of a desk kept with --keep instead of "
                             "filling one (the fill of 100,000 articles takes many minutes)")
    parser.add_argument("--json", action="store_true")


# --- the corpus: held-out pages and the fill ------------------------------------------


def split_corpus(corpus: list[dict], pages: int) -> tuple[list[dict], list[dict]]:
    """(fill rows, page rows): the long articles, up to ``pages`` + PROBES, are held out."""
    lo, hi = PAGE_WORDS
    long = [r for r in corpus if lo <= len(r["body"].split()) <= hi]
    held = long[: pages + PROBES]
    keep = {id(r) for r in held}
    return [r for r in corpus if id(r) not in keep], held


def page_html(row: dict, n: int) -> str:
    """An article page in the shape of the WordPress peer's export."""
    title = html.escape(row["title"].title())
    when = (row["date"] or search_bench.datetime(2026, 1, 1, tzinfo=search_bench.UTC)).isoformat()
    paras = [" ".join(p.split()) for p in re.split(r"\n\s{2,}", row["body"]) if p.strip()]
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{title}</title>
<link rel="canonical" href="https://pages.example/{n}">
<meta property="article:published_time" content="{when}">
</head><body>
<nav class="breadcrumb">News &rsaquo; Business</nav>
<article>
<h1>{title}</h1>
<time datetime="{when}">{when[:10]}</time>
{body}
</article>
</body></html>
"""


def write_pages(rows: list[dict], folder: Path) -> list[Path]:
    paths = []
    for n, row in enumerate(rows):
        path = folder / f"page-{n:04d}.html"
        path.write_text(page_html(row, n), encoding="utf-8")
        paths.append(path)
    return paths


def lap_text(text: str, lap: int) -> str:
    """Lap 0 as it is; later laps with each sentence's words reversed (not a copy)."""
    if not lap:
        return text
    return "\n".join(" ".join(" ".join(reversed(s.split())) for s in SENTENCE.split(line))
                     for line in text.split("\n"))


class StateFiller:
    """Gives each bench row the copy and story state the real path would have stored."""

    def __init__(self, total: int) -> None:
        from django.utils import timezone

        from newsdesk.desk.copies import copy_options
        from newsdesk.desk.stories import DESK_STORY_OPTIONS
        from newsdesk.pipeline.story_state import DeskClusterer

        self.options = copy_options()
        self.clusterer = DeskClusterer(DESK_STORY_OPTIONS)
        self.next_story = 0
        self.titles: dict[int, str] = {}
        self.next_pk = 0
        self.start = timezone.now() - timedelta(seconds=10 * total)  # inside the rebuild window

    def _allocate(self) -> int:
        self.next_story += 1
        return self.next_story

    def prepare(self, article, lap: int) -> None:
        from newsdesk.pipeline.copies import copy_signature
        from newsdesk.pipeline.documents import Rejected
        from newsdesk.pipeline.stories import StoryDoc
        from newsdesk.pipeline.story_state import record_of

        self.next_pk += 1
        article.pk = self.next_pk  # known before the insert: the story record is keyed by it
        article.body = lap_text(article.body, lap)
        article.created_at = article.updated_at = self.start + timedelta(seconds=10 * self.next_pk)
        try:
            article.copy_signature = copy_signature(article.body, self.options)
        except Rejected:
            article.copy_signature = []
        key = str(article.pk)
        self.clusterer.allocate = self._allocate
        try:
            sid = self.clusterer.add(StoryDoc(key=key, published=article.published_at,
                                              title=article.title, text=article.body))
        except Rejected:
            return
        self.titles.setdefault(sid, article.title[:300])
        article.story_id = sid
        article.story_record = record_of(self.clusterer, key)

    def saved(self, articles) -> None:
        from newsdesk.desk.copies import store_bands

        store_bands([(a.pk, a.copy_signature) for a in articles], self.options)

    def finish(self) -> None:
        """Stories as rows, folds applied (the end of the run settles, as ingest does)."""
        from django.core.management.color import no_style
        from django.db import connection

        from newsdesk.desk.models import Article, Story
        from newsdesk.desk.story_store import write_state

        c = self.clusterer
        c.allocate = self._allocate
        c.settle()
        for new, (old, _) in c.split_off.items():  # split off at settle: a row each
            self.titles[new] = self.titles.get(old, "")
        Story.objects.bulk_create(
            [Story(pk=sid, title=title, created_at=self.start, updated_at=self.start)
             for sid, title in self.titles.items()], batch_size=search_bench.BATCH)
        for new, (_, keys) in c.split_off.items():
            for at in range(0, len(keys), search_bench.BATCH):
                Article.objects.filter(pk__in=[int(k) for k in keys[at:at + search_bench.BATCH]]
                                       ).update(story_id=new)
        for gone in sorted(c.aliases):
            keep = c.resolve(gone)
            Article.objects.filter(story_id=gone).update(story_id=keep)
            Story.objects.filter(pk=gone).update(state={"merged_into": keep})
        write_state(c)
        with connection.cursor() as cur:  # ids were given, not drawn: move the sequences on
            for sql in connection.ops.sequence_reset_sql(no_style(), [Article, Story]):
                cur.execute(sql)


def fill_desk(corpus: list[dict], n: int) -> float:
    from django.db import transaction

    filler = StateFiller(n)
    start = time.perf_counter()
    with transaction.atomic():  # the stories are written last: foreign keys are checked at commit
        search_bench.fill(corpus, n, prepare=filler.prepare, saved=filler.saved)
        filler.finish()
    return time.perf_counter() - start


# --- (a) one file, end to end -----------------------------------------------------------


def one_file_ingest(path: Path, env: dict) -> dict:
    """`newsdesk ingest PATH` as its own process: wall seconds and its CPU seconds."""
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "newsdesk.cli", "ingest", "--json", str(path)],
                          env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = os.times()
    if done.returncode != 0:
        raise SystemExit(f"newsdesk ingest {path} failed:\n{done.stderr[-2000:]}")
    status = json.loads(done.stdout.strip().splitlines()[-1]).get("status")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return {"wall_s": wall, "cpu_s": cpu, "status": status}


# --- (b) throughput by stage ------------------------------------------------------------

# (label, module, attribute): the real path's stages, timed where it calls them. None of
# them runs inside another, so their CPU times add up; the rest is the database and glue.
STAGES = (
    ("extraction", "newsdesk.pipeline.extract", "extract"),
    ("entities (spaCy NER)", "newsdesk.desk.entities", "find_mentions"),
    # linking the names to the desk's entities: reading their keys, storing new ones
    ("entity linking", "newsdesk.desk.entities", "known_entities"),
    ("entity linking", "newsdesk.desk.entity_links", "register_many"),
    ("entity linking", "newsdesk.desk.entity_links", "absorb_bare_many"),
    ("countries", "newsdesk.pipeline.places", "file_countries"),
    ("related vector", "newsdesk.pipeline.related", "term_vector"),
    ("copies (MinHash, LSH)", "newsdesk.desk.filing", "link_copies"),
    ("stories", "newsdesk.desk.filing", "file_story"),
)


@contextmanager
def timed_stages(spent: dict[str, float]):
    """Wrap each stage's function where the path looks it up; CPU seconds add to ``spent``."""
    import importlib

    originals = []
    for label, module_name, attr in STAGES:
        module = importlib.import_module(module_name)
        fn = getattr(module, attr)

        def wrapper(*args, _fn=fn, _label=label, **kwargs):
            start = time.process_time()
            try:
                return _fn(*args, **kwargs)
            finally:
                spent[_label] += time.process_time() - start

        originals.append((module, attr, fn))
        setattr(module, attr, wrapper)
    try:
        yield
    finally:
        for module, attr, fn in reversed(originals):
            setattr(module, attr, fn)


def throughput(paths: list[Path]) -> dict:
    """Ingest the pages through the real path in this process, after one warm-up page
    (the model load is a start-up cost, timed in (a), not a per-article one)."""
    from newsdesk.desk.ingest import ingest_target
    from newsdesk.desk.stories import settle_stories

    list(ingest_target(str(paths[0])))
    spent: dict[str, float] = defaultdict(float)
    statuses: dict[str, int] = defaultdict(int)
    with timed_stages(spent):
        cpu0, wall0 = time.process_time(), time.perf_counter()
        for path in paths[1:]:
            for result in ingest_target(str(path)):
                statuses[str(result.status)] += 1
        settle_stories()
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    n = len(paths) - 1
    stages = dict(sorted(spent.items(), key=lambda kv: -kv[1]))
    stages["database and the rest"] = max(0.0, cpu - sum(spent.values()))
    dominant = max(stages, key=stages.get)
    return {"pages": n, "statuses": dict(statuses), "cpu_s": cpu, "wall_s": wall,
            "articles_per_cpu_s": n / cpu if cpu else 0.0,
            "stages_cpu_s": stages, "dominant_stage": dominant}


# --- a filled desk kept for later runs ---------------------------------------------------

# What a kept desk was filled with; a reuse must ask for the same pages (held out of the
# fill) and corpus, or the pages timed could be copies of articles on the desk.
KEPT_KEYS = ("data", "articles", "pages", "page_dir")


def kept_meta(args) -> dict:
    return {"data": str(args.data), "articles": args.articles, "pages": args.pages,
            "page_dir": str(args.page_dir) if args.page_dir else None}


def sqlite_file(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def keep_desk(url: str, path: Path, args) -> None:
    """Copy the scratch SQLite file (checkpointed, so the copy is whole) beside its meta."""
    import shutil

    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(sqlite_file(url), path)
    path.with_name(path.name + ".json").write_text(json.dumps(kept_meta(args)), encoding="utf-8")


def reuse_desk(path: Path, url: str, args) -> dict:
    """Copy a kept desk into the scratch place; the meta it was filled with."""
    import shutil

    meta_path = path.with_name(path.name + ".json")
    if not path.is_file() or not meta_path.is_file():
        raise SystemExit(f"{path} is not a desk kept by `bench ingest --keep` (it needs {meta_path.name} beside it)")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    wanted = kept_meta(args)
    differ = [k for k in KEPT_KEYS if k != "articles" and meta.get(k) != wanted[k]]
    if differ:
        raise SystemExit(f"{path} was filled with " + ", ".join(f"{k}={meta.get(k)}" for k in differ)
                         + "; ask for the same to reuse it")
    shutil.copyfile(path, sqlite_file(url))
    return meta


# --- the run ----------------------------------------------------------------------------


def run(args) -> int:
    from django.conf import settings

    if settings.configured:  # its scratch database is chosen before Django starts
        raise SystemExit("bench ingest runs as its own process, not inside a running desk")
    if args.pages < 2:
        raise SystemExit("--pages must be at least 2 (one warm-up page, then the timed ones)")
    corpus, held = split_corpus(search_bench.load_corpus(args.data), args.pages)
    if len(held) < args.pages + PROBES:
        raise SystemExit(f"the corpus has only {len(held)} articles of {PAGE_WORDS[0]}-{PAGE_WORDS[1]} "
                         f"words; ask for --pages {max(2, len(held) - PROBES)} at most")
    given = sorted(args.page_dir.glob("*.html"))[: args.pages + PROBES] if args.page_dir else []
    if args.page_dir and len(given) < args.pages + PROBES:
        raise SystemExit(f"{args.page_dir} has {len(given)} .html pages; --pages {args.pages} needs "
                         f"{args.pages + PROBES}")
    if (args.keep or args.reuse) and args.database_url:
        raise SystemExit("--keep and --reuse keep a SQLite desk; leave out --database-url")
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-ingest-") as tmp, \
            search_bench.scratch_database(args.database_url) as url:
        folder = Path(tmp)
        paths = given or write_pages(held, folder)
        if args.reuse:
            args.articles = reuse_desk(args.reuse, url, args)["articles"]
        os.environ["NEWSDESK_DATABASE_URL"] = url
        os.environ["NEWSDESK_DATA_DIR"] = str(folder / "data")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", interactive=False, verbosity=0)  # a reused desk too: new indexes
        from newsdesk.desk.setup import sync_categories

        fill_s = 0.0
        if not args.reuse:
            sync_categories()
            fill_s = fill_desk(corpus, args.articles)
        from newsdesk.desk.models import CopyBand, Story, StoryCentroid

        state = {"copy_bands": CopyBand.objects.count(), "stories": Story.objects.count(),
                 "live_stories": StoryCentroid.objects.count()}
        with connection.cursor() as cur:  # planner statistics, as a running desk has them
            cur.execute("ANALYZE")
        if args.keep:
            keep_desk(url, args.keep, args)
        connection.close()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        probes = [one_file_ingest(p, env) for p in paths[:PROBES]]
        connection.connect()
        bulk = throughput(paths[PROBES:])
        load = os.getloadavg()
        result = {
            "database": connection.vendor,
            "articles": args.articles,
            "fill_s": fill_s,
            "reused": str(args.reuse) if args.reuse else None,
            "state": state,
            "one_file": {"median_wall_s": statistics.median(p["wall_s"] for p in probes),
                         "runs": probes},
            "throughput": bulk,
            "load_average": list(load),
        }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    one = result["one_file"]
    filled = (f"a copy of {args.reuse}" if args.reuse
              else f"filled with their copy and story state in {fill_s:.1f} s")
    print(f"ingest on {result['database']}: {args.articles:,} articles on the desk "
          f"({filled}); load average "
          f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    runs = ", ".join(f"{p['wall_s']:.2f} s wall / {p['cpu_s']:.2f} s CPU" for p in one["runs"])
    print(f"(a) one-file `newsdesk ingest`, end to end: median {one['median_wall_s']:.2f} s "
          f"({runs})")
    source = f"from {args.page_dir}" if args.page_dir else f"of {PAGE_WORDS[0]}-{PAGE_WORDS[1]} words"
    print(f"(b) throughput: {bulk['pages']} pages {source}, "
          f"{bulk['articles_per_cpu_s']:.1f} articles per CPU-second "
          f"({bulk['cpu_s']:.1f} CPU s, {bulk['wall_s']:.1f} s wall; "
          f"{', '.join(f'{k} {v}' for k, v in bulk['statuses'].items())})")
    print(f"    {'stage':30}{'CPU s':>8}{'share':>8}{'ms/article':>12}")
    for label, spent in bulk["stages_cpu_s"].items():
        share = spent / bulk["cpu_s"] if bulk["cpu_s"] else 0.0
        print(f"    {label:30}{spent:>8.2f}{share:>8.0%}{1000 * spent / bulk['pages']:>12.1f}")
    print(f"    dominant stage: {bulk['dominant_stage']}")
    return 0
