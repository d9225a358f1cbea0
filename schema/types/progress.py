"""`Progress`: task completion aggregated below an object."""

import strawberry

from schema.relations import ValueType


@strawberry.type(
    description="Task completion aggregated over every scene task below an object. "
    "ratio is 0.0 when there are no tasks."
)
class Progress(ValueType):
    total_tasks: int
    completed_tasks: int
    ratio: float
