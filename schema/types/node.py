"""`Node`: the interface of every object a client can hold (schema.nodes finds them by id)."""

import strawberry


@strawberry.interface(
    description="Every object a client can hold. Ids are UUIDs, unique across all types."
)
class Node:
    id: strawberry.ID
