"""The headers that keep every answer (pages, JSON, feeds, static files, the admin) from
running anything but the site's own scripts, and from being framed.

Django 5.2 has no Content-Security-Policy of its own (6.0 adds one), and a package for one
header is more than a few lines here. This middleware is the outermost, so it also marks
what answers before the rest of the stack runs: a page from the page cache, a 304, a static
file from WhiteNoise (which XFrameOptionsMiddleware, further in, never sees).

The policy: scripts and styles only from the site itself (no inline script or style
element, no ``eval``), no plugins (``object-src 'none'``), no framing by anyone
(``frame-ancestors 'none'``), forms posting only to the site, no ``<base>`` rewriting.
Images may also be ``data:`` URLs (the admin's widgets draw a few that way).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        for name, value in HEADERS.items():
            if name not in response:
                response[name] = value
        return response
