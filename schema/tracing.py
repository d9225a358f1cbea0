"""OpenTelemetry spans for GraphQL operations; needs the `otel` extra, imported only when asked.

The exporter follows the standard variables: OTEL_TRACES_EXPORTER (`otlp`, default, or
`console`), OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL (`http/protobuf`, default, or `grpc`),
OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT, OTEL_SERVICE_NAME (default `storygraph`),
OTEL_RESOURCE_ATTRIBUTES; the SDK reads the rest (headers, timeouts, sampling) itself.
"""

import logging
from collections.abc import Callable, Generator, Mapping
from typing import Any

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.trace import SpanKind
from strawberry.extensions import LifecycleStep, SchemaExtension
from strawberry.extensions.tracing.opentelemetry import OpenTelemetryExtension

log = logging.getLogger(__name__)


def _no_arguments(arguments: dict[str, Any], info: Any) -> dict[str, Any]:
    return {}


class SafeOpenTelemetryExtension(OpenTelemetryExtension):
    """Strawberry's extension, minus what may be secret: argument values and the document."""

    def __init__(self, *, execution_context: Any = None, tracer_provider: Any = None) -> None:
        super().__init__(
            execution_context=execution_context,
            arg_filter=_no_arguments,
            tracer_provider=tracer_provider,
        )

    def on_operation(self) -> Generator[None, None, None]:
        span = self._tracer.start_span("GraphQL operation", kind=SpanKind.SERVER)
        span.set_attribute("component", "graphql")
        self._span_holder[LifecycleStep.OPERATION] = span
        try:
            yield
        finally:
            # Known only once the document is parsed; `finally`, so a subscription that the
            # client stops still ends its span.
            name = self.execution_context.operation_name
            try:
                type_: str | None = self.execution_context.operation_type.value
            except Exception:
                type_ = None
            if type_:
                span.set_attribute("graphql.operation.type", type_)
            if name:
                span.set_attribute("graphql.operation.name", name)
            if type_ or name:
                span.update_name(" ".join(part for part in (type_, name) if part))
            span.end()


def _exporter(environ: Mapping[str, str]) -> SpanExporter:
    name = environ.get("OTEL_TRACES_EXPORTER", "otlp").split(",")[0].strip().lower()
    if name == "console":
        return ConsoleSpanExporter()
    protocol = environ.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") or environ.get(
        "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"
    )
    if protocol.strip().lower() == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import (
            OTLPSpanExporter as GrpcExporter,
        )

        return GrpcExporter()
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import (
        OTLPSpanExporter as HttpExporter,
    )

    return HttpExporter()


def configure_tracer_provider(environ: Mapping[str, str]) -> None:
    """Install an SDK tracer provider exporting in batches, unless one is installed already
    (e.g. by `opentelemetry-instrument`)."""
    if isinstance(trace.get_tracer_provider(), TracerProvider):
        return
    named = "OTEL_SERVICE_NAME" in environ or "service.name=" in environ.get(
        "OTEL_RESOURCE_ATTRIBUTES", ""
    )
    provider = TracerProvider(
        resource=Resource.create({} if named else {"service.name": "storygraph"})
    )
    provider.add_span_processor(BatchSpanProcessor(_exporter(environ)))
    trace.set_tracer_provider(provider)
    log.info("tracing: exporting GraphQL operation spans with OpenTelemetry")


def traced_operations(environ: Mapping[str, str]) -> Callable[[], SchemaExtension]:
    """The extension factory for the schema; the provider is set up on the first operation."""

    def extension() -> SchemaExtension:
        configure_tracer_provider(environ)
        return SafeOpenTelemetryExtension()

    return extension
