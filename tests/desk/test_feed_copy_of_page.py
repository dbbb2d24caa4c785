"""An outlet's feed item that carries a wire story the desk already has, whole or cut short,
is filed as a copy of it: the entity page, the story and the blocks show the story once."""

from __future__ import annotations

import html

import pytest

from tests.conftest import SEED

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(not SEED.exists(), reason="needs ../shared/seeds (the seed page)")]


def rss(title: str, paragraphs: list[str]) -> str:
    content = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"""<?xml version="1.0"?><rss version="2.0"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Gulf Wire</title>
<link>https://gulfwire.example/</link><description>News</description>
<item><title>{html.escape(title)}</title><link>https://gulfwire.example/iran-group-us</link>
<guid>gw-1</guid><pubDate>Fri, 06 Jan 2012 18:00:00 GMT</pubDate>
<description>{html.escape(paragraphs[0])}</description>
<content:encoded><![CDATA[{content}]]></content:encoded></item></channel></rss>"""


@pytest.mark.parametrize("kept", [None, -2])
def test_an_rss_copy_of_the_seed_is_a_copy(tmp_path, client, kept):
    from newsdesk.desk.ingest import ingest_target
    from newsdesk.desk.models import Article

    [seed] = [r.article for r in ingest_target(str(SEED))]
    paragraphs = seed.paragraphs if kept is None else seed.paragraphs[:kept]  # last two cut
    feed = tmp_path / "gulfwire.xml"
    feed.write_text(rss(seed.title, paragraphs), encoding="utf-8")
    [item] = list(ingest_target(str(feed)))
    copy = Article.objects.get(pk=item.article.pk)
    assert copy.duplicate_of_id == seed.pk, (item.status, item.message)
    from newsdesk.desk.models import Entity

    entities = Entity.objects.filter(mentions__article=seed).distinct()
    assert entities.filter(aliases__icontains="PMOI").exists() or entities.filter(
        name__icontains="Mojahedin").exists()
    for entity in entities:
        ids = [a["id"] for a in client.get(f"/entity/{entity.slug}.json").json()["articles"]]
        assert ids.count(seed.pk) == 1 and copy.pk not in ids, entity.slug


def test_the_seed_after_its_rss_copy_is_a_copy(tmp_path, client):
    """The other order: the outlet's feed is read first, the agency's page after."""
    from newsdesk.desk.ingest import ingest_target
    from newsdesk.desk.models import Article
    from newsdesk.pipeline.documents import Capture
    from newsdesk.pipeline.extract import extract

    draft = extract(Capture(content=SEED.read_bytes(), url=SEED.as_uri(), content_type="text/plain"))
    feed = tmp_path / "gulfwire.xml"
    feed.write_text(rss(draft.title, draft.paragraphs), encoding="utf-8")
    [item] = list(ingest_target(str(feed)))
    [seed] = [r.article for r in ingest_target(str(SEED))]
    pair = {a.pk: a.duplicate_of_id for a in Article.objects.filter(pk__in=[item.article.pk, seed.pk])}
    copies = {pk: of for pk, of in pair.items() if of is not None}
    assert len(copies) == 1 and set(copies.items()) <= {(item.article.pk, seed.pk),
                                                        (seed.pk, item.article.pk)}, pair
