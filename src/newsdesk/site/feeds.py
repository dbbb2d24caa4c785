"""Feeds out: RSS 2.0 and Atom through Django's syndication framework, JSON Feed 1.1 by hand.

Every feed is a *scope* (home, a category, an entity, a story, a search) resolved once by `scope()`;
the three formats only differ in how they write the same list of articles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import get_language, gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from newsdesk.desk.models import Article, Category, Entity, Story
from newsdesk.desk.search import search, with_entity_names
from newsdesk.pipeline.search_query import BadQuery, parse
from newsdesk.pipeline.sniff import strip_controls
from newsdesk.site import branding, languages, limits
from newsdesk.site.blocks import teasers
from newsdesk.site.cards import outlet_counts, strip_agency
from newsdesk.site.headlines import reader_title
from newsdesk.site.render import BadParameter, conditional, json_response, one
from newsdesk.site.search_views import SEARCH_FIELDS, search_scope
from newsdesk.site.selectors import Tree, mentioning

FEED_SIZE = 30
FEED_MAX_AGE = 300


def site_title() -> str:
    return branding.branding()["name"]


def found_or_404(rows, message: str):
    """The one row asked for, or a 404 that says in words what is missing."""
    row = rows.first()
    if row is None:
        raise Http404(message)
    return row


@dataclass
class Scope:
    title: str
    link: str
    description: str
    feed_name: str
    kwargs: dict
    articles: QuerySet  # or anything sliced the same way (a search's results)
    params: dict = field(default_factory=dict)  # the query string a search feed needs

    def feed_url(self, kind: str) -> str:
        url = reverse(self.feed_name, kwargs={**self.kwargs, "kind": kind})
        return f"{url}?{urlencode(self.params)}" if self.params else url


def scope(name: str, slug: str | None = None, pk: int | None = None, request=None) -> Scope:
    """What one feed lists; Http404 when its category, entity or story does not exist,
    BadQuery or BadParameter when a search's words, region or dates are not a search."""
    if name == "home":
        return Scope(site_title(), reverse("home"), gettext("Latest news from the desk."), "home_feed", {},
                     teasers())
    if name == "category":
        category = found_or_404(Category.objects.filter(slug=slug),
                                gettext("There is no section %(slug)r.") % {"slug": slug})
        tree = Tree()
        return Scope(f"{category.name} — {site_title()}", category.get_absolute_url(),
                     gettext("Latest news filed under %(name)s.") % {"name": category}, "category_feed", {"slug": slug},
                     teasers().in_category(tree.subtree(tree.by_id[category.pk])))
    if name == "entity":
        entity = found_or_404(Entity.objects.filter(slug=slug),
                              gettext("There is no page for the name %(slug)r.") % {"slug": slug})
        return Scope(f"{entity.name} — {site_title()}", entity.get_absolute_url(),
                     gettext("Articles that mention %(name)s.") % {"name": entity.name}, "entity_feed", {"slug": slug},
                     mentioning(entity).select_related("source"))
    if name == "story":
        story = found_or_404(Story.objects.filter(pk=pk), gettext("There is no story %(id)s.") % {"id": pk})
        return Scope(f"{story} — {site_title()}", story.get_absolute_url(),
                     gettext("Coverage of the story: %(title)s.") % {"title": story}, "story_feed", {"pk": pk},
                     teasers().in_story(story))
    if name == "search":
        asked = {f: one(request, f) for f in SEARCH_FIELDS if f != "order" and request.GET.get(f)}
        typed = parse(asked.get("q", ""))
        terms, _ = with_entity_names(typed)
        # A saved search as a feed: new matches on top, as in every other feed.
        return Scope(gettext("Search: %(query)s") % {"query": typed.normalised()} + f" — {site_title()}",
                     f"{reverse('search')}?{urlencode(asked)}",
                     gettext("Articles matching %(query)s.") % {"query": typed.normalised()}, "search_feed", {},
                     search(terms, "newest", search_scope(request, Tree())), asked)
    raise Http404(f"No feed scope {name!r}.")


