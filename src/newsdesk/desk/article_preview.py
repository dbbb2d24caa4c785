"""Editors see an article as readers would before anyone else does.

The preview renders the reader's own article template (``site.views.article_page``) from
the article as stored (any status: a hidden article too) or, when the change form posts
to it, from the form's unsaved data: nothing is written. It lives under /admin/, so only
an editor reaches it, it is never cached as a reader page, and search engines are told to
leave it alone. It is not a read: the reader script's hook (``data-article-id``) is taken
out, so no read is counted and the editor's browser history of reads is left alone.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from newsdesk.desk.models import Article
from newsdesk.site.render import nav
from newsdesk.site.views import article_page

_READER_HOOK = re.compile(r'\sdata-article-id="[^"]*"')


def render_preview(request: HttpRequest, article: Article, unsaved: bool) -> HttpResponse:
    page = article_page(article)
    context = {**page, **page.chrome, "nav": nav(), "json_url": None, "preview": {
        "unsaved": unsaved, "status": article.get_status_display(),
        "published": article.status == Article.Status.PUBLISHED and not article.duplicate_of_id}}
    response = render(request, "admin/desk/article/preview.html", context)
    response.content = _READER_HOOK.sub("", response.content.decode(), count=1).encode()
    response["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response


def form_errors(request: HttpRequest, article: Article, form) -> HttpResponse:
    return render(request, "admin/desk/article/preview_errors.html",
                  {"article": article, "form": form, "title": f"Preview of {article}"}, status=400)
