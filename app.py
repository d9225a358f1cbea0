"""The Starlette application: routes, lifespan and middleware; nothing else."""

import asyncio
import gc
import hmac
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.exceptions import WebSocketException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Match, Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.subscriptions import (
    GRAPHQL_TRANSPORT_WS_PROTOCOL,
    GRAPHQL_WS_PROTOCOL,
    MULTIPART_SUBSCRIPTION_PROTOCOL,
)
from tortoise.contrib.starlette import RegisterTortoise

from resolvers.context import AuthConfig, OperationLimits
from schema import schema
from schema.context import GraphQLApp
from schema.socket_protocol import UVICORN_WS
from services import assets, callers, db, metrics
from services.broker import broker_from_url
from services.callers import CallerCache
from services.errors import ConfigurationError, DomainError
from services.jobs import RetryPolicy
from services.logs import configure_logging
from services.media_types import SECURITY_HEADERS
from services.persisted_queries import persisted_queries_from_url
from services.ratelimit import Limit, RateLimits, limiter_from_url
from services.retention import retention_of
from services.settings import Settings, resolve_secret_key, storage_for
from services.storage import LocalStorage, UploadTooLarge
from services.webhook_address import AddressGuard
from services.webhook_delivery import deliverer_for
from services.webhook_delivery import finish as finish_deliveries
from services.worker import Worker

log = logging.getLogger("storygraph")
# /ready answers within this many seconds per dependency, whatever the dependency does.
READY_TIMEOUT = 2.0


class BodyLimit:
    """Refuse request bodies over `limit` bytes with 413 (and URL query strings over it with 414)
    before the GraphQL layer parses them."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if len(scope.get("query_string", b"")) > self.limit:
            # A GET carries its request in the URL: the same limit, answered as the URL's.
            response = PlainTextResponse(f"URL query exceeds {self.limit} bytes.", status_code=414)
            return await response(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            return await self._too_large(scope, receive, send)
        # Chunked bodies announce no length: buffer up to the limit, then replay.
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            size += len(message.get("body", b""))
            if size > self.limit:
                return await self._too_large(scope, receive, send)
            if message["type"] != "http.request" or not message.get("more_body"):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = PlainTextResponse(f"Request body exceeds {self.limit} bytes.", status_code=413)
        await response(scope, receive, send)


class CountWebSockets:
    """Keep the open-WebSocket-connections gauge: +1 when a handshake is accepted, -1 at the end.
    Wraps the one WebSocket endpoint (a socket to any other path is never accepted)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            return await self.app(scope, receive, send)
        accepted = False

        async def counting_send(message: Message) -> None:
            nonlocal accepted
            if message["type"] == "websocket.accept" and not accepted:
                accepted = True
                metrics.WEBSOCKETS.inc()
            await send(message)

        try:
            await self.app(scope, receive, counting_send)
        finally:
            if accepted:
                metrics.WEBSOCKETS.dec()


