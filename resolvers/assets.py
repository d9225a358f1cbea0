"""Resolvers of `Asset` fields and asset mutations."""

import uuid
from typing import Any

from models import Asset, AssetKind, AssetStatus
from resolvers.context import Context
from services import assets, sql
from services.assets import Provenance
from services.pagination import Page, page_args
from services.storage import UploadTarget
from services.validation import parse_id


async def asset(ctx: Context, *, columns: sql.Columns = None, id: str) -> sql.Row | None:
    principal = ctx.require("read")
    return await assets.get_asset(principal.user_id, parse_id(id))


async def assets_by_ids(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[sql.Row | None]:
    return await assets.assets_by_ids(ids, columns)


async def sources_for_assets(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[list[sql.Row]]:
    """At most services.limits.MAX_ASSET_SOURCES per asset."""
    return await assets.sources_for_assets(ids, columns)


async def assets_for_jobs(
    ctx: Context, ids: list[uuid.UUID], *, columns: sql.Columns
) -> list[list[sql.Row]]:
    """At most services.limits.MAX_JOB_ASSETS per job."""
    return await assets.assets_for_jobs(ids, columns)


async def assets_for_projects(
    ctx: Context,
    ids: list[uuid.UUID],
    *,
    columns: sql.Columns,
    kind: AssetKind | None,
    role: str | None,
    status: AssetStatus | None,
    first: int | None,
    after: str | None,
    with_total: bool,
) -> list[Page[sql.Row]]:
    args = page_args(first, after)
    found = await assets.assets_for_projects(ids, args, kind, role, status, with_total, columns)
    return [found[i] for i in ids]


async def assets_for_storyboards(
    ctx: Context,
    ids: list[uuid.UUID],
    *,
    columns: sql.Columns,
    kind: AssetKind | None,
    role: str | None,
    status: AssetStatus | None,
    first: int | None,
    after: str | None,
    with_total: bool,
) -> list[Page[sql.Row]]:
    args = page_args(first, after)
    found = await assets.assets_for_storyboards(ids, args, kind, role, status, with_total, columns)
    return [found[i] for i in ids]


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
    job_id: str | None = None,
    role: str | None = None,
    order_index: int | None = None,
    provider: str | None = None,
    provider_ref: str | None = None,
    prompt: str | None = None,
    generation_params: Any = None,
    source_asset_ids: list[str] | None = None,
    idempotency_key: str | None = None,
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
        provenance=Provenance(
            job_id=parse_id(job_id, "jobId") if job_id else None,
            role=role,
            order_index=order_index,
            provider=provider,
            provider_ref=provider_ref,
            prompt=prompt,
            generation_params=generation_params,
            source_ids=(
                [parse_id(i, "sourceAssetIds") for i in source_asset_ids]
                if source_asset_ids is not None
                else None
            ),
        ),
        idempotency_key=idempotency_key,
    )


async def complete_asset_upload(ctx: Context, *, id: str) -> Asset:
    principal = ctx.require("write")
    return await assets.complete_upload(ctx.storage, principal.user_id, parse_id(id))


async def delete_asset(ctx: Context, *, id: str) -> bool:
    principal = ctx.require("write")
    return await assets.delete_asset(ctx.storage, principal.user_id, parse_id(id))
