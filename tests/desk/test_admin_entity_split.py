"""An editor splits a name off an entity from the entity's page: the articles that wrote
it are read again, their mentions land on another entity, and the site shows it on the
next request. Uses the seed page (../shared) and the pipeline's language model."""

from __future__ import annotations

import pytest
from django.urls import reverse

from newsdesk.cli import main
from tests.conftest import need_seed

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_name_split_off_an_entity_leaves_it_on_the_site_at_once(client, django_user_model):
    from newsdesk.desk.models import Entity, EntityDecision, Mention

    assert main(["ingest", str(need_seed())]) == 0
    pmoi = next(e for e in Entity.objects.all() if "MEK" in e.aliases)
    page = pmoi.get_absolute_url()
    assert "MEK" in client.get(page).content.decode()  # cached now, under the desk version

    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw-for-tests")
    client.force_login(editor)
    change = reverse("admin:desk_entity_change", args=[pmoi.pk])
    assert '<option value="MEK">MEK</option>' in client.get(change).content.decode()
    response = client.post(change, {"name": pmoi.name, "kind": pmoi.kind, "slug": pmoi.slug,
                                    "aliases": "\n".join(pmoi.aliases), "split_off": "MEK"}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any(m.startswith(f"“MEK” is no longer a name of {pmoi.name}; 1 article(s) read again") for m in messages)
    assert EntityDecision.objects.filter(kind="split", alias="MEK", target=pmoi.name).exists()
    pmoi.refresh_from_db()
    assert "MEK" not in pmoi.aliases
    mek = [m for m in Mention.objects.all() if "MEK" in m.surface_forms]
    assert mek and all(m.entity_id != pmoi.pk for m in mek)
    client.logout()
    assert "MEK" not in client.get(page).content.decode().split("<main", 1)[1].split("</main>", 1)[0]
