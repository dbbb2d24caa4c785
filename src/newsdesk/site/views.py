"""Reader pages. Each view builds a Page (plain data); `render.respond` turns it into HTML or JSON."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

from django.core.paginator import InvalidPage, Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from newsdesk import config
from newsdesk.desk.models import Article, Entity, Mention, Story
from newsdesk.pipeline.aliases import normalise
from newsdesk.site import blocks, branding, developing, limits, provenance, reads, recommend_cache
from newsdesk.site.cards import (
    breadcrumb,
    byline,
    cards,
    category_ref,
    country_ref,
    dateline,
    entity_ref,
    linked_paragraphs,
    source_link,
    source_ref,
    story_ref,
    strip_agency,
)
from newsdesk.site.headlines import reader_title
from newsdesk.site.render import Page, error_page, json_response, one, page_view, respond
from newsdesk.site.selectors import (
    CountedPaginator,
    Tree,
    co_mentioned,
    count_in_category,
    countries_of,
    mentioning,
)

PER_PAGE = 20
HOME_LATEST = 10
SECTION_SIZE = 4
ENTITY_ARTICLES = 50


def feed_links(name: str, **kwargs) -> dict:
    return {kind: reverse(name, kwargs={**kwargs, "kind": kind}) for kind in ("rss", "atom", "json")}


def countries(tree: Tree, rows: list[tuple[str, int]]) -> list[dict]:
    return [{**country_ref(tree, code), "count": n} for code, n in rows]


def home_scope(tree: Tree):
    """The region the front page covers (``NEWSDESK_HOME_REGION``) and the regions its
    sections show: that region's children, or the tree's top regions when none is set."""
    slug = branding.home_region()
    if not slug:
        return None, tree.roots()
    region = next((c for c in tree.by_id.values() if c.slug == slug), None)
    if region is None:
        raise Http404(_("The front page's region %(slug)r is not in the region tree.") % {"slug": slug})
    return region, tree.children.get(region.pk, [])


@require_safe
@page_view
def home(request: HttpRequest) -> Page:
    tree = Tree()
    region, roots = home_scope(tree)
    latest_rows = blocks.teasers()
    if region is not None:
        latest_rows = latest_rows.in_category(tree.subtree(region))
    latest = cards(latest_rows[:HOME_LATEST])
    sections = []
    for root, rows in blocks.sections(tree, SECTION_SIZE, roots):
        if rows:
            sections.append({"category": category_ref(root), "items": cards(rows)})
    site = branding.branding()
    return Page("site/home.html", {
        "page": "home",
        "title": site["name"],
        "tagline": site["tagline"] or None,
        "region": category_ref(region),
        "latest": latest,
        "must_read": blocks.must_read(),
        "developing": developing.home_block(tree),
        "sections": sections,
        "feeds": feed_links("home_feed"),
    })


def page_number(request: HttpRequest) -> int:
    raw = one(request, "page", "1")
    try:
        number = int(raw)
    except ValueError:
        if raw.isascii() and raw.isdigit():  # thousands of digits: more than Python reads
            raise Http404(_("There is no page %(raw)s….") % {"raw": raw[:40]}) from None
        raise Http404(_("Page %(raw)r is not a number.") % {"raw": raw[:40]}) from None
    if number < 1:
        raise Http404(_("Pages are numbered from 1; there is no page %(n)s.") % {"n": number})
    return number


def pagination(page, path: str, params: dict | None = None) -> dict:
    """Page numbers and the links to the pages around; ``params`` ride along in each link."""

    def link(number: int) -> str:
        return f"{path}?{urlencode({**(params or {}), 'page': number})}"

    return {
        "number": page.number,
        "num_pages": page.paginator.num_pages,
        "count": page.paginator.count,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "next": link(page.next_page_number()) if page.has_next() else None,
    }


@require_safe
@page_view
def category_detail(request: HttpRequest, slug: str) -> Page:
    tree = Tree()
    category = next((c for c in tree.by_id.values() if c.slug == slug), None)
    if category is None:
        raise Http404(_("There is no section %(slug)r.") % {"slug": slug})
    subtree = tree.subtree(category)
    articles = blocks.teasers().in_category(subtree)
    try:
        page = CountedPaginator(articles, PER_PAGE, count_in_category(subtree)).page(page_number(request))
    except InvalidPage as exc:
        raise Http404(str(exc)) from None
    return Page("site/category.html", {
        "page": "category",
        "title": category.name,
        "category": category_ref(category),
        "breadcrumb": breadcrumb(tree.ancestry(category)),
        "children": [category_ref(c) for c in tree.children.get(category.pk, [])],
        "articles": cards(page.object_list),
        "pagination": pagination(page, category.get_absolute_url()),
        "feeds": feed_links("category_feed", slug=slug),
    })


def body_paragraphs(article: Article) -> list[str]:
    """The body, without a first paragraph that only repeats the excerpt printed above it."""
    paragraphs = article.paragraphs
    lede = " ".join(strip_agency(article.excerpt, article.agency).split())
    if len(paragraphs) > 1 and lede and " ".join(paragraphs[0].split()) == lede:
        return paragraphs[1:]
    return paragraphs


def surface_forms(mention: Mention) -> list[str]:
    """The names this article used for the entity, each once: what
    lets a reader (or a benchmark) see that "Rafsanjani" here is the same person as elsewhere."""
    return list(dict.fromkeys(f for f in mention.surface_forms or [] if f))


@require_safe
@page_view
def article_detail(request: HttpRequest, pk: int) -> Page | HttpResponse:
    article = Article.objects.filter(status=Article.Status.PUBLISHED).select_related(
        "source", "story", "category__parent__parent").filter(pk=pk).first()
    if article is None:
        raise Http404(_("There is no published article %(id)s: it may have been withdrawn.") % {"id": pk})
    if article.duplicate_of_id:
        # A syndicated copy: send the reader to the article it copies.
        target = reverse("article_detail", args=[article.duplicate_of_id])
        return HttpResponseRedirect(target.rstrip("/") + ".json" if request.path.endswith(".json") else target)
    return article_page(article)


def article_page(article: Article) -> Page:
    """An article's page from its row as it stands, saved or not: the reader's view above,
    and the editors' preview of a change before it is saved (desk.article_preview)."""
    mentions = list(Mention.objects.filter(article=article).select_related("entity"))
    places = list(article.places.select_related("category"))
    return Page("site/article.html", {
        "page": "article",
        "title": reader_title(article.title, article.body),
        "breadcrumb": breadcrumb(article.category.ancestry()) if article.category else [],
        "article": {
            "id": article.pk,
            "title": reader_title(article.title, article.body),
            "url": article.get_absolute_url(),
            "agency": article.agency or None,
            "excerpt": strip_agency(article.excerpt, article.agency),
            "byline": byline(article),
            "authors": list(article.byline or []),
            "dateline": dateline(article),
            "paragraphs": linked_paragraphs(body_paragraphs(article), mentions),
            "credits": article.credits or None,
            "source": source_ref(article.source),
            "source_url": source_link(article),
            "published": article.published_at,
            "when": article.when,
            "language": article.language or None,
            "category": category_ref(article.category),
            "places": [{"code": p.code, "salience": p.salience, "category": category_ref(p.category)}
                       for p in places],
            "story": story_ref(article.story),
            "entities": [{**entity_ref(m.entity, m.count), "forms": surface_forms(m)} for m in mentions],
            "also_published": provenance.also_published(article),
        },
        "blocks": {
            "latest": blocks.latest_news(exclude=[article.pk]),
            "must_read": blocks.must_read(exclude=[article.pk]),
            "related": blocks.related(article),
        },
        "read_url": reverse("article_read", args=[article.pk]),
        "recommend_url": reverse("recommend"),
    }, max_age=300)


