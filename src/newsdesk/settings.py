"""Django settings, all derived from `newsdesk.config.SETTINGS` (environment variables)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

from newsdesk import config

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = config.data_dir()


def _secret_key() -> str:
    """A real key always: from the environment, else generated once and kept on disk."""
    key = config.get("NEWSDESK_SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = config.flag("NEWSDESK_DEBUG")
# Only the configured hosts. The test client's "testserver" is added by Django's own test
# set-up (setup_test_environment, which pytest-django runs) and never here: accepted in
# production, it let `Host: testserver` into the absolute URLs of feeds and pages.
ALLOWED_HOSTS = [h.strip() for h in config.get("NEWSDESK_ALLOWED_HOSTS").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "newsdesk.desk",
    "newsdesk.site",
]

MIDDLEWARE = [
    # Outermost of all: the CSP and framing headers go on every answer, cached pages,
    # 304s and static files included (site.security_headers).
    "newsdesk.site.security_headers.SecurityHeadersMiddleware",
    # Then: a cached reader page is answered here, before anything else runs.
    "newsdesk.site.compression.ReaderGZipMiddleware",
    "newsdesk.site.page_cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsdesk.urls"
WSGI_APPLICATION = "newsdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsdesk.site.branding.site",
            ],
        },
    },
]


def _database() -> dict:
    url = config.get("NEWSDESK_DATABASE_URL")
    if not url:
        url = f"sqlite:///{DATA_DIR / 'newsdesk.sqlite3'}"
    db = dj_database_url.parse(url, conn_max_age=60)
    if db["ENGINE"].endswith("sqlite3"):
        # Kept open across requests (each server thread has its own): opening one runs the
        # PRAGMAs below, about 1.5 ms, ten times what a cached page costs to answer.
        db["CONN_MAX_AGE"] = 600
        # WAL lets readers (the site) and the writer (the poller) run side by side.
        db["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
        }
        # A file (not :memory:) so the browser tests' live server shares it; one per process
        # so test runs side by side never write to one file.
        db["TEST"] = {"NAME": str(DATA_DIR / f"test_newsdesk_{os.getpid()}.sqlite3")}
    return db


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _cache() -> dict:
    url = config.get("NEWSDESK_CACHE_URL")
    if url.startswith("redis://"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    # Bounded, so memory stays flat however many clients ask. In memory it holds the
    # per-client limits' counters (site.limits: small numbers, one per client and window;
    # pages are held apart, by site.page_cache), so room for many clients at once.
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20000}}


CACHES = {"default": _cache()}

# Every interface string goes through Django's translation machinery ({% translate %},
# gettext): a Persian or Arabic interface is a locale file away. The page's direction
# follows the language (LANGUAGE_BIDI), and the stylesheet mirrors with it.
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"  # `newsdesk manage collectstatic` fills it for a proxy
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "/admin/login/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"newsdesk": {"level": "INFO"}, "waitress": {"level": "INFO"}},
}
