"""The one place where a job changes state: enqueue, claim, progress, complete, fail, cancel, reap.

Every change bumps `seq` and appends the JobEvent with that seq in the same transaction; the
broker message goes out only after the commit. `owner_id=None` is the built-in worker, which
serves every user; any other caller only ever sees jobs of its own projects.

Lease fencing: a claim records its holder (`claimed_by`) and bumps `attempts`. Only that holder
may report, complete or fail the job, and a caller naming an `attempt` that is no longer the
current one (its lease expired and another claim followed) is refused; refusals change nothing.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet

from models import (
    Job,
    JobEvent,
    JobStatus,
    Project,
    ProjectStatus,
    StageStatus,
    Storyboard,
    StoryboardStatus,
)
from services import activity, idempotency, job_stages, rows, sql, validation
from services.broker import Broker
from services.db import transaction
from services.errors import Conflict, InvalidInput, NotFound
from services.limits import MAX_EVENTS
from services.pagination import ChildQuery, Page, PageArgs, pages_for_parents

GENERATE_STORYBOARD = "generate_storyboard"
# The built-in generation's plan: the stages services.generation reports, in order.
GENERATE_PLAN = ["planning", "writing_scenes", "creating_tasks"]
MIN_PRIORITY, MAX_PRIORITY = -100, 100
BUILT_IN_KINDS = frozenset({GENERATE_STORYBOARD})
QUEUE_CHANNEL = "jobs:queued"
# Sent on a job's (and a project's) channel after the commit that deleted it: streams end.
DELETED: dict[str, Any] = {"deleted": True}
MAX_ATTEMPTS = 20
MIN_LEASE, MAX_LEASE = 5, 3600
_KIND = re.compile(r"[a-z][a-z0-9_.:-]{0,99}")  # always fullmatch: `$` accepts a final "\n"
COMPLETE_NOT_RUNNING = "Only a RUNNING (claimed) job can complete."
# The holder of the built-in worker's claims; partners' are "key:<api key id>"/"user:<user id>".
WORKER = "worker"

JOBS = ChildQuery(Job, "jobs", "project_id", "created_at")
STORYBOARD_JOBS = ChildQuery(Job, "jobs", "storyboard_id", "created_at")
# A user's jobs: those of the projects they own (owner_id comes from the join).
USER_JOBS = ChildQuery(
    Job,
    "(SELECT j.*, p.owner_id FROM jobs j JOIN projects p ON p.id = j.project_id)",
    "owner_id",
    "created_at",
)


@dataclass(frozen=True)
class RetryPolicy:
    """Delay before a failed or expired job may run again: base · 2^(attempts-1), capped."""

    base_seconds: float = 5.0
    max_seconds: float = 300.0

    def delay(self, attempts: int) -> timedelta:
        seconds = min(self.base_seconds * 2 ** max(attempts - 1, 0), self.max_seconds)
        return timedelta(seconds=seconds)


def job_channel(job_id: uuid.UUID) -> str:
    return f"job:{job_id}"


def event_message(event: JobEvent) -> dict[str, Any]:
    return {
        "jobId": str(event.job_id),
        "seq": event.seq,
        "status": event.status.value,
        "stage": event.stage,
        "progress": event.progress,
        "message": event.message,
        "at": event.at.isoformat(),
    }


def holder_of(user_id: uuid.UUID, api_key_id: uuid.UUID | None) -> str:
    """The `claimed_by` of a partner's credential: its API key, or the user's session token."""
    return f"key:{api_key_id}" if api_key_id is not None else f"user:{user_id}"


def _holder(owner_id: uuid.UUID | None, holder: str | None) -> str:
    # owner_id None is the built-in worker; a partner's call without a holder is its session.
    if owner_id is None:
        return WORKER
    return holder if holder is not None else f"user:{owner_id}"


def _now() -> datetime:
    return datetime.now(UTC)


def _not_archived(found: QuerySet[Job]) -> QuerySet[Job]:
    """Leave out the jobs of archived projects: they are frozen (services.activity refuses any
    change to them) until unarchiveProject, so the queue neither hands them out nor reaps them.
    A subquery, not a join: FOR UPDATE would lock the joined project rows too."""
    archived = Project.filter(status=ProjectStatus.ARCHIVED).values("id")
    return found.exclude(project_id__in=Subquery(archived))


def _visible(owner_id: uuid.UUID | None) -> QuerySet[Job]:
    if owner_id is None:
        return Job.all()
    return Job.filter(project_id__in=Subquery(Project.filter(owner_id=owner_id).values("id")))


async def _locked(
    owner_id: uuid.UUID | None,
    job_id: uuid.UUID,
    attempt: int | None,
    *,
    holder: str | None = None,
) -> Job:
    """Lock a visible, non-terminal job; with `holder`, refuse a built-in kind to partners."""
    job = await _visible(owner_id).filter(id=job_id).select_for_update().first()
    if job is None:
        raise NotFound("No such job.")
    if holder is not None:
        _check_kind(job, holder)
    if job.status.terminal:
        raise Conflict(f"The job is {job.status.value}; it accepts no more changes.")
    if attempt is not None and job.attempts != attempt:
        raise Conflict("The lease on this job was lost; another attempt owns it now.")
    return job


async def _held(
    owner_id: uuid.UUID | None,
    job_id: uuid.UUID,
    attempt: int | None,
    holder: str | None,
    not_running: str,
) -> Job:
    """Lock a RUNNING job that the caller (`holder`, see _holder) holds, at `attempt` if given:
    the one path report, complete and fail take. Conflict with `not_running` otherwise."""
    who = _holder(owner_id, holder)
    job = await _locked(owner_id, job_id, attempt, holder=who)
    if job.status != JobStatus.RUNNING:
        raise Conflict(not_running)
    _check_holder(job, who)
    return job


def _check_holder(job: Job, holder: str) -> None:
    """Refuse anyone but the holder of the current attempt (call once the job is RUNNING)."""
    if job.claimed_by != holder:
        raise Conflict("Another worker holds this job; only the one that claimed it may change it.")


def _check_kind(job: Job, holder: str) -> None:
    if job.kind in BUILT_IN_KINDS and holder != WORKER:
        raise Conflict(f"`{job.kind}` jobs are run by the built-in worker.")


async def _record(
    job: Job,
    message: str | None = None,
    *,
    action: str | None = None,
    changes: dict[str, Any] | None = None,
    actor: activity.Actor | None = None,
) -> JobEvent:
    """Save the job and append its next event; call inside the transaction that changed it.

    With `action` (its creation, a terminal state, a retry) the change is also project
    activity; progress, claims and requeues only move the project's updatedAt (API.md 2.4)."""
    job.seq += 1
    job.message = message if message is not None else job.message
    await job.save()
    if action is None:
        await activity.touch(job.project_id)  # type: ignore[arg-type]
    else:
        await activity.record(
            job.project_id,  # type: ignore[arg-type]
            action,
            "Job",
            job.id,
            changes,
            actor=actor,
        )
    return await JobEvent.create(
        job_id=job.id,
        seq=job.seq,
        status=job.status,
        stage=job.stage,
        progress=job.progress,
        message=message,
        at=job.updated_at,
    )


