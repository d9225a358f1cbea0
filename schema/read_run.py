"""Run a read plan (schema.read_plan): one batch read per nested field per level.

Result dicts are built straight from rows. Values stay as the driver returns them (UUIDs,
datetimes) where orjson writes exactly what GraphQL's serializers would (the HTTP and WebSocket
views encode with orjson: schema.context). Any exception propagates: the caller then runs the
document through graphql-core, which reports it with its usual path and code.
"""

from collections.abc import Hashable, Sequence
from typing import Any

from resolvers.context import Context
from schema.read_plan import (
    ConnectionPlan,
    Constant,
    Inline,
    Nested,
    ObjectPlan,
    OperationPlan,
)
from services.pagination import Page

# One level's reads by (reader, key column, columns, arguments): fields of one reader selected
# together (e.g. `storyboardCount` and `progress`) cost one call.
Reads = dict[Hashable, dict[Any, Any]]


async def run(plan: OperationPlan, ctx: Context, variables: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, root in plan.fields:
        if isinstance(root, Constant):
            data[key] = root.value
            continue
        args = root.arguments(variables) if root.arguments else {}
        row = await root.reader(ctx, columns=root.child.columns, **args)
        data[key] = None if row is None else (await _objects(ctx, variables, root.child, [row]))[0]
    return data


async def _objects(
    ctx: Context, variables: Any, plan: ObjectPlan, items: Sequence[Any]
) -> list[dict[str, Any]]:
    if not items:
        return []
    reads: Reads = {}
    nested = [await _nested(ctx, variables, n, items, reads) for n in plan.nested]
    inline = [await _inline(ctx, variables, attr, p, items) for attr, p in plan.inline]
    keys, scalars = plan.scalar_keys, plan.scalars
    if scalars is None:
        out: list[dict[str, Any]] = [{} for _ in items]
    else:
        out = [dict(zip(keys, scalars(item), strict=True)) for item in items]
    if not plan.extras:
        return out
    for i, result in enumerate(out):
        for key, source in plan.extras:
            if isinstance(source, Constant):
                result[key] = source.value
            elif isinstance(source, Inline):
                result[key] = inline[source.index][i]
            else:
                result[key] = nested[source][i]
    if not plan.extras_last:
        out = [{key: result[key] for key in plan.keys} for result in out]
    return out


async def _inline(
    ctx: Context, variables: Any, attribute: str, plan: ObjectPlan, items: Sequence[Any]
) -> list[list[dict[str, Any]]]:
    """Each item's list of service values at `attribute`, built in one pass."""
    groups = [getattr(item, attribute) for item in items]
    objects = await _objects(ctx, variables, plan, [value for g in groups for value in g])
    out, start = [], 0
    for group in groups:
        out.append(objects[start : start + len(group)])
        start += len(group)
    return out


async def _nested(
    ctx: Context, variables: Any, n: Nested, parents: Sequence[Any], reads: Reads
) -> list[Any]:
    """The field's value for each parent."""
    relation = n.relation
    keys = [parent[relation.key] for parent in parents]
    unique = list(dict.fromkeys(k for k in keys if k is not None))
    args = n.arguments(variables) if n.arguments else {}
    if isinstance(n.child, ConnectionPlan):
        args["with_total"] = n.child.wants_total
    index = (relation.reader, relation.key, n.columns, tuple(sorted(args.items())))
    found = reads.get(index)
    if found is None:
        results = await relation.reader(ctx, unique, columns=n.columns, **args) if unique else []
        found = reads[index] = dict(zip(unique, results, strict=True))
    if relation.part is not None:
        found = {k: getattr(value, relation.part) for k, value in found.items()}
    built = await _built(ctx, variables, n, unique, found)
    return [None if k is None else built[k] for k in keys]


async def _built(
    ctx: Context, variables: Any, n: Nested, unique: list[Any], found: dict[Any, Any]
) -> dict[Any, Any]:
    """The field's value per distinct key: each object built once however many parents share
    it (walking up, every scene of a storyboard shares it)."""
    if n.child is None:
        return found
    if isinstance(n.child, ConnectionPlan):
        pages = [found[k] for k in unique]
        return dict(zip(unique, await _connections(ctx, variables, n.child, pages), strict=True))
    if n.relation.shape == "list":
        groups = [found[k] for k in unique]
        objects = await _objects(ctx, variables, n.child, [row for g in groups for row in g])
        lists, start = {}, 0
        for k, group in zip(unique, groups, strict=True):
            lists[k] = objects[start : start + len(group)]
            start += len(group)
        return lists
    present = [k for k in unique if found[k] is not None]
    objects = await _objects(ctx, variables, n.child, [found[k] for k in present])
    return dict.fromkeys(unique) | dict(zip(present, objects, strict=True))


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
