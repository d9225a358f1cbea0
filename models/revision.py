"""Storyboard revisions: numbered snapshots of a storyboard's fields and scenes."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.fields import CheckedIntField, EnumField
from models.storyboard import Storyboard


class RevisionOrigin(StrEnum):
    USER = "USER"
    GENERATION = "GENERATION"
    RESTORE = "RESTORE"


class StoryboardRevision(Model):
    id = fields.UUIDField(primary_key=True)
    storyboard: fields.ForeignKeyRelation[Storyboard] = fields.ForeignKeyField(
        "models.Storyboard", related_name="revisions", on_delete=fields.CASCADE, db_index=True
    )
    version = CheckedIntField(minimum=1)
    label = fields.CharField(max_length=200, null=True)
    origin = EnumField(RevisionOrigin)
    generation_model = fields.CharField(max_length=200, null=True)
    word_count = CheckedIntField(minimum=0)
    scene_count = CheckedIntField(minimum=0)
    total_duration = CheckedIntField(minimum=0)
    snapshot: dict[str, object] = fields.JSONField()
    # services.revisions makes it grow with `version` within a storyboard: the keyset of
    # `Storyboard.revisions` (created_at, id) is then version order.
    created_at = fields.DatetimeField()

    storyboard_id: object

    class Meta:
        table = "storyboard_revisions"
        unique_together = (("storyboard_id", "version"),)
