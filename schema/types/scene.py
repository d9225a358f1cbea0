"""`Scene` and `SceneTask`."""

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from models import Scene as SceneModel
from models import SceneTask as SceneTaskModel
from resolvers import assets, scenes, storyboards
from resolvers.context import Info
from schema.enums import SceneType, TaskType
from schema.permissions import relation
from schema.types.asset import Asset
from schema.types.progress import Progress

if TYPE_CHECKING:
    from schema.types.storyboard import Storyboard

StoryboardRef = Annotated["Storyboard", strawberry.lazy("schema.types.storyboard")]


@strawberry.type
class Scene:
    id: strawberry.ID
    scene_number: int = strawberry.field(description="1..n within the storyboard, without gaps.")
    duration: int = strawberry.field(description="Seconds, >= 0.")
    scene_type: SceneType
    visual_description: str
    script: str | None
    text_overlay: str | None
    camera_angle: str | None
    created_at: datetime
    updated_at: datetime
    pk: strawberry.Private[uuid.UUID]
    storyboard_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_model(cls, m: SceneModel) -> "Scene":
        return cls(
            id=strawberry.ID(str(m.id)),
            scene_number=m.scene_number,
            duration=m.duration,
            scene_type=m.scene_type,
            visual_description=m.visual_description,
            script=m.script,
            text_overlay=m.text_overlay,
            camera_angle=m.camera_angle,
            created_at=m.created_at,
            updated_at=m.updated_at,
            pk=m.id,
            storyboard_id=m.storyboard_id,  # type: ignore[arg-type]
        )

    @relation
    async def storyboard(self, info: Info) -> StoryboardRef:
        from schema.types.storyboard import Storyboard

        found = await storyboards.storyboard_of(info.context, storyboard_id=self.storyboard_id)
        return Storyboard.from_model(found)

    @relation(description="One per TaskType, in TaskType order.")
    async def tasks(self, info: Info) -> list["SceneTask"]:
        return [SceneTask.from_model(t) for t in await scenes.tasks(info.context, scene_id=self.pk)]

    @relation
    async def progress(self, info: Info) -> Progress:
        return Progress.from_model(await scenes.progress(info.context, scene_id=self.pk))

    @relation(description="Media attached to this scene, oldest first.")
    async def assets(self, info: Info) -> list[Asset]:
        found = await assets.assets_of_scene(info.context, scene_id=self.pk)
        return [Asset.from_model(a) for a in found]


@strawberry.type
class SceneTask:
    id: strawberry.ID
    task_type: TaskType
    completed: bool
    completed_at: datetime | None
    updated_at: datetime
    scene_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_model(cls, m: SceneTaskModel) -> "SceneTask":
        return cls(
            id=strawberry.ID(str(m.id)),
            task_type=m.task_type,
            completed=m.completed,
            completed_at=m.completed_at,
            updated_at=m.updated_at,
            scene_id=m.scene_id,  # type: ignore[arg-type]
        )

    @relation
    async def scene(self, info: Info) -> Scene:
        return Scene.from_model(await scenes.scene_of(info.context, scene_id=self.scene_id))