def other_names(entity: Entity) -> list[str]:
    """The entity's other names as read, one per spelling: "People's" and "People’s" (or
    "MEK" and "M.E.K.") are one name to a reader."""
    seen = {normalise(entity.name)}
    out = []
    for name in entity.aliases:
        key = normalise(name)
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out


@require_safe
@page_view
def entity_detail(request: HttpRequest, slug: str) -> Page:
    entity = Entity.objects.filter(slug=slug).first()
    if entity is None:
        raise Http404(_("There is no page for the name %(slug)r.") % {"slug": slug})
    articles = list(mentioning(entity).select_related("source")[:ENTITY_ARTICLES])
    ids = [a.pk for a in articles]
    return Page("site/entity.html", {
        "page": "entity",
        "title": entity.name,
        "entity": {**entity_ref(entity), "aliases": other_names(entity)},
        "articles": cards(articles),
        "entities": [entity_ref(e, e.n) for e in co_mentioned(ids, exclude=entity)],
        "countries": countries(Tree(), countries_of(ids)),
        "feeds": feed_links("entity_feed", slug=slug),
    })


@require_safe
@page_view
def story_detail(request: HttpRequest, pk: int) -> Page | HttpResponse:
    story = Story.objects.filter(pk=pk).first()
    if story is None:
        raise Http404(_("There is no story %(id)s.") % {"id": pk})
    if (story.state or {}).get("merged_into"):
        # An editor folded this story into another: its address leads there.
        from newsdesk.desk.stories import surviving

        target = reverse("story_detail", args=[surviving(story).pk])
        return HttpResponseRedirect(target.rstrip("/") + ".json" if request.path.endswith(".json") else target)
    timeline = list(
        Article.objects.published().in_story(story).select_related("source")
        .order_by(F("published_at").asc(nulls_last=True), "created_at")
    )
    if not timeline:
        raise Http404(_("This story has no published coverage."))
    coverage = provenance.story_coverage(story)
    ids = [a.pk for a in timeline]  # copies would count one wire story's names several times
    agencies = Counter(a.agency for a in coverage if a.agency)
    return Page("site/story.html", {
        "page": "story",
        "title": reader_title(str(story)),
        "story": {**story_ref(story), "started": timeline[0].when, "updated": timeline[-1].when,
                  "articles": len(timeline), "copies": len(coverage) - len(timeline)},
        "timeline": cards(timeline),
        "outlets": provenance.outlets(coverage),
        "agencies": [{"name": n, "count": c} for n, c in agencies.most_common()],
        "wire_origin": provenance.wire_origin(coverage),
        "entities": [entity_ref(e, e.n) for e in co_mentioned(ids)],
        "countries": countries(Tree(), countries_of(ids)),
        "feeds": feed_links("story_feed", pk=story.pk),
    })


