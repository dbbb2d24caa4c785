"""Entities on the desk: the seed's names stored once each; an editor's merge holds later."""

from __future__ import annotations

import pytest

from newsdesk.cli import main
from tests.conftest import need_seed

pytestmark = pytest.mark.django_db(transaction=True)


def test_seed_mentions_are_stored_under_one_entity_each():
    from newsdesk.desk.models import Article, Entity

    assert main(["ingest", str(need_seed())]) == 0
    article = Article.objects.get()
    names = {m.entity.name: m for m in article.mentions.select_related("entity")}
    pmoi = next(m for n, m in names.items() if "PMOI" in {n, *m.entity.aliases})
    assert pmoi.entity.kind == "org"
    assert {"MEK", "Mujahadin-e Khalq"} <= set(pmoi.entity.aliases) | {pmoi.entity.name}
    assert names["Maryam Rajavi"].entity.kind == "person"
    assert names["Maryam Rajavi"].count >= 3  # "Rajavi" alone counts for her
    assert Entity.objects.filter(name="Rajavi").count() == 0


def test_editor_merge_is_kept_by_reprocessing():
    from newsdesk.desk.entities import merge_entities
    from newsdesk.desk.models import Article, Entity, EntityDecision

    assert main(["ingest", str(need_seed())]) == 0
    dean = Entity.objects.get(name="Howard Dean")
    democrats = Entity.objects.create(slug="democratic-party-figures", name="Democratic Party figures", kind="misc")
    merge_entities(democrats, [dean])
    assert EntityDecision.objects.filter(alias="Howard Dean", target="Democratic Party figures").exists()
    main(["reprocess"])
    article = Article.objects.get()
    assert not Entity.objects.filter(name="Howard Dean").exists()
    assert article.mentions.filter(entity__name="Democratic Party figures").exists()
