"""Root `Subscription`: live job and project progress and project activity over WebSocket.

Every stream is guarded (resolvers.streams): it ends with UNAUTHENTICATED when the credential
that opened it expires or is revoked. Over WebSocket, subscribers of the same stream with the
same selection and rights share its live tail (schema.fanout): one execution per event."""

from collections.abc import AsyncGenerator, AsyncIterator, Callable
from typing import TypeVar

import strawberry

from resolvers import activity, jobs, streams
from resolvers.context import Info
from schema import fanout
from schema.types.activity import ActivityEvent
from schema.types.job import JobEvent
from schema.types.progress import Progress
from services.job_stream import JobUpdate
from services.progress import Progress as ProgressValue

A = TypeVar("A")
B = TypeVar("B")


async def _events(updates: AsyncIterator[JobUpdate]) -> AsyncIterator[JobEvent]:
    async for update in updates:
        yield JobEvent.from_update(update)


async def _values(values: AsyncIterator[ProgressValue]) -> AsyncIterator[Progress]:
    async for value in values:
        yield Progress.from_value(value)


def _job_seq(event: JobEvent) -> int:
    return event.seq


def _job_ended(event: JobEvent) -> bool:
    return event.status.terminal


def _no_seq(_value: Progress) -> None:
    return None


def _never(_value: Progress) -> bool:
    return False


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Without afterSeq: first the job's current state as one event, then every "
        "new event live. With afterSeq: every stored event with seq > afterSeq, then live; no "
        "event is skipped or repeated. The stream completes after the event that puts the job "
        "in SUCCEEDED, FAILED or CANCELLED."
    )
    async def job_progress(
        self, info: Info, job_id: strawberry.ID, after_seq: int | None = None
    ) -> AsyncGenerator[JobEvent, None]:
        ctx = info.context
        key, head, live = jobs.job_stream_parts(ctx, job_id=job_id)
        share = fanout.shareable(info, key)
        events: AsyncIterator[JobEvent]
        if share is None:
            events = _events(jobs.job_progress(ctx, job_id=job_id, after_seq=after_seq))
        else:
            events = fanout.follow(
                share,
                _mapped(head, _events),
                lambda: _events(live()),
                _job_seq,
                _job_ended,
                after_seq,
            )
        async for event in streams.guarded(ctx, events):
            yield event

    @strawberry.subscription(
        description="The current progress first, then a new value whenever a task below the "
        "project changes."
    )
    async def project_progress(
        self, info: Info, project_id: strawberry.ID
    ) -> AsyncGenerator[Progress, None]:
        ctx = info.context
        key, head, live = jobs.project_stream_parts(ctx, project_id=project_id)
        share = fanout.shareable(info, key)
        values: AsyncIterator[Progress]
        if share is None:
            values = _values(jobs.project_progress(ctx, project_id=project_id))
        else:
            values = fanout.follow(
                share, _mapped(head, _values), lambda: _values(live()), _no_seq, _never
            )
        async for value in streams.guarded(ctx, values):
            yield value

    @strawberry.subscription(
        description="Every change in the project as it commits. With afterSeq: first every "
        "stored event with seq > afterSeq, then live; none skipped or repeated."
    )
    async def project_activity(
        self, info: Info, project_id: strawberry.ID, after_seq: int | None = None
    ) -> AsyncGenerator[ActivityEvent, None]:
        events = activity.project_activity(info.context, project_id=project_id, after_seq=after_seq)
        async for event in streams.guarded(info.context, events):
            yield ActivityEvent.from_payload(event)


def _mapped(
    head: Callable[[int | None], AsyncIterator[A]],
    convert: Callable[[AsyncIterator[A]], AsyncIterator[B]],
) -> Callable[[int | None], AsyncIterator[B]]:
    return lambda position: convert(head(position))
