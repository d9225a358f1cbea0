"""Resolvers of `StoryboardRevision` fields and revision mutations."""

import uuid

from models import Storyboard, StoryboardRevision
from resolvers.context import Context
from services import revisions, sql
from services.pagination import Page, page_args
from services.validation import parse_id


async def revisions_for_storyboards(
    ctx: Context,
    storyboard_ids: list[uuid.UUID],
    *,
    columns: sql.Columns,
    first: int | None,
    after: str | None,
    with_total: bool,
) -> list[Page[sql.Row]]:
    args = page_args(first, after)
    found = await revisions.revisions_for_storyboards(storyboard_ids, args, with_total, columns)
    return [found[i] for i in storyboard_ids]


async def save_storyboard_revision(
    ctx: Context, *, storyboard_id: str, label: str | None
) -> StoryboardRevision:
    principal = ctx.require("write")
    return await revisions.save_revision(
        principal.user_id, parse_id(storyboard_id, "storyboardId"), label
    )


async def restore_storyboard_revision(ctx: Context, *, id: str) -> Storyboard:
    principal = ctx.require("write")
    return await revisions.restore_revision(ctx.broker, principal.user_id, parse_id(id))