class Storygraph(Starlette):
    """Starlette, with a WebSocket to `socket_route` (GraphQL) handed straight to its endpoint.

    A subscriber's socket stays open for hours, and so does every frame its ASGI call awaits
    through: through the middleware stack and the router, ~3 KiB per socket (README, Memory per
    subscriber). On a `websocket` scope they do nothing for this route: ServerErrorMiddleware and
    CORSMiddleware pass it on unchanged (the Origin rule is the GraphQL view's
    `allowed_origins`), the router would pick this same route, and of what ExceptionMiddleware
    handles only a WebSocketException can concern a socket: it is handled here as there. Every
    other scope, and a WebSocket to any other path, goes through the whole stack.
    """

    def __init__(self, *, socket_route: WebSocketRoute, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.socket_route = socket_route

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            match, child_scope = self.socket_route.matches(scope)
            if match is Match.FULL:
                scope["app"] = self
                scope.update(child_scope)
                try:
                    await self.socket_route.app(scope, receive, send)
                except WebSocketException as exc:
                    await WebSocket(scope, receive, send).close(exc.code, exc.reason)
                return
        await super().__call__(scope, receive, send)


_HTTP_STATUS = {"UNAUTHENTICATED": 403, "FORBIDDEN": 403, "NOT_FOUND": 404, "CONFLICT": 409}


def _error_response(exc: DomainError, headers: dict[str, str] | None = None) -> JSONResponse:
    status = 413 if isinstance(exc, UploadTooLarge) else _HTTP_STATUS.get(exc.code, 400)
    body = {"error": exc.message, "code": exc.code, **({"field": exc.field} if exc.field else {})}
    return JSONResponse(body, status_code=status, headers=headers)


def _sqlite_path(database_url: str) -> Path | None:
    path = database_url.split("://", 1)[1]
    return None if path.startswith(":memory:") else Path(path)


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    # Under `uvicorn --factory app:create_app` this is the only set-up hook; a no-op when logging
    # is configured already (by main(), or a test runner).
    configure_logging(settings.log_level, settings.log_format)
    secret = resolve_secret_key(settings)  # fails start-up before anything listens
    broker = broker_from_url(settings.redis_url)
    limiter = limiter_from_url(settings.redis_url, prefix=settings.rate_limit_key_prefix)
    login_window = settings.login_limit_window_seconds
    rate_limits = RateLimits(
        limiter,
        per_caller=Limit(settings.rate_limit_per_minute, 60),
        log_in_per_email=Limit(settings.login_limit_per_email, login_window),
        log_in_per_address=Limit(settings.login_limit_per_address, login_window),
    )
    storage = storage_for(settings, secret)
    persisted_queries = persisted_queries_from_url(
        settings.redis_url,
        prefix=settings.persisted_queries_key_prefix,
        max_bytes=settings.persisted_queries_max_bytes,
    )
    retry_policy = RetryPolicy(base_seconds=settings.job_retry_base_seconds)
    auth_config = AuthConfig(
        secret=secret,
        token_ttl_seconds=settings.token_ttl_seconds,
        callers=CallerCache(ttl=settings.caller_cache_seconds),
    )
    webhook_guard = AddressGuard(allow_private=settings.webhook_allow_private_networks)
    graphql = GraphQLApp(
        schema,
        auth_config=auth_config,
        broker=broker,
        storage=storage,
        retry_policy=retry_policy,
        rate_limits=rate_limits,
        max_message_bytes=settings.max_body_bytes,
        persisted_queries=persisted_queries,
        webhook_guard=webhook_guard,
        graphql_ide="graphiql",
        allow_queries_via_get=True,
        # Subscriptions over HTTP too: Apollo's multipart protocol (Accept: multipart/mixed;
        # subscriptionSpec=1.0), with a heartbeat part every 5 s.
        subscription_protocols=(
            GRAPHQL_TRANSPORT_WS_PROTOCOL,
            GRAPHQL_WS_PROTOCOL,
            MULTIPART_SUBSCRIPTION_PROTOCOL,
        ),
        allowed_origins=settings.allowed_origins,
        limits=OperationLimits(
            max_query_bytes=settings.max_query_bytes,
            max_query_tokens=settings.max_query_tokens,
            max_cost=settings.max_query_cost,
            timeout_seconds=settings.operation_timeout_seconds,
            max_response_bytes=settings.max_response_bytes,
        ),
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if settings.is_sqlite and (path := _sqlite_path(settings.database_url)):
            path.parent.mkdir(parents=True, exist_ok=True)
        config = db.tortoise_config(
            settings.database_url,
            idle_in_transaction_seconds=settings.db_idle_in_transaction_timeout_seconds,
            pool_max_size=settings.db_pool_max_size,
        )
        async with RegisterTortoise(app, config=config):
            if settings.is_sqlite:
                await db.create_sqlite_schema()
            await broker.start()
            await storage.start()
            following = asyncio.create_task(
                callers.follow(auth_config.callers, broker), name="callers"
            )
            stop_worker = asyncio.Event()
            worker_task = delivery_task = None
            if settings.embedded_worker:
                worker = Worker(
                    broker,
                    storage=storage,
                    policy=retry_policy,
                    lease_seconds=settings.job_lease_seconds,
                    shutdown_grace=settings.worker_shutdown_grace_seconds,
                    retention=retention_of(settings),
                )
                worker_task = asyncio.create_task(worker.run(stop_worker), name="worker")
                # Its own task: a long job never holds deliveries back, nor they the job.
                delivery_task = asyncio.create_task(
                    deliverer_for(settings, broker).run(stop_worker), name="webhooks"
                )
            # What start-up built (schema, models, settings) lives as long as the process: kept
            # out of the collector's scans, so collections cost what requests allocate.
            gc.collect()
            gc.freeze()
            try:
                log.info(
                    "Storygraph ready on %s, %s broker, %s worker",
                    "SQLite" if settings.is_sqlite else "PostgreSQL",
                    "Redis" if settings.redis_url else "in-process",
                    "embedded" if worker_task else "no",
                )
                yield
            finally:
                # Back to the collector: an app that stops (tests start hundreds) leaves garbage.
                gc.unfreeze()
                stop_worker.set()
                if worker_task is not None:
                    await worker_task
                if delivery_task is not None:
                    await finish_deliveries(delivery_task, settings.worker_shutdown_grace_seconds)
                following.cancel()
                with suppress(asyncio.CancelledError):
                    await following
                await storage.stop()
                await broker.stop()
                await limiter.close()
                await persisted_queries.close()

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def ready(request: Request) -> JSONResponse:
        checks: dict[str, str] = {}
        try:
            await asyncio.wait_for(db.ping(), READY_TIMEOUT)
            checks["database"] = "ok"
        except Exception:
            log.warning("readiness: database unreachable", exc_info=True)
            checks["database"] = "unreachable"
        if settings.redis_url:
            try:
                await asyncio.wait_for(broker.ping(), READY_TIMEOUT)
                checks["redis"] = "ok"
            except Exception:
                log.warning("readiness: redis unreachable", exc_info=True)
                checks["redis"] = "unreachable"
        healthy = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"status": "ok" if healthy else "unavailable", **checks}, 200 if healthy else 503
        )

    async def metrics_endpoint(request: Request) -> Response:
        """GET /metrics: Prometheus text format; job counts are read from the database now."""
        if settings.metrics_token and not hmac.compare_digest(
            request.headers.get("authorization", "").encode(),
            f"Bearer {settings.metrics_token}".encode(),
        ):
            return JSONResponse(
                {"error": "send Authorization: Bearer <METRICS_TOKEN>"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        try:
            await metrics.refresh_job_counts()
        except Exception as exc:
            # The rest of the metrics are worth having while the database is away.
            log.warning("metrics: could not count jobs (%r); the jobs gauge is left out", exc)
            metrics.JOBS.clear()
        return Response(generate_latest(metrics.REGISTRY), media_type=CONTENT_TYPE_LATEST)

    async def upload(request: Request) -> Response:
        """PUT /uploads/<token>: the bytes of a local-storage upload, streamed to disk."""
        assert isinstance(storage, LocalStorage)
        length = request.headers.get("content-length")
        try:
            await assets.receive_local_upload(
                storage,
                request.path_params["token"],
                request.headers.get("content-type"),
                int(length) if length and length.isdigit() else None,
                request.stream(),
            )
        except DomainError as exc:
            return _error_response(exc, headers=SECURITY_HEADERS)
        return Response(status_code=200, headers=SECURITY_HEADERS)

    async def media(request: Request) -> Response:
        """GET /media/<token>: a READY asset from local storage, rendered inline only when its
        type is inert (services.media_types), never sniffed, sandboxed if rendered at all."""
        assert isinstance(storage, LocalStorage)
        try:
            path, served = await assets.open_local_download(storage, request.path_params["token"])
        except DomainError as exc:
            return _error_response(exc, headers=SECURITY_HEADERS)
        return FileResponse(
            path,
            media_type=served.content_type,
            headers={"Content-Disposition": served.content_disposition, **SECURITY_HEADERS},
        )

    local_media = (
        [Route("/uploads/{token}", upload, methods=["PUT"]), Route("/media/{token}", media)]
        if isinstance(storage, LocalStorage)
        else []
    )
    socket_route = WebSocketRoute("/graphql", CountWebSockets(graphql))
    app = Storygraph(
        socket_route=socket_route,
        routes=[
            *local_media,
            Route("/health", health),
            Route("/ready", ready),
            Route("/metrics", metrics_endpoint),
            Route("/graphql", BodyLimit(graphql, settings.max_body_bytes), methods=["GET", "POST"]),
            socket_route,
        ],
        lifespan=lifespan,
        middleware=[
            Middleware(
                CORSMiddleware,
                allow_origins=settings.allowed_origins,
                allow_methods=["GET", "POST", "PUT"],
                allow_headers=["Authorization", "Content-Type"],
            ),
        ],
    )
    app.state.callers = auth_config.callers  # for operators' tools and tests
    app.state.broker = broker
    app.state.graphql = graphql
    return app


def main() -> None:
    import uvicorn

    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    try:
        app = create_app(settings)
    except ConfigurationError as exc:
        raise SystemExit(f"storygraph: {exc}") from None
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        # WebSocket messages: uvicorn closes 1009 past this; the app refuses them too (4400).
        ws_max_size=settings.max_body_bytes,
        # No permessage-deflate (as in docker-compose.yml): browsers offer it, and a negotiated
        # compressor and decompressor cost ~41 KiB per socket, more than the 30 KB a subscriber
        # may cost in all (README, Memory per subscriber); the fan-out would also compress each
        # event once per subscriber. Our messages are small JSON.
        ws_per_message_deflate=False,
        # uvicorn's WebSocket protocol minus ~9 KiB a socket need not keep (schema.socket_protocol).
        ws=UVICORN_WS,
    )


if __name__ == "__main__":
    main()
