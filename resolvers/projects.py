"""Resolvers of `Project` fields and project mutations."""

import uuid
from typing import Any

from models import Project, ProjectStatus, Storyboard, StoryboardStatus
from resolvers.context import Context
from services import projects
from services.pagination import Page, page_args
from services.progress import Progress
from services.validation import parse_id


async def project(ctx: Context, *, id: str) -> Project | None:
    principal = ctx.require("read")
    return await projects.get_project(principal.user_id, parse_id(id))


async def project_of(ctx: Context, *, project_id: uuid.UUID) -> Project:
    found = await ctx.loaders.project_by_id.load(project_id)
    assert found is not None, "a child's project always exists (ON DELETE CASCADE)"
    return found


async def storyboards(
    ctx: Context,
    *,
    project_id: uuid.UUID,
    first: int | None,
    after: str | None,
    status: StoryboardStatus | None,
    with_total: bool,
) -> Page[Storyboard]:
    args = page_args(first, after)
    return await ctx.loaders.storyboards_by_project_id.load((project_id, args, status, with_total))


async def storyboard_count(ctx: Context, *, project_id: uuid.UUID) -> int:
    return await ctx.loaders.storyboard_count_by_project_id.load(project_id)


async def progress(ctx: Context, *, project_id: uuid.UUID) -> Progress:
    return await ctx.loaders.progress_by_project_id.load(project_id)


async def create_project(
    ctx: Context, *, title: str, description: str | None, status: ProjectStatus | None
) -> Project:
    principal = ctx.require("write")
    return await projects.create_project(principal.user_id, title, description, status)


async def update_project(ctx: Context, *, id: str, changes: dict[str, Any]) -> Project:
    principal = ctx.require("write")
    return await projects.update_project(principal.user_id, parse_id(id), changes)


async def delete_project(ctx: Context, *, id: str) -> bool:
    principal = ctx.require("write")
    return await projects.delete_project(ctx.broker, ctx.storage, principal.user_id, parse_id(id))
