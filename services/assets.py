"""Media assets: announce an upload, verify it, reference it from the graph, delete it cleanly.

Stored objects are removed only after the rows that reference them are committed away: the
deleting transaction writes their keys to an outbox (StoredObjectDeletion), the caller purges
them after the commit, and the worker retries whatever failed. So a storage outage never leaves
a READY asset whose object is gone, only (for a while) an object nobody references.
"""

import logging
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError

from models import (
    Asset,
    AssetKind,
    AssetSource,
    AssetStatus,
    Character,
    Job,
    Keyframe,
    Project,
    Scene,
    StoredObjectDeletion,
    Storyboard,
)
from models.asset import MAX_ASSET_BYTES
from services import activity, idempotency, rows, sql, validation
from services.db import transaction
from services.errors import Conflict, InvalidInput, NotFound
from services.limits import (
    MAX_ASSET_SOURCES,
    MAX_CHARACTER_ASSETS,
    MAX_JOB_ASSETS,
    MAX_KEYFRAME_ASSETS,
    MAX_SCENE_ASSETS,
)
from services.media_types import SUBTITLE_TYPES, Delivery, delivery
from services.pagination import ChildQuery, Page, PageArgs, pages_for_parents
from services.storage import (
    UPLOAD_URL_SECONDS,
    LocalStorage,
    Storage,
    UploadTarget,
    UploadTooLarge,
    object_key,
    staging_key,
)

log = logging.getLogger(__name__)

STALE_UPLOAD = timedelta(days=1)
# An upload URL outlives the asset's PENDING state by at most this much.
_UPLOAD_URL_LIFETIME = timedelta(seconds=UPLOAD_URL_SECONDS + 60)
_MIME = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}")
_ROLE = re.compile(r"[a-z][a-z0-9_]{0,63}")  # always fullmatch
MAX_ORDER_INDEX = 10_000
PROJECT_ASSETS = ChildQuery(Asset, "assets", "project_id", "created_at")
STORYBOARD_ASSETS = ChildQuery(Asset, "assets", "storyboard_id", "created_at")
# Job.assets: by role, then orderIndex, then age (NULLs last on both backends).
_JOB_ORDER = "role IS NULL, role, order_index IS NULL, order_index, created_at, id"
_PREFIX = {
    AssetKind.IMAGE: "image/",
    AssetKind.AUDIO: "audio/",
    AssetKind.VIDEO: "video/",
    AssetKind.THUMBNAIL: "image/",
}


def _check_content_type(kind: AssetKind, content_type: str) -> str:
    # Only spaces and tabs are forgiven: str.strip() would also drop a trailing CR/LF, and the
    # whole value must be a MIME type (fullmatch; `$` would accept one trailing newline).
    content_type = content_type.strip(" \t").lower()
    if not _MIME.fullmatch(content_type):
        raise InvalidInput(
            "`contentType` is not a MIME type such as image/png.", field="contentType"
        )
    if kind == AssetKind.SUBTITLE and content_type not in SUBTITLE_TYPES:
        raise InvalidInput("A SUBTITLE is text/vtt or application/x-subrip.", field="contentType")
    if (prefix := _PREFIX.get(kind)) and not content_type.startswith(prefix):
        raise InvalidInput(
            f"A {kind.value} asset has a {prefix}* content type.", field="contentType"
        )
    return content_type


async def _place_keyframe(
    project_id: uuid.UUID,
    storyboard_id: uuid.UUID | None,
    scene_id: uuid.UUID | None,
    keyframe_id: uuid.UUID,
) -> tuple[uuid.UUID, uuid.UUID]:
    """Check the keyframe lies in the project (and in the storyboard/scene given); its
    storyboard and scene, which the asset lies in too."""
    # Locked: two uploads at once must not both pass the per-keyframe limit.
    keyframe = (
        await Keyframe.filter(id=keyframe_id, scene__storyboard__project_id=project_id)
        .select_for_update()
        .first()
    )
    if keyframe is None:
        raise NotFound("No such keyframe in this project.", field="keyframeId")
    in_storyboard = await Scene.filter(id=keyframe.scene_id).values_list("storyboard_id", flat=True)
    if scene_id is not None and keyframe.scene_id != scene_id:
        raise InvalidInput("The keyframe belongs to another scene.", field="keyframeId")
    if storyboard_id is not None and in_storyboard[0] != storyboard_id:
        raise InvalidInput("The keyframe belongs to another storyboard.", field="keyframeId")
    if await Asset.filter(keyframe_id=keyframe_id).count() >= MAX_KEYFRAME_ASSETS:
        raise InvalidInput(
            f"A keyframe holds at most {MAX_KEYFRAME_ASSETS} assets; delete some first.",
            field="keyframeId",
        )
    return in_storyboard[0], keyframe.scene_id  # type: ignore[return-value]


