"""Tortoise models of the production graph; Tortoise discovers them from this package."""

from models.activity import ActivityEvent, ActorKind
from models.asset import Asset, AssetKind, AssetSource, AssetStatus, StoredObjectDeletion
from models.character import Character, CharacterImage, SceneCharacter
from models.idempotency import IdempotencyKey
from models.job import Job, JobEvent, JobStage, JobStatus, StageStatus
from models.keyframe import Keyframe, KeyframeImage
from models.project import Project, ProjectStatus
from models.revision import RevisionOrigin, StoryboardRevision
from models.scene import Scene, SceneTask, SceneType, TaskType
from models.storyboard import Storyboard, StoryboardStatus
from models.user import ApiKey, User
from models.webhook import DeliveryStatus, Webhook, WebhookCursor, WebhookDelivery

__all__ = [
    "ActivityEvent",
    "ActorKind",
    "ApiKey",
    "Asset",
    "AssetKind",
    "AssetSource",
    "AssetStatus",
    "Character",
    "CharacterImage",
    "DeliveryStatus",
    "IdempotencyKey",
    "Job",
    "JobEvent",
    "JobStage",
    "JobStatus",
    "Keyframe",
    "KeyframeImage",
    "Project",
    "ProjectStatus",
    "RevisionOrigin",
    "Scene",
    "SceneCharacter",
    "SceneTask",
    "SceneType",
    "StageStatus",
    "StoredObjectDeletion",
    "Storyboard",
    "StoryboardRevision",
    "StoryboardStatus",
    "TaskType",
    "User",
    "Webhook",
    "WebhookCursor",
    "WebhookDelivery",
]
