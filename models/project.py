"""Projects: the top of each user's production graph."""

from enum import StrEnum

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from models.fields import CheckedIntField, EnumField
from models.user import User


class ProjectStatus(StrEnum):
    DRAFT = "DRAFT"
    ACTIVE = "ACTIVE"
    COMPLETED = "COMPLETED"
    ARCHIVED = "ARCHIVED"


class Project(Model):
    id = fields.UUIDField(primary_key=True)
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="projects", on_delete=fields.CASCADE, db_index=True
    )
    title = fields.CharField(max_length=500)
    description = fields.TextField(null=True)
    status = EnumField(ProjectStatus, default=ProjectStatus.ACTIVE)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    # seq of the newest ActivityEvent; each change takes the next one with the row locked.
    activity_seq = CheckedIntField(minimum=0, default=0, db_default=0)
    # The status archiveProject replaced; unarchiveProject puts it back.
    archived_from = EnumField(ProjectStatus, null=True)

    owner_id: object

    class Meta:
        table = "projects"
        indexes = (
            Index(fields=("owner_id", "status")),
            Index(fields=("owner_id", "updated_at")),
            # ARCHIVE_AFTER_DAYS: COMPLETED projects, least recently changed first.
            Index(fields=("status", "updated_at")),
        )
