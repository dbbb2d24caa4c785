"""The settings page for editors and `newsdesk settings` show no credential, whatever form
it was written in: the probe of issue 15 read passwords there from query strings and from
a URL's second host."""

from __future__ import annotations

import json

import pytest

from newsdesk.cli import main

SECRETS = ["hunter2", "qu4gga", "t0k3n", "s3cr3t"]
ENVIRONMENT = {
    "NEWSDESK_DATABASE_URL": "postgresql://desk:hunter2@db1:5432,reader:qu4gga@db2:5432/news"
                             "?sslmode=require&sslpassword=s3cr3t",
    "NEWSDESK_CACHE_URL": "redis://cache.internal:6379/0?password=t0k3n",
    "NEWSDESK_SECRET_KEY": "very-secret-key",
}


@pytest.fixture
def credentials_everywhere(monkeypatch):
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)


def assert_masked(text: str) -> None:
    for secret in [*SECRETS, "very-secret-key", "desk:", "reader:"]:
        assert secret not in text
    # what an operator needs to see is still there
    for kept in ["@db1:5432,", "@db2:5432/news", "sslmode=require", "cache.internal:6379/0?password="]:
        assert kept in text


@pytest.mark.django_db
def test_the_settings_page_masks_every_credential(admin_client, credentials_everywhere):
    response = admin_client.get("/-/settings.json")
    assert response.status_code == 200
    assert_masked(response.content.decode())
    data = response.json()
    assert data["NEWSDESK_SECRET_KEY"] == "********"
    assert data["NEWSDESK_CACHE_URL"] == "redis://cache.internal:6379/0?password=********"


@pytest.mark.parametrize("as_json", [False, True])
def test_the_settings_command_masks_every_credential(capsys, credentials_everywhere, as_json):
    assert main(["settings", *(["--json"] if as_json else [])]) == 0
    out = capsys.readouterr().out
    assert_masked(out)
    if as_json:
        assert json.loads(out)["NEWSDESK_DATABASE_URL"].startswith("postgresql://********@db1:5432,")
    else:
        assert "NEWSDESK_CACHE_URL=redis://cache.internal:6379/0?password=********\n" in out
