"""`User`, `AuthPayload` and API key types."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from models import ApiKey as ApiKeyModel
from models import User as UserModel
from resolvers import jobs, users, webhooks
from resolvers import jobs as job_readers
from schema.connections import Connection
from schema.enums import JobStatus, ProjectStatus
from schema.relations import RowType, batched
from schema.types.job_stats import JobKindStats
from schema.types.node import Node
from services import sql

if TYPE_CHECKING:
    from schema.types.job import Job
    from schema.types.project import Project
    from schema.types.webhook import Webhook

ProjectRef = Annotated["Project", strawberry.lazy("schema.types.project")]
JobRef = Annotated["Job", strawberry.lazy("schema.types.job")]
WebhookRef = Annotated["Webhook", strawberry.lazy("schema.types.webhook")]


@strawberry.type
class User(RowType, Node):
    model = UserModel
    id: strawberry.ID
    email: str
    name: str | None
    image: str | None
    created_at: datetime
    updated_at: datetime
    row: strawberry.Private[sql.Row]

    @batched(
        reader=users.projects_for_users,
        shape="page",
        description="Newest updatedAt first. `first` 1..100.",
    )
    def projects(
        self,
        first: int | None = 20,
        after: str | None = None,
        status: ProjectStatus | None = None,
    ) -> Connection[ProjectRef]: ...

    @batched(
        reader=users.api_keys_for_users,
        shape="list",
        description="Your active API keys, newest first (session tokens only).",
    )
    def api_keys(self) -> list["ApiKey"]: ...

    @batched(
        reader=jobs.jobs_for_users,
        shape="page",
        description="Jobs of all the user's projects, newest first. `first` 1..100.",
    )
    def jobs(
        self,
        status: JobStatus | None = None,
        kind: str | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> Connection[JobRef]: ...

    @batched(
        reader=job_readers.job_stats_for_users,
        shape="list",
        description="Per job kind, by kind (at most 100: narrow with `kind`): the jobs of all your "
        "projects created since `since` (all when null).",
    )
    def job_stats(
        self, since: datetime | None = None, kind: str | None = None
    ) -> list[JobKindStats]: ...

    @batched(
        reader=webhooks.webhooks_for_users,
        shape="list",
        description="Your webhooks, newest first (at most 20).",
    )
    def webhooks(self) -> list[WebhookRef]: ...


@strawberry.type
class ApiKey(RowType, Node):
    model = ApiKeyModel
    id: strawberry.ID
    name: str
    prefix: str = strawberry.field(description="The key's first characters, for recognising it.")
    scopes: list[str]
    created_at: datetime
    last_used_at: datetime | None
    row: strawberry.Private[sql.Row]


@strawberry.type(description="key is shown once, here, and never again.")
class CreatedApiKey:
    key: str
    api_key: ApiKey


@strawberry.type
class AuthPayload:
    token: str = strawberry.field(
        description="Session token (JWT, expires): send as `Authorization: Bearer <token>`."
    )
    user: User
