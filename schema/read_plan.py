"""Read plans: a validated query over the production graph, compiled once per document.

graphql-core resolves every field of every object through its executor (~4 µs a field), so a
whole project tree costs far more in execution than in SQL. A plan instead lists, per object
type selected, the columns to copy and the nested reads to batch; `schema.read_run` then runs
one statement per level and builds the result dicts directly.

Only what is proven equivalent to the normal executor is compiled: the root fields, types and
nested fields listed in `schema.read_fields`, scalar fields that are plain attributes copied
from a model column, `__typename`, fragments on the type itself. Anything else (directives,
introspection, other fields, abstract types) makes `compile_operation` return None and the
document runs through graphql-core as usual.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter, itemgetter
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)
from tortoise.models import Model

from schema.read_fields import (
    COMBINED,
    NESTED,
    PLAIN_SCALARS,
    ROOTS,
    ROW_TYPES,
    VALUE_TYPES,
    Reader,
)


class Unsupported(Exception):
    """The document uses something plans do not cover: it runs through graphql-core."""


@dataclass(frozen=True)
class Constant:
    value: str


@dataclass(frozen=True)
class Nested:
    """A field read in one batch for all the parents at its level."""

    shape: str
    reader: Reader
    field_def: GraphQLField
    node: FieldNode
    child: "ObjectPlan | ConnectionPlan | None"
    # For a COMBINED reader: the key of this field's value in what the reader returns.
    part: str | None = None


@dataclass(frozen=True)
class ObjectPlan:
    """How to build one result dict per row (or per service value) of a type."""

    keys: tuple[str, ...]
    scalar_keys: tuple[str, ...]
    # Returns the scalar values of an item as a tuple, in `scalar_keys` order.
    scalars: Callable[[Any], tuple[Any, ...]] | None
    # Response key -> Constant or index into `nested`, for the keys that are not scalars.
    extras: tuple[tuple[str, Constant | int], ...]
    nested: tuple[Nested, ...]
    # The extras come after every scalar key, so filling them in last keeps the key order.
    extras_last: bool
    # The columns the scalars read (rows only): readers fetch these and what they need.
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConnectionPlan:
    """A Relay connection: `parts` are (response key, field name) of the connection, its edge
    and its PageInfo selections; `node` builds the nodes."""

    type_name: str
    edge_type_name: str
    parts: tuple[tuple[str, str], ...]
    edge_parts: tuple[tuple[str, str], ...]
    page_info_parts: tuple[tuple[str, str], ...]
    node: ObjectPlan | None
    wants_total: bool


@dataclass(frozen=True)
class RootField:
    reader: Reader
    field_def: GraphQLField
    node: FieldNode
    child: ObjectPlan


@dataclass(frozen=True)
class OperationPlan:
    fields: tuple[tuple[str, RootField | Constant], ...]


@dataclass
class _Compiler:
    schema: GraphQLSchema
    fragments: dict[str, FragmentDefinitionNode]

    def collect(
        self, type_name: str, selection_sets: Iterable[SelectionSetNode | None]
    ) -> dict[str, list[FieldNode]]:
        """Fields by response key, in selection order, through fragments on `type_name`."""
        fields: dict[str, list[FieldNode]] = {}

        def visit(selection_set: SelectionSetNode | None) -> None:
            if selection_set is None:
                return
            for selection in selection_set.selections:
                if selection.directives:
                    raise Unsupported("directive")
                if isinstance(selection, FieldNode):
                    key = (selection.alias or selection.name).value
                    fields.setdefault(key, []).append(selection)
                    continue
                if isinstance(selection, InlineFragmentNode):
                    condition, inner = selection.type_condition, selection.selection_set
                else:
                    assert isinstance(selection, FragmentSpreadNode)
                    fragment = self.fragments.get(selection.name.value)
                    if fragment is None or fragment.directives or fragment.variable_definitions:
                        raise Unsupported("fragment")
                    condition, inner = fragment.type_condition, fragment.selection_set
                if condition is not None and condition.name.value != type_name:
                    raise Unsupported("fragment on another type")
                visit(inner)

        for selection_set in selection_sets:
            visit(selection_set)
        return fields

    def operation(self, operation: OperationDefinitionNode) -> OperationPlan:
        if operation.operation is not OperationType.QUERY or operation.directives:
            raise Unsupported("not a plain query")
        if any(v.directives for v in operation.variable_definitions or ()):
            raise Unsupported("directive")
        query_type = self.schema.query_type
        assert query_type is not None
        plan: list[tuple[str, RootField | Constant]] = []
        for key, nodes in self.collect(query_type.name, [operation.selection_set]).items():
            name = nodes[0].name.value
            if name == "__typename":
                plan.append((key, Constant(query_type.name)))
                continue
            reader = ROOTS.get(name)
            if reader is None:
                raise Unsupported(name)
            field_def = query_type.fields[name]
            child = self.object(_named(field_def.type), nodes)
            plan.append((key, RootField(reader, field_def, nodes[0], child)))
        return OperationPlan(tuple(plan))

    def object(self, gtype: GraphQLNamedType, nodes: list[FieldNode]) -> ObjectPlan:
        if not isinstance(gtype, GraphQLObjectType):
            raise Unsupported("abstract type")
        model = ROW_TYPES.get(gtype.name)
        if model is None and gtype.name not in VALUE_TYPES:
            raise Unsupported(gtype.name)
        keys: list[str] = []
        scalar_keys: list[str] = []
        sources: list[str] = []
        extras: list[tuple[str, Constant | int]] = []
        nested: list[Nested] = []
        selected = self.collect(gtype.name, [n.selection_set for n in nodes])
        together, combined = COMBINED.get(gtype.name, (frozenset(), None))
        if not together <= {fields[0].name.value for fields in selected.values()}:
            together = frozenset()
        for key, fields in selected.items():
            keys.append(key)
            name = fields[0].name.value
            if name == "__typename":
                extras.append((key, Constant(gtype.name)))
            elif (gtype.name, name) in NESTED:
                extras.append((key, len(nested)))
                field_plan = self.nested(gtype, name, fields)
                if name in together and combined is not None:
                    field_plan = replace(field_plan, reader=combined, part=name)
                nested.append(field_plan)
            else:
                scalar_keys.append(key)
                sources.append(_scalar_source(gtype.fields[name], model))
        first_extra = keys.index(extras[0][0]) if extras else len(keys)
        return ObjectPlan(
            keys=tuple(keys),
            scalar_keys=tuple(scalar_keys),
            scalars=_getter(sources, by_attribute=model is None),
            extras=tuple(extras),
            nested=tuple(nested),
            extras_last=first_extra >= len(scalar_keys),
            columns=tuple(dict.fromkeys(sources)) if model is not None else (),
        )

    def nested(self, gtype: GraphQLObjectType, name: str, nodes: list[FieldNode]) -> Nested:
        shape, reader = NESTED[(gtype.name, name)]
        field_def = gtype.fields[name]
        child_type = _named(field_def.type)
        child: ObjectPlan | ConnectionPlan | None
        if shape == "page":
            child = self.connection(child_type, nodes)
        elif isinstance(child_type, GraphQLScalarType):
            _plain(field_def.type)
            child = None
        else:
            child = self.object(child_type, nodes)
        return Nested(shape, reader, field_def, nodes[0], child)

    def connection(self, gtype: GraphQLNamedType, nodes: list[FieldNode]) -> ConnectionPlan:
        assert isinstance(gtype, GraphQLObjectType)
        parts = self.collect(gtype.name, [n.selection_set for n in nodes])
        edge_type = _named(gtype.fields["edges"].type)
        edge_nodes = _only_one(parts, "edges")
        edge_parts = self.collect(edge_type.name, [n.selection_set for n in edge_nodes])
        node_fields = _only_one(edge_parts, "node")
        page_info_nodes = _only_one(parts, "pageInfo")
        page_info_parts = self.collect("PageInfo", [n.selection_set for n in page_info_nodes])
        assert isinstance(edge_type, GraphQLObjectType)
        node_type = _named(edge_type.fields["node"].type)
        return ConnectionPlan(
            type_name=gtype.name,
            edge_type_name=edge_type.name,
            parts=_parts(parts),
            edge_parts=_parts(edge_parts),
            page_info_parts=_parts(page_info_parts),
            node=self.object(node_type, node_fields) if node_fields else None,
            wants_total=any(ns[0].name.value == "totalCount" for ns in parts.values()),
        )


def compile_operation(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
) -> OperationPlan | None:
    """The plan of a validated operation, or None when it must run through graphql-core."""
    try:
        return _Compiler(schema, fragments).operation(operation)
    except Unsupported:
        return None


def _named(gtype: GraphQLOutputType) -> GraphQLNamedType:
    while isinstance(gtype, GraphQLNonNull | GraphQLList):
        gtype = gtype.of_type
    return gtype


def _plain(gtype: GraphQLOutputType) -> None:
    """Raise unless values of `gtype` serialize to what orjson writes for the Python value."""
    if isinstance(gtype, GraphQLNonNull):
        gtype = gtype.of_type
    if isinstance(gtype, GraphQLList):
        inner = gtype.of_type
        inner = inner.of_type if isinstance(inner, GraphQLNonNull) else inner
        if not (isinstance(inner, GraphQLScalarType) and inner.name == "String"):
            raise Unsupported("list")
        return
    if isinstance(gtype, GraphQLScalarType) and gtype.name in PLAIN_SCALARS:
        return
    # String enums stored by value: the value written is the name GraphQL would send.
    if isinstance(gtype, GraphQLEnumType) and all(
        getattr(v.value, "value", v.value) == name for name, v in gtype.values.items()
    ):
        return
    raise Unsupported(str(gtype))


def _scalar_source(field_def: GraphQLField, model: type[Model] | None) -> str:
    """The column (or attribute) a plain field copies; Unsupported if it has a resolver."""
    definition = field_def.extensions.get("strawberry-definition")
    if definition is None or definition.base_resolver is not None:
        raise Unsupported("resolver")
    _plain(field_def.type)
    if model is None:
        return str(definition.python_name)
    column = model._meta.fields_db_projection.get(definition.python_name)
    if column is None:
        raise Unsupported("not a column")
    return str(column)


def _getter(
    sources: Sequence[str], *, by_attribute: bool
) -> Callable[[Any], tuple[Any, ...]] | None:
    if not sources:
        return None
    get = attrgetter if by_attribute else itemgetter
    if len(sources) == 1:
        one = get(sources[0])
        return lambda item: (one(item),)
    return get(*sources)


def _only_one(fields: dict[str, list[FieldNode]], name: str) -> list[FieldNode]:
    """The nodes of the one response key selecting `name` (two aliases of it: Unsupported)."""
    found = [nodes for nodes in fields.values() if nodes[0].name.value == name]
    if len(found) > 1:
        raise Unsupported(f"{name} twice")
    return found[0] if found else []


def _parts(fields: dict[str, list[FieldNode]]) -> tuple[tuple[str, str], ...]:
    return tuple((key, nodes[0].name.value) for key, nodes in fields.items())
