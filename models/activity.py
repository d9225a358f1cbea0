"""A project's activity: an append-only, gap-free sequence of what changed, who changed it.

`seq` is 1..n within the project in commit order: the writer takes it from the project row's
`activity_seq` counter, locked in the transaction that made the change (as a job's events take
theirs from the job row).
"""

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from models.fields import CheckedIntField, EnumField
from models.project import Project


class ActorKind(StrEnum):
    USER = "USER"
    API_KEY = "API_KEY"
    WORKER = "WORKER"


class ActivityEvent(Model):
    id = fields.UUIDField(primary_key=True)
    project: fields.ForeignKeyRelation[Project] = fields.ForeignKeyField(
        "models.Project", related_name="activity", on_delete=fields.CASCADE, db_index=False
    )
    seq = CheckedIntField(minimum=1)
    at = fields.DatetimeField()
    # entity.verb, e.g. scene.moved, job.succeeded.
    action = fields.CharField(max_length=64)
    # The GraphQL type name of the entity: Project, Scene, SceneTask, ...
    entity_type = fields.CharField(max_length=32)
    entity_id = fields.UUIDField()
    changes: Any = fields.JSONField(null=True)
    actor_kind = EnumField(ActorKind)
    # Plain ids, not foreign keys: the trail outlives the key or job that acted.
    actor_user_id = fields.UUIDField(null=True)
    actor_api_key_id = fields.UUIDField(null=True)
    actor_job_id = fields.UUIDField(null=True)

    project_id: object

    class Meta:
        table = "activity_events"
        unique_together = (("project_id", "seq"),)
        indexes = (Index(fields=("at",)),)
