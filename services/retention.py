"""The worker's housekeeping of old data: archive long-finished projects, delete old activity
and old finished jobs.

Every statement touches at most `batch` rows and commits on its own, so a large backlog is
worked off in short steps that never hold many locks for long; a sweep stops after
`max_batches` of each kind and leaves the rest to the next one, so the worker gets back to its
jobs.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from tortoise.expressions import Subquery

from models import ActivityEvent, ActorKind, Job, JobStatus, Project, ProjectStatus
from services import projects
from services.activity import Actor, acting
from services.db import transaction

if TYPE_CHECKING:  # services.settings imports what imports this module
    from services.settings import Settings

log = logging.getLogger(__name__)

TERMINAL = [JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED]


@dataclass(frozen=True)
class Retention:
    """Ages in days; 0 turns that step off (never archive, keep forever)."""

    archive_after_days: int = 0
    activity_days: int = 365
    job_days: int = 90
    batch: int = 1000
    max_batches: int = 100


def retention_of(settings: "Settings") -> Retention:
    return Retention(
        archive_after_days=settings.archive_after_days,
        activity_days=settings.activity_retention_days,
        job_days=settings.job_retention_days,
    )


@dataclass(frozen=True)
class Swept:
    archived: int
    activity_deleted: int
    jobs_deleted: int


async def apply_retention(policy: Retention, now: datetime) -> Swept:
    """Apply each retention rule that is on, as of `now`."""
    archived = activity = finished = 0
    if policy.archive_after_days:
        archived = await archive_stale_projects(
            now - timedelta(days=policy.archive_after_days), policy.batch, policy.max_batches
        )
    if policy.activity_days:
        activity = await purge_activity(
            now - timedelta(days=policy.activity_days), policy.batch, policy.max_batches
        )
    if policy.job_days:
        finished = await purge_jobs(
            now - timedelta(days=policy.job_days), policy.batch, policy.max_batches
        )
    if archived or activity or finished:
        log.info(
            "retention: archived %d projects, deleted %d activity events and %d jobs",
            archived,
            activity,
            finished,
        )
    return Swept(archived, activity, finished)


async def archive_stale_projects(cutoff: datetime, batch: int, max_batches: int) -> int:
    """Archive COMPLETED projects last changed before `cutoff`, as the worker; returns how many.

    One short transaction per project, which checks again under the row lock: a project
    changed since it was listed is left alone."""
    archived = 0
    with acting(Actor(ActorKind.WORKER)):
        for _ in range(max_batches):
            ids: list[uuid.UUID] = [
                project.id
                for project in await Project.filter(
                    status=ProjectStatus.COMPLETED, updated_at__lt=cutoff
                )
                .order_by("updated_at", "id")
                .limit(batch)
                .only("id")
            ]
            for project_id in ids:
                async with transaction():
                    project = (
                        await Project.filter(
                            id=project_id, status=ProjectStatus.COMPLETED, updated_at__lt=cutoff
                        )
                        .select_for_update()
                        .first()
                    )
                    if project is not None:
                        await projects.archive_locked(project)
                        archived += 1
            if len(ids) < batch:
                break
    return archived


async def purge_activity(cutoff: datetime, batch: int, max_batches: int) -> int:
    """Delete activity events older than `cutoff`, oldest first, at most `batch` per
    statement; returns how many."""
    deleted = 0
    for _ in range(max_batches):
        oldest = ActivityEvent.filter(at__lt=cutoff).order_by("at").limit(batch).values("id")
        count: int = await ActivityEvent.filter(id__in=Subquery(oldest)).delete()
        deleted += count
        if count < batch:
            break
    return deleted


async def purge_jobs(cutoff: datetime, batch: int, max_batches: int) -> int:
    """Delete jobs that finished (SUCCEEDED, FAILED, CANCELLED) before `cutoff`, at most `batch`
    per transaction; returns how many. Their events and stages go with them (ON DELETE
    CASCADE); their assets stay, without the job (assets.job_id is ON DELETE SET NULL).

    The batch is locked before it is deleted (skipping rows another transaction holds), so a
    job being retried meanwhile is either deleted before the retry or not at all, and the count
    is exact (a driver's count of deleted rows may include the cascaded ones)."""
    deleted = 0
    for _ in range(max_batches):
        async with transaction():
            ids: list[uuid.UUID] = [
                job.id
                for job in await Job.filter(status__in=TERMINAL, finished_at__lt=cutoff)
                .order_by("finished_at", "id")
                .limit(batch)
                .select_for_update(skip_locked=True)
                .only("id")
            ]
            if ids:
                await Job.filter(id__in=ids).delete()
        deleted += len(ids)
        if len(ids) < batch:
            break
    return deleted
