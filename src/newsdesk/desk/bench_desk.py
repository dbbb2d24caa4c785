"""The scratch desk `newsdesk bench site` serves: what a reader's pages find on a real desk.

A reader's pages cost what the desk holds: articles filed under the countries and regions
of the real region tree, the names they mention (entity pages), their developing stories
(story pages, `/stories/`, the home page's block), term vectors (Recommended to you) and
reads (Must read). A desk of bare articles would time empty pages.

Two ways to build it:
- from a corpus (JSON lines: title, body, date, dateline; Reuters-21578 by default): each
  record the desk uses is *understood once* by the pipeline's own stages (countries and
  filing, names, term vector, story clustering), and the articles are then stored in bulk
  (`search_bench.store`), cycling the records as often as ``n`` asks, each pass a later
  stretch of time with its own story rows. 100,000 articles take minutes, not the hours
  100,000 ingests would; the cost of understanding follows ``distinct``, not ``n``.
- from a folder of HTML pages (the WordPress peer's export, say): each page goes through
  the real ingest path (`desk.ingest`), the way `newsdesk ingest DIR` files it. For small
  desks: ingest costs about a quarter of a CPU-second per page.

Articles are dated up to now at ``PER_DAY`` a day, so the newest stories are still
developing and the recent pool the recommendations draw from is full.
"""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from newsdesk.desk.search_bench import store

PER_DAY = 250  # articles a day: 2,000 span eight days, 100,000 a bit over a year
READ_ARTICLES = 200  # recent articles given reads this hour (the Must read fallback)
SOURCE_SLUG = "bench-wire"
WORLD_SLUG = "world"
PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n {2,}")  # Reuters-21578 indents each new paragraph
SIGN_OFF = re.compile(r"\s+reuters?\s*$", re.I)  # the wire's sign-off, not the story's
WORD = re.compile(r"[^\W\d_]{5,}")
WORD_SAMPLE = 3_000  # articles read to choose the search words


@dataclass
class Understood:
    """One corpus record, as the pipeline's stages see it."""

    title: str
    paragraphs: list[str]
    places: list[tuple[str, float]]  # (ISO code, salience), primary first
    primary: str | None
    term_vector: dict
    mentions: list = field(default_factory=list)  # pipeline documents.Mention
    cluster: int | None = None  # the story the clusterer put it in (None: too short)

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


def paragraphs_of(body: str) -> list[str]:
    """Paragraphs with their line wraps undone; a wire's bare sign-off ("Reuter") dropped."""
    out = [" ".join(p.split()) for p in PARAGRAPH_BREAK.split(SIGN_OFF.sub("", body))]
    return [p for p in out if p]


def understand(records: list[dict]) -> list[Understood]:
    """Run the pipeline's understanding stages over each record once (spaCy included)."""
    from newsdesk import config
    from newsdesk.desk.stories import CLUSTER_SKIPS_KIND, DESK_STORY_OPTIONS
    from newsdesk.pipeline.aliases import load_aliases
    from newsdesk.pipeline.documents import Rejected
    from newsdesk.pipeline.entities import find_mentions
    from newsdesk.pipeline.nlp import load_model
    from newsdesk.pipeline.places import file_countries
    from newsdesk.pipeline.related import term_vector
    from newsdesk.pipeline.stories import StoryClusterer, StoryDoc

    nlp, aliases = load_model(config.get("NEWSDESK_SPACY_MODEL")), load_aliases()
    clusterer = StoryClusterer(DESK_STORY_OPTIONS)
    out = []
    for k, r in enumerate(records):
        paragraphs = paragraphs_of(r["body"]) or [r["body"]]
        place = r.get("dateline", "").split(",")[0].strip() or None
        found = file_countries(r["title"], paragraphs, dateline_place=place)
        u = Understood(
            title=r["title"][:500], paragraphs=paragraphs,
            places=[(p.code, p.salience) for p in found.places], primary=found.primary,
            term_vector=term_vector(r["title"], "\n\n".join(paragraphs)),
            mentions=find_mentions(r["title"], paragraphs, aliases=aliases, nlp=nlp),
        )
        try:
            clusterer.add(StoryDoc(
                key=str(k), published=r.get("date"), title=u.title, text=u.body,
                entities=[m.name for m in u.mentions if m.kind != CLUSTER_SKIPS_KIND],
                countries=[code for code, _ in u.places]))
        except Rejected:  # no content words to cluster on: no story, as on the desk
            pass
        out.append(u)
        if (k + 1) % 500 == 0:
            print(f"  understood {k + 1:,}/{len(records):,} records", file=sys.stderr)
    clusterer.settle()
    for k, u in enumerate(out):
        if str(k) in clusterer.articles:
            u.cluster = clusterer.resolve(clusterer.story_of(str(k)))
    return out