async def _finish(
    job: Job, status: JobStatus, *, error: str | None = None, details: Any = None
) -> None:
    """End the job and its running stage (SUCCEEDED, else FAILED with `error`); the stages
    it never reached are SKIPPED."""
    job.status = status
    job.finished_at = _now()
    stage_status = StageStatus.SUCCEEDED if status == JobStatus.SUCCEEDED else StageStatus.FAILED
    stage_error = "Cancelled." if status == JobStatus.CANCELLED else error
    await job_stages.end(job, stage_status, job.finished_at, error=stage_error, details=details)
    job.lease_expires_at = None
    if error is not None:
        job.error = error
    if job.kind == GENERATE_STORYBOARD and status != JobStatus.SUCCEEDED and job.storyboard_id:
        # A generation that did not succeed leaves its storyboard in ERROR (and without scenes:
        # they are only ever written in the transaction that completes the job).
        await Storyboard.filter(id=job.storyboard_id).update(
            status=StoryboardStatus.ERROR, updated_at=_now()
        )


async def publish_events(broker: Broker, *events: JobEvent) -> None:
    for event in events:
        await broker.publish(job_channel(event.job_id), event_message(event))  # type: ignore[arg-type]


def _validate_kind(kind: str, field: str = "kind") -> str:
    if not _KIND.fullmatch(kind):
        raise InvalidInput(
            "A job kind is 1..100 characters: lower-case letters, digits and _ . : -, "
            "starting with a letter.",
            field=field,
        )
    return kind


