"""The Strawberry schema: the GraphQL surface of Storygraph."""

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

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
        return context


schema = Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    extensions=[*tracing(), Documents, Observability],
    execution_context_class=GraphQLExecutionContext,
    config=StrawberryConfig(scalar_map={Long: LONG}),
)
