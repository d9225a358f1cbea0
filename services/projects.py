"""Projects: ownership-scoped reads and writes."""

import uuid
from typing import Any

from models import Project, ProjectStatus
from services import activity, assets, jobs, rows, sql, validation
from services.broker import Broker
from services.db import retrying, transaction
from services.errors import Conflict, InvalidInput, NotFound
from services.pagination import ChildQuery, Page, PageArgs, pages_for_parents
from services.progress import project_channel
from services.storage import Storage

PROJECTS = ChildQuery(Project, "projects", "owner_id", "updated_at")


async def get_project(owner_id: uuid.UUID, project_id: uuid.UUID) -> sql.Row | None:
    return await rows.first(
        Project,
        f"SELECT {sql.select_list(Project, None)} FROM projects WHERE id = ? AND owner_id = ?",
        [project_id, owner_id],
    )


async def projects_for_owners(
    owner_ids: list[uuid.UUID],
    args: PageArgs,
    status: ProjectStatus | None,
    with_total: bool,
    columns: sql.Columns = None,
) -> dict[uuid.UUID, Page[sql.Row]]:
    filters = {"status": status.value} if status else {}
    return await pages_for_parents(PROJECTS, owner_ids, args, filters, with_total, columns)


async def projects_by_ids(
    ids: list[uuid.UUID], columns: sql.Columns = None
) -> list[sql.Row | None]:
    return await rows.by_ids(Project, "projects", ids, columns)


NOT_ARCHIVED = "The project is not archived."


def _status(status: ProjectStatus | None) -> ProjectStatus:
    if status is None:
        raise InvalidInput("`status` cannot be null.", field="status")
    if status == ProjectStatus.ARCHIVED:
        raise InvalidInput(
            "A project is archived only through archiveProject (and left through "
            "unarchiveProject).",
            field="status",
        )
    return status


async def _locked(owner_id: uuid.UUID, project_id: uuid.UUID) -> Project:
    project = await Project.filter(id=project_id, owner_id=owner_id).select_for_update().first()
    if project is None:
        raise NotFound("No such project.")
    return project


async def create_project(
    owner_id: uuid.UUID, title: str, description: str | None, status: ProjectStatus | None
) -> Project:
    values: dict[str, Any] = {
        "title": validation.title(title),
        "description": validation.optional_text(description, "description"),
        "status": _status(status),
    }
    async with transaction():
        project = await Project.create(owner_id=owner_id, **values)
        # The project's event 1.
        event = await activity.record(project.id, "project.created", "Project", project.id, values)
        project.activity_seq, project.updated_at = event.seq, event.at  # what the row holds now
    return project


async def update_project(
    owner_id: uuid.UUID, project_id: uuid.UUID, changes: dict[str, Any]
) -> Project:
    """`changes` holds only the fields the client sent; an explicit None clears a nullable one."""
    values: dict[str, Any] = {}
    if "title" in changes:
        if changes["title"] is None:
            raise InvalidInput("`title` cannot be null.", field="title")
        values["title"] = validation.title(changes["title"])
    if "description" in changes:
        values["description"] = validation.optional_text(changes["description"], "description")
    if "status" in changes:
        values["status"] = _status(changes["status"])
    async with transaction():
        project = await _locked(owner_id, project_id)
        if project.status == ProjectStatus.ARCHIVED:
            raise Conflict(activity.ARCHIVED)
        old = activity.snapshot(project, list(values))
        project.update_from_dict(values)
        # Only what changed: a whole-row save would write back the activity counter it read.
        await project.save(update_fields=[*values, "updated_at"])
        event = await activity.record(
            project.id, "project.updated", "Project", project.id, activity.diff(old, values)
        )
        project.updated_at = event.at  # what the row holds now
    return project


async def archive_locked(project: Project) -> None:
    """Archive a project locked by the caller's transaction and not archived yet, remembering
    the status it had: the one path of archiveProject and of the worker's ARCHIVE_AFTER_DAYS."""
    # Recorded first: once ARCHIVED, the project refuses every event (services.activity).
    event = await activity.record(
        project.id,
        "project.archived",
        "Project",
        project.id,
        {"status": {"old": project.status, "new": ProjectStatus.ARCHIVED}},
    )
    project.archived_from = project.status
    project.status = ProjectStatus.ARCHIVED
    # Only these columns: a whole-row save would write back the activity counter it read.
    await project.save(update_fields=["status", "archived_from"])
    project.updated_at = event.at


async def archive_project(owner_id: uuid.UUID, project_id: uuid.UUID) -> Project:
    """Archive the project: read-only until unarchived. Archiving an archived project changes
    nothing and returns it (so a retried call succeeds)."""
    async with transaction():
        project = await _locked(owner_id, project_id)
        if project.status != ProjectStatus.ARCHIVED:
            await archive_locked(project)
    return project


async def unarchive_project(owner_id: uuid.UUID, project_id: uuid.UUID) -> Project:
    """Put back the status the project had when archived; Conflict if it is not archived."""
    async with transaction():
        project = await _locked(owner_id, project_id)
        if project.status != ProjectStatus.ARCHIVED:
            raise Conflict(NOT_ARCHIVED)
        # A project archived before archived_from existed (status set directly) comes back
        # ACTIVE, the status a project starts with.
        project.status = project.archived_from or ProjectStatus.ACTIVE
        project.archived_from = None
        await project.save(update_fields=["status", "archived_from"])
        event = await activity.record(
            project.id,
            "project.unarchived",
            "Project",
            project.id,
            {"status": {"old": ProjectStatus.ARCHIVED, "new": project.status}},
        )
        project.updated_at = event.at
    return project


async def _delete_rows(
    owner_id: uuid.UUID, project_id: uuid.UUID
) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    async with transaction():
        if not await Project.filter(id=project_id, owner_id=owner_id).exists():
            raise NotFound("No such project.")
        unfinished = await jobs.lock_unfinished_jobs(project_id)
        doomed = await assets.schedule_object_deletion(project_id=project_id)
        await Project.filter(id=project_id).delete()
    return unfinished, doomed


async def delete_project(
    broker: Broker, storage: Storage, owner_id: uuid.UUID, project_id: uuid.UUID
) -> bool:
    """Delete the project and, through ON DELETE CASCADE, everything below it, media included.

    Streams following the project or one of its unfinished jobs then end (NOT_FOUND).

    The delete locks the project's row, then every row below it; a change below it locks its
    own row, then the project's (services.activity): on PostgreSQL the two can deadlock, and
    when the delete is the one aborted it runs again (the change, if aborted, is CONFLICT).
    """
    unfinished, doomed = await retrying(lambda: _delete_rows(owner_id, project_id))
    await assets.purge_objects(storage, doomed)
    await jobs.publish_deleted(broker, unfinished)
    await broker.publish(project_channel(project_id), jobs.DELETED)
    # Its activity went with it (ON DELETE CASCADE): projectActivity streams end.
    await broker.publish(activity.activity_channel(project_id), jobs.DELETED)
    return True
