"""The built-in `generate_storyboard` job: plan with a provider, then write everything at once."""

import uuid
from datetime import UTC, datetime

from models import RevisionOrigin, Scene, Storyboard, StoryboardStatus
from services import assets, jobs, revisions, scenes
from services.db import transaction
from services.generator import GenerationRequest, PlannedScene, StoryboardProvider
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
    await run.report(40, "writing_scenes", f"Writing {len(plan)} scenes.")
    await run.report(70, "creating_tasks", f"Creating {4 * len(plan)} production tasks.")
    async with transaction():
        job = await jobs.lock_running(run.job.id, run.attempt)
        # The same row lock as hand edits of its scenes (which a GENERATING storyboard refuses):
        # no scene mutation is half-way through while the scenes are replaced.
        await scenes.lock_storyboard(storyboard.id)
        await _write(storyboard.id, plan)
        await revisions.record(
            storyboard.id, RevisionOrigin.GENERATION, generation_model=provider.model
        )
        event = await jobs.complete_locked(job, {"storyboardId": str(storyboard.id)})
    await run.publish(event)
    await publish_project_progress(run.broker, storyboard.project_id)  # type: ignore[arg-type]


async def _write(storyboard_id: uuid.UUID, plan: list[PlannedScene]) -> None:
    # An earlier attempt never committed scenes (same transaction as completion), but a storyboard
    # edited by hand meanwhile might have some: generation replaces them.
    await assets.schedule_object_deletion(scene__storyboard_id=storyboard_id)
    await Scene.filter(storyboard_id=storyboard_id).delete()
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
        for number, planned in enumerate(plan, 1)
    ]
    await Scene.bulk_create(rows)
    await scenes.create_tasks([row.id for row in rows])
    await Storyboard.filter(id=storyboard_id).update(
        status=StoryboardStatus.COMPLETED,
        total_scenes=len(rows),
        total_duration=sum(row.duration for row in rows),
        generated_at=datetime.now(UTC),
        updated_at=datetime.now(UTC),
    )
