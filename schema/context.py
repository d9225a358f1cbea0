"""Assemble the per-request `Context` (the class itself lives in resolvers.context)."""

import logging
import uuid
from collections.abc import Coroutine
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol
from strawberry.http.parse_content_type import parse_content_type
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET, UnsetType

from resolvers import users
from resolvers.context import AuthConfig, Context, OperationLimits
from resolvers.errors import INTERNAL_MESSAGE
from schema import http
from schema.requests import BadRequest, check_request
from schema.ws import GraphQLTransportWS, GraphQLWS, TextFrames
from services import auth, db, sql
from services.broker import Broker
from services.errors import DomainError
from services.jobs import RetryPolicy
from services.persisted_queries import MemoryPersistedQueries, PersistedQueries
from services.ratelimit import RateLimits
from services.storage import Storage
from services.webhook_address import AddressGuard

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


def oversized_response(data: dict[str, Any], limit: int) -> dict[str, Any]:
    """`data` (an HTTP result, or a WebSocket message carrying one) with its result replaced by
    the error that it exceeds `limit` bytes."""
    error = {
        "message": f"The response exceeds {limit} bytes; ask for less (smaller pages, fewer "
        "fields).",
        "extensions": {"code": "BAD_USER_INPUT", "field": "query"},
    }
    if data.get("type") in ("next", "data"):  # graphql-transport-ws / legacy graphql-ws
        return {**data, "payload": {"data": None, "errors": [error]}}
    if "type" in data:
        return data  # a protocol message of another kind: never large, sent as it is
    return {"data": None, "errors": [error]}


class Exchange:
    """What one HTTP request's response must become (kept on `request.state.graphql`)."""

    def __init__(self, media: str) -> None:
        self.media = media
        # Nothing ran: the document did not parse or validate, or was refused before it ran.
        self.request_error = False
        self.had_errors = False

    def errors_response(
        self, errors: list[dict[str, Any]], status: int, headers: dict[str, str] | None = None
    ) -> Response:
        """A request error: `data: null` in application/json as ever; no `data` otherwise."""
        self.had_errors = True
        body: dict[str, Any] = {"errors": errors}
        if self.media == http.JSON:
            body = {"data": None, **body}
        return Response(to_json(body), status, headers=headers, media_type=self.media)


