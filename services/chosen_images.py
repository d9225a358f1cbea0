"""The chosen image of a character or keyframe: one of its own READY IMAGE assets, or none."""

import uuid

from tortoise.models import Model

from models import Asset, AssetKind, AssetStatus
from services import rows, sql
from services.errors import InvalidInput


async def choose(
    link: type[Model], owner: str, owner_id: uuid.UUID, asset_id: uuid.UUID | None
) -> uuid.UUID | None:
    """Make `asset_id` the chosen image of the `owner` ("character" or "keyframe") `owner_id`,
    or clear the choice (None); returns the previous choice (for the activity event). Inside
    the caller's transaction, the owner already locked."""
    if asset_id is not None:
        found = await Asset.filter(id=asset_id, **{f"{owner}_id": owner_id}).first()
        if found is None:
            raise InvalidInput(
                f"`assetId` is not an asset attached to this {owner}.", field="assetId"
            )
        if found.kind != AssetKind.IMAGE:
            raise InvalidInput("`assetId` is not an IMAGE asset.", field="assetId")
        if found.status != AssetStatus.READY:
            raise InvalidInput(
                "`assetId` is not READY: complete its upload first.", field="assetId"
            )
    previous = await link.filter(**{f"{owner}_id": owner_id}).values_list("asset_id", flat=True)
    await link.filter(**{f"{owner}_id": owner_id}).delete()
    if asset_id is not None:
        values: dict[str, uuid.UUID] = {f"{owner}_id": owner_id, "asset_id": asset_id}
        await link.create(using_db=None, **values)
    return previous[0] if previous else None  # type: ignore[return-value]


async def images_for(
    link: type[Model], owner: str, ids: list[uuid.UUID], columns: sql.Columns
) -> list[sql.Row | None]:
    """Each owner's chosen asset row (None when none is chosen): one statement."""
    select = sql.select_list(Asset, columns, "id", prefix="a.")
    table = link._meta.db_table
    found = await sql.fetch_rows(
        f"SELECT l.{owner}_id AS chosen_for, {select} FROM {table} l "
        f"JOIN assets a ON a.id = l.asset_id WHERE {sql.id_list(f'l.{owner}_id')}",
        [sql.id_list_param(ids)],
    )
    by_owner = {sql.as_uuid(row["chosen_for"]): row for row in sql.typed(Asset, found)}
    return [by_owner.get(i) for i in ids]


async def assets_for(owner: str, ids: list[uuid.UUID], columns: sql.Columns) -> list[list[sql.Row]]:
    """Each owner's assets, oldest first: one statement."""
    return await rows.children(
        Asset, f"{owner}_id", ids, columns, order="created_at, id", needed=["created_at"]
    )
