from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate

VERSION_MIGRATION = "0001_desk_version"


def _ensure_version_triggers(sender, using, **kwargs):
    """A migration that alters a desk table on SQLite rebuilds it, and the desk version's
    triggers go with the old table: put them back after migrate."""
    from django.db.migrations.recorder import MigrationRecorder

    from newsdesk.site.desk_version import install_triggers

    conn = connections[using]
    if ("site", VERSION_MIGRATION) in MigrationRecorder(conn).applied_migrations():
        install_triggers(conn)


class SiteConfig(AppConfig):
    name = "newsdesk.site"
    label = "site"
    verbose_name = "Reader site"

    def ready(self):
        # post_migrate is sent only for apps with models: the desk's owns the watched tables.
        post_migrate.connect(_ensure_version_triggers, sender=self.apps.get_app_config("desk"))
