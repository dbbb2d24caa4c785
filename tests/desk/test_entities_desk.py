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


def test_editor_split_holds_against_the_text():
    """The seed says 'also known as the Mujahadin-e Khalq (MEK)'; an editor who says MEK is
    another body is obeyed on reprocessing, the text's evidence notwithstanding."""
    from newsdesk.desk.models import Entity, EntityDecision

    assert main(["ingest", str(need_seed())]) == 0
    pmoi = next(e for e in Entity.objects.all() if "MEK" in e.aliases)
    EntityDecision.objects.create(kind=EntityDecision.Kind.SPLIT, alias="MEK", target=pmoi.name)
    main(["reprocess"])
    pmoi.refresh_from_db()
    assert "MEK" not in pmoi.aliases
    assert "PMOI" in pmoi.aliases
    mek = next(e for e in Entity.objects.filter(mentions__isnull=False).distinct()
               if e.name == "MEK" or "MEK" in e.aliases)
    assert mek.pk != pmoi.pk


def test_alias_table_is_rebuilt_only_when_the_decisions_change():
    """Ingest asks for the table per article: it is reused while the editors' decisions
    stay as they were, and an edit in place (same number of rows) still counts at once."""
    from newsdesk.desk.entities import alias_table
    from newsdesk.desk.models import EntityDecision

    decision = EntityDecision.objects.create(
        kind=EntityDecision.Kind.MERGE, alias="Sepah Pasdaran", target="Quds Force"
    )
    first = alias_table()
    assert alias_table() is first
    assert first.lookup("Sepah Pasdaran") is first.lookup("Quds Force")

    decision.kind = EntityDecision.Kind.SPLIT
    decision.save()
    edited = alias_table()
    assert edited is not first
    assert edited.kept_apart(["Sepah Pasdaran"], ["Quds Force"])
    assert edited.lookup("Sepah Pasdaran") is not edited.lookup("Quds Force")
