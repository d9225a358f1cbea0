"""`Keyframe`."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON

from models import Keyframe as KeyframeModel
from resolvers import keyframes, scenes
from schema.relations import RowType, batched
from schema.types.asset import Asset
from schema.types.node import Node
from services import sql

if TYPE_CHECKING:
    from schema.types.scene import Scene

SceneRef = Annotated["Scene", strawberry.lazy("schema.types.scene")]


@strawberry.type
class Keyframe(RowType, Node):
    model = KeyframeModel
    id: strawberry.ID
    sequence: int = strawberry.field(
        description="1..n within the scene, without gaps after any add, move or delete."
    )
    description: str = strawberry.field(description="1..5,000 characters.")
    timing_seconds: float = strawberry.field(
        description="Seconds from the start of the scene, 0..86400."
    )
    metadata: JSON | None
    created_at: datetime
    updated_at: datetime
    row: strawberry.Private[sql.Row]

    @batched(reader=scenes.scenes_by_ids, shape="value", key="scene_id")
    def scene(self) -> SceneRef: ...

    @batched(
        reader=keyframes.images_for_keyframes,
        shape="value",
        description="The chosen image among its assets; null until one is chosen.",
    )
    def image(self) -> Asset | None: ...

    @batched(
        reader=keyframes.assets_for_keyframes,
        shape="list",
        description="Assets attached to the keyframe (image variations), oldest first "
        "(at most 20).",
    )
    def assets(self) -> list[Asset]: ...