async def _enqueue(
    project_id: uuid.UUID,
    storyboard_id: uuid.UUID | None,
    kind: str,
    payload: Any,
    max_attempts: int,
    *,
    plan: list[str] | None = None,
    priority: int = 0,
    request: idempotency.Request | None = None,
) -> tuple[Job, JobEvent]:
    if request is not None:
        await request.reserve()
    job = await Job.create(
        project_id=project_id,
        storyboard_id=storyboard_id,
        kind=kind,
        payload=payload,
        max_attempts=max_attempts,
        run_after=_now(),
        stage="queued",
        planned=plan is not None,
        priority=priority,
        idempotency_key=request.key if request is not None else None,
    )
    await job_stages.declare(job, plan)
    if request is not None:
        await request.bind(job.id)
    created = {
        "kind": kind,
        "storyboardId": storyboard_id,
        "maxAttempts": max_attempts,
        "priority": priority,
        "stages": plan,
        "status": job.status,
    }
    return job, await _record(job, action="job.created", changes=created)


async def create_job(
    broker: Broker,
    owner_id: uuid.UUID,
    project_id: uuid.UUID,
    storyboard_id: uuid.UUID | None,
    kind: str,
    payload: Any,
    max_attempts: int,
    *,
    stages: list[str] | None = None,
    priority: int = 0,
    idempotency_key: str | None = None,
) -> Job:
    """A job for partners' workers; built-in kinds are started by their own mutations.

    With `idempotency_key`, a repeat of the same request within 24 h returns the first job."""
    _validate_kind(kind)
    if kind in BUILT_IN_KINDS:
        raise InvalidInput(f"`{kind}` jobs are started by their own mutation.", field="kind")
    if not 1 <= max_attempts <= MAX_ATTEMPTS:
        raise InvalidInput(f"`maxAttempts` must be 1..{MAX_ATTEMPTS}.", field="maxAttempts")
    plan = job_stages.validate_plan(stages)
    if not MIN_PRIORITY <= priority <= MAX_PRIORITY:
        raise InvalidInput(f"`priority` must be {MIN_PRIORITY}..{MAX_PRIORITY}.", field="priority")
    request = idempotency.request(
        owner_id,
        idempotency_key,
        "createJob",
        {
            "projectId": project_id,
            "storyboardId": storyboard_id,
            "kind": kind,
            "payload": payload,
            "maxAttempts": max_attempts,
            "stages": plan,
            "priority": priority,
        },
    )

    async def create() -> Job:
        async with transaction():
            if not await Project.filter(id=project_id, owner_id=owner_id).exists():
                raise NotFound("No such project.", field="projectId")
            if (
                storyboard_id is not None
                and not await Storyboard.filter(id=storyboard_id, project_id=project_id).exists()
            ):
                raise NotFound("No such storyboard in this project.", field="storyboardId")
            job, event = await _enqueue(
                project_id,
                storyboard_id,
                kind,
                payload,
                max_attempts,
                plan=plan,
                priority=priority,
                request=request,
            )
        await publish_events(broker, event)
        await broker.publish(QUEUE_CHANNEL, {"kind": kind})
        return job

    return await idempotency.once(request, create, lambda i: get_job(owner_id, i))


