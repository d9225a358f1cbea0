"""Resolvers of `Project.activity` and the `projectActivity` subscription."""

import uuid
from collections.abc import AsyncIterator
from typing import Any

from resolvers.context import Context
from services import activity_feed, sql
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
        first=activity_feed.checked_first(first),
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
