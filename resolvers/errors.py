"""Turn any error raised while serving an operation into the contract's shape."""

import logging
import re

from graphql import ArgumentNode, GraphQLError, ObjectFieldNode, Visitor, parse, visit

from services.db import lost_a_race
from services.errors import DomainError

log = logging.getLogger("storygraph.errors")

INTERNAL_MESSAGE = "Internal server error."
RACE_MESSAGE = "A concurrent change got in the way and this change was rolled back. Try again."
_INPUT_PATH = re.compile(r" at \.(?:[\w\[\].]*\.)?(\w+)(?:\[\d+\])?:")
_VARIABLE = re.compile(r"Variable '\$(\w+)'")
_ARGUMENT = re.compile(r"[Aa]rgument '(\w+)'|field '(?:\w+\.)?(\w+)'")


def contract_error(error: GraphQLError) -> GraphQLError:
    """Domain errors keep their code; request errors become BAD_USER_INPUT; the rest INTERNAL.

    An unexpected error is logged with its traceback and reaches the client as a fixed message,
    so no SQL or stack trace can leak.
    """
    original = error.original_error
    if original is None and "code" in (error.extensions or {}):
        return error  # already in shape
    if isinstance(original, DomainError):
        extensions = {"code": original.code, **original.extensions}
        if original.field is not None:
            extensions["field"] = original.field
        return _rebuild(error, original.message, extensions)
    if lost_a_race(original):
        # PostgreSQL broke a deadlock or a serialization conflict by aborting this operation's
        # transaction: none of that transaction was kept; the same request again may succeed.
        log.warning("operation aborted to break a deadlock at %s: %s", error.path, original)
        return _rebuild(error, RACE_MESSAGE, {"code": "CONFLICT"})
    if original is None and error.path is None:
        return _rebuild(error, error.message, {"code": "BAD_USER_INPUT", "field": _field_of(error)})
    if isinstance(original, ValueError | TypeError | GraphQLError) and error.path is None:
        # A variable or literal that failed to parse into its input type (a scalar's parser
        # raises one of these). Anything else without a path was raised by a subscription's
        # stream (Strawberry wraps it so): a fault, whose message may carry SQL — INTERNAL.
        return _rebuild(error, error.message, {"code": "BAD_USER_INPUT", "field": _field_of(error)})
    log.error("unexpected error at %s", error.path, exc_info=original or error)
    return _rebuild(error, INTERNAL_MESSAGE, {"code": "INTERNAL"})


def _field_of(error: GraphQLError) -> str:
    # "Variable '$input' has invalid value at .scenes[2].sizeBytes: …" names the innermost field.
    if match := _INPUT_PATH.search(error.message):
        return match.group(1)
    if match := _VARIABLE.search(error.message):
        return match.group(1)
    if match := _ARGUMENT.search(error.message):
        return match.group(1) or match.group(2)
    return _argument_holding(error) or "query"


def _argument_holding(error: GraphQLError) -> str | None:
    """Name of the argument (or input field) whose literal value the error points at."""
    if not error.nodes or error.source is None or error.nodes[0].loc is None:
        return None
    start = error.nodes[0].loc.start
    found: list[str] = []

    class Finder(Visitor):
        def enter_argument(self, node: ArgumentNode, *_: object) -> None:
            if node.value.loc is not None and node.value.loc.start == start:
                found.append(node.name.value)

        def enter_object_field(self, node: ObjectFieldNode, *_: object) -> None:
            if node.value.loc is not None and node.value.loc.start == start:
                found.append(node.name.value)

    try:
        visit(parse(error.source), Finder())
    except GraphQLError:
        return None
    return found[-1] if found else None


def _rebuild(error: GraphQLError, message: str, extensions: dict[str, object]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )
