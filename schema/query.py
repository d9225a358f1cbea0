"""Root `Query`: signatures here, work in resolvers (schema.relations.root)."""

import strawberry

from resolvers import (
    assets,
    characters,
    jobs,
    keyframes,
    projects,
    scenes,
    search,
    storyboards,
    users,
)
from resolvers.context import Info
from schema import nodes
from schema.permissions import CanRead
from schema.relations import root
from schema.types.asset import Asset
from schema.types.character import Character
from schema.types.job import Job
from schema.types.keyframe import Keyframe
from schema.types.node import Node
from schema.types.project import Project
from schema.types.scene import Scene
from schema.types.search import SearchConnection
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

    @root(characters.character, permission_classes=[CanRead], description=MINE)
    def character(self, id: strawberry.ID) -> Character | None: ...

    @root(keyframes.keyframe, permission_classes=[CanRead], description=MINE)
    def keyframe(self, id: strawberry.ID) -> Keyframe | None: ...

    @strawberry.field(
        permission_classes=[CanRead],
        description="Full-text search over the caller's projects (title, description), "
        "storyboards (title, brief), scenes (visualDescription, script, textOverlay) and "
        "characters (name, description); within one project when projectId is given. `query` "
        "1..200 characters with at least one word (a run of letters or digits); every word must "
        "match, the last one as a prefix (search as you type). `first` 1..100.",
    )
    async def search(
        self,
        info: Info,
        query: str,
        project_id: strawberry.ID | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> SearchConnection:
        return SearchConnection.from_hits(
            await search.search_hits(
                info.context, query=query, project_id=project_id, first=first, after=after
            )
        )

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

    @root(assets.asset, permission_classes=[CanRead], description=MINE)
    def asset(self, id: strawberry.ID) -> Asset | None: ...
