"""Resolvers of `Job` fields, job mutations and the progress subscriptions."""

import uuid
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any

from models import Job, JobStatus
from resolvers.context import Context
from services import job_stats, job_stream, jobs, sql
from services.auth import Principal
from services.job_stream import JobUpdate
from services.pagination import Page, page_args
from services.progress import Progress
from services.validation import parse_id


async def job(ctx: Context, *, columns: sql.Columns = None, id: str) -> sql.Row | None:
    principal = ctx.require("read")
    found = await jobs.get_job(principal.user_id, parse_id(id))
    return sql.row_of(found) if found else None


async def jobs_for_projects(
    ctx: Context,
    project_ids: list[uuid.UUID],
    *,
    columns: sql.Columns,
    first: int | None,
    after: str | None,
    status: JobStatus | None,
    with_total: bool,
) -> list[Page[sql.Row]]:
    args = page_args(first, after)
    found = await jobs.jobs_for_projects(project_ids, args, status, with_total, columns)
    return [found[i] for i in project_ids]


async def jobs_by_ids(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[sql.Row | None]:
    return await jobs.jobs_by_ids(ids, columns)


async def stages_for_jobs(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[list[sql.Row]]:
    """At most services.limits.MAX_JOB_STAGES stages per job."""
    return await jobs.stages_for_jobs(ids, columns)


async def jobs_for_storyboards(
    ctx: Context,
    storyboard_ids: list[uuid.UUID],
    *,
    columns: sql.Columns,
    first: int | None,
    after: str | None,
    status: JobStatus | None,
    with_total: bool,
) -> list[Page[sql.Row]]:
    args = page_args(first, after)
    found = await jobs.jobs_for_storyboards(storyboard_ids, args, status, with_total, columns)
    return [found[i] for i in storyboard_ids]


async def jobs_for_users(
    ctx: Context,
    user_ids: list[uuid.UUID],
    *,
    columns: sql.Columns,
    status: JobStatus | None,
    kind: str | None,
    first: int | None,
    after: str | None,
    with_total: bool,
) -> list[Page[sql.Row]]:
    args = page_args(first, after)
    found = await jobs.jobs_for_users(user_ids, args, status, kind, with_total, columns)
    return [found[i] for i in user_ids]


async def job_stats_for_users(
    ctx: Context,
    ids: list[uuid.UUID],
    *,
    columns: sql.Columns,
    since: datetime | None,
    kind: str | None,
) -> list[list[job_stats.JobKindStats]]:
    return await job_stats.stats_for("user", ids, since, kind)


async def job_stats_for_projects(
    ctx: Context,
    ids: list[uuid.UUID],
    *,
    columns: sql.Columns,
    since: datetime | None,
    kind: str | None,
) -> list[list[job_stats.JobKindStats]]:
    return await job_stats.stats_for("project", ids, since, kind)


async def events_for_jobs(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns, after_seq: int | None
) -> list[list[sql.Row]]:
    """At most services.limits.MAX_EVENTS events per job."""
    return await jobs.events_for_jobs(ids, after_seq or 0, columns)


async def generate_storyboard(
    ctx: Context,
    *,
    project_id: str,
    title: str,
    brief: str,
    reference_urls: list[str],
    scene_count: int | None,
    target_duration: int | None,
    idempotency_key: str | None,
) -> Job:
    principal = ctx.require("write")
    return await jobs.generate_storyboard(
        ctx.broker,
        principal.user_id,
        parse_id(project_id, "projectId"),
        title,
        brief,
        reference_urls,
        scene_count,
        target_duration,
        idempotency_key,
    )


async def create_job(
    ctx: Context,
    *,
    project_id: str,
    storyboard_id: str | None,
    kind: str,
    payload: Any,
    max_attempts: int | None,
    stages: list[str] | None,
    priority: int | None,
    idempotency_key: str | None,
) -> Job:
    principal = ctx.require("jobs")
    return await jobs.create_job(
        ctx.broker,
        principal.user_id,
        parse_id(project_id, "projectId"),
        parse_id(storyboard_id, "storyboardId") if storyboard_id is not None else None,
        kind,
        payload,
        3 if max_attempts is None else max_attempts,
        stages=stages,
        priority=0 if priority is None else priority,
        idempotency_key=idempotency_key,
    )


async def claim_job(ctx: Context, *, kinds: list[str], lease_seconds: int | None) -> Job | None:
    principal = ctx.require("jobs")
    lease = 60 if lease_seconds is None else lease_seconds
    return await jobs.claim_job(
        ctx.broker, principal.user_id, kinds, lease, holder=_holder(principal)
    )


def _holder(principal: Principal) -> str:
    return jobs.holder_of(principal.user_id, principal.api_key_id)


async def report_job_progress(
    ctx: Context,
    *,
    id: str,
    progress: int,
    stage: str | None,
    message: str | None,
    details: Any,
    attempt: int | None,
) -> Job:
    principal = ctx.require("jobs")
    return await jobs.report_progress(
        ctx.broker,
        principal.user_id,
        parse_id(id),
        progress,
        stage,
        message,
        details=details,
        attempt=attempt,
        holder=_holder(principal),
    )


async def complete_job(ctx: Context, *, id: str, result: Any, attempt: int | None) -> Job:
    principal = ctx.require("jobs")
    return await jobs.complete_job(
        ctx.broker,
        principal.user_id,
        parse_id(id),
        result,
        attempt=attempt,
        holder=_holder(principal),
    )


async def fail_job(
    ctx: Context, *, id: str, error: str, retry: bool | None, details: Any, attempt: int | None
) -> Job:
    principal = ctx.require("jobs")
    return await jobs.fail_job(
        ctx.broker,
        principal.user_id,
        parse_id(id),
        error,
        bool(retry),
        ctx.retry_policy,
        details=details,
        attempt=attempt,
        holder=_holder(principal),
    )


async def cancel_job(ctx: Context, *, id: str) -> Job:
    principal = ctx.require("write", "jobs")
    return await jobs.cancel_job(ctx.broker, principal.user_id, parse_id(id))


async def retry_job(ctx: Context, *, id: str) -> Job:
    principal = ctx.require("write", "jobs")
    return await jobs.retry_job(ctx.broker, principal.user_id, parse_id(id))


async def job_progress(
    ctx: Context, *, job_id: str, after_seq: int | None
) -> AsyncIterator[JobUpdate]:
    principal = ctx.require("read")
    async for update in job_stream.follow_job(
        ctx.broker, principal.user_id, parse_id(job_id, "jobId"), after_seq
    ):
        yield update


async def project_progress(ctx: Context, *, project_id: str) -> AsyncIterator[Progress]:
    principal = ctx.require("read")
    async for progress in job_stream.follow_project(
        ctx.broker, principal.user_id, parse_id(project_id, "projectId")
    ):
        yield progress


def job_stream_parts(
    ctx: Context, *, job_id: str
) -> tuple[
    tuple[object, ...],
    Callable[[int | None], AsyncIterator[JobUpdate]],
    Callable[[Callable[[], None]], AsyncIterator[JobUpdate]],
]:
    """`jobProgress` as a shareable stream (schema.fanout): its key (the job and whose it is),
    a subscriber's own head from a position, and the live tail every subscriber shares."""
    principal = ctx.require("read")
    owner_id, job, broker = principal.user_id, parse_id(job_id, "jobId"), ctx.broker

    def head(after_seq: int | None) -> AsyncIterator[JobUpdate]:
        return job_stream.job_head(owner_id, job, after_seq)

    def live(ready: Callable[[], None]) -> AsyncIterator[JobUpdate]:  # outlives this caller
        return job_stream.follow_job_live(broker, owner_id, job, ready=ready)

    return ("job", job, owner_id), head, live


def project_stream_parts(
    ctx: Context, *, project_id: str
) -> tuple[
    tuple[object, ...],
    Callable[[int | None], AsyncIterator[Progress]],
    Callable[[Callable[[], None]], AsyncIterator[Progress]],
]:
    """`projectProgress` as a shareable stream: the current value is each subscriber's head,
    the values after it are shared."""
    principal = ctx.require("read")
    owner_id, project, broker = principal.user_id, parse_id(project_id, "projectId"), ctx.broker

    def head(_position: int | None) -> AsyncIterator[Progress]:
        return job_stream.project_head(owner_id, project)

    def live(ready: Callable[[], None]) -> AsyncIterator[Progress]:  # outlives this caller
        return job_stream.follow_project(broker, owner_id, project, snapshot=False, ready=ready)

    return ("project", project, owner_id), head, live
