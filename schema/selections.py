"""What a document selects on an object: fields by response key, through fragments, the way
graphql-core collects them (both executors ask here)."""

from collections.abc import Iterable, Mapping

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)

Fields = dict[str, list[FieldNode]]


class Unsupported(Exception):
    """Something `collect` does not decide (a directive, a fragment on another type)."""


def collect(
    type_name: str,
    selection_sets: Iterable[SelectionSetNode | None],
    fragments: Mapping[str, FragmentDefinitionNode],
) -> Fields:
    """Fields selected on an object of `type_name`, by response key, in selection order."""
    fields: Fields = {}

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
) -> bool:
    """True when the connection's selection holds `totalCount` (counting costs a scan)."""
    try:
        selected = collect(type_name, [n.selection_set for n in nodes], fragments)
    except Unsupported:
        return True
    return any(nodes[0].name.value == "totalCount" for nodes in selected.values())
