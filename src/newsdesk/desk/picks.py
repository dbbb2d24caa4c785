"""Editors' Must read: articles added at the end of the list, each at most once."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Max

from newsdesk.desk.models import Article, Pick


@dataclass
class Added:
    added: list[Article] = field(default_factory=list)  # new picks, published ones and not
    already: list[Article] = field(default_factory=list)  # had a pick that has not expired
    unseen: list[Article] = field(default_factory=list)  # added, but readers cannot see them yet


def add_picks(articles: list[Article]) -> Added:
    """Pick the articles, in the order given, after the picks there are; an article
    already picked (and not expired) keeps its place."""
    result = Added()
    picked = set(Pick.objects.unexpired().filter(article__in=articles).values_list("article_id", flat=True))
    position = (Pick.objects.aggregate(m=Max("position"))["m"] or 0) + 1 if Pick.objects.exists() else 0
    for article in articles:
        if article.pk in picked:
            result.already.append(article)
            continue
        Pick.objects.create(article=article, position=position)
        position += 1
        picked.add(article.pk)
        result.added.append(article)
        if article.status != Article.Status.PUBLISHED or article.duplicate_of_id:
            result.unseen.append(article)
    return result
