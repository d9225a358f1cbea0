"""Resolvers of `Asset` fields and asset mutations."""

from typing import Any

from models import Asset, AssetKind
from resolvers.context import Context
from services import assets, sql
from services.storage import UploadTarget
from services.validation import parse_id


async def url(ctx: Context, *, asset: sql.Row) -> str | None:
    (model,) = sql.to_models(Asset, [asset])
    return await assets.download_url(ctx.storage, model)


async def create_asset_upload(
    ctx: Context,
    *,
    project_id: str,
    storyboard_id: str | None,
    scene_id: str | None,
    kind: AssetKind,
    file_name: str,
    content_type: str,
    size_bytes: int,
    duration_seconds: float | None,
    quality_score: float | None,
    metadata: Any,
    character_id: str | None = None,
    keyframe_id: str | None = None,
) -> tuple[Asset, UploadTarget]:
    principal = ctx.require("write")
    return await assets.create_upload(
        ctx.storage,
        principal.user_id,
        project_id=parse_id(project_id, "projectId"),
        storyboard_id=parse_id(storyboard_id, "storyboardId") if storyboard_id else None,
        scene_id=parse_id(scene_id, "sceneId") if scene_id else None,
        kind=kind,
        file_name=file_name,
        content_type=content_type,
        size_bytes=size_bytes,
        duration_seconds=duration_seconds,
        quality_score=quality_score,
        metadata=metadata,
        character_id=parse_id(character_id, "characterId") if character_id else None,
        keyframe_id=parse_id(keyframe_id, "keyframeId") if keyframe_id else None,
    )


async def complete_asset_upload(ctx: Context, *, id: str) -> Asset:
    principal = ctx.require("write")
    return await assets.complete_upload(ctx.storage, principal.user_id, parse_id(id))


async def delete_asset(ctx: Context, *, id: str) -> bool:
    principal = ctx.require("write")
    return await assets.delete_asset(ctx.storage, principal.user_id, parse_id(id))
