"""Custom scalars: `Long`, a 64-bit integer written as a JSON number."""

from typing import Any, NewType

import strawberry
from graphql import IntValueNode, ValueNode

MIN_LONG, MAX_LONG = -(2**63), 2**63 - 1


def _parse(value: Any) -> int:
    # bool is an int in Python, and a float such as 1.5 is not an integer: both refused.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("Long cannot represent a non-integer value")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("Long cannot represent a non-integer value")
        value = int(value)
    if not MIN_LONG <= value <= MAX_LONG:
        raise ValueError("Long cannot represent a value outside 64 bits")
    return int(value)


def _parse_literal(node: ValueNode, variables: Any = None) -> int:
    if not isinstance(node, IntValueNode):
        raise ValueError("Long cannot represent a non-integer value")
    return _parse(int(node.value))


Long = NewType("Long", int)
# Given to the schema's StrawberryConfig(scalar_map=...): the class form is deprecated.
LONG = strawberry.scalar(
    name="Long",
    description="A 64-bit integer, written as a JSON number (exact up to 2^53 - 1).",
    serialize=int,
    parse_value=_parse,
    parse_literal=_parse_literal,
)
