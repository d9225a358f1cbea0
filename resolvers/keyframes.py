"""Resolvers of `Keyframe` fields, the keyframes of scenes and keyframe mutations."""

import uuid
from typing import Any

from models import Keyframe, Scene
from resolvers.context import Context
from services import keyframes, sql
from services.validation import parse_id


async def keyframe(ctx: Context, *, columns: sql.Columns = None, id: str) -> sql.Row | None:
    principal = ctx.require("read")
    return await keyframes.get_keyframe(principal.user_id, parse_id(id))


async def keyframes_by_ids(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[sql.Row | None]:
    return await keyframes.keyframes_by_ids(ids, columns)


async def keyframes_for_scenes(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[list[sql.Row]]:
    return await keyframes.keyframes_for_scenes(ids, columns)


async def images_for_keyframes(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[sql.Row | None]:
    return await keyframes.images_for_keyframes(ids, columns)


async def assets_for_keyframes(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[list[sql.Row]]:
    return await keyframes.assets_for_keyframes(ids, columns)


async def add_keyframe(
    ctx: Context, *, scene_id: str, values: dict[str, Any], position: int | None
) -> Keyframe:
    principal = ctx.require("write")
    return await keyframes.add_keyframe(
        principal.user_id, parse_id(scene_id, "sceneId"), values, position
    )


async def update_keyframe(ctx: Context, *, id: str, values: dict[str, Any]) -> Keyframe:
    principal = ctx.require("write")
    return await keyframes.update_keyframe(principal.user_id, parse_id(id), values)


async def move_keyframe(ctx: Context, *, id: str, position: int) -> Scene:
    principal = ctx.require("write")
    return await keyframes.move_keyframe(principal.user_id, parse_id(id), position)


async def delete_keyframe(ctx: Context, *, id: str) -> Scene:
    principal = ctx.require("write")
    return await keyframes.delete_keyframe(ctx.storage, principal.user_id, parse_id(id))


async def set_keyframe_image(ctx: Context, *, id: str, asset_id: str | None) -> Keyframe:
    principal = ctx.require("write")
    return await keyframes.set_keyframe_image(
        principal.user_id,
        parse_id(id),
        None if asset_id is None else parse_id(asset_id, "assetId"),
    )
