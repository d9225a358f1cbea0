"""Resolver of the `search` root field: the hits, and their nodes in one batch per type."""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from resolvers.context import Context
from services import characters, projects, scenes, search, sql, storyboards
from services.errors import InvalidInput
from services.pagination import DEFAULT_FIRST, MAX_FIRST
from services.validation import parse_id

# Each kind of hit's batch reader by ids.
_READERS = {
    "Project": projects.projects_by_ids,
    "Storyboard": storyboards.storyboards_by_ids,
    "Scene": scenes.scenes_by_ids,
    "Character": characters.characters_by_ids,
}


@dataclass(frozen=True)
class FoundHit:
    kind: str
    row: sql.Row
    score: float
    snippet: str
    cursor: str


@dataclass
class FoundHits:
    items: list[FoundHit]
    has_next: bool
    total: int


async def search_hits(
    ctx: Context, *, query: str, project_id: str | None, first: int | None, after: str | None
) -> FoundHits:
    principal = ctx.require("read")
    if first is None:
        first = DEFAULT_FIRST
    if not 1 <= first <= MAX_FIRST:
        raise InvalidInput(f"`first` must be between 1 and {MAX_FIRST}.", field="first")
    cursor = search.decode_cursor(after) if after is not None else None
    project = parse_id(project_id, "projectId") if project_id is not None else None
    hits = await search.search(principal.user_id, query, project, first, cursor)
    ids: dict[str, list[uuid.UUID]] = defaultdict(list)
    for hit in hits.items:
        ids[hit.kind].append(hit.id)
    rows: dict[tuple[str, uuid.UUID], Any] = {}
    for kind, kind_ids in ids.items():
        for row_id, row in zip(kind_ids, await _READERS[kind](kind_ids), strict=True):
            rows[kind, row_id] = row
    # A row deleted between the two statements is left out.
    found = [
        FoundHit(hit.kind, rows[hit.kind, hit.id], hit.score, hit.snippet, hit.cursor)
        for hit in hits.items
        if rows.get((hit.kind, hit.id)) is not None
    ]
    return FoundHits(found, hits.has_next, hits.total)
