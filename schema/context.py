"""Assemble the per-request `Context` (the class itself lives in resolvers.context)."""

import logging
import uuid
from collections.abc import Mapping
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.websockets import WebSocket, WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.types.unset import UNSET, UnsetType

from resolvers.context import AuthConfig, Context, OperationLimits
from resolvers.errors import INTERNAL_MESSAGE
from services import auth
from services.broker import Broker
from services.errors import DomainError
from services.jobs import RetryPolicy
from services.ratelimit import RateLimits
from services.storage import Storage

log = logging.getLogger(__name__)


def _uuid_subclass(value: object) -> str:
    # asyncpg's UUID type subclasses uuid.UUID, which orjson only writes for the exact class.
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def to_json(data: object) -> bytes:
    """orjson, which writes the UUIDs and datetimes read plans leave in results exactly as
    GraphQL's ID and DateTime serializers would (schema.read_run)."""
    return orjson.dumps(data, default=_uuid_subclass)


class TextFrames(ASGIWebSocketAdapter):
    """GraphQL-over-WebSocket messages are text frames, whatever encode_json returns."""

    async def send_json(self, message: Mapping[str, object]) -> None:
        try:
            await self.ws.send_text(to_json(message).decode())
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc


class GraphQLApp(GraphQL[Context, None]):
    """Strawberry's ASGI app with our context; one instance per Starlette app."""

    websocket_adapter_class = TextFrames

    def __init__(
        self,
        *args: Any,
        auth_config: AuthConfig,
        broker: Broker,
        storage: Storage,
        retry_policy: RetryPolicy,
        rate_limits: RateLimits | None = None,
        limits: OperationLimits | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.auth_config = auth_config
        self.broker = broker
        self.storage = storage
        self.retry_policy = retry_policy
        self.rate_limits = rate_limits
        self.limits = limits or OperationLimits()

    def encode_json(self, data: object) -> bytes:
        return to_json(data)

    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)

    async def run(
        self, request: Request | WebSocket, context: Any = UNSET, root_value: Any = UNSET
    ) -> Any:
        """Requests that are not GraphQL at all (no JSON, no query) get a contract-shaped error."""
        try:
            return await super().run(request, context, root_value)
        except HTTPException as exc:
            if not isinstance(request, Request) or exc.status_code != 400:
                raise
            error = {
                "message": exc.reason,
                "extensions": {"code": "BAD_USER_INPUT", "field": "body"},
            }
            return JSONResponse({"data": None, "errors": [error]}, status_code=400)

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        ctx = Context(
            auth=self.auth_config,
            broker=self.broker,
            storage=self.storage,
            retry_policy=self.retry_policy,
            request=request,
            client_address=request.client.host if request.client else None,
            rate_limits=self.rate_limits,
            limits=self.limits,
        )
        await self._authenticate(ctx, request.headers.get("authorization"))
        return ctx

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """WebSocket clients authenticate in `connection_init`: {"Authorization": "Bearer …"}."""
        params = context.connection_params or {}
        authorization = params.get("Authorization") or params.get("authorization")
        if isinstance(authorization, str) and authorization:
            await self._authenticate(context, authorization)
        if context.auth_error is not None:
            # Refuse the connection outright (close 4403) rather than serve it anonymously.
            raise ConnectionRejectionError(
                {"message": context.auth_error.message, "code": context.auth_error.code}
            )
        return None

    async def _authenticate(self, ctx: Context, authorization: str | None) -> None:
        if not authorization:
            return
        try:
            ctx.principal = await auth.authenticate(authorization, secret=self.auth_config.secret)
            # The caller's user row is loaded already: `Project.owner` need not load it again.
            ctx.loaders.user_by_id.prime(ctx.principal.user_id, ctx.principal.user)
            ctx.auth_error = None
        except DomainError as exc:
            ctx.principal = None
            ctx.auth_error = exc
        except Exception:
            # The credential could not be checked (e.g. the database is down): every operation
            # that looks at the caller fails with INTERNAL, like any other unexpected error.
            log.exception("authentication failed unexpectedly")
            ctx.principal = None
            ctx.auth_error = DomainError(INTERNAL_MESSAGE)
