"""A job's stages: its declared plan (order enforced) or the stages it reported, with times.

Called by services.jobs inside the transaction that holds the job's row lock, so a job's
stages change one request at a time. Times are the server's.
"""

import re
import uuid
from datetime import datetime
from typing import Any

from models import Job, JobStage, StageStatus
from services import rows, sql
from services.errors import InvalidInput
from services.limits import MAX_JOB_STAGES

_NAME = re.compile(r"[a-z][a-z0-9_.:-]{0,99}")  # a job kind's rule; always fullmatch


def validate_plan(names: list[str] | None) -> list[str] | None:
    """1..MAX_JOB_STAGES distinct names, each like a job kind (None: no plan)."""
    if names is None:
        return None
    if not 1 <= len(names) <= MAX_JOB_STAGES:
        raise InvalidInput(f"`stages` lists 1..{MAX_JOB_STAGES} stage names.", field="stages")
    for name in names:
        if not _NAME.fullmatch(name):
            raise InvalidInput(
                "A stage name is 1..100 characters: lower-case letters, digits and _ . : -, "
                "starting with a letter.",
                field="stages",
            )
    if len(set(names)) != len(names):
        raise InvalidInput("Stage names must be distinct.", field="stages")
    return names


async def declare(job: Job, names: list[str] | None) -> None:
    """Write the job's plan (all PENDING) in the transaction that creates it."""
    if names:
        await JobStage.bulk_create(
            [JobStage(job_id=job.id, ordinal=i, name=name) for i, name in enumerate(names, 1)]
        )


def _end(stage: JobStage, status: StageStatus, now: datetime) -> None:
    stage.status = status
    stage.finished_at = now
    if stage.started_at is not None:
        stage.duration_ms = round((now - stage.started_at).total_seconds() * 1000)


async def _save(*changed: JobStage) -> None:
    for stage in changed:
        await stage.save()


async def enter(job: Job, name: str | None, details: Any, now: datetime) -> None:
    """Report `name` (None: stay) with `details`: entering a later stage ends the running one
    SUCCEEDED and skips those in between; a plan refuses unknown and earlier stages."""
    stages = await JobStage.filter(job_id=job.id).order_by("ordinal")
    running = next((s for s in stages if s.status == StageStatus.RUNNING), None)
    if name is None or (running is not None and running.name == name):
        if details is not None:
            if running is None:
                raise InvalidInput(
                    "`details` belong to a stage: name the stage they are about.",
                    field="details",
                )
            running.details = details
            await running.save()
        return
    changed: list[JobStage] = []
    if job.planned:
        target = next((s for s in stages if s.name == name), None)
        if target is None:
            raise InvalidInput(f"`{name}` is not a stage of this job's plan.", field="stage")
        reached = max((s.ordinal for s in stages if s.status != StageStatus.PENDING), default=0)
        if target.ordinal <= reached:
            raise InvalidInput(
                f"`{name}` comes before the stage the job is at; stages go in plan order.",
                field="stage",
            )
        for stage in stages:
            if reached < stage.ordinal < target.ordinal:
                _end(stage, StageStatus.SKIPPED, now)
                changed.append(stage)
    else:
        if len(stages) >= MAX_JOB_STAGES:
            raise InvalidInput(f"A job reports at most {MAX_JOB_STAGES} stages.", field="stage")
        target = JobStage(job_id=job.id, ordinal=len(stages) + 1, name=name)
    if running is not None:
        _end(running, StageStatus.SUCCEEDED, now)
        changed.append(running)
    target.status = StageStatus.RUNNING
    target.started_at = now
    target.details = details
    await _save(*changed, target)


async def end(
    job: Job,
    status: StageStatus,
    now: datetime,
    *,
    error: str | None = None,
    details: Any = None,
) -> None:
    """End the running stage with `status` (and `error`, `details`); skip those still PENDING."""
    running = await JobStage.filter(job_id=job.id, status=StageStatus.RUNNING).first()
    if running is not None:
        _end(running, status, now)
        running.error = error
        if details is not None:
            running.details = details
        await running.save()
    await JobStage.filter(job_id=job.id, status=StageStatus.PENDING).update(
        status=StageStatus.SKIPPED, finished_at=now
    )


async def start_over(job: Job) -> None:
    """The plan from the top (a retry, a lease lost): PENDING again; reported stages go."""
    if job.planned:
        await JobStage.filter(job_id=job.id).update(
            status=StageStatus.PENDING,
            started_at=None,
            finished_at=None,
            duration_ms=None,
            error=None,
            details=None,
        )
    else:
        await JobStage.filter(job_id=job.id).delete()


async def stages_for_jobs(ids: list[uuid.UUID], columns: sql.Columns = None) -> list[list[sql.Row]]:
    """Each job's stages in order: one statement."""
    return await rows.children(
        JobStage, "job_id", ids, columns, order="ordinal", needed=["ordinal"]
    )
