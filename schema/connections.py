"""Relay connections (`XConnection`, `XEdge`, `PageInfo`) built from service pages."""

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import strawberry

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
