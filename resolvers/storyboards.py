"""Resolvers of `Storyboard` fields and storyboard mutations."""

import uuid

from models import Scene, Storyboard
from resolvers.context import Context
from services import storyboards
from services.progress import Progress
from services.validation import parse_id


async def storyboard(ctx: Context, *, id: str) -> Storyboard | None:
    principal = ctx.require("read")
    return await storyboards.get_storyboard(principal.user_id, parse_id(id))


async def storyboard_of(ctx: Context, *, storyboard_id: uuid.UUID) -> Storyboard:
    found = await ctx.loaders.storyboard_by_id.load(storyboard_id)
    assert found is not None, "a scene's storyboard always exists (ON DELETE CASCADE)"
    return found


async def scenes(ctx: Context, *, storyboard_id: uuid.UUID) -> list[Scene]:
    return await ctx.loaders.scenes_by_storyboard_id.load(storyboard_id)


async def progress(ctx: Context, *, storyboard_id: uuid.UUID) -> Progress:
    return await ctx.loaders.progress_by_storyboard_id.load(storyboard_id)


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
