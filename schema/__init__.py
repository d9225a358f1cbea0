"""The Strawberry schema: the GraphQL surface of Storygraph."""

from collections.abc import Iterable
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from schema import planned
from schema.execution import GraphQLExecutionContext
from schema.extensions import Documents, format_errors, limit_rules
from schema.mutation import Mutation
from schema.observability import Observability, tracing
from schema.query import Query
from schema.scalars import LONG, Long
from schema.subscription import Subscription

MAX_DEPTH = 12
MAX_ALIASES = 50
LIMIT_RULES = limit_rules(MAX_DEPTH, MAX_ALIASES)


class Schema(strawberry.Schema):
    # The validation rules every operation runs with, known once the first one was created.
    _rules: tuple[Any, ...] | None = None
    # An extension or field middleware that must see every operation (tracing) closes the lane.
    planned_lane = True

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Instead of logging every error (expected ones are not server faults), give each the
        # contract's shape; resolvers.errors logs the unexpected ones with their traceback.
        format_errors(errors)

    def _create_execution_context(self, *args: Any, **kwargs: Any) -> ExecutionContext:
        # The limit rules join every operation's validation here rather than in an extension's
        # hook, which would cost a dispatch per operation.
        context = super()._create_execution_context(*args, **kwargs)
        context.validation_rules = (*context.validation_rules, *LIMIT_RULES)
        self._rules = context.validation_rules
        return context

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        """A repeated planned query by the planned lane (schema.planned), others as usual."""
        if self.planned_lane and root_value is None:
            result = await planned.answer(
                self._schema,
                self._rules,
                query,
                variable_values,
                context_value,
                operation_name,
                allowed_operation_types or (OperationType.QUERY,),
            )
            if result is not None:
                if result.errors:
                    self.process_errors(result.errors)
                return result
        return await super().execute(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            allowed_operation_types,
            operation_extensions,
        )


_tracing = tracing()
schema = Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    extensions=[*_tracing, Documents, Observability],
    execution_context_class=GraphQLExecutionContext,
    config=StrawberryConfig(scalar_map={Long: LONG}),
)
schema.planned_lane = not _tracing
