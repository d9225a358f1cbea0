"""Read plans: a validated query over the production graph, compiled once per document.

graphql-core resolves every field of every object through its executor (~4 µs a field), so a
whole project tree costs far more in execution than in SQL. A plan instead lists, per object
type selected, the columns to copy and the nested reads to batch; `schema.read_run` then runs
one statement per level and builds the result dicts directly.

Coverage comes from the schema itself (schema.relations): root fields declared with `root`,
relations declared with `batched` (children, pages, aggregates, walks up such as
`Scene.storyboard`), scalar fields copied from a row or a service value whose serialized form
is what orjson writes, `__typename`, fragments on the type itself, and `@include`/`@skip` (a
plan per combination of the values their variables take). The nested fields' `read` scope is
not checked field by field: every root a plan covers requires it first.

Anything else (introspection, another directive, a field with a resolver of its own such as
`Asset.url`, JSON values, abstract types) makes the whole document run through graphql-core.
Running only the rest of the document as a plan is not sound: graphql-core decides the shape
of an answer from all of its fields together — an error in one field nulls its nearest
nullable ancestor and fills `errors` in execution order, non-null violations propagate up — and
a partial plan would have to reproduce that across the two executors, where falling back
costs only the speed of those (rare) documents.
"""

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
)

from schema.relations import (
    Relation,
    RowType,
    ValueType,
    arguments,
    item_type,
    origin,
    relation_of,
    root_of,
    scalar_sources,
)
from schema.selections import Fields, Unsupported, collect, condition_variables, wants_total

# Scalars whose serialized form orjson writes from the Python value the row holds.
PLAIN_SCALARS = frozenset({"ID", "String", "Int", "Long", "Float", "Boolean", "DateTime"})
# Plans kept per operation, one per combination of its @include/@skip variables' values.
MAX_VARIANTS = 16

Arguments = Callable[[Any], dict[str, Any]] | None


@dataclass(frozen=True)
class Constant:
    value: str


@dataclass(frozen=True)
class Inline:
    """A field of a service value that holds a list of service values (no reader): the index
    of its (attribute, plan) in the ObjectPlan's `inline`."""

    index: int


@dataclass(frozen=True)
class Nested:
    """A relation read in one batch for all the parents at its level."""

    relation: Relation
    # The field's arguments from the request's variables (None: it has none).
    arguments: Arguments
    child: "ObjectPlan | ConnectionPlan | None"
    # The columns the reader fetches (those its items' plan needs).
    columns: tuple[str, ...]


@dataclass(frozen=True)
class ObjectPlan:
    """How to build one result dict per row (or per service value) of a type."""

    keys: tuple[str, ...]
    scalar_keys: tuple[str, ...]
    # Returns the scalar values of an item as a tuple, in `scalar_keys` order.
    scalars: Callable[[Any], tuple[Any, ...]] | None
    # Response key -> Constant, index into `nested`, or Inline, for the keys not scalars.
    extras: tuple[tuple[str, Constant | int | Inline], ...]
    nested: tuple[Nested, ...]
    # The extras come after every scalar key, so filling them in last keeps the key order.
    extras_last: bool
    # The columns the scalars and the relations' keys read (rows only).
    columns: tuple[str, ...] = ()
    # (attribute, plan of its items) of each Inline field.
    inline: tuple[tuple[str, "ObjectPlan"], ...] = ()


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
    reader: Callable[..., Any]
    arguments: Arguments
    child: ObjectPlan


@dataclass(frozen=True)
class OperationPlan:
    fields: tuple[tuple[str, RootField | Constant], ...]


