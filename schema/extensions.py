"""Query limits, the parse cache and the one error formatter."""

from collections.abc import Iterator
from contextlib import suppress
from functools import lru_cache
from typing import Any

from graphql import ASTValidationRule, DocumentNode, GraphQLError, parse
from strawberry.extensions import AddValidationRules, SchemaExtension
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


class ParseCache(SchemaExtension):
    """Each distinct document text is parsed once (LRU), so its validation and its read plan
    (schema.execution) are found in their caches by identity.

    Strawberry's ParserCache is not used: a syntax error raised from the hook came back as
    INTERNAL. Documents are never mutated during execution, so sharing one is safe.
    """

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is None and context.query and not context.parse_options:
            # A document that does not parse is left to Strawberry, which reports it.
            with suppress(GraphQLError):
                context.graphql_document = _parse(context.query)
        yield


_validations: IdentityCache[DocumentNode, tuple[tuple[Any, ...], list[GraphQLError]]] = (
    IdentityCache(512)
)


class ValidationCache(SchemaExtension):
    """A document (the same parsed object: ParseCache) is validated once per set of rules.

    Strawberry's ValidationCache keys its LRU by the document, whose hash graphql-core computes
    node by node on every request."""

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
    """Depth and alias limits, plus parse and validation caches.

    Strawberry's limiters build a new rule class per instance, so as per-request factories their
    rules never equal the last request's and validation could not be cached; here the rule
    classes are made once, so an identical document is validated once.
    """
    rules: list[type[ASTValidationRule]] = [
        depth_validator(max_depth, should_ignore=None),
        alias_validator(max_aliases),
    ]
    return [
        ParseCache,
        lambda: AddValidationRules(rules),
        ValidationCache,
    ]
