"""Shared test setup: a real database (SQLite or PostgreSQL by NEWSDESK_DATABASE_URL),
the real region tree, and a real HTTP server on 127.0.0.1 for anything fetched."""

from __future__ import annotations

from pathlib import Path

import pytest

# The environment (data folder, loopback allowed) is set by newsdesk.testenv, loaded first.

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = SHARED / "seeds" / "000_f18d5bfb64b68b70.txt"

from tests.httpserver import http_server  # noqa: E402,F401  (a fixture: real server on 127.0.0.1)


@pytest.fixture
def region_tree(db):
    """The packaged region tree, as `newsdesk run` creates it on first start."""
    from newsdesk.desk.setup import sync_categories

    sync_categories()


def need_seed() -> Path:
    if not SEED.exists():
        pytest.skip(f"the seed page is not here ({SEED}): ../shared is absent")
    return SEED


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with no cached page. A test's writes are rolled back, so the next
    test's desk version can repeat one a page was cached under for other rows."""
    from newsdesk.site import clients, page_cache

    page_cache.clear()
    clients.forget_salts()  # a salt made in an earlier test was rolled back with it
    yield
