"""Retention and automatic archiving by the worker (API.md 2.4): ACTIVITY_RETENTION_DAYS,
JOB_RETENTION_DAYS and ARCHIVE_AFTER_DAYS, in bounded batches, with the clock controlled by
putting timestamps in the past (no sleeping)."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from models import (
    ActivityEvent,
    ActorKind,
    Asset,
    Job,
    JobEvent,
    JobStage,
    Project,
    ProjectStatus,
)
from services import retention
from services.broker import MemoryBroker
from services.retention import Retention, retention_of
from services.settings import Settings
from services.worker import Worker
from tests.conftest import MakeApi
from tests.creative import MEDIA_HOST, attach
from tests.helpers import Api, StatementCounter, User, create_project, sign_up

DAY = timedelta(days=1)
CREATE_JOB = """mutation($input: CreateJobInput!) { createJob(input: $input) { id } }"""
CLAIM = 'mutation { claimJob(kinds: ["render"]) { id } }'


@pytest.fixture
async def api(make_api: MakeApi, tmp_path: Path) -> AsyncIterator[Api]:
    async with make_api(storage_url=f"file://{tmp_path / 'media'}", public_url=MEDIA_HOST) as api:
        yield api


def deletes(statements: list[str]) -> int:
    return sum(1 for s in statements if s.lstrip().upper().startswith("DELETE"))


async def add_events(project_id: str, count: int, at: datetime, first_seq: int) -> None:
    await ActivityEvent.bulk_create(
        [
            ActivityEvent(
                project_id=uuid.UUID(project_id),
                seq=first_seq + i,
                at=at,
                action="scene.updated",
                entity_type="Scene",
                entity_id=uuid.uuid4(),
                actor_kind=ActorKind.USER,
            )
            for i in range(count)
        ],
        batch_size=500,
    )


async def test_old_activity_is_deleted_at_most_a_batch_per_statement(
    api: Api, count_statements: StatementCounter
) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    # Only the events this test adds (createProject wrote event 1).
    await ActivityEvent.filter(project_id=project).delete()
    now = datetime.now(UTC)
    await add_events(project, 2500, now - 400 * DAY, 1)
    await add_events(project, 3, now - 10 * DAY, 2501)

    # One batch per sweep at most: each statement deletes at most 1,000 rows.
    per_sweep = [await retention.purge_activity(now - 365 * DAY, 1000, 1) for _ in range(4)]
    assert per_sweep == [1000, 1000, 500, 0]
    left = await ActivityEvent.filter(project_id=project).order_by("seq").values_list("seq")
    assert left == [(2501,), (2502,), (2503,)]

    # The same backlog in one sweep: three DELETE statements (1000 + 1000 + 500).
    await add_events(project, 2500, now - 400 * DAY, 3000)
    with count_statements.measure() as issued:
        assert await retention.purge_activity(now - 365 * DAY, 1000, 100) == 2500
    assert deletes(issued) == 3
    assert await ActivityEvent.filter(project_id=project).count() == 3


async def job(api: Api, user: User, project: str, end: str | None) -> str:
    data = await api.gql(
        CREATE_JOB,
        user.token,
        input={"projectId": project, "kind": "render", "stages": ["a", "b"]},
    )
    job_id: str = data["createJob"]["id"]
    if end is None:
        return job_id
    if end == "cancel":
        await api.gql("mutation($id: ID!) { cancelJob(id: $id) { id } }", user.token, id=job_id)
        return job_id
    assert (await api.gql(CLAIM, user.token))["claimJob"] == {"id": job_id}
    if end == "complete":
        await api.gql("mutation($id: ID!) { completeJob(id: $id) { id } }", user.token, id=job_id)
    elif end == "fail":
        await api.gql(
            'mutation($id: ID!) { failJob(id: $id, error: "x") { id } }', user.token, id=job_id
        )
    return job_id


async def test_finished_jobs_past_retention_go_with_events_and_stages_but_not_assets(
    api: Api, count_statements: StatementCounter
) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    now = datetime.now(UTC)
    old = {end: await job(api, user, project, end) for end in ("complete", "fail", "cancel")}
    recent = await job(api, user, project, "complete")
    running = await job(api, user, project, "running")
    queued = await job(api, user, project, None)
    await Job.filter(id__in=list(old.values())).update(finished_at=now - 91 * DAY)
    await Job.filter(id=recent).update(finished_at=now - 89 * DAY)
    # An unfinished job is never deleted, however old.
    await Job.filter(id__in=[running, queued]).update(created_at=now - 400 * DAY)
    produced = await attach(api, user, project, jobId=old["complete"])
    assert await JobEvent.filter(job_id__in=list(old.values())).count() > 0
    assert await JobStage.filter(job_id__in=list(old.values())).count() == 6

    with count_statements.measure() as issued:
        deleted = await retention.purge_jobs(now - 90 * DAY, 2, 100)

    assert deleted == 3, issued
    assert deletes(issued) == 2, issued  # 2 + 1 jobs
    left = {str(i) for i in await Job.all().values_list("id", flat=True)}
    assert left == {recent, running, queued}
    assert await JobEvent.filter(job_id__in=list(old.values())).count() == 0
    assert await JobStage.filter(job_id__in=list(old.values())).count() == 0
    assert await JobEvent.filter(job_id=recent).count() > 0
    asset = await Asset.get(id=produced)
    assert (asset.job_id, str(asset.project_id)) == (None, project)


async def test_completed_projects_untouched_too_long_are_archived(api: Api) -> None:
    user = await sign_up(api)
    now = datetime.now(UTC)
    stale = [
        await create_project(api, user, title=f"Old {i}", status="COMPLETED") for i in range(3)
    ]
    active_old = await create_project(api, user, title="Still going")
    fresh = await create_project(api, user, title="Just done", status="COMPLETED")
    await Project.filter(id__in=[*stale, active_old]).update(updated_at=now - 31 * DAY)
    await Project.filter(id=fresh).update(updated_at=now - 29 * DAY)

    assert await retention.archive_stale_projects(now - 30 * DAY, 2, 100) == 3

    statuses = dict(await Project.all().values_list("id", "status"))
    assert {str(k): v for k, v in statuses.items()} == {
        **dict.fromkeys(stale, ProjectStatus.ARCHIVED),
        active_old: ProjectStatus.ACTIVE,
        fresh: ProjectStatus.COMPLETED,
    }
    data = await api.gql(
        "mutation($id: ID!) { unarchiveProject(id: $id) { status } }", user.token, id=stale[0]
    )
    assert data == {"unarchiveProject": {"status": "COMPLETED"}}
    # Archived projects are not listed again on the next sweep.
    assert await retention.archive_stale_projects(now - 30 * DAY, 2, 100) == 0


async def test_zero_days_turns_each_rule_off(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user, status="COMPLETED")
    long_ago = datetime.now(UTC) - 5000 * DAY
    await add_events(project, 5, long_ago, 1001)  # after the project's own events
    finished = await job(api, user, project, "complete")
    await Job.filter(id=finished).update(finished_at=long_ago)
    await Project.filter(id=project).update(updated_at=long_ago)
    events = await ActivityEvent.filter(project_id=project).count()

    swept = await retention.apply_retention(
        Retention(archive_after_days=0, activity_days=0, job_days=0), datetime.now(UTC)
    )

    assert swept == retention.Swept(0, 0, 0)
    assert await ActivityEvent.filter(project_id=project).count() == events
    assert await Job.filter(id=finished).exists()
    assert (await Project.get(id=project)).status == ProjectStatus.COMPLETED


async def test_the_worker_applies_retention_in_its_sweep(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user, status="COMPLETED")
    now = datetime.now(UTC)
    await add_events(project, 4, now - 11 * DAY, 1001)  # after the project's own events
    await Project.filter(id=project).update(updated_at=now - 3 * DAY)
    worker = Worker(
        MemoryBroker(),
        poll_seconds=0.05,
        retention=Retention(archive_after_days=2, activity_days=10, job_days=90),
    )
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    try:
        for _ in range(100):  # at most 5 s
            status = (await Project.get(id=project)).status
            old = ActivityEvent.filter(project_id=project, at__lt=now - 10 * DAY)
            if status == ProjectStatus.ARCHIVED and not await old.exists():
                break
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        await asyncio.wait_for(task, 5)

    assert (await Project.get(id=project)).status == ProjectStatus.ARCHIVED
    assert not await ActivityEvent.filter(project_id=project, at__lt=now - 10 * DAY).exists()
    newest = await ActivityEvent.filter(project_id=project).order_by("-seq").first()
    assert newest is not None
    assert newest.action == "project.archived"
    assert newest.actor_kind == ActorKind.WORKER


def test_settings_name_the_retention_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    assert retention_of(Settings()) == Retention(
        archive_after_days=0, activity_days=365, job_days=90
    )
    monkeypatch.setenv("ARCHIVE_AFTER_DAYS", "30")
    monkeypatch.setenv("ACTIVITY_RETENTION_DAYS", "0")
    monkeypatch.setenv("JOB_RETENTION_DAYS", "7")

    assert retention_of(Settings()) == Retention(archive_after_days=30, activity_days=0, job_days=7)
