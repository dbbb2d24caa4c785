"""A small newsroom built through the ORM: the seed's article, its story, neighbours and noise.

Term vectors are written by hand (normalised) in the shape `pipeline.related.term_vector`
stores, so the site's tests do not depend on how that module weighs words.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

SEED_BODY = """The leader of an Iranian dissident group in Iraq said on Friday the United States would be responsible for any harm that came to 3,000 of its members who could be forcefully moved to a camp outside Baghdad that they describe as a prison.

Maryam Rajavi, who heads the People’s Mujahideen Organization of Iran (PMOI), had in principle backed a proposal to begin moving the residents of Camp Ashraf based on assurances from both U.S. Secretary of State Hillary Clinton and the United Nations that their safety and security would be respected.

Mortars hit the camp at the end of last year, just days after Baghdad extended a Dec. 31 deadline for the facility to be closed as the United Nations negotiated resettlement of its residents.

Rajavi said, contrary to what had been agreed as part of a U.N. deal, Iraqi authorities were turning the proposed new camp, previously a U.S. military base, into a prison."""

SEED_EXCERPT = (
    "Reuters: The leader of an Iranian dissident group in Iraq said on Friday the United States "
    "would be responsible for any harm that came to 3,000 of its members who could be forcefully "
    "moved to a camp outside Baghdad that they describe as a prison."
)


def vector(**weights: float) -> dict[str, float]:
    """An L2-normalised term vector; keyword names use _ for spaces (camp_ashraf → 'camp ashraf')."""
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {k.replace("_", " "): w / norm for k, w in weights.items()}


@dataclass
class Newsroom:
    iran_region: object
    iraq: object
    iran: object
    world: object
    europe: object
    france: object
    reuters: object
    afp: object
    story: object
    seed: object
    same_story: object
    terror_list: object
    rushdie: object
    pensions: object
    hidden: object
    copy: object
    rajavi: object
    pmoi: object
    ashraf: object


def get_json(client, url: str) -> dict:
    """A page's JSON twin, which must answer 200."""
    response = client.get(url)
    assert response.status_code == 200, url
    return json.loads(response.content)


def at(days_ago: float) -> datetime:
    return timezone.now() - timedelta(days=days_ago)


@pytest.fixture
def newsroom(db) -> Newsroom:
    from newsdesk.desk.models import Article, ArticlePlace, Category, Entity, Mention, Source, Story

    iran_region = Category.objects.create(slug="iran-and-its-neighbours", name="Iran & Its Neighbours", position=0)
    iraq = Category.objects.create(slug="iraq", name="Iraq", code="IQ", parent=iran_region, position=1)
    iran = Category.objects.create(slug="iran", name="Iran", code="IR", parent=iran_region, position=0)
    world = Category.objects.create(slug="world", name="World", position=1)
    europe = Category.objects.create(slug="europe", name="Europe", parent=world)
    france = Category.objects.create(slug="france", name="France", code="FR", parent=europe)

    reuters = Source.objects.create(name="Reuters", slug="reuters", homepage="https://www.reuters.com", is_agency=True)
    afp = Source.objects.create(name="AFP", slug="afp", is_agency=True)
    story = Story.objects.create(title="Camp Ashraf residents face move")

    def article(title, days_ago, **kw):
        defaults = dict(
            url=f"https://news.example.org/{title.lower().replace(' ', '-')[:60]}",
            excerpt=kw.pop("excerpt", f"{title}: what happened and why it matters."),
            body=kw.pop("body", f"{title}.\n\nA second paragraph about it."),
            published_at=at(days_ago),
            created_at=at(days_ago),
            content_hash=title[:60],
        )
        defaults.update(kw)
        return Article.objects.create(title=title, **defaults)

    seed = article(
        "Iran group say US responsible for members in Iraq", 0.5,
        url="file:///work/shared/seeds/000_f18d5bfb64b68b70.txt",
        excerpt=SEED_EXCERPT, body=SEED_BODY, agency="Reuters", byline=["John Irish"],
        dateline_place="PARIS", dateline_month=1, dateline_day=6, dateline_year=None,
        credits="Reporting By John Irish; Editing by Roger Atwood",
        source=reuters, category=iraq, story=story,
        term_vector=vector(camp_ashraf=0.6, pmoi=0.5, rajavi=0.4, baghdad=0.3, prison=0.2),
    )
    same_story = article(
        "Iraq extends deadline to close Camp Ashraf", 2, source=reuters, category=iraq, story=story,
        agency="Reuters", excerpt="Reuters: Iraq has extended a deadline to close Camp Ashraf.",
        term_vector=vector(camp_ashraf=0.7, deadline=0.5, baghdad=0.4, mortar=0.2),
    )
    terror_list = article(
        "EU looks to take Iran group off terror list", 1, source=reuters, category=iran,
        agency="Reuters", excerpt="Reuters: European states have reached a preliminary agreement.",
        term_vector=vector(pmoi=0.6, terror_list=0.5, rajavi=0.4, eu=0.3),
    )
    rushdie = article(
        "Iran’s supreme leader labels Rushdie an apostate who can be killed", 3, source=afp,
        category=iran, agency="AFP",
        term_vector=vector(rushdie=0.7, khamenei=0.5, apostate=0.4, fatwa=0.3),
    )
    pensions = article(
        "French unions call a strike over pension reform", 1.5, source=afp, category=france,
        term_vector=vector(pension=0.7, strike=0.5, union=0.4, macron=0.3),
    )
    hidden = article("A withdrawn report", 0.2, status=Article.Status.HIDDEN, category=iraq,
                     term_vector=vector(camp_ashraf=1.0))
    copy = article("Iran group say US responsible (copy)", 0.4, duplicate_of=seed, category=iraq,
                   term_vector=vector(camp_ashraf=0.6, pmoi=0.5, rajavi=0.4))

    ArticlePlace.objects.create(article=seed, code="IQ", salience=0.8, category=iraq)
    ArticlePlace.objects.create(article=seed, code="IR", salience=0.5, category=iran)
    ArticlePlace.objects.create(article=pensions, code="FR", salience=0.9, category=france)

    rajavi = Entity.objects.create(slug="maryam-rajavi", name="Maryam Rajavi", kind="person", aliases=["Rajavi"])
    pmoi = Entity.objects.create(
        slug="pmoi", name="People’s Mujahideen Organization of Iran", kind="org",
        aliases=["PMOI", "Mujahadin-e Khalq", "MEK"],
    )
    ashraf = Entity.objects.create(slug="camp-ashraf", name="Camp Ashraf", kind="place")
    Mention.objects.create(article=seed, entity=rajavi, count=3, first_position=2, surface_forms=["Maryam Rajavi", "Rajavi"])
    Mention.objects.create(article=seed, entity=pmoi, count=2, first_position=5, surface_forms=["PMOI"])
    Mention.objects.create(article=seed, entity=ashraf, count=2, first_position=20)
    Mention.objects.create(article=same_story, entity=ashraf, count=1)
    Mention.objects.create(article=terror_list, entity=pmoi, count=1)
    Mention.objects.create(article=terror_list, entity=rajavi, count=1)

    return Newsroom(iran_region, iraq, iran, world, europe, france, reuters, afp, story, seed,
                    same_story, terror_list, rushdie, pensions, hidden, copy, rajavi, pmoi, ashraf)


