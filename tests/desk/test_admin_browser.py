"""The editor workspace in a real browser (Chromium): an editor logs in, filters the
article list by region, hides and publishes in bulk, previews an unsaved change, and
axe-core finds nothing to fix on the article list and change form at a laptop's and a
phone's width. No page logs a Content-Security-Policy refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.site import test_browser as chromium_tests
from tests.site.axe import axe_violations, require_axe

CHROMIUM = chromium_tests.CHROMIUM
browser = chromium_tests.browser  # the one Chromium fixture, shared
WIDTHS = (1366, 390)
PASSWORD = "pw-for-browser-tests"
# The site's policy (issue 19), put on every answer here too, so the test holds the
# workspace to it whether or not the branch it runs on sends it itself.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is absent: apt-get install -y chromium"),
]


@pytest.fixture
def desk(transactional_db, django_user_model):
    """The packaged region tree (all its categories) and a few articles filed in it."""
    from newsdesk.desk.models import Article, ArticlePlace, Category, Source
    from newsdesk.desk.setup import sync_categories

    sync_categories()
    iraq, france = Category.objects.get(code="IQ"), Category.objects.get(code="FR")
    reuters = Source.objects.create(name="Reuters", slug="reuters", is_agency=True)
    now = timezone.now()

    def article(title, category, hours, **kw):
        return Article.objects.create(
            title=title, url=f"https://news.example.org/{title.lower().replace(' ', '-')}",
            excerpt=f"{title}: what happened.", body=f"{title}.\n\nA second paragraph.",
            content_hash=title, category=category, source=reuters, agency=kw.pop("agency", ""),
            published_at=now - timedelta(hours=hours), created_at=now - timedelta(hours=hours),
            authors=["Jane Doe", "John Roe"], byline=["Jane Doe"], breadcrumb=["World", "Middle East"], **kw)

    baghdad = article("Baghdad passes its budget", iraq, 2, agency="Reuters")
    paris = article("Paris unions call a strike", france, 3)
    ArticlePlace.objects.create(article=baghdad, code="IQ", salience=0.9, category=iraq)
    django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    return type("Desk", (), {"baghdad": baghdad, "paris": paris, "iraq": iraq, "france": france})


def with_policy(route):
    response = route.fetch(max_redirects=0)
    route.fulfill(response=response, headers={**response.headers, "content-security-policy": CSP})


def open_as_editor(browser, live_server, width: int, console: list[str]):
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.route("**/*", with_policy)
    context.on("console", lambda message: console.append(message.text))
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return page


def no_violations(page, where: str, console: list[str]) -> None:
    """axe-core finds nothing. What the page logged is checked first: axe itself, while it
    reads the stylesheets, applies styles that a strict policy refuses and logs so; those
    lines are the tool's, not the page's, and are dropped."""
    page.wait_for_load_state("load")
    assert not [m for m in console if "Content Security Policy" in m], (where, console)
    found = axe_violations(page)
    assert found == [], f"{where}: {found}"
    console.clear()


def test_the_article_list_and_change_form_pass_axe_at_both_widths(live_server, desk, browser):
    require_axe()
    console: list[str] = []
    for width in WIDTHS:
        page = open_as_editor(browser, live_server, width, console)
        page.goto(f"{live_server.url}/admin/desk/article/")
        no_violations(page, f"article list at {width} px", console)
        page.goto(f"{live_server.url}/admin/desk/article/{desk.baghdad.pk}/change/")
        no_violations(page, f"article change form at {width} px", console)
        page.close()
    assert not [m for m in console if "Content Security Policy" in m], console


def test_the_list_fits_a_laptop_and_its_region_filter_goes_level_by_level(live_server, desk, browser):
    console: list[str] = []
    page = open_as_editor(browser, live_server, 1366, console)
    page.goto(f"{live_server.url}/admin/desk/article/")
    for column in ("column-status", "column-published_at"):
        box = page.locator(f"th.{column}").bounding_box()
        assert box is not None and box["x"] + box["width"] <= 1366, column
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert page.evaluate("document.documentElement.scrollHeight") < 2500  # not a 10,000 px filter column

    region = page.locator("#changelist-filter details", has_text="By region")
    assert 1 <= region.locator("li").count() < 30
    region.get_by_role("link", name=desk.iraq.parent.name, exact=True).click()
    page.wait_for_url(f"**region={desk.iraq.parent.pk}")
    region = page.locator("#changelist-filter details", has_text="By region")
    assert sorted(region.locator("li").all_inner_texts())[0] == "All"
    region.get_by_role("link", name=f"{desk.iraq.parent.name} › {desk.iraq.name}", exact=True).click()
    page.wait_for_url(f"**region={desk.iraq.pk}")
    titles = page.locator("#result_list tbody th a").all_inner_texts()
    assert titles == [desk.baghdad.title]
    assert not [m for m in console if "Content Security Policy" in m], console


def test_bulk_hide_and_publish_show_on_the_site_at_once(live_server, desk, browser):
    from newsdesk.desk.models import Article

    console: list[str] = []
    page = open_as_editor(browser, live_server, 1366, console)
    article_url = f"{live_server.url}{desk.baghdad.get_absolute_url()}"

    def reader_status() -> int:  # a reader who has not been here: no copy in the browser's cache
        reader = browser.new_page()
        status = reader.goto(article_url).status
        reader.close()
        return status

    assert reader_status() == 200  # cached now by the site, under the desk's version

    def act(action: str, expect: str):
        page.goto(f"{live_server.url}/admin/desk/article/")
        for article in (desk.baghdad, desk.paris):
            page.check(f"input.action-select[value='{article.pk}']")
        page.select_option("select[name=action]", action)
        page.click("button[name=index]")
        assert expect in page.locator("ul.messagelist").inner_text()

    act("hide", "2 articles hidden")
    assert set(Article.objects.values_list("status", flat=True)) == {"hidden"}
    assert reader_status() == 404
    act("publish", "2 articles published")
    assert reader_status() == 200
    assert not [m for m in console if "Content Security Policy" in m], console


def test_an_editor_previews_an_unsaved_change(live_server, desk, browser):
    from newsdesk.desk.models import Article

    console: list[str] = []
    page = open_as_editor(browser, live_server, 1366, console)
    page.goto(f"{live_server.url}/admin/desk/article/{desk.baghdad.pk}/change/")
    page.fill("#id_title", "Baghdad passes a record budget")
    with page.expect_popup() as popup:
        page.get_by_role("button", name="Preview changes").click()
    preview = popup.value
    preview.wait_for_load_state()
    assert preview.locator("h1.headline").inner_text() == "Baghdad passes a record budget"
    assert "Preview of unsaved changes" in preview.locator(".preview-note").inner_text()
    assert Article.objects.get(pk=desk.baghdad.pk).title == "Baghdad passes its budget"
    assert not [m for m in console if "Content Security Policy" in m], console
