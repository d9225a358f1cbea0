"""Storyboard revisions: snapshots of a storyboard's fields and scenes, and restoring one.

A revision is written under the storyboard's row lock (services.scenes.lock_storyboard), in the
transaction of the change it records, and bumps `Storyboard.version` there: versions are
1, 2, 3 … without two writers ever taking the same number.
"""

import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from models import (
    Asset,
    Character,
    Keyframe,
    RevisionOrigin,
    Scene,
    SceneCharacter,
    SceneTask,
    Storyboard,
    StoryboardRevision,
)
from models import StoryboardStatus as Status
from services import activity, rows, scenes, sql
from services.broker import Broker
from services.db import transaction
from services.errors import Conflict, NotFound
from services.limits import MAX_REVISIONS
from services.pagination import ChildQuery, Page, PageArgs, pages_for_parents
from services.progress import publish_project_progress
from services.validation import optional_text

REVISIONS = ChildQuery(StoryboardRevision, "storyboard_revisions", "storyboard_id", "created_at")
MAX_LABEL = 200
_SCENE_FIELDS = {
    "sceneType": "scene_type",
    "duration": "duration",
    "visualDescription": "visual_description",
    "script": "script",
    "textOverlay": "text_overlay",
    "cameraAngle": "camera_angle",
}


async def revisions_for_storyboards(
    storyboard_ids: list[uuid.UUID], args: PageArgs, with_total: bool, columns: sql.Columns = None
) -> dict[uuid.UUID, Page[sql.Row]]:
    """Newest first: `created_at` grows with `version` within a storyboard (see _record)."""
    return await pages_for_parents(REVISIONS, storyboard_ids, args, {}, with_total, columns)


async def revisions_by_ids(
    ids: list[uuid.UUID], columns: sql.Columns = None
) -> list[sql.Row | None]:
    return await rows.by_ids(StoryboardRevision, "storyboard_revisions", ids, columns)


async def snapshot_of(storyboard: Storyboard) -> dict[str, Any]:
    """The storyboard as API.md's `snapshot` shape, read from the database now (3 statements)."""
    found = await Scene.filter(storyboard_id=storyboard.id).order_by("scene_number")
    frames: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for frame in await Keyframe.filter(scene__storyboard_id=storyboard.id).order_by(
        "scene_id", "sequence"
    ):
        frames[frame.scene_id].append(
            {
                "sequence": frame.sequence,
                "description": frame.description,
                "timingSeconds": frame.timing_seconds,
                "metadata": frame.metadata,
            }
        )
    cast: dict[Any, list[str]] = defaultdict(list)
    members = (
        await SceneCharacter.filter(scene__storyboard_id=storyboard.id)
        .order_by("scene_id", "character__name", "character_id")
        .values_list("scene_id", "character_id")
    )
    for scene_id, character_id in members:
        cast[str(scene_id)].append(str(character_id))
    return {
        "title": storyboard.title,
        "brief": storyboard.brief,
        "referenceUrls": list(storyboard.reference_urls),
        "patternSource": storyboard.pattern_source,
        "scenes": [
            {
                "sceneNumber": scene.scene_number,
                **{key: _plain(getattr(scene, name)) for key, name in _SCENE_FIELDS.items()},
                "characterIds": cast[str(scene.id)],
                "keyframes": frames[scene.id],
            }
            for scene in found
        ],
    }