async def _place_character(project_id: uuid.UUID, character_id: uuid.UUID) -> None:
    """Check the character is of the project and has room for one more asset."""
    # Locked: two uploads at once must not both pass the per-character limit.
    found = (
        await Character.filter(id=character_id, project_id=project_id).select_for_update().first()
    )
    if found is None:
        raise NotFound("No such character in this project.", field="characterId")
    if await Asset.filter(character_id=character_id).count() >= MAX_CHARACTER_ASSETS:
        raise InvalidInput(
            f"A character holds at most {MAX_CHARACTER_ASSETS} assets; delete some first.",
            field="characterId",
        )


async def _place(
    owner_id: uuid.UUID,
    project_id: uuid.UUID,
    storyboard_id: uuid.UUID | None,
    scene_id: uuid.UUID | None,
    character_id: uuid.UUID | None = None,
    keyframe_id: uuid.UUID | None = None,
) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """Check the project is the caller's and the storyboard/scene/character/keyframe lie in it;
    the storyboard and scene the asset lies in (a keyframe's asset lies in its scene)."""
    if not await Project.filter(id=project_id, owner_id=owner_id).exists():
        raise NotFound("No such project.", field="projectId")
    if character_id is not None:
        await _place_character(project_id, character_id)
    if keyframe_id is not None:
        return await _place_keyframe(project_id, storyboard_id, scene_id, keyframe_id)
    return await _place_scene(project_id, storyboard_id, scene_id), scene_id


async def _place_scene(
    project_id: uuid.UUID, storyboard_id: uuid.UUID | None, scene_id: uuid.UUID | None
) -> uuid.UUID | None:
    """Check the storyboard/scene lie in the project; the storyboard."""
    if scene_id is not None:
        # Locked: two uploads at once must not both pass the per-scene limit.
        scene = (
            await Scene.filter(id=scene_id, storyboard__project_id=project_id)
            .select_for_update()
            .first()
        )
        if scene is None:
            raise NotFound("No such scene in this project.", field="sceneId")
        if storyboard_id is not None and scene.storyboard_id != storyboard_id:
            raise InvalidInput("The scene belongs to another storyboard.", field="sceneId")
        if await Asset.filter(scene_id=scene_id, keyframe_id=None).count() >= MAX_SCENE_ASSETS:
            raise InvalidInput(
                f"A scene holds at most {MAX_SCENE_ASSETS} assets; delete some first.",
                field="sceneId",
            )
        return scene.storyboard_id  # type: ignore[return-value]
    if (
        storyboard_id is not None
        and not await Storyboard.filter(id=storyboard_id, project_id=project_id).exists()
    ):
        raise NotFound("No such storyboard in this project.", field="storyboardId")
    return storyboard_id


@dataclass(frozen=True)
class Provenance:
    """What an asset is for and where it came from (all optional)."""

    job_id: uuid.UUID | None = None
    role: str | None = None
    order_index: int | None = None
    provider: str | None = None
    provider_ref: str | None = None
    prompt: str | None = None
    generation_params: Any = None
    source_ids: list[uuid.UUID] | None = None

    def checked(self) -> "Provenance":
        if self.role is not None and not _ROLE.fullmatch(self.role):
            raise InvalidInput(
                "`role` is lower_snake_case, 1..64 characters, starting with a letter.",
                field="role",
            )
        if self.order_index is not None and not 1 <= self.order_index <= MAX_ORDER_INDEX:
            raise InvalidInput(f"`orderIndex` must be 1..{MAX_ORDER_INDEX:,}.", field="orderIndex")
        validation.optional_text(self.provider, "provider", maximum=200)
        validation.optional_text(self.provider_ref, "providerRef", maximum=500)
        validation.optional_text(self.prompt, "prompt")
        if self.source_ids is not None:
            if not 1 <= len(self.source_ids) <= MAX_ASSET_SOURCES:
                raise InvalidInput(
                    f"`sourceAssetIds` lists 1..{MAX_ASSET_SOURCES} assets.",
                    field="sourceAssetIds",
                )
            if len(set(self.source_ids)) != len(self.source_ids):
                raise InvalidInput("`sourceAssetIds` lists an asset twice.", field="sourceAssetIds")
        return self


