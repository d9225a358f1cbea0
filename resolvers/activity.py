"""Resolvers of `Project.activity` and the `projectActivity` subscription."""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from resolvers.context import Context
from services import activity_feed, pagination, sql
from services.pagination import Page
from services.validation import parse_id


async def activity_for_projects(
    ctx: Context,
    project_ids: list[uuid.UUID],
    *,
    columns: sql.Columns,
    first: int | None,
    after: str | None,
    after_seq: int | None,
    with_total: bool,
) -> list[Page[sql.Row]]:
    """Each project's events, newest first (the projects are the caller's: read through them)."""
    return await activity_feed.activity_for_projects(
        project_ids,
        first=pagination.page_size(first),
        before_seq=None if after is None else activity_feed.decode_cursor(after),
        after_seq=activity_feed.checked_after_seq(after_seq),
        with_total=with_total,
        columns=columns,
    )


async def project_activity(
    ctx: Context, *, project_id: str, after_seq: int | None
) -> AsyncIterator[dict[str, Any]]:
    principal = ctx.require("read")
    async for event in activity_feed.follow_activity(
        ctx.broker, principal.user_id, parse_id(project_id, "projectId"), after_seq
    ):
        yield event


def activity_stream_parts(
    ctx: Context, *, project_id: str, after_seq: int | None
) -> tuple[
    tuple[object, ...],
    Callable[[], Awaitable[int]],
    Callable[[int | None], AsyncIterator[dict[str, Any]]],
    Callable[[Callable[[], None]], AsyncIterator[dict[str, Any]]],
]:
    """`projectActivity` as a shareable stream (schema.fanout): its key (the project and whose
    it is), where this subscriber starts (`after_seq`, or without it the newest seq, read
    BEFORE it joins the feed so that an event committed meanwhile comes from the table: never
    skipped, never twice), its own head from a position, and the live tail every subscriber
    shares."""
    principal = ctx.require("read")
    owner_id, project, broker = principal.user_id, parse_id(project_id, "projectId"), ctx.broker

    def start() -> Awaitable[int]:
        return activity_feed.activity_start(owner_id, project, after_seq)

    def head(position: int | None) -> AsyncIterator[dict[str, Any]]:
        # `position` is never None here: the stream is followed from `start()`.
        return activity_feed.activity_head(owner_id, project, position or 0)

    def live(ready: Callable[[], None]) -> AsyncIterator[dict[str, Any]]:  # outlives the caller
        return activity_feed.follow_activity_live(broker, owner_id, project, ready=ready)

    return ("activity", project, owner_id), start, head, live
