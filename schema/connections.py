"""Relay connections (`XConnection`, `XEdge`, `PageInfo`) built from service pages."""

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import strawberry
from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode

from services.pagination import Page

T = TypeVar("T")


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int = strawberry.field(description="Number of items in the whole list, all pages.")


def to_connection(page: Page[Any], wrap: Callable[[Any], T]) -> Connection[T]:
    return Connection(
        edges=[Edge(cursor=c, node=wrap(m)) for c, m in zip(page.cursors, page.items, strict=True)],
        page_info=PageInfo(has_next_page=page.has_next, end_cursor=page.end_cursor),
        total_count=page.total or 0,
    )


def wants_total(info: strawberry.Info) -> bool:
    """True when the client selected `totalCount` on this connection (counting costs a scan)."""
    node = info._raw_info.field_nodes[0]
    fragments = info._raw_info.fragments
    return _selects(node.selection_set, "totalCount", fragments)


def _selects(selection_set: SelectionSetNode | None, name: str, fragments: dict[str, Any]) -> bool:
    if selection_set is None:
        return False
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value == name:
                return True
        elif isinstance(selection, InlineFragmentNode):
            if _selects(selection.selection_set, name, fragments):
                return True
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None and _selects(fragment.selection_set, name, fragments):
                return True
    return False
