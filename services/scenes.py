"""Scenes and their tasks: numbers stay 1..n without gaps, totals are recomputed in each write.

Every scene mutation first locks its storyboard row, and so does the generator's final write:
they take turns. While a storyboard is GENERATING its scenes are the generator's, and edits are
refused (CONFLICT) until generation ends.
"""

import uuid
from datetime import UTC, datetime
from typing import Any

from tortoise.expressions import F
from tortoise.functions import Count, Sum

from models import Scene, SceneTask, SceneType, Storyboard, StoryboardStatus, TaskType
from services import activity, assets, rows, sql, validation
from services.broker import Broker
from services.db import transaction
from services.errors import Conflict, InvalidInput, NotFound
from services.limits import MAX_SCENES
from services.progress import publish_project_progress
from services.storage import Storage

# Above any real scene number and below INT's maximum; see _shift.
_PARKED = 1_000_000_000
TASK_ORDER = {task_type: i for i, task_type in enumerate(TaskType)}
_REQUIRED = {
    "scene_type": "sceneType",
    "duration": "duration",
    "visual_description": "visualDescription",
}
_TEXT_LIMITS = {
    "visual_description": ("visualDescription", validation.MAX_TEXT),
    "script": ("script", validation.MAX_TEXT),
    "text_overlay": ("textOverlay", 2000),
    "camera_angle": ("cameraAngle", 200),
}


# What a scene's creation and deletion events show of it.
SHOWN = (
    "storyboard_id",
    "scene_number",
    "scene_type",
    "duration",
    "visual_description",
    "script",
    "text_overlay",
    "camera_angle",
)


def shown(scene: Scene) -> dict[str, Any]:
    return activity.created(activity.snapshot(scene, SHOWN))


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """Validate scene fields given by a client (snake_case keys, only those sent)."""
    for key, field in _REQUIRED.items():
        if key in values and values[key] is None:
            raise InvalidInput(f"`{field}` cannot be null.", field=field)
    if "visual_description" in values:
        validation.text(values["visual_description"], "visualDescription")
    for key, (field, maximum) in _TEXT_LIMITS.items():
        if key != "visual_description" and values.get(key) is not None:
            validation.text(values[key], field, minimum=0, maximum=maximum)
    if "duration" in values:
        validation.duration(values["duration"])
    return values


async def get_scene(owner_id: uuid.UUID, scene_id: uuid.UUID) -> sql.Row | None:
    return await rows.first(
        Scene,
        f"SELECT {sql.select_list(Scene, None, prefix='s.')} FROM scenes s "
        "JOIN storyboards b ON b.id = s.storyboard_id "
        "JOIN projects p ON p.id = b.project_id WHERE s.id = ? AND p.owner_id = ?",
        [scene_id, owner_id],
    )


_TASK_RANK = " ".join(f"WHEN '{t.value}' THEN {i}" for t, i in TASK_ORDER.items())


async def scenes_for_storyboards(
    ids: list[uuid.UUID], columns: sql.Columns = None
) -> list[list[sql.Row]]:
    """Each storyboard's scene rows, by sceneNumber: one statement."""
    return await rows.children(Scene, "storyboard_id", ids, columns, order="scene_number")


async def tasks_for_scenes(
    ids: list[uuid.UUID], columns: sql.Columns = None
) -> list[list[sql.Row]]:
    """Each scene's task rows, in TaskType order: one statement."""
    return await rows.children(
        SceneTask, "scene_id", ids, columns, order=f"CASE task_type {_TASK_RANK} END"
    )


async def scenes_by_ids(ids: list[uuid.UUID], columns: sql.Columns = None) -> list[sql.Row | None]:
    return await rows.by_ids(Scene, "scenes", ids, columns)


