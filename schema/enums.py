"""GraphQL enums: the models' enums, registered once (strawberry.enum returns the same class)."""

import strawberry

from models import ProjectStatus, SceneType, StoryboardStatus, TaskType

for _enum in (ProjectStatus, StoryboardStatus, SceneType, TaskType):
    strawberry.enum(_enum)

__all__ = ["ProjectStatus", "SceneType", "StoryboardStatus", "TaskType"]
