"""One declaration per relation: the Strawberry field, and what read plans know of it.

A relation is declared once on its type with its batch reader (resolvers.loaders says what a
reader is); the declaration is a signature only:

    @batched(reader=storyboards.scenes_for_storyboards, shape="list")
    def scenes(self) -> list[SceneRef]: ...

From it come the resolver of graphql-core's per-field executor (through the request's loaders,
with the `read` scope like schema.permissions.relation) and, in the field's metadata, what the
compiled read plans (schema.read_plan) run: the same reader, the same shape, the same key. Root
fields that read one object declare their reader the same way with `root`.

Scalars come from rows (`RowType`, a column per field) or service values (`ValueType`, an
attribute per field); `scalar_sources` is the one place that says which, for both executors.
"""

import functools
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Self

import strawberry
from graphql import (
    FieldNode,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
)
from graphql.execution.values import get_argument_values
from strawberry.permission import BasePermission
from strawberry.types.arguments import convert_arguments
from tortoise.models import Model

from resolvers.context import Info
from resolvers.loaders import Reader
from schema.connections import to_connection
from schema.permissions import CanRead
from schema.selections import wants_total
from services import sql

Shape = Literal["list", "page", "value"]
RELATION = "storygraph.relation"
ROOT = "storygraph.root"


@dataclass(frozen=True, eq=False)
class Relation:
    """`reader` is given the parents' `key` column and returns, per parent, a list of rows
    ("list"), a page of rows ("page", a connection) or one value ("value": a row, a service
    value, a scalar, or None). With `part`, the field is that attribute of the reader's value:
    fields of one reader selected together cost one call."""

    reader: Reader
    shape: Shape
    key: str = "id"
    part: str | None = None


@dataclass(eq=False)
class Root:
    """A root field reading one object: `reader(ctx, *, columns, **args)` returns its row."""

    reader: Callable[..., Any]


class RowType:
    """A type whose scalar fields are columns of a row of `model`'s table, by field name; each
    declares `row: strawberry.Private[sql.Row]`, which its relations read their keys from."""

    model: ClassVar[type[Model]]

    @classmethod
    def from_row(cls, row: sql.Row) -> Self:
        build: Callable[..., Self] = cls
        return build(row=row, **{name: row[column] for name, column in scalar_sources(cls)})

    @classmethod
    def from_model(cls, m: Model) -> Self:
        return cls.from_row(sql.row_of(m))


class ValueType:
    """A type whose scalar fields are attributes of a service value, by field name."""

    @classmethod
    def from_value(cls, value: Any) -> Self:
        build: Callable[..., Self] = cls
        return build(**{name: getattr(value, source) for name, source in scalar_sources(cls)})


_sources: dict[type, tuple[tuple[str, str], ...]] = {}


def scalar_sources(cls: type) -> tuple[tuple[str, str], ...]:
    """(field's Python name, column or attribute it is copied from) of each scalar field."""
    found = _sources.get(cls)
    if found is None:
        definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
        names = [f.python_name for f in definition.fields if f.base_resolver is None]
        if issubclass(cls, RowType):
            columns = cls.model._meta.fields_db_projection
            found = tuple((name, columns[name]) for name in names)
        else:
            found = tuple((name, name) for name in names)
        _sources[cls] = found
    return found


def batched(
    *,
    reader: Reader,
    shape: Shape,
    key: str = "id",
    part: str | None = None,
    description: str | None = None,
) -> Callable[[Callable[..., Any]], Any]:
    """Declare the relation whose signature (arguments, return type) the decorated stub gives;
    reading it needs the `read` scope."""
    relation = Relation(reader, shape, key, part)

    async def resolve(self: Any, info: Info, **args: Any) -> Any:
        key = self.row[relation.key]
        if key is None:
            return None
        raw = info._raw_info
        if shape == "page":
            args["with_total"] = wants_total(
                _named(raw.return_type).name,
                raw.field_nodes,
                raw.fragments,
                _coerced(raw.variable_values),
            )
        value = await info.context.loaders.load(info.context, reader, key, **args)
        return builder(relation, raw.return_type)(value)

    return _declare(resolve, description, [CanRead], {RELATION: relation})


