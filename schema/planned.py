"""The planned-read lane: a repeated query that a read plan answers, without the per-operation
machinery it does not need.

Strawberry runs every operation through an execution context, the extensions' hooks, graphql-
core's `execute` and its own result handling; for a dashboard's query that is a fifth of the
server's time, and all of it was decided the first time the document ran. This lane takes an
HTTP query only when everything the usual path would check is already known: the document is in
the parse cache (an authenticated caller's) and validated without error with the schema's rules,
its operation is a query, its variables coerce, the operation guard passes, and a read plan
covers it. Then it does what the usual path would: counts the caller against the rate limit,
runs the plan within the operation's time limit, records the metrics and the log line. Anything
else — a first sight, an error, a refusal, a plan that raises — goes the usual way and gets the
usual answer (the rate limit counted once: `Context.rate_checked`). Answers are byte-identical
(tests/api/test_planned_lane.py).
"""

import asyncio
import time
from collections.abc import Iterable
from typing import Any

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
)
from graphql.execution.values import get_variable_values
from starlette.requests import Request
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType as AllowedType

from resolvers.context import Context
from schema import execution, observability, operation_guard, read_run
from schema.document_cache import documents
from schema.extensions import too_large, validated


def _operation(
    document: DocumentNode, name: str | None
) -> tuple[OperationDefinitionNode | None, dict[str, FragmentDefinitionNode]]:
    """The operation `name` picks (the only one when None) and the document's fragments."""
    operation = None
    fragments: dict[str, FragmentDefinitionNode] = {}
    several = False
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            if name is None:
                several = operation is not None
                operation = definition
            elif definition.name is not None and definition.name.value == name:
                operation = definition
        elif isinstance(definition, FragmentDefinitionNode):
            fragments[definition.name.value] = definition
    return (None if several else operation), fragments


async def answer(
    schema: GraphQLSchema,
    rules: tuple[Any, ...] | None,
    query: str | None,
    variables: dict[str, Any] | None,
    ctx: object,
    operation_name: str | None,
    allowed: Iterable[AllowedType],
) -> ExecutionResult | None:
    """The operation's result when this lane can give it; None for the usual path."""
    if (
        rules is None
        or not isinstance(ctx, Context)
        or ctx.principal is None
        or ctx.started
        or not isinstance(query, str)
        or not isinstance(ctx.request, Request)  # HTTP only: a WebSocket re-checks credentials
        or AllowedType.QUERY not in allowed
    ):
        return None
    limits = ctx.limits
    if too_large(query, limits.max_query_bytes):
        return None
    document = documents.get(query, limits.max_query_tokens)
    if document is None or not validated(document, rules):
        return None
    operation, fragments = _operation(document, operation_name)
    if operation is None or operation.operation is not OperationType.QUERY:
        return None
    values = get_variable_values(schema, operation.variable_definitions or (), variables or {})
    if isinstance(values, list):
        return None  # variables that do not coerce: the usual path reports them
    coerced = values.coerced
    plan = execution.plan_for(schema, operation, fragments, coerced)
    if plan is None:
        return None
    try:
        operation_guard.check(schema, operation, fragments, coerced, limits.max_cost)
    except GraphQLError:
        return None
    started = time.perf_counter()
    ctx.rate_refusal = await observability.count_caller(ctx)
    ctx.rate_checked = True
    if ctx.rate_refusal is not None:
        return None
    name = operation.name.value if operation.name is not None else None
    ctx.started = True
    try:
        async with asyncio.timeout(limits.timeout_seconds):
            data = await read_run.run(plan, ctx, values)
    except TimeoutError:
        result = ExecutionResult(data=None, errors=[execution.timed_out(limits.timeout_seconds)])
        observability.report(ctx, name, "query", ["BAD_USER_INPUT"], time.perf_counter() - started)
        return result
    except Exception:
        # graphql-core reports it with its path and partial data, as without this lane.
        ctx.started = False
        return None
    observability.report(ctx, name, "query", [], time.perf_counter() - started)
    return ExecutionResult(data=data, errors=None)
