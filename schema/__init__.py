"""The Strawberry schema: the GraphQL surface of Storygraph."""

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from schema.credentials import Credentials
from schema.execution import GraphQLExecutionContext
from schema.extensions import format_errors, limits
from schema.mutation import Mutation
from schema.observability import Observability, tracing
from schema.query import Query
from schema.scalars import LONG, Long
from schema.subscription import Subscription

MAX_DEPTH = 12
MAX_ALIASES = 50


class Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Instead of logging every error (expected ones are not server faults), give each the
        # contract's shape; resolvers.errors logs the unexpected ones with their traceback.
        format_errors(errors)


schema = Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    extensions=[*tracing(), Credentials, *limits(MAX_DEPTH, MAX_ALIASES), Observability],
    execution_context_class=GraphQLExecutionContext,
    config=StrawberryConfig(scalar_map={Long: LONG}),
)