def root(
    reader: Callable[..., Any],
    *,
    description: str | None = None,
    permission_classes: Sequence[type[BasePermission]] = (),
) -> Callable[[Callable[..., Any]], Any]:
    """Declare a root field returning the row `reader` finds (None: null)."""

    async def resolve(self: Any, info: Info, **args: Any) -> Any:
        row = await reader(info.context, **args)
        return None if row is None else _one(_named(info._raw_info.return_type))(row)

    return _declare(resolve, description, permission_classes, {ROOT: Root(reader)})


def _declare(
    resolve: Callable[..., Any],
    description: str | None,
    permission_classes: Sequence[type[BasePermission]],
    metadata: dict[str, Any],
) -> Callable[[Callable[..., Any]], Any]:
    """A decorator making `resolve` the resolver of the stub's signature, plus `info`."""

    def declare(stub: Callable[..., Any]) -> Any:
        functools.update_wrapper(resolve, stub)
        signature = inspect.signature(stub)
        this, *params = signature.parameters.values()
        info = inspect.Parameter(
            "info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=strawberry.Info
        )
        resolve.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[this, info, *params]
        )
        return strawberry.field(
            resolve,
            description=description,
            permission_classes=list(permission_classes),
            metadata=metadata,
        )

    return declare


# -- what both executors derive from a declaration -----------------------------------------

_builders: dict[Relation, Callable[[Any], Any]] = {}


def builder(relation: Relation, return_type: GraphQLOutputType) -> Callable[[Any], Any]:
    """What turns the reader's result for one parent into the field's Strawberry value."""
    found = _builders.get(relation)
    if found is not None:
        return found
    one = _one(item_type(relation, return_type))
    part, shape = relation.part, relation.shape

    def build(value: Any) -> Any:
        if part is not None:
            value = getattr(value, part)
        if shape == "list":
            return [one(item) for item in value]
        if shape == "page":
            return to_connection(value, one)
        return None if value is None else one(value)

    _builders[relation] = build
    return build


def item_type(relation: Relation, return_type: GraphQLOutputType) -> GraphQLNamedType:
    """The type of the field's items: its own, or its connection's nodes."""
    named = _named(return_type)
    if relation.shape != "page":
        return named
    assert isinstance(named, GraphQLObjectType)
    edge = _named(named.fields["edges"].type)
    assert isinstance(edge, GraphQLObjectType)
    return _named(edge.fields["node"].type)


def origin(gtype: GraphQLNamedType) -> type | None:
    """The Python class of a Strawberry object type."""
    definition = gtype.extensions.get("strawberry-definition")
    found = getattr(definition, "origin", None)
    return found if isinstance(found, type) else None


def _one(gtype: GraphQLNamedType) -> Callable[[Any], Any]:
    cls = origin(gtype) if isinstance(gtype, GraphQLObjectType) else None
    if cls is None:
        return lambda value: value
    if issubclass(cls, RowType):
        return cls.from_row
    assert issubclass(cls, ValueType), f"{gtype.name}: neither a RowType nor a ValueType"
    return cls.from_value


def relation_of(field: GraphQLField) -> Relation | None:
    found = _metadata(field).get(RELATION)
    return found if isinstance(found, Relation) else None


def root_of(field: GraphQLField) -> Root | None:
    found = _metadata(field).get(ROOT)
    return found if isinstance(found, Root) else None


def arguments(
    schema: GraphQLSchema, field: GraphQLField, node: FieldNode, variables: Any
) -> dict[str, Any]:
    """The field's arguments as its resolver receives them (Python names and values)."""
    definition = field.extensions["strawberry-definition"]
    strawberry_schema = schema._strawberry_schema  # type: ignore[attr-defined]
    return convert_arguments(
        get_argument_values(field, node, variables),
        definition.arguments,
        scalar_registry=strawberry_schema.schema_converter.scalar_registry,
        config=strawberry_schema.config,
    )


def _metadata(field: GraphQLField) -> dict[str, Any]:
    definition = field.extensions.get("strawberry-definition")
    return getattr(definition, "metadata", None) or {}


def _named(gtype: GraphQLOutputType) -> GraphQLNamedType:
    while isinstance(gtype, GraphQLNonNull | GraphQLList):
        gtype = gtype.of_type
    return gtype


def _coerced(variables: Any) -> dict[str, Any]:
    return getattr(variables, "coerced", variables) or {}