@pytest.fixture
def related_module():
    """The content-ranking module, or a skip naming what is missing."""
    return pytest.importorskip(
        "newsdesk.pipeline.related", reason="newsdesk.pipeline.related has not landed yet"
    )


def hour_ago(hours: int) -> datetime:
    return (timezone.now() - timedelta(hours=hours)).replace(minute=0, second=0, microsecond=0)


UTC = UTC


PERSIAN_TITLE = "مریم رجوی: آمریکا مسئول جان ساکنان اشرف است"
PERSIAN_BODY = ("مریم رجوی، رهبر سازمان مجاهدین خلق، روز جمعه گفت که آمریکا مسئول هر آسیبی است که به ۳۰۰۰ تن از اعضای این سازمان برسد.\n\n"
                "ساکنان کمپ اشرف قرار است به اردوگاهی در نزدیکی بغداد منتقل شوند.")
ARABIC_TITLE = "العراق يمدد مهلة إغلاق معسكر أشرف"
ARABIC_BODY = ("مددت الحكومة العراقية المهلة المحددة لإغلاق معسكر أشرف حتى نهاية الشهر المقبل.\n\n"
               "وقالت الأمم المتحدة إنها تتفاوض على إعادة توطين سكان المعسكر.")


@dataclass
class Languages:
    persian: object
    arabic: object
    english: object


@pytest.fixture
def languages(newsroom) -> Languages:
    """A Persian and an Arabic article beside the newsroom's English ones (language stored,
    as the pipeline stores it), with no excerpt: their cards' teasers come from the lede."""
    from newsdesk.desk.models import Article

    def article(title, body, language, days_ago, **kw):
        return Article.objects.create(
            title=title, body=body, language=language, url=f"https://news.example.org/{language}/{days_ago}",
            published_at=at(days_ago), created_at=at(days_ago), content_hash=f"{language}{days_ago}",
            category=newsroom.iraq, source=newsroom.afp, **kw)

    persian = article(PERSIAN_TITLE, PERSIAN_BODY, "fa", 0.1)
    arabic = article(ARABIC_TITLE, ARABIC_BODY, "ar", 0.15)
    Article.objects.filter(pk=newsroom.seed.pk).update(language="en")
    newsroom.seed.refresh_from_db()
    return Languages(persian, arabic, newsroom.seed)
