from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate

SEARCH_MIGRATION = "0007_article_search"


def _ensure_search_index(sender, using, **kwargs):
    """A migration that alters the article table on SQLite rebuilds it, and the search
    index's triggers go with the old table: put them back (and re-index) after migrate."""
    from django.db.migrations.recorder import MigrationRecorder

    from newsdesk.desk.search_index import ensure_index

    conn = connections[using]
    if ("desk", SEARCH_MIGRATION) in MigrationRecorder(conn).applied_migrations():
        ensure_index(conn)  # not when migrated back below the index's own migration


class DeskConfig(AppConfig):
    name = "newsdesk.desk"
    label = "desk"
    verbose_name = "News desk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from newsdesk import config
        from newsdesk.pipeline import table_cache

        post_migrate.connect(_ensure_search_index, sender=self)
        # The gazetteer's and the lexicon's tables, built once, not at every start.
        table_cache.folder = config.data_dir() / "cache"
