"""A WebSocket authenticates once, in `connection_init`; its credential is checked again for
every operation started on it (services.auth.recheck: an expiry comparison for a session token,
one statement for an API key). Once it fails, the connection is unauthenticated for good."""

from typing import Any

from starlette.websockets import WebSocket

from resolvers.context import Context
from services import auth
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
