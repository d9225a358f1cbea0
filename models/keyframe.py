"""Keyframes: ordered frames within a scene, each with its chosen image."""

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from models.fields import CheckedFloatField
from models.scene import Scene

if TYPE_CHECKING:
    from models.asset import Asset

MAX_TIMING_SECONDS = 86_400


class Keyframe(Model):
    id = fields.UUIDField(primary_key=True)
    scene: fields.ForeignKeyRelation[Scene] = fields.ForeignKeyField(
        "models.Scene", related_name="keyframes", on_delete=fields.CASCADE, db_index=True
    )
    # Renumbering parks rows on 0 and on very large values (services.keyframes), so no bound.
    sequence = fields.IntField()
    description = fields.TextField()
    timing_seconds = CheckedFloatField(minimum=0, maximum=MAX_TIMING_SECONDS, default=0)
    metadata: Any = fields.JSONField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    scene_id: object

    class Meta:
        table = "keyframes"
        unique_together = (("scene_id", "sequence"),)


class KeyframeImage(Model):
    """The keyframe's chosen image, one of its assets (a row of its own: see CharacterImage)."""

    id = fields.UUIDField(primary_key=True)
    keyframe: fields.OneToOneRelation[Keyframe] = fields.OneToOneField(
        "models.Keyframe", related_name="image_choice", on_delete=fields.CASCADE
    )
    asset: fields.OneToOneRelation["Asset"] = fields.OneToOneField(
        "models.Asset", related_name="keyframe_choice", on_delete=fields.CASCADE
    )

    keyframe_id: object
    asset_id: object

    class Meta:
        table = "keyframe_images"
