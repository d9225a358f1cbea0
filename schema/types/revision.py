"""`StoryboardRevision`."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON

from models import StoryboardRevision as StoryboardRevisionModel
from resolvers import storyboards
from schema.enums import RevisionOrigin
from schema.relations import RowType, batched
from schema.types.node import Node
from services import sql

if TYPE_CHECKING:
    from schema.types.storyboard import Storyboard

StoryboardRef = Annotated["Storyboard", strawberry.lazy("schema.types.storyboard")]


@strawberry.type
class StoryboardRevision(RowType, Node):
    model = StoryboardRevisionModel
    id: strawberry.ID
    version: int = strawberry.field(description="1, 2, 3 … within the storyboard.")
    label: str | None = strawberry.field(description="0..200 characters.")
    origin: RevisionOrigin
    generation_model: str | None = strawberry.field(
        description="For GENERATION: the provider/model that wrote it (e.g. the built-in "
        "generator's name and version)."
    )
    word_count: int = strawberry.field(
        description="Words across every scene's script when the revision was taken."
    )
    scene_count: int
    total_duration: int
    snapshot: JSON = strawberry.field(
        description="The storyboard's title, brief, referenceUrls, patternSource and its scenes "
        "(each with keyframes and the ids of its cast) at that moment."
    )
    created_at: datetime
    row: strawberry.Private[sql.Row]

    @batched(reader=storyboards.storyboards_by_ids, shape="value", key="storyboard_id")
    def storyboard(self) -> StoryboardRef: ...
