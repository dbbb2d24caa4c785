"""The full-text index of articles: SQLite FTS5 on the embedded default, PostgreSQL's
tsvector with a GIN index at scale. ``desk.search`` queries it.

The index lives in the database, beside the articles, and follows them by itself:
- SQLite: an external-content FTS5 table (the text is not stored twice) kept in step by
  triggers on insert, delete and on updates of the three indexed columns only (a story
  or status change does not re-index a body).
- PostgreSQL: a generated ``search_document`` column, weighed title > excerpt > body,
  with a GIN index; the database computes it on every write.

Neither is a Django model field, so ``ensure_index`` runs after every ``migrate`` and puts
them back whenever a migration rebuilt the article table: SQLite's schema editor
recreates a table to alter it, and the triggers go with the old one.
"""

from __future__ import annotations

from django.db import connection

TABLE = "desk_article"
FTS_TABLE = "desk_article_search"
# BM25 weights of title, excerpt and body: a word in the headline says what the article
# is about; the same word deep in the body may be background.
FTS_WEIGHTS = (10.0, 4.0, 1.0)
PG_COLUMN = "search_document"
PG_BODY_CHARS = 200_000  # a tsvector holds at most 1 MB: a longer body is indexed so far

_SQLITE_INDEX = (
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        title, excerpt, body,
        content='{TABLE}', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}(rowid, title, excerpt, body)
        VALUES (new.id, new.title, new.excerpt, new.body);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, excerpt, body)
        VALUES ('delete', old.id, old.title, old.excerpt, old.body);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF title, excerpt, body ON {TABLE}
    BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, excerpt, body)
        VALUES ('delete', old.id, old.title, old.excerpt, old.body);
        INSERT INTO {FTS_TABLE}(rowid, title, excerpt, body)
        VALUES (new.id, new.title, new.excerpt, new.body);
    END""",
)
_SQLITE_TRIGGERS = (f"{FTS_TABLE}_ai", f"{FTS_TABLE}_ad", f"{FTS_TABLE}_au")

_PG_INDEX = f"""
ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS {PG_COLUMN} tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(excerpt, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, left(coalesce(body, ''), {PG_BODY_CHARS})), 'C')
) STORED;
CREATE INDEX IF NOT EXISTS {TABLE}_{PG_COLUMN}_gin ON {TABLE} USING GIN ({PG_COLUMN});
"""


def ensure_index(using=None) -> bool:
    """Create the search index where it is missing; True when it had to be (re)built.

    Idempotent and cheap when everything is in place, so it runs after every migrate."""
    conn = using or connection
    if conn.vendor == "sqlite":
        return _ensure_sqlite(conn)
    if conn.vendor == "postgresql":
        with conn.cursor() as cur:
            cur.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
                [TABLE, PG_COLUMN],
            )
            if cur.fetchone():
                return False
            cur.execute(_PG_INDEX)  # the generated column fills itself for every row
        return True
    return False


def _ensure_sqlite(conn) -> bool:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s, %s)",
            list(_SQLITE_TRIGGERS),
        )
        if cur.fetchone()[0] == len(_SQLITE_TRIGGERS):
            return False
        # Missing triggers mean the article table was rebuilt (or never indexed): edits
        # since then are not in the index, so it is rebuilt from the table.
        for statement in _SQLITE_INDEX:
            cur.execute(statement)
        cur.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return True


def drop_index(using=None) -> None:
    """Undo ``ensure_index`` (the migration's way back)."""
    conn = using or connection
    with conn.cursor() as cur:
        if conn.vendor == "sqlite":
            for trigger in _SQLITE_TRIGGERS:
                cur.execute(f"DROP TRIGGER IF EXISTS {trigger}")
            cur.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif conn.vendor == "postgresql":
            cur.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {PG_COLUMN}")