def dates(n: int, now: datetime) -> list[datetime]:
    """Article i's time: evenly spaced, oldest first, the newest now."""
    step = timedelta(days=1) / PER_DAY
    return [now - (n - 1 - i) * step for i in range(n)]


def build_from_corpus(corpus: list[dict], n: int, distinct: int) -> dict:
    """Store ``n`` articles cycled from the first ``distinct`` records; what was stored."""
    from newsdesk.desk.entities import entity_slug
    from newsdesk.desk.models import Article, ArticlePlace, Category, Entity, Mention, Source, Story

    docs = understand(corpus[:max(1, min(n, distinct, len(corpus)))])
    d = len(docs)
    when = dates(n, timezone.now())
    source, _ = Source.objects.get_or_create(slug=SOURCE_SLUG, defaults={"name": "Bench wire"})
    ids = dict(Category.objects.exclude(code="").values_list("code", "pk"))
    world = Category.objects.filter(slug=WORLD_SLUG).values_list("pk", flat=True).first()

    # One story row per cluster per pass of the corpus: a later pass is a later event.
    spans: dict[tuple[int, int], list[int]] = {}
    for i in range(n):
        lap, k = divmod(i, d)
        if docs[k].cluster is not None:
            spans.setdefault((lap, docs[k].cluster), []).append(i)
    keys = list(spans)
    story_ids = dict(zip(keys, store(
        Story(title=docs[spans[key][0] % d].title[:300], created_at=when[spans[key][0]],
              updated_at=when[spans[key][-1]]) for key in keys), strict=True))

    def articles() -> Iterator[Article]:
        for i in range(n):
            lap, k = divmod(i, d)
            u = docs[k]
            yield Article(
                url=f"https://bench.example/{lap}/{k}", title=u.title, body=u.body,
                excerpt=u.paragraphs[0][:1000], language="en", published_at=when[i],
                created_at=when[i], updated_at=when[i], content_hash=f"{lap}-{k}",
                source_id=source.pk, category_id=ids.get(u.primary or "") or world,
                story_id=story_ids.get((lap, u.cluster)), term_vector=u.term_vector)

    article_ids = store(articles())

    entities: dict[str, Entity] = {}
    for u in docs:
        for m in u.mentions:
            e = entities.setdefault(entity_slug(m.name), Entity(
                slug=entity_slug(m.name), name=m.name[:300], kind=m.kind, aliases=[]))
            e.aliases = sorted((set(e.aliases) | set(m.aliases)) - {e.name})
    entity_ids = dict(zip(entities, store(entities.values()), strict=True))
    per_doc = [_mentions(u, entity_ids, entity_slug) for u in docs]

    def mentions() -> Iterator[Mention]:
        for i, pk in enumerate(article_ids):
            for entity_id, (count, first, forms) in per_doc[i % d].items():
                yield Mention(article_id=pk, entity_id=entity_id, count=count,
                              first_position=first, surface_forms=forms)

    def places() -> Iterator[ArticlePlace]:
        for i, pk in enumerate(article_ids):
            for code, salience in docs[i % d].places:
                yield ArticlePlace(article_id=pk, code=code, salience=salience, category_id=ids.get(code))

    n_mentions, n_places = len(store(mentions())), len(store(places()))
    _read_lately(article_ids[-READ_ARTICLES:])
    return {"articles": n, "distinct_records": d, "stories": len(story_ids),
            "entities": len(entity_ids), "mentions": n_mentions, "places": n_places}


