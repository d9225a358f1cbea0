"""Fault: a worker is killed with SIGKILL in the middle of a generation job.

A standalone worker whose planning step sleeps (tests/faults/slow_worker.py) claims a
`generate_storyboard` job and is killed while the job is RUNNING at stage "planning". A normal
worker (`python -m services.worker`) is started; the lease runs out, the reaper puts the job back
in the queue and the second worker finishes it. Checked against API.md ("A claimed job whose
lease runs out without a report goes back to QUEUED (attempts + 1)", generateStoryboard: scenes
numbered 1..n, four tasks each; seq + 1 per event) and the issue: no scene or task duplicated.
"""

import asyncio
import signal
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.conftest import POSTGRES
from tests.faults.conftest import (
    RedisServer,
    http,
    kill,
    poll,
    process_env,
    start_api,
    start_worker,
)
from tests.helpers import Api, create_project, sign_up
from tests.live.clients import TRANSPORT_WS, ws_client
from tests.live.test_live_progress import JOB_PROGRESS, TASK_TYPES, assert_stored, assert_stream

pytestmark = pytest.mark.skipif(not POSTGRES, reason="fault tests need PostgreSQL and Redis")

SCENES = 7
LEASE_SECONDS = 5  # the shortest lease the job service grants (jobs.MIN_LEASE)

GENERATE = """
mutation Generate($input: GenerateStoryboardInput!) {
  generateStoryboard(input: $input) { id seq status storyboard { id } }
}
"""
JOB = """
query Job($id: ID!) {
  job(id: $id) {
    id status stage progress attempts maxAttempts seq error
    events { jobId seq status stage progress message at }
    storyboard {
      id status totalScenes totalDuration
      scenes { sceneNumber duration tasks { taskType completed } }
    }
  }
}
"""


async def counts(db: asyncpg.Connection, storyboard_id: str) -> dict[str, int]:
    """What is stored for the storyboard, counted in SQL (not through the API)."""
    row = await db.fetchrow(
        """
        SELECT
          (SELECT count(*) FROM scenes WHERE storyboard_id = $1) AS scenes,
          (SELECT count(DISTINCT scene_number) FROM scenes WHERE storyboard_id = $1)
            AS scene_numbers,
          (SELECT coalesce(min(scene_number), 0) FROM scenes WHERE storyboard_id = $1)
            AS first_number,
          (SELECT coalesce(max(scene_number), 0) FROM scenes WHERE storyboard_id = $1)
            AS last_number,
          (SELECT count(*) FROM scene_tasks t JOIN scenes s ON s.id = t.scene_id
            WHERE s.storyboard_id = $1) AS tasks,
          (SELECT count(DISTINCT (t.scene_id, t.task_type)) FROM scene_tasks t
            JOIN scenes s ON s.id = t.scene_id WHERE s.storyboard_id = $1) AS distinct_tasks,
          (SELECT count(*) FROM (
             SELECT s.id FROM scenes s LEFT JOIN scene_tasks t ON t.scene_id = s.id
             WHERE s.storyboard_id = $1 GROUP BY s.id HAVING count(t.id) <> 4) odd
          ) AS scenes_without_four_tasks,
          (SELECT count(*) FROM jobs WHERE storyboard_id = $1) AS jobs
        """,
        storyboard_id,
    )
    assert row is not None
    return {key: int(value) for key, value in dict(row).items()}


