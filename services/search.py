"""Full-text search over the caller's projects, storyboards, scenes and characters.

One statement finds, ranks, counts and cuts the page, with the database's own functions
(PostgreSQL: `ts_rank`, `ts_headline` over services.search_index's generated columns; SQLite:
FTS5's `bm25` and `snippet`). Ownership is a condition of that statement, so another user's
text is never even ranked. The query is reduced to words (runs of letters and digits) here and
each is quoted, so no input can reach the databases' query syntax.
"""

import base64
import binascii
import math
import re
import uuid
from dataclasses import dataclass
from typing import Any

import orjson

from services import sql
from services.errors import InvalidInput
from services.search_index import CONFIG, SEARCHED, Searched

MAX_QUERY = 200
SNIPPET = 200
_WORD = re.compile(r"[^\W_]+")
# The node type each searched table's rows are.
KINDS = {
    "projects": "Project",
    "storyboards": "Storyboard",
    "scenes": "Scene",
    "characters": "Character",
}
# How each table's rows reach the owner's project (alias t is the searched row).
_OWNER_PATH = {
    "projects": ("", "t.id"),
    "storyboards": ("", "t.project_id"),
    "scenes": (" JOIN storyboards b ON b.id = t.storyboard_id", "b.project_id"),
    "characters": ("", "t.project_id"),
}
# About 200 characters of words around the match on both databases; a text that fits is whole.
SNIPPET_WORDS = 15
_HEADLINE = f'MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS - 1}, StartSel="", StopSel=""'


@dataclass(frozen=True)
class Hit:
    kind: str
    id: uuid.UUID
    score: float
    snippet: str
    cursor: str


@dataclass
class Hits:
    items: list[Hit]
    has_next: bool
    total: int


def words(query: str) -> list[str]:
    """The words of a search box's text; BAD_USER_INPUT unless 1..200 characters with a word."""
    if not 1 <= len(query) <= MAX_QUERY:
        raise InvalidInput(f"`query` must be 1..{MAX_QUERY} characters long.", field="query")
    found = _WORD.findall(query.lower())
    if not found:
        raise InvalidInput("`query` must contain at least one word.", field="query")
    return found


def _tsquery(found: list[str]) -> str:
    """Every word (each a run of letters and digits, quoted), the last one as a prefix."""
    return " & ".join([*(f"'{w}'" for w in found[:-1]), f"'{found[-1]}':*"])


def _fts5_query(found: list[str]) -> str:
    return " ".join([*(f'"{w}"' for w in found[:-1]), f'"{found[-1]}"*'])


def encode_cursor(score: float, hit_id: uuid.UUID) -> str:
    raw = orjson.dumps([score, str(hit_id)])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[float, uuid.UUID]:
    try:
        if len(cursor) > 200:
            raise ValueError("too long")
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        score, hit_id = orjson.loads(raw)
        if isinstance(score, bool) or not isinstance(score, int | float):
            raise TypeError("not a score")
        if not math.isfinite(score):
            raise ValueError("not finite")
        return float(score), uuid.UUID(hit_id)
    except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError) as exc:
        raise InvalidInput("`after` is not a cursor returned by this API.", field="after") from exc


def _scope(
    searched: Searched, owner_id: uuid.UUID, project_id: uuid.UUID | None
) -> tuple[str, str, list[Any]]:
    """The JOINs and conditions keeping `searched`'s rows (alias t) to the owner's (project)."""
    join, project = _OWNER_PATH[searched.table]
    where = "p.owner_id = ?"
    values: list[Any] = [owner_id]
    if project_id is not None:
        where += f" AND {project} = ?"
        values.append(project_id)
    return f"{join} JOIN projects p ON p.id = {project}", where, values


async def search(
    owner_id: uuid.UUID,
    query: str,
    project_id: uuid.UUID | None,
    first: int,
    after: tuple[float, uuid.UUID] | None,
) -> Hits:
    found = words(query)
    if _postgres():
        statement, values = _postgres_statement(found, owner_id, project_id, first, after)
    else:
        statement, values = _sqlite_statement(found, owner_id, project_id, first, after)
    rows = await sql.fetch(statement, values)
    hits = [
        Hit(
            kind=row["kind"],
            id=sql.as_uuid(row["id"]),
            score=float(row["score"]),
            snippet=row["snippet"] or "",
            cursor=encode_cursor(float(row["score"]), sql.as_uuid(row["id"])),
        )
        for row in rows
    ]
    total = rows[0]["total"] if rows else await _count(found, owner_id, project_id, after)
    return Hits(items=hits[:first], has_next=len(hits) > first, total=total)


