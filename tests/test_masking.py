"""Every credential form a setting value can hold is masked; hosts and options stay."""

from __future__ import annotations

import pytest

from newsdesk.masking import MASK, mask_credentials

# (value, what must not be shown, what must still be shown)
FORMS = [
    ("postgresql://editor:hunter2@db:5432/news", ["editor", "hunter2"], ["db:5432/news"]),
    ("postgresql://db/x?password=hunter2", ["hunter2"], ["db/x?password="]),
    ("postgresql://db/x?sslmode=require&sslpassword=hunter2", ["hunter2"], ["sslmode=require"]),
    ("redis://127.0.0.1:6379/0?password=hunter2&db=1", ["hunter2"], ["127.0.0.1:6379/0", "db=1"]),
    ("rediss://:hunter2@cache.internal:6380/0", ["hunter2"], ["cache.internal:6380/0"]),
    ("postgresql://u:hunter2@h1,u2:qu4gga@h2/db", ["hunter2", "qu4gga", "u2"], ["@h1,", "@h2/db"]),
    ("postgresql://u:hunter2@h1:5432,h2:5433/db", ["hunter2"], ["h1:5432,h2:5433/db"]),
    ("postgresql://u:p,hunter2@h1,u2:qu4,gga@h2/db", ["hunter2", "qu4", "gga"], ["@h1,", "@h2/db"]),
    ("postgresql://u:hunter2@[::1]:5432/db", ["hunter2"], ["[::1]:5432/db"]),
    # a password with characters that should have been percent-encoded
    ("postgresql://u:hun/ter2@h/db", ["hun", "ter2"], ["@h/db"]),
    ("postgresql://u:hun#ter2@h/db", ["hun", "ter2"], ["@h/db"]),
    ("postgresql://u:hun@ter2@h/db", ["hun", "ter2"], ["@h/db"]),
    ("postgresql://u:hun?ter2@h/db?sslmode=require", ["hun", "ter2"], ["@h/db?sslmode=require"]),
    ("postgresql://u:hunter2==@h/db", ["hunter2"], ["@h/db"]),
    ("postgresql://db/x?password=hun#ter2", ["hun", "ter2"], ["db/x"]),
    # other secret-looking parameter names, percent-encoded names, fragments
    ("redis://h/0?token=t0k3n;secret=s3cr3t&api_key=k3y&pass%77ord=hunter2",
     ["t0k3n", "s3cr3t", "k3y", "hunter2"], ["redis://h/0?token="]),
    ("https://hooks.example/cb#access_token=t0k3n&state=ok", ["t0k3n"], ["state=ok"]),
    ("https://example.org/?page=2#auth=t0k3n", ["t0k3n"], ["page=2"]),
    # a libpq keyword string
    ("host=db port=5432 user=news password=hunter2 sslpassword='qu4 gga' dbname=desk",
     ["hunter2", "qu4", "gga"], ["host=db", "port=5432", "dbname=desk"]),
    ("host=db password='unterminated quote", ["unterminated", "quote"], ["host=db"]),
    # URLs inside a longer value
    ("primary=postgresql://a:hunter2@h1/db replica=postgresql://b:qu4gga@h2/db",
     ["hunter2", "qu4gga"], ["@h1/db", "@h2/db"]),
]


@pytest.mark.parametrize(("value", "hidden", "shown"), FORMS)
def test_every_credential_form_is_masked(value, hidden, shown):
    masked = mask_credentials(value)
    assert MASK in masked
    for secret in hidden:
        assert secret not in masked, masked
    for kept in shown:
        assert kept in masked, masked


@pytest.mark.parametrize("value", [
    "", "var", "127.0.0.1,localhost", "redis://127.0.0.1:6379/0", "sqlite:////srv/desk/newsdesk.sqlite3",
    "postgresql://db:5432/news?sslmode=require&application_name=newsdesk", "/srv/desk/regions.yaml",
])
def test_values_without_credentials_are_shown_as_they_are(value):
    assert mask_credentials(value) == value
