"""Resolvers of the `User` type, `me` and authentication mutations."""

import uuid
from typing import Any

from models import ApiKey, ProjectStatus, User
from resolvers.context import Context
from services import auth, projects, sql, users
from services.pagination import Page, page_args
from services.validation import parse_id


async def me(ctx: Context, *, columns: sql.Columns = None) -> sql.Row | None:
    principal = ctx.caller()
    if principal is None:
        return None
    return sql.row_of(principal.require("read").user)


async def users_by_ids(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[sql.Row | None]:
    return await users.users_by_ids(ids, columns)


async def projects_for_users(
    ctx: Context,
    user_ids: list[uuid.UUID],
    *,
    columns: sql.Columns,
    first: int | None,
    after: str | None,
    status: ProjectStatus | None,
    with_total: bool,
) -> list[Page[sql.Row]]:
    """Only the caller's own projects: anyone else's list is empty."""
    principal = ctx.require("read")
    args = page_args(first, after)
    owned = [i for i in user_ids if i == principal.user_id]
    found = {}
    if owned:
        found = await projects.projects_for_owners(owned, args, status, with_total, columns)
    empty: Page[sql.Row] = Page(items=[], has_next=False, total=0)
    return [found.get(i, empty) for i in user_ids]


async def api_keys_for_users(
    ctx: Context, user_ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[list[sql.Row]]:
    """Only the caller's own keys, and only to a session token (a key sees no keys)."""
    principal = ctx.require("read")
    if principal.api_key_id is not None or principal.user_id not in user_ids:
        return [[] for _ in user_ids]
    (found,) = await auth.api_keys_for_users([principal.user_id], columns)
    return [found if i == principal.user_id else [] for i in user_ids]


async def sign_up(ctx: Context, *, email: str, password: str, name: str | None) -> tuple[User, str]:
    return await auth.sign_up(
        email, password, name, secret=ctx.auth.secret, ttl_seconds=ctx.auth.token_ttl_seconds
    )


async def log_in(ctx: Context, *, email: str, password: str) -> tuple[User, str]:
    return await auth.log_in(
        email,
        password,
        secret=ctx.auth.secret,
        ttl_seconds=ctx.auth.token_ttl_seconds,
        limits=ctx.rate_limits,
        address=ctx.client_address,
    )


async def create_api_key(
    ctx: Context, *, name: str, scopes: list[str] | None
) -> tuple[ApiKey, str]:
    return await auth.create_api_key(ctx.require("write"), name, scopes)


async def revoke_api_key(ctx: Context, *, id: str) -> bool:
    return await auth.revoke_api_key(ctx.require("write"), parse_id(id), ctx.broker)


async def update_me(ctx: Context, *, changes: dict[str, Any]) -> User:
    return await users.update_me(ctx.require("write").user_id, changes)


async def change_password(
    ctx: Context, *, current_password: str, new_password: str
) -> tuple[User, str]:
    return await auth.change_password(
        ctx.require("write"),
        current_password,
        new_password,
        secret=ctx.auth.secret,
        ttl_seconds=ctx.auth.token_ttl_seconds,
        broker=ctx.broker,
    )


async def log_out_everywhere(ctx: Context) -> bool:
    return await auth.log_out_everywhere(ctx.require("write"), ctx.broker)
