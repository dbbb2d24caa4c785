"""The reader's search page (`/search/?q=`): words, a region, a span of days.

The words are read by ``pipeline.search_query``; names are widened and articles found,
ranked and quoted by ``desk.search``. Here: the request's fields, their errors (a 400 that
says what to fix), and the page.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from newsdesk.desk.search import ORDERS, SearchScope, snippets, with_entity_names
from newsdesk.desk.search import search as search_articles
from newsdesk.pipeline.search_query import BadQuery
from newsdesk.pipeline.search_query import parse as parse_query
from newsdesk.site import limits
from newsdesk.site.cards import cards, entity_ref
from newsdesk.site.render import BadParameter, Page, one, page_view
from newsdesk.site.selectors import Tree
from newsdesk.site.views import PER_PAGE, feed_links, page_number, pagination


class BadScope(BadParameter):
    """A search's region or dates are not ones the desk can use; the message says why."""


def search_scope(request: HttpRequest, tree: Tree) -> SearchScope:
    """The region (a category slug) and the dates (``from``, ``to``: inclusive days) asked."""
    ids: tuple[int, ...] = ()
    slug = one(request, "region")
    if slug:
        category = next((c for c in tree.by_id.values() if c.slug == slug), None)
        if category is None:
            raise BadScope(gettext("There is no region %(slug)r.") % {"slug": slug})
        ids = tuple(tree.subtree(category).ids)
    days = {}
    for name in ("from", "to"):
        raw = one(request, name)
        try:
            days[name] = date.fromisoformat(raw) if raw else None
        except ValueError:
            raise BadScope(gettext("Dates are written 2026-01-31; %(name)s=%(raw)r is not one.")
                           % {"name": name, "raw": raw}) from None
    start, end = days["from"], days["to"]
    if start and end and end < start:
        raise BadScope(gettext("The span ends (%(end)s) before it starts (%(start)s).") % {"end": end, "start": start})
    if end == date.max:  # the day after it does not exist
        end = None
    return SearchScope(
        category_ids=ids,
        since=datetime.combine(start, time.min, tzinfo=UTC) if start else None,
        before=datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC) if end else None,
    )


def region_choices(tree: Tree) -> list[dict]:
    """Every region and country for the search form, in the tree's order, indented by depth."""
    choices = []

    def walk(nodes, depth):
        for c in nodes:
            choices.append({"slug": c.slug, "name": c.name, "depth": depth})
            walk(tree.children.get(c.pk, []), depth + 1)

    walk(tree.roots(), 0)
    return choices


SEARCH_FIELDS = ("q", "order", "region", "from", "to")


@require_safe
@page_view
def search(request: HttpRequest) -> Page:
    """The reader's search: every published article matching the words, best match first
    (or newest first), within a region and a span of days if asked, with a feed of the
    same search. An empty box is just the form."""
    tree = Tree()
    raw = request.GET.get("q", "")
    order = request.GET.get("order", ORDERS[0])
    asked = {f: request.GET.get(f, "") for f in SEARCH_FIELDS if request.GET.get(f)}
    data = {"page": "search", "title": gettext("Search"), "query": raw, "searched": None, "order": order,
            "orders": list(ORDERS), "region": asked.get("region", ""), "from": asked.get("from", ""),
            "to": asked.get("to", ""), "also_names": [], "count": None, "more": False, "articles": [],
            "pagination": None, "error": None}
    chrome = {"regions": region_choices(tree)}
    try:
        for name in ("q", "order"):
            one(request, name)
        page_number(request)  # a page that cannot be is a 404 with or without words
        # The region and the days are checked even with no words: the form shows what is wrong.
        scope = search_scope(request, tree)
    except BadParameter as exc:
        return Page("site/search.html", {**data, "order": ORDERS[0], "error": str(exc)},
                    status=400, chrome=chrome)
    if order not in ORDERS:
        return Page("site/search.html", {**data, "order": ORDERS[0], "error":
                    gettext("Results can be sorted by %(orders)s, not %(order)r.")
                    % {"orders": " or ".join(ORDERS), "order": order}},
                    status=400, chrome=chrome)
    if not raw.strip():
        return Page("site/search.html", data, chrome=chrome)
    try:
        typed = parse_query(raw)
    except BadQuery as exc:
        return Page("site/search.html", {**data, "error": str(exc)}, status=400, chrome=chrome)
    seconds = limits.wait("search", request)
    if seconds is not None:
        return Page("site/search.html", {**data, "error": limits.too_many(seconds, "searches")["message"]},
                    status=429, chrome=chrome, headers={"Retry-After": str(seconds)})
    terms, named = with_entity_names(typed)
    results = search_articles(terms, order, scope)
    try:
        page = Paginator(results, PER_PAGE).page(page_number(request))
    except InvalidPage as exc:
        raise Http404(str(exc)) from None
    found = cards(page.object_list)
    matched = snippets(terms, [c["id"] for c in found])
    for card in found:
        card["snippet"] = matched.get(card["id"])
    feed_query = urlencode({k: v for k, v in asked.items() if k != "order"})
    return Page("site/search.html", {
        **data,
        "title": gettext("Search: %(query)s") % {"query": typed.normalised()},
        "searched": typed.normalised(),
        "also_names": [{"typed": n.typed, "name": n.name, "names": n.names,
                        "entity": entity_ref(n.entity) if n.entity else None} for n in named],
        "count": page.paginator.count,
        "more": results.more,
        "articles": found,
        "pagination": pagination(page, reverse("search"), {**asked, "order": order}),
        "feeds": {kind: f"{url}?{feed_query}" for kind, url in feed_links("search_feed").items()},
    }, chrome=chrome)
