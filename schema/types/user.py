"""`User`, `AuthPayload` and API key types."""

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from models import ApiKey as ApiKeyModel
from models import User as UserModel
from resolvers import users
from resolvers.context import Info
from schema.connections import Connection, to_connection, wants_total
from schema.enums import ProjectStatus
from schema.permissions import relation

if TYPE_CHECKING:
    from schema.types.project import Project

ProjectRef = Annotated["Project", strawberry.lazy("schema.types.project")]


@strawberry.type
class User:
    id: strawberry.ID
    email: str
    name: str | None
    image: str | None
    created_at: datetime
    updated_at: datetime
    pk: strawberry.Private[uuid.UUID]

    @classmethod
    def from_model(cls, m: UserModel) -> "User":
        return cls(
            id=strawberry.ID(str(m.id)),
            email=m.email,
            name=m.name,
            image=m.image,
            created_at=m.created_at,
            updated_at=m.updated_at,
            pk=m.id,
        )

    @relation(description="Newest updatedAt first. `first` 1..100.")
    async def projects(
        self,
        info: Info,
        first: int | None = 20,
        after: str | None = None,
        status: ProjectStatus | None = None,
    ) -> Connection[ProjectRef]:
        from schema.types.project import Project

        page = await users.projects(
            info.context,
            user_id=self.pk,
            first=first,
            after=after,
            status=status,
            with_total=wants_total(info),
        )
        return to_connection(page, Project.from_model)

    @relation(description="Your active API keys, newest first (session tokens only).")
    async def api_keys(self, info: Info) -> list["ApiKey"]:
        return [ApiKey.from_model(k) for k in await users.api_keys(info.context, user_id=self.pk)]


@strawberry.type
class ApiKey:
    id: strawberry.ID
    name: str
    prefix: str = strawberry.field(description="The key's first characters, for recognising it.")
    scopes: list[str]
    created_at: datetime
    last_used_at: datetime | None

    @classmethod
    def from_model(cls, m: ApiKeyModel) -> "ApiKey":
        return cls(
            id=strawberry.ID(str(m.id)),
            name=m.name,
            prefix=m.prefix,
            scopes=list(m.scopes),
            created_at=m.created_at,
            last_used_at=m.last_used_at,
        )


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
