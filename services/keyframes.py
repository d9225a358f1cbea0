"""Keyframes of a scene: sequence stays 1..n without gaps, like scene numbers.

Every keyframe mutation locks the scene's storyboard first (services.scenes.locked_scene), the
lock scene edits and the generator's final write take too: they take turns, and while the
storyboard is GENERATING edits are refused (CONFLICT).
"""

import math
import uuid
from typing import Any

from tortoise.expressions import F

from models import Keyframe, KeyframeImage, Scene
from models.keyframe import MAX_TIMING_SECONDS
from services import activity, assets, chosen_images, rows, scenes, sql, validation
from services.db import transaction
from services.errors import InvalidInput, NotFound
from services.limits import MAX_KEYFRAMES
from services.storage import Storage

MAX_DESCRIPTION = 5000
# What a keyframe's creation and deletion events show of it.
SHOWN = ("scene_id", "sequence", "description", "timing_seconds", "metadata")
# Above any real sequence and below INT's maximum; see _shift.
_PARKED = 1_000_000_000


def clean(values: dict[str, Any]) -> dict[str, Any]:
    """Validate keyframe fields (snake_case keys, only those sent)."""
    for key, field in (("description", "description"), ("timing_seconds", "timingSeconds")):
        if key in values and values[key] is None:
            raise InvalidInput(f"`{field}` cannot be null.", field=field)
    if "description" in values:
        validation.text(values["description"], "description", maximum=MAX_DESCRIPTION)
    if "timing_seconds" in values:
        timing = values["timing_seconds"]
        if not (math.isfinite(timing) and 0 <= timing <= MAX_TIMING_SECONDS):
            raise InvalidInput(
                f"`timingSeconds` must be 0..{MAX_TIMING_SECONDS}.", field="timingSeconds"
            )
    return values


async def get_keyframe(owner_id: uuid.UUID, keyframe_id: uuid.UUID) -> sql.Row | None:
    return await rows.first(
        Keyframe,
        "SELECT k.* FROM keyframes k JOIN scenes s ON s.id = k.scene_id "
        "JOIN storyboards b ON b.id = s.storyboard_id JOIN projects p ON p.id = b.project_id "
        "WHERE k.id = ? AND p.owner_id = ?",
        [keyframe_id, owner_id],
    )


async def keyframes_by_ids(
    ids: list[uuid.UUID], columns: sql.Columns = None
) -> list[sql.Row | None]:
    return await rows.by_ids(Keyframe, "keyframes", ids, columns)


async def keyframes_for_scenes(
    ids: list[uuid.UUID], columns: sql.Columns = None
) -> list[list[sql.Row]]:
    """Each scene's keyframes, by sequence: one statement."""
    return await rows.children(Keyframe, "scene_id", ids, columns, order="sequence")


async def images_for_keyframes(
    ids: list[uuid.UUID], columns: sql.Columns = None
) -> list[sql.Row | None]:
    return await chosen_images.images_for(KeyframeImage, "keyframe", ids, columns)


async def assets_for_keyframes(
    ids: list[uuid.UUID], columns: sql.Columns = None
) -> list[list[sql.Row]]:
    return await chosen_images.assets_for("keyframe", ids, columns)


async def _locked_keyframe(
    owner_id: uuid.UUID, keyframe_id: uuid.UUID
) -> tuple[uuid.UUID, Scene, Keyframe]:
    """The project id, scene and keyframe, read under the storyboard's lock."""
    scene_id = await Keyframe.filter(
        id=keyframe_id, scene__storyboard__project__owner_id=owner_id
    ).values_list("scene_id", flat=True)
    if not scene_id:
        raise NotFound("No such keyframe.")
    storyboard, scene = await scenes.locked_scene(owner_id, scene_id[0])  # type: ignore[arg-type]
    keyframe = await Keyframe.get_or_none(id=keyframe_id)
    if keyframe is None:
        raise NotFound("No such keyframe.")
    return storyboard.project_id, scene, keyframe  # type: ignore[return-value]


async def _shift(scene_id: uuid.UUID, first: int, last: int, delta: int) -> None:
    """Add `delta` to the sequences first..last (parked first: see services.scenes._shift)."""
    if first > last:
        return
    await Keyframe.filter(scene_id=scene_id, sequence__gte=first, sequence__lte=last).update(
        sequence=F("sequence") + (_PARKED + delta)
    )
    await Keyframe.filter(scene_id=scene_id, sequence__gt=_PARKED).update(
        sequence=F("sequence") - _PARKED
    )


