"""Resolvers of `Scene` and `SceneTask` fields and scene mutations."""

import uuid
from typing import Any

from models import Scene, SceneTask, Storyboard, TaskType
from resolvers.context import Context
from services import scenes
from services.progress import Progress, progress_of_tasks
from services.validation import parse_id


async def scene(ctx: Context, *, id: str) -> Scene | None:
    principal = ctx.require("read")
    return await scenes.get_scene(principal.user_id, parse_id(id))


async def scene_of(ctx: Context, *, scene_id: uuid.UUID) -> Scene:
    found = await ctx.loaders.scene_by_id.load(scene_id)
    assert found is not None, "a task's scene always exists (ON DELETE CASCADE)"
    return found


async def tasks(ctx: Context, *, scene_id: uuid.UUID) -> list[SceneTask]:
    return await ctx.loaders.tasks_by_scene_id.load(scene_id)


async def progress(ctx: Context, *, scene_id: uuid.UUID) -> Progress:
    # Derived from the tasks loader: a scene's progress costs no statement of its own.
    return progress_of_tasks(await ctx.loaders.tasks_by_scene_id.load(scene_id))


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
