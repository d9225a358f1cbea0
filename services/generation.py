"""The built-in `generate_storyboard` job: plan with a provider, then write everything at once."""

import uuid
from datetime import UTC, datetime

from models import (
    Character,
    Keyframe,
    RevisionOrigin,
    Scene,
    SceneCharacter,
    Storyboard,
    StoryboardStatus,
)
from services import activity, assets, characters, jobs, keyframes, revisions, scenes, validation
from services.db import transaction
from services.errors import InvalidInput
from services.generator import (
    GenerationRequest,
    PlannedCharacter,
    StoryboardPlan,
    StoryboardProvider,
)
from services.limits import MAX_CHARACTERS, MAX_KEYFRAMES
from services.progress import publish_project_progress
from services.worker_run import JobRun


async def generate(run: JobRun, provider: StoryboardProvider) -> None:
    """Emit one event per stage; scenes, tasks, storyboard, its GENERATION revision and the job
    are written in ONE transaction.

    So a failure (or a cancel, or a lost lease) at any point leaves no half-made scenes.
    """
    storyboard = await Storyboard.get(id=run.job.storyboard_id)
    payload = run.job.payload or {}
    await run.report(10, "planning", "Planning scenes from the brief.")
    plan = await provider.plan(
        GenerationRequest(
            title=storyboard.title,
            brief=storyboard.brief,
            reference_urls=list(storyboard.reference_urls),
            scene_count=payload.get("sceneCount"),
            target_duration=payload.get("targetDuration"),
        )
    )
    _check(plan)
    count = len(plan.scenes)
    await run.report(40, "writing_scenes", f"Writing {count} scenes.")
    await run.report(70, "creating_tasks", f"Creating {4 * count} production tasks.")
    async with transaction():
        job = await jobs.lock_running(run.job.id, run.attempt)
        # The same row lock as hand edits of its scenes (which a GENERATING storyboard refuses):
        # no scene mutation is half-way through while the scenes are replaced.
        await scenes.lock_storyboard(storyboard.id)
        await _write(storyboard, plan)
        await activity.record(
            storyboard.project_id,  # type: ignore[arg-type]
            "storyboard.generated",
            "Storyboard",
            storyboard.id,
            {
                "status": {"old": StoryboardStatus.GENERATING, "new": StoryboardStatus.COMPLETED},
                "totalScenes": len(plan.scenes),
                "generationModel": plan.generation_model,
            },
        )
        await revisions.record(
            storyboard.id, RevisionOrigin.GENERATION, generation_model=plan.generation_model
        )
        event = await jobs.complete_locked(job, {"storyboardId": str(storyboard.id)})
    await run.publish(event)
    await publish_project_progress(run.broker, storyboard.project_id)  # type: ignore[arg-type]


def _check(plan: StoryboardPlan) -> None:
    """A provider's plan must keep the contract's limits, as a client's input must."""
    keys = {_key_of(c) for c in plan.characters}
    for planned in plan.scenes:
        if len(planned.keyframes) > MAX_KEYFRAMES:
            raise InvalidInput(f"A scene holds at most {MAX_KEYFRAMES} keyframes.", field="plan")
        for keyframe in planned.keyframes:
            keyframes.clean(
                {"description": keyframe.description, "timing_seconds": keyframe.timing_seconds}
            )
        if not set(planned.cast) <= keys:
            raise InvalidInput("A scene's cast names a character the plan lacks.", field="plan")
    if plan.pattern_source is not None:
        validation.text(plan.pattern_source, "patternSource", minimum=0, maximum=255)


def _key_of(planned: PlannedCharacter) -> str:
    return characters.checked_key(
        characters.default_key(planned.name)
        if planned.consistency_key is None
        else planned.consistency_key
    )


async def _cast(project_id: uuid.UUID, planned: list[PlannedCharacter]) -> dict[str, uuid.UUID]:
    """The plan's characters by consistency key: the project's own where the key exists, new
    ones otherwise (within the per-project limit)."""
    wanted = {_key_of(c): c for c in planned}
    if not wanted:
        return {}
    existing = dict(
        await Character.filter(project_id=project_id, consistency_key__in=list(wanted)).values_list(
            "consistency_key", "id"
        )
    )
    new = [
        Character(
            project_id=project_id,
            name=characters.checked_name(c.name),
            description=characters.checked_description(c.description),
            consistency_key=key,
            metadata=c.metadata,
        )
        for key, c in wanted.items()
        if key not in existing
    ]
    if new and await Character.filter(project_id=project_id).count() + len(new) > MAX_CHARACTERS:
        raise InvalidInput(
            f"A project holds at most {MAX_CHARACTERS} characters.", field="projectId"
        )
    await Character.bulk_create(new)
    return {**existing, **{c.consistency_key: c.id for c in new}}


async def _write(storyboard: Storyboard, plan: StoryboardPlan) -> None:
    # An earlier attempt never committed scenes (same transaction as completion), but a storyboard
    # edited by hand meanwhile might have some: generation replaces them (their keyframes and
    # casts with them).
    storyboard_id = storyboard.id
    await assets.schedule_object_deletion(scene__storyboard_id=storyboard_id)
    await Scene.filter(storyboard_id=storyboard_id).delete()
    cast = await _cast(storyboard.project_id, plan.characters)  # type: ignore[arg-type]
    rows = [
        Scene(
            storyboard_id=storyboard_id,
            scene_number=number,
            scene_type=planned.scene_type,
            duration=planned.duration,
            visual_description=planned.visual_description,
            script=planned.script,
            text_overlay=planned.text_overlay,
            camera_angle=planned.camera_angle,
        )
        for number, planned in enumerate(plan.scenes, 1)
    ]
    await Scene.bulk_create(rows)
    await scenes.create_tasks([row.id for row in rows])
    await Keyframe.bulk_create(
        [
            Keyframe(
                scene_id=row.id,
                sequence=sequence,
                description=keyframe.description,
                timing_seconds=keyframe.timing_seconds,
                metadata=keyframe.metadata,
            )
            for row, planned in zip(rows, plan.scenes, strict=True)
            for sequence, keyframe in enumerate(planned.keyframes, 1)
        ]
    )
    await SceneCharacter.bulk_create(
        [
            SceneCharacter(scene_id=row.id, character_id=cast[key])
            for row, planned in zip(rows, plan.scenes, strict=True)
            for key in dict.fromkeys(planned.cast)
        ]
    )
    await Storyboard.filter(id=storyboard_id).update(
        status=StoryboardStatus.COMPLETED,
        total_scenes=len(rows),
        total_duration=sum(row.duration for row in rows),
        pattern_source=plan.pattern_source,
        generated_at=datetime.now(UTC),
        updated_at=datetime.now(UTC),
    )
