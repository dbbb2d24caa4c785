"""A real browser reads an article: every block shows, a related link is followed, and the
second page fills "Recommended to you" from the history this browser kept (localStorage)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsdesk.desk.models import ReadCount
from tests.site.conftest import hour_ago

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
SCREENSHOT = Path("/tmp/article.png")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is absent: apt-get install -y chromium"),
]


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    # Playwright's sync API runs an event loop; Django refuses ORM calls from such a thread
    # unless told the test process is not serving async code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


def test_reader_journey(live_server, transactional_db, newsroom, related_module, browser):
    ReadCount.objects.create(article=newsroom.rushdie, hour=hour_ago(1), count=5)  # Must read: most read
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{live_server.url}/article/{newsroom.seed.pk}/")

    assert page.locator("h1.headline").inner_text() == newsroom.seed.title
    for block_id, title in [("latest", "Latest news"), ("must_read", "Must read"), ("related", "You might also like")]:
        block = page.locator(f"#{block_id}")
        assert block.locator("h2").inner_text().lower() == title.lower()
        assert block.locator("li.card").count() >= 1
    assert "same story" in page.locator("#related").inner_text()
    page.wait_for_function("JSON.parse(localStorage.getItem('newsdesk.seen') || '[]').length === 1")
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    page.locator("#related a.card-title", has_text=newsroom.terror_list.title).click()
    page.wait_for_url(f"**/article/{newsroom.terror_list.pk}/")
    recommended = page.locator("#recommended")
    recommended.wait_for(state="visible", timeout=5000)
    text = recommended.inner_text()
    assert "because you read:" in text
    assert newsroom.same_story.title in text  # close to the seed, not yet read
    assert page.evaluate("JSON.parse(localStorage.getItem('newsdesk.seen'))") == [
        newsroom.seed.pk, newsroom.terror_list.pk]
    assert ReadCount.objects.filter(article=newsroom.seed).exists()


def test_a_reader_finds_a_developing_story_from_the_home_page(live_server, transactional_db,
                                                              newsroom, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{live_server.url}/")
    block = page.locator("#developing")
    assert block.locator("h2").inner_text().lower() == "developing stories"
    assert "2 articles" in block.inner_text()
    block.locator("a.card-title", has_text=newsroom.story.title).click()
    page.wait_for_url(f"**/story/{newsroom.story.pk}/")
    assert page.locator("h1.page-title").inner_text() == newsroom.story.title
    page.locator("nav.sections a", has_text="Stories").click()
    page.wait_for_url("**/stories/")
    assert page.locator("li.story-card").count() == 1


def test_a_reader_searches_from_the_masthead(live_server, transactional_db, newsroom, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{live_server.url}/category/iraq/")
    box = page.locator("form.masthead-search input[name=q]")
    box.fill("Rajavi prison")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert "1 article match" in page.locator(".search-count").inner_text()
    page.locator("li.card a.card-title").click()
    page.wait_for_url(f"**/article/{newsroom.seed.pk}/")
    page.go_back()
    page.locator(".search-form select[name=order]").select_option("newest")
    page.locator(".search-form input[name=q]").fill("iran")
    page.locator(".search-form button").click()
    page.wait_for_url("**order=newest*")
    assert "newest first" in page.locator(".search-count").inner_text()