async def _count(
    found: list[str], owner_id: uuid.UUID, project_id: uuid.UUID | None, after: Any
) -> int:
    """An empty page: zero hits at all, unless it lies past the last one (`after`)."""
    if after is None:
        return 0
    statement, values = (_postgres_statement if _postgres() else _sqlite_statement)(
        found, owner_id, project_id, 1, None
    )
    rows = await sql.fetch(statement, values)
    return int(rows[0]["total"]) if rows else 0


def _page(hits: str, after: tuple[float, uuid.UUID] | None, first: int) -> tuple[str, list[Any]]:
    """Count every hit, then keep the page after the cursor: best score first, then by id."""
    where, values = "", []
    if after is not None:
        where = "WHERE (score < ? OR (score = ? AND id > ?))"
        values = [after[0], after[0], after[1]]
    statement = (
        f"SELECT * FROM (SELECT h.*, COUNT(*) OVER () AS total FROM ({hits}) h) c {where} "
        "ORDER BY score DESC, id LIMIT ?"
    )
    return statement, [*values, first + 1]


def _postgres_statement(
    found: list[str],
    owner_id: uuid.UUID,
    project_id: uuid.UUID | None,
    first: int,
    after: tuple[float, uuid.UUID] | None,
) -> tuple[str, list[Any]]:
    branches, values = [], []
    for searched in SEARCHED:
        join, where, scope_values = _scope(searched, owner_id, project_id)
        branches.append(
            f"SELECT '{KINDS[searched.table]}' AS kind, t.id, "
            f"ts_rank(t.search_vector, q.q, 1)::float8 AS score FROM {searched.table} t{join} "
            f"CROSS JOIN q WHERE t.search_vector @@ q.q AND {where}"
        )
        values += scope_values
    page, page_values = _page(" UNION ALL ".join(branches), after, first)
    # The headline is worked out for the page's rows only (it re-parses the text), from the
    # first column that matches, as FTS5's snippet shows one column.
    documents = " ".join(
        f"WHEN '{KINDS[s.table]}' THEN "
        f"(SELECT {_first_matching(s)} FROM {s.table} WHERE id = pg.id)"
        for s in SEARCHED
    )
    statement = (
        f"WITH q AS (SELECT to_tsquery('{CONFIG}', ?) AS q) "
        f"SELECT pg.kind, pg.id, pg.score, pg.total, "
        f"left(ts_headline('{CONFIG}', CASE pg.kind {documents} END, q.q, '{_HEADLINE}'), "
        f"{SNIPPET}) AS snippet FROM ({page}) pg CROSS JOIN q ORDER BY pg.score DESC, pg.id"
    )
    return statement, [_tsquery(found), *values, *page_values]


def _first_matching(searched: Searched) -> str:
    matching = " ".join(
        f"WHEN to_tsvector('{CONFIG}', coalesce({column}, '')) @@ q.q THEN {column}"
        for column in searched.columns
    )
    return f"CASE {matching} ELSE concat_ws(' ', {', '.join(searched.columns)}) END"


def _sqlite_statement(
    found: list[str],
    owner_id: uuid.UUID,
    project_id: uuid.UUID | None,
    first: int,
    after: tuple[float, uuid.UUID] | None,
) -> tuple[str, list[Any]]:
    branches, values = [], []
    match = _fts5_query(found)
    for searched in SEARCHED:
        join, where, scope_values = _scope(searched, owner_id, project_id)
        weights = ", ".join(
            ["0", *("2.0" for _ in searched.titles), *("1.0" for _ in searched.texts)]
        )
        fts = searched.fts
        branches.append(
            f"SELECT '{KINDS[searched.table]}' AS kind, t.id AS id, "
            f"-bm25({fts}, {weights}) AS score, "
            f"substr(snippet({fts}, -1, '', '', '…', {SNIPPET_WORDS}), 1, {SNIPPET}) AS snippet "
            f"FROM {fts} JOIN {searched.table} t ON t.id = {fts}.id{join} "
            f"WHERE {fts} MATCH ? AND {where}"
        )
        values += [match, *scope_values]
    page, page_values = _page(" UNION ALL ".join(branches), after, first)
    return page, [*values, *page_values]


def _postgres() -> bool:
    return sql.is_postgres()
