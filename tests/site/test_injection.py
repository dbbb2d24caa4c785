"""Script injection through every input field never reaches a reader as live markup.

Forty well-known vectors (script tags, event handlers, ``javascript:`` and ``data:`` URLs, SVG
and MathML, encoded and broken markup) are written into every field a source can fill: the
headline, the description, the body, the author, the outlet and section, the link. They go
in through the real ingest path, as HTML pages and as a JSON Feed. Then every feed the site
serves is read the way a feed reader reads it (feedparser, with its own sanitiser off, then an
HTML parse of each field), and every page and its JSON twin is read the way a browser or an
API client would. No element, attribute or URL that can run script may survive.
"""

from __future__ import annotations

import html
import json
import random
from html.parser import HTMLParser
from urllib.parse import quote

import feedparser
import pytest

pytestmark = pytest.mark.django_db(transaction=True)

VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<img src=x onerror="alert(document.domain)"> Oil talks resume',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<body onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html,<script>alert(1)</script>">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<marquee onstart=alert(1)>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;img src=x onerror=alert(1)&#62;",
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)//",
    "<svg/onload=alert(1)>",
    "<style>@import 'javascript:alert(1)';</style>",
    '<link rel=stylesheet href="javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<img src="jav&#x09;ascript:alert(1)">',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<![CDATA[<script>alert(1)</script>]]>",
    "<x onclick=alert(1)>click",
    '<table background="javascript:alert(1)">',
    "<isindex type=image src=1 onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
]
LINKS = ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
         " JaVaScRiPt:alert(1)", "vbscript:msgbox(1)"]

# Elements that run script, load active content, or redirect the page.
ACTIVE_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg",
               "math", "form", "base", "link", "meta", "style", "isindex", "input", "button",
               "details", "video", "audio", "source", "marquee", "body", "noscript", "template"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "background", "poster",
                  "xlink:href", "srcdoc", "lowsrc", "dynsrc", "content"}
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")
# What the site's own pages are built of; an injected one is still caught by its attributes.
PAGE_CHROME = frozenset({"link", "meta", "body", "form", "input", "button", "script"})

CITIES = ["Baghdad", "Tehran", "Kabul", "Ankara", "Riyadh", "Doha", "Muscat", "Baku", "Yerevan",
          "Erbil", "Basra", "Tabriz", "Herat", "Mosul", "Kirkuk", "Isfahan"]
NOUNS = ["tankers", "delegates", "engineers", "farmers", "pilgrims", "traders", "students",
         "doctors", "judges", "refugees", "miners", "teachers", "drivers", "reporters"]
VERBS = ["evacuated", "registered", "detained", "welcomed", "counted", "hired", "trained",
         "released", "summoned", "praised", "questioned", "relocated"]
