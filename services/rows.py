"""Batch reads of rows by id or by parent: one statement whatever the number of ids."""

import uuid
from collections.abc import Sequence
from itertools import groupby
from operator import itemgetter

from tortoise.models import Model

from services import sql


async def by_ids(
    model: type[Model], table: str, ids: list[uuid.UUID], columns: sql.Columns = None
) -> list[sql.Row | None]:
    """Rows by primary key aligned with `ids` (None where missing)."""
    select = sql.select_list(model, columns, "id")
    rows = await sql.fetch_rows(
        f"SELECT {select} FROM {table} WHERE {sql.id_list('id')}", [sql.id_list_param(ids)]
    )
    found = {sql.as_uuid(row["id"]): row for row in sql.typed(model, rows)}
    return [found.get(i) for i in ids]


async def first(model: type[Model], statement: str, values: Sequence[object]) -> sql.Row | None:
    """The first row `statement` selects from `model`'s table, with its fields' Python values."""
    rows = sql.typed(model, await sql.fetch_rows(statement, values))
    return rows[0] if rows else None


def grouped(rows: Sequence[sql.Row], column: str, ids: list[uuid.UUID]) -> list[list[sql.Row]]:
    """Rows ordered by `column` as one list per id of `ids`."""
    found = {sql.as_uuid(key): list(group) for key, group in groupby(rows, key=itemgetter(column))}
    return [found.get(i, []) for i in ids]


async def children(
    model: type[Model],
    parent: str,
    ids: list[uuid.UUID],
    columns: sql.Columns,
    *,
    order: str,
    needed: Sequence[str] = (),
    where: str = "",
) -> list[list[sql.Row]]:
    """Each parent's rows of `model`'s table (its `parent` column in `ids`), ordered by `order`
    within a parent, as one list per id: one statement. `needed`: columns `order` reads;
    `where`: a further condition, with no parameters."""
    select = sql.select_list(model, columns, "id", parent, *needed)
    condition = f"{sql.id_list(parent)} AND {where}" if where else sql.id_list(parent)
    found = await sql.fetch_rows(
        f"SELECT {select} FROM {model._meta.db_table} WHERE {condition} ORDER BY {parent}, {order}",
        [sql.id_list_param(ids)],
    )
    return grouped(sql.typed(model, found), parent, ids)