async def generate_storyboard(
    broker: Broker,
    owner_id: uuid.UUID,
    project_id: uuid.UUID,
    title: str,
    brief: str,
    reference_urls: list[str],
    scene_count: int | None,
    target_duration: int | None,
    idempotency_key: str | None = None,
) -> Job:
    """Create the storyboard (GENERATING) and its generation job in one transaction."""
    title = validation.title(title)
    brief = validation.text(brief, "brief", maximum=validation.MAX_BRIEF)
    reference_urls = validation.reference_urls(reference_urls)
    if scene_count is not None and not 1 <= scene_count <= 100:
        raise InvalidInput("`sceneCount` must be 1..100.", field="sceneCount")
    if target_duration is not None:
        validation.duration(target_duration, "targetDuration", minimum=1)
    payload = {"sceneCount": scene_count, "targetDuration": target_duration}
    request = idempotency.request(
        owner_id,
        idempotency_key,
        "generateStoryboard",
        {
            "projectId": project_id,
            "title": title,
            "brief": brief,
            "referenceUrls": reference_urls,
            **payload,
        },
    )

    async def create() -> Job:
        async with transaction():
            if not await Project.filter(id=project_id, owner_id=owner_id).exists():
                raise NotFound("No such project.", field="projectId")
            storyboard = await Storyboard.create(
                project_id=project_id,
                title=title,
                brief=brief,
                reference_urls=reference_urls,
                status=StoryboardStatus.GENERATING,
            )
            # As services.storyboards shows a storyboard (which imports this module).
            shown = ("title", "brief", "reference_urls", "status", "pattern_source")
            await activity.record(
                project_id,
                "storyboard.created",
                "Storyboard",
                storyboard.id,
                activity.created(activity.snapshot(storyboard, shown)),
            )
            job, event = await _enqueue(
                project_id,
                storyboard.id,
                GENERATE_STORYBOARD,
                payload,
                3,
                plan=GENERATE_PLAN,
                request=request,
            )
        await publish_events(broker, event)
        await broker.publish(QUEUE_CHANNEL, {"kind": GENERATE_STORYBOARD})
        return job

    return await idempotency.once(request, create, lambda i: get_job(owner_id, i))


async def claim_job(
    broker: Broker,
    owner_id: uuid.UUID | None,
    kinds: list[str],
    lease_seconds: int,
    *,
    holder: str | None = None,
    allow_built_in: bool = False,
) -> Job | None:
    """Lease the claimable job of one of `kinds` with the highest priority, then the oldest;
    N claimers never get the same job.

    `holder` (see holder_of) is who may change the job until the lease ends.
    """
    if not 1 <= len(kinds) <= 20:
        raise InvalidInput("`kinds` must list 1..20 job kinds.", field="kinds")
    for kind in kinds:
        _validate_kind(kind, "kinds")
        if kind in BUILT_IN_KINDS and not allow_built_in:
            raise InvalidInput(f"`{kind}` jobs are run by the built-in worker.", field="kinds")
    if not MIN_LEASE <= lease_seconds <= MAX_LEASE:
        raise InvalidInput(
            f"`leaseSeconds` must be {MIN_LEASE}..{MAX_LEASE}.", field="leaseSeconds"
        )
    now = _now()
    async with transaction():
        job = (
            await _not_archived(_visible(owner_id))
            .filter(status=JobStatus.QUEUED, kind__in=kinds, run_after__lte=now)
            .order_by("-priority", "created_at", "id")
            .select_for_update(skip_locked=True)
            .first()
        )
        if job is None:
            return None
        job.status = JobStatus.RUNNING
        job.claimed_by = _holder(owner_id, holder)
        job.attempts += 1
        job.stage = "claimed"
        job.lease_seconds = lease_seconds
        job.lease_expires_at = now + timedelta(seconds=lease_seconds)
        job.started_at = job.started_at or now
        event = await _record(job, f"Attempt {job.attempts} of {job.max_attempts} started.")
    await publish_events(broker, event)
    return job


