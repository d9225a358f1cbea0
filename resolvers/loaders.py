"""Per-request DataLoaders: one statement per batch, never one per object; never shared."""

import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from functools import cached_property
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


class Loaders:
    """Created on first use: most requests need two or three of them."""

    @cached_property
    def user_by_id(self) -> DataLoader[uuid.UUID, User | None]:
        return DataLoader(load_fn=users.users_by_ids)

    @cached_property
    def project_by_id(self) -> DataLoader[uuid.UUID, Project | None]:
        return DataLoader(load_fn=projects.projects_by_ids)

    @cached_property
    def storyboard_by_id(self) -> DataLoader[uuid.UUID, Storyboard | None]:
        return DataLoader(load_fn=storyboards.storyboards_by_ids)

    @cached_property
    def scene_by_id(self) -> DataLoader[uuid.UUID, Scene | None]:
        return DataLoader(load_fn=scenes.scenes_by_ids)

    @cached_property
    def projects_by_owner_id(self) -> DataLoader[PageKey, Page[Project]]:
        return DataLoader(load_fn=_paged(projects.projects_for_owners))

    @cached_property
    def storyboards_by_project_id(self) -> DataLoader[PageKey, Page[Storyboard]]:
        return DataLoader(load_fn=_paged(storyboards.storyboards_for_projects))

    @cached_property
    def storyboard_count_by_project_id(self) -> DataLoader[uuid.UUID, int]:
        return DataLoader(load_fn=projects.storyboard_counts_for_projects)

    @cached_property
    def progress_by_project_id(self) -> DataLoader[uuid.UUID, Progress]:
        return DataLoader(load_fn=progress_for_projects)

    @cached_property
    def progress_by_storyboard_id(self) -> DataLoader[uuid.UUID, Progress]:
        return DataLoader(load_fn=progress_for_storyboards)

    @cached_property
    def scenes_by_storyboard_id(self) -> DataLoader[uuid.UUID, list[Scene]]:
        return DataLoader(load_fn=scenes.scenes_for_storyboards)

    @cached_property
    def tasks_by_scene_id(self) -> DataLoader[uuid.UUID, list[SceneTask]]:
        return DataLoader(load_fn=scenes.tasks_for_scenes)

    @cached_property
    def jobs_by_project_id(self) -> DataLoader[PageKey, Page[Job]]:
        return DataLoader(load_fn=_paged(jobs.jobs_for_projects))

    @cached_property
    def events_by_job_id(self) -> DataLoader[tuple[uuid.UUID, int], list[JobEvent]]:
        """Keyed by (job id, afterSeq)."""
        return DataLoader(load_fn=jobs.events_for_jobs)

    @cached_property
    def assets_by_scene_id(self) -> DataLoader[uuid.UUID, list[Asset]]:
        return DataLoader(load_fn=assets.assets_for_scenes)

    @cached_property
    def api_keys_by_user_id(self) -> DataLoader[uuid.UUID, list[ApiKey]]:
        return DataLoader(load_fn=auth.api_keys_for_users)
