"""`Storyboard`."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from models import Storyboard as StoryboardModel
from resolvers import assets, jobs, projects, revisions, storyboards
from schema.connections import Connection
from schema.enums import AssetKind, AssetStatus, JobStatus, StoryboardStatus
from schema.relations import RowType, batched
from schema.types.node import Node
from schema.types.progress import Progress
from services import sql

if TYPE_CHECKING:
    from schema.types.asset import Asset
    from schema.types.job import Job
    from schema.types.project import Project
    from schema.types.revision import StoryboardRevision
    from schema.types.scene import Scene

ProjectRef = Annotated["Project", strawberry.lazy("schema.types.project")]
SceneRef = Annotated["Scene", strawberry.lazy("schema.types.scene")]
RevisionRef = Annotated["StoryboardRevision", strawberry.lazy("schema.types.revision")]
AssetRef = Annotated["Asset", strawberry.lazy("schema.types.asset")]
JobRef = Annotated["Job", strawberry.lazy("schema.types.job")]


@strawberry.type
class Storyboard(RowType, Node):
    model = StoryboardModel
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
    version: int = strawberry.field(
        description="The newest revision's version; 0 before the first."
    )
    created_at: datetime
    updated_at: datetime
    row: strawberry.Private[sql.Row]

    @batched(reader=projects.projects_by_ids, shape="value", key="project_id")
    def project(self) -> ProjectRef: ...

    @batched(
        reader=storyboards.scenes_for_storyboards,
        shape="list",
        description="Ordered by sceneNumber.",
    )
    def scenes(self) -> list[SceneRef]: ...

    @batched(reader=storyboards.progress_for_storyboards, shape="value")
    def progress(self) -> Progress: ...

    @batched(
        reader=revisions.revisions_for_storyboards,
        shape="page",
        description="Newest first. `first` 1..100.",
    )
    def revisions(
        self, first: int | None = 20, after: str | None = None
    ) -> Connection[RevisionRef]: ...

    @batched(
        reader=assets.assets_for_storyboards,
        shape="page",
        description="Every asset of the storyboard, its scenes and their keyframes, newest "
        "first. `first` 1..100.",
    )
    def assets(
        self,
        kind: AssetKind | None = None,
        role: str | None = None,
        status: AssetStatus | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> Connection[AssetRef]: ...

    @batched(
        reader=jobs.jobs_for_storyboards,
        shape="page",
        description="Newest first. `first` 1..100.",
    )
    def jobs(
        self,
        first: int | None = 20,
        after: str | None = None,
        status: JobStatus | None = None,
    ) -> Connection[JobRef]: ...
