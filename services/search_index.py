"""The full-text indexes `search` reads, kept by the database itself.

PostgreSQL: a generated `search_vector` column (text search configuration `simple`: words
lower-cased, no stemming, no stop words) with a GIN index on every searched table, created by
an aerich migration; the statements are written out here too so that tests/test_migrations.py
can check the migration built exactly these. SQLite (embedded mode): an FTS5 table per
searched table, filled and kept in sync by triggers, so the index changes in the transaction
that changes the row. Both tokenizers keep letters and digits and fold case; neither stems.
"""

from dataclasses import dataclass

from tortoise import connections


@dataclass(frozen=True)
class Searched:
    """A table whose text `search` finds: its title-like columns weigh more than the others."""

    table: str
    titles: tuple[str, ...]
    texts: tuple[str, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return self.titles + self.texts

    @property
    def fts(self) -> str:
        return f"{self.table}_fts"


SEARCHED = (
    Searched("projects", ("title",), ("description",)),
    Searched("storyboards", ("title",), ("brief",)),
    Searched("scenes", (), ("visual_description", "script", "text_overlay")),
    Searched("characters", ("name",), ("description",)),
)
CONFIG = "simple"
# FTS5's default tokenizer, but accents kept as PostgreSQL's `simple` keeps them.
TOKENIZER = "unicode61 remove_diacritics 0"


def _vector(searched: Searched) -> str:
    parts = [
        f"setweight(to_tsvector('{CONFIG}'::regconfig, coalesce({column}, '')), '{weight}')"
        for columns, weight in ((searched.titles, "A"), (searched.texts, "B"))
        for column in columns
    ]
    return " || ".join(parts)


def postgres_statements() -> list[str]:
    """What the migration runs: the generated column and its GIN index, per searched table."""
    statements = []
    for searched in SEARCHED:
        statements.append(
            f'ALTER TABLE "{searched.table}" ADD "search_vector" TSVECTOR '
            f"GENERATED ALWAYS AS ({_vector(searched)}) STORED"
        )
        statements.append(
            f'CREATE INDEX "idx_{searched.table}_search" ON "{searched.table}" '
            'USING GIN ("search_vector")'
        )
    return statements


def sqlite_statements(searched: Searched) -> list[str]:
    """The FTS5 table of `searched` and the triggers keeping it equal to the table.

    Its rowid is the row's rowid, so a trigger finds the entry without a scan; `id` is kept
    too and is what `search` joins on, so an entry can never stand for another row."""
    columns = ", ".join(searched.columns)
    new = ", ".join(f"new.{column}" for column in searched.columns)
    insert = f"INSERT INTO {searched.fts} (rowid, id, {columns}) VALUES (new.rowid, new.id, {new});"
    delete = f"DELETE FROM {searched.fts} WHERE rowid = old.rowid AND id = old.id;"
    table, fts = searched.table, searched.fts
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(id UNINDEXED, {columns}, "
        f"tokenize = '{TOKENIZER}')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF {columns} ON {table} "
        f"BEGIN {delete} {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN {delete} END",
    ]


async def create_sqlite_indexes() -> None:
    """At start-up in embedded mode: create what is missing; a new FTS table is filled from its
    table (a database made before search existed)."""
    conn = connections.get("default")
    for searched in SEARCHED:
        _, found = await conn.execute_query(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [searched.fts]
        )
        for statement in sqlite_statements(searched):
            await conn.execute_script(statement)
        if not found:
            columns = ", ".join(searched.columns)
            await conn.execute_script(
                f"INSERT INTO {searched.fts} (rowid, id, {columns}) "
                f"SELECT rowid, id, {columns} FROM {searched.table}"
            )