async def _place_job(
    job_id: uuid.UUID, project_id: uuid.UUID, storyboard_id: uuid.UUID | None
) -> None:
    # Locked: two uploads at once must not both pass the per-job limit.
    job = await Job.filter(id=job_id, project_id=project_id).select_for_update().first()
    if job is None:
        raise NotFound("No such job in this project.", field="jobId")
    if storyboard_id is not None and job.storyboard_id != storyboard_id:
        raise InvalidInput("The job belongs to another storyboard.", field="jobId")
    if await Asset.filter(job_id=job_id).count() >= MAX_JOB_ASSETS:
        raise InvalidInput(f"A job has at most {MAX_JOB_ASSETS} assets.", field="jobId")


async def _link_sources(asset_id: uuid.UUID, project_id: uuid.UUID, ids: list[uuid.UUID]) -> None:
    found = await Asset.filter(id__in=ids, project_id=project_id).count()
    if found != len(ids):
        raise NotFound("A source asset is not in this project.", field="sourceAssetIds")
    await AssetSource.bulk_create(
        [
            AssetSource(asset_id=asset_id, source_id=source, ordinal=i)
            for i, source in enumerate(ids, 1)
        ]
    )


# What an asset's events show of it (never its storage key or URLs).
SHOWN = (
    "kind",
    "file_name",
    "content_type",
    "size_bytes",
    "status",
    "storyboard_id",
    "scene_id",
    "character_id",
    "keyframe_id",
    "job_id",
    "role",
)