async def lock_storyboard(
    storyboard_id: uuid.UUID, owner_id: uuid.UUID | None = None
) -> Storyboard:
    """Lock the storyboard row (of `owner_id`'s, unless None: the built-in worker's write).

    Scene mutations of one storyboard, and its generation's final write, run one after another.
    """
    found = Storyboard.filter(id=storyboard_id)
    if owner_id is not None:
        found = found.filter(project__owner_id=owner_id)
    storyboard = await found.select_for_update().first()
    if storyboard is None:
        raise NotFound("No such storyboard.")
    return storyboard


async def locked_storyboard(owner_id: uuid.UUID, storyboard_id: uuid.UUID) -> Storyboard:
    """Lock a storyboard for a hand edit: refused while it is being generated."""
    storyboard = await lock_storyboard(storyboard_id, owner_id)
    if storyboard.status == StoryboardStatus.GENERATING:
        raise Conflict("The storyboard is being generated; edit it when generation ends.")
    return storyboard


async def locked_scene(owner_id: uuid.UUID, scene_id: uuid.UUID) -> tuple[Storyboard, Scene]:
    """Lock the scene's storyboard for a hand edit of the scene or of what lies below it
    (keyframes, cast): refused while it is being generated. The scene is read under the lock."""
    storyboard_id = await Scene.filter(
        id=scene_id, storyboard__project__owner_id=owner_id
    ).values_list("storyboard_id", flat=True)
    if not storyboard_id:
        raise NotFound("No such scene.")
    storyboard = await locked_storyboard(owner_id, storyboard_id[0])  # type: ignore[arg-type]
    # Read again under the lock: its number may have changed while we waited.
    scene = await Scene.get_or_none(id=scene_id)
    if scene is None:
        raise NotFound("No such scene.")
    return storyboard, scene


async def _shift(storyboard_id: uuid.UUID, first: int, last: int, delta: int) -> None:
    """Add `delta` to the numbers first..last.

    Unique (storyboard, scene_number) is checked row by row, so one `n = n + 1` can collide with
    itself; parking the rows above every real number first keeps each intermediate row unique.
    """
    if first > last:
        return
    await Scene.filter(
        storyboard_id=storyboard_id, scene_number__gte=first, scene_number__lte=last
    ).update(scene_number=F("scene_number") + (_PARKED + delta))
    await Scene.filter(storyboard_id=storyboard_id, scene_number__gt=_PARKED).update(
        scene_number=F("scene_number") - _PARKED
    )


async def _recount(storyboard: Storyboard) -> None:
    totals = (
        await Scene.filter(storyboard_id=storyboard.id)
        .annotate(n=Count("id"), d=Sum("duration"))
        .first()
        .values("n", "d")
    )
    storyboard.total_scenes = totals["n"] if totals else 0
    storyboard.total_duration = (totals["d"] if totals else 0) or 0
    await storyboard.save(update_fields=["total_scenes", "total_duration", "updated_at"])


async def create_tasks(scene_ids: list[uuid.UUID]) -> None:
    await SceneTask.bulk_create(
        [SceneTask(scene_id=scene_id, task_type=t) for scene_id in scene_ids for t in TaskType]
    )


async def add_scene(
    broker: Broker,
    owner_id: uuid.UUID,
    storyboard_id: uuid.UUID,
    values: dict[str, Any],
    position: int | None,
) -> Scene:
    values = {"scene_type": SceneType.CONTENT, "duration": 0, **_clean(values)}
    if "visual_description" not in values:
        raise InvalidInput("`visualDescription` is required.", field="visualDescription")
    async with transaction():
        storyboard = await locked_storyboard(owner_id, storyboard_id)
        count = storyboard.total_scenes
        if count >= MAX_SCENES:
            raise InvalidInput(
                f"A storyboard holds at most {MAX_SCENES} scenes.", field="storyboardId"
            )
        if position is None:
            position = count + 1
        if not 1 <= position <= count + 1:
            raise InvalidInput(f"`position` must be between 1 and {count + 1}.", field="position")
        await _shift(storyboard.id, position, count, +1)
        scene = await Scene.create(storyboard_id=storyboard.id, scene_number=position, **values)
        await create_tasks([scene.id])
        await _recount(storyboard)
        await activity.record(
            storyboard.project_id,  # type: ignore[arg-type]
            "scene.created",
            "Scene",
            scene.id,
            shown(scene),
        )
    await publish_project_progress(broker, storyboard.project_id)  # type: ignore[arg-type]
    return scene


