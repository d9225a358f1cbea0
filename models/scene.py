"""Scenes of a storyboard and the production tasks of each scene."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.fields import CheckedIntField, EnumField
from models.storyboard import Storyboard


class SceneType(StrEnum):
    HOOK = "HOOK"
    CONTENT = "CONTENT"
    CTA = "CTA"
    TRANSITION = "TRANSITION"


class TaskType(StrEnum):
    """Declaration order is the order clients see a scene's tasks in."""

    SCRIPT_WRITTEN = "SCRIPT_WRITTEN"
    SCENE_FILMED = "SCENE_FILMED"
    AUDIO_RECORDED = "AUDIO_RECORDED"
    EDITED = "EDITED"


class Scene(Model):
    id = fields.UUIDField(primary_key=True)
    storyboard: fields.ForeignKeyRelation[Storyboard] = fields.ForeignKeyField(
        "models.Storyboard", related_name="scenes", on_delete=fields.CASCADE, db_index=True
    )
    # Renumbering parks rows on 0 and on very large values (services.scenes), so no bound here.
    scene_number = fields.IntField()
    duration = CheckedIntField(minimum=0, default=0)
    scene_type = EnumField(SceneType, default=SceneType.CONTENT)
    visual_description = fields.TextField()
    script = fields.TextField(null=True)
    text_overlay = fields.TextField(null=True)
    camera_angle = fields.CharField(max_length=200, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    storyboard_id: object

    class Meta:
        table = "scenes"
        unique_together = (("storyboard_id", "scene_number"),)


class SceneTask(Model):
    id = fields.UUIDField(primary_key=True)
    scene: fields.ForeignKeyRelation[Scene] = fields.ForeignKeyField(
        "models.Scene", related_name="tasks", on_delete=fields.CASCADE, db_index=True
    )
    task_type = EnumField(TaskType)
    completed = fields.BooleanField(default=False)
    completed_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    scene_id: object

    class Meta:
        table = "scene_tasks"
        unique_together = (("scene_id", "task_type"),)
