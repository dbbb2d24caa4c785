"""First start: create the schema, the region tree and the default subscriptions, once."""

from __future__ import annotations

import logging
from pathlib import Path

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from newsdesk import config
from newsdesk.desk.models import Category, Feed
from newsdesk.pipeline import taxonomy

log = logging.getLogger(__name__)


def ensure_ready(load_feeds: bool = False) -> None:
    """Migrate if needed, then make sure the region tree exists (and feeds, on `run`)."""
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)
    if not Category.objects.exists():
        sync_categories()
    if load_feeds and not Feed.objects.exists():
        load_default_feeds()


def taxonomy_path() -> Path | None:
    value = config.get("NEWSDESK_TAXONOMY")
    return Path(value) if value else None


def sync_categories(tree: taxonomy.RegionTree | None = None) -> int:
    """Create or update a Category per node of the region file; returns how many exist.

    Existing categories keep their id (articles stay filed); names, parents and order
    follow the file, so an operator edits the YAML and runs `newsdesk setup` again.
    """
    tree = tree or taxonomy.load_tree(taxonomy_path())
    with transaction.atomic():
        by_slug = {c.slug: c for c in Category.objects.all()}
        for position, node in enumerate(tree.walk()):
            parent = by_slug[node.parent.slug] if node.parent else None
            cat = by_slug.get(node.slug) or Category(slug=node.slug)
            cat.name, cat.code, cat.parent, cat.position = node.name, node.code or "", parent, position
            cat.save()
            by_slug[node.slug] = cat
    return len(by_slug)


def default_feeds_path() -> Path:
    value = config.get("NEWSDESK_DEFAULT_FEEDS")
    if value:
        return Path(value)
    return Path(__file__).resolve().parent.parent / "data" / "feeds.opml"


def load_default_feeds() -> int:
    from newsdesk.desk.refresh import subscribe_opml

    path = default_feeds_path()
    results = subscribe_opml(path.read_bytes())
    log.info("subscribed %d default feeds from %s", len(results), path)
    return len(results)
