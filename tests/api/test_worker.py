"""The job worker in-process (shutdown grace, release, crashes, cancels) and as its own process.

Each in-process test runs inside `make_api()` (so Tortoise is up) WITHOUT the embedded worker and
drives a `services.worker.Worker` of its own, with handlers written here. Every wait is bounded.
"""

import asyncio
import os
import signal
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from models import Job, JobEvent, JobStatus
from services import jobs
from services.broker import Broker, MemoryBroker
from services.settings import Settings
from services.worker import UNEXPECTED, Handler, Worker
from services.worker_run import JobRun, JobStopped
from tests.conftest import SECRET, MakeApi
from tests.helpers import Api, create_project, sign_up

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 5.0

GENERATE_STORYBOARD = """
mutation GenerateStoryboard($input: GenerateStoryboardInput!) {
  generateStoryboard(input: $input) { id status }
}
"""
JOB = """
query Job($id: ID!) {
  job(id: $id) { id status error storyboard { status totalScenes } }
}
"""

EventRow = tuple[int, str, str | None, int, str | None]


class Owner:
    """A user with a project, and a way to queue jobs on it through the service layer."""

    def __init__(self, broker: Broker, user_id: str, project_id: str) -> None:
        self.broker = broker
        self.user_id = uuid.UUID(user_id)
        self.project_id = uuid.UUID(project_id)

    async def queue(self, kind: str, max_attempts: int = 3) -> Job:
        return await jobs.create_job(
            self.broker, self.user_id, self.project_id, None, kind, {"size": 1}, max_attempts
        )


async def owner(api: Api, broker: Broker) -> Owner:
    user = await sign_up(api)
    return Owner(broker, user.id, await create_project(api, user))


@asynccontextmanager
async def running(worker: Worker) -> AsyncIterator[asyncio.Event]:
    """Run `worker` in a task; on exit stop it and wait (bounded) for it to return."""
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop), name="test-worker")
    try:
        yield stop
    finally:
        stop.set()
        try:
            await asyncio.wait_for(task, timeout=WAIT_SECONDS)
        finally:
            if not task.done():
                task.cancel()


