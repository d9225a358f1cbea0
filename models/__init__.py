"""Tortoise models of the production graph; Tortoise discovers them from this package."""

from models.asset import Asset, AssetKind, AssetSource, AssetStatus, StoredObjectDeletion
from models.idempotency import IdempotencyKey
from models.job import Job, JobEvent, JobStage, JobStatus, StageStatus
from models.project import Project, ProjectStatus
from models.scene import Scene, SceneTask, SceneType, TaskType
from models.storyboard import Storyboard, StoryboardStatus
from models.user import ApiKey, User

__all__ = [
    "ApiKey",
    "Asset",
    "AssetKind",
    "AssetSource",
    "AssetStatus",
    "IdempotencyKey",
    "Job",
    "JobEvent",
    "JobStage",
    "JobStatus",
    "Project",
    "ProjectStatus",
    "Scene",
    "SceneTask",
    "SceneType",
    "StageStatus",
    "StoredObjectDeletion",
    "Storyboard",
    "StoryboardStatus",
    "TaskType",
    "User",
]