def _plain(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


def word_count(snapshot: dict[str, Any]) -> int:
    """Whitespace-separated words across every scene's script."""
    return sum(len((scene["script"] or "").split()) for scene in snapshot["scenes"])


async def record(
    storyboard_id: uuid.UUID,
    origin: RevisionOrigin,
    *,
    label: str | None = None,
    generation_model: str | None = None,
) -> StoryboardRevision:
    """Inside a transaction holding the storyboard's lock: record it as it is now, then prune
    past MAX_REVISIONS."""
    storyboard = await Storyboard.get(id=storyboard_id)
    snapshot = await snapshot_of(storyboard)
    newest = (
        await StoryboardRevision.filter(storyboard_id=storyboard_id)
        .order_by("-version")
        .first()
        .values("created_at")
    )
    now = datetime.now(UTC)
    if newest is not None and newest["created_at"] >= now:
        # Clocks of two hosts (or a step back of one) must not put a revision before the one
        # it follows: the connection's keyset is (created_at, id).
        now = newest["created_at"] + timedelta(microseconds=1)
    revision = await StoryboardRevision.create(
        storyboard_id=storyboard_id,
        version=storyboard.version + 1,
        label=label,
        origin=origin,
        generation_model=generation_model,
        word_count=word_count(snapshot),
        scene_count=len(snapshot["scenes"]),
        total_duration=sum(scene["duration"] for scene in snapshot["scenes"]),
        snapshot=snapshot,
        created_at=now,
    )
    await Storyboard.filter(id=storyboard_id).update(version=revision.version)
    await _prune(storyboard_id)
    return revision


async def _prune(storyboard_id: uuid.UUID) -> None:
    """Past MAX_REVISIONS, delete the oldest USER revisions (then, should there be too few,
    the oldest of the others)."""
    excess = await StoryboardRevision.filter(storyboard_id=storyboard_id).count() - MAX_REVISIONS
    if excess <= 0:
        return
    doomed = await (
        StoryboardRevision.filter(storyboard_id=storyboard_id, origin=RevisionOrigin.USER)
        .order_by("version")
        .limit(excess)
        .values_list("id", flat=True)
    )
    if len(doomed) < excess:
        doomed += await (
            StoryboardRevision.filter(storyboard_id=storyboard_id)
            .exclude(origin=RevisionOrigin.USER)
            .order_by("version")
            .limit(excess - len(doomed))
            .values_list("id", flat=True)
        )
    await StoryboardRevision.filter(id__in=doomed).delete()


async def save_revision(
    owner_id: uuid.UUID, storyboard_id: uuid.UUID, label: str | None
) -> StoryboardRevision:
    label = optional_text(label, "label", maximum=MAX_LABEL)
    async with transaction():
        storyboard = await scenes.lock_storyboard(storyboard_id, owner_id)
        revision = await record(storyboard_id, RevisionOrigin.USER, label=label)
        await activity.record(
            storyboard.project_id,  # type: ignore[arg-type]
            "revision.created",
            "StoryboardRevision",
            revision.id,
            {"storyboardId": storyboard_id, "version": revision.version, "label": label},
        )
        return revision


async def restore_revision(
    broker: Broker, owner_id: uuid.UUID, revision_id: uuid.UUID
) -> Storyboard:
    """The storyboard's fields and scenes as in the revision, then a RESTORE revision.

    Scenes are matched by number: scene n keeps its row (and so its assets) and takes the
    revision's fields; missing scenes are added; surplus ones are deleted, their assets staying
    on the storyboard. Every restored scene gets four new uncompleted tasks."""
    async with transaction():
        found = await StoryboardRevision.filter(
            id=revision_id, storyboard__project__owner_id=owner_id
        ).values_list("storyboard_id", flat=True)
        if not found:
            raise NotFound("No such revision.")
        storyboard = await scenes.lock_storyboard(found[0], owner_id)  # type: ignore[arg-type]
        if storyboard.status == Status.GENERATING:
            raise Conflict("The storyboard is being generated; edit it when generation ends.")
        # Read under the lock: pruning may have removed it meanwhile.
        revision = await StoryboardRevision.get_or_none(id=revision_id)
        if revision is None:
            raise NotFound("No such revision.")
        await _restore(storyboard, revision.snapshot)
        restore = await record(
            storyboard.id,
            RevisionOrigin.RESTORE,
            label=f"Restored version {revision.version}",
        )
        await activity.record(
            storyboard.project_id,  # type: ignore[arg-type]
            "storyboard.restored",
            "Storyboard",
            storyboard.id,
            {
                "revisionId": revision.id,
                "restoredVersion": revision.version,
                "version": {"old": storyboard.version, "new": restore.version},
            },
        )
        await storyboard.refresh_from_db()
    await publish_project_progress(broker, storyboard.project_id)  # type: ignore[arg-type]
    return storyboard


async def _restore(storyboard: Storyboard, snapshot: dict[str, Any]) -> None:
    wanted = sorted(snapshot["scenes"], key=lambda scene: scene["sceneNumber"])
    current = await Scene.filter(storyboard_id=storyboard.id).order_by("scene_number")
    kept, surplus = current[: len(wanted)], current[len(wanted) :]
    if surplus:
        gone = [scene.id for scene in surplus]
        # Their assets stay: on the storyboard (a keyframe's also on what else it is attached to).
        await Asset.filter(keyframe__scene_id__in=gone).update(keyframe_id=None)
        await Asset.filter(scene_id__in=gone).update(scene_id=None)
        await Scene.filter(id__in=gone).delete()
    now = datetime.now(UTC)
    if kept:
        await SceneTask.filter(scene_id__in=[scene.id for scene in kept]).delete()
        await SceneCharacter.filter(scene_id__in=[scene.id for scene in kept]).delete()
        # One UPDATE per scene: Tortoise's bulk_update casts to the column type, and ours carry
        # their CHECK (models.fields), which PostgreSQL does not take in a CAST.
        for scene, values in zip(kept, wanted, strict=False):
            await Scene.filter(id=scene.id).update(**_scene_values(values), updated_at=now)
    added = [
        Scene(storyboard_id=storyboard.id, scene_number=number, **_scene_values(values))
        for number, values in enumerate(wanted[len(kept) :], len(kept) + 1)
    ]
    if added:
        await Scene.bulk_create(added)
    restored = [*kept, *added]
    await scenes.create_tasks([scene.id for scene in restored])
    await _restore_keyframes(restored, wanted, now)
    await _restore_casts(storyboard, restored, wanted)
    await Storyboard.filter(id=storyboard.id).update(
        title=snapshot["title"],
        brief=snapshot["brief"],
        reference_urls=snapshot["referenceUrls"],
        pattern_source=snapshot["patternSource"],
        total_scenes=len(wanted),
        total_duration=sum(values["duration"] for values in wanted),
        updated_at=now,
    )


async def _restore_keyframes(
    restored: list[Scene], wanted: list[dict[str, Any]], now: datetime
) -> None:
    """Keyframe n of a scene keeps its row (its assets and chosen image) and takes the
    revision's values; missing ones are added, surplus ones deleted (their assets stay)."""
    by_scene: dict[Any, list[Keyframe]] = defaultdict(list)
    for frame in await Keyframe.filter(scene_id__in=[scene.id for scene in restored]).order_by(
        "scene_id", "sequence"
    ):
        by_scene[frame.scene_id].append(frame)
    changed: list[tuple[Any, dict[str, Any]]] = []
    added: list[Keyframe] = []
    gone: list[Any] = []
    for scene, values in zip(restored, wanted, strict=True):
        frames = sorted(values["keyframes"], key=lambda frame: frame["sequence"])
        existing = by_scene[scene.id]
        gone += [frame.id for frame in existing[len(frames) :]]
        changed += [
            (frame.id, _keyframe_values(frame_values))
            for frame, frame_values in zip(existing, frames, strict=False)
        ]
        added += [
            Keyframe(scene_id=scene.id, sequence=number, **_keyframe_values(frame_values))
            for number, frame_values in enumerate(frames[len(existing) :], len(existing) + 1)
        ]
    if gone:
        await Asset.filter(keyframe_id__in=gone).update(keyframe_id=None)
        await Keyframe.filter(id__in=gone).delete()
    for frame_id, frame_values in changed:  # one UPDATE each: see _restore
        await Keyframe.filter(id=frame_id).update(**frame_values, updated_at=now)
    if added:
        await Keyframe.bulk_create(added)


def _keyframe_values(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": values["description"],
        "timing_seconds": values["timingSeconds"],
        "metadata": values["metadata"],
    }


async def _restore_casts(
    storyboard: Storyboard, restored: list[Scene], wanted: list[dict[str, Any]]
) -> None:
    """Each scene's cast as in the revision, less the characters deleted since."""
    named = {character_id for values in wanted for character_id in values["characterIds"]}
    if not named:
        return
    alive = {
        str(character_id)
        for character_id in await Character.filter(
            project_id=storyboard.project_id, id__in=list(named)
        ).values_list("id", flat=True)
    }
    members = [
        SceneCharacter(scene_id=scene.id, character_id=character_id)
        for scene, values in zip(restored, wanted, strict=True)
        for character_id in values["characterIds"]
        if character_id in alive
    ]
    if members:
        await SceneCharacter.bulk_create(members)


def _scene_values(values: dict[str, Any]) -> dict[str, Any]:
    return {name: values[key] for key, name in _SCENE_FIELDS.items()}
