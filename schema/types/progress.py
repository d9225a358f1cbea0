"""`Progress`: task completion aggregated below an object."""

import strawberry

from services import progress


@strawberry.type(
    description="Task completion aggregated over every scene task below an object. "
    "ratio is 0.0 when there are no tasks."
)
class Progress:
    total_tasks: int
    completed_tasks: int
    ratio: float

    @classmethod
    def from_model(cls, value: progress.Progress) -> "Progress":
        return cls(
            total_tasks=value.total_tasks, completed_tasks=value.completed_tasks, ratio=value.ratio
        )
