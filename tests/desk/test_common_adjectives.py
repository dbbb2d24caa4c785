"""Capitalised dictionary adjectives the tagger calls names ("Democratic" senators,
"Islamic" law) are not desk entities, as demonyms are not; names stay."""

from __future__ import annotations

from newsdesk.desk.entities import is_common_adjective, is_demonym
from newsdesk.pipeline.entities import find_mentions


def test_one_word_adjectives_are_not_entities_but_names_are():
    found = find_mentions("Iran and Iraq talk", [
        "So the Iranian delegation met Democratic senators in Washington on Monday.",
        "Islamic law was discussed by President Ronald Reagan and the Commodity Credit Corporation."])
    kept = {m.name for m in found if not is_demonym(m) and not is_common_adjective(m)}
    dropped = {m.name for m in found if is_common_adjective(m)}
    assert {"Democratic", "Islamic"} <= dropped
    assert {"Ronald Reagan", "Commodity Credit Corporation", "Washington"} <= kept
    assert not kept & {"So", "Democratic", "Islamic", "Iranian"}
