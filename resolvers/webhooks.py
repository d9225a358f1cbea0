"""Resolvers of `Webhook` fields and webhook mutations."""

import uuid

from models import Webhook, WebhookDelivery
from resolvers.context import Context
from services import sql, webhooks
from services.pagination import Page, page_args
from services.validation import parse_id


async def webhooks_for_users(
    ctx: Context, user_ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[list[sql.Row]]:
    """Only the caller's own webhooks: anyone else's list is empty."""
    principal = ctx.require("read")
    if principal.user_id not in user_ids:
        return [[] for _ in user_ids]
    (found,) = await webhooks.webhooks_for_users([principal.user_id], columns)
    return [found if i == principal.user_id else [] for i in user_ids]


async def webhooks_for_projects(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[list[sql.Row]]:
    # A project is only ever reached by its owner, so its webhooks are the caller's.
    return await webhooks.webhooks_for_projects(ids, columns)


async def deliveries_for_webhooks(
    ctx: Context,
    ids: list[uuid.UUID],
    *,
    columns: sql.Columns,
    first: int | None,
    after: str | None,
    with_total: bool,
) -> list[Page[sql.Row]]:
    # A webhook is only ever reached by its owner (User.webhooks, Project.webhooks, mutations).
    args = page_args(first, after)
    found = await webhooks.deliveries_for_webhooks(ids, args, with_total, columns)
    return [found[i] for i in ids]


async def create_webhook(
    ctx: Context, *, url: str, events: list[str], project_id: str | None
) -> tuple[Webhook, str]:
    principal = ctx.require("write")
    project = None if project_id is None else parse_id(project_id, "projectId")
    return await webhooks.create_webhook(principal.user_id, url, events, project, ctx.webhook_guard)


async def delete_webhook(ctx: Context, *, id: str) -> bool:
    return await webhooks.delete_webhook(ctx.require("write").user_id, parse_id(id))


async def ping_webhook(ctx: Context, *, id: str) -> WebhookDelivery:
    return await webhooks.ping_webhook(ctx.require("write").user_id, parse_id(id), ctx.broker)
