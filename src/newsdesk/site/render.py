"""One rendering path: a view returns a context of plain data; this module renders it as HTML
or as JSON (the `.json` twin of the URL, or `Accept: application/json`), errors included.
"""

from __future__ import annotations

import functools
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.translation import gettext

from newsdesk.site.selectors import Tree

PAGE_MAX_AGE = 60  # seconds a browser or proxy may reuse a page: news moves, but not every second
JSON_TYPE = "application/json"


class Page(dict):
    """A page's context (plain data) plus the template that renders it as HTML."""

    def __init__(self, template: str, data: dict, status: int = 200, max_age: int = PAGE_MAX_AGE,
                 chrome: dict | None = None, headers: dict | None = None, cache: str = "public"):
        super().__init__(data)
        # "public": any cache may keep it (the page cache too); "private": one reader's
        # page (their reading history), kept by no cache at all.
        self.cache = cache
        self.template = template
        self.status = status
        self.max_age = max_age
        self.chrome = chrome or {}  # what only the HTML needs (a form's choices): not in JSON
        self.headers = headers or {}  # set on the answer in either format (Retry-After)


def wants_json(request: HttpRequest, fmt: str | None = None) -> bool:
    """The `.json` twin, or an Accept header that prefers JSON over HTML."""
    if fmt == "json" or request.path.endswith(".json"):
        return True
    accept = request.headers.get("Accept", "")
    if JSON_TYPE not in accept:
        return False
    html = accept.find("text/html")
    return html == -1 or accept.find(JSON_TYPE) < html


def json_response(data: dict, status: int = 200) -> HttpResponse:
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=None)
    return HttpResponse(body, status=status, content_type=f"{JSON_TYPE}; charset=utf-8")


def nav() -> list[dict]:
    """Top-level regions and the stories list, for the masthead (HTML only; the JSON twin
    has no chrome)."""
    regions = [{"name": c.name, "url": c.get_absolute_url()} for c in Tree().roots()]
    return [*regions, {"name": gettext("Stories"), "url": reverse("story_list")}]


def respond(request: HttpRequest, page: Page, fmt: str | None = None) -> HttpResponse:
    if wants_json(request, fmt):
        response = json_response(dict(page), status=page.status)
    else:
        # A 500 may mean the database is down: no masthead query then.
        context = {**page, **page.chrome, "nav": nav() if page.status < 500 else [],
                   "json_url": json_twin(request.path, request.GET.urlencode())}
        response = render(request, page.template, context, status=page.status)
    for name, value in page.headers.items():
        response[name] = value
    patch_vary_headers(response, ("Accept",))
    if page.status != 200:
        patch_cache_control(response, no_cache=True, max_age=0)
        return response
    if page.cache == "private":
        patch_cache_control(response, private=True, no_store=True)
        return response
    patch_cache_control(response, public=True, max_age=page.max_age)
    return conditional(request, response)


def conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """ETag from the body; a reader or proxy revalidating an unchanged page gets a 304."""
    set_response_etag(response)
    return get_conditional_response(request, etag=response["ETag"], response=response)


def json_twin(path: str, query: str = "") -> str:
    """The page's JSON address; the query string (a search, a page number) rides along."""
    if path.endswith(".json"):
        twin = path
    elif path == "/":
        twin = "/index.json"
    else:
        twin = path.rstrip("/") + ".json"
    return f"{twin}?{query}" if query else twin


class BadParameter(ValueError):
    """A query parameter the page cannot take; the message says what to send instead."""


def one(request: HttpRequest, name: str, default: str = "") -> str:
    """A query parameter given at most once: ``?page=1&page=2`` asks two things at once,
    and taking either one would answer a question the caller may not have asked."""
    values = request.GET.getlist(name)
    if len(values) > 1:
        raise BadParameter(f"{name} is given {len(values)} times; give it once.")
    return values[0] if values else default


def error_page(status: int, message: str) -> Page:
    titles = {400: gettext("Bad request"), 404: gettext("Not found"),
              429: gettext("Too many requests"), 500: gettext("Server error")}
    return Page("site/error.html", {"page": "error", "status": status,
                                    "error": titles.get(status, gettext("Error")), "message": message},
                status=status)


def page_view(view):
    """Decorate a view returning a Page: render it, and answer Http404 (404) and
    BadParameter (400) in the asked format.

    A page only reads (its views take GET and HEAD alone), so it has nothing for CSRF to
    guard: exempt, any other method is answered 405 by the view's ``require_safe``
    instead of 403 by the CSRF check, which says nothing true about the page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, fmt: str | None = None, **kwargs):
        try:
            result = view(request, *args, **kwargs)
        except Http404 as exc:
            result = error_page(404, str(exc) or gettext("No such page."))
        except BadParameter as exc:
            result = error_page(400, str(exc))
        if isinstance(result, Page):
            return respond(request, result, fmt)
        return result

    wrapper.csrf_exempt = True  # carried out by require_safe's functools.wraps
    return wrapper