async def create_upload(
    storage: Storage,
    owner_id: uuid.UUID,
    *,
    project_id: uuid.UUID,
    storyboard_id: uuid.UUID | None,
    scene_id: uuid.UUID | None,
    kind: AssetKind,
    file_name: str,
    content_type: str,
    size_bytes: int,
    duration_seconds: float | None,
    quality_score: float | None,
    metadata: Any,
    character_id: uuid.UUID | None = None,
    keyframe_id: uuid.UUID | None = None,
    provenance: Provenance = Provenance(),
    idempotency_key: str | None = None,
) -> tuple[Asset, UploadTarget]:
    """A PENDING asset and where to PUT its bytes. With `idempotency_key`, a repeat of the same
    request within 24 h returns the first asset (with a fresh upload URL)."""
    file_name = validation.text(file_name.strip(), "fileName", maximum=255)
    content_type = _check_content_type(kind, content_type)
    if not 1 <= size_bytes <= MAX_ASSET_BYTES:
        raise InvalidInput("`sizeBytes` must be 1 byte .. 5 GiB.", field="sizeBytes")
    if duration_seconds is not None and duration_seconds < 0:
        raise InvalidInput("`durationSeconds` must be 0 or more.", field="durationSeconds")
    if quality_score is not None and not 0 <= quality_score <= 1:
        raise InvalidInput("`qualityScore` must be between 0 and 1.", field="qualityScore")
    provenance = provenance.checked()
    request = idempotency.request(
        owner_id,
        idempotency_key,
        "createAssetUpload",
        {
            "projectId": project_id,
            "storyboardId": storyboard_id,
            "sceneId": scene_id,
            "characterId": character_id,
            "keyframeId": keyframe_id,
            "kind": kind.value,
            "fileName": file_name,
            "contentType": content_type,
            "sizeBytes": size_bytes,
            "durationSeconds": duration_seconds,
            "qualityScore": quality_score,
            "metadata": metadata,
            **{k: v for k, v in vars(provenance).items() if k != "source_ids"},
            "sourceAssetIds": provenance.source_ids,
        },
    )

    async def create() -> Asset:
        asset_id = uuid.uuid4()
        key = object_key(project_id, asset_id, file_name)
        async with transaction():
            placed, placed_scene = await _place(
                owner_id, project_id, storyboard_id, scene_id, character_id, keyframe_id
            )
            if provenance.job_id is not None:
                await _place_job(provenance.job_id, project_id, placed)
            await request.reserve()
            asset = await Asset.create(
                id=asset_id,
                project_id=project_id,
                storyboard_id=placed,
                scene_id=placed_scene,
                character_id=character_id,
                keyframe_id=keyframe_id,
                job_id=provenance.job_id,
                owner_key=keyframe_id
                or character_id
                or placed_scene
                or placed
                or provenance.job_id
                or project_id,
                role=provenance.role,
                order_index=provenance.order_index,
                provider=provenance.provider,
                provider_ref=provenance.provider_ref,
                prompt=provenance.prompt,
                generation_params=provenance.generation_params,
                kind=kind,
                file_name=file_name,
                content_type=content_type,
                size_bytes=size_bytes,
                duration_seconds=duration_seconds,
                quality_score=quality_score,
                metadata=metadata,
                storage_key=key,
            )
            if provenance.source_ids:
                await _link_sources(asset_id, project_id, provenance.source_ids)
            await request.bind(asset_id)
            await activity.record(
                project_id,
                "asset.created",
                "Asset",
                asset.id,
                activity.created(activity.snapshot(asset, SHOWN)),
            )
        return asset

    async def fetch(asset_id: uuid.UUID) -> Asset | None:
        return await Asset.filter(id=asset_id, project__owner_id=owner_id).first()

    try:
        asset = await idempotency.once(request, create, fetch)
    except IntegrityError as exc:
        # The only other unique rule an insert here can break.
        raise Conflict(
            "Another asset of this owner has this role and orderIndex.", field="orderIndex"
        ) from exc
    target = await storage.upload_target(
        asset.id, asset.storage_key, asset.content_type, asset.size_bytes
    )
    return asset, target


async def complete_upload(storage: Storage, owner_id: uuid.UUID, asset_id: uuid.UUID) -> Asset:
    """Seal the upload (a snapshot nothing can change afterwards) and mark READY, once it has
    the announced size (and type, when the backend keeps one)."""
    asset = await Asset.filter(id=asset_id, project__owner_id=owner_id).first()
    if asset is None:
        raise NotFound("No such asset.")
    # Before the seal: it writes a stored object, which no rollback takes back.
    await activity.refuse_if_archived(asset.project_id)  # type: ignore[arg-type]
    if asset.status == AssetStatus.READY:
        return asset
    stored = await storage.seal(asset.storage_key, asset.size_bytes, asset.content_type)
    if stored is None:
        raise InvalidInput("Nothing was uploaded for this asset yet.", field="id")
    if stored.size != asset.size_bytes:
        raise InvalidInput(
            f"The upload has {stored.size} bytes, not the announced {asset.size_bytes}.",
            field="sizeBytes",
        )
    if stored.content_type is not None and stored.content_type.lower() != asset.content_type:
        raise InvalidInput(
            f"The upload is {stored.content_type}, not the announced {asset.content_type}.",
            field="contentType",
        )
    async with transaction():
        now = datetime.now(UTC)
        updated = await Asset.filter(id=asset.id, status=AssetStatus.PENDING).update(
            status=AssetStatus.READY, updated_at=now
        )
        if updated:
            # The upload URL still takes bytes (S3) until it expires; they land on the staging
            # key, which is never served: sweep it once the URL is dead.
            await StoredObjectDeletion.create(
                storage_key=staging_key(asset.storage_key),
                next_attempt_at=now + _UPLOAD_URL_LIFETIME,
            )
            await activity.record(
                asset.project_id,  # type: ignore[arg-type]
                "asset.ready",
                "Asset",
                asset.id,
                {"status": {"old": AssetStatus.PENDING, "new": AssetStatus.READY}},
            )
    if not updated:
        if not await Asset.filter(id=asset.id).exists():
            # Deleted meanwhile: its objects were purged, perhaps before the seal above.
            await storage.delete(asset.storage_key)
        raise Conflict("The asset was deleted or completed meanwhile.")
    asset.status = AssetStatus.READY
    return asset


