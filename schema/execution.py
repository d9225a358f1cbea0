"""The graphql-core execution context Storygraph runs with."""

from typing import Any

from graphql.execution.executor import Executor
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext


class GraphQLExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's context, without graphql-core 3.3's per-event memory growth.

    graphql-core builds each subscription event's executor with a shallow copy, so every event
    shares one `_relevant_sub_fields` memo keyed by the id of a list that is new each event:
    a long-lived subscription gains an entry (~2 KB) per event until it ends. Each event gets a
    fresh memo here instead.
    """

    def build_per_event_executor(self, payload: Any) -> Executor[Any]:
        executor = super().build_per_event_executor(payload)
        executor._relevant_sub_fields = {}
        return executor
