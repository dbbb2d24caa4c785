"""The sources page: who the desk reads, what it publishes of each, which agencies it credits."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.site.conftest import get_json


def test_each_outlet_with_its_articles_copies_and_feeds(newsroom, client):
    from newsdesk.desk.models import Feed

    Feed.objects.create(url="https://www.reuters.com/world/rss", title="Reuters World", source=newsroom.reuters)
    Feed.objects.create(url="https://gone.example/rss", title="Old", source=newsroom.afp, active=False)
    data = get_json(client, "/sources.json")
    by_name = {o["name"]: o for o in data["outlets"]}
    reuters, afp = by_name[newsroom.reuters.name], by_name[newsroom.afp.name]
    assert [o["name"] for o in data["outlets"]][:1] == [newsroom.reuters.name]  # the most published first
    # Reuters: the seed, the same-story piece and the terror-list piece; the copy has no source
    assert (reuters["articles"], reuters["copies"]) == (3, 0)
    assert reuters["feeds"] == [{"title": "Reuters World", "url": "https://www.reuters.com/world/rss"}]
    assert afp["articles"] == 2 and afp["feeds"] == []  # an inactive feed is not listed
    # the newest Reuters article is the seed, half a day old
    latest = datetime.fromisoformat(reuters["latest"].replace("Z", "+00:00"))
    assert abs(latest - newsroom.seed.published_at) < timedelta(milliseconds=1)  # JSON keeps ms


def test_the_agencies_the_articles_credit(newsroom, client):
    agencies = {a["name"]: a["articles"] for a in get_json(client, "/sources.json")["agencies"]}
    # the hidden report and the copy do not count
    assert agencies == {"Reuters": 3, "AFP": 1}


def test_the_page_and_its_link_in_every_footer(newsroom, client):
    html = client.get("/sources/").content.decode()
    assert "<th scope=\"row\">" in html and "Wire agencies credited" in html
    assert 'href="/sources/"' in client.get("/").content.decode()


def test_an_empty_desk_says_so(db, client):
    html = client.get("/sources/").content.decode()
    assert "Nothing published yet." in html