async def report_progress(
    broker: Broker,
    owner_id: uuid.UUID | None,
    job_id: uuid.UUID,
    progress: int,
    stage: str | None,
    message: str | None,
    *,
    details: Any = None,
    attempt: int | None = None,
    holder: str | None = None,
) -> Job:
    """Record progress (entering `stage`, with `details`) and extend the lease; only the holder
    of `attempt` (if given) may."""
    if not 0 <= progress <= 100:
        raise InvalidInput("`progress` must be 0..100.", field="progress")
    stage = validation.optional_text(stage, "stage", maximum=200)
    message = validation.optional_text(message, "message", maximum=2000)
    async with transaction():
        job = await _held(
            owner_id, job_id, attempt, holder, "Only a RUNNING (claimed) job reports progress."
        )
        if progress < job.progress:
            raise InvalidInput(
                f"`progress` never goes down: it is {job.progress} already.", field="progress"
            )
        await job_stages.enter(job, stage, details, _now())
        job.progress = progress
        job.stage = stage if stage is not None else job.stage
        job.lease_expires_at = _now() + timedelta(seconds=job.lease_seconds)
        event = await _record(job, message)
    await publish_events(broker, event)
    return job


async def complete_job(
    broker: Broker,
    owner_id: uuid.UUID | None,
    job_id: uuid.UUID,
    result: Any,
    *,
    attempt: int | None = None,
    holder: str | None = None,
) -> Job:
    async with transaction():
        job = await _held(owner_id, job_id, attempt, holder, COMPLETE_NOT_RUNNING)
        event = await complete_locked(job, result)
    await publish_events(broker, event)
    return job


async def complete_locked(job: Job, result: Any) -> JobEvent:
    """Complete a RUNNING job already locked by the caller's transaction (see generation)."""
    if job.status != JobStatus.RUNNING:
        raise Conflict(COMPLETE_NOT_RUNNING)
    job.progress = 100
    job.stage = "completed"
    job.result = result
    await _finish(job, JobStatus.SUCCEEDED)
    return await _record(
        job, "Completed.", action="job.succeeded", changes=_status_change(JobStatus.RUNNING, job)
    )


def _status_change(old: JobStatus, job: Job, **more: Any) -> dict[str, Any]:
    return {"status": {"old": old, "new": job.status}, **more}


async def lock_running(job_id: uuid.UUID, attempt: int) -> Job:
    """Lock a job for the built-in worker's final write; Conflict if it was cancelled or lost."""
    job = await _locked(None, job_id, attempt)
    if job.status != JobStatus.RUNNING:
        raise Conflict("The job is no longer running.")
    _check_holder(job, WORKER)
    return job


async def fail_job(
    broker: Broker,
    owner_id: uuid.UUID | None,
    job_id: uuid.UUID,
    error: str,
    retry: bool,
    policy: RetryPolicy,
    *,
    details: Any = None,
    attempt: int | None = None,
    holder: str | None = None,
) -> Job:
    """Fail a RUNNING job (its running stage FAILED with `error` and `details`); with `retry` it
    goes back to the queue while attempts < maxAttempts, its plan from the top."""
    error = validation.text(error, "error", maximum=10_000)
    async with transaction():
        job = await _held(
            owner_id, job_id, attempt, holder, "Only a RUNNING (claimed) job can fail."
        )
        job.error_details = details
        if retry and job.attempts < job.max_attempts:
            # Not terminal: the job goes on (an attempt of it is like a progress report).
            await _requeue(job, policy)
            job.error = error
            event = await _record(job, f"Attempt {job.attempts} failed: {error} Retrying.")
        else:
            await _finish(job, JobStatus.FAILED, error=error, details=details)
            event = await _record(
                job,
                f"Failed: {error}",
                action="job.failed",
                changes=_status_change(JobStatus.RUNNING, job, error=error),
            )
    await publish_events(broker, event)
    return job


