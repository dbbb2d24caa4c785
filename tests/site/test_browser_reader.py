"""The reader pages in Chromium as a reader in an RTL region meets them: Persian and Arabic
set right to left, axe-core clean at a desktop and a phone width, nothing scrolling
sideways on a phone, no CSP violation in the console, Recommended to you empty until the
reader has read something else, no reading history in any URL, a skip link and a visible
focus ring; and the admin still working under the site's CSP."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.site.axe import axe_violations
from tests.site.test_browser import CHROMIUM, browser  # noqa: F401 - the fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is absent: apt-get install -y chromium"),
]

WIDTHS = {"desktop": 1366, "phone": 390}


def reader_pages(newsroom, languages) -> dict[str, str]:
    """Every kind of reader page, by name (the 404 included)."""
    return {
        "home": "/",
        "region": f"/category/{newsroom.iran_region.slug}/",
        "country": f"/category/{newsroom.iraq.slug}/",
        "article": f"/article/{newsroom.seed.pk}/",
        "article-fa": f"/article/{languages.persian.pk}/",
        "article-ar": f"/article/{languages.arabic.pk}/",
        "entity": f"/entity/{newsroom.rajavi.slug}/",
        "story": f"/story/{newsroom.story.pk}/",
        "stories": "/stories/",
        "search": "/search/?q=camp+ashraf",
        "search-form": "/search/",
        "sources": "/sources/",
        "recommend": "/recommend",
        "404": "/no/such/page/",
    }


class Console:
    """What the page logged: CSP violations (the console and the DOM event alike)."""

    def __init__(self, page):
        self.messages: list[str] = []
        page.on("console", lambda m: self.messages.append(m.text))
        page.on("pageerror", lambda e: self.messages.append(str(e)))

    def violations(self) -> list[str]:
        return [m for m in self.messages if "Content Security Policy" in m or "Refused to" in m]


def open_page(chromium, width: int):
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    return page, Console(page)


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the window (0: nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("width", list(WIDTHS), ids=list(WIDTHS))
def test_every_reader_page_is_axe_clean_fits_the_width_and_logs_no_csp_violation(
        live_server, transactional_db, newsroom, languages, related_module, browser, width):  # noqa: F811
    from newsdesk.desk.models import Feed

    # Feeds as the sources page lists them: one titled at length, one untitled (its URL shown).
    Feed.objects.create(url="https://www.reuters.com/arc/outboundfeeds/v3/all/rss.xml?outputType=xml",
                        title="Reuters World News — Middle East and North Africa", source=newsroom.reuters)
    Feed.objects.create(url="https://www.afp.com/en/actus/afp_actualite/792,31,9,7,33/feed", source=newsroom.afp)
    page, console = open_page(browser, WIDTHS[width])
    failures = {}
    for name, path in reader_pages(newsroom, languages).items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == (404 if name == "404" else 200), path
        assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()} or \
            "content-security-policy" in response.headers, path
        found = axe_violations(page)
        overflow = horizontal_overflow(page)
        if found or overflow > 0:
            failures[name] = {"axe": found, "overflow_px": overflow}
    assert failures == {}
    assert console.violations() == []


def test_persian_and_arabic_read_right_to_left_in_a_left_to_right_page(
        live_server, transactional_db, newsroom, languages, browser):  # noqa: F811
    page, console = open_page(browser, 1366)

    def direction(selector: str) -> str:
        return page.locator(selector).first.evaluate("e => getComputedStyle(e).direction")

    for article, lang in ((languages.persian, "fa"), (languages.arabic, "ar")):
        page.goto(f"{live_server.url}/article/{article.pk}/")
        assert direction("html") == "ltr"  # the interface is English
        assert direction("h1.headline") == "rtl"
        assert direction(".body p") == "rtl"
        assert page.locator(".article-text").get_attribute("lang") == lang
        assert direction("nav.sections") == "ltr"
    page.goto(f"{live_server.url}/article/{languages.english.pk}/")
    assert direction("h1.headline") == "ltr"

    page.goto(f"{live_server.url}/")  # a mixed page: each card in its own direction
    latest = page.locator("#latest")
    assert latest.locator("a.card-title", has_text=languages.persian.title).evaluate(
        "e => getComputedStyle(e).direction") == "rtl"
    assert latest.locator("a.card-title", has_text=languages.arabic.title).evaluate(
        "e => getComputedStyle(e).direction") == "rtl"
    assert latest.locator("a.card-title", has_text=newsroom.seed.title).evaluate(
        "e => getComputedStyle(e).direction") == "ltr"
    # the Persian teaser (from the lede: the source gave no excerpt) starts at the right
    teaser = latest.locator("li.card", has_text=languages.persian.title).locator(".card-excerpt")
    assert teaser.evaluate("e => getComputedStyle(e).direction") == "rtl"
    box, card = teaser.bounding_box(), latest.locator("li.card").first.bounding_box()
    assert abs((box["x"] + box["width"]) - (card["x"] + card["width"])) < 2
    assert console.violations() == []


def test_a_page_in_a_right_to_left_interface_is_mirrored(live_server, transactional_db, newsroom,
                                                        languages, browser):  # noqa: F811
    """With the interface in Persian (LANGUAGE_CODE), the whole page runs right to left:
    the brand at the right, the search box at the left."""
    page, _ = open_page(browser, 1366)
    with override_settings(LANGUAGE_CODE="fa"):
        page.goto(f"{live_server.url}/")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator("body").evaluate("e => getComputedStyle(e).direction") == "rtl"
        brand = page.locator(".brand").bounding_box()
        search = page.locator(".masthead-search").bounding_box()
        assert search["x"] < brand["x"]
        # a date reads in its own order inside the right-to-left line: the day comes
        # before the month in the direction of the month's script
        day, month, rtl_month = page.locator("#latest time").first.evaluate("""e => {
            const text = e.firstChild, r = document.createRange();
            const x = (i) => { r.setStart(text, i); r.setEnd(text, i + 1); return r.getBoundingClientRect().x; };
            const at = text.data.search(/\\p{L}/u);
            return [x(0), x(at), /[\\u0590-\\u08FF]/.test(text.data[at])];
        }""")
        assert (day > month) if rtl_month else (day < month)
        assert horizontal_overflow(page) == 0
        assert axe_violations(page) == []


def test_recommended_stays_empty_on_a_first_visit_and_no_history_rides_in_a_url(
        live_server, transactional_db, newsroom, related_module, browser):  # noqa: F811
    page, console = open_page(browser, 1366)
    requests = []
    page.on("request", lambda r: requests.append((r.method, r.url, r.post_data)))
    # The script counts the read, then would ask for recommendations at once: by the time
    # the read is answered, any such request has been made.
    with page.expect_response(lambda r: r.url.endswith("/read")):
        page.goto(f"{live_server.url}/article/{newsroom.seed.pk}/")
    page.wait_for_function("JSON.parse(localStorage.getItem('newsdesk.seen') || '[]').length === 1")
    assert page.locator("#recommended").is_hidden()
    assert not [r for r in requests if "/recommend" in r[1]]  # nothing read before: not even asked

    page.goto(f"{live_server.url}/article/{newsroom.terror_list.pk}/")
    page.locator("#recommended").wait_for(state="visible", timeout=5000)
    text = page.locator("#recommended").inner_text()
    assert f"because you read: {newsroom.seed.title}" in text
    assert newsroom.terror_list.title not in text  # the article open now is no suggestion
    asked = [r for r in requests if "/recommend" in r[1]]
    assert [m for m, _, _ in asked] == ["POST"]
    assert f"seen={newsroom.seed.pk}" in asked[0][2]
    read = {str(newsroom.seed.pk), str(newsroom.terror_list.pk)}
    for _, url, _ in requests:
        assert "seen" not in url and not any(f"={pk}" in url or f",{pk}" in url for pk in read), url
    assert console.violations() == []


def test_the_keyboard_finds_a_skip_link_and_sees_where_it_is(live_server, transactional_db, newsroom,
                                                            browser):  # noqa: F811
    page, _ = open_page(browser, 1366)
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.get_attribute("class") == "skip-link"
    assert focused.bounding_box()["y"] >= 0  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.keyboard.press("Tab")
    outline = page.locator(":focus").evaluate(
        "e => [getComputedStyle(e).outlineStyle, parseFloat(getComputedStyle(e).outlineWidth)]")
    assert outline[0] != "none" and outline[1] >= 2
    assert page.locator("h1").count() == 1


def test_the_admin_works_under_the_csp(live_server, transactional_db, newsroom, browser):  # noqa: F811
    """Sign in, open the article list and a change form, save: no CSP violation logged."""
    from django.contrib.auth.models import User

    User.objects.create_superuser("editor", "editor@example.org", "a-long-password-9")
    page, console = open_page(browser, 1366)
    response = page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", "a-long-password-9")
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(f"{live_server.url}/admin/desk/article/")
    assert page.locator("#result_list").count() == 1
    page.goto(f"{live_server.url}/admin/desk/article/{newsroom.seed.pk}/change/")
    page.fill("input[name=title]", "Iran group says US is responsible for members in Iraq")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/desk/article/")
    assert page.locator(".messagelist .success").count() == 1
    newsroom.seed.refresh_from_db()
    assert newsroom.seed.title == "Iran group says US is responsible for members in Iraq"
    assert console.violations() == []
