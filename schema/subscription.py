"""Root `Subscription`: live job and project progress and project activity over WebSocket.

Every stream is guarded (resolvers.streams): it ends with UNAUTHENTICATED when the credential
that opened it expires or is revoked."""

from collections.abc import AsyncGenerator

import strawberry

from resolvers import activity, jobs, streams
from resolvers.context import Info
from schema.types.activity import ActivityEvent
from schema.types.job import JobEvent
from schema.types.progress import Progress


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
        updates = jobs.job_progress(info.context, job_id=job_id, after_seq=after_seq)
        async for update in streams.guarded(info.context, updates):
            yield JobEvent.from_update(update)

    @strawberry.subscription(
        description="The current progress first, then a new value whenever a task below the "
        "project changes."
    )
    async def project_progress(
        self, info: Info, project_id: strawberry.ID
    ) -> AsyncGenerator[Progress, None]:
        values = jobs.project_progress(info.context, project_id=project_id)
        async for value in streams.guarded(info.context, values):
            yield Progress.from_value(value)

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