async def _requeue(job: Job, policy: RetryPolicy) -> None:
    await job_stages.start_over(job)
    job.status = JobStatus.QUEUED
    job.claimed_by = None
    job.stage = "queued"
    job.lease_expires_at = None
    job.run_after = _now() + policy.delay(job.attempts)


async def cancel_job(broker: Broker, owner_id: uuid.UUID, job_id: uuid.UUID) -> Job:
    """Cancel a QUEUED or RUNNING job; a running worker stops at its next progress report."""
    async with transaction():
        job = await _locked(owner_id, job_id, None)
        old = job.status
        job.stage = "cancelled"
        await _finish(job, JobStatus.CANCELLED)
        event = await _record(
            job, "Cancelled.", action="job.cancelled", changes=_status_change(old, job)
        )
    await publish_events(broker, event)
    return job


async def retry_job(broker: Broker, owner_id: uuid.UUID, job_id: uuid.UUID) -> Job:
    """A FAILED or CANCELLED job back to the queue: attempts 0, its plan from the top; its
    events go on with the next seq."""
    async with transaction():
        job = await _visible(owner_id).filter(id=job_id).select_for_update().first()
        if job is None:
            raise NotFound("No such job.")
        if job.status not in (JobStatus.FAILED, JobStatus.CANCELLED):
            raise Conflict(f"Only a FAILED or CANCELLED job can be retried; it is {job.status}.")
        if job.kind == GENERATE_STORYBOARD and job.storyboard_id:
            await Storyboard.filter(id=job.storyboard_id).update(
                status=StoryboardStatus.GENERATING, updated_at=_now()
            )
        old = job.status
        await _requeue(job, RetryPolicy(base_seconds=0))
        job.attempts = 0
        job.progress = 0
        job.error = None
        job.error_details = None
        job.result = None
        job.started_at = None
        job.finished_at = None
        event = await _record(
            job, "Retried by its owner.", action="job.retried", changes=_status_change(old, job)
        )
    await publish_events(broker, event)
    await broker.publish(QUEUE_CHANNEL, {"kind": job.kind})
    return job


async def release_job(broker: Broker, job_id: uuid.UUID, attempt: int) -> None:
    """Give a claimed job back to the queue at once (worker shutdown): not a failed attempt.

    A no-op when the job moved on, or when its project was archived meanwhile (then the job
    stays frozen, and its lease runs out after unarchiveProject)."""
    try:
        async with transaction():
            job = await _locked(None, job_id, attempt)
            if job.status != JobStatus.RUNNING:
                return
            job.attempts -= 1
            await _requeue(job, RetryPolicy(base_seconds=0))
            event = await _record(job, "Released by a worker that is shutting down.")
    except (Conflict, NotFound):
        return
    await publish_events(broker, event)
    await broker.publish(QUEUE_CHANNEL, {"kind": job.kind})


async def reap_expired_leases(broker: Broker, policy: RetryPolicy, limit: int = 100) -> int:
    """Requeue (or fail, at maxAttempts) RUNNING jobs whose lease ran out; returns how many."""
    events = []
    async with transaction():
        expired = (
            await _not_archived(Job.filter(status=JobStatus.RUNNING, lease_expires_at__lt=_now()))
            .order_by("lease_expires_at")
            .limit(limit)
            .select_for_update(skip_locked=True)
        )
        for job in expired:
            if job.attempts >= job.max_attempts:
                job.stage = "failed"
                error = "The lease expired on the last attempt."
                await _finish(job, JobStatus.FAILED, error=error)
                event = await _record(
                    job,
                    "Lease expired; no attempts left.",
                    action="job.failed",
                    changes=_status_change(JobStatus.RUNNING, job, error=error),
                    actor=activity.worker(job.id),
                )
                events.append(event)
            else:
                await _requeue(job, policy)
                events.append(await _record(job, "Lease expired; back in the queue."))
    await publish_events(broker, *events)
    if any(e.status == JobStatus.QUEUED for e in events):
        await broker.publish(QUEUE_CHANNEL, {"kind": "*"})
    return len(events)


