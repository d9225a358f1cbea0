"""Batch readers of rows (not models) for the compiled read path (schema.read_plan).

Each mirrors the resolver behind the same GraphQL field, with the same checks: roots need the
`read` scope and see only the caller's objects; below an owned object everything is the
caller's. One statement per call, whatever the number of parents.
"""

import uuid
from typing import Any

from models import ProjectStatus, StoryboardStatus
from resolvers import projects, scenes, storyboards, users
from resolvers.context import Context
from services import progress, sql
from services import projects as project_service
from services import scenes as scene_service
from services import storyboards as storyboard_service
from services.pagination import Page, page_args


async def me(ctx: Context) -> sql.Row | None:
    found = await users.me(ctx)
    return sql.row_of(found) if found else None


async def project(ctx: Context, *, id: str) -> sql.Row | None:
    found = await projects.project(ctx, id=id)
    return sql.row_of(found) if found else None


async def storyboard(ctx: Context, *, id: str) -> sql.Row | None:
    found = await storyboards.storyboard(ctx, id=id)
    return sql.row_of(found) if found else None


async def scene(ctx: Context, *, id: str) -> sql.Row | None:
    found = await scenes.scene(ctx, id=id)
    return sql.row_of(found) if found else None


async def projects_of_users(
    ctx: Context,
    user_ids: list[uuid.UUID],
    *,
    first: int | None,
    after: str | None,
    status: Any,
    with_total: bool,
    columns: sql.Columns = None,
) -> list[Page[sql.Row]]:
    principal = ctx.require("read")
    args = page_args(first, after)
    status = ProjectStatus(status) if status is not None else None
    # Only the caller's own projects, as in resolvers.users.projects.
    owned = [i for i in user_ids if i == principal.user_id]
    found = {}
    if owned:
        found = await project_service.project_rows_for_owners(
            owned, args, status, with_total, columns
        )
    empty: Page[sql.Row] = Page(items=[], has_next=False, total=0)
    return [found.get(i, empty) for i in user_ids]


async def storyboards_of_projects(
    ctx: Context,
    project_ids: list[uuid.UUID],
    *,
    first: int | None,
    after: str | None,
    status: Any,
    with_total: bool,
    columns: sql.Columns = None,
) -> list[Page[sql.Row]]:
    args = page_args(first, after)
    status = StoryboardStatus(status) if status is not None else None
    found = await storyboard_service.storyboard_rows_for_projects(
        project_ids, args, status, with_total, columns
    )
    return [found[i] for i in project_ids]


async def scenes_of_storyboards(
    ctx: Context, ids: list[uuid.UUID], columns: sql.Columns = None
) -> list[list[sql.Row]]:
    return await scene_service.scene_rows_for_storyboards(ids, columns)


async def tasks_of_scenes(
    ctx: Context, ids: list[uuid.UUID], columns: sql.Columns = None
) -> list[list[sql.Row]]:
    return await scene_service.task_rows_for_scenes(ids, columns)


async def storyboard_counts(ctx: Context, ids: list[uuid.UUID]) -> list[int]:
    return await project_service.storyboard_counts_for_projects(ids)


async def project_aggregates(ctx: Context, ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    """`storyboardCount` and `progress` of each project, for a selection of both."""
    found = await progress.storyboard_counts_and_progress_for_projects(ids)
    return [{"storyboardCount": count, "progress": done} for count, done in found]


async def progress_of_projects(ctx: Context, ids: list[uuid.UUID]) -> list[progress.Progress]:
    return await progress.progress_for_projects(ids)


async def progress_of_storyboards(ctx: Context, ids: list[uuid.UUID]) -> list[progress.Progress]:
    return await progress.progress_for_storyboards(ids)


async def progress_of_scenes(ctx: Context, ids: list[uuid.UUID]) -> list[progress.Progress]:
    return await progress.progress_for_scenes(ids)
