"""Language: the page's declaration wins; otherwise the text decides, or nothing is said."""

import pytest

from newsdesk.pipeline.documents import Capture
from newsdesk.pipeline.extract import extract
from newsdesk.pipeline.language import detect_language, primary_subtag


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The leader of an Iranian dissident group in Iraq said on Friday that the United States would be responsible.", "en"),
        ("Le chef d'un groupe dissident iranien en Irak a déclaré vendredi que les États-Unis seraient responsables.", "fr"),
        ("Der Anführer einer iranischen Dissidentengruppe im Irak sagte am Freitag, die Vereinigten Staaten seien verantwortlich.", "de"),
        ("A equipe do Serviço de Atendimento Domiciliar registrou nesta manhã o arrombamento de dois veículos.", "pt"),
        ("Too short.", None),
    ],
)
def test_detect_language(text, code):
    assert detect_language(text) == code


@pytest.mark.parametrize(
    ("declared", "code"),
    [("en-US", "en"), ("pt_BR", "pt"), ("", None), (None, None),
     # no language: a page's lang="…" is anything its author typed
     ("englishlanguage-US", None), ("12", None), ("x", None), ("{{lang}}", None)],
)
def test_primary_subtag(declared, code):
    assert primary_subtag(declared) == code


def test_plain_text_dump_gets_a_language():
    text = ("Iraq passes its budget\n\nIraq passes its budget\n\n"
            + "Iraq's parliament on Sunday approved the country's long-delayed federal budget, ending months of disputes. " * 4)
    assert extract(Capture(text.encode(), url="file:///tmp/budget.txt")).language == "en"
