"""A WebSocket authenticates once, in `connection_init`; its credential is checked again for
every operation started on it (services.auth.recheck: an expiry comparison for a session token,
one statement for an API key). Once it fails, the connection is unauthenticated for good.

The credential an operation runs under is also the acting party of the project activity it
writes (services.activity): `act_for` sets it for every operation, over every transport."""

from typing import Any

from starlette.websockets import WebSocket

from resolvers.context import Context
from services import activity, auth
from services.errors import Unauthenticated


async def recheck(ctx: Any) -> None:
    """Called before each operation (schema.observability)."""
    if (
        isinstance(ctx, Context)
        and ctx.principal is not None
        and isinstance(ctx.request, WebSocket)
    ):
        try:
            await auth.recheck(ctx.principal)
        except Unauthenticated as exc:
            ctx.principal = None
            ctx.auth_error = exc


def act_for(ctx: Any) -> None:
    """The operation's caller becomes the actor of the events it records (a session token: USER;
    an API key: API_KEY), published through this process's broker. Called before each
    operation, in the task that runs it (schema.observability)."""
    if not isinstance(ctx, Context):
        return
    principal = ctx.principal
    activity.act_as(
        None if principal is None else activity.actor_of(principal.user_id, principal.api_key_id)
    )
    activity.publish_through(ctx.broker)
