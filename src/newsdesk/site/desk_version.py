"""The desk version: one number that every change to what a reader page shows moves on.

The page cache (``page_cache``) keys each page by it, so a change is visible on the very
next request in every process: the `newsdesk ingest` CLI, the poller, the admin and
several gunicorn workers all write one database, so the number lives there, in a one-row
table, and database triggers move it. A trigger catches every write, the admin's and
ingest's ``save()`` as well as ``queryset.update()`` and raw SQL, with no code path to
forget.

The tables watched are the ones reader pages are built from. Read counts are not among
them: a read would otherwise throw every cached page away, and "most read" is followed by
the page cache's time-state digest instead (``time_state``), within a minute. Feeds are watched only on
the columns the sources page shows, and only when their value changes: the poller writes
each feed's timing, and offers it a title, on every poll.

The row starts (in its migration, or at the first bump should it ever go missing) at the
current time in microseconds, not at 1: a shared cache (Redis) that outlived a desk
rebuilt from scratch never meets a number it has seen before.

SQLite recreates a table to alter it and the triggers go with the old one, so they are
put back after every migrate (``apps.SiteConfig``), as the search index's are.
"""

from __future__ import annotations

from django.db import connection as default_connection

TABLE = "site_deskversion"
PREFIX = "site_desk_version"
# Table → the columns whose update counts (None: any column).
WATCHED: dict[str, tuple[str, ...] | None] = {
    "desk_article": None,
    "desk_articleplace": None,
    "desk_category": None,
    "desk_entity": None,
    "desk_mention": None,
    "desk_pick": None,
    "desk_source": None,
    "desk_story": None,
    "desk_feed": ("url", "title", "site_url", "source_id", "active"),
}

_PG_SUFFIXES = ("", "_rows", "_update", "_truncate")
_SQLITE_NOW_US = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)"
_PG_NOW_US = "(extract(epoch FROM clock_timestamp()) * 1000000)::bigint"


def _bump(now_us: str) -> str:
    return (f"INSERT INTO {TABLE} (id, version) VALUES (1, {now_us}) "
            f"ON CONFLICT (id) DO UPDATE SET version = {TABLE}.version + 1")


def _changed(columns: tuple[str, ...] | None) -> str:
    """An update's condition: one of the watched columns now holds another value."""
    if not columns:
        return ""
    return " WHEN (" + " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns) + ")"


def _sqlite_statements(table: str, columns: tuple[str, ...] | None) -> list[str]:
    updated = f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"
    when = _changed(columns).replace("IS DISTINCT FROM", "IS NOT")
    return [
        f"DROP TRIGGER IF EXISTS {PREFIX}_{table}_{suffix}" for suffix in ("ai", "au", "ad")
    ] + [
        f"CREATE TRIGGER {PREFIX}_{table}_{suffix} AFTER {event} ON {table}{cond} "
        f"BEGIN {_bump(_SQLITE_NOW_US)}; END"
        for suffix, event, cond in (("ai", "INSERT", ""), ("au", updated, when), ("ad", "DELETE", ""))
    ]


def _pg_statements(table: str, columns: tuple[str, ...] | None) -> list[str]:
    """Once per statement, not per row: a bulk insert of a thousand mentions is one bump,
    where a thousand bumps of one row in one transaction pile up row versions (measured:
    100,000 rows inserted in 98 s instead of 0.9 s). A table watched on some columns only
    (the feeds) is watched per row, on a change of value: a statement trigger fires for
    an UPDATE that matched no row too, and the poller's "fill the title if none is set"
    would move the version on every poll."""
    run = f"EXECUTE FUNCTION {PREFIX}_bump()"
    drops = [f"DROP TRIGGER IF EXISTS {PREFIX}{suffix} ON {table}" for suffix in _PG_SUFFIXES]
    truncate = (f"CREATE TRIGGER {PREFIX}_truncate AFTER TRUNCATE ON {table} "
                f"FOR EACH STATEMENT {run}")
    if not columns:
        return [*drops, truncate,
                f"CREATE TRIGGER {PREFIX} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH STATEMENT {run}"]
    return [
        *drops, truncate,
        f"CREATE TRIGGER {PREFIX}_rows AFTER INSERT OR DELETE ON {table} FOR EACH STATEMENT {run}",
        f"CREATE TRIGGER {PREFIX}_update AFTER UPDATE OF {', '.join(columns)} ON {table} "
        f"FOR EACH ROW{_changed(columns)} {run}",
    ]


def install_triggers(conn=None) -> None:
    """(Re)create the triggers on every watched table; safe to run again."""
    conn = conn or default_connection
    with conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute(
                f"CREATE OR REPLACE FUNCTION {PREFIX}_bump() RETURNS trigger AS $$ "
                f"BEGIN {_bump(_PG_NOW_US)}; RETURN NULL; END $$ LANGUAGE plpgsql"
            )
            statements = [s for t, cols in WATCHED.items() for s in _pg_statements(t, cols)]
        else:
            statements = [s for t, cols in WATCHED.items() for s in _sqlite_statements(t, cols)]
        for sql in statements:
            cur.execute(sql)


def drop_triggers(conn=None) -> None:
    conn = conn or default_connection
    with conn.cursor() as cur:
        for table in WATCHED:
            if conn.vendor == "postgresql":
                for suffix in _PG_SUFFIXES:
                    cur.execute(f"DROP TRIGGER IF EXISTS {PREFIX}{suffix} ON {table}")
            else:
                for suffix in ("ai", "au", "ad"):
                    cur.execute(f"DROP TRIGGER IF EXISTS {PREFIX}_{table}_{suffix}")
        if conn.vendor == "postgresql":
            cur.execute(f"DROP FUNCTION IF EXISTS {PREFIX}_bump()")


def current(conn=None) -> int:
    """The desk's version now: one primary-key read (0 while no change made the row)."""
    conn = conn or default_connection
    with conn.cursor() as cur:
        cur.execute(f"SELECT version FROM {TABLE} WHERE id = 1")
        row = cur.fetchone()
    return row[0] if row else 0
