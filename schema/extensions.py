"""Query limits and the one error formatter."""

from typing import Any

from graphql import GraphQLError
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter

from resolvers.errors import contract_error


def format_errors(errors: list[GraphQLError]) -> None:
    """Rewrite, in place, every error of a result into the contract's shape.

    Called through `Schema.process_errors`, which Strawberry runs for every result it produces —
    HTTP responses and each frame of a subscription alike — on the very list it then sends.
    """
    errors[:] = [contract_error(error) for error in errors]


def limits(max_depth: int, max_aliases: int) -> list[Any]:
    return [
        lambda: QueryDepthLimiter(max_depth=max_depth),
        lambda: MaxAliasesLimiter(max_alias_count=max_aliases),
    ]
