"""Resolvers of `Character` fields, the cast of scenes and character mutations."""

import uuid
from typing import Any

from models import Character, Scene
from resolvers.context import Context
from services import characters, sql
from services.validation import parse_id


async def character(ctx: Context, *, columns: sql.Columns = None, id: str) -> sql.Row | None:
    principal = ctx.require("read")
    return await characters.get_character(principal.user_id, parse_id(id))


async def characters_by_ids(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[sql.Row | None]:
    return await characters.characters_by_ids(ids, columns)


async def characters_for_projects(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[list[sql.Row]]:
    return await characters.characters_for_projects(ids, columns)


async def characters_for_scenes(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[list[sql.Row]]:
    return await characters.characters_for_scenes(ids, columns)


async def scenes_for_characters(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[list[sql.Row]]:
    return await characters.scenes_for_characters(ids, columns)


async def images_for_characters(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[sql.Row | None]:
    return await characters.images_for_characters(ids, columns)


async def assets_for_characters(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[list[sql.Row]]:
    return await characters.assets_for_characters(ids, columns)


async def create_character(
    ctx: Context,
    *,
    project_id: str,
    name: str,
    description: str,
    consistency_key: str | None,
    metadata: Any,
) -> Character:
    principal = ctx.require("write")
    return await characters.create_character(
        principal.user_id,
        parse_id(project_id, "projectId"),
        name,
        description,
        consistency_key,
        metadata,
    )


async def update_character(ctx: Context, *, id: str, changes: dict[str, Any]) -> Character:
    principal = ctx.require("write")
    return await characters.update_character(principal.user_id, parse_id(id), changes)


async def delete_character(ctx: Context, *, id: str) -> bool:
    principal = ctx.require("write")
    return await characters.delete_character(ctx.storage, principal.user_id, parse_id(id))


async def set_scene_characters(ctx: Context, *, scene_id: str, character_ids: list[str]) -> Scene:
    principal = ctx.require("write")
    return await characters.set_scene_characters(
        principal.user_id,
        parse_id(scene_id, "sceneId"),
        [parse_id(i, "characterIds") for i in character_ids],
    )


async def set_character_image(ctx: Context, *, id: str, asset_id: str | None) -> Character:
    principal = ctx.require("write")
    return await characters.set_character_image(
        principal.user_id,
        parse_id(id),
        None if asset_id is None else parse_id(asset_id, "assetId"),
    )