def _mentions(u: Understood, entity_ids: dict[str, int], slug_of) -> dict[int, tuple]:
    """A record's mentions by entity row: two names that slug alike are one row, counts added."""
    rows: dict[int, tuple] = {}
    for m in u.mentions:
        pk = entity_ids[slug_of(m.name)]
        if pk in rows:
            count, first, forms = rows[pk]
            rows[pk] = (count + m.count, first, forms)
        else:
            rows[pk] = (m.count, m.first_position, list(m.aliases))
    return rows


def _read_lately(article_ids: list[int]) -> None:
    """Reads this hour on the newest articles, so Must read has its fallback to show."""
    from newsdesk.desk.models import ReadCount

    rng = random.Random(7)
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    store(ReadCount(article_id=pk, hour=hour, count=rng.randint(1, 50)) for pk in article_ids)


def build_from_pages(folder: Path, n: int) -> dict:
    """Ingest up to ``n`` pages from ``folder`` through the real ingest path."""
    from newsdesk.desk.ingest import ingest_item, input_items
    from newsdesk.desk.models import Article, Entity, Story
    from newsdesk.desk.stories import settle_stories

    items = input_items(str(folder))[:n] if Path(folder).is_dir() else []
    if not items:
        raise SystemExit(f"no pages in {folder}: give --pages a folder of HTML article pages")
    statuses: dict[str, int] = {}
    for done, item in enumerate(items, 1):
        for result in ingest_item(item):
            statuses[result.status] = statuses.get(result.status, 0) + 1
        if done % 100 == 0:
            print(f"  ingested {done:,}/{len(items):,} pages", file=sys.stderr)
    settle_stories()
    return {"articles": Article.objects.count(), "pages": len(items), "ingest": statuses,
            "stories": Story.objects.count(), "entities": Entity.objects.count()}


def analyse() -> None:
    """Planner statistics, as a running desk has them (SQLite: the desk's refresh after an
    ingest run; PostgreSQL: autovacuum, whose VACUUM also lets index-only scans work)."""
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


# --- the pages a reader opens ------------------------------------------------------------

def search_words(common: str | None, rare: str | None) -> tuple[str, str]:
    """A word most articles use and a headline word only a few use, unless given."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from newsdesk.desk.models import Article

    if common and rare:
        return common, rare
    seen_in: dict[str, int] = {}
    in_titles: set[str] = set()
    for title, body in Article.objects.published().order_by("pk").values_list("title", "body")[:WORD_SAMPLE]:
        title_words = {w.lower() for w in WORD.findall(title)} - STOP_WORDS
        in_titles |= title_words
        for w in title_words | ({w.lower() for w in WORD.findall(body)} - STOP_WORDS):
            seen_in[w] = seen_in.get(w, 0) + 1
    if not seen_in:
        raise SystemExit("the scratch desk has no words to search for")
    ranked = sorted(seen_in, key=lambda w: (-seen_in[w], w))
    fewest = min(seen_in[w] for w in in_titles) if in_titles else seen_in[ranked[-1]]
    rarest = sorted(w for w in (in_titles or ranked) if seen_in[w] == fewest)
    return common or ranked[0], rare or rarest[len(rarest) // 2]


@dataclass
class ReaderPage:
    name: str  # the label a peer file uses for the same page (home, article, category …)
    path: str
    about: str = ""


def reader_pages(common: str | None = None, rare: str | None = None,
                 country_slug: str | None = None) -> list[ReaderPage]:
    """Every reader page, each at a typical address on this desk: the busiest region and
    country, the top developing story and its newest article, the most named entity …"""
    from newsdesk.desk.models import Article, Category, Mention, Story
    from newsdesk.desk.search import search
    from newsdesk.pipeline.search_query import parse

    published = Article.objects.published()
    filed = dict(published.values_list("category_id").annotate(n=Count("pk")).values_list("category_id", "n"))
    nodes = list(Category.objects.values_list("pk", "parent_id", "code", "slug", "name"))
    below: dict[int | None, list[int]] = {}
    for pk, parent, *_ in nodes:
        below.setdefault(parent, []).append(pk)

    def subtree_count(pk: int) -> int:
        return filed.get(pk, 0) + sum(subtree_count(c) for c in below.get(pk, []))

    region = max((n for n in nodes if not n[2]), key=lambda n: (subtree_count(n[0]), n[3]))
    country = max((n for n in nodes if n[2]), key=lambda n: (filed.get(n[0], 0), n[3]))
    if country_slug:
        country = next((n for n in nodes if n[3] == country_slug), None)
        if country is None:
            raise SystemExit(f"no category {country_slug!r} in the region tree")

    since = timezone.now() - timedelta(days=14)
    visible = Q(articles__status=Article.Status.PUBLISHED, articles__duplicate_of__isnull=True)
    story = (Story.objects.filter(updated_at__gte=since).annotate(n=Count("articles", filter=visible))
             .filter(n__gte=2).order_by("-updated_at", "-pk").first()
             or Story.objects.annotate(n=Count("articles", filter=visible)).order_by("-n", "-pk").first())
    in_story = published.filter(story=story) if story else published.none()
    article = (in_story.filter(mentions__isnull=False).order_by("-published_at", "-pk").first()
               or published.order_by("-published_at", "-pk").first())
    if article is None:
        raise SystemExit("the scratch desk has no published article")
    # The most named person or organisation: a heavy entity page, and one readers reach.
    mentioned = Mention.objects.values("entity_id", "entity__slug").annotate(n=Count("pk")).order_by("-n", "entity_id")
    top = mentioned.exclude(entity__kind="place").first() or mentioned.first()
    others = list(published.exclude(pk=article.pk).order_by("-published_at", "-pk")
                  .values_list("pk", flat=True)[:40:10])
    seen = ",".join(str(pk) for pk in [*others, article.pk])
    common, rare = search_words(common, rare)

    def hits(word: str) -> str:
        n = search(parse(word)).count()
        return f"{n:,} hit{'s' * (n != 1)}"

    pages = [
        ReaderPage("home", "/"),
        ReaderPage("region", f"/category/{region[3]}/", f"{region[4]}, {subtree_count(region[0]):,} articles"),
        ReaderPage("category", f"/category/{country[3]}/", f"{country[4]}, {filed.get(country[0], 0):,} filed"),
        ReaderPage("article", f"/article/{article.pk}/"),
        ReaderPage("article-json", f"/article/{article.pk}.json"),
    ]
    if top:
        pages.append(ReaderPage("entity", f"/entity/{top['entity__slug']}/", f"{top['n']:,} articles"))
    if story:
        pages.append(ReaderPage("story", f"/story/{story.pk}/", f"{story.n:,} articles"))
    pages += [
        ReaderPage("stories", "/stories/"),
        ReaderPage("search", f"/search/?{urlencode({'q': common})}", f"{common!r}, {hits(common)}"),
        ReaderPage("search-rare", f"/search/?{urlencode({'q': rare})}", f"{rare!r}, {hits(rare)}"),
        ReaderPage("feed", "/feed/rss/"),
        ReaderPage("recommend", f"/recommend?seen={seen}", f"{seen.count(',') + 1} read"),
    ]
    return pages