class GraphQLApp(GraphQL[Context, None]):
    """Strawberry's ASGI app with our context; one instance per Starlette app."""

    websocket_adapter_class = TextFrames
    graphql_transport_ws_handler_class = GraphQLTransportWS
    graphql_ws_handler_class = GraphQLWS

    def __init__(
        self,
        *args: Any,
        auth_config: AuthConfig,
        broker: Broker,
        storage: Storage,
        retry_policy: RetryPolicy,
        rate_limits: RateLimits | None = None,
        limits: OperationLimits | None = None,
        max_message_bytes: int = 1024 * 1024,
        persisted_queries: PersistedQueries | None = None,
        webhook_guard: AddressGuard | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.persisted_queries = persisted_queries or MemoryPersistedQueries()
        self.auth_config = auth_config
        self.broker = broker
        self.storage = storage
        self.retry_policy = retry_policy
        self.webhook_guard = webhook_guard or AddressGuard()
        self.rate_limits = rate_limits
        self.limits = limits or OperationLimits()
        # WebSocket messages over this are refused (close 4400) before they are decoded.
        self.max_message_bytes = max_message_bytes

    def encode_json(self, data: object) -> bytes:
        """Every response body and WebSocket message; a result over MAX_RESPONSE_BYTES is
        replaced by an error saying so (its operation has run: a mutation's changes stay)."""
        encoded = to_json(data)
        if len(encoded) > self.limits.max_response_bytes and isinstance(data, dict):
            encoded = to_json(oversized_response(data, self.limits.max_response_bytes))
        return encoded

    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        # A GET naming a persisted query carries no `query`: it is an operation, not a browser.
        return "extensions" not in request.query_params and super().should_render_graphql_ide(
            request
        )

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        """A JSON body (or a GET's parameters) must be {query, variables, operationName,
        extensions} with those types.

        Checked here, where Strawberry would take any JSON (a list as a batch, `null` as a
        crash); the body is decoded once, and what passes the check is the request.
        """
        content_type, _ = parse_content_type(request.content_type or "")
        if request.method == "GET":
            data: object = self.parse_query_params(request.query_params)
        elif request.method == "POST" and "application/json" in content_type:
            data = self.parse_json(await request.get_body())
        else:
            return await super().parse_http_body(request)
        check_request(data)
        assert isinstance(data, dict)
        transport = self._get_stream_transport_from_headers(request.headers)
        return GraphQLRequestData(
            query=data.get("query"),
            variables=data.get("variables"),
            operation_name=data.get("operationName"),
            extensions=data.get("extensions"),
            protocol=transport.protocol if transport else "http",
        )

    def run(
        self, request: Request | WebSocket, context: Any = UNSET, root_value: Any = UNSET
    ) -> Coroutine[Any, Any, Any]:
        """HTTP: the response in the media type `Accept` asks for (schema.http), with the
        spec's status codes for it; requests that are not GraphQL at all (no JSON, no query),
        mutations by GET and unusable persisted-query hashes get a contract-shaped error.

        An HTTP request's statements share one pooled connection until its operation turns out
        not to be a planned read (schema.execution lets it go then): the caller's row and a
        dashboard's reads cost one pool acquire, not one per statement.

        A WebSocket spends its whole life in Strawberry's `run`: handed over, not awaited here,
        so no frame of this method is held per socket.
        """
        if not isinstance(request, Request):
            return super().run(request, context, root_value)
        return self._run_pooled(request, context, root_value)

    async def _run_pooled(self, request: Request, context: Any, root_value: Any) -> Any:
        async with db.one_connection():
            return await self._run_http(request, context, root_value)

    async def _run_http(self, request: Request, context: Any, root_value: Any) -> Any:
        exchange = request.state.graphql = Exchange(
            http.response_media_type(request.headers.get("accept"))
        )
        try:
            response = await super().run(request, context, root_value)
        except http.MethodNotAllowed as exc:
            error = {"message": exc.reason, "extensions": {"code": "BAD_USER_INPUT"}}
            response = exchange.errors_response([error], 405, headers={"Allow": "POST"})
        except http.PersistedQueryRefused as exc:
            error = {"message": exc.reason, "extensions": {"code": exc.code}}
            # application/json: 200, as Apollo Server answers; either way Apollo clients resend.
            status = 400 if exchange.media == http.GRAPHQL_RESPONSE else 200
            response = exchange.errors_response([error], status)
        except HTTPException as exc:
            if exc.status_code != 400:
                raise
            message, field = exc.reason, "body"
            if isinstance(exc, BadRequest):
                field = exc.field
            elif isinstance(exc.__cause__, DomainError):
                # Refused by the Documents extension (schema.extensions.RequestRefused).
                message, field = exc.__cause__.message, exc.__cause__.field or field
            error = {"message": message, "extensions": {"code": "BAD_USER_INPUT", "field": field}}
            response = exchange.errors_response([error], 400)
        if not isinstance(response, StreamingResponse) and response.media_type != "text/html":
            response.headers["content-type"] = exchange.media
            if request.method == "GET":
                authenticated = bool(request.headers.get("authorization"))
                response.headers["cache-control"] = http.cache_control(
                    authenticated=authenticated,
                    succeeded=response.status_code == 200 and not exchange.had_errors,
                )
                response.headers["vary"] = http.VARY
        return response

    async def execute_operation(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        request_data: GraphQLRequestData | list[GraphQLRequestData],
        context: Context,
        root_value: Any,
        sub_response: Response,
    ) -> Any:
        """The persisted query's document, a mutation by GET refused with 405, and a request
        error (nothing ran) told apart from a result (schema.http)."""
        if isinstance(request_data, GraphQLRequestData):
            request_data = await http.with_persisted_query(
                request_data,
                self.persisted_queries,
                may_register=context.principal is not None,
                max_query_bytes=self.limits.max_query_bytes,
            )
        try:
            result = await super().execute_operation(
                request, request_adapter, request_data, context, root_value, sub_response
            )
        except HTTPException as exc:
            cause = exc.__cause__
            if (
                request_adapter.method == "GET"
                and isinstance(cause, InvalidOperationTypeError)
                and cause.operation_type is OperationType.MUTATION
            ):
                raise http.MethodNotAllowed from exc
            raise
        exchange = getattr(request.state, "graphql", None)
        if (
            isinstance(exchange, Exchange)
            and isinstance(result, ExecutionResult)
            and result.data is None
            and result.errors
            and not context.started
        ):
            exchange.request_error = True
            if exchange.media == http.GRAPHQL_RESPONSE:
                codes = {(e.extensions or {}).get("code") for e in result.errors}
                sub_response.status_code = 429 if "RATE_LIMITED" in codes else 400
        return result

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        processed = await super().process_result(request, result)
        exchange = getattr(request.state, "graphql", None)
        if isinstance(exchange, Exchange):
            exchange.had_errors = exchange.had_errors or bool(result.errors)
            if exchange.request_error and exchange.media == http.GRAPHQL_RESPONSE:
                # The spec: a request error (nothing ran) has no `data` entry at all.
                processed.pop("data", None)
        return processed

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        ctx = Context(
            auth=self.auth_config,
            broker=self.broker,
            storage=self.storage,
            retry_policy=self.retry_policy,
            webhook_guard=self.webhook_guard,
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
        authorization = params.get("Authorization", params.get("authorization"))
        if authorization is not None:
            if not isinstance(authorization, str) or not authorization.strip():
                # A credential was meant to be sent: refuse rather than serve it anonymously.
                raise ConnectionRejectionError(
                    {
                        "message": "Authorization must be `Bearer <token>`.",
                        "code": "UNAUTHENTICATED",
                    }
                )
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
            ctx.principal = await auth.authenticate(
                authorization, secret=self.auth_config.secret, callers=self.auth_config.callers
            )
            # The caller's user row is loaded already: `Project.owner` need not load it again.
            user = ctx.principal.user
            ctx.loaders.prime(users.users_by_ids, user.id, lambda: sql.row_of(user))
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
