"""Query limits, the parse cache and the one error formatter."""

from collections.abc import Iterator
from contextlib import suppress
from functools import lru_cache
from typing import Any

from graphql import ASTValidationRule, DocumentNode, GraphQLError, parse
from strawberry.extensions import SchemaExtension
from strawberry.extensions.max_aliases import create_validator as alias_validator
from strawberry.extensions.query_depth_limiter import create_validator as depth_validator
from strawberry.schema.schema import validate_document

from resolvers.errors import contract_error
from schema.identity_cache import IdentityCache


def format_errors(errors: list[GraphQLError]) -> None:
    """Rewrite, in place, every error of a result into the contract's shape.

    Called through `Schema.process_errors`, which Strawberry runs for every result it produces —
    HTTP responses and each frame of a subscription alike — on the very list it then sends.
    """
    errors[:] = [contract_error(error) for error in errors]


@lru_cache(maxsize=512)
def _parse(query: str) -> DocumentNode:
    return parse(query)


_validations: IdentityCache[DocumentNode, tuple[tuple[Any, ...], list[GraphQLError]]] = (
    IdentityCache(512)
)


class Documents(SchemaExtension):
    """The limit rules, and each distinct document parsed once and validated once.

    Parsing is cached by text (LRU), so a repeated query arrives as the same AST object and its
    validation (here) and read plan (schema.execution) are found by identity: Strawberry's
    ValidationCache keys its LRU by the document, whose hash graphql-core recomputes node by node
    on every request. Strawberry's ParserCache is not used either: a syntax error raised from its
    hook came back as INTERNAL. Documents are never mutated during execution, so sharing one is
    safe. One extension rather than three: each costs hook dispatch on every operation.
    """

    def __init__(self, rules: tuple[type[ASTValidationRule], ...]) -> None:
        self.rules = rules

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.validation_rules = (*context.validation_rules, *self.rules)
        yield

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is None and context.query and not context.parse_options:
            # A document that does not parse is left to Strawberry, which reports it.
            with suppress(GraphQLError):
                context.graphql_document = _parse(context.query)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document, rules = context.graphql_document, tuple(context.validation_rules)
        assert document is not None

        def validate() -> tuple[tuple[Any, ...], list[GraphQLError]]:
            return rules, validate_document(context.schema._schema, document, rules)

        cached_rules, errors = _validations.get(document, validate)
        if cached_rules != rules:
            _, errors = validate()
        # A copy: the error formatter rewrites the list it is given in place.
        context.pre_execution_errors = list(errors)
        yield


def limits(max_depth: int, max_aliases: int) -> list[Any]:
    """Depth and alias limits, with parse and validation caches.

    Strawberry's limiters build a new rule class per instance, so as per-request factories their
    rules never equal the last request's and validation could not be cached; here the rule
    classes are made once, so an identical document is validated once.
    """
    rules = (depth_validator(max_depth, should_ignore=None), alias_validator(max_aliases))
    return [lambda: Documents(rules)]
