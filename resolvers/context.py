"""The per-request (per-WebSocket-connection) context every resolver reads."""

from dataclasses import dataclass, field
from typing import Any

import strawberry

from resolvers.loaders import Loaders
from services.auth import Principal
from services.broker import Broker
from services.callers import CallerCache
from services.errors import DomainError, Unauthenticated
from services.jobs import RetryPolicy
from services.ratelimit import RateLimits
from services.storage import Storage
from services.webhook_address import AddressGuard


@dataclass(frozen=True)
class AuthConfig:
    secret: str
    token_ttl_seconds: int
    # The callers' user rows (services.callers), kept true by `follow` in the app's lifespan.
    callers: CallerCache = field(default_factory=CallerCache)


@dataclass(frozen=True)
class OperationLimits:
    """Bounds on one operation (README, Security). Before parsing: a document over
    `max_query_bytes` of UTF-8 is refused; while parsing: past `max_query_tokens` tokens. Before
    execution: more than `max_cost` objects it could return; during: `timeout_seconds`; after:
    a response over `max_response_bytes`. Settings MAX_QUERY_BYTES, MAX_QUERY_TOKENS,
    MAX_QUERY_COST, OPERATION_TIMEOUT_SECONDS, MAX_RESPONSE_BYTES."""

    max_query_bytes: int = 100 * 1024
    max_query_tokens: int = 5000
    max_cost: int = 5_000_000
    timeout_seconds: float = 30.0
    max_response_bytes: int = 10 * 1024 * 1024


@dataclass
class Context:
    auth: AuthConfig
    broker: Broker
    storage: Storage
    retry_policy: RetryPolicy
    principal: Principal | None = None
    # A credential was presented and refused: whatever looks at the caller fails with it.
    auth_error: DomainError | None = None
    loaders: Loaders = field(default_factory=Loaders)
    request: Any = None
    # The client's IP address as the server saw it (uvicorn's --proxy-headers decides).
    client_address: str | None = None
    rate_limits: RateLimits | None = None
    limits: OperationLimits = OperationLimits()
    # Which addresses webhook URLs may resolve to (WEBHOOK_ALLOW_PRIVATE_NETWORKS).
    webhook_guard: AddressGuard = field(default_factory=AddressGuard)
    # Set by Strawberry from a WebSocket's `connection_init` payload.
    connection_params: dict[str, Any] | None = None
    # An operation passed every check and began to run (over HTTP: its result is not a request
    # error, schema.http).
    started: bool = False
    # HTTP only (a WebSocket's context serves many operations): the request's operation was
    # counted against the caller's rate limit by schema.planned, which then handed it to the
    # usual path; with its refusal if any.
    rate_checked: bool = False
    rate_refusal: DomainError | None = None

    def caller(self) -> Principal | None:
        """The principal, None when anonymous; raises when a presented credential was bad."""
        if self.auth_error is not None:
            raise self.auth_error
        return self.principal

    def require(self, scope: str = "read", *alternatives: str) -> Principal:
        """The caller, if it has `scope` or one of the `alternatives`."""
        principal = self.caller()
        if principal is None:
            raise Unauthenticated("Authentication required: send `Authorization: Bearer <token>`.")
        return principal.require(scope, *alternatives)


Info = strawberry.Info[Context, None]
