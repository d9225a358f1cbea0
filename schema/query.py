"""Root `Query`: signatures here, work in resolvers."""

import strawberry

from resolvers import jobs, projects, scenes, storyboards, users
from resolvers.context import Info
from schema.permissions import CanRead
from schema.types.job import Job
from schema.types.project import Project
from schema.types.scene import Scene
from schema.types.storyboard import Storyboard
from schema.types.user import User


@strawberry.type
class Query:
    @strawberry.field(description="null when not authenticated.")
    async def me(self, info: Info) -> User | None:
        found = await users.me(info.context)
        return User.from_model(found) if found else None

    @strawberry.field(permission_classes=[CanRead], description="null unless it is yours.")
    async def project(self, info: Info, id: strawberry.ID) -> Project | None:
        found = await projects.project(info.context, id=id)
        return Project.from_model(found) if found else None

    @strawberry.field(permission_classes=[CanRead], description="null unless it is yours.")
    async def storyboard(self, info: Info, id: strawberry.ID) -> Storyboard | None:
        found = await storyboards.storyboard(info.context, id=id)
        return Storyboard.from_model(found) if found else None

    @strawberry.field(permission_classes=[CanRead], description="null unless it is yours.")
    async def job(self, info: Info, id: strawberry.ID) -> Job | None:
        found = await jobs.job(info.context, id=id)
        return Job.from_model(found) if found else None

    @strawberry.field(permission_classes=[CanRead], description="null unless it is yours.")
    async def scene(self, info: Info, id: strawberry.ID) -> Scene | None:
        found = await scenes.scene(info.context, id=id)
        return Scene.from_model(found) if found else None
