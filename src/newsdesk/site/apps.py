from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
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


def _check_reader_settings():
    """The limits, the readers per address and the trusted proxies are read on each
    request; a value that cannot be read stops the start with its reason, instead of
    turning every read and search into a server error."""
    from newsdesk.site import clients, limits, reads

    try:
        for name in limits.SETTINGS:
            limits.rate(name)
        reads.readers_per_address()
        clients.trusted_proxies()
    except ValueError as exc:
        raise ImproperlyConfigured(str(exc)) from None


class SiteConfig(AppConfig):
    name = "newsdesk.site"
    label = "site"
    verbose_name = "Reader site"

    def ready(self):
        # post_migrate is sent only for apps with models: the desk's owns the watched tables.
        post_migrate.connect(_ensure_version_triggers, sender=self.apps.get_app_config("desk"))
        _check_reader_settings()
