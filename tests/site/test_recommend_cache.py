"""Recommended to you is answered once per reading history and desk state: the same history
asked again is answered from the server's cache, an editor's change ranks afresh, and the
answer itself stays private (no HTTP cache keeps it)."""

from __future__ import annotations

from django.core.cache import cache

from newsdesk.desk.models import Article
from newsdesk.site import blocks


def _ranking_calls(monkeypatch) -> list:
    calls = []
    real = blocks.recommended

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(blocks, "recommended", counting)
    return calls


def test_the_same_history_is_ranked_once(client, newsroom, related_module, monkeypatch):
    cache.clear()
    calls = _ranking_calls(monkeypatch)
    first = client.post("/recommend.json", {"seen": str(newsroom.seed.pk)})
    again = client.post("/recommend.json", {"seen": str(newsroom.seed.pk)})
    assert first.json()["items"] == again.json()["items"] != []
    assert again.content == first.content
    assert len(calls) == 1
    page = client.post("/recommend", {"seen": str(newsroom.seed.pk)})  # the HTML answer is its own
    assert page["Content-Type"].startswith("text/html") and len(calls) == 2
    assert "private" in again["Cache-Control"] and "no-store" in again["Cache-Control"]
    client.post("/recommend.json", {"seen": f"{newsroom.seed.pk},{newsroom.rushdie.pk}"})
    assert len(calls) == 3  # another history is its own ranking


def test_an_editors_hide_is_seen_by_the_next_recommendation(client, newsroom, related_module):
    cache.clear()
    ids = [i["id"] for i in client.post("/recommend.json", {"seen": str(newsroom.seed.pk)}).json()["items"]]
    assert newsroom.terror_list.pk in ids
    Article.objects.filter(pk=newsroom.terror_list.pk).update(status=Article.Status.HIDDEN)
    ids = [i["id"] for i in client.post("/recommend.json", {"seen": str(newsroom.seed.pk)}).json()["items"]]
    assert newsroom.terror_list.pk not in ids
