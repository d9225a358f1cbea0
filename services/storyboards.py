"""Storyboards: creation by hand, deletion, ownership-scoped reads."""

import uuid
from typing import Any

from models import Project, Storyboard, StoryboardStatus
from services import activity, assets, jobs, rows, sql, validation
from services.broker import Broker
from services.db import transaction
from services.errors import InvalidInput, NotFound
from services.pagination import ChildQuery, Page, PageArgs, pages_for_parents
from services.progress import publish_project_progress
from services.scenes import locked_storyboard
from services.storage import Storage

MAX_PATTERN_SOURCE = 255

STORYBOARDS = ChildQuery(Storyboard, "storyboards", "project_id", "created_at")

# What a storyboard's events show of it (a creation's and a deletion's changes; generateStoryboard
# in services.jobs shows the same).
SHOWN = ("title", "brief", "reference_urls", "status", "pattern_source")


def created_values(storyboard: Storyboard) -> dict[str, Any]:
    return activity.created(activity.snapshot(storyboard, SHOWN))


async def get_storyboard(owner_id: uuid.UUID, storyboard_id: uuid.UUID) -> sql.Row | None:
    return await rows.first(
        Storyboard,
        f"SELECT {sql.select_list(Storyboard, None, prefix='b.')} FROM storyboards b "
        "JOIN projects p ON p.id = b.project_id "
        "WHERE b.id = ? AND p.owner_id = ?",
        [storyboard_id, owner_id],
    )


async def storyboards_for_projects(
    project_ids: list[uuid.UUID],
    args: PageArgs,
    status: StoryboardStatus | None,
    with_total: bool,
    columns: sql.Columns = None,
) -> dict[uuid.UUID, Page[sql.Row]]:
    filters = {"status": status.value} if status else {}
    return await pages_for_parents(STORYBOARDS, project_ids, args, filters, with_total, columns)


async def storyboards_by_ids(
    ids: list[uuid.UUID], columns: sql.Columns = None
) -> list[sql.Row | None]:
    return await rows.by_ids(Storyboard, "storyboards", ids, columns)


async def create_storyboard(
    owner_id: uuid.UUID,
    project_id: uuid.UUID,
    title: str,
    brief: str,
    reference_urls: list[str],
    status: StoryboardStatus = StoryboardStatus.COMPLETED,
) -> Storyboard:
    title = validation.title(title)
    brief = validation.text(brief, "brief", maximum=validation.MAX_BRIEF)
    reference_urls = validation.reference_urls(reference_urls)
    async with transaction():
        if not await Project.filter(id=project_id, owner_id=owner_id).exists():
            raise NotFound("No such project.", field="projectId")
        storyboard = await Storyboard.create(
            project_id=project_id,
            title=title,
            brief=brief,
            reference_urls=reference_urls,
            status=status,
        )
        await activity.record(
            project_id,
            "storyboard.created",
            "Storyboard",
            storyboard.id,
            created_values(storyboard),
        )
    return storyboard


async def update_storyboard(
    owner_id: uuid.UUID, storyboard_id: uuid.UUID, changes: dict[str, Any]
) -> Storyboard:
    """`changes` holds only the fields the client sent; `patternSource: None` clears it.
    Refused (CONFLICT) while the storyboard is GENERATING, like every other edit of it."""
    for key, field in (("title", "title"), ("brief", "brief"), ("reference_urls", "referenceUrls")):
        if key in changes and changes[key] is None:
            raise InvalidInput(f"`{field}` cannot be null.", field=field)
    values: dict[str, Any] = {}
    if "title" in changes:
        values["title"] = validation.title(changes["title"])
    if "brief" in changes:
        values["brief"] = validation.text(changes["brief"], "brief", maximum=validation.MAX_BRIEF)
    if "reference_urls" in changes:
        values["reference_urls"] = validation.reference_urls(changes["reference_urls"])
    if "pattern_source" in changes:
        values["pattern_source"] = validation.optional_text(
            changes["pattern_source"], "patternSource", maximum=MAX_PATTERN_SOURCE
        )
    async with transaction():
        storyboard = await locked_storyboard(owner_id, storyboard_id)
        old = activity.snapshot(storyboard, list(values))
        storyboard.update_from_dict(values)
        await storyboard.save()
        await activity.record(
            storyboard.project_id,  # type: ignore[arg-type]
            "storyboard.updated",
            "Storyboard",
            storyboard.id,
            activity.diff(old, values),
        )
    return storyboard


async def delete_storyboard(
    broker: Broker, storage: Storage, owner_id: uuid.UUID, storyboard_id: uuid.UUID
) -> bool:
    async with transaction():
        storyboard = await Storyboard.filter(id=storyboard_id, project__owner_id=owner_id).first()
        if storyboard is None:
            raise NotFound("No such storyboard.")
        unfinished = await jobs.lock_unfinished_jobs(
            storyboard.project_id,  # type: ignore[arg-type]
            storyboard_id,
        )
        doomed = await assets.schedule_object_deletion(storyboard_id=storyboard_id)
        await Storyboard.filter(id=storyboard_id).delete()
        await activity.record(
            storyboard.project_id,  # type: ignore[arg-type]
            "storyboard.deleted",
            "Storyboard",
            storyboard.id,
            created_values(storyboard),
        )
    await assets.purge_objects(storage, doomed)
    await jobs.publish_deleted(broker, unfinished)  # their streams end: the jobs are gone
    await publish_project_progress(broker, storyboard.project_id)  # type: ignore[arg-type]
    return True
