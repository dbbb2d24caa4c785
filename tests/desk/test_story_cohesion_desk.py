"""Through the real ingest path: an undated roundup that reports two events of one day
does not leave them in one story once the run ends, and what readers see follows the
rows: each story's page lists its own event, the "same story" labels of an article name
only its event's reports, and each story carries its own first headline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.cli import main
from tests.site.conftest import get_json

pytestmark = pytest.mark.django_db(transaction=True)

QUAKE = """---
title: Earthquake shakes Tabriz
date: {date}
---

A strong earthquake shook Tabriz before dawn, collapsing brick houses in the old bazaar quarter. Rescue teams pulled survivors from rubble while aftershocks rattled the city.

Seismologists measured the tremor at magnitude six near Tabriz, and engineers began checking the damaged houses.
"""

QUAKE_2 = """---
title: Tabriz earthquake survivors sheltered in tents
date: {date}
---

Survivors of the Tabriz earthquake spent the night in tents as aftershocks continued. Rescue teams searched collapsed houses in the bazaar quarter.

Seismologists warned of further tremors around Tabriz while engineers inspected brick houses for cracks.
"""

ROUNDUP = """Iran news in brief

An earthquake shook Tabriz, collapsing houses in the bazaar quarter as rescue teams searched the rubble.

Separately the central bank in Tehran raised its benchmark interest rate to curb inflation, and the rial weakened against the dollar.
"""

RATES = """---
title: Iran central bank raises interest rate
date: {date}
---

The central bank in Tehran raised its benchmark interest rate to curb inflation, the governor said.

The rial weakened against the dollar on the open market as traders doubted the rate rise would slow inflation.
"""

RATES_2 = """---
title: Rial slides after Iran rate rise
date: {date}
---

The rial slid further against the dollar after the central bank rate rise, as inflation expectations stayed high, currency traders in Tehran said.

The governor defended the benchmark interest rate decision.
"""

FILES = [("1-quake.md", QUAKE), ("2-roundup.txt", ROUNDUP), ("3-rates.md", RATES),
         ("4-quake-2.md", QUAKE_2), ("5-rates-2.md", RATES_2)]


@pytest.fixture
def ingested(tmp_path):
    from newsdesk.desk.models import Article

    date = (datetime.now(UTC) - timedelta(hours=6)).strftime("%Y-%m-%d")
    for name, text in FILES:
        (tmp_path / name).write_text(text.format(date=date), encoding="utf-8")
    assert main(["ingest", str(tmp_path)]) == 0  # one run: it settles at its end
    return {name.split("-", 1)[1].rsplit(".", 1)[0]: Article.objects.get(url=(tmp_path / name).resolve().as_uri())
            for name, _ in FILES}


def test_an_undated_roundup_does_not_glue_two_events_on_the_desk(ingested):
    assert ingested["roundup"].published_at is None
    quake, rates = ingested["quake"].story_id, ingested["rates"].story_id
    assert quake is not None and rates is not None
    assert ingested["quake-2"].story_id == quake
    assert ingested["rates-2"].story_id == rates
    assert quake != rates


def test_story_pages_titles_and_same_story_labels_follow(ingested, client):
    from newsdesk.desk.models import Story

    quake, rates = ingested["quake"], ingested["rates"]
    assert Story.objects.get(pk=rates.story_id).title == "Iran central bank raises interest rate"
    assert Story.objects.get(pk=quake.story_id).title == "Earthquake shakes Tabriz"
    timeline = {c["title"] for c in get_json(client, f"/story/{rates.story_id}.json")["timeline"]}
    assert {"Iran central bank raises interest rate", "Rial slides after Iran rate rise"} <= timeline
    assert not timeline & {"Earthquake shakes Tabriz", "Tabriz earthquake survivors sheltered in tents"}
    items = get_json(client, f"/article/{rates.pk}.json")["blocks"]["related"]["items"]
    same = {i["id"] for i in items if i["reason"] == "same story"}
    assert ingested["rates-2"].pk in same
    assert not same & {ingested["quake"].pk, ingested["quake-2"].pk}
