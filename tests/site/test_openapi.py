"""The reader API's OpenAPI document: served, complete, and true of every real answer."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import get_resolver
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from newsdesk.site.openapi import document
from tests.site.conftest import hour_ago

SPEC_URI = "urn:newsdesk:openapi"


def validator_for(path: str, method: str, status: int) -> Draft202012Validator:
    """The schema the document promises for one answer, with its references resolvable."""
    spec = document()
    response = spec["paths"][path][method]["responses"][str(status)]
    if "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    schema = response["content"]["application/json"]["schema"]
    registry = Registry().with_resource(SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012))
    if "$ref" in schema:
        schema = {"$ref": SPEC_URI + schema["$ref"]}
    else:
        schema = json.loads(json.dumps(schema).replace('"#/components', f'"{SPEC_URI}#/components'))
    return Draft202012Validator(schema, registry=registry)


def assert_answers(client, url: str, path: str, status: int = 200, method: str = "get",
                   data: dict | None = None):
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    assert response.status_code == status, url
    errors = sorted(validator_for(path, method, status).iter_errors(json.loads(response.content)),
                    key=lambda e: list(e.path))
    assert not errors, f"{url}: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


@pytest.fixture
def busy_newsroom(newsroom):
    """Every block filled: a most-read article for Must read, an entity named by the alias file."""
    from newsdesk.desk.models import Entity, ReadCount

    ReadCount.objects.create(article=newsroom.rushdie, hour=hour_ago(1), count=5)
    Entity.objects.create(slug="peoples-mojahedin-organization-of-iran", kind="org",
                          name="People's Mojahedin Organization of Iran")
    return newsroom


def test_the_document_is_served_as_json(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = json.loads(response.content)
    assert spec["openapi"].startswith("3.1")
    assert spec["servers"] == [{"url": "http://testserver"}]


def test_the_document_is_valid_json_schema_throughout():
    for schema in document()["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)  # raises SchemaError on a malformed one


def _routes(patterns, prefix: str = "/"):
    """Every URL the site answers, as the document writes paths: /story/{id}.json."""
    for p in patterns:
        route = prefix + str(p.pattern)
        if hasattr(p, "url_patterns"):  # an include()
            yield from _routes(p.url_patterns, route)
            continue
        route = re.sub(r"<(?:int:)?pk>", "{id}", route)
        yield re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def test_every_public_endpoint_is_documented_and_nothing_else():
    """Pages, JSON twins, feeds, search, recommend, the read signal and the document itself:
    everything a reader (or anyone) may call."""
    routes = set(_routes(get_resolver().url_patterns))
    public = {r for r in routes if not r.startswith(("/admin/", "/static/"))}
    # an alias of /index.json; the editors' settings; a redirect to the icon's static file
    public -= {"/.json", "/-/settings.json", "/favicon.ico"}
    assert public == set(document()["paths"])


def test_every_page_answers_as_documented(client, busy_newsroom):
    n = busy_newsroom
    assert_answers(client, "/index.json", "/index.json")
    assert_answers(client, "/category/iraq.json", "/category/{slug}.json")
    assert_answers(client, "/category/atlantis.json", "/category/{slug}.json", 404)
    assert_answers(client, f"/article/{n.seed.pk}.json", "/article/{id}.json")
    assert_answers(client, f"/article/{n.pensions.pk}.json", "/article/{id}.json")
    assert_answers(client, "/article/999999.json", "/article/{id}.json", 404)
    assert_answers(client, f"/article/{n.seed.pk}/read", "/article/{id}/read", method="post")
    assert_answers(client, f"/entity/{n.rajavi.slug}.json", "/entity/{slug}.json")
    assert_answers(client, "/stories.json", "/stories.json")
    assert_answers(client, f"/story/{n.story.pk}.json", "/story/{id}.json")
    for query in ("q=iran", "q=MEK", "q=iran&region=iraq&order=newest", "", "q=zzzz"):
        assert_answers(client, f"/search.json?{query}", "/search.json")
    assert_answers(client, "/search.json?q=-iran", "/search.json", 400)
    assert_answers(client, "/sources.json", "/sources.json")
    assert_answers(client, f"/recommend.json?seen={n.seed.pk}", "/recommend.json")
    assert_answers(client, "/recommend.json?seen=x", "/recommend.json", 400)
    assert_answers(client, "/recommend.json", "/recommend.json", method="post",
                   data={"seen": str(n.seed.pk), "reading": str(n.terror_list.pk)})
    assert_answers(client, "/recommend.json", "/recommend.json", 400, method="post", data={"seen": "x"})


def test_a_page_that_drifts_from_the_document_fails(client, busy_newsroom):
    """The check has teeth: an unknown key, a missing one, a wrong type are all caught."""
    good = json.loads(client.get("/stories.json").content)
    validator = validator_for("/stories.json", "get", 200)
    assert validator.is_valid(good)
    assert not validator.is_valid({**good, "surprise": 1})
    assert not validator.is_valid({k: v for k, v in good.items() if k != "pagination"})
    assert not validator.is_valid({**good, "active_days": "fourteen"})


def test_answers_over_a_limit_are_as_documented(client, newsroom, monkeypatch):
    """The fuzzer runs with the limits off; the 429s are held to the document here."""
    monkeypatch.setenv("NEWSDESK_SEARCH_LIMIT", "1/60")
    monkeypatch.setenv("NEWSDESK_READ_LIMIT", "1/60")
    assert_answers(client, "/search.json?q=iran", "/search.json")
    assert_answers(client, "/search.json?q=iraq", "/search.json", 429)
    assert_answers(client, "/search/feed/json/?q=camp", "/search/feed/{kind}/", 429)
    assert_answers(client, f"/article/{newsroom.seed.pk}/read", "/article/{id}/read", method="post")
    assert_answers(client, f"/article/{newsroom.seed.pk}/read", "/article/{id}/read", 429, method="post")
    headers = document()["components"]["headers"]["RetryAfter"]
    assert re.fullmatch(headers["schema"]["pattern"], client.get("/search.json?q=x")["Retry-After"])
