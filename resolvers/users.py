"""Resolvers of the `User` type, `me` and authentication mutations."""

import uuid

from models import ApiKey, Project, ProjectStatus, User
from resolvers.context import Context
from services import auth
from services.pagination import Page, page_args
from services.validation import parse_id


async def me(ctx: Context) -> User | None:
    principal = ctx.caller()
    if principal is None:
        return None
    return principal.require("read").user


async def user(ctx: Context, *, user_id: uuid.UUID) -> User:
    found = await ctx.loaders.user_by_id.load(user_id)
    assert found is not None, "a project's owner always exists (ON DELETE CASCADE)"
    return found


async def projects(
    ctx: Context,
    *,
    user_id: uuid.UUID,
    first: int | None,
    after: str | None,
    status: ProjectStatus | None,
    with_total: bool,
) -> Page[Project]:
    principal = ctx.require("read")
    args = page_args(first, after)
    if user_id != principal.user_id:
        return Page(items=[], has_next=False, total=0)
    return await ctx.loaders.projects_by_owner_id.load((user_id, args, status, with_total))


async def api_keys(ctx: Context, *, user_id: uuid.UUID) -> list[ApiKey]:
    principal = ctx.require("read")
    if user_id != principal.user_id or principal.api_key_id is not None:
        return []
    return await ctx.loaders.api_keys_by_user_id.load(user_id)


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
