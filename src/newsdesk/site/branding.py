"""The site's name, tagline, logo and front-page region, from the NEWSDESK_SITE_* settings.

Read from the environment like every other setting (``newsdesk.config``), once per
request through the context processor, so a template never hard-wires a name.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.templatetags.static import static

from newsdesk import config


def logo_url(value: str) -> str | None:
    """A path on this site (``/media/logo.svg``) as given; a bare name (``site/logo.svg``)
    is a static file. The policy (``site.security_headers``) loads images from the site
    only, so a logo on another host would not show: it is refused here with the same rule."""
    value = value.strip()
    if not value:
        return None
    if "://" in value or value.startswith("//"):
        raise ValueError(f"NEWSDESK_SITE_LOGO is a file on this site, not {value!r}")
    return value if value.startswith("/") else static(value)


def branding() -> dict:
    return {
        "name": config.get("NEWSDESK_SITE_NAME").strip() or "Newsdesk",
        "tagline": config.get("NEWSDESK_SITE_TAGLINE").strip(),
        "logo": logo_url(config.get("NEWSDESK_SITE_LOGO")),
    }


def home_region() -> str:
    """The slug of the region the front page is about; empty for every region."""
    return config.get("NEWSDESK_HOME_REGION").strip()


def site(request: HttpRequest) -> dict:
    """Context processor: ``site`` in every template."""
    return {"site": branding()}