async def update_scene(owner_id: uuid.UUID, scene_id: uuid.UUID, values: dict[str, Any]) -> Scene:
    values = _clean(values)
    async with transaction():
        storyboard, scene = await locked_scene(owner_id, scene_id)
        old = activity.snapshot(scene, list(values))
        scene.update_from_dict(values)
        await scene.save()
        if "duration" in values:
            await _recount(storyboard)
        await activity.record(
            storyboard.project_id,  # type: ignore[arg-type]
            "scene.updated",
            "Scene",
            scene.id,
            activity.diff(old, values),
        )
    return scene


async def move_scene(owner_id: uuid.UUID, scene_id: uuid.UUID, position: int) -> Storyboard:
    async with transaction():
        storyboard, scene = await locked_scene(owner_id, scene_id)
        count, current = storyboard.total_scenes, scene.scene_number
        if not 1 <= position <= count:
            raise InvalidInput(f"`position` must be between 1 and {count}.", field="position")
        if position != current:
            # Park the moving scene on 0 (never a real number) while the others make room.
            await Scene.filter(id=scene.id).update(scene_number=0)
            if position < current:
                await _shift(storyboard.id, position, current - 1, +1)
            else:
                await _shift(storyboard.id, current + 1, position, -1)
            await Scene.filter(id=scene.id).update(
                scene_number=position, updated_at=datetime.now(UTC)
            )
            await storyboard.save(update_fields=["updated_at"])
            await activity.record(
                storyboard.project_id,  # type: ignore[arg-type]
                "scene.moved",
                "Scene",
                scene.id,
                {"sceneNumber": {"old": current, "new": position}},
            )
        else:
            await activity.refuse_if_archived(storyboard.project_id)  # type: ignore[arg-type]
    return storyboard


async def delete_scene(
    broker: Broker, storage: Storage, owner_id: uuid.UUID, scene_id: uuid.UUID
) -> Storyboard:
    async with transaction():
        storyboard, scene = await locked_scene(owner_id, scene_id)
        doomed = await assets.schedule_object_deletion(scene_id=scene.id)
        await Scene.filter(id=scene.id).delete()
        await _shift(storyboard.id, scene.scene_number + 1, storyboard.total_scenes, -1)
        await _recount(storyboard)
        await activity.record(
            storyboard.project_id,  # type: ignore[arg-type]
            "scene.deleted",
            "Scene",
            scene.id,
            shown(scene),
        )
    await assets.purge_objects(storage, doomed)
    await publish_project_progress(broker, storyboard.project_id)  # type: ignore[arg-type]
    return storyboard


async def set_task_completed(
    broker: Broker, owner_id: uuid.UUID, scene_id: uuid.UUID, task_type: TaskType, completed: bool
) -> SceneTask:
    async with transaction():
        storyboard, _ = await locked_scene(owner_id, scene_id)
        task = (
            await SceneTask.filter(scene_id=scene_id, task_type=task_type)
            .select_for_update()
            .first()
        )
        if task is None:
            raise NotFound("No such scene.")
        if task.completed == completed:
            await activity.refuse_if_archived(storyboard.project_id)  # type: ignore[arg-type]
            return task
        task.completed = completed
        task.completed_at = datetime.now(UTC) if completed else None
        await task.save()
        await activity.record(
            storyboard.project_id,  # type: ignore[arg-type]
            "task.completed" if completed else "task.reopened",
            "SceneTask",
            task.id,
            {"completed": {"old": not completed, "new": completed}, "taskType": task_type},
        )
    await publish_project_progress(broker, storyboard.project_id)  # type: ignore[arg-type]
    return task
