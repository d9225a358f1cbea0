"""Resolvers of `Project` fields and project mutations."""

import uuid
from typing import Any

from models import Project, ProjectStatus, StoryboardStatus
from resolvers.context import Context
from services import progress, projects, sql, storyboards
from services.pagination import Page, page_args
from services.validation import parse_id


async def project(ctx: Context, *, columns: sql.Columns = None, id: str) -> sql.Row | None:
    principal = ctx.require("read")
    return await projects.get_project(principal.user_id, parse_id(id))


async def projects_by_ids(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[sql.Row | None]:
    return await projects.projects_by_ids(ids, columns)


async def storyboards_for_projects(
    ctx: Context,
    project_ids: list[uuid.UUID],
    *,
    columns: sql.Columns,
    first: int | None,
    after: str | None,
    status: StoryboardStatus | None,
    with_total: bool,
) -> list[Page[sql.Row]]:
    args = page_args(first, after)
    found = await storyboards.storyboards_for_projects(
        project_ids, args, status, with_total, columns
    )
    return [found[i] for i in project_ids]


async def totals_for_projects(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[progress.ProjectTotals]:
    return await progress.totals_for_projects(ids)


async def create_project(
    ctx: Context, *, title: str, description: str | None, status: ProjectStatus | None
) -> Project:
    principal = ctx.require("write")
    return await projects.create_project(principal.user_id, title, description, status)


async def update_project(ctx: Context, *, id: str, changes: dict[str, Any]) -> Project:
    principal = ctx.require("write")
    return await projects.update_project(principal.user_id, parse_id(id), changes)


async def archive_project(ctx: Context, *, id: str) -> Project:
    principal = ctx.require("write")
    return await projects.archive_project(principal.user_id, parse_id(id))


async def unarchive_project(ctx: Context, *, id: str) -> Project:
    principal = ctx.require("write")
    return await projects.unarchive_project(principal.user_id, parse_id(id))


async def delete_project(ctx: Context, *, id: str) -> bool:
    principal = ctx.require("write")
    return await projects.delete_project(ctx.broker, ctx.storage, principal.user_id, parse_id(id))
