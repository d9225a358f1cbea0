"""Raw batch reads that the ORM cannot express (window functions, GROUP BY over joins).

SQL is written with `?` placeholders and `{ids}`-style list slots; the dialect differences
(placeholders, how a list travels as ONE parameter) are handled here and nowhere else, so a
batch read is one statement whatever the number of ids.
"""

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import Any, TypeVar

import orjson
from tortoise import connections
from tortoise.fields import JSONField
from tortoise.models import Model

M = TypeVar("M", bound=Model)
# A row as the driver returns it (asyncpg Record, sqlite3.Row) or a dict of the same columns.
Row = Mapping[str, Any]


def _is_postgres() -> bool:
    dialect: str = connections.get("default").capabilities.dialect
    return dialect == "postgres"


def is_postgres() -> bool:
    """Whether the default connection is PostgreSQL (for the few statements written per dialect)."""
    return _is_postgres()


def id_list(column: str) -> str:
    """SQL testing `column` against a list of UUIDs passed as a single parameter."""
    if _is_postgres():
        return f"{column} = ANY(?::uuid[])"
    return f"{column} IN (SELECT value FROM json_each(?))"


def id_list_param(ids: Iterable[uuid.UUID]) -> Any:
    if _is_postgres():
        return list(ids)
    return orjson.dumps([str(i) for i in ids]).decode()


@cache
def _numbered(sql: str) -> str:
    """`?` placeholders as PostgreSQL's `$1, $2, ...` (statements are few and fixed: cached)."""
    parts = sql.split("?")
    return "".join(f"{part}${i}" for i, part in enumerate(parts[:-1], 1)) + parts[-1]


def _statement(conn: Any, sql: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    """`sql` and `values` in the dialect of `conn`."""
    if conn.capabilities.dialect == "postgres":
        return _numbered(sql), list(values)
    return sql, [str(v) if isinstance(v, uuid.UUID) else v for v in values]


async def fetch(sql: str, values: Sequence[Any] = ()) -> list[dict[str, Any]]:
    conn = connections.get("default")
    rows: list[dict[str, Any]] = await conn.execute_query_dict(*_statement(conn, sql, values))
    return rows


async def fetch_rows(sql: str, values: Sequence[Any] = ()) -> Sequence[Row]:
    """Rows as the driver returns them: no copy per row (reads of thousands of rows)."""
    conn = connections.get("default")
    _, rows = await conn.execute_query(*_statement(conn, sql, values))
    return rows  # type: ignore[no-any-return]


@cache
def _decoders(model: type[Model], postgres: bool) -> dict[str, Callable[[Any], Any]]:
    """Per column, what turns the driver's value into the value the model's field holds.

    asyncpg already decodes every type but JSON; SQLite hands back text and integers.
    """
    decoders: dict[str, Callable[[Any], Any]] = {}
    for name, column in model._meta.fields_db_projection.items():
        field = model._meta.fields_map[name]
        if not postgres:
            decoders[column] = field.to_python_value
        elif isinstance(field, JSONField):
            decoders[column] = _json
    return decoders


def _json(value: Any) -> Any:
    return orjson.loads(value) if isinstance(value, str | bytes) else value


def typed(model: type[Model], rows: Sequence[Row]) -> Sequence[Row]:
    """`rows` of `model`'s table with the Python values its fields hold (columns not of the
    model, e.g. window results, pass through); on PostgreSQL most rows come back untouched."""
    decoders = _decoders(model, _is_postgres())
    if not decoders:
        return rows
    out = []
    for row in rows:
        values = dict(row)
        for column, decode in decoders.items():
            value = values.get(column)
            if value is not None:
                values[column] = decode(value)
        out.append(values)
    return out


# Columns to read: None for all of them.
Columns = Iterable[str] | None


def select_list(model: type[Model], columns: Columns, *needed: str, prefix: str = "") -> str:
    """`columns` of `model`'s table (all when None) plus those the query itself `needed`.

    Reading only what a selection uses spares decoding, e.g., a timestamp per task row. "All"
    is the model's columns, not `*`: a table may hold more (PostgreSQL's full-text
    `search_vector`, services.search_index), which no reader wants to fetch and decode."""
    if columns is None:
        # Plus what the query needs that is not the model's (a parent column a join adds).
        extra = [f"{prefix}{c}" for c in dict.fromkeys(needed) if c not in model._meta.db_fields]
        return ", ".join([_all_columns(model, prefix), *extra])
    wanted = dict.fromkeys([*needed, *columns])
    unknown = set(wanted) - model._meta.db_fields
    if unknown:
        raise ValueError(f"not columns of {model.__name__}: {sorted(unknown)}")
    return ", ".join(f"{prefix}{column}" for column in wanted)


@cache
def _all_columns(model: type[Model], prefix: str) -> str:
    return ", ".join(f"{prefix}{column}" for column in model._meta.fields_db_projection.values())


def row_of(instance: Model) -> Row:
    """A model instance as a row of its table."""
    projection = instance._meta.fields_db_projection
    return {column: getattr(instance, name) for name, column in projection.items()}


def as_uuid(value: Any) -> uuid.UUID:
    """SQLite hands UUID columns back as text; PostgreSQL as UUID."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


def to_models(model: type[M], rows: Iterable[Row]) -> list[M]:
    return [model._init_from_db(**row) for row in rows]


async def first(model: type[M], sql: str, values: Sequence[Any] = ()) -> M | None:
    """The first row `sql` selects, as a `model`. For reads on every request (the caller's
    user, a root object): building a Tortoise queryset costs more than the statement."""
    rows = await fetch_rows(sql, values)
    return model._init_from_db(**rows[0]) if rows else None
