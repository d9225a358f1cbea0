"""Query limits, the parse cache and the one error formatter."""

from collections.abc import Iterator
from contextlib import suppress
from typing import Any

from graphql import ASTValidationRule, DocumentNode, GraphQLError, OperationDefinitionNode, parse
from strawberry.exceptions import MissingQueryError
from strawberry.extensions import SchemaExtension
from strawberry.extensions.max_aliases import create_validator as alias_validator
from strawberry.extensions.query_depth_limiter import create_validator as depth_validator
from strawberry.schema.schema import validate_document
from strawberry.types import ExecutionContext

from resolvers.context import Context, OperationLimits
from resolvers.errors import contract_error
from schema.document_cache import documents
from schema.identity_cache import IdentityCache
from services.errors import InvalidInput

DEFAULT_LIMITS = OperationLimits()


class RequestRefused(MissingQueryError, InvalidInput):
    """A request refused before its document is parsed or run (BAD_USER_INPUT with a field).

    A MissingQueryError because that is what Strawberry lets out of its parse and validate steps
    on every transport: over HTTP it becomes a 400 (schema.context.GraphQLApp.run answers with
    this error's message and field), over WebSocket an error message for the operation. Any other
    exception raised there would escape a WebSocket operation as a server fault.
    """

    def __init__(self, message: str, *, field: str) -> None:
        InvalidInput.__init__(self, message, field=field)


def too_large(query: str, max_bytes: int) -> bool:
    # A character is at most 4 bytes of UTF-8: short documents need no encoding to be measured.
    return len(query) > max_bytes or (
        len(query) * 4 > max_bytes and len(query.encode()) > max_bytes
    )


def format_errors(errors: list[GraphQLError]) -> None:
    """Rewrite, in place, every error of a result into the contract's shape.

    Called through `Schema.process_errors`, which Strawberry runs for every result it produces —
    HTTP responses and each frame of a subscription alike — on the very list it then sends.
    """
    errors[:] = [contract_error(error) for error in errors]


_validations: IdentityCache[DocumentNode, tuple[tuple[Any, ...], list[GraphQLError]]] = (
    IdentityCache(512)
)


class Documents(SchemaExtension):
    """Each distinct document parsed once and validated once (with the schema's limit rules).

    A document over the size cap is refused before anything parses it, and the parser stops past
    the token limit (both from the context's limits). The documents of authenticated callers
    are cached by text (schema.document_cache, bounded in bytes); an anonymous caller's are parsed
    for the request only, so nobody can fill the cache without an account. A repeated query thus
    arrives as the same AST object and its validation (here) and read plan (schema.execution) are
    found by identity: Strawberry's ValidationCache keys its LRU by the document, whose hash
    graphql-core recomputes node by node on every request. Strawberry's ParserCache is not used
    either: a syntax error raised from its hook came back as INTERNAL. Documents are never
    mutated during execution, so sharing one is safe. One extension rather than three: each
    costs hook dispatch on every operation.
    """

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        query = context.query
        if context.graphql_document is None and isinstance(query, str) and query:
            ctx = context.context
            limits = ctx.limits if isinstance(ctx, Context) else DEFAULT_LIMITS
            if too_large(query, limits.max_query_bytes):
                raise RequestRefused(
                    f"The document exceeds {limits.max_query_bytes} bytes.", field="query"
                )
            # Strawberry parses with these too when it reports a document that does not parse.
            context.parse_options = {"max_tokens": limits.max_query_tokens}
            cacheable = isinstance(ctx, Context) and ctx.principal is not None
            document = documents.get(query, limits.max_query_tokens) if cacheable else None
            if document is None:
                # A document that does not parse is left to Strawberry, which reports it.
                with suppress(GraphQLError):
                    document = parse(query, max_tokens=limits.max_query_tokens)
                    if cacheable:
                        documents.put(query, document)
            context.graphql_document = document
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document, rules = context.graphql_document, tuple(context.validation_rules)
        assert document is not None
        if _operation_name_missing(context, document):
            raise RequestRefused(
                "The document holds several operations: name one in `operationName`.",
                field="operationName",
            )

        def validate() -> tuple[tuple[Any, ...], list[GraphQLError]]:
            return rules, validate_document(context.schema._schema, document, rules)

        cached_rules, errors = _validations.get(document, validate)
        if cached_rules != rules:
            _, errors = validate()
        # A copy: the error formatter rewrites the list it is given in place.
        context.pre_execution_errors = list(errors)
        yield


def validated(document: DocumentNode, rules: tuple[Any, ...]) -> bool:
    """Whether `document` was validated with `rules` and found valid (computing nothing)."""
    entry = _validations.peek(document)
    return entry is not None and entry[0] == rules and not entry[1]


def _operation_name_missing(context: ExecutionContext, document: DocumentNode) -> bool:
    """Several operations and no operationName: the GraphQL spec's GetOperation() is an error
    (Strawberry would run the first)."""
    # The name the request gave; ExecutionContext.operation_name falls back to the first one's.
    if context._provided_operation_name is not None:
        return False
    operations = (d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    return next(operations, None) is not None and next(operations, None) is not None


def limit_rules(max_depth: int, max_aliases: int) -> tuple[type[ASTValidationRule], ...]:
    """Depth and alias limits as validation rules, made once.

    Strawberry's limiters build a new rule class per instance, so as per-request extensions
    their rules never equal the last request's and validation could not be cached; here the
    rule classes are made once (schema.Schema adds them to every operation), so an identical
    document is validated once.
    """
    return (depth_validator(max_depth, should_ignore=None), alias_validator(max_aliases))
