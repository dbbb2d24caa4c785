"""Filing: an article's countries, its place in the region tree, and what relates it.

Runs inside the article's transaction, in this order: countries and category, the
related-articles vector, entity mentions, then syndicated copies (`desk.copies`) and the
developing story (`desk.stories`) — the story step reads the mentions and countries, and
a copy takes its canonical's story instead of being clustered. Those last two steps run
one article at a time across workers (`copies.hold_linking_lock`, held to commit), so
each sees the copies and stories the others filed. An editor's choice of category
(category_locked) survives re-filing.
"""

from __future__ import annotations

from newsdesk.desk.copies import hold_linking_lock, link_copies
from newsdesk.desk.entities import record_mentions
from newsdesk.desk.models import Article, ArticlePlace, Category
from newsdesk.desk.stories import file_story
from newsdesk.pipeline import documents as doc

WORLD_SLUG = "world"


def category_ids_by_code() -> dict[str, int]:
    """ISO code → category id; one small query per article, so tree edits apply at once."""
    return dict(Category.objects.exclude(code="").values_list("code", "pk"))


def file_article(article: Article, draft: doc.Draft) -> None:
    from newsdesk.pipeline.places import file_countries
    from newsdesk.pipeline.related import term_vector

    place = draft.wire.dateline.place if draft.wire.dateline else None
    found = file_countries(draft.title, draft.paragraphs, dateline_place=place)
    ids = category_ids_by_code()
    ArticlePlace.objects.filter(article=article).delete()
    ArticlePlace.objects.bulk_create([
        ArticlePlace(article=article, code=p.code, salience=p.salience, category_id=ids.get(p.code))
        for p in found.places
    ])
    if not article.category_locked:
        primary = ids.get(found.primary) if found.primary else None
        if primary is None:
            primary = Category.objects.filter(slug=WORLD_SLUG).values_list("pk", flat=True).first()
        article.category_id = primary
    article.term_vector = term_vector(draft.title, draft.body)
    article.save(update_fields=["category", "term_vector"])
    record_mentions(article, draft)
    # Copies and stories are decided one article at a time across workers: the lock is
    # held until this transaction commits. Their state is read from the database then.
    hold_linking_lock()
    link_copies(article, draft)
    file_story(article, draft)
