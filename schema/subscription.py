"""Root `Subscription`: live job and project progress and project activity over WebSocket.

Every stream is guarded (resolvers.streams): it ends with UNAUTHENTICATED when the credential
that opened it expires or is revoked. Over WebSocket, subscribers of the same stream with the
same selection and rights share its live tail (schema.fanout): one execution per event, and the
operation's task ends once its stream is handed to the feed (`parked.park`)."""

from collections.abc import AsyncGenerator, AsyncIterator, Callable
from typing import Any, TypeVar

import strawberry

from resolvers import activity, jobs, streams
from resolvers.context import Info
from schema import fanout, parked
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


async def _activities(payloads: AsyncIterator[dict[str, Any]]) -> AsyncIterator[ActivityEvent]:
    async for event in payloads:
        yield ActivityEvent.from_payload(event)


def _activity_seq(event: ActivityEvent) -> int:
    return event.seq


def _job_seq(event: JobEvent) -> int:
    return event.seq


def _job_ended(event: JobEvent) -> bool:
    return event.status.terminal


def _no_seq(_value: Progress) -> None:
    return None


def _never(_value: object) -> bool:
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
        if share is not None:
            parts = fanout.Parts(
                _mapped(head, _events), lambda ready: _events(live(ready)), _job_seq, _job_ended
            )
            await parked.park(share, parts, after_seq)
            return
        events = _events(jobs.job_progress(ctx, job_id=job_id, after_seq=after_seq))
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
        if share is not None:
            parts = fanout.Parts(
                _mapped(head, _values), lambda ready: _values(live(ready)), _no_seq, _never
            )
            await parked.park(share, parts)
            return
        values = _values(jobs.project_progress(ctx, project_id=project_id))
        async for value in streams.guarded(ctx, values):
            yield value

    @strawberry.subscription(
        description="Every change in the project as it commits. With afterSeq: first every "
        "stored event with seq > afterSeq, then live; none skipped or repeated."
    )
    async def project_activity(
        self, info: Info, project_id: strawberry.ID, after_seq: int | None = None
    ) -> AsyncGenerator[ActivityEvent, None]:
        ctx = info.context
        key, start, head, live = activity.activity_stream_parts(
            ctx, project_id=project_id, after_seq=after_seq
        )
        share = fanout.shareable(info, key)
        if share is not None:
            # Where this subscriber starts is read before it joins the feed (see
            # resolvers.activity.activity_stream_parts), so its head always has a position.
            parts = fanout.Parts(
                _mapped(head, _activities),
                lambda ready: _activities(live(ready)),
                _activity_seq,
                _never,
            )
            await parked.park(share, parts, await start())
            return
        events = _activities(
            activity.project_activity(ctx, project_id=project_id, after_seq=after_seq)
        )
        async for event in streams.guarded(ctx, events):
            yield event


def _mapped(
    head: Callable[[int | None], AsyncIterator[A]],
    convert: Callable[[AsyncIterator[A]], AsyncIterator[B]],
) -> Callable[[int | None], AsyncIterator[B]]:
    return lambda position: convert(head(position))
