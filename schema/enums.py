"""GraphQL enums: the models' enums, registered once (strawberry.enum returns the same class)."""

import strawberry

from models import JobStatus, ProjectStatus, SceneType, StoryboardStatus, TaskType

for _enum in (ProjectStatus, StoryboardStatus, SceneType, TaskType, JobStatus):
    strawberry.enum(_enum)

__all__ = ["JobStatus", "ProjectStatus", "SceneType", "StoryboardStatus", "TaskType"]
