"""GraphQL enums: the models' enums, registered once."""

import strawberry

from models import ProjectStatus, SceneType, StoryboardStatus, TaskType

ProjectStatusEnum = strawberry.enum(ProjectStatus, name="ProjectStatus")
StoryboardStatusEnum = strawberry.enum(StoryboardStatus, name="StoryboardStatus")
SceneTypeEnum = strawberry.enum(SceneType, name="SceneType")
TaskTypeEnum = strawberry.enum(TaskType, name="TaskType")
