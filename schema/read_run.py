"""Run a read plan (schema.read_plan): one batch read per nested field per level.

Result dicts are built straight from rows. Values stay as the driver returns them (UUIDs,
datetimes) where orjson writes exactly what GraphQL's serializers would (the HTTP and WebSocket
views encode with orjson: schema.context). Any exception propagates: the caller then runs the
document through graphql-core, which reports it with its usual path and code.
"""

from collections.abc import Sequence
from typing import Any

from graphql.execution.values import get_argument_values

from resolvers.context import Context
from schema.read_plan import ConnectionPlan, Constant, Nested, ObjectPlan, OperationPlan
from services.pagination import Page


async def run(plan: OperationPlan, ctx: Context, variables: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, root in plan.fields:
        if isinstance(root, Constant):
            data[key] = root.value
            continue
        args = get_argument_values(root.field_def, root.node, variables)
        row = await root.reader(ctx, **args)
        data[key] = None if row is None else (await _objects(ctx, variables, root.child, [row]))[0]
    return data


async def _objects(
    ctx: Context, variables: Any, plan: ObjectPlan, items: Sequence[Any]
) -> list[dict[str, Any]]:
    if not items:
        return []
    combined: dict[Any, Any] = {}
    nested = [await _nested(ctx, variables, n, items, combined) for n in plan.nested]
    keys, scalars = plan.scalar_keys, plan.scalars
    if scalars is None:
        out: list[dict[str, Any]] = [{} for _ in items]
    else:
        out = [dict(zip(keys, scalars(item), strict=True)) for item in items]
    if not plan.extras:
        return out
    for i, result in enumerate(out):
        for key, source in plan.extras:
            result[key] = source.value if isinstance(source, Constant) else nested[source][i]
    if not plan.extras_last:
        out = [{key: result[key] for key in plan.keys} for result in out]
    return out


async def _nested(
    ctx: Context, variables: Any, n: Nested, parents: Sequence[Any], combined: dict[Any, Any]
) -> list[Any]:
    ids = [parent["id"] for parent in parents]
    if n.shape == "list":
        assert isinstance(n.child, ObjectPlan)
        groups = await n.reader(ctx, ids, columns=n.child.columns)
        built = await _objects(ctx, variables, n.child, [row for group in groups for row in group])
        lists, start = [], 0
        for group in groups:
            lists.append(built[start : start + len(group)])
            start += len(group)
        return lists
    if n.shape == "value":
        if n.part is None:
            values = await n.reader(ctx, ids)
        else:
            if n.reader not in combined:
                combined[n.reader] = await n.reader(ctx, ids)
            values = [value[n.part] for value in combined[n.reader]]
        if n.child is None:
            return list(values)
        assert isinstance(n.child, ObjectPlan)
        return await _objects(ctx, variables, n.child, values)
    assert isinstance(n.child, ConnectionPlan)
    args = get_argument_values(n.field_def, n.node, variables)
    node = n.child.node
    columns = node.columns if node is not None else ()
    pages = await n.reader(ctx, ids, with_total=n.child.wants_total, columns=columns, **args)
    return await _connections(ctx, variables, n.child, pages)


async def _connections(
    ctx: Context, variables: Any, plan: ConnectionPlan, pages: Sequence[Page[Any]]
) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    if plan.node is not None:
        nodes = await _objects(ctx, variables, plan.node, [i for p in pages for i in p.items])
    out, start = [], 0
    for page in pages:
        connection: dict[str, Any] = {}
        for key, part in plan.parts:
            if part == "edges":
                connection[key] = [
                    _edge(plan, cursor, nodes[start + j] if nodes else None)
                    for j, cursor in enumerate(page.cursors)
                ]
            elif part == "pageInfo":
                connection[key] = _page_info(plan, page)
            elif part == "totalCount":
                connection[key] = page.total or 0
            else:
                connection[key] = plan.type_name
        start += len(page.items)
        out.append(connection)
    return out


def _edge(plan: ConnectionPlan, cursor: str, node: dict[str, Any] | None) -> dict[str, Any]:
    values = {"cursor": cursor, "node": node, "__typename": plan.edge_type_name}
    return {key: values[part] for key, part in plan.edge_parts}


def _page_info(plan: ConnectionPlan, page: Page[Any]) -> dict[str, Any]:
    values = {"hasNextPage": page.has_next, "endCursor": page.end_cursor, "__typename": "PageInfo"}
    return {key: values[part] for key, part in plan.page_info_parts}
