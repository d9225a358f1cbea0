"""Root `node` and `nodes`: every type implementing `Node` is found by id.

The registry is the set of Strawberry types that implement `Node` (each a RowType, so its model
is known); services.nodes.OWNERS says how a row of each model belongs to a user. A type joins by
implementing `Node` and having its owner declared there; tests/api/test_nodes.py fails for an
object type with an `id` that is not a Node, or a Node that `node` cannot find.
"""

import functools
from collections.abc import Sequence
from typing import Any

from tortoise.models import Model

from resolvers import nodes
from resolvers.context import Info
from schema.relations import RowType
from schema.types.node import Node


@functools.cache
def node_types() -> dict[type[Model], type[RowType]]:
    """Model -> the Strawberry type of every Node (read once the schema is built)."""
    found: dict[type[Model], type[RowType]] = {}
    pending: list[type[Any]] = [Node]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if hasattr(cls, "__strawberry_definition__") and issubclass(cls, RowType):
            found[cls.model] = cls
    return found


def _built(found: nodes.Found) -> Node | None:
    if found is None:
        return None
    model, row = found
    built: Node = node_types()[model].from_row(row)  # type: ignore[assignment]
    return built


async def node(info: Info, id: str) -> Node | None:
    models = tuple(node_types())
    return _built(await nodes.node(info.context, id=id, models=models))


async def nodes_of(info: Info, ids: Sequence[str]) -> list[Node | None]:
    models = tuple(node_types())
    return [_built(found) for found in await nodes.nodes_of(info.context, ids=ids, models=models)]
