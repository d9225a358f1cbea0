"""`JobKindStats`, `StageStats`, `StatusCount`: pipeline metrics (services.job_stats)."""

import strawberry

from schema.enums import JobStatus
from schema.relations import ValueType
from schema.scalars import Long


@strawberry.type
class StatusCount(ValueType):
    status: JobStatus
    count: int


@strawberry.type
class StageStats(ValueType):
    name: str
    count: int = strawberry.field(description="Stages of this name that ended, and how.")
    succeeded: int
    failed: int
    skipped: int
    p50_ms: Long | None = strawberry.field(
        description="Over SUCCEEDED stages; null when there are none."
    )
    p95_ms: Long | None
    max_ms: Long | None


@strawberry.type
class JobKindStats(ValueType):
    kind: str
    total: int
    by_status: list[StatusCount]
    stages: list[StageStats] = strawberry.field(
        description="Per stage name, in the order of the kind's first plan (names it lacks "
        "follow by name; at most 100)."
    )
    p50_duration_ms: Long | None = strawberry.field(
        description="From startedAt to finishedAt of SUCCEEDED jobs."
    )
    p95_duration_ms: Long | None

    @classmethod
    def from_value(cls, value: object) -> "JobKindStats":
        # Nested values are service dataclasses too.
        made = super().from_value(value)
        made.by_status = [StatusCount.from_value(v) for v in made.by_status]
        made.stages = [StageStats.from_value(v) for v in made.stages]
        return made
