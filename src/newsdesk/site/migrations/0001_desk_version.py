"""The desk version's one-row table and the triggers that move it (``site.desk_version``).

The triggers are put back after every migrate as well (``apps.SiteConfig``): SQLite drops
them with a table that a later migration rebuilds."""

import time

from django.db import migrations


def create(apps, schema_editor):
    from newsdesk.site.desk_version import TABLE, install_triggers

    with schema_editor.connection.cursor() as cur:
        cur.execute(f"CREATE TABLE {TABLE} (id integer PRIMARY KEY, version bigint NOT NULL)")
        cur.execute(f"INSERT INTO {TABLE} (id, version) VALUES (1, %s)", [int(time.time() * 1_000_000)])
    install_triggers(schema_editor.connection)


def drop(apps, schema_editor):
    from newsdesk.site.desk_version import TABLE, drop_triggers

    drop_triggers(schema_editor.connection)
    with schema_editor.connection.cursor() as cur:
        cur.execute(f"DROP TABLE {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("desk", "0007_article_search")]

    operations = [migrations.RunPython(create, drop)]