async def eventually(check: Callable[[], Awaitable[bool]], what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    while not await check():
        assert loop.time() < deadline, f"not within {WAIT_SECONDS}s: {what}"
        await asyncio.sleep(0.02)


async def status_is(job_id: uuid.UUID, status: JobStatus) -> bool:
    current: JobStatus = (await Job.get(id=job_id)).status
    return current == status


async def events(job_id: uuid.UUID) -> list[EventRow]:
    rows = await JobEvent.filter(job_id=job_id).order_by("seq")
    return [(e.seq, e.status.value, e.stage, e.progress, e.message) for e in rows]


async def quick(run: JobRun) -> None:
    """A well-behaved handler: reports, then completes its job itself (as built-in ones do)."""
    await run.report(50, "working")
    await jobs.complete_job(run.broker, None, run.job.id, {"done": True}, attempt=run.attempt)


def worker_for(broker: Broker, handlers: dict[str, Handler], grace: float = 0.2) -> Worker:
    return Worker(
        broker,
        handlers={"quick": quick, **handlers},
        shutdown_grace=grace,
        poll_seconds=0.1,
        policy=jobs.RetryPolicy(base_seconds=0),
    )


async def test_stopping_the_worker_releases_a_job_that_outlives_the_grace_period(
    make_api: MakeApi,
) -> None:
    broker = MemoryBroker()
    started = asyncio.Event()
    interrupted: list[str] = []

    async def slow(run: JobRun) -> None:
        await run.report(5, "working", "Started the slow part.")
        started.set()
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            interrupted.append(str(run.job.id))
            raise

    async with make_api() as api:
        alice = await owner(api, broker)
        job = await alice.queue("slow")
        loop = asyncio.get_running_loop()
        async with running(worker_for(broker, {"slow": slow}, grace=0.2)) as stop:
            await asyncio.wait_for(started.wait(), timeout=WAIT_SECONDS)
            assert await status_is(job.id, JobStatus.RUNNING)
            stop.set()
            stopping = loop.time()
        took = loop.time() - stopping
        released = await Job.get(id=job.id)
        history = await events(job.id)
        again = await jobs.claim_job(broker, alice.user_id, ["slow"], 30)

    assert 0.2 <= took < 1.0
    assert interrupted == [str(job.id)]
    assert (released.status, released.attempts, released.stage) == (JobStatus.QUEUED, 0, "queued")
    assert released.lease_expires_at is None
    assert released.finished_at is None
    assert released.run_after <= datetime.now(UTC)
    assert history == [
        (1, "QUEUED", "queued", 0, None),
        (2, "RUNNING", "claimed", 0, "Attempt 1 of 3 started."),
        (3, "RUNNING", "working", 5, "Started the slow part."),
        (4, "QUEUED", "queued", 5, "Released by a worker that is shutting down."),
    ]
    # Released, not failed: the next claim is attempt 1 again.
    assert again is not None
    assert (again.id, again.attempts, again.seq) == (job.id, 1, 5)


async def test_a_handler_that_finishes_within_the_grace_period_is_not_released(
    make_api: MakeApi,
) -> None:
    broker = MemoryBroker()
    started = asyncio.Event()
    finish = asyncio.Event()

    async def finishing(run: JobRun) -> None:
        await run.report(10, "working")
        started.set()
        await finish.wait()
        await jobs.complete_job(run.broker, None, run.job.id, {"frames": 24}, attempt=run.attempt)

    async with make_api() as api:
        alice = await owner(api, broker)
        job = await alice.queue("finishing")
        loop = asyncio.get_running_loop()
        async with running(worker_for(broker, {"finishing": finishing}, grace=5.0)) as stop:
            await asyncio.wait_for(started.wait(), timeout=WAIT_SECONDS)
            stop.set()
            await asyncio.sleep(0.1)  # the worker is inside its grace period now
            finish.set()
            stopping = loop.time()
        took = loop.time() - stopping
        done = await Job.get(id=job.id)
        history = await events(job.id)

    assert took < 1.0
    assert (done.status, done.attempts, done.progress, done.result) == (
        JobStatus.SUCCEEDED,
        1,
        100,
        {"frames": 24},
    )
    assert [(seq, status) for seq, status, *_ in history] == [
        (1, "QUEUED"),
        (2, "RUNNING"),
        (3, "RUNNING"),
        (4, "SUCCEEDED"),
    ]


async def test_a_handler_that_raises_fails_the_job_and_the_worker_goes_on(
    make_api: MakeApi,
) -> None:
    broker = MemoryBroker()

    async def crashing(run: JobRun) -> None:
        await run.report(20, "encoding")
        raise ValueError("disk full on /scratch")

    async with make_api() as api:
        alice = await owner(api, broker)
        doomed = await alice.queue("crashing", max_attempts=3)
        async with running(worker_for(broker, {"crashing": crashing})):
            await eventually(lambda: status_is(doomed.id, JobStatus.FAILED), "the job failed")
            after = await alice.queue("quick")
            await eventually(lambda: status_is(after.id, JobStatus.SUCCEEDED), "the next job ran")
        failed = await Job.get(id=doomed.id)
        history = await events(doomed.id)

    # A crash is not retried by the worker, even with attempts left.
    assert (failed.status, failed.attempts, failed.progress) == (JobStatus.FAILED, 1, 20)
    # Its text stays in the log: an exception may carry SQL, paths or secrets.
    assert failed.error == UNEXPECTED
    assert failed.finished_at is not None
    assert failed.lease_expires_at is None
    assert history[-1] == (4, "FAILED", "encoding", 20, f"Failed: {UNEXPECTED}")
    assert [seq for seq, *_ in history] == [1, 2, 3, 4]


async def test_a_cancelled_job_stops_its_handler_at_the_next_report(make_api: MakeApi) -> None:
    broker = MemoryBroker()
    started = asyncio.Event()
    carry_on = asyncio.Event()
    outcome: list[str] = []

    async def cancellable(run: JobRun) -> None:
        await run.report(10, "rendering")
        started.set()
        await carry_on.wait()
        try:
            await run.report(20, "rendering")
        except JobStopped:
            outcome.append("stopped")
            raise
        outcome.append("carried on")

    async with make_api() as api:
        alice = await owner(api, broker)
        job = await alice.queue("cancellable")
        async with running(worker_for(broker, {"cancellable": cancellable})):
            await asyncio.wait_for(started.wait(), timeout=WAIT_SECONDS)
            await jobs.cancel_job(broker, alice.user_id, job.id)
            carry_on.set()
            after = await alice.queue("quick")
            await eventually(lambda: status_is(after.id, JobStatus.SUCCEEDED), "the next job ran")
        cancelled = await Job.get(id=job.id)
        history = await events(job.id)

    assert outcome == ["stopped"]
    assert (cancelled.status, cancelled.seq, cancelled.progress) == (JobStatus.CANCELLED, 4, 10)
    assert cancelled.error is None
    assert history == [
        (1, "QUEUED", "queued", 0, None),
        (2, "RUNNING", "claimed", 0, "Attempt 1 of 3 started."),
        (3, "RUNNING", "rendering", 10, None),
        (4, "CANCELLED", "cancelled", 10, "Cancelled."),
    ]


async def test_a_handler_whose_lease_was_lost_stops_at_its_next_report(make_api: MakeApi) -> None:
    broker = MemoryBroker()
    started = asyncio.Event()
    carry_on = asyncio.Event()
    outcome: list[str] = []

    async def stale(run: JobRun) -> None:
        await run.report(10, "rendering")
        started.set()
        await carry_on.wait()
        try:
            await run.report(20, "rendering")
        except JobStopped:
            outcome.append("stopped")
            raise
        outcome.append("carried on")

    async def handled() -> bool:
        return bool(outcome)

    async with make_api() as api:
        alice = await owner(api, broker)
        job = await alice.queue("stale")
        async with running(worker_for(broker, {"stale": stale})):
            await asyncio.wait_for(started.wait(), timeout=WAIT_SECONDS)
            await Job.filter(id=job.id).update(lease_expires_at=datetime.now(UTC))
            assert await jobs.reap_expired_leases(broker, jobs.RetryPolicy(base_seconds=0)) == 1
            # Another worker takes the job over before the first one reports again.
            other = await jobs.claim_job(broker, alice.user_id, ["stale"], 60)
            carry_on.set()
            await eventually(handled, "the stale handler reported")
        current = await Job.get(id=job.id)
        history = await events(job.id)

    assert outcome == ["stopped"]
    assert other is not None
    assert (other.id, other.attempts) == (job.id, 2)
    assert (current.status, current.attempts, current.progress, current.seq) == (
        JobStatus.RUNNING,
        2,
        10,
        5,
    )
    assert history == [
        (1, "QUEUED", "queued", 0, None),
        (2, "RUNNING", "claimed", 0, "Attempt 1 of 3 started."),
        (3, "RUNNING", "rendering", 10, None),
        (4, "QUEUED", "queued", 10, "Lease expired; back in the queue."),
        (5, "RUNNING", "claimed", 10, "Attempt 2 of 3 started."),
    ]


async def test_a_handler_that_returns_without_finishing_fails_its_job_saying_so(
    make_api: MakeApi,
) -> None:
    """A handler that returns while its job is still RUNNING is a bug in the handler: the job
    fails at once with that reason (rather than idling until its lease expires and re-running)."""
    broker = MemoryBroker()
    calls: list[tuple[uuid.UUID, int]] = []

    async def forgetful(run: JobRun) -> None:
        await run.report(50, "working")
        calls.append((run.job.id, run.attempt))

    async with make_api() as api:
        alice = await owner(api, broker)
        job = await alice.queue("forgetful")
        async with running(worker_for(broker, {"forgetful": forgetful})):
            await eventually(lambda: status_is(job.id, JobStatus.FAILED), "the job failed")
        failed = await Job.get(id=job.id)
        history = await events(job.id)

    assert calls == [(job.id, 1)]
    assert (failed.status, failed.attempts, failed.progress) == (JobStatus.FAILED, 1, 50)
    assert failed.error == "The forgetful handler returned without completing the job."
    assert failed.lease_expires_at is None
    assert failed.finished_at is not None
    assert [(seq, status, stage) for seq, status, stage, *_ in history] == [
        (1, "QUEUED", "queued"),
        (2, "RUNNING", "claimed"),
        (3, "RUNNING", "working"),
        (4, "FAILED", "working"),
    ]


# --- python -m services.worker ------------------------------------------------------------------


def worker_environment(settings: Settings, tmp_path: Path) -> dict[str, str]:
    own = {name.upper() for name in Settings.model_fields}
    env = {k: v for k, v in os.environ.items() if k not in own}
    env |= {
        "DATABASE_URL": settings.database_url,
        "SECRET_KEY": SECRET,
        "DATA_DIR": str(tmp_path / "worker-data"),
        "STORAGE_URL": f"file://{tmp_path / 'worker-media'}",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }
    if settings.redis_url:
        env["REDIS_URL"] = settings.redis_url
    return env


async def read_until(stream: asyncio.StreamReader, marker: str, seen: list[str]) -> None:
    while not any(marker in line for line in seen):
        line = await stream.readline()
        assert line, f"the worker closed its log before {marker!r}: {seen}"
        seen.append(line.decode(errors="replace").rstrip())


async def test_the_standalone_worker_runs_jobs_and_exits_cleanly_on_sigterm(
    make_api: MakeApi, settings: Settings, tmp_path: Path
) -> None:
    async with make_api() as api:
        user = await sign_up(api)
        project_id = await create_project(api, user)
        queued = (
            await api.gql(
                GENERATE_STORYBOARD,
                user.token,
                input={
                    "projectId": project_id,
                    "title": "Made elsewhere",
                    "brief": "One. Two.",
                    "sceneCount": 3,
                },
            )
        )["generateStoryboard"]
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "services.worker",
            cwd=ROOT,
            env=worker_environment(settings, tmp_path),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        log: list[str] = []
        try:
            assert process.stderr is not None
            await asyncio.wait_for(read_until(process.stderr, "worker: started", log), 10)

            async def job_now() -> dict[str, Any]:
                data = await api.gql(JOB, user.token, id=queued["id"])
                job: dict[str, Any] = data["job"]
                return job

            async def succeeded() -> bool:
                status: str = (await job_now())["status"]
                return status == "SUCCEEDED"

            await eventually(succeeded, "the standalone worker ran the job")
            job = await job_now()

            process.send_signal(signal.SIGTERM)
            code = await asyncio.wait_for(process.wait(), timeout=5)
            log += (await process.stderr.read()).decode(errors="replace").splitlines()
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()

    assert code == 0, log
    assert any("worker: stopped" in line for line in log), log
    assert job == {
        "id": queued["id"],
        "status": "SUCCEEDED",
        "error": None,
        "storyboard": {"status": "COMPLETED", "totalScenes": 3},
    }
