"""The per-request (per-WebSocket-connection) context every resolver reads."""

from dataclasses import dataclass, field
from typing import Any

import strawberry

from resolvers.loaders import Loaders
from services.auth import Principal
from services.broker import Broker
from services.errors import DomainError, Unauthenticated
from services.jobs import RetryPolicy
from services.ratelimit import RateLimits
from services.storage import Storage


@dataclass(frozen=True)
class AuthConfig:
    secret: str
    token_ttl_seconds: int


@dataclass(frozen=True)
class QueryLimits:
    """Refused before parsing: documents over `max_bytes` of UTF-8; while parsing: more than
    `max_tokens` tokens (services.settings MAX_QUERY_BYTES, MAX_QUERY_TOKENS)."""

    max_bytes: int = 100 * 1024
    max_tokens: int = 5000


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
    query_limits: QueryLimits = QueryLimits()
    # Set by Strawberry from a WebSocket's `connection_init` payload.
    connection_params: dict[str, Any] | None = None

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
