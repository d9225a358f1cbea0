"""Assemble the per-request `Context` (the class itself lives in resolvers.context)."""

from typing import Any

from starlette.requests import Request
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from resolvers.context import AuthConfig, Context
from services import auth
from services.errors import DomainError


async def build_context(
    auth_config: AuthConfig, authorization: str | None, request: Any
) -> Context:
    ctx = Context(auth=auth_config, request=request)
    if authorization:
        try:
            ctx.principal = await auth.authenticate(authorization, secret=auth_config.secret)
        except DomainError as exc:
            ctx.auth_error = exc
    return ctx


class GraphQLApp(GraphQL[Context, None]):
    """Strawberry's ASGI app with our context; one instance per Starlette app."""

    def __init__(self, *args: Any, auth_config: AuthConfig, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.auth_config = auth_config

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        return await build_context(self.auth_config, request.headers.get("authorization"), request)
