"""Reader URLs. Every page has a `.json` twin on the same view (`fmt="json"`)."""

from django.templatetags.static import static
from django.urls import path, register_converter
from django.urls.converters import StringConverter
from django.views.generic import RedirectView

from newsdesk.site import feeds, openapi, search_views, sources, views


class FeedKind(StringConverter):
    regex = "rss|atom|json"


class NameSlug(StringConverter):
    """A slug in any script: entity names in Persian or Arabic keep their own letters."""

    regex = r"[-\w]+"


register_converter(FeedKind, "feedkind")
register_converter(NameSlug, "nameslug")

JSON = {"fmt": "json"}

urlpatterns = [
    path("", views.home, name="home"),
    path("index.json", views.home, JSON, name="home_json"),
    path(".json", views.home, JSON),
    path("category/<slug:slug>/", views.category_detail, name="category_detail"),
    path("category/<slug:slug>.json", views.category_detail, JSON, name="category_detail_json"),
    path("article/<int:pk>/", views.article_detail, name="article_detail"),
    path("article/<int:pk>.json", views.article_detail, JSON, name="article_detail_json"),
    path("article/<int:pk>/read", views.article_read, name="article_read"),
    path("entity/<nameslug:slug>/", views.entity_detail, name="entity_detail"),
    path("entity/<nameslug:slug>.json", views.entity_detail, JSON, name="entity_detail_json"),
    path("stories/", views.story_list, name="story_list"),
    path("stories.json", views.story_list, JSON, name="story_list_json"),
    path("story/<int:pk>/", views.story_detail, name="story_detail"),
    path("story/<int:pk>.json", views.story_detail, JSON, name="story_detail_json"),
    path("search/", search_views.search, name="search"),
    path("search.json", search_views.search, JSON, name="search_json"),
    path("sources/", sources.sources, name="sources"),
    path("sources.json", sources.sources, JSON, name="sources_json"),
    path("recommend", views.recommend, name="recommend"),
    path("recommend.json", views.recommend, JSON, name="recommend_json"),
    path("feed/<feedkind:kind>/", feeds.feed, {"name": "home"}, name="home_feed"),
    path("category/<slug:slug>/feed/<feedkind:kind>/", feeds.feed, {"name": "category"}, name="category_feed"),
    path("entity/<nameslug:slug>/feed/<feedkind:kind>/", feeds.feed, {"name": "entity"}, name="entity_feed"),
    path("story/<int:pk>/feed/<feedkind:kind>/", feeds.feed, {"name": "story"}, name="story_feed"),
    path("search/feed/<feedkind:kind>/", feeds.feed, {"name": "search"}, name="search_feed"),
    path("api/openapi.json", openapi.openapi, name="openapi"),
    # Browsers and feed readers ask for /favicon.ico whatever the page says: the site's icon.
    path("favicon.ico", RedirectView.as_view(url=static("site/favicon.svg"), permanent=True)),
    path("-/settings.json", views.settings_json, name="settings_json"),
]