@require_safe
@page_view
def story_list(request: HttpRequest) -> Page:
    """The stories still developing (two or more articles, covered lately), the most
    recently covered first."""
    try:
        page = Paginator(developing.active(), PER_PAGE).page(page_number(request))
    except InvalidPage as exc:
        raise Http404(str(exc)) from None
    return Page("site/stories.html", {
        "page": "stories",
        "title": _("Developing stories"),
        "active_days": developing.ACTIVE_DAYS,
        "stories": developing.story_cards(list(page.object_list)),
        "pagination": pagination(page, reverse("story_list")),
    })


# Article ids are the database's 64-bit keys: a larger number names no article and would
# overflow the query (a 500 on SQLite), so it is refused like any other non-id. The
# OpenAPI document says the same (`seen`: integers from 0 to ID_MAX, comma-separated).
ID_MAX = 2**63 - 1


def parse_seen(raw: str) -> list[int]:
    """`1,2,3` → [1, 2, 3] (spaces around an id and empty places are let go); anything
    else is the caller's mistake, said plainly."""
    seen = []
    for part in filter(None, (p.strip(" ") for p in raw.split(","))):
        shown = part[:40] + ("…" if len(part) > 40 else "")
        if not (part.isascii() and part.isdigit()):
            raise ValueError(f"seen must be comma-separated article ids, got {shown!r}")
        digits = part.lstrip("0") or "0"  # Python reads no number of over 4,300 digits
        if len(digits) > len(str(ID_MAX)) or int(digits) > ID_MAX:
            raise ValueError(f"seen must be article ids; {shown} is larger than any id")
        seen.append(int(digits))
    return seen