async def delete_asset(storage: Storage, owner_id: uuid.UUID, asset_id: uuid.UUID) -> bool:
    async with transaction():
        found = await Asset.filter(id=asset_id, project__owner_id=owner_id).values(
            "project_id", *SHOWN
        )
        if not found:
            raise NotFound("No such asset.")
        old = dict(found[0])
        project_id = old.pop("project_id")
        doomed = await schedule_object_deletion(id=asset_id)
        await Asset.filter(id=asset_id).delete()
        await activity.record(project_id, "asset.deleted", "Asset", asset_id, activity.created(old))
    await purge_objects(storage, doomed)
    return True


async def schedule_object_deletion(**filters: Any) -> list[uuid.UUID]:
    """Inside the deleting transaction: queue the objects (final and staging) of the assets
    matching `filters`; returns the ids of the rows due now."""
    found = await Asset.filter(**filters).values_list("storage_key", "status")
    now = datetime.now(UTC)
    doomed = [
        StoredObjectDeletion(storage_key=name, next_attempt_at=now)
        for key, _ in found
        for name in (key, staging_key(key))
    ]
    # A PENDING asset's upload URL stays valid for a while: bytes sent to it after this
    # deletion would be orphaned, so sweep its staging key once more after the URL has expired
    # (a READY asset's was queued by its completion).
    later = now + _UPLOAD_URL_LIFETIME
    delayed = [
        StoredObjectDeletion(storage_key=staging_key(key), next_attempt_at=later)
        for key, status in found
        if status == AssetStatus.PENDING
    ]
    if doomed or delayed:
        await StoredObjectDeletion.bulk_create(doomed + delayed)
    return [row.id for row in doomed]


async def purge_objects(
    storage: Storage, ids: list[uuid.UUID] | None = None, limit: int = 200
) -> int:
    """Delete queued objects (`ids`, or all that are due); failures wait and are retried."""
    if ids is not None and not ids:
        return 0
    query = (
        StoredObjectDeletion.filter(id__in=ids)
        if ids is not None
        else (StoredObjectDeletion.filter(next_attempt_at__lte=datetime.now(UTC)).limit(limit))
    )
    purged = 0
    for row in await query:
        try:
            await storage.delete(row.storage_key)
        except Exception as exc:
            log.warning("storage: could not delete %s yet: %s", row.storage_key, exc)
            row.attempts += 1
            row.last_error = str(exc)[:2000]
            row.next_attempt_at = datetime.now(UTC) + timedelta(
                seconds=min(30 * 2**row.attempts, 3600)
            )
            await row.save()
            continue
        await row.delete()
        purged += 1
    return purged


async def clean_stale_uploads(storage: Storage, older_than: timedelta = STALE_UPLOAD) -> int:
    """Remove PENDING assets announced more than `older_than` ago, and whatever they uploaded."""
    cutoff = datetime.now(UTC) - older_than
    stale = {"status": AssetStatus.PENDING, "created_at__lt": cutoff}
    async with transaction():
        doomed = await schedule_object_deletion(**stale)
        removed: int = await Asset.filter(**stale).delete()
    await purge_objects(storage, doomed)
    return removed


async def assets_for_scenes(
    ids: list[uuid.UUID], columns: sql.Columns = None
) -> list[list[sql.Row]]:
    """Each scene's assets, oldest first (its keyframes' are theirs): one statement."""
    return await rows.children(
        Asset,
        "scene_id",
        ids,
        columns,
        order="created_at, id",
        needed=["created_at"],
        where="keyframe_id IS NULL",
    )


async def get_asset(owner_id: uuid.UUID, asset_id: uuid.UUID) -> sql.Row | None:
    return await rows.first(
        Asset,
        "SELECT a.* FROM assets a JOIN projects p ON p.id = a.project_id "
        "WHERE a.id = ? AND p.owner_id = ?",
        [asset_id, owner_id],
    )


async def assets_by_ids(ids: list[uuid.UUID], columns: sql.Columns = None) -> list[sql.Row | None]:
    return await rows.by_ids(Asset, "assets", ids, columns)


