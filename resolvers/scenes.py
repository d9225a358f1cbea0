"""Resolvers of `Scene` and `SceneTask` fields and scene mutations."""

import uuid
from typing import Any

from models import Scene, SceneTask, Storyboard, TaskType
from resolvers.context import Context
from services import assets, progress, scenes, sql
from services.validation import parse_id


async def scene(ctx: Context, *, columns: sql.Columns = None, id: str) -> sql.Row | None:
    principal = ctx.require("read")
    return await scenes.get_scene(principal.user_id, parse_id(id))


async def scenes_by_ids(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[sql.Row | None]:
    return await scenes.scenes_by_ids(ids, columns)


async def tasks_for_scenes(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[list[sql.Row]]:
    return await scenes.tasks_for_scenes(ids, columns)


async def progress_for_scenes(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[progress.Progress]:
    return await progress.progress_for_scenes(ids)


async def assets_for_scenes(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[list[sql.Row]]:
    return await assets.assets_for_scenes(ids, columns)


async def add_scene(
    ctx: Context, *, storyboard_id: str, values: dict[str, Any], position: int | None
) -> Scene:
    principal = ctx.require("write")
    return await scenes.add_scene(
        ctx.broker, principal.user_id, parse_id(storyboard_id, "storyboardId"), values, position
    )


async def update_scene(ctx: Context, *, id: str, values: dict[str, Any]) -> Scene:
    principal = ctx.require("write")
    return await scenes.update_scene(principal.user_id, parse_id(id), values)


async def move_scene(ctx: Context, *, id: str, position: int) -> Storyboard:
    principal = ctx.require("write")
    return await scenes.move_scene(principal.user_id, parse_id(id), position)


async def delete_scene(ctx: Context, *, id: str) -> Storyboard:
    principal = ctx.require("write")
    return await scenes.delete_scene(ctx.broker, ctx.storage, principal.user_id, parse_id(id))


async def set_task_completed(
    ctx: Context, *, scene_id: str, task_type: TaskType, completed: bool
) -> SceneTask:
    principal = ctx.require("write")
    return await scenes.set_task_completed(
        ctx.broker, principal.user_id, parse_id(scene_id, "sceneId"), task_type, completed
    )
