"""Outside the test run the site answers to its configured hosts only.

The settings used to add the test client's host, "testserver", everywhere: a request
with `Host: testserver` was served in production, and the absolute URLs it built (feeds,
the OpenAPI document) read `http://testserver/…`. Here the settings are loaded the way
`newsdesk run` loads them, in a fresh process without this test plugin, and real WSGI
requests are put to the application (at `/-/settings.json`, which answers a reader 403
without touching the database; a refused host gets 400 before any view runs).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import REPO

PROBE = textwrap.dedent("""
    import io, json, logging, os
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsdesk.settings"
    import django
    django.setup()
    logging.disable(logging.CRITICAL)  # the refused host is logged; the probe reads the status
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler

    app = WSGIHandler()

    def status(host):
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/-/settings.json", "SERVER_NAME": host,
                   "SERVER_PORT": "80", "HTTP_HOST": host, "wsgi.input": io.BytesIO(),
                   "wsgi.url_scheme": "http", "wsgi.errors": io.StringIO()}
        seen = []
        app(environ, lambda s, headers: seen.append(s))
        return int(seen[0].split()[0])

    print(json.dumps({"allowed": settings.ALLOWED_HOSTS,
                      "status": {h: status(h) for h in ("testserver", "news.example.org", "127.0.0.1")}}))
""")


def load_settings_outside_tests(tmp_path, **env: str) -> dict:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("NEWSDESK_", "DJANGO_", "PYTEST"))}
    clean.update(NEWSDESK_DATA_DIR=str(tmp_path), **env)
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, env=clean, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_production_settings_refuse_the_test_client_host(tmp_path):
    seen = load_settings_outside_tests(tmp_path, NEWSDESK_ALLOWED_HOSTS="news.example.org")
    assert seen["allowed"] == ["news.example.org"]
    assert seen["status"]["testserver"] == 400
    assert seen["status"]["127.0.0.1"] == 400  # not configured here, so not answered either
    assert seen["status"]["news.example.org"] == 403  # answered (editors only, so 403)


def test_the_default_hosts_are_the_loopback_names_only(tmp_path):
    seen = load_settings_outside_tests(tmp_path)
    assert seen["allowed"] == ["127.0.0.1", "localhost"]
    assert seen["status"]["testserver"] == 400 and seen["status"]["127.0.0.1"] == 403


@pytest.mark.django_db
def test_the_test_client_host_is_allowed_under_tests_only(client, settings):
    """Django's test set-up adds "testserver" for the test client, as pytest-django runs it."""
    assert "testserver" in settings.ALLOWED_HOSTS
    assert client.get("/no-such-page/").status_code == 404