def _xml_safe(value):
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, list | tuple):
        return type(value)(_xml_safe(v) for v in value)
    return value


def label(value: str) -> str:
    """A name or a category as a feed carries it: no angle brackets. A name never holds one,
    and without ``<`` no reader that renders the field as HTML can find an element in it,
    while an ``&`` stays readable to the readers that take the field as text."""
    return value.replace("<", "").replace(">", "")


class _ReaderSafe:
    """Wraps the XML writer while an RSS or Atom document is written: the text of each
    element that feed readers render as HTML is escaped once more, so a stored excerpt
    holding ``<img src=x onerror=…>`` reaches the reader as those characters, never as an
    element. Django's generator escapes for XML only, and an RSS reader decodes that
    layer back into live markup. Names and categories lose their angle brackets instead
    (see `label`)."""

    def __init__(self, handler, html: frozenset[str], labels: frozenset[str], typed: bool):
        self._handler = handler
        self._html = html
        self._labels = labels
        self._typed = typed  # Atom: say type="html", so a reader decodes the layer we add

    def addQuickElement(self, name, contents=None, attrs=None):  # noqa: N802 - SAX's name
        attrs = dict(attrs or {})
        if contents and name in self._html:
            contents = escape(contents)
            if self._typed:
                attrs["type"] = "html"
        elif contents and name in self._labels:
            contents = label(contents)
        if "term" in attrs:  # an Atom category
            attrs["term"] = label(attrs["term"])
        return self._handler.addQuickElement(name, contents, attrs)

    def __getattr__(self, name):
        return getattr(self._handler, name)


class _XmlSafe:
    """A feed generator that drops the control characters XML 1.0 cannot carry (Django
    refuses to write them, and one stored title with a pasted "\x0b" (an article kept
    before such characters were stripped at ingest, an editor's rename) took the whole
    feed down with a server error), and escapes what readers render as HTML (`_ReaderSafe`)."""

    html_elements: frozenset[str] = frozenset()
    label_elements = frozenset({"author", "dc:creator", "name", "category"})
    typed = False

    def __init__(self, title, link, description, *args, **kwargs):
        super().__init__(_xml_safe(title), link, _xml_safe(description), *args,
                         **{k: _xml_safe(v) for k, v in kwargs.items()})

    def add_item(self, title, link, description, *args, **kwargs):
        super().add_item(_xml_safe(title), link, _xml_safe(description), *args,
                         **{k: _xml_safe(v) for k, v in kwargs.items()})

    def _reader_safe(self, handler):
        return _ReaderSafe(handler, self.html_elements, self.label_elements, self.typed)

    def add_root_elements(self, handler):
        super().add_root_elements(self._reader_safe(handler))

    def add_item_elements(self, handler, item):
        super().add_item_elements(self._reader_safe(handler), item)


class SafeRss(_XmlSafe, Rss201rev2Feed):
    # RSS 2.0 has no way to declare plain text: readers render title and description as HTML.
    html_elements = frozenset({"title", "description"})


class SafeAtom(_XmlSafe, Atom1Feed):
    def item_attributes(self, item):
        """Each entry in its article's language (``xml:lang``): a feed reader sets a
        Persian or Arabic entry right to left from it, in a feed of English ones."""
        attrs = super().item_attributes(item)
        if item.get("language"):
            attrs["xml:lang"] = item["language"]
        return attrs

    # Atom can declare a type; "html" plus one more escape is read right by readers that
    # honour the type and stays inert in those that render every field as HTML.
    html_elements = frozenset({"title", "subtitle", "summary", "content", "rights"})
    typed = True


