"""Subscriptions must not grow in memory with every event (graphql-core 3.3 per-event memo)."""

from collections.abc import AsyncGenerator
from typing import Any

import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.execution import GraphQLExecutionContext

EVENTS = 500


@strawberry.type
class Tick:
    number: int


@strawberry.type
class Query:
    ok: bool = True


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def ticks(self, count: int) -> AsyncGenerator[Tick, None]:
        for number in range(count):
            yield Tick(number=number)


async def memo_size_after_events(context_class: type[Any]) -> int:
    executors: list[Any] = []

    class Spy(context_class):  # type: ignore[misc]
        def build_per_event_executor(self, payload: Any) -> Any:
            executor = super().build_per_event_executor(payload)
            executors.append(executor)
            return executor

    schema = strawberry.Schema(query=Query, subscription=Subscription, execution_context_class=Spy)
    stream = await schema.subscribe(f"subscription {{ ticks(count: {EVENTS}) {{ number }} }}")
    numbers = [result.data["ticks"]["number"] async for result in stream]  # type: ignore[index]
    assert numbers == list(range(EVENTS))
    return len(executors[-1]._relevant_sub_fields)


async def test_graphql_core_alone_keeps_one_memo_entry_per_event() -> None:
    # The upstream behaviour the fix exists for: if this starts failing, graphql-core fixed it.
    assert await memo_size_after_events(StrawberryGraphQLCoreExecutionContext) == EVENTS


async def test_our_execution_context_keeps_the_memo_per_event() -> None:
    assert await memo_size_after_events(GraphQLExecutionContext) == 1
