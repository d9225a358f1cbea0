"""Per-request DataLoaders: one statement per batch, never one per object; never shared."""

import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from models import ApiKey, Asset, Job, JobEvent, Project, Scene, SceneTask, Storyboard, User
from services import assets, auth, jobs, projects, scenes, storyboards, users
from services.pagination import Page, PageArgs
from services.progress import Progress, progress_for_projects, progress_for_storyboards

T = TypeVar("T")
# (parent id, page arguments, status filter, whether totalCount is wanted)
PageKey = tuple[uuid.UUID, PageArgs, Any, bool]


def _paged(
    fetch: Callable[..., Awaitable[dict[uuid.UUID, Page[Any]]]],
) -> Callable[[list[PageKey]], Awaitable[list[Page[Any]]]]:
    """One fetch per distinct (args, status, with_total), for all the parents asking for it."""

    async def load(keys: list[PageKey]) -> list[Page[Any]]:
        groups: dict[tuple[PageArgs, Any, bool], list[uuid.UUID]] = defaultdict(list)
        for parent_id, *params in keys:
            groups[(params[0], params[1], params[2])].append(parent_id)
        pages: dict[PageKey, Page[Any]] = {}
        for (args, status, with_total), parent_ids in groups.items():
            found = await fetch(parent_ids, args, status, with_total)
            for parent_id, page in found.items():
                pages[(parent_id, args, status, with_total)] = page
        return [pages[key] for key in keys]

    return load


def _loader(fn: Callable[[list[Any]], Awaitable[Sequence[T]]]) -> Callable[[], DataLoader[Any, T]]:
    return lambda: DataLoader(load_fn=fn)


@dataclass
class Loaders:
    user_by_id: DataLoader[uuid.UUID, User | None] = field(
        default_factory=_loader(users.users_by_ids)
    )
    project_by_id: DataLoader[uuid.UUID, Project | None] = field(
        default_factory=_loader(projects.projects_by_ids)
    )
    storyboard_by_id: DataLoader[uuid.UUID, Storyboard | None] = field(
        default_factory=_loader(storyboards.storyboards_by_ids)
    )
    scene_by_id: DataLoader[uuid.UUID, Scene | None] = field(
        default_factory=_loader(scenes.scenes_by_ids)
    )
    projects_by_owner_id: DataLoader[PageKey, Page[Project]] = field(
        default_factory=_loader(_paged(projects.projects_for_owners))
    )
    storyboards_by_project_id: DataLoader[PageKey, Page[Storyboard]] = field(
        default_factory=_loader(_paged(storyboards.storyboards_for_projects))
    )
    storyboard_count_by_project_id: DataLoader[uuid.UUID, int] = field(
        default_factory=_loader(projects.storyboard_counts_for_projects)
    )
    progress_by_project_id: DataLoader[uuid.UUID, Progress] = field(
        default_factory=_loader(progress_for_projects)
    )
    progress_by_storyboard_id: DataLoader[uuid.UUID, Progress] = field(
        default_factory=_loader(progress_for_storyboards)
    )
    scenes_by_storyboard_id: DataLoader[uuid.UUID, list[Scene]] = field(
        default_factory=_loader(scenes.scenes_for_storyboards)
    )
    tasks_by_scene_id: DataLoader[uuid.UUID, list[SceneTask]] = field(
        default_factory=_loader(scenes.tasks_for_scenes)
    )
    jobs_by_project_id: DataLoader[PageKey, Page[Job]] = field(
        default_factory=_loader(_paged(jobs.jobs_for_projects))
    )
    # Keyed by (job id, afterSeq).
    events_by_job_id: DataLoader[tuple[uuid.UUID, int], list[JobEvent]] = field(
        default_factory=_loader(jobs.events_for_jobs)
    )
    assets_by_scene_id: DataLoader[uuid.UUID, list[Asset]] = field(
        default_factory=_loader(assets.assets_for_scenes)
    )
    api_keys_by_user_id: DataLoader[uuid.UUID, list[ApiKey]] = field(
        default_factory=_loader(auth.api_keys_for_users)
    )
