"""GraphQL enums: the models' enums, registered once (strawberry.enum returns the same class)."""

import strawberry

from models import (
    ActorKind,
    AssetKind,
    AssetStatus,
    JobStatus,
    ProjectStatus,
    RevisionOrigin,
    SceneType,
    StageStatus,
    StoryboardStatus,
    TaskType,
)

for _enum in (
    ActorKind,
    ProjectStatus,
    RevisionOrigin,
    StoryboardStatus,
    SceneType,
    TaskType,
    JobStatus,
    AssetKind,
    AssetStatus,
    StageStatus,
):
    strawberry.enum(_enum)

__all__ = [
    "ActorKind",
    "AssetKind",
    "AssetStatus",
    "JobStatus",
    "ProjectStatus",
    "RevisionOrigin",
    "SceneType",
    "StageStatus",
    "StoryboardStatus",
    "TaskType",
]
