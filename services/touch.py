"""A project's updatedAt follows every change to it or to anything below it, and an archived
project refuses them all: the one place where "archived is read-only" is enforced.

So "newest updatedAt first" lists the projects most recently worked on first. Every service
that changes rows below a project calls `touch_project` inside the changing transaction; its
statement is also the read-only check, so a write cannot reach the database without it.
"""

import uuid
from datetime import UTC, datetime

from models import Project, ProjectStatus
from services.errors import Conflict

ARCHIVED = "The project is archived: it is read-only until unarchiveProject."


async def touch_project(project_id: uuid.UUID) -> None:
    """Move the project's updatedAt to now; Conflict (the caller's transaction rolls back) when
    the project is archived.

    Call inside the transaction that changed it. The UPDATE takes the project row's lock, so a
    concurrent archiveProject either commits first (this write is refused) or waits for it.
    """
    moved = (
        await Project.filter(id=project_id)
        .exclude(status=ProjectStatus.ARCHIVED)
        .update(updated_at=datetime.now(UTC))
    )
    if not moved and await Project.filter(id=project_id).exists():
        raise Conflict(ARCHIVED)


async def refuse_if_archived(project_id: uuid.UUID) -> None:
    """Conflict when the project is archived, without writing: for a write that turns out to
    change nothing (it still must not succeed on an archived project) and for one whose effects
    outside the database (stored objects) come before its transaction. The transaction itself
    still calls touch_project, which decides under the row lock."""
    if await Project.filter(id=project_id, status=ProjectStatus.ARCHIVED).exists():
        raise Conflict(ARCHIVED)
