"""The graphql-core execution context Storygraph runs with."""

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLField,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
)
from graphql.execution.executor import Executor
from graphql.pyutils import AwaitableOrValue, Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from resolvers.context import Context, OperationLimits
from schema import fanout, operation_guard, read_run
from schema.identity_cache import IdentityCache
from schema.read_plan import OperationPlan, Plans
from services import db
from services.errors import DomainError

log = logging.getLogger(__name__)

# By parsed operation: a repeated document (parsed once, schema.extensions.Documents) finds
# its plans, or that it has none, here.
_plans: IdentityCache[OperationDefinitionNode, Plans] = IdentityCache(512)


def plan_for(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: dict[str, Any],
    variables: dict[str, Any],
) -> OperationPlan | None:
    return _plans.get(operation, lambda: Plans(schema, operation, fragments)).plan(variables)


def timed_out(seconds: float) -> GraphQLError:
    return operation_guard.bad_input(
        f"The operation ran longer than {seconds:g} s and was stopped; a mutation it had not "
        "finished was rolled back. Ask for less.",
        "query",
    )


class GraphQLExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's context, with compiled read plans and without graphql-core 3.3's
    per-event memory growth."""

    _per_event = False  # built by build_per_event_executor: runs one subscription event

    def execute_operation(self, serially: bool | None = None) -> AwaitableOrValue[Any]:
        """Check the operation (schema.operation_guard), then run it within the time limit.

        An operation that fails the checks runs nothing. A query or mutation that runs past
        its time is stopped: a mutation's transaction rolls back (services.db.transaction).
        """
        if self.operation.operation is OperationType.SUBSCRIPTION:
            # Run once per event: the stream's arguments were checked when it started, and
            # event selections (JobEvent, Progress) hold no lists. No request's connection is
            # held while an event runs (one_connection spans an HTTP request's run, never a
            # stream), so there is none to let go: graphql-core's execution, as is.
            return super().execute_operation(serially)
        limits = self._limits()
        ctx = self.context_value
        try:
            operation_guard.check(
                self.schema,
                self.operation,
                self.fragment_definitions,
                self.variable_values.coerced,
                limits.max_cost,
            )
        except GraphQLError as error:
            self.collected_errors.add(error, None)
            return self.build_response(None)
        if isinstance(ctx, Context):
            ctx.started = True
        result = self._execute(serially)
        if not self.is_awaitable(result):
            return result
        return self._within(limits.timeout_seconds, result)

    def _limits(self) -> OperationLimits:
        ctx = self.context_value
        return ctx.limits if isinstance(ctx, Context) else OperationLimits()

    async def _within(self, seconds: float, result: Awaitable[Any]) -> Any:
        try:
            async with asyncio.timeout(seconds):
                return await result
        except TimeoutError:
            self.collected_errors.add(timed_out(seconds), None)
            return self.build_response(None)

    def _execute(self, serially: bool | None) -> AwaitableOrValue[Any]:
        """Queries a read plan covers run as that plan (schema.read_plan), others as usual.

        Field middleware (per-field tracing) needs graphql-core's per-field execution, so a
        request with any runs as usual too.
        """
        if (
            self.operation.operation is OperationType.QUERY
            and not (self.middleware_manager and self.middleware_manager.middlewares)
            and self.abort_signal is None
        ):
            plan = plan_for(
                self.schema,
                self.operation,
                self.fragment_definitions,
                self.variable_values.coerced,
            )
            if plan is not None:
                return self._run_plan(plan)
        return self._unplanned(serially)

    async def _unplanned(self, serially: bool | None) -> Any:
        """graphql-core's execution, which may run statements side by side and transactions:
        on connections of the pool, not the one a request's reads held (services.db)."""
        await db.let_go()
        result = super().execute_operation(serially)
        return await result if self.is_awaitable(result) else result

    async def _run_plan(self, plan: OperationPlan) -> ExecutionResult:
        try:
            data = await read_run.run(plan, self.context_value, self.variable_values)
        except Exception as exc:
            # Errors are graphql-core's business: it runs the document again and reports them
            # with their path, code and partial data exactly as without plans. Reads only, so
            # running twice changes nothing.
            if not isinstance(exc, DomainError | GraphQLError):
                log.warning("read plan failed; running the query without it", exc_info=True)
            result = await self._unplanned(None)
            return result  # type: ignore[no-any-return]
        result = self.build_response(data)
        assert isinstance(result, ExecutionResult)
        return result

    def build_resolve_info(
        self,
        field_def: GraphQLField,
        field_nodes: list[FieldNode],
        parent_type: GraphQLObjectType,
        path: Path,
    ) -> GraphQLResolveInfo[Any]:
        if (
            path.prev is None
            and self.operation.operation is OperationType.SUBSCRIPTION
            and not self._per_event
        ):
            # The subscription's root field: a shared stream executes its events with this
            # executor (schema.fanout); set in the operation's task, read by its resolver. Not
            # an event's executor: the task's context would keep it, and the event, alive.
            fanout.current_executor.set(self)
        return super().build_resolve_info(field_def, field_nodes, parent_type, path)

    def build_per_event_executor(self, payload: Any) -> Executor[Any]:
        """graphql-core builds each subscription event's executor with a shallow copy, so
        every event shares one `_relevant_sub_fields` memo keyed by the id of a list that is
        new each event: a long-lived subscription gains an entry (~2 KB) per event until it
        ends. Each event gets a fresh memo here instead."""
        executor = super().build_per_event_executor(payload)
        assert isinstance(executor, GraphQLExecutionContext)
        executor._relevant_sub_fields = {}
        executor._per_event = True
        return executor
