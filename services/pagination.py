"""Keyset pagination of child rows for many parents in one statement (Relay connections)."""

import base64
import binascii
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

import orjson
from tortoise.models import Model

from services import sql
from services.errors import InvalidInput

T = TypeVar("T")

MAX_FIRST = 100
DEFAULT_FIRST = 20
# A cursor this API makes is ~100 characters.
MAX_CURSOR = 200
# Times every backend stores (PostgreSQL's timestamptz ends in 294276, Python's at 9999).
_EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
_LATEST = datetime(9999, 12, 30, tzinfo=UTC)


@dataclass(frozen=True)
class PageArgs:
    """Validated connection arguments; hashable so loaders can group keys by them."""

    first: int = DEFAULT_FIRST
    after: tuple[datetime, uuid.UUID] | None = None


@dataclass
class Page(Generic[T]):
    items: list[T]
    has_next: bool
    total: int | None
    cursors: list[str] = field(default_factory=list)

    @property
    def end_cursor(self) -> str | None:
        return self.cursors[-1] if self.cursors else None


def encode_cursor(sort_value: datetime, row_id: uuid.UUID) -> str:
    raw = orjson.dumps([sort_value.isoformat(), str(row_id)])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    """The (sort value, id) a cursor stands for; anything this API could not have made —
    undecodable, or a time without offset or out of the databases' range — is BAD_USER_INPUT."""
    try:
        if len(cursor) > MAX_CURSOR:
            raise ValueError("too long")
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        sort_value, row_id = orjson.loads(raw)
        moment = datetime.fromisoformat(sort_value)
        if moment.tzinfo is None:
            raise ValueError("no offset")
        # In UTC, as the API writes them; a far offset could push a year past 9999.
        moment = moment.astimezone(UTC)
        if not _EARLIEST <= moment <= _LATEST:
            raise ValueError("out of range")
        return moment, uuid.UUID(row_id)
    except (ValueError, TypeError, OverflowError, binascii.Error, orjson.JSONDecodeError) as exc:
        raise InvalidInput("`after` is not a cursor returned by this API.", field="after") from exc


def page_size(first: int | None) -> int:
    """`first` checked: 1..MAX_FIRST; null means the default page size."""
    if first is None:
        first = DEFAULT_FIRST
    if not 1 <= first <= MAX_FIRST:
        raise InvalidInput(f"`first` must be between 1 and {MAX_FIRST}.", field="first")
    return first


def page_args(first: int | None, after: str | None) -> PageArgs:
    return PageArgs(
        first=page_size(first), after=decode_cursor(after) if after is not None else None
    )


@dataclass(frozen=True)
class ChildQuery:
    """Rows of `table` (as `model`) under `parent_column`, newest `order_column` first."""

    model: type[Model]
    table: str
    parent_column: str
    order_column: str


async def pages_for_parents(
    query: ChildQuery,
    parent_ids: list[uuid.UUID],
    args: PageArgs,
    filters: dict[str, Any],
    with_total: bool,
    columns: sql.Columns = None,
) -> dict[uuid.UUID, Page[sql.Row]]:
    """One page of rows per parent, in one statement (two when a total is wanted after a cursor)."""
    order, parent = query.order_column, query.parent_column
    select = sql.select_list(query.model, columns, "id", parent, order, prefix="t.")
    single = len(parent_ids) == 1
    where = [f"t.{parent} = ?" if single else sql.id_list(f"t.{parent}")]
    values: list[Any] = [parent_ids[0] if single else sql.id_list_param(parent_ids)]
    for column, value in filters.items():
        where.append(f"t.{column} = ?")
        values.append(value)
    count_where, count_values = list(where), list(values)
    if args.after is not None:
        sort_value, row_id = args.after
        where.append(f"(t.{order} < ? OR (t.{order} = ? AND t.id < ?))")
        values += [sort_value, sort_value, row_id]
    window_total = with_total and args.after is None
    if single:
        # One parent (a root's page): a plain ORDER BY ... LIMIT, which the index serves.
        total_column = ", COUNT(*) OVER () AS _total" if window_total else ""
        statement = (
            f"SELECT {select}{total_column} FROM {query.table} t WHERE {' AND '.join(where)} "
            f"ORDER BY t.{order} DESC, t.id DESC LIMIT ?"
        )
    else:
        # ROW_NUMBER() per parent keeps it one statement whatever the number of parents.
        total_column = (
            f", COUNT(*) OVER (PARTITION BY t.{parent}) AS _total" if window_total else ""
        )
        statement = (
            f"SELECT * FROM (SELECT {select}, ROW_NUMBER() OVER (PARTITION BY t.{parent} "
            f"ORDER BY t.{order} DESC, t.id DESC) AS _rn{total_column} "
            f"FROM {query.table} t WHERE {' AND '.join(where)}) w "
            f"WHERE _rn <= ? ORDER BY {parent}, _rn"
        )
    rows = sql.typed(query.model, await sql.fetch_rows(statement, [*values, args.first + 1]))
    by_parent: dict[uuid.UUID, list[sql.Row]] = defaultdict(list)
    for row in rows:
        by_parent[sql.as_uuid(row[parent])].append(row)

    totals: dict[uuid.UUID, int] = {}
    if window_total:
        totals = {key: group[0]["_total"] for key, group in by_parent.items()}
    elif with_total:
        count_rows = await sql.fetch(
            f"SELECT t.{parent} AS k, COUNT(*) AS n FROM {query.table} t "
            f"WHERE {' AND '.join(count_where)} GROUP BY t.{parent}",
            count_values,
        )
        totals = {sql.as_uuid(r["k"]): r["n"] for r in count_rows}

    pages: dict[uuid.UUID, Page[sql.Row]] = {}
    for parent_id in parent_ids:
        group = by_parent.get(parent_id, [])
        items = group[: args.first]
        pages[parent_id] = Page(
            items=items,
            has_next=len(group) > args.first,
            total=totals.get(parent_id, 0) if with_total else None,
            cursors=[encode_cursor(row[order], sql.as_uuid(row["id"])) for row in items],
        )
    return pages
