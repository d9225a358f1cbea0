"""Characters of a project, the cast of each scene, and each character's chosen image."""

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from models.project import Project
from models.scene import Scene

if TYPE_CHECKING:
    from models.asset import Asset


class Character(Model):
    id = fields.UUIDField(primary_key=True)
    project: fields.ForeignKeyRelation[Project] = fields.ForeignKeyField(
        "models.Project", related_name="characters", on_delete=fields.CASCADE, db_index=True
    )
    name = fields.CharField(max_length=200)
    description = fields.TextField()
    # a-z 0-9 - _ (services.characters); unique in the project so generators can key on it.
    consistency_key = fields.CharField(max_length=100)
    metadata: Any = fields.JSONField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    project_id: object

    class Meta:
        table = "characters"
        unique_together = (("project_id", "consistency_key"),)
        indexes = (Index(fields=("project_id", "name")),)


class SceneCharacter(Model):
    """One member of a scene's cast."""

    id = fields.UUIDField(primary_key=True)
    scene: fields.ForeignKeyRelation[Scene] = fields.ForeignKeyField(
        "models.Scene", related_name="cast", on_delete=fields.CASCADE, db_index=True
    )
    character: fields.ForeignKeyRelation[Character] = fields.ForeignKeyField(
        "models.Character", related_name="castings", on_delete=fields.CASCADE, db_index=True
    )

    scene_id: object
    character_id: object

    class Meta:
        table = "scene_characters"
        unique_together = (("scene_id", "character_id"),)


class CharacterImage(Model):
    """The character's chosen reference image, one of its assets.

    A row of its own rather than a column of characters: assets reference characters, and a
    foreign key back from characters would be a cycle the schema cannot be created with.
    Deleting the asset or the character deletes the choice.
    """

    id = fields.UUIDField(primary_key=True)
    character: fields.OneToOneRelation[Character] = fields.OneToOneField(
        "models.Character", related_name="image_choice", on_delete=fields.CASCADE
    )
    asset: fields.OneToOneRelation["Asset"] = fields.OneToOneField(
        "models.Asset", related_name="character_choice", on_delete=fields.CASCADE
    )

    character_id: object
    asset_id: object

    class Meta:
        table = "character_images"
