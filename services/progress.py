"""Task-completion aggregates (`Progress`) computed with one GROUP BY per batch of parents."""

import logging
import uuid
from dataclasses import dataclass

from services import sql
from services.broker import Broker


@dataclass(frozen=True)
class Progress:
    total_tasks: int = 0
    completed_tasks: int = 0

    @property
    def ratio(self) -> float:
        return self.completed_tasks / self.total_tasks if self.total_tasks else 0.0


log = logging.getLogger(__name__)

_DONE = "SUM(CASE WHEN t.completed THEN 1 ELSE 0 END)"


async def _grouped(key: str, joins: str, where_column: str, ids: list[uuid.UUID]) -> list[Progress]:
    rows = await sql.fetch(
        f"SELECT {key} AS k, COUNT(t.id) AS total, {_DONE} AS done FROM scene_tasks t {joins} "
        f"WHERE {sql.id_list(where_column)} GROUP BY {key}",
        [sql.id_list_param(ids)],
    )
    found = {sql.as_uuid(r["k"]): Progress(r["total"], int(r["done"] or 0)) for r in rows}
    return [found.get(i, Progress()) for i in ids]


async def progress_for_scenes(ids: list[uuid.UUID]) -> list[Progress]:
    return await _grouped("t.scene_id", "", "t.scene_id", ids)


async def progress_for_storyboards(ids: list[uuid.UUID]) -> list[Progress]:
    return await _grouped(
        "s.storyboard_id", "JOIN scenes s ON s.id = t.scene_id", "s.storyboard_id", ids
    )


async def progress_for_projects(ids: list[uuid.UUID]) -> list[Progress]:
    return await _grouped(
        "b.project_id",
        "JOIN scenes s ON s.id = t.scene_id JOIN storyboards b ON b.id = s.storyboard_id",
        "b.project_id",
        ids,
    )


@dataclass(frozen=True)
class ProjectTotals:
    storyboard_count: int
    progress: Progress


async def totals_for_projects(ids: list[uuid.UUID]) -> list[ProjectTotals]:
    """Each project's storyboard count and progress in one statement (the dashboard asks both)."""
    rows = await sql.fetch(
        "WITH c AS (SELECT project_id AS k, COUNT(*) AS n FROM storyboards "
        f"WHERE {sql.id_list('project_id')} GROUP BY project_id), "
        f"p AS (SELECT b.project_id AS k, COUNT(t.id) AS total, {_DONE} AS done "
        "FROM scene_tasks t JOIN scenes s ON s.id = t.scene_id "
        "JOIN storyboards b ON b.id = s.storyboard_id "
        f"WHERE {sql.id_list('b.project_id')} GROUP BY b.project_id) "
        "SELECT c.k, c.n, p.total, p.done FROM c LEFT JOIN p ON p.k = c.k",
        [sql.id_list_param(ids), sql.id_list_param(ids)],
    )
    found = {
        sql.as_uuid(r["k"]): ProjectTotals(r["n"], Progress(r["total"] or 0, int(r["done"] or 0)))
        for r in rows
    }
    return [found.get(i, ProjectTotals(0, Progress())) for i in ids]


def project_channel(project_id: uuid.UUID) -> str:
    return f"project:{project_id}"


async def publish_project_progress(broker: Broker, project_id: uuid.UUID) -> None:
    """After a commit that changed tasks below the project: send its new progress to listeners.

    Best effort: the commit already happened, so a failure here is logged, never raised.
    """
    try:
        (progress,) = await progress_for_projects([project_id])
    except Exception:
        log.warning("could not read progress of project %s to publish", project_id, exc_info=True)
        return
    await broker.publish(
        project_channel(project_id),
        {"totalTasks": progress.total_tasks, "completedTasks": progress.completed_tasks},
    )
