"""Root `Query`: signatures here, work in resolvers (schema.relations.root)."""

import strawberry

from resolvers import assets, jobs, projects, scenes, storyboards, users
from schema.permissions import CanRead
from schema.relations import root
from schema.types.asset import Asset
from schema.types.job import Job
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

    @root(assets.asset, permission_classes=[CanRead], description=MINE)
    def asset(self, id: strawberry.ID) -> Asset | None: ...
