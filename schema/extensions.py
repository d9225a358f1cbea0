"""Query limits and the one error formatter."""

from typing import Any

from graphql import ASTValidationRule, GraphQLError
from strawberry.extensions import AddValidationRules, ValidationCache
from strawberry.extensions.max_aliases import create_validator as alias_validator
from strawberry.extensions.query_depth_limiter import create_validator as depth_validator

from resolvers.errors import contract_error


def format_errors(errors: list[GraphQLError]) -> None:
    """Rewrite, in place, every error of a result into the contract's shape.

    Called through `Schema.process_errors`, which Strawberry runs for every result it produces —
    HTTP responses and each frame of a subscription alike — on the very list it then sends.
    """
    errors[:] = [contract_error(error) for error in errors]


def limits(max_depth: int, max_aliases: int) -> list[Any]:
    """Depth and alias limits, plus a validation cache.

    Strawberry's limiters build a new rule class per instance, so as per-request factories their
    rules never equal the last request's and validation could not be cached; here the rule
    classes are made once, so an identical document is validated once (LRU).
    """
    rules: list[type[ASTValidationRule]] = [
        depth_validator(max_depth, should_ignore=None),
        alias_validator(max_aliases),
    ]
    return [
        lambda: AddValidationRules(rules),
        lambda: ValidationCache(maxsize=512),
    ]
