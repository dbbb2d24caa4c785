"""Full-text search: FTS5 on SQLite, a generated tsvector with a GIN index on PostgreSQL.

The SQL is ``desk.search_index``'s, which also runs after every migrate to put the index
back when a later migration rebuilds the article table."""

from django.db import migrations


def create(apps, schema_editor):
    from newsdesk.desk.search_index import ensure_index

    ensure_index(schema_editor.connection)


def drop(apps, schema_editor):
    from newsdesk.desk.search_index import drop_index

    drop_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("desk", "0006_feed_entry_failures")]

    operations = [migrations.RunPython(create, drop)]