def history_field(request: HttpRequest, name: str) -> str:
    """A field of the reader's history: from the POST body (the site's own script sends it
    there, so no URL, access log or shared cache ever holds it), or from the query string
    of an older client's GET."""
    if request.method == "POST":
        values = request.POST.getlist(name)
        if len(values) > 1:
            raise ValueError(_("%(name)s is given %(n)s times; give it once.") % {"name": name, "n": len(values)})
        return values[0] if values else ""
    return one(request, name)


@require_http_methods(["GET", "HEAD", "POST"])
@page_view
def recommend(request: HttpRequest) -> Page | HttpResponse:
    """Recommended to you, for the ids this browser says it has read.

    A POST here changes nothing (it reads, like the GET), so it needs no CSRF token: a
    page served from a shared cache has none to give, and a forged cross-site POST learns
    nothing (the browser keeps the answer from the other site's script). The answer
    depends on one reader's history, so it is never stored by a shared cache
    (``Cache-Control: private, no-store``; the page cache keeps only public answers)."""
    try:
        seen = parse_seen(history_field(request, "seen"))
        reading = parse_seen(history_field(request, "reading"))
    except ValueError as exc:
        return error_page(400, str(exc))
    if len(reading) > 1:
        return error_page(400, _("reading is the one article open now, not a list."))
    now_reading = reading[0] if reading else None

    def build() -> HttpResponse:
        found = blocks.recommended(seen, reading=now_reading)
        return respond(request, Page("site/recommend.html", {
            "page": "recommend",
            "title": _("Recommended to you"),
            "seen": seen[-blocks.SEEN_MAX:],
            "block": found,
            "items": found["items"] if found else [],
        }, cache="private"))

    return recommend_cache.answered(request, seen, now_reading, build)


@csrf_exempt  # called by a script with no cookies and no session: nothing to forge
@require_POST
def article_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Count a read for Must read's most-read fallback: once per reader and article a
    day, within the client's limit (``site.reads``, ``site.limits``)."""
    seconds = limits.wait("read", request)
    if seconds is not None:
        return limits.with_retry_after(json_response(limits.too_many(seconds, "reads"), 429), seconds)
    article = Article.objects.published().filter(pk=pk).values_list("pk", flat=True).first()
    if article is None:
        return json_response({"status": 404, "error": "Not found", "message": f"No article {pk}."}, 404)
    read = reads.record_read(article, request)
    response = json_response({"article": article, "counted": read.counted,
                              "count_this_hour": read.count_this_hour})
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def settings_json(request: HttpRequest) -> HttpResponse:
    """The desk's settings for its operators. Masked secrets aside, they still say where the
    data lives, which database host serves it and which hosts are allowed: not a reader's
    business, so only signed-in editors (staff) see them."""
    if not request.user.is_staff:
        response = json_response({"status": 403, "error": "Forbidden", "message":
                                  "The settings are for editors: sign in at /admin/ first."}, 403)
    else:
        response = json_response(config.public_values())
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a short JSON body for API callers; the plain error template otherwise."""
    page = error_page(500, _("Something broke on our side; it has been logged."))
    return respond(request, page)


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """handler404 for URLs no route matched: JSON when JSON was asked for."""
    from newsdesk.site.render import respond

    return respond(request, error_page(404, _("There is no page at this address.")))