@dataclass
class _Compiler:
    schema: GraphQLSchema
    fragments: Mapping[str, FragmentDefinitionNode]
    # The request's variables: only @include/@skip conditions read them.
    variables: Mapping[str, Any]

    def collect(self, type_name: str, nodes: Sequence[FieldNode]) -> Fields:
        return collect(type_name, [n.selection_set for n in nodes], self.fragments, self.variables)

    def operation(self, operation: OperationDefinitionNode) -> OperationPlan:
        if operation.operation is not OperationType.QUERY or operation.directives:
            raise Unsupported("not a plain query")
        if any(v.directives for v in operation.variable_definitions or ()):
            raise Unsupported("directive")
        query_type = self.schema.query_type
        assert query_type is not None
        plan: list[tuple[str, RootField | Constant]] = []
        selected = collect(
            query_type.name, [operation.selection_set], self.fragments, self.variables
        )
        for key, nodes in selected.items():
            name = nodes[0].name.value
            if name == "__typename":
                plan.append((key, Constant(query_type.name)))
                continue
            field_def = query_type.fields.get(name)  # None: introspection
            root = root_of(field_def) if field_def is not None else None
            if field_def is None or root is None:
                raise Unsupported(name)
            child = self.object(_named(field_def.type), nodes)
            plan.append((key, RootField(root.reader, self.arguments(field_def, nodes[0]), child)))
        return OperationPlan(tuple(plan))

    def arguments(self, field_def: GraphQLField, node: FieldNode) -> Arguments:
        if not field_def.args:
            return None
        return functools.partial(arguments, self.schema, field_def, node)

    def object(self, gtype: GraphQLNamedType, nodes: Sequence[FieldNode]) -> ObjectPlan:
        cls = origin(gtype) if isinstance(gtype, GraphQLObjectType) else None
        if cls is None or not issubclass(cls, RowType | ValueType):
            raise Unsupported(gtype.name)
        assert isinstance(gtype, GraphQLObjectType)
        rows = issubclass(cls, RowType)
        source_of = dict(scalar_sources(cls))
        keys: list[str] = []
        scalar_keys: list[str] = []
        sources: list[str] = []
        extras: list[tuple[str, Constant | int | Inline]] = []
        nested: list[Nested] = []
        inline: list[tuple[str, ObjectPlan]] = []
        for key, fields in self.collect(gtype.name, nodes).items():
            keys.append(key)
            name = fields[0].name.value
            if name == "__typename":
                extras.append((key, Constant(gtype.name)))
                continue
            field_def = gtype.fields[name]
            relation = relation_of(field_def)
            if relation is not None and rows:
                extras.append((key, len(nested)))
                nested.append(self.nested(relation, field_def, fields))
                continue
            definition = field_def.extensions["strawberry-definition"]
            if definition.base_resolver is not None:
                raise Unsupported("resolver")
            if not rows and _values_list(field_def):
                extras.append((key, Inline(len(inline))))
                item = self.object(_named(field_def.type), fields)
                inline.append((definition.python_name, item))
                continue
            _plain(field_def.type)
            scalar_keys.append(key)
            sources.append(source_of[definition.python_name])
        first_extra = keys.index(extras[0][0]) if extras else len(keys)
        columns = [*sources, *(n.relation.key for n in nested)] if rows else []
        return ObjectPlan(
            keys=tuple(keys),
            scalar_keys=tuple(scalar_keys),
            scalars=_getter(sources, by_attribute=not rows),
            extras=tuple(extras),
            nested=tuple(nested),
            extras_last=first_extra >= len(scalar_keys),
            columns=tuple(dict.fromkeys(columns)),
            inline=tuple(inline),
        )

    def nested(
        self, relation: Relation, field_def: GraphQLField, nodes: Sequence[FieldNode]
    ) -> Nested:
        item = item_type(relation, field_def.type)
        child: ObjectPlan | ConnectionPlan | None
        if relation.shape == "page":
            child = self.connection(_named(field_def.type), nodes)
            node = child.node
        elif isinstance(item, GraphQLObjectType):
            child = node = self.object(item, nodes)
        else:
            _plain(field_def.type)
            child = node = None
        columns = node.columns if node is not None else ()
        return Nested(relation, self.arguments(field_def, nodes[0]), child, columns)

    def connection(self, gtype: GraphQLNamedType, nodes: Sequence[FieldNode]) -> ConnectionPlan:
        assert isinstance(gtype, GraphQLObjectType)
        parts = self.collect(gtype.name, nodes)
        edge_type = _named(gtype.fields["edges"].type)
        edge_parts = self.collect(edge_type.name, _only_one(parts, "edges"))
        node_fields = _only_one(edge_parts, "node")
        page_info_parts = self.collect("PageInfo", _only_one(parts, "pageInfo"))
        assert isinstance(edge_type, GraphQLObjectType)
        node_type = _named(edge_type.fields["node"].type)
        return ConnectionPlan(
            type_name=gtype.name,
            edge_type_name=edge_type.name,
            parts=_parts(parts),
            edge_parts=_parts(edge_parts),
            page_info_parts=_parts(page_info_parts),
            node=self.object(node_type, node_fields) if node_fields else None,
            wants_total=wants_total(gtype.name, nodes, self.fragments, self.variables),
        )


def compile_operation(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
) -> OperationPlan | None:
    """The plan of a validated operation, or None when it must run through graphql-core."""
    try:
        return _Compiler(schema, fragments, variables).operation(operation)
    except Unsupported:
        return None


class Plans:
    """The plans of one operation: one per combination of the values its `@include`/`@skip`
    variables take (almost always none, so one plan)."""

    def __init__(
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        fragments: Mapping[str, FragmentDefinitionNode],
    ) -> None:
        self.schema, self.operation, self.fragments = schema, operation, fragments
        selection_sets = [operation.selection_set, *(f.selection_set for f in fragments.values())]
        self.conditions = tuple(dict.fromkeys(condition_variables(selection_sets)))
        self.plans: dict[tuple[Any, ...], OperationPlan | None] = {}

    def plan(self, variables: Mapping[str, Any]) -> OperationPlan | None:
        key = tuple(variables.get(name) for name in self.conditions)
        if key in self.plans:
            return self.plans[key]
        found = compile_operation(self.schema, self.operation, self.fragments, variables)
        if len(self.plans) < MAX_VARIANTS:
            self.plans[key] = found
        return found


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


def _values_list(field_def: GraphQLField) -> bool:
    """Whether the field is a list of service values (ValueType), read with its parent."""
    gtype = field_def.type
    if isinstance(gtype, GraphQLNonNull):
        gtype = gtype.of_type
    if not isinstance(gtype, GraphQLList):
        return False
    item = _named(gtype)
    cls = origin(item) if isinstance(item, GraphQLObjectType) else None
    return cls is not None and issubclass(cls, ValueType)


def covered(field_def: GraphQLField) -> bool:
    """Whether a plan can answer `field_def` (tests derive their documents from this)."""
    if relation_of(field_def) is not None or _values_list(field_def):
        return True
    definition = field_def.extensions.get("strawberry-definition")
    if definition is None or definition.base_resolver is not None:
        return False
    try:
        _plain(field_def.type)
    except Unsupported:
        return False
    return True


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


def _only_one(fields: Fields, name: str) -> list[FieldNode]:
    """The nodes of the one response key selecting `name` (two aliases of it: Unsupported)."""
    found = [nodes for nodes in fields.values() if nodes[0].name.value == name]
    if len(found) > 1:
        raise Unsupported(f"{name} twice")
    return found[0] if found else []


def _parts(fields: Fields) -> tuple[tuple[str, str], ...]:
    return tuple((key, nodes[0].name.value) for key, nodes in fields.items())