async def add_keyframe(
    owner_id: uuid.UUID, scene_id: uuid.UUID, values: dict[str, Any], position: int | None
) -> Keyframe:
    values = clean({"timing_seconds": 0.0, **values})
    if "description" not in values:
        raise InvalidInput("`description` is required.", field="description")
    async with transaction():
        storyboard, scene = await scenes.locked_scene(owner_id, scene_id)
        count = await Keyframe.filter(scene_id=scene.id).count()
        if count >= MAX_KEYFRAMES:
            raise InvalidInput(f"A scene holds at most {MAX_KEYFRAMES} keyframes.", field="sceneId")
        if position is None:
            position = count + 1
        if not 1 <= position <= count + 1:
            raise InvalidInput(f"`position` must be between 1 and {count + 1}.", field="position")
        await _shift(scene.id, position, count, +1)
        keyframe = await Keyframe.create(scene_id=scene.id, sequence=position, **values)
        await activity.record(
            storyboard.project_id,  # type: ignore[arg-type]
            "keyframe.created",
            "Keyframe",
            keyframe.id,
            activity.created(activity.snapshot(keyframe, SHOWN)),
        )
    return keyframe


async def update_keyframe(
    owner_id: uuid.UUID, keyframe_id: uuid.UUID, values: dict[str, Any]
) -> Keyframe:
    """`values` holds only the fields the client sent; `metadata: None` clears it."""
    values = clean(values)
    async with transaction():
        project_id, _, keyframe = await _locked_keyframe(owner_id, keyframe_id)
        old = activity.snapshot(keyframe, list(values))
        keyframe.update_from_dict(values)
        await keyframe.save()
        await activity.record(
            project_id, "keyframe.updated", "Keyframe", keyframe.id, activity.diff(old, values)
        )
    return keyframe


async def move_keyframe(owner_id: uuid.UUID, keyframe_id: uuid.UUID, position: int) -> Scene:
    async with transaction():
        project_id, scene, keyframe = await _locked_keyframe(owner_id, keyframe_id)
        count, current = await Keyframe.filter(scene_id=scene.id).count(), keyframe.sequence
        if not 1 <= position <= count:
            raise InvalidInput(f"`position` must be between 1 and {count}.", field="position")
        if position != current:
            # Park the moving keyframe on 0 (never a real sequence) while the others make room.
            await Keyframe.filter(id=keyframe.id).update(sequence=0)
            if position < current:
                await _shift(scene.id, position, current - 1, +1)
            else:
                await _shift(scene.id, current + 1, position, -1)
            keyframe.sequence = position
            await keyframe.save(update_fields=["sequence", "updated_at"])
            await activity.record(
                project_id,
                "keyframe.moved",
                "Keyframe",
                keyframe.id,
                {"sequence": {"old": current, "new": position}},
            )
        else:
            await activity.refuse_if_archived(project_id)
    return scene


async def delete_keyframe(storage: Storage, owner_id: uuid.UUID, keyframe_id: uuid.UUID) -> Scene:
    """Deletes the keyframe and its assets, renumbering those after it."""
    async with transaction():
        project_id, scene, keyframe = await _locked_keyframe(owner_id, keyframe_id)
        count = await Keyframe.filter(scene_id=scene.id).count()
        doomed = await assets.schedule_object_deletion(keyframe_id=keyframe.id)
        await Keyframe.filter(id=keyframe.id).delete()
        await _shift(scene.id, keyframe.sequence + 1, count, -1)
        await activity.record(
            project_id,
            "keyframe.deleted",
            "Keyframe",
            keyframe.id,
            activity.created(activity.snapshot(keyframe, SHOWN)),
        )
    await assets.purge_objects(storage, doomed)
    return scene


async def set_keyframe_image(
    owner_id: uuid.UUID, keyframe_id: uuid.UUID, asset_id: uuid.UUID | None
) -> Keyframe:
    """A READY IMAGE asset attached to the keyframe becomes its image; None clears it."""
    async with transaction():
        project_id, _, keyframe = await _locked_keyframe(owner_id, keyframe_id)
        old = await chosen_images.choose(KeyframeImage, "keyframe", keyframe.id, asset_id)
        await keyframe.save(update_fields=["updated_at"])
        await activity.record(
            project_id,
            "keyframe.updated",
            "Keyframe",
            keyframe.id,
            {"image": {"old": old, "new": asset_id}},
        )
    return keyframe
