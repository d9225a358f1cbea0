"""Live streams for subscriptions: a job's events without gaps or repeats, a project's progress.

A job's stream follows the resume rules of services.seq_stream (subscribe before reading, drop by
seq, refill gaps from the stored events, re-read when the broker is quiet or says RESYNC).

Deleting what a stream follows ends it with NOT_FOUND: the deleting service publishes
`jobs.DELETED` after its commit, and a stream that re-reads the database finds the row gone.
"""

import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime

from models import Job, JobEvent, JobStatus, Project
from services import jobs, seq_stream
from services.broker import RESYNC, Broker, Message, Subscription
from services.errors import InvalidInput, NotFound
from services.limits import MAX_EVENTS
from services.progress import Progress, progress_for_projects, project_channel

QUIET_RECHECK_SECONDS = 10.0


@dataclass(frozen=True)
class JobUpdate:
    job_id: uuid.UUID
    seq: int
    status: JobStatus
    stage: str | None
    progress: int
    message: str | None
    at: datetime

    @classmethod
    def of_event(cls, event: JobEvent) -> "JobUpdate":
        return cls(
            event.job_id,  # type: ignore[arg-type]
            event.seq,
            event.status,
            event.stage,
            event.progress,
            event.message,
            event.at,
        )

    @classmethod
    def of_job(cls, job: Job) -> "JobUpdate":
        """The job's current state, as one event carrying its newest seq."""
        return cls(
            job.id, job.seq, job.status, job.stage, job.progress, job.message, job.updated_at
        )

    @classmethod
    def of_message(cls, message: Message) -> "JobUpdate":
        return cls(
            uuid.UUID(message["jobId"]),
            message["seq"],
            JobStatus(message["status"]),
            message["stage"],
            message["progress"],
            message["message"],
            datetime.fromisoformat(message["at"]),
        )


async def follow_job(
    broker: Broker,
    owner_id: uuid.UUID,
    job_id: uuid.UUID,
    after_seq: int | None,
    quiet_recheck: float = QUIET_RECHECK_SECONDS,
) -> AsyncIterator[JobUpdate]:
    """Snapshot (or stored events after `after_seq`), then live; ends after a terminal event."""
    async with broker.subscribe(jobs.job_channel(job_id)) as live:
        last = after_seq
        async for update in job_head(owner_id, job_id, after_seq):
            yield update
            last = update.seq
            if update.status.terminal:
                return
        assert last is not None  # without after_seq, the head is the job's state
        if last == after_seq:
            # Nothing stored after afterSeq: the client may already have the final event.
            job = await jobs.get_job(owner_id, job_id)
            if job is None:
                raise _job_deleted()
            if job.status.terminal and job.seq == last:
                return
        async for update in _live(live, owner_id, job_id, last, quiet_recheck):
            yield update


async def job_head(
    owner_id: uuid.UUID, job_id: uuid.UUID, after_seq: int | None
) -> AsyncIterator[JobUpdate]:
    """What a subscriber gets before the live tail: without `after_seq` the job's current state
    as one event, with it every stored event with seq > after_seq (none past a terminal one).
    Checked: the job exists and is the owner's; `after_seq` is not negative nor past the job."""
    if after_seq is not None and after_seq < 0:
        raise InvalidInput("`afterSeq` must be 0 or more.", field="afterSeq")
    job = await jobs.get_job(owner_id, job_id)
    if job is None:
        raise NotFound("No such job.", field="jobId")
    if after_seq is None:
        yield JobUpdate.of_job(job)
        return
    if after_seq > job.seq:
        raise InvalidInput(f"`afterSeq` is past the job's seq ({job.seq}).", field="afterSeq")
    async for update in seq_stream.stored_from(_source(owner_id, job_id), after_seq):
        yield update


def follow_job_live(
    broker: Broker,
    owner_id: uuid.UUID,
    job_id: uuid.UUID,
    quiet_recheck: float = QUIET_RECHECK_SECONDS,
    ready: Callable[[], None] | None = None,
) -> AsyncIterator[JobUpdate]:
    """Every event after the job's seq as read now (subscribed before the read): the live tail
    alone, with the same gap refill and deletion checks as `follow_job`."""

    async def position() -> int | None:
        job = await jobs.get_job(owner_id, job_id)
        if job is None:
            raise NotFound("No such job.", field="jobId")
        return None if job.status.terminal else job.seq

    return seq_stream.live_after(
        broker, jobs.job_channel(job_id), _source(owner_id, job_id), position, quiet_recheck, ready
    )


def _source(owner_id: uuid.UUID, job_id: uuid.UUID) -> seq_stream.Source[JobUpdate]:
    """The job's events, ending with its terminal one."""

    async def stored_after(last: int) -> list[JobUpdate]:
        return [JobUpdate.of_event(event) for event in await jobs.events_after(job_id, last)]

    async def exists() -> bool:
        return await jobs.get_job(owner_id, job_id) is not None

    return seq_stream.Source(
        stored_after=stored_after,
        page=MAX_EVENTS,
        from_message=JobUpdate.of_message,
        seq_of=lambda update: update.seq,
        is_last=lambda update: update.status.terminal,
        exists=exists,
        gone=_job_deleted,
    )


def _live(
    live: Subscription,
    owner_id: uuid.UUID,
    job_id: uuid.UUID,
    last: int,
    quiet_recheck: float,
) -> AsyncIterator[JobUpdate]:
    """Events after `last`, in order and gap-free, until a terminal one."""
    return seq_stream.tail(live, _source(owner_id, job_id), last, quiet_recheck)


def _job_deleted() -> NotFound:
    return NotFound("The job was deleted.", field="jobId")


async def follow_project(
    broker: Broker,
    owner_id: uuid.UUID,
    project_id: uuid.UUID,
    *,
    snapshot: bool = True,
    ready: Callable[[], None] | None = None,
) -> AsyncIterator[Progress]:
    """The project's progress now (unless `snapshot` is False: the live values alone), then a
    new value after every change to a task below it. `ready` is called once subscribed: a value
    read after it is never older than the next one this yields."""
    async with broker.subscribe(project_channel(project_id)) as live:
        if ready is not None:
            ready()
        if snapshot:
            async for progress in project_head(owner_id, project_id):
                yield progress
        elif not await Project.filter(id=project_id, owner_id=owner_id).exists():
            raise NotFound("No such project.", field="projectId")
        async for message in live:
            if message is RESYNC or message.get("resync"):
                if not await Project.filter(id=project_id, owner_id=owner_id).exists():
                    raise _project_deleted()
                (progress,) = await progress_for_projects([project_id])
            elif message.get("deleted"):
                raise _project_deleted()
            else:
                progress = Progress(message["totalTasks"], message["completedTasks"])
            yield progress


async def project_head(owner_id: uuid.UUID, project_id: uuid.UUID) -> AsyncIterator[Progress]:
    """The owner's project's progress now, as one value."""
    if not await Project.filter(id=project_id, owner_id=owner_id).exists():
        raise NotFound("No such project.", field="projectId")
    (progress,) = await progress_for_projects([project_id])
    yield progress


def _project_deleted() -> NotFound:
    return NotFound("The project was deleted.", field="projectId")
