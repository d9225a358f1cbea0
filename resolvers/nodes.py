"""Resolvers of `node` and `nodes`: objects by id, whatever their type (services.nodes)."""

import uuid
from collections.abc import Sequence

from tortoise.models import Model

from resolvers.context import Context
from services import nodes, sql
from services.errors import InvalidInput
from services.validation import parse_id

Found = tuple[type[Model], sql.Row] | None


async def nodes_by_ids(
    ctx: Context,
    ids: list[uuid.UUID],
    *,
    columns: sql.Columns,
    models: tuple[type[Model], ...],
) -> list[Found]:
    """The caller's objects of `models` by id (a batch reader: `node` fields of one request
    share it)."""
    principal = ctx.require("read")
    return await nodes.owned_nodes(
        principal.user_id, ids, models, session=principal.api_key_id is None
    )


async def node(ctx: Context, *, id: str, models: tuple[type[Model], ...]) -> Found:
    ctx.require("read")
    found: Found = await ctx.loaders.load(ctx, nodes_by_ids, parse_id(id), models=models)
    return found


async def nodes_of(
    ctx: Context, *, ids: Sequence[str], models: tuple[type[Model], ...]
) -> list[Found]:
    ctx.require("read")
    if not 1 <= len(ids) <= nodes.MAX_NODE_IDS:
        raise InvalidInput(f"`ids` must hold 1..{nodes.MAX_NODE_IDS} ids.", field="ids")
    parsed = [parse_id(i, "ids") for i in ids]
    return await nodes_by_ids(ctx, parsed, columns=None, models=models)