async def lock_unfinished_jobs(
    project_id: uuid.UUID, storyboard_id: uuid.UUID | None = None
) -> list[uuid.UUID]:
    """Lock the QUEUED and RUNNING jobs of a project (or of one storyboard) about to be deleted.

    Call inside the deleting transaction, before the delete: jobs before their storyboard is the
    order the generator locks in. Their streams get DELETED after the commit (publish_deleted);
    a terminal job's stream has completed already.
    """
    found = Job.filter(project_id=project_id, status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    if storyboard_id is not None:
        found = found.filter(storyboard_id=storyboard_id)
    return [job.id for job in await found.order_by("id").select_for_update()]


async def publish_deleted(broker: Broker, job_ids: list[uuid.UUID]) -> None:
    for job_id in job_ids:
        await broker.publish(job_channel(job_id), DELETED)


async def get_job(owner_id: uuid.UUID, job_id: uuid.UUID) -> Job | None:
    return await _visible(owner_id).filter(id=job_id).first()


async def events_after(
    job_id: uuid.UUID, after_seq: int, limit: int = MAX_EVENTS
) -> list[JobEvent]:
    """The first `limit` stored events with seq > after_seq, oldest first."""
    return await JobEvent.filter(job_id=job_id, seq__gt=after_seq).order_by("seq").limit(limit)


async def events_for_jobs(
    job_ids: list[uuid.UUID], after_seq: int, columns: sql.Columns = None
) -> list[list[sql.Row]]:
    """Each job's first MAX_EVENTS events with seq > after_seq, oldest first: one statement."""
    select = sql.select_list(JobEvent, columns, "job_id", "seq", prefix="e.")
    found = await sql.fetch_rows(
        f"SELECT * FROM (SELECT {select}, ROW_NUMBER() OVER (PARTITION BY e.job_id "
        f"ORDER BY e.seq) AS _rn FROM job_events e WHERE {sql.id_list('e.job_id')} "
        "AND e.seq > ?) w WHERE _rn <= ? ORDER BY job_id, seq",
        [sql.id_list_param(job_ids), after_seq, MAX_EVENTS],
    )
    return rows.grouped(sql.typed(JobEvent, found), "job_id", job_ids)


async def jobs_by_ids(ids: list[uuid.UUID], columns: sql.Columns = None) -> list[sql.Row | None]:
    return await rows.by_ids(Job, "jobs", ids, columns)


async def stages_for_jobs(ids: list[uuid.UUID], columns: sql.Columns = None) -> list[list[sql.Row]]:
    return await job_stages.stages_for_jobs(ids, columns)


async def jobs_for_storyboards(
    storyboard_ids: list[uuid.UUID],
    args: PageArgs,
    status: JobStatus | None,
    with_total: bool,
    columns: sql.Columns = None,
) -> dict[uuid.UUID, Page[sql.Row]]:
    filters = {"status": status.value} if status else {}
    return await pages_for_parents(
        STORYBOARD_JOBS, storyboard_ids, args, filters, with_total, columns
    )


async def jobs_for_users(
    user_ids: list[uuid.UUID],
    args: PageArgs,
    status: JobStatus | None,
    kind: str | None,
    with_total: bool,
    columns: sql.Columns = None,
) -> dict[uuid.UUID, Page[sql.Row]]:
    filters: dict[str, Any] = {"status": status.value} if status else {}
    if kind is not None:
        filters["kind"] = kind
    # All columns: the parent column, owner_id, is the join's, not one of Job's that a
    # selection could name.
    return await pages_for_parents(USER_JOBS, user_ids, args, filters, with_total)


async def jobs_for_projects(
    project_ids: list[uuid.UUID],
    args: PageArgs,
    status: JobStatus | None,
    with_total: bool,
    columns: sql.Columns = None,
) -> dict[uuid.UUID, Page[sql.Row]]:
    filters = {"status": status.value} if status else {}
    return await pages_for_parents(JOBS, project_ids, args, filters, with_total, columns)
