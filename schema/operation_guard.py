"""Checks of a validated operation with its variables, before anything runs: its cost, its text.

Cost is the number of objects the operation could return at most, the way GitHub's GraphQL API
counts nodes: every object-valued field counts once per object it can appear in, multiplied down
the tree by list sizes — a connection's `first` (its default when not given), a plain list's
known maximum (`LIST_SIZES`). `storyboard { scenes { storyboard { scenes { … } } } }` grows by a
factor of 1,000 per level and is refused long before it could run, whatever the data holds.

Text: PostgreSQL cannot store the NUL character in text or JSON, SQLite can; refusing it at the
input boundary, with the field that holds it, keeps both backends the same.
"""

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLAbstractType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    ValueNode,
    VariableNode,
    type_from_ast,
)

from models import JobStatus, TaskType
from services.limits import (
    MAX_API_KEYS,
    MAX_ASSET_SOURCES,
    MAX_CHARACTER_ASSETS,
    MAX_CHARACTER_SCENES,
    MAX_CHARACTERS,
    MAX_EVENTS,
    MAX_JOB_ASSETS,
    MAX_JOB_STAGES,
    MAX_KEYFRAME_ASSETS,
    MAX_KEYFRAMES,
    MAX_NODE_IDS,
    MAX_SCENE_ASSETS,
    MAX_SCENES,
    MAX_STATS_KINDS,
    MAX_STATS_STAGES,
    MAX_WEBHOOKS,
)

# The most items each plain (non-connection) list of objects can hold. One missing here makes
# tests/api/test_operation_guard.py fail: every list must have a known bound.
LIST_SIZES: dict[tuple[str, str], int] = {
    ("Storyboard", "scenes"): MAX_SCENES,
    ("Scene", "tasks"): len(TaskType),
    ("Scene", "assets"): MAX_SCENE_ASSETS,
    ("Job", "events"): MAX_EVENTS,
    ("User", "apiKeys"): MAX_API_KEYS,
    ("Project", "characters"): MAX_CHARACTERS,
    ("Scene", "keyframes"): MAX_KEYFRAMES,
    # A cast is of the project's characters.
    ("Scene", "characters"): MAX_CHARACTERS,
    ("Character", "assets"): MAX_CHARACTER_ASSETS,
    ("Character", "scenes"): MAX_CHARACTER_SCENES,
    ("Keyframe", "assets"): MAX_KEYFRAME_ASSETS,
    ("Query", "nodes"): MAX_NODE_IDS,
    ("Job", "stages"): MAX_JOB_STAGES,
    ("Job", "assets"): MAX_JOB_ASSETS,
    ("Asset", "sources"): MAX_ASSET_SOURCES,
    ("User", "jobStats"): MAX_STATS_KINDS,
    ("Project", "jobStats"): MAX_STATS_KINDS,
    ("JobKindStats", "byStatus"): len(JobStatus),
    ("JobKindStats", "stages"): MAX_STATS_STAGES,
    ("User", "webhooks"): MAX_WEBHOOKS,
    ("Project", "webhooks"): MAX_WEBHOOKS,
}
NUL = "\x00"


def bad_input(message: str, field: str, **extensions: Any) -> GraphQLError:
    return GraphQLError(
        message, extensions={"code": "BAD_USER_INPUT", "field": field, **extensions}
    )


def check(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    max_cost: int,
) -> None:
    """Raise a BAD_USER_INPUT GraphQLError when the operation costs more than `max_cost` or any
    input text holds a NUL character."""
    root = schema.get_root_type(operation.operation)
    assert root is not None
    walk = _Walk(schema, fragments, variables)
    cost = walk.cost(root, operation.selection_set, 1)
    if cost > max_cost:
        raise bad_input(
            f"This operation could return up to {cost:,} objects; the limit is {max_cost:,}. "
            "Ask for smaller pages (`first`) or fewer nested lists.",
            "query",
            cost=cost,
            maxCost=max_cost,
        )
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        field = _nul_in_value(variables.get(name), type_from_ast(schema, definition.type), name)
        if field is not None:
            raise _nul_error(field)
    if walk.nul_field is not None:
        raise _nul_error(walk.nul_field)


def _nul_error(field: str) -> GraphQLError:
    return bad_input(f"`{field}` must not contain the NUL character (\\u0000).", field)


