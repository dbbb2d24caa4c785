"""The clusterer whose state lives in the database decides as the in-memory one does.

The same stream of real wire articles (Reuters-21578, dated as written) goes through the
desk's `file_story` — a fresh `StoredClusterer` per article, flushed to the tables — and
through the pipeline's in-memory `DeskClusterer`; the stories they end with must hold the
same articles, folds (revisit passes, growing stories merging) included.
"""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

REUTERS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "geo" / "reuters21578-train.jsonl.gz"
ARTICLES = 240


def wire_stream(n: int) -> list[dict]:
    if not REUTERS.exists():
        pytest.skip(f"the Reuters-21578 data is not here ({REUTERS}): ../shared is absent")
    rows = []
    with gzip.open(REUTERS, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r.get("title") and len(r.get("body", "").split()) >= 40:
                when = datetime.fromisoformat(r["date"][:19]).replace(tzinfo=UTC)
                rows.append({"title": r["title"], "body": r["body"], "when": when})
            if len(rows) == n:
                break
    return rows


def partition(groups) -> set[frozenset[str]]:
    return {frozenset(keys) for keys in groups if keys}


def test_stored_and_in_memory_clusterers_make_the_same_stories():
    from newsdesk.desk import stories
    from newsdesk.desk.models import Article, Story, StoryCentroid
    from newsdesk.pipeline.documents import Draft
    from newsdesk.pipeline.stories import StoryDoc
    from newsdesk.pipeline.story_state import DeskClusterer

    memory = DeskClusterer(stories.DESK_STORY_OPTIONS)
    for n, row in enumerate(wire_stream(ARTICLES)):
        article = Article.objects.create(url=f"https://wire.example/{n}", title=row["title"],
                                         body=row["body"], published_at=row["when"], content_hash=str(n))
        draft = Draft(title=row["title"], paragraphs=row["body"].split("\n    "))
        stories.file_story(article, draft)
        memory.add(StoryDoc(key=str(article.pk), published=row["when"], title=row["title"],
                            text=draft.body))
    stories.settle_stories()
    memory.settle()

    stored = {}
    for pk, sid in Article.objects.exclude(story_record={}).values_list("pk", "story_id"):
        stored.setdefault(sid, []).append(str(pk))
    in_memory = partition(s.keys for s in memory.stories.values())
    assert partition(stored.values()) == in_memory
    assert any(len(keys) > 1 for keys in in_memory)  # the stream does make stories
    # The live stories' records are the in-memory clusterer's stories, one for one.
    records = partition(StoryCentroid.objects.values_list("record__keys", flat=True))
    assert records == in_memory
    assert Story.objects.filter(state__has_key="merged_into").count() == len(memory.aliases)


def test_an_article_deleted_in_the_admin_leaves_its_story_quietly():
    from newsdesk.desk import stories
    from newsdesk.desk.models import Article, StoryCentroid
    from newsdesk.pipeline.documents import Draft

    text = ("Iraq's oil exports from the southern port of Basra rose in March as repairs to "
            "the pipeline ended, the oil ministry said, and traders expect more next month.")
    filed = []
    for n in range(3):
        article = Article.objects.create(url=f"https://wire.example/{n}", title="Basra oil exports rise",
                                         body=text, content_hash=str(n))
        draft = Draft(title=article.title, paragraphs=[text, f"Shipments reached {n + 2} million barrels."])
        filed.append((article, draft, stories.file_story(article, draft)))
    assert len({sid for _, _, sid in filed}) == 1
    sid = filed[0][2]
    Article.objects.filter(pk=filed[0][0].pk).delete()
    again = Article.objects.get(pk=filed[1][0].pk)
    assert stories.file_story(again, filed[1][1]) == sid  # re-filed: out of its story and back
    keys = StoryCentroid.objects.get(story_id=sid).record["keys"]
    assert sorted(keys) == sorted(str(a.pk) for a, _, _ in filed[1:])
