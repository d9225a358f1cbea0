"""Storyboards: an ordered plan of scenes inside a project."""

from enum import StrEnum

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from models.fields import CheckedIntField, EnumField
from models.project import Project


class StoryboardStatus(StrEnum):
    GENERATING = "GENERATING"
    COMPLETED = "COMPLETED"
    ERROR = "ERROR"


class Storyboard(Model):
    id = fields.UUIDField(primary_key=True)
    project: fields.ForeignKeyRelation[Project] = fields.ForeignKeyField(
        "models.Project", related_name="storyboards", on_delete=fields.CASCADE, db_index=True
    )
    title = fields.CharField(max_length=500)
    brief = fields.TextField()
    reference_urls: list[str] = fields.JSONField(default=list)
    # Denormalised for cheap reads; every scene mutation recomputes both from the scenes table.
    total_scenes = CheckedIntField(minimum=0, default=0)
    total_duration = CheckedIntField(minimum=0, default=0)
    pattern_source = fields.CharField(max_length=500, null=True)
    status = EnumField(StoryboardStatus, default=StoryboardStatus.COMPLETED)
    generated_at = fields.DatetimeField(null=True)
    # The newest revision's version (0 before the first); services.revisions moves it in the
    # transaction that writes the revision, under the storyboard's lock.
    version = CheckedIntField(minimum=0, default=0, db_default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    project_id: object

    class Meta:
        table = "storyboards"
        indexes = (Index(fields=("project_id", "created_at")),)
