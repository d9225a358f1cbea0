"""Root `Query`: signatures here, work in resolvers (schema.relations.root)."""

import strawberry

from resolvers import jobs, projects, scenes, storyboards, users
from resolvers.context import Info
from schema import nodes
from schema.permissions import CanRead
from schema.relations import root
from schema.types.job import Job
from schema.types.node import Node
from schema.types.project import Project
from schema.types.scene import Scene
from schema.types.storyboard import Storyboard
from schema.types.user import User

MINE = "null unless it is yours."


@strawberry.type
class Query:
    @root(users.me, description="null when not authenticated.")
    def me(self) -> User | None: ...

    @root(projects.project, permission_classes=[CanRead], description=MINE)
    def project(self, id: strawberry.ID) -> Project | None: ...

    @root(storyboards.storyboard, permission_classes=[CanRead], description=MINE)
    def storyboard(self, id: strawberry.ID) -> Storyboard | None: ...

    @root(jobs.job, permission_classes=[CanRead], description=MINE)
    def job(self, id: strawberry.ID) -> Job | None: ...

    @root(scenes.scene, permission_classes=[CanRead], description=MINE)
    def scene(self, id: strawberry.ID) -> Scene | None: ...

    @strawberry.field(
        permission_classes=[CanRead],
        description="Any object the caller may see, by id; null otherwise (someone else's "
        "object is null too).",
    )
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await nodes.node(info, id)

    @strawberry.field(
        permission_classes=[CanRead],
        description="1..100 ids; the result lines up with the ids, null where node(id) would "
        "be null.",
    )
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        return await nodes.nodes_of(info, ids)
