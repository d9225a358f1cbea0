"""`Storyboard`."""

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from models import Storyboard as StoryboardModel
from resolvers import projects, storyboards
from resolvers.context import Info
from schema.enums import StoryboardStatus
from schema.permissions import relation
from schema.types.progress import Progress

if TYPE_CHECKING:
    from schema.types.project import Project
    from schema.types.scene import Scene

ProjectRef = Annotated["Project", strawberry.lazy("schema.types.project")]
SceneRef = Annotated["Scene", strawberry.lazy("schema.types.scene")]


@strawberry.type
class Storyboard:
    id: strawberry.ID
    title: str
    brief: str
    reference_urls: list[str]
    total_scenes: int = strawberry.field(description="Always equals the number of scenes.")
    total_duration: int = strawberry.field(
        description="Seconds; always the sum of scene durations."
    )
    pattern_source: str | None
    status: StoryboardStatus
    generated_at: datetime | None
    created_at: datetime
    updated_at: datetime
    pk: strawberry.Private[uuid.UUID]
    project_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_model(cls, m: StoryboardModel) -> "Storyboard":
        return cls(
            id=strawberry.ID(str(m.id)),
            title=m.title,
            brief=m.brief,
            reference_urls=m.reference_urls,
            total_scenes=m.total_scenes,
            total_duration=m.total_duration,
            pattern_source=m.pattern_source,
            status=m.status,
            generated_at=m.generated_at,
            created_at=m.created_at,
            updated_at=m.updated_at,
            pk=m.id,
            project_id=m.project_id,  # type: ignore[arg-type]
        )

    @relation
    async def project(self, info: Info) -> ProjectRef:
        from schema.types.project import Project

        return Project.from_model(
            await projects.project_of(info.context, project_id=self.project_id)
        )

    @relation(description="Ordered by sceneNumber.")
    async def scenes(self, info: Info) -> list[SceneRef]:
        from schema.types.scene import Scene

        found = await storyboards.scenes(info.context, storyboard_id=self.pk)
        return [Scene.from_model(s) for s in found]

    @relation
    async def progress(self, info: Info) -> Progress:
        return Progress.from_model(await storyboards.progress(info.context, storyboard_id=self.pk))
