"""Schema extensions: query limits and the one error formatter."""

from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter, SchemaExtension

from resolvers.errors import contract_error


class ContractErrors(SchemaExtension):
    """Rewrite every error of an operation into the contract's shape (see resolvers.errors)."""

    def on_operation(self) -> Iterator[None]:
        yield
        result: Any = self.execution_context.result
        if result is not None and getattr(result, "errors", None):
            result.errors = [contract_error(e) for e in result.errors]
        pre: list[GraphQLError] | None = self.execution_context.pre_execution_errors
        if pre:
            self.execution_context.pre_execution_errors = [contract_error(e) for e in pre]


def limits(max_depth: int, max_aliases: int) -> list[Any]:
    return [
        lambda: QueryDepthLimiter(max_depth=max_depth),
        lambda: MaxAliasesLimiter(max_alias_count=max_aliases),
    ]