async def test_worker_killed_mid_job(
    tmp_path: Path, database_url: str, redis_server: RedisServer, db: asyncpg.Connection
) -> None:
    env = process_env(database_url, redis_server.url, tmp_path)
    worker_env = {**env, "JOB_LEASE_SECONDS": str(LEASE_SECONDS)}
    async with (
        start_api("api", env, tmp_path) as server,
        http(server) as client,
        asyncio.timeout(60),
    ):
        api = Api(client)
        user = await sign_up(api)
        project_id = await create_project(api, user)

        async def job_state(job_id: str) -> dict[str, Any]:
            job: dict[str, Any] = (await api.gql(JOB, user.token, id=job_id))["job"]
            return job

        async with ws_client(server.url, TRANSPORT_WS, user.token) as dashboard:
            data = await api.gql(
                GENERATE,
                user.token,
                input={
                    "projectId": project_id,
                    "title": "Killed mid-run",
                    "brief": "A launch. Show the problem.\n\nShow the fix. Call to action.",
                    "sceneCount": SCENES,
                    "targetDuration": 42,
                },
            )
            job_id = data["generateStoryboard"]["id"]
            storyboard_id = data["generateStoryboard"]["storyboard"]["id"]
            await dashboard.subscribe(JOB_PROGRESS, jobId=job_id, afterSeq=0)

            # --- a worker takes the job and is killed while planning ------------------------
            slow_command = ["tests/faults/slow_worker.py"]
            async with start_worker("slow-worker", slow_command, worker_env, tmp_path) as slow:

                async def planning() -> dict[str, Any] | None:
                    assert slow.alive, f"the slow worker exited:\n{slow.log()}"
                    job = await job_state(job_id)
                    running = (job["status"], job["stage"]) == ("RUNNING", "planning")
                    return job if running else None

                job = await poll(planning, "job RUNNING at stage planning", 20)
                assert job["attempts"] == 1

                async def sleeping_in_plan() -> bool:
                    return "slow_worker: planning" in slow.log()

                await poll(sleeping_in_plan, "the slow worker is inside its planning", 5)
                await kill(slow.process)
                killed_at = time.monotonic()
                assert slow.process is not None
                assert slow.process.returncode == -signal.SIGKILL

            # Nobody works on it now; it stays RUNNING until its lease runs out.
            job = await job_state(job_id)
            assert (job["status"], job["stage"], job["attempts"]) == ("RUNNING", "planning", 1)

            # --- another worker: the reaper requeues, the worker finishes --------------------
            worker_command = ["-m", "services.worker"]
            async with start_worker("worker", worker_command, worker_env, tmp_path) as worker:

                async def finished() -> dict[str, Any] | None:
                    assert worker.alive, f"the worker exited:\n{worker.log()}"
                    job = await job_state(job_id)
                    return job if job["status"] in ("SUCCEEDED", "FAILED", "CANCELLED") else None

                job = await poll(finished, "job finished by the second worker", 30, every=0.25)
                finished_after = time.monotonic() - killed_at
            watched = await dashboard.values_until_complete("jobProgress", wait=15)

    assert job["status"] == "SUCCEEDED", job
    assert (job["attempts"], job["progress"], job["error"]) == (2, 100, None), job

    # The history: one seq after another, the expiry of the first lease, the second attempt.
    events = job["events"]
    assert_stream(events, job_id, 1, job["seq"])
    steps = [(e["status"], e["stage"]) for e in events]
    assert steps == [
        ("QUEUED", "queued"),
        ("RUNNING", "claimed"),
        ("RUNNING", "planning"),
        ("QUEUED", "queued"),  # the lease ran out: back in the queue
        ("RUNNING", "claimed"),
        ("RUNNING", "planning"),
        ("RUNNING", "writing_scenes"),
        ("RUNNING", "creating_tasks"),
        ("SUCCEEDED", "completed"),
    ], steps
    assert events[3]["message"] == "Lease expired; back in the queue.", events[3]
    at = [datetime.fromisoformat(e["at"]) for e in events]
    held = (at[3] - at[2]).total_seconds()  # the planning report renewed the lease
    assert held >= LEASE_SECONDS - 0.5, f"requeued {held:.2f} s after the last report"
    # The dashboard saw all of it, once each, in order, then `complete`.
    assert_stream(watched, job_id, 1, job["seq"])
    assert_stored(watched, events)

    # The storyboard: complete, scenes 1..n, four tasks each, nothing twice.
    storyboard = job["storyboard"]
    assert (storyboard["status"], storyboard["totalScenes"]) == ("COMPLETED", SCENES), storyboard
    scenes = storyboard["scenes"]
    assert [s["sceneNumber"] for s in scenes] == list(range(1, SCENES + 1))
    assert storyboard["totalDuration"] == sum(s["duration"] for s in scenes) == 42
    for scene in scenes:
        assert scene["tasks"] == [{"taskType": t, "completed": False} for t in TASK_TYPES]
    assert await counts(db, storyboard_id) == {
        "scenes": SCENES,
        "scene_numbers": SCENES,
        "first_number": 1,
        "last_number": SCENES,
        "tasks": 4 * SCENES,
        "distinct_tasks": 4 * SCENES,
        "scenes_without_four_tasks": 0,
        "jobs": 1,
    }
    print(  # noqa: T201
        f"worker kill: requeued {held:.2f} s after the dead worker's last report; "
        f"finished {finished_after:.2f} s after the kill"
    )
