"""`Character`."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON

from models import Character as CharacterModel
from resolvers import characters, projects
from schema.relations import RowType, batched
from schema.types.asset import Asset
from schema.types.node import Node
from services import sql

if TYPE_CHECKING:
    from schema.types.project import Project
    from schema.types.scene import Scene

ProjectRef = Annotated["Project", strawberry.lazy("schema.types.project")]
SceneRef = Annotated["Scene", strawberry.lazy("schema.types.scene")]


@strawberry.type
class Character(RowType, Node):
    model = CharacterModel
    id: strawberry.ID
    name: str = strawberry.field(description="1..200 characters.")
    description: str = strawberry.field(description="0..5,000 characters.")
    consistency_key: str = strawberry.field(
        description="Unique within the project; generators use it to keep the character the "
        "same in every scene. Defaults to the name in lower case, each run of characters other "
        "than a-z and 0-9 turned into one '-', leading and trailing '-' removed. 1..100 "
        "characters of a-z 0-9 - _."
    )
    metadata: JSON | None
    created_at: datetime
    updated_at: datetime
    row: strawberry.Private[sql.Row]

    @batched(reader=projects.projects_by_ids, shape="value", key="project_id")
    def project(self) -> ProjectRef: ...

    @batched(
        reader=characters.images_for_characters,
        shape="value",
        description="The chosen reference image among its assets; null until one is chosen.",
    )
    def image(self) -> Asset | None: ...

    @batched(
        reader=characters.assets_for_characters,
        shape="list",
        description="Assets attached to the character, oldest first (at most 200).",
    )
    def assets(self) -> list[Asset]: ...

    @batched(
        reader=characters.scenes_for_characters,
        shape="list",
        description="Scenes whose cast includes it, by storyboard (oldest first) then "
        "sceneNumber (at most 1,000).",
    )
    def scenes(self) -> list[SceneRef]: ...
