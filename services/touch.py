"""A project's updatedAt follows every change to it or to anything below it.

So "newest updatedAt first" lists the projects most recently worked on first. Every service
that changes rows below a project calls `touch_project` inside the changing transaction.
"""

import uuid
from datetime import UTC, datetime

from models import Project


async def touch_project(project_id: uuid.UUID) -> None:
    """Move the project's updatedAt to now (call inside the transaction that changed it)."""
    await Project.filter(id=project_id).update(updated_at=datetime.now(UTC))