async def assets_for_jobs(ids: list[uuid.UUID], columns: sql.Columns = None) -> list[list[sql.Row]]:
    """Each job's assets by role, then orderIndex, then age: one statement."""
    return await rows.children(
        Asset,
        "job_id",
        ids,
        columns,
        order=_JOB_ORDER,
        needed=["role", "order_index", "created_at"],
    )


async def sources_for_assets(
    ids: list[uuid.UUID], columns: sql.Columns = None
) -> list[list[sql.Row]]:
    """Each asset's sources in the order given at upload: one statement."""
    select = sql.select_list(Asset, columns, "id", prefix="a.")
    found = await sql.fetch_rows(
        f"SELECT {select}, l.asset_id AS _derived FROM asset_sources l "
        f"JOIN assets a ON a.id = l.source_id WHERE {sql.id_list('l.asset_id')} "
        "ORDER BY l.asset_id, l.ordinal",
        [sql.id_list_param(ids)],
    )
    return rows.grouped(sql.typed(Asset, found), "_derived", ids)


def _filters(
    kind: AssetKind | None, role: str | None, status: AssetStatus | None
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if kind is not None:
        found["kind"] = kind.value
    if role is not None:
        found["role"] = role
    if status is not None:
        found["status"] = status.value
    return found


async def assets_for_projects(
    ids: list[uuid.UUID],
    args: PageArgs,
    kind: AssetKind | None,
    role: str | None,
    status: AssetStatus | None,
    with_total: bool,
    columns: sql.Columns = None,
) -> dict[uuid.UUID, Page[sql.Row]]:
    filters = _filters(kind, role, status)
    return await pages_for_parents(PROJECT_ASSETS, ids, args, filters, with_total, columns)


async def assets_for_storyboards(
    ids: list[uuid.UUID],
    args: PageArgs,
    kind: AssetKind | None,
    role: str | None,
    status: AssetStatus | None,
    with_total: bool,
    columns: sql.Columns = None,
) -> dict[uuid.UUID, Page[sql.Row]]:
    filters = _filters(kind, role, status)
    return await pages_for_parents(STORYBOARD_ASSETS, ids, args, filters, with_total, columns)


async def download_url(storage: Storage, asset: Asset) -> str | None:
    if asset.status != AssetStatus.READY:
        return None
    return await storage.download_url(
        asset.id, asset.storage_key, asset.content_type, asset.file_name
    )


async def receive_local_upload(
    storage: LocalStorage,
    token: str,
    content_type: str | None,
    content_length: int | None,
    body: AsyncIterator[bytes],
) -> int:
    """Store the body of a PUT to a local upload URL on the asset's staging key; returns the
    bytes written."""
    claims = storage.verify(token, "put")
    if not await Asset.filter(
        id=claims.asset_id, storage_key=claims.key, status=AssetStatus.PENDING
    ).exists():
        raise NotFound("This upload URL is for an asset that no longer awaits an upload.")
    if (content_type or "").split(";")[0].strip().lower() != claims.content_type:
        raise InvalidInput(
            f"Send the announced Content-Type: {claims.content_type}.", field="Content-Type"
        )
    if content_length is not None and content_length > claims.size:
        raise UploadTooLarge(f"The body exceeds the announced {claims.size} bytes.")
    staged = staging_key(claims.key)
    written = await storage.write(staged, body, limit=claims.size)
    # completeAssetUpload may have sealed the asset while these bytes were on their way: they
    # can no longer become the asset's object, and are not kept.
    if not await Asset.filter(id=claims.asset_id, status=AssetStatus.PENDING).exists():
        await storage.delete(staged)
        raise NotFound("This upload URL is for an asset that no longer awaits an upload.")
    return written


async def open_local_download(storage: LocalStorage, token: str) -> tuple[str, Delivery]:
    """The path of a READY asset behind a local download URL, and how to serve it."""
    claims = storage.verify(token, "get")
    if not await Asset.filter(
        id=claims.asset_id, storage_key=claims.key, status=AssetStatus.READY
    ).exists():
        raise NotFound("No such media.")
    return str(storage.path_of(claims.key)), delivery(claims.content_type, claims.file_name)