class _Walk:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.nul_field: str | None = None

    def fields(
        self, selection_set: SelectionSetNode | None, seen: frozenset[str] = frozenset()
    ) -> Iterator[FieldNode]:
        """Every field node of a selection set, through fragments (each spread once per path)."""
        if selection_set is None:
            return
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                yield selection
            elif isinstance(selection, InlineFragmentNode):
                yield from self.fields(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    yield from self.fields(fragment.selection_set, seen | {name})

    def cost(
        self, parent: GraphQLObjectType, selection_set: SelectionSetNode | None, n: int
    ) -> int:
        total = 0
        for node in self.fields(selection_set):
            name = node.name.value
            if name.startswith("__"):
                continue  # introspection: bounded by the schema's size and the depth limit
            field = parent.fields.get(name)
            if field is None:
                continue  # a fragment on another type than `parent` (abstract types)
            arguments = {arg.name.value: arg for arg in node.arguments or ()}
            for argument in node.arguments or ():
                definition = field.args.get(argument.name.value)
                if self.nul_field is None and definition is not None:
                    self.nul_field = _nul_in_literal(
                        argument.value, definition.type, argument.name.value
                    )
            named, is_list = _unwrap(field.type)
            if isinstance(named, GraphQLAbstractType):
                # `node`, `nodes`: as costly as the costliest type it may turn out to be.
                count = n * (LIST_SIZES[(parent.name, name)] if is_list else 1)
                types = self.schema.get_possible_types(named)
                total += count + max(
                    (self.cost(t, node.selection_set, count) for t in types), default=0
                )
                continue
            if not isinstance(named, GraphQLObjectType):
                continue
            if "first" in field.args:
                size = self._first(field.args["first"].default_value, arguments.get("first"))
                # A connection: its edges (and their nodes) come `first` at a time.
                total += n + self.connection(named, node.selection_set, n * size)
                continue
            count = n * (LIST_SIZES[(parent.name, name)] if is_list else 1)
            total += count + self.cost(named, node.selection_set, count)
        return total

    def connection(self, gtype: GraphQLObjectType, selection_set: Any, n: int) -> int:
        total = 0
        for node in self.fields(selection_set):
            name = node.name.value
            field = gtype.fields.get(name)
            if field is None:
                continue
            named, _ = _unwrap(field.type)
            if name == "edges" and isinstance(named, GraphQLObjectType):
                total += n + self.cost(named, node.selection_set, n)
            elif isinstance(named, GraphQLObjectType):
                total += 1 + self.cost(named, node.selection_set, 1)  # pageInfo
        return total

    def _first(self, default: Any, argument: Any) -> int:
        value = default
        if argument is not None:
            node = argument.value
            if isinstance(node, VariableNode):
                value = self.variables.get(node.name.value, default)
            else:
                value = getattr(node, "value", default)
        try:
            # Out-of-range values are refused by the field itself; count what was asked.
            return max(int(value), 0) if value is not None else 20
        except (TypeError, ValueError):
            return 20


def _unwrap(gtype: Any) -> tuple[GraphQLNamedType, bool]:
    is_list = False
    while isinstance(gtype, GraphQLNonNull | GraphQLList):
        is_list = is_list or isinstance(gtype, GraphQLList)
        gtype = gtype.of_type
    return gtype, is_list


def _nul_in_value(value: Any, gtype: Any, field: str) -> str | None:
    """The name of the input field whose value holds a NUL, within a variable's value."""
    while isinstance(gtype, GraphQLNonNull):
        gtype = gtype.of_type
    if value is None:
        return None
    if isinstance(gtype, GraphQLList):
        items = value if isinstance(value, list) else [value]
        for item in items:
            if (found := _nul_in_value(item, gtype.of_type, field)) is not None:
                return found
        return None
    if isinstance(gtype, GraphQLInputObjectType) and isinstance(value, dict):
        for key, item in value.items():
            inner = gtype.fields.get(key)
            if inner is not None and (found := _nul_in_value(item, inner.type, key)) is not None:
                return found
        return None
    return field if _holds_nul(value) else None


def _holds_nul(value: Any) -> bool:
    """Anywhere inside a JSON-like value, keys included."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


def _nul_in_literal(node: ValueNode, gtype: Any, field: str) -> str | None:
    """As `_nul_in_value`, for a literal written in the document (variables are checked apart)."""
    while isinstance(gtype, GraphQLNonNull):
        gtype = gtype.of_type
    if isinstance(node, VariableNode):
        return None
    if isinstance(node, StringValueNode):
        return field if NUL in node.value else None
    if isinstance(node, ListValueNode):
        inner = gtype.of_type if isinstance(gtype, GraphQLList) else gtype
        for item in node.values:
            if (found := _nul_in_literal(item, inner, field)) is not None:
                return found
        return None
    if isinstance(node, ObjectValueNode):
        for object_field in node.fields:
            name = object_field.name.value
            inner = None
            if isinstance(gtype, GraphQLInputObjectType) and name in gtype.fields:
                inner, name_out = gtype.fields[name].type, name
            else:
                name_out = field  # inside a JSON literal: the argument or field that holds it
            if (found := _nul_in_literal(object_field.value, inner, name_out)) is not None:
                return found
    return None
