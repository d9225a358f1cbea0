"""`Scene` and `SceneTask`."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from models import Scene as SceneModel
from models import SceneTask as SceneTaskModel
from resolvers import characters, keyframes, scenes, storyboards
from schema.enums import SceneType, TaskType
from schema.relations import RowType, batched
from schema.types.asset import Asset
from schema.types.node import Node
from schema.types.progress import Progress
from services import sql

if TYPE_CHECKING:
    from schema.types.character import Character
    from schema.types.keyframe import Keyframe
    from schema.types.storyboard import Storyboard

StoryboardRef = Annotated["Storyboard", strawberry.lazy("schema.types.storyboard")]
CharacterRef = Annotated["Character", strawberry.lazy("schema.types.character")]
KeyframeRef = Annotated["Keyframe", strawberry.lazy("schema.types.keyframe")]


@strawberry.type
class Scene(RowType, Node):
    model = SceneModel
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
    row: strawberry.Private[sql.Row]

    @batched(reader=storyboards.storyboards_by_ids, shape="value", key="storyboard_id")
    def storyboard(self) -> StoryboardRef: ...

    @batched(
        reader=scenes.tasks_for_scenes,
        shape="list",
        description="One per TaskType, in TaskType order.",
    )
    def tasks(self) -> list["SceneTask"]: ...

    @batched(reader=scenes.progress_for_scenes, shape="value")
    def progress(self) -> Progress: ...

    @batched(
        reader=scenes.assets_for_scenes,
        shape="list",
        description="Media attached to this scene, oldest first (its keyframes' are theirs).",
    )
    def assets(self) -> list[Asset]: ...

    @batched(
        reader=keyframes.keyframes_for_scenes,
        shape="list",
        description="Ordered by sequence (at most 100).",
    )
    def keyframes(self) -> list[KeyframeRef]: ...

    @batched(
        reader=characters.characters_for_scenes,
        shape="list",
        description="The scene's cast, by name.",
    )
    def characters(self) -> list[CharacterRef]: ...


@strawberry.type
class SceneTask(RowType, Node):
    model = SceneTaskModel
    id: strawberry.ID
    task_type: TaskType
    completed: bool
    completed_at: datetime | None
    updated_at: datetime
    row: strawberry.Private[sql.Row]

    @batched(reader=scenes.scenes_by_ids, shape="value", key="scene_id")
    def scene(self) -> Scene: ...
