"""`Project`."""

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from models import Project as ProjectModel
from resolvers import jobs, projects, users
from resolvers.context import Info
from schema.connections import Connection, to_connection, wants_total
from schema.enums import JobStatus, ProjectStatus, StoryboardStatus
from schema.permissions import relation
from schema.types.progress import Progress

if TYPE_CHECKING:
    from schema.types.job import Job
    from schema.types.storyboard import Storyboard
    from schema.types.user import User

StoryboardRef = Annotated["Storyboard", strawberry.lazy("schema.types.storyboard")]
JobRef = Annotated["Job", strawberry.lazy("schema.types.job")]
UserRef = Annotated["User", strawberry.lazy("schema.types.user")]


@strawberry.type
class Project:
    id: strawberry.ID
    title: str
    description: str | None
    status: ProjectStatus
    created_at: datetime
    updated_at: datetime
    pk: strawberry.Private[uuid.UUID]
    owner_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_model(cls, m: ProjectModel) -> "Project":
        return cls(
            id=strawberry.ID(str(m.id)),
            title=m.title,
            description=m.description,
            status=m.status,
            created_at=m.created_at,
            updated_at=m.updated_at,
            pk=m.id,
            owner_id=m.owner_id,  # type: ignore[arg-type]
        )

    @relation
    async def owner(self, info: Info) -> UserRef:
        from schema.types.user import User

        return User.from_model(await users.user(info.context, user_id=self.owner_id))

    @relation(description="Number of storyboards in the project.")
    async def storyboard_count(self, info: Info) -> int:
        return await projects.storyboard_count(info.context, project_id=self.pk)

    @relation
    async def progress(self, info: Info) -> Progress:
        return Progress.from_model(await projects.progress(info.context, project_id=self.pk))

    @relation(description="Newest first. `first` 1..100.")
    async def storyboards(
        self,
        info: Info,
        first: int | None = 20,
        after: str | None = None,
        status: StoryboardStatus | None = None,
    ) -> Connection[StoryboardRef]:
        from schema.types.storyboard import Storyboard

        page = await projects.storyboards(
            info.context,
            project_id=self.pk,
            first=first,
            after=after,
            status=status,
            with_total=wants_total(info),
        )
        return to_connection(page, Storyboard.from_model)

    @relation(description="Newest first. `first` 1..100.")
    async def jobs(
        self,
        info: Info,
        first: int | None = 20,
        after: str | None = None,
        status: JobStatus | None = None,
    ) -> Connection[JobRef]:
        from schema.types.job import Job

        page = await jobs.jobs_of_project(
            info.context,
            project_id=self.pk,
            first=first,
            after=after,
            status=status,
            with_total=wants_total(info),
        )
        return to_connection(page, Job.from_model)
