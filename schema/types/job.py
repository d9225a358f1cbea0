"""`Job` and `JobEvent`."""

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON

from models import Job as JobModel
from models import JobEvent as JobEventModel
from resolvers import jobs, projects, storyboards
from resolvers.context import Info
from schema.enums import JobStatus
from schema.permissions import relation
from services.job_stream import JobUpdate

if TYPE_CHECKING:
    from schema.types.project import Project
    from schema.types.storyboard import Storyboard

ProjectRef = Annotated["Project", strawberry.lazy("schema.types.project")]
StoryboardRef = Annotated["Storyboard", strawberry.lazy("schema.types.storyboard")]


@strawberry.type
class JobEvent:
    job_id: strawberry.ID
    seq: int
    status: JobStatus
    stage: str | None
    progress: int
    message: str | None
    at: datetime

    @classmethod
    def from_model(cls, m: JobEventModel) -> "JobEvent":
        return cls.from_update(JobUpdate.of_event(m))

    @classmethod
    def from_update(cls, u: JobUpdate) -> "JobEvent":
        return cls(
            job_id=strawberry.ID(str(u.job_id)),
            seq=u.seq,
            status=u.status,
            stage=u.stage,
            progress=u.progress,
            message=u.message,
            at=u.at,
        )


@strawberry.type
class Job:
    id: strawberry.ID
    kind: str = strawberry.field(
        description="e.g. generate_storyboard (run by the built-in worker) or any "
        "partner-defined kind such as render."
    )
    status: JobStatus
    stage: str | None
    progress: int = strawberry.field(description="0..100, never decreasing.")
    message: str | None
    error: str | None
    attempts: int
    max_attempts: int
    seq: int = strawberry.field(
        description="Sequence number of the newest event; increases by one with every event "
        "of this job."
    )
    payload: JSON | None
    result: JSON | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    pk: strawberry.Private[uuid.UUID]
    project_id: strawberry.ID = strawberry.field(
        description="The job's project: readable with the `jobs` scope alone, unlike `project`."
    )
    storyboard_id: strawberry.ID | None
    project_pk: strawberry.Private[uuid.UUID]
    storyboard_pk: strawberry.Private[uuid.UUID | None]

    @classmethod
    def from_model(cls, m: JobModel) -> "Job":
        return cls(
            id=strawberry.ID(str(m.id)),
            kind=m.kind,
            status=m.status,
            stage=m.stage,
            progress=m.progress,
            message=m.message,
            error=m.error,
            attempts=m.attempts,
            max_attempts=m.max_attempts,
            seq=m.seq,
            payload=m.payload,
            result=m.result,
            created_at=m.created_at,
            started_at=m.started_at,
            finished_at=m.finished_at,
            pk=m.id,
            project_id=strawberry.ID(str(m.project_id)),
            storyboard_id=strawberry.ID(str(m.storyboard_id)) if m.storyboard_id else None,
            project_pk=m.project_id,  # type: ignore[arg-type]
            storyboard_pk=m.storyboard_id,  # type: ignore[arg-type]
        )

    @relation
    async def project(self, info: Info) -> ProjectRef:
        from schema.types.project import Project

        found = await projects.project_of(info.context, project_id=self.project_pk)
        return Project.from_model(found)

    @relation
    async def storyboard(self, info: Info) -> StoryboardRef | None:
        from schema.types.storyboard import Storyboard

        if self.storyboard_pk is None:
            return None
        found = await storyboards.storyboard_of(info.context, storyboard_id=self.storyboard_pk)
        return Storyboard.from_model(found)

    @relation(
        description="Stored events with seq > afterSeq, oldest first: at most 1,000 at once; "
        "read on with afterSeq = the last seq received."
    )
    async def events(self, info: Info, after_seq: int | None = 0) -> list[JobEvent]:
        found = await jobs.events(info.context, job_id=self.pk, after_seq=after_seq)
        return [JobEvent.from_model(e) for e in found]