class ArticlesRss(Feed):
    feed_type = SafeRss
    kind = "rss"

    def get_object(self, request, scope_obj: Scope):  # noqa: D401 - Django's hook
        return scope_obj

    def title(self, obj: Scope) -> str:
        return obj.title

    def link(self, obj: Scope) -> str:
        return obj.link

    def description(self, obj: Scope) -> str:
        return obj.description

    subtitle = description

    def feed_url(self, obj: Scope) -> str:
        return obj.feed_url(self.kind)

    def items(self, obj: Scope):
        items = list(obj.articles[:FEED_SIZE])
        self.outlets = outlet_counts(items)  # one instance per request: safe to keep here
        return items

    def item_title(self, item: Article) -> str:
        return reader_title(item.title, item.body)

    def item_extra_kwargs(self, item: Article) -> dict:
        return {"language": languages.primary(item.language)}

    def item_description(self, item: Article) -> str:
        text = strip_agency(item.excerpt, item.agency)
        n = getattr(self, "outlets", {}).get(item.pk, 1)
        return f"{text} ({n} outlets)" if n > 1 else text

    def item_pubdate(self, item: Article):
        # Only a date the source gave: the time the desk added an undated article is no
        # publication date (the entry's <updated> still says when it changed)
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_author_name(self, item: Article) -> str | None:
        names = [n for n in (item.byline or []) if n]
        return ", ".join(names) if names else (item.agency or None)

    def item_categories(self, item: Article):
        return [item.source.name] if item.source_id else []


class ArticlesAtom(ArticlesRss):
    feed_type = SafeAtom
    kind = "atom"


def json_feed(request: HttpRequest, found: Scope) -> HttpResponse:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    absolute = request.build_absolute_uri
    items = []
    articles = list(found.articles[:FEED_SIZE])
    outlets = outlet_counts(articles)
    for a in articles:
        item = {
            "id": absolute(a.get_absolute_url()),
            "url": absolute(a.get_absolute_url()),
            "title": reader_title(a.title, a.body),
            "summary": strip_agency(a.excerpt, a.agency),
            "content_text": a.body,
            "date_modified": a.updated_at.isoformat(),
        }
        if a.language:
            item["language"] = languages.primary(a.language)  # JSON Feed 1.1: per item
        if a.published_at:
            item["date_published"] = a.published_at.isoformat()
        if a.url.startswith(("http://", "https://")):
            item["external_url"] = a.url
        if a.byline:
            item["authors"] = [{"name": n} for n in a.byline]
        if a.source_id:
            item["tags"] = [a.source.name]
        # JSON Feed extension: how many outlets ran this (syndicated copies are not items).
        item["_newsdesk"] = {"outlets": outlets.get(a.pk, 1)}
        items.append(item)
    body = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": found.title,
        "home_page_url": absolute(found.link),
        "feed_url": absolute(found.feed_url("json")),
        "description": found.description,
        "language": get_language(),
        "items": items,
    }
    response = json_response(body)
    response["Content-Type"] = "application/feed+json; charset=utf-8"
    return response


@csrf_exempt  # read-only (GET and HEAD): other methods get require_safe's 405, not CSRF's 403
@require_safe
def feed(request: HttpRequest, name: str, kind: str, slug: str | None = None,
         pk: int | None = None) -> HttpResponse:
    """/feed/<kind>/, /<scope>/<id>/feed/<kind>/ and /search/feed/<kind>/?q= for kind in
    rss, atom, json. A search feed runs a search: it counts against the search limit."""
    seconds = limits.wait("search", request) if name == "search" else None
    if seconds is not None:
        body = limits.too_many(seconds, "searches")
        response = (json_response(body, 429) if kind == "json" else
                    HttpResponse(body["message"], status=429, content_type="text/plain; charset=utf-8"))
        return limits.with_retry_after(response, seconds)
    try:
        found = scope(name, slug=slug, pk=pk, request=request)
    except (BadQuery, BadParameter) as exc:  # a search's words, region or days; a field twice
        if kind != "json":
            return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
        return json_response({"status": 400, "error": "Bad request", "message": str(exc)}, 400)
    except Http404 as exc:
        if kind != "json":
            raise
        return json_response({"status": 404, "error": "Not found", "message": str(exc)}, 404)
    if kind == "json":
        response = json_feed(request, found)
    elif kind == "atom":
        response = ArticlesAtom()(request, scope_obj=found)
    else:
        response = ArticlesRss()(request, scope_obj=found)
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return conditional(request, response)
