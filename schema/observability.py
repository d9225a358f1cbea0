"""Per-operation checks of the caller and observability: the credential of a WebSocket
re-checked, the caller's rate limit, one JSON log line, metrics; OTel tracing.

`Observability` runs for every operation, over HTTP and WebSocket alike (queries, mutations and
subscriptions). The log line names the operation and the caller by id only: never a token, a
password, variables or the document. One extension for all of it: each extension costs hook
dispatch on every operation.
"""

import logging
import os
import time
from collections.abc import AsyncIterator, Callable, Generator, Mapping
from typing import Any

from graphql import GraphQLError
from starlette.websockets import WebSocket
from strawberry.exceptions import MissingQueryError
from strawberry.extensions import SchemaExtension
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult

from resolvers.context import Context
from schema import credentials, fanout
from services import metrics
from services.errors import DomainError, RateLimited

log = logging.getLogger("storygraph.operations")


class Observability(SchemaExtension):
    """Times each operation; refuses it before execution when the caller is over its limit."""

    def __init__(self, *, execution_context: Any = None) -> None:
        if execution_context is not None:
            self.execution_context = execution_context
        self._codes: dict[str, None] = {}  # error codes in order of appearance
        self._streaming = False
        self._refusal: DomainError | None = None

    async def on_operation(self) -> AsyncIterator[None]:
        started = time.perf_counter()
        await credentials.recheck(self.execution_context.context)
        credentials.act_for(self.execution_context.context)
        # Every operation counts, even one whose document turns out not to parse or validate.
        self._refusal = await self._count_caller()
        try:
            yield
        except Exception as exc:
            self._codes[_code_of(exc)] = None
            raise
        finally:
            self._finish(started)

    async def on_execute(self) -> AsyncIterator[None]:
        if self._refusal is not None:
            # Raised here (not earlier, where a streaming transport would not catch it), the
            # error reaches the client through the one formatter with its code and retryAfter,
            # over HTTP and WebSocket alike; nothing has been executed.
            raise self._refusal
        if self._operation_type() == "subscription":
            self._streaming = True
            metrics.SUBSCRIPTIONS.inc()
        yield

    def on_stream_result(self, result: Any) -> Generator[None, None, None]:
        # A subscription's results come one by one; remember the errors of every one of them.
        if isinstance(result, ExecutionResult):
            self._note_errors(result.errors)
        yield

    async def _count_caller(self) -> DomainError | None:
        ctx = self.execution_context.context
        return await count_caller(ctx) if isinstance(ctx, Context) else None

    def _finish(self, started: float) -> None:
        context = self.execution_context
        if context.result is not None:
            self._note_errors(context.result.errors)
        self._note_errors(context.pre_execution_errors)
        ctx = context.context
        finish = _Finish(
            ctx if isinstance(ctx, Context) else None,
            context.operation_name,
            self._operation_type(),
            list(self._codes),
            started,
            self._streaming,
        )
        sink = fanout.current_sink.get()
        if sink is not None and sink.parked is not None:
            # The subscription's stream lives on in its feed (schema.fanout): it is reported
            # when it really ends. Only what the report needs is kept, not this extension.
            sink.parked.at_end(finish)
        else:
            finish([])

    def _note_errors(self, errors: list[GraphQLError] | None) -> None:
        for error in errors or ():
            self._codes[str((error.extensions or {}).get("code", "INTERNAL"))] = None

    def _operation_type(self) -> str | None:
        try:
            return self.execution_context.operation_type.value
        except Exception:  # no document (it did not parse), or no such operation in it
            return None


class _Finish:
    """The end of one operation: its metrics and its log line, with the codes of errors sent
    after the operation's own task ended (a parked subscription's)."""

    __slots__ = ("codes", "ctx", "name", "started", "streaming", "type_")

    def __init__(
        self,
        ctx: Context | None,
        name: str | None,
        type_: str | None,
        codes: list[str],
        started: float,
        streaming: bool,
    ) -> None:
        self.ctx, self.name, self.type_, self.codes = ctx, name, type_, codes
        self.started, self.streaming = started, streaming

    def __call__(self, later_codes: list[str]) -> None:
        if self.streaming:
            metrics.SUBSCRIPTIONS.dec()
        codes = list(dict.fromkeys([*self.codes, *later_codes]))
        report(self.ctx, self.name, self.type_, codes, time.perf_counter() - self.started)


async def count_caller(ctx: Context) -> DomainError | None:
    """Count the operation against the caller's rate limit; its refusal (RATE_LIMITED) if the
    caller is over it. An HTTP request's operation already counted by schema.planned (which
    then handed it to the usual path) is not counted again."""
    if ctx.rate_checked:
        return ctx.rate_refusal
    if ctx.rate_limits is None:
        return None
    principal = ctx.principal
    try:
        await ctx.rate_limits.check_caller(
            user_id=principal.user_id if principal else None,
            api_key_id=principal.api_key_id if principal else None,
            address=ctx.client_address,
        )
    except RateLimited as refusal:
        return refusal
    return None


def report(
    ctx: Context | None,
    name: str | None,
    type_: str | None,
    codes: list[str],
    seconds: float,
) -> None:
    """The operation's metrics and its one log line."""
    metrics.record_operation(
        name, type_, codes[0] if codes else "ok", None if type_ == "subscription" else seconds
    )
    principal = ctx.principal if ctx is not None else None
    request = ctx.request if ctx is not None else None
    log.info(
        "graphql operation",
        extra={
            "operation_name": name,
            "operation_type": type_,
            "transport": "websocket" if isinstance(request, WebSocket) else "http",
            "duration_ms": round(seconds * 1000, 3),
            "outcome": "error" if codes else "ok",
            "error_codes": codes,
            "user_id": str(principal.user_id) if principal else None,
            "api_key_id": str(principal.api_key_id) if principal and principal.api_key_id else None,
        },
    )


def _code_of(exc: Exception) -> str:
    if isinstance(exc, DomainError):
        return exc.code
    # Requests that are not a usable operation at all (no query, a mutation over GET, …).
    if isinstance(exc, MissingQueryError | InvalidOperationTypeError | CannotGetOperationTypeError):
        return "BAD_USER_INPUT"
    return "INTERNAL"


def tracing_requested(environ: Mapping[str, str]) -> bool:
    """True when the standard OpenTelemetry variables ask for traces to be exported."""
    exporter = environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if exporter == "none" or environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    return bool(
        exporter
        or environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
        or environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    )


def tracing(environ: Mapping[str, str] = os.environ) -> list[Callable[[], SchemaExtension]]:
    """Strawberry's OpenTelemetry extension when requested and the `otel` extra is installed.

    Spans carry operation names and field paths, never argument values nor the document (they
    may hold passwords). The tracer provider is set up on the first operation, not at import.
    """
    if not tracing_requested(environ):
        return []
    try:
        from schema.tracing import traced_operations
    except ImportError:
        log.warning(
            "OpenTelemetry variables are set but the `otel` extra is not installed: "
            "no traces (pip install 'storygraph[otel]')"
        )
        return []
    return [traced_operations(environ)]
