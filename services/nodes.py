"""Objects by id whatever their type (`node`, `nodes`): which of the ids are the caller's, and of
what type, in ONE statement; then one read of rows per type found.

Every model a client can hold says here how its rows belong to a user (`OWNERS`): the joins from
its table (alias `t`) up to the owning user's id. Adding a type is one entry; a type that has none
cannot be found by id (tests/api/test_nodes.py fails for a Node type missing here).
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from tortoise.models import Model

from models import (
    ApiKey,
    Asset,
    Character,
    Job,
    Keyframe,
    Project,
    Scene,
    SceneTask,
    Storyboard,
    StoryboardRevision,
    User,
    Webhook,
    WebhookDelivery,
)
from services import rows, sql
from services.limits import MAX_NODE_IDS

__all__ = ["MAX_NODE_IDS", "OWNERS", "Owner", "owned_nodes"]


@dataclass(frozen=True)
class Owner:
    """`joins` lead from the model's table `t` to the column `owner`, the owning user's id;
    `where`: a further condition on `t` (no parameters); `sessions_only`: found only by a
    session token, never by an API key (as `User.apiKeys`)."""

    owner: str
    joins: str = ""
    where: str = ""
    sessions_only: bool = False


_PROJECT = "JOIN projects p ON p.id = t.project_id"
_STORYBOARD = "JOIN storyboards b ON b.id = t.storyboard_id JOIN projects p ON p.id = b.project_id"
_SCENE = (
    "JOIN scenes s ON s.id = t.scene_id JOIN storyboards b ON b.id = s.storyboard_id "
    "JOIN projects p ON p.id = b.project_id"
)

OWNERS: dict[type[Model], Owner] = {
    User: Owner("t.id"),
    ApiKey: Owner("t.user_id", where="t.revoked_at IS NULL", sessions_only=True),
    Project: Owner("t.owner_id"),
    Storyboard: Owner("p.owner_id", _PROJECT),
    Scene: Owner("p.owner_id", _STORYBOARD),
    SceneTask: Owner("p.owner_id", _SCENE),
    Job: Owner("p.owner_id", _PROJECT),
    Asset: Owner("p.owner_id", _PROJECT),
    Character: Owner("p.owner_id", _PROJECT),
    Keyframe: Owner("p.owner_id", _SCENE),
    StoryboardRevision: Owner("p.owner_id", _STORYBOARD),
    Webhook: Owner("t.owner_id"),
    WebhookDelivery: Owner("w.owner_id", "JOIN webhooks w ON w.id = t.webhook_id"),
}


def _table(model: type[Model]) -> str:
    table: str = model._meta.db_table
    return table


async def owned_nodes(
    owner_id: uuid.UUID,
    ids: list[uuid.UUID],
    models: Iterable[type[Model]],
    *,
    session: bool,
) -> list[tuple[type[Model], sql.Row] | None]:
    """(model, row) of each id that names an object of `owner_id` of one of `models`, aligned
    with `ids` (None where it names nothing of theirs): one statement to find them, then one per
    model found."""
    wanted = [m for m in models if session or not OWNERS[m].sessions_only]
    distinct = list(dict.fromkeys(ids))
    if not wanted or not distinct:
        return [None for _ in ids]
    branches, values = [], []
    for index, model in enumerate(wanted):
        owner = OWNERS[model]
        condition = f"{sql.id_list('t.id')} AND {owner.owner} = ?"
        if owner.where:
            condition += f" AND {owner.where}"
        branches.append(
            f"SELECT t.id AS id, {index} AS kind FROM {_table(model)} t {owner.joins} "
            f"WHERE {condition}"
        )
        values += [sql.id_list_param(distinct), owner_id]
    found = await sql.fetch_rows(" UNION ALL ".join(branches), values)
    by_kind: dict[int, list[uuid.UUID]] = {}
    for row in found:
        by_kind.setdefault(int(row["kind"]), []).append(sql.as_uuid(row["id"]))
    located: dict[uuid.UUID, tuple[type[Model], sql.Row]] = {}
    for kind, kind_ids in by_kind.items():
        model = wanted[kind]
        for read in await rows.by_ids(model, _table(model), kind_ids):
            if read is not None:
                located[sql.as_uuid(read["id"])] = (model, read)
    return [located.get(i) for i in ids]
