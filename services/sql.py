"""Raw batch reads that the ORM cannot express (window functions, GROUP BY over joins).

SQL is written with `?` placeholders and `{ids}`-style list slots; the dialect differences
(placeholders, how a list travels as ONE parameter) are handled here and nowhere else, so a
batch read is one statement whatever the number of ids.
"""

import uuid
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

import orjson
from tortoise import connections
from tortoise.models import Model

M = TypeVar("M", bound=Model)


def _is_postgres() -> bool:
    dialect: str = connections.get("default").capabilities.dialect
    return dialect == "postgres"


def id_list(column: str) -> str:
    """SQL testing `column` against a list of UUIDs passed as a single parameter."""
    if _is_postgres():
        return f"{column} = ANY(?::uuid[])"
    return f"{column} IN (SELECT value FROM json_each(?))"


def id_list_param(ids: Iterable[uuid.UUID]) -> Any:
    if _is_postgres():
        return list(ids)
    return orjson.dumps([str(i) for i in ids]).decode()


def _param(value: Any) -> Any:
    if isinstance(value, uuid.UUID) and not _is_postgres():
        return str(value)
    return value


def _numbered(sql: str) -> str:
    if not _is_postgres():
        return sql
    parts = sql.split("?")
    return "".join(f"{part}${i}" for i, part in enumerate(parts[:-1], 1)) + parts[-1]


async def fetch(sql: str, values: Sequence[Any] = ()) -> list[dict[str, Any]]:
    conn = connections.get("default")
    rows: list[dict[str, Any]] = await conn.execute_query_dict(
        _numbered(sql), [_param(v) for v in values]
    )
    return rows


def as_uuid(value: Any) -> uuid.UUID:
    """SQLite hands UUID columns back as text; PostgreSQL as UUID."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


def to_models(model: type[M], rows: list[dict[str, Any]]) -> list[M]:
    return [model._init_from_db(**row) for row in rows]


async def by_ids(model: type[M], table: str, ids: list[uuid.UUID]) -> list[M | None]:
    """Rows by primary key aligned with `ids` (None where missing), in one statement."""
    rows = await fetch(f"SELECT * FROM {table} WHERE {id_list('id')}", [id_list_param(ids)])
    found = {m.pk: m for m in to_models(model, rows)}
    return [found.get(i) for i in ids]
