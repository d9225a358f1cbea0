"""`Job` and `JobEvent`."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON

from models import Job as JobModel
from models import JobEvent as JobEventModel
from models import JobStage as JobStageModel
from resolvers import assets, jobs, projects, storyboards
from schema.enums import JobStatus, StageStatus
from schema.relations import RowType, batched
from schema.scalars import Long
from schema.types.node import Node
from services import sql
from services.job_stream import JobUpdate

if TYPE_CHECKING:
    from schema.types.asset import Asset
    from schema.types.project import Project
    from schema.types.storyboard import Storyboard

ProjectRef = Annotated["Project", strawberry.lazy("schema.types.project")]
StoryboardRef = Annotated["Storyboard", strawberry.lazy("schema.types.storyboard")]
AssetRef = Annotated["Asset", strawberry.lazy("schema.types.asset")]


@strawberry.type
class JobStage(RowType):
    model = JobStageModel
    name: str
    status: StageStatus
    started_at: datetime | None
    finished_at: datetime | None
    duration_ms: Long | None = strawberry.field(
        description="finishedAt - startedAt in milliseconds; null until the stage ends."
    )
    error: str | None
    details: JSON | None = strawberry.field(
        description="What the worker reported with the stage (reportJobProgress/failJob "
        "details), last value wins."
    )
    row: strawberry.Private[sql.Row]


@strawberry.type
class JobEvent(RowType):
    model = JobEventModel
    job_id: strawberry.ID
    seq: int
    status: JobStatus
    stage: str | None
    progress: int
    message: str | None
    at: datetime
    row: strawberry.Private[sql.Row]

    @classmethod
    def from_update(cls, u: JobUpdate) -> "JobEvent":
        return cls.from_row(
            {
                "job_id": u.job_id,
                "seq": u.seq,
                "status": u.status,
                "stage": u.stage,
                "progress": u.progress,
                "message": u.message,
                "at": u.at,
            }
        )


@strawberry.type
class Job(RowType, Node):
    model = JobModel
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
    error_details: JSON | None = strawberry.field(
        description="The details failJob gave with the error."
    )
    priority: int = strawberry.field(
        description="-100..100; claimJob takes the highest priority first, then the oldest."
    )
    idempotency_key: str | None
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
    project_id: strawberry.ID = strawberry.field(
        description="The job's project: readable with the `jobs` scope alone, unlike `project`."
    )
    storyboard_id: strawberry.ID | None
    row: strawberry.Private[sql.Row]

    @batched(reader=projects.projects_by_ids, shape="value", key="project_id")
    def project(self) -> ProjectRef: ...

    @batched(reader=storyboards.storyboards_by_ids, shape="value", key="storyboard_id")
    def storyboard(self) -> StoryboardRef | None: ...

    @batched(
        reader=jobs.events_for_jobs,
        shape="list",
        description="Stored events with seq > afterSeq, oldest first: at most 1,000 at once; "
        "read on with afterSeq = the last seq received.",
    )
    def events(self, after_seq: int | None = 0) -> list[JobEvent]: ...

    @batched(
        reader=jobs.stages_for_jobs,
        shape="list",
        description="The declared plan, in order (createJob's stages, or the built-in kind's "
        "own); a job without a plan lists the stages it reported, in the order reported. At "
        "most 50.",
    )
    def stages(self) -> list[JobStage]: ...

    @batched(
        reader=assets.assets_for_jobs,
        shape="list",
        description="Assets produced by the job (jobId given at upload), by role then "
        "orderIndex then age. At most 1,000.",
    )
    def assets(self) -> list[AssetRef]: ...
