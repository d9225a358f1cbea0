"""What a document selects on an object: fields by response key, through fragments and
`@include`/`@skip`, the way graphql-core collects them (both executors ask here)."""

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from graphql import (
    BooleanValueNode,
    DirectiveNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionNode,
    SelectionSetNode,
    VariableNode,
)

Fields = dict[str, list[FieldNode]]


class Unsupported(Exception):
    """Something `collect` does not decide (another directive, a fragment on another type)."""


def collect(
    type_name: str,
    selection_sets: Iterable[SelectionSetNode | None],
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
) -> Fields:
    """Fields selected on an object of `type_name`, by response key, in selection order."""
    fields: Fields = {}

    def visit(selection_set: SelectionSetNode | None) -> None:
        if selection_set is None:
            return
        for selection in selection_set.selections:
            if not _included(selection, variables):
                continue
            if isinstance(selection, FieldNode):
                key = (selection.alias or selection.name).value
                fields.setdefault(key, []).append(selection)
                continue
            if isinstance(selection, InlineFragmentNode):
                condition, inner = selection.type_condition, selection.selection_set
            else:
                assert isinstance(selection, FragmentSpreadNode)
                fragment = fragments.get(selection.name.value)
                if fragment is None or fragment.directives or fragment.variable_definitions:
                    raise Unsupported("fragment")
                condition, inner = fragment.type_condition, fragment.selection_set
            if condition is not None and condition.name.value != type_name:
                raise Unsupported("fragment on another type")
            visit(inner)

    for selection_set in selection_sets:
        visit(selection_set)
    return fields


def wants_total(
    type_name: str,
    nodes: Iterable[FieldNode],
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
) -> bool:
    """True when the connection's selection holds `totalCount` (counting costs a scan)."""
    try:
        selected = collect(type_name, [n.selection_set for n in nodes], fragments, variables)
    except Unsupported:
        return True
    return any(nodes[0].name.value == "totalCount" for nodes in selected.values())


def condition_variables(
    selection_sets: Iterable[SelectionSetNode | None],
) -> Iterator[str]:
    """Names of the variables `@include`/`@skip` read anywhere in these selections."""
    for selection_set in selection_sets:
        if selection_set is None:
            continue
        for selection in selection_set.selections:
            for directive in selection.directives or ():
                for argument in directive.arguments or ():
                    if isinstance(argument.value, VariableNode):
                        yield argument.value.name.value
            if isinstance(selection, FieldNode | InlineFragmentNode):
                yield from condition_variables([selection.selection_set])


def _included(selection: SelectionNode, variables: Mapping[str, Any]) -> bool:
    for directive in selection.directives or ():
        name = directive.name.value
        if name not in ("include", "skip"):
            raise Unsupported(f"@{name}")
        if _condition(directive, variables) != (name == "include"):
            return False
    return True


def _condition(directive: DirectiveNode, variables: Mapping[str, Any]) -> bool:
    (argument,) = directive.arguments or ()
    value = argument.value
    if isinstance(value, BooleanValueNode):
        return value.value
    if isinstance(value, VariableNode) and isinstance(variables.get(value.name.value), bool):
        return bool(variables[value.name.value])
    raise Unsupported("condition")
