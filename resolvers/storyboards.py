"""Resolvers of `Storyboard` fields and storyboard mutations."""

import uuid
from typing import Any

from models import Storyboard
from resolvers.context import Context
from services import progress, scenes, sql, storyboards
from services.validation import parse_id


async def storyboard(ctx: Context, *, columns: sql.Columns = None, id: str) -> sql.Row | None:
    principal = ctx.require("read")
    return await storyboards.get_storyboard(principal.user_id, parse_id(id))


async def storyboards_by_ids(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[sql.Row | None]:
    return await storyboards.storyboards_by_ids(ids, columns)


async def scenes_for_storyboards(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[list[sql.Row]]:
    return await scenes.scenes_for_storyboards(ids, columns)


async def progress_for_storyboards(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[progress.Progress]:
    return await progress.progress_for_storyboards(ids)


async def create_storyboard(
    ctx: Context, *, project_id: str, title: str, brief: str, reference_urls: list[str]
) -> Storyboard:
    principal = ctx.require("write")
    return await storyboards.create_storyboard(
        principal.user_id, parse_id(project_id, "projectId"), title, brief, reference_urls
    )


async def delete_storyboard(ctx: Context, *, id: str) -> bool:
    principal = ctx.require("write")
    return await storyboards.delete_storyboard(
        ctx.broker, ctx.storage, principal.user_id, parse_id(id)
    )


async def update_storyboard(ctx: Context, *, id: str, changes: dict[str, Any]) -> Storyboard:
    principal = ctx.require("write")
    return await storyboards.update_storyboard(principal.user_id, parse_id(id), changes)