PLACES = ["border crossing", "central market", "oil terminal", "grain silo", "river port",
          "power station", "airport road", "university campus", "old bazaar", "customs post"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class _StartTags(HTMLParser):
    """Every start tag as a browser's HTML tokenizer sees it (the stdlib parser follows the
    HTML5 tokenizer closely): what runs script is decided there, whatever tree comes next.
    ``<body onload>`` inside a page, for one, adds its handler to the page's own body."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def unscripted(fragment: str) -> list[str]:
    """What in ``fragment``, rendered as HTML the way a reader renders a field, could run
    script. A closing ``>`` is added, as the markup around the field would supply one."""
    if not fragment or not fragment.strip():
        return []
    return active_parts(fragment + ">")


def active_parts(markup: str, own: frozenset[str] = frozenset(),
                 own_scripts: tuple[str, ...] = ()) -> list[str]:
    """Start tags that can run script: active elements (less ``own``, the page's own
    chrome), event handlers, and script URLs; ``<script src>`` under ``own_scripts`` is
    the site's own."""
    parser = _StartTags()
    parser.feed(markup)
    parser.close()
    found = []
    for tag, attrs in parser.tags:
        values = dict(attrs)
        if tag == "script" and own_scripts and (values.get("src") or "").startswith(own_scripts):
            continue
        if tag in ACTIVE_TAGS and tag not in own:
            found.append(f"<{tag}>")
        for name, value in attrs:
            squeezed = "".join(ch for ch in (value or "") if ch > " ").lower()
            if name.startswith("on"):
                found.append(f"<{tag} {name}=…>")
            elif name in URL_ATTRIBUTES and squeezed.startswith(SCRIPT_SCHEMES):
                found.append(f"<{tag} {name}={squeezed[:40]!r}>")
            elif name == "content" and "url=javascript:" in squeezed:
                found.append(f"<{tag} content={squeezed[:40]!r}>")
            elif name == "style" and ("javascript:" in squeezed or "expression(" in squeezed):
                found.append(f"<{tag} style={squeezed[:40]!r}>")
    return found


def sentence(rng: random.Random) -> str:
    return (f"{rng.choice(CITIES)} officials said on {rng.choice(DAYS)} that "
            f"{rng.randint(12, 9_000):,} {rng.choice(NOUNS)} had been {rng.choice(VERBS)} near the "
            f"{rng.choice(PLACES)} of {rng.choice(CITIES)}, {rng.randint(2, 90)} kilometres "
            f"from the {rng.choice(PLACES)}.")


def paragraphs(seed: int, vector: str) -> list[str]:
    """Four paragraphs of one page's own words (so no two pages are copies of each other),
    with the vector as text in one and as markup in another."""
    rng = random.Random(seed)
    text = [" ".join(sentence(rng) for _ in range(3)) for _ in range(4)]
    text[0] = f"The People's Mojahedin Organization of Iran (PMOI) said {text[0]}"
    return [html.escape(text[0]), f"{html.escape(text[1])} {html.escape(vector)}",
            f"{html.escape(text[2])} {vector}", html.escape(text[3])]


def page(i: int) -> str:
    v = lambda k: VECTORS[(i + k) % len(VECTORS)]  # noqa: E731 - each field its own vector
    title = f"{v(0)} Talks on the {CITIES[i % len(CITIES)]} crossing {i}"
    link = LINKS[i % len(LINKS)] if i % 3 == 0 else f"https://example.org/{quote(v(5))}/{i}"
    body = "".join(f"<p>{p}</p>" for p in paragraphs(i, v(2)))
    a = html.escape
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{a(title)}</title>
<meta name="description" content="{a(v(1))} Delegates met at the crossing {i}.">
<meta name="author" content="{a(v(3))}">
<meta property="og:site_name" content="{a(v(4))}">
<meta property="article:section" content="{a(v(4))}">
<meta property="article:published_time" content="2026-12-{1 + i % 5:02d}T0{i % 9}:00:00Z">
<link rel="canonical" href="{a(link)}">
</head><body><article><h1>{a(title)}</h1><p class="byline">By {a(v(3))}</p>{body}</article>
</body></html>"""


def json_feed() -> str:
    items = []
    for i in range(len(VECTORS)):
        v = lambda k, i=i: VECTORS[(i + 7 + k) % len(VECTORS)]  # noqa: E731
        paras = paragraphs(1000 + i, v(2))
        items.append({
            "id": f"item-{i}",
            "url": LINKS[i % len(LINKS)] if i % 2 else f"https://example.net/{quote(v(5))}/{i}",
            "title": f"{v(0)} Convoy reaches {CITIES[(i + 3) % len(CITIES)]} {i}",
            "summary": f"{v(1)} A convoy reached the city {i}.",
            "content_html": "".join(f"<p>{p}</p>" for p in paras) + v(6),
            "date_published": f"2026-12-0{1 + i % 5}T1{i % 9}:00:00Z",
            "authors": [{"name": v(3), "url": LINKS[i % len(LINKS)]}],
            "tags": [v(4)],
        })
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": VECTORS[1],
                       "home_page_url": "https://example.net/", "items": items})


@pytest.fixture
def hostile_desk(region_tree, tmp_path):
    """The desk after ingesting the hostile pages and the hostile JSON Feed."""
    from newsdesk.desk.ingest import ingest_target
    from newsdesk.desk.models import Article

    folder = tmp_path / "hostile"
    folder.mkdir()
    for i in range(len(VECTORS)):
        (folder / f"page-{i:02d}.html").write_text(page(i), encoding="utf-8")
    (folder / "feed.json").write_text(json_feed(), encoding="utf-8")
    results = list(ingest_target(str(folder)))
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    assert published.count() >= len(VECTORS), [(r.status, r.reason, r.message) for r in results]
    return published


def feed_urls() -> list[str]:
    from newsdesk.desk.models import Entity, Story

    scopes = ["/feed/{kind}/", "/category/iran-and-its-neighbours/feed/{kind}/",
              "/search/feed/{kind}/?q=officials", f"/search/feed/{{kind}}/?q={quote(VECTORS[1])}"]
    scopes += [f"/entity/{slug}/feed/{{kind}}/" for slug in
               Entity.objects.filter(mentions__isnull=False).values_list("slug", flat=True)
               .distinct()[:8]]
    scopes += [f"/story/{pk}/feed/{{kind}}/" for pk in Story.objects.values_list("pk", flat=True)[:8]]
    return scopes


def feed_fields(parsed) -> list[tuple[str, str]]:
    """Every text a feed reader shows from an RSS or Atom document, with where it came from."""
    fields = [("feed.title", parsed.feed.get("title", "")),
              ("feed.subtitle", parsed.feed.get("subtitle", ""))]
    for n, entry in enumerate(parsed.entries):
        fields += [(f"entry{n}.title", entry.get("title", "")),
                   (f"entry{n}.summary", entry.get("summary", "")),
                   (f"entry{n}.author", entry.get("author", ""))]
        fields += [(f"entry{n}.content", c.get("value", "")) for c in entry.get("content", [])]
        fields += [(f"entry{n}.tag", t.get("term", "")) for t in entry.get("tags", [])]
    return fields


def feed_links(parsed) -> list[str]:
    links = [parsed.feed.get("link", "")]
    for entry in parsed.entries:
        links += [entry.get("link", "")] + [link.get("href", "") for link in entry.get("links", [])]
    return [link for link in links if link]


def test_no_feed_hands_a_reader_live_script(client, hostile_desk):
    leaks, seen_vectors = [], 0
    for pattern in feed_urls():
        for kind in ("rss", "atom"):
            url = pattern.format(kind=kind)
            response = client.get(url)
            assert response.status_code == 200, url
            parsed = feedparser.parse(response.content, sanitize_html=False,
                                      resolve_relative_uris=False)
            assert not parsed.bozo, (url, parsed.get("bozo_exception"))
            for where, value in feed_fields(parsed):
                seen_vectors += value.count("alert(")
                leaks += [(url, where, found, value[:80]) for found in unscripted(value)]
            leaks += [(url, "link", link, "") for link in feed_links(parsed)
                      if not link.startswith(("http://", "https://"))]
        data = client.get(pattern.format(kind="json")).json()
        for item in data["items"]:
            # JSON Feed's title, summary and content_text are plain text by the format;
            # only content_html is HTML.
            leaks += [(url, "content_html", found, "")
                      for found in unscripted(item.get("content_html", ""))]
            for key in ("url", "external_url"):
                if item.get(key) and not item[key].startswith(("http://", "https://")):
                    leaks.append((url, key, item[key], ""))
    assert not leaks, f"{len(leaks)} live values, first: {leaks[:5]}"
    assert seen_vectors > len(VECTORS), "the vectors must reach the feeds, as text"


def test_rss_escapes_what_readers_render_as_html(client, hostile_desk):
    """The exact leak reported: a description holding ``<img onerror>`` text is sent escaped
    once more, so a reader decodes it to text, not to an element."""
    body = client.get("/feed/rss/").content.decode()
    assert "&lt;img src=x onerror" not in body
    assert "&amp;lt;img src=x onerror" in body
    atom = client.get("/feed/atom/").content.decode()
    assert '<title type="html">' in atom and '<summary type="html">' in atom
    assert "&lt;img src=x onerror" not in atom


def reader_pages() -> list[str]:
    from newsdesk.desk.models import Article, Entity, Story

    pages = ["/", "/category/iran-and-its-neighbours/", "/stories/", "/sources/",
             "/search/?q=officials", f"/search/?q={quote(VECTORS[0])}",
             f"/search/?q={quote(VECTORS[2])}&order=newest"]
    articles = list(Article.objects.filter(status=Article.Status.PUBLISHED,
                                           duplicate_of__isnull=True).values_list("pk", flat=True))
    pages += [f"/article/{pk}/" for pk in articles]
    pages.append("/recommend?seen=" + ",".join(map(str, articles[:5])))
    pages += [f"/entity/{slug}/" for slug in
              Entity.objects.filter(mentions__isnull=False).values_list("slug", flat=True).distinct()[:8]]
    pages += [f"/story/{pk}/" for pk in Story.objects.values_list("pk", flat=True)[:8]]
    return pages


def json_twin(url: str) -> str:
    path, _, query = url.partition("?")
    twin = "/index.json" if path == "/" else path.rstrip("/") + ".json"
    return f"{twin}?{query}" if query else twin


def unsafe_json(value, path: str = "") -> list[tuple[str, str]]:
    """Fields an API client would put into a page as markup or a link and that could run script."""
    if isinstance(value, dict):
        return [hit for k, v in value.items() for hit in unsafe_json(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [hit for i, v in enumerate(value) for hit in unsafe_json(v, f"{path}[{i}]")]
    if not isinstance(value, str):
        return []
    key = path.rsplit(".", 1)[-1]
    if key.endswith("html"):
        return [(path, found) for found in unscripted(value)]
    if key == "url" or key.endswith("_url") or key in {"link", "href"}:
        squeezed = "".join(ch for ch in value if ch > " ").lower()
        if squeezed.startswith(SCRIPT_SCHEMES):
            return [(path, value[:60])]
    return []


def test_no_page_or_json_twin_runs_injected_script(client, hostile_desk):
    leaks = []
    pages = reader_pages()
    assert len(pages) > len(VECTORS)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        leaks += [(url, found) for found in active_parts(response.content.decode(), PAGE_CHROME,
                                                         own_scripts=("/static/",))]
        twin = client.get(json_twin(url))
        assert twin.status_code == 200, json_twin(url)
        assert twin["Content-Type"].startswith("application/json")
        assert twin["X-Content-Type-Options"] == "nosniff"  # never sniffed into HTML
        leaks += [(json_twin(url), *hit) for hit in unsafe_json(twin.json())]
    assert not leaks, f"{len(leaks)} live values, first: {leaks[:5]}"


def test_the_checker_sees_live_script():
    """The reader-side check itself: each vector, rendered raw, is caught, but for those a
    browser's tokenizer leaves inert (entity-encoded markup is text; ``<scr<script>`` is a
    tag named "scr<script"; CDATA outside SVG is a comment up to its first ``>``)."""
    inert = {"&lt;script&gt;alert(1)&lt;/script&gt;", "&#60;img src=x onerror=alert(1)&#62;",
             "<scr<script>ipt>alert(1)</script>", "<![CDATA[<script>alert(1)</script>]]>"}
    assert [v for v in VECTORS if not unscripted(v)] == [v for v in VECTORS if v in inert]
    assert unscripted(html.escape(VECTORS[2])) == []
