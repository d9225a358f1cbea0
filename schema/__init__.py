"""The Strawberry schema: the GraphQL surface of Storygraph."""

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from schema.extensions import ContractErrors, limits
from schema.mutation import Mutation
from schema.query import Query
from schema.subscription import Subscription

MAX_DEPTH = 12
MAX_ALIASES = 50


class Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # ContractErrors already logged what was unexpected; expected errors are not server faults.
        return


schema = Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    extensions=[*limits(MAX_DEPTH, MAX_ALIASES), ContractErrors],
)
