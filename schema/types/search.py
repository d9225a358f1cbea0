"""`search`'s hits: `SearchNode`, `SearchHit` and their connection."""

from typing import Annotated

import strawberry

from resolvers.search import FoundHit, FoundHits
from schema.connections import PageInfo
from schema.types.character import Character
from schema.types.project import Project
from schema.types.scene import Scene
from schema.types.storyboard import Storyboard

SearchNode = Annotated[Project | Storyboard | Scene | Character, strawberry.union("SearchNode")]
_TYPES: dict[str, type[Project | Storyboard | Scene | Character]] = {
    "Project": Project,
    "Storyboard": Storyboard,
    "Scene": Scene,
    "Character": Character,
}


@strawberry.type
class SearchHit:
    node: SearchNode
    score: float = strawberry.field(
        description="Relevance; higher is better; hits come best first."
    )
    snippet: str = strawberry.field(description="Up to 200 characters of the matching text.")

    @classmethod
    def from_hit(cls, hit: FoundHit) -> "SearchHit":
        return cls(node=_TYPES[hit.kind].from_row(hit.row), score=hit.score, snippet=hit.snippet)


@strawberry.type
class SearchEdge:
    cursor: str
    node: SearchHit


@strawberry.type
class SearchConnection:
    edges: list[SearchEdge]
    page_info: PageInfo
    total_count: int = strawberry.field(description="Number of hits in all pages.")

    @classmethod
    def from_hits(cls, hits: FoundHits) -> "SearchConnection":
        edges = [SearchEdge(cursor=hit.cursor, node=SearchHit.from_hit(hit)) for hit in hits.items]
        return cls(
            edges=edges,
            page_info=PageInfo(
                has_next_page=hits.has_next, end_cursor=edges[-1].cursor if edges else None
            ),
            total_count=hits.total,
        )
