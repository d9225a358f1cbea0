"""`Project`."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from models import Project as ProjectModel
from resolvers import activity, assets, characters, jobs, projects, users, webhooks
from resolvers import jobs as job_readers
from schema.connections import Connection
from schema.enums import AssetKind, AssetStatus, JobStatus, ProjectStatus, StoryboardStatus
from schema.relations import RowType, batched
from schema.types.activity import ActivityConnection
from schema.types.job_stats import JobKindStats
from schema.types.node import Node
from schema.types.progress import Progress
from services import sql

if TYPE_CHECKING:
    from schema.types.asset import Asset
    from schema.types.character import Character
    from schema.types.job import Job
    from schema.types.storyboard import Storyboard
    from schema.types.user import User
    from schema.types.webhook import Webhook

StoryboardRef = Annotated["Storyboard", strawberry.lazy("schema.types.storyboard")]
JobRef = Annotated["Job", strawberry.lazy("schema.types.job")]
AssetRef = Annotated["Asset", strawberry.lazy("schema.types.asset")]
UserRef = Annotated["User", strawberry.lazy("schema.types.user")]
CharacterRef = Annotated["Character", strawberry.lazy("schema.types.character")]
WebhookRef = Annotated["Webhook", strawberry.lazy("schema.types.webhook")]


@strawberry.type
class Project(RowType, Node):
    model = ProjectModel
    id: strawberry.ID
    title: str
    description: str | None
    status: ProjectStatus
    created_at: datetime
    updated_at: datetime
    row: strawberry.Private[sql.Row]

    @batched(reader=users.users_by_ids, shape="value", key="owner_id")
    def owner(self) -> UserRef: ...

    @batched(
        reader=projects.totals_for_projects,
        shape="value",
        part="storyboard_count",
        description="Number of storyboards in the project.",
    )
    def storyboard_count(self) -> int: ...

    @batched(reader=projects.totals_for_projects, shape="value", part="progress")
    def progress(self) -> Progress: ...

    @batched(
        reader=projects.storyboards_for_projects,
        shape="page",
        description="Newest first. `first` 1..100.",
    )
    def storyboards(
        self,
        first: int | None = 20,
        after: str | None = None,
        status: StoryboardStatus | None = None,
    ) -> Connection[StoryboardRef]: ...

    @batched(
        reader=jobs.jobs_for_projects, shape="page", description="Newest first. `first` 1..100."
    )
    def jobs(
        self,
        first: int | None = 20,
        after: str | None = None,
        status: JobStatus | None = None,
    ) -> Connection[JobRef]: ...

    @batched(
        reader=characters.characters_for_projects,
        shape="list",
        description="By name (at most 500).",
    )
    def characters(self) -> list[CharacterRef]: ...

    @batched(
        reader=assets.assets_for_projects,
        shape="page",
        description="Every asset of the project at any level, newest first. `first` 1..100.",
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
        reader=job_readers.job_stats_for_projects,
        shape="list",
        description="Per job kind, by kind (at most 100: narrow with `kind`): the project's jobs "
        "created since `since` (all when null).",
    )
    def job_stats(
        self, since: datetime | None = None, kind: str | None = None
    ) -> list[JobKindStats]: ...

    @batched(
        reader=activity.activity_for_projects,
        shape="page",
        description="Newest first; afterSeq: only events with a greater seq.",
    )
    def activity(
        self, first: int | None = 20, after: str | None = None, after_seq: int | None = None
    ) -> ActivityConnection: ...

    @batched(
        reader=webhooks.webhooks_for_projects,
        shape="list",
        description="Webhooks that receive this project's events, newest first: those for this "
        "project and those for every project of the owner (at most 20).",
    )
    def webhooks(self) -> list[WebhookRef]: ...
