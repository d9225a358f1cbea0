"""Regression tests of the hardening issue's job defects (7, 8, 9, 11), one or more per defect.

7: report/complete/fail are fenced by the attempt and the credential that claimed it.
8: generation and hand edits of its storyboard take turns; no exception text reaches clients.
9: only the built-in worker finishes built-in jobs.
11: a job kind never ends with a newline.
15 (part): a job stream that finds its job deleted ends (see also tests/live).
"""

import asyncio
import logging
import uuid
from collections.abc import AsyncGenerator
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest

from models import Job, JobStatus, Scene, SceneTask, Storyboard, StoryboardStatus
from services import job_stream, jobs
from services.broker import MemoryBroker
from services.errors import Conflict, NotFound
from services.generation import generate
from services.generator import GenerationRequest, StoryboardPlan, TemplateProvider
from services.job_stream import JobUpdate
from services.jobs import GENERATE_STORYBOARD, RetryPolicy, reap_expired_leases
from services.worker import Handler, Worker, built_in_handlers
from services.worker_run import JobRun
from tests.conftest import POSTGRES
from tests.helpers import Api, User, add_scene, create_project, create_storyboard, sign_up

WAIT_SECONDS = 10.0
STAGGER = 0.02 if POSTGRES else 0.01
LEASE_LOST = "The lease on this job was lost; another attempt owns it now."
NOT_HOLDER = "Another worker holds this job; only the one that claimed it may change it."
BUILT_IN = "`generate_storyboard` jobs are run by the built-in worker."
GENERATING = "The storyboard is being generated; edit it when generation ends."
UNEXPECTED = "The job failed unexpectedly; the error was logged."
SECRET = "secret SQL detail"

CREATE_API_KEY = """
mutation CreateApiKey($name: String!, $scopes: [String!]) {
  createApiKey(name: $name, scopes: $scopes) { key apiKey { id } }
}
"""
CREATE_JOB = """
mutation CreateJob($input: CreateJobInput!) { createJob(input: $input) { id } }
"""
CLAIM_JOB = """
mutation ClaimJob($kinds: [String!]!, $leaseSeconds: Int) {
  claimJob(kinds: $kinds, leaseSeconds: $leaseSeconds) { id status attempts seq }
}
"""
REPORT = """
mutation Report($id: ID!, $progress: Int!, $attempt: Int) {
  reportJobProgress(id: $id, progress: $progress, stage: "late", attempt: $attempt) {
    id status progress seq attempts
  }
}
"""
COMPLETE = """
mutation Complete($id: ID!, $attempt: Int) {
  completeJob(id: $id, result: {by: "me"}, attempt: $attempt) { id status progress seq result }
}
"""
FAIL = """
mutation Fail($id: ID!, $attempt: Int) {
  failJob(id: $id, error: "Gave up.", retry: true, attempt: $attempt) { id status seq error }
}
"""
# report, complete and fail: each refused one must leave the job exactly as it was.
CHANGES = [(REPORT, {"progress": 90}), (COMPLETE, {}), (FAIL, {})]
JOB = """
query Job($id: ID!) {
  job(id: $id) {
    id kind status stage progress message error attempts seq result finishedAt
    events { seq status stage progress message }
    storyboard { id status totalScenes scenes { id sceneNumber visualDescription } }
  }
}
"""
PROJECT_JOBS = """
query ProjectJobs($id: ID!) { project(id: $id) { jobs { totalCount } } }
"""
GENERATE_STORYBOARD_MUTATION = """
mutation GenerateStoryboard($input: GenerateStoryboardInput!) {
  generateStoryboard(input: $input) { id storyboard { id } }
}
"""
ADD_SCENE = """
mutation AddScene($storyboardId: ID!) {
  addScene(storyboardId: $storyboardId, input: {visualDescription: "By hand.", duration: 3}) {
    id sceneNumber
  }
}
"""
UPDATE_SCENE = """
mutation UpdateScene($id: ID!) { updateScene(id: $id, input: {duration: 9}) { id duration } }
"""
MOVE_SCENE = """
mutation MoveScene($id: ID!) { moveScene(id: $id, position: 2) { id } }
"""
DELETE_SCENE = """
mutation DeleteScene($id: ID!) { deleteScene(id: $id) { id } }
"""
SET_TASK_COMPLETED = """
mutation SetTaskCompleted($id: ID!) {
  setTaskCompleted(sceneId: $id, taskType: SCRIPT_WRITTEN, completed: true) { id completed }
}
"""
STORYBOARD = """
query Storyboard($id: ID!) {
  storyboard(id: $id) {
    id status totalScenes totalDuration updatedAt
    scenes { id sceneNumber duration visualDescription tasks { taskType completed } }
  }
}
"""


async def api_key(api: Api, user: User, name: str = "render farm") -> tuple[str, str]:
    """A `jobs` key of `user`: (secret, id)."""
    data = await api.gql(CREATE_API_KEY, user.token, name=name, scopes=["read", "jobs"])
    return data["createApiKey"]["key"], data["createApiKey"]["apiKey"]["id"]


async def job_state(api: Api, user: User, job_id: str) -> dict[str, Any]:
    data = await api.gql(JOB, user.token, id=job_id)
    job: dict[str, Any] = data["job"]
    return job


async def claim(api: Api, token: str, kind: str, lease_seconds: int = 60) -> dict[str, Any]:
    data = await api.gql(CLAIM_JOB, token, kinds=[kind], leaseSeconds=lease_seconds)
    job: dict[str, Any] = data["claimJob"]
    assert job is not None
    return job


async def new_job(api: Api, user: User, project_id: str) -> tuple[str, str]:
    kind = f"render.{uuid.uuid4().hex[:8]}"
    data = await api.gql(CREATE_JOB, user.token, input={"projectId": project_id, "kind": kind})
    return data["createJob"]["id"], kind


async def expire_and_reap(job_id: str) -> None:
    past = datetime.now(UTC) - timedelta(seconds=1)
    assert await Job.filter(id=job_id).update(lease_expires_at=past) == 1
    assert await reap_expired_leases(MemoryBroker(), RetryPolicy(base_seconds=0)) == 1


async def assert_all_refused(
    api: Api, token: str, job_id: str, message: str, attempt: int | None = None
) -> None:
    for document, variables in CHANGES:
        error = await api.gql_error(document, token, id=job_id, attempt=attempt, **variables)
        assert error["extensions"]["code"] == "CONFLICT", (document, error)
        assert error["message"] == message, (document, error)


# --- 7: lease fencing ---------------------------------------------------------------------------


async def test_defect_7_stale_lease_holder_gets_conflict(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    w1, _ = await api_key(api, user, "w1")
    w2, _ = await api_key(api, user, "w2")
    job_id, kind = await new_job(api, user, project_id)
    first = await claim(api, w1, kind, lease_seconds=5)
    await expire_and_reap(job_id)
    second = await claim(api, w2, kind, lease_seconds=5)
    before = await job_state(api, user, job_id)

    # W1 without `attempt`: not the holder any more. With its attempt: a stale one.
    await assert_all_refused(api, w1, job_id, NOT_HOLDER)
    await assert_all_refused(api, w1, job_id, LEASE_LOST, attempt=1)
    unchanged = await job_state(api, user, job_id)
    done = (await api.gql(COMPLETE, w2, id=job_id, attempt=2))["completeJob"]

    assert (first["attempts"], second["attempts"]) == (1, 2)
    assert unchanged == before
    assert (before["status"], before["seq"], before["progress"]) == ("RUNNING", 4, 0)
    assert done == {
        "id": job_id,
        "status": "SUCCEEDED",
        "progress": 100,
        "seq": 5,
        "result": {"by": "me"},
    }


async def test_defect_7_same_credential_two_workers_fenced_by_attempt(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    key, _ = await api_key(api, user)
    job_id, kind = await new_job(api, user, project_id)
    await claim(api, key, kind, lease_seconds=5)
    await expire_and_reap(job_id)
    await claim(api, key, kind, lease_seconds=5)
    before = await job_state(api, user, job_id)

    await assert_all_refused(api, key, job_id, LEASE_LOST, attempt=1)
    unchanged = await job_state(api, user, job_id)
    reported = (await api.gql(REPORT, key, id=job_id, progress=30, attempt=2))["reportJobProgress"]
    failed = (await api.gql(FAIL, key, id=job_id, attempt=2))["failJob"]

    assert unchanged == before
    assert reported == {"id": job_id, "status": "RUNNING", "progress": 30, "seq": 5, "attempts": 2}
    assert (failed["status"], failed["seq"], failed["error"]) == ("QUEUED", 6, "Gave up.")


async def test_defect_7_only_the_claiming_credential_may_change_the_job(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    holder, holder_id = await api_key(api, user, "holder")
    other, _ = await api_key(api, user, "other")
    job_id, kind = await new_job(api, user, project_id)
    await claim(api, holder, kind)
    before = await job_state(api, user, job_id)

    await assert_all_refused(api, other, job_id, NOT_HOLDER)
    await assert_all_refused(api, user.token, job_id, NOT_HOLDER)
    await assert_all_refused(api, other, job_id, NOT_HOLDER, attempt=1)
    unchanged = await job_state(api, user, job_id)
    claimed_by = (await Job.get(id=job_id)).claimed_by
    reported = (await api.gql(REPORT, holder, id=job_id, progress=10))["reportJobProgress"]

    assert unchanged == before
    assert claimed_by == f"key:{holder_id}"
    assert (reported["status"], reported["progress"], reported["seq"]) == ("RUNNING", 10, 3)


async def test_defect_7_a_session_token_holds_what_it_claimed(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    key, _ = await api_key(api, user)
    job_id, kind = await new_job(api, user, project_id)
    await claim(api, user.token, kind)
    before = await job_state(api, user, job_id)

    await assert_all_refused(api, key, job_id, NOT_HOLDER)
    claimed_by = (await Job.get(id=job_id)).claimed_by
    unchanged = await job_state(api, user, job_id)
    done = (await api.gql(COMPLETE, user.token, id=job_id))["completeJob"]

    assert claimed_by == f"user:{user.id}"
    assert unchanged == before
    assert (done["status"], done["seq"]) == ("SUCCEEDED", 3)


async def test_defect_7_requeue_and_release_forget_the_holder(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    key, key_id = await api_key(api, user)
    job_id, kind = await new_job(api, user, project_id)
    broker = MemoryBroker()

    await claim(api, key, kind)
    held = (await Job.get(id=job_id)).claimed_by
    await expire_and_reap(job_id)
    reaped = (await Job.get(id=job_id)).claimed_by
    await claim(api, key, kind)
    await api.gql(FAIL, key, id=job_id)  # retry=true: back in the queue
    retried = (await Job.get(id=job_id)).claimed_by
    await claim(api, key, kind)
    await jobs.release_job(broker, uuid.UUID(job_id), 3)
    released = await Job.get(id=job_id)

    assert held == f"key:{key_id}"
    assert (reaped, retried, released.claimed_by) == (None, None, None)
    assert (released.status, released.attempts) == (JobStatus.QUEUED, 2)


# --- 9: built-in jobs belong to the built-in worker ---------------------------------------------


async def test_defect_9_a_jobs_key_cannot_finish_the_built_in_generation(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    key, _ = await api_key(api, user)
    queued = await api.gql(
        GENERATE_STORYBOARD_MUTATION,
        user.token,
        input={"projectId": project_id, "title": "Launch", "brief": "A brief.", "sceneCount": 3},
    )
    job_id = queued["generateStoryboard"]["id"]
    claimed = await jobs.claim_job(
        MemoryBroker(), None, [GENERATE_STORYBOARD], 30, allow_built_in=True
    )
    assert claimed is not None
    before = await job_state(api, user, job_id)

    for token in (key, user.token):
        await assert_all_refused(api, token, job_id, BUILT_IN)
        await assert_all_refused(api, token, job_id, BUILT_IN, attempt=1)
    unchanged = await job_state(api, user, job_id)

    assert (await Job.get(id=job_id)).claimed_by == "worker"
    assert unchanged == before
    assert (before["status"], before["seq"], before["progress"]) == ("RUNNING", 2, 0)
    assert (before["storyboard"]["status"], before["storyboard"]["scenes"]) == ("GENERATING", [])


async def test_defect_9_a_queued_built_in_job_is_refused_too(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    key, _ = await api_key(api, user)
    queued = await api.gql(
        GENERATE_STORYBOARD_MUTATION,
        user.token,
        input={"projectId": project_id, "title": "Launch", "brief": "A brief."},
    )
    job_id = queued["generateStoryboard"]["id"]
    before = await job_state(api, user, job_id)

    await assert_all_refused(api, key, job_id, BUILT_IN)

    assert await job_state(api, user, job_id) == before


# --- 11: job kinds ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["render\n", "r" * 100 + "\n"], ids=["newline", "101-newline"])
async def test_defect_11_a_kind_with_a_trailing_newline_is_bad_input(api: Api, kind: str) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)

    created = await api.gql_error(
        CREATE_JOB, user.token, input={"projectId": project_id, "kind": kind}
    )
    claimed = await api.gql_error(CLAIM_JOB, user.token, kinds=[kind], leaseSeconds=60)

    assert (created["extensions"]["code"], created["extensions"]["field"]) == (
        "BAD_USER_INPUT",
        "kind",
    )
    assert (claimed["extensions"]["code"], claimed["extensions"]["field"]) == (
        "BAD_USER_INPUT",
        "kinds",
    )
    data = await api.gql(PROJECT_JOBS, user.token, id=project_id)
    assert data["project"]["jobs"]["totalCount"] == 0


# --- 8: generation and hand edits take turns; internal errors stay internal ---------------------


class GatedProvider:
    """The template provider, held at `plan` until the test lets it go on."""

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.go_on = asyncio.Event()

    async def plan(self, request: GenerationRequest) -> StoryboardPlan:
        self.entered.set()
        await self.go_on.wait()
        return await TemplateProvider().plan(request)


async def start_generation(api: Api, user: User, scene_count: int) -> tuple[str, str, Job]:
    """generateStoryboard, then the job claimed as the built-in worker does."""
    project_id = await create_project(api, user)
    data = await api.gql(
        GENERATE_STORYBOARD_MUTATION,
        user.token,
        input={
            "projectId": project_id,
            "title": "Launch",
            "brief": "One paragraph.\n\nAnother paragraph.",
            "sceneCount": scene_count,
        },
    )
    job = await jobs.claim_job(MemoryBroker(), None, [GENERATE_STORYBOARD], 60, allow_built_in=True)
    assert job is not None
    return data["generateStoryboard"]["id"], data["generateStoryboard"]["storyboard"]["id"], job


async def add_scene_body(api: Api, user: User, storyboard_id: str) -> dict[str, Any]:
    return await api.post(ADD_SCENE, user.token, storyboardId=storyboard_id)


def refusals(bodies: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (body["errors"][0]["extensions"]["code"], body["errors"][0]["message"])
        for body in bodies
        if "errors" in body
    ]


async def test_defect_8_add_scene_while_generating_is_conflict_and_generation_wins(
    api: Api,
) -> None:
    user = await sign_up(api)
    job_id, storyboard_id, job = await start_generation(api, user, 100)
    provider = GatedProvider()
    generating = asyncio.create_task(generate(JobRun(job, MemoryBroker()), provider))
    await asyncio.wait_for(provider.entered.wait(), WAIT_SECONDS)

    bodies = await asyncio.gather(*(add_scene_body(api, user, storyboard_id) for _ in range(15)))
    during = await Scene.filter(storyboard_id=storyboard_id).count()
    provider.go_on.set()
    await asyncio.wait_for(generating, WAIT_SECONDS)
    state = await job_state(api, user, job_id)

    assert refusals(bodies) == [("CONFLICT", GENERATING)] * 15
    assert during == 0
    assert state["status"] == "SUCCEEDED"
    numbers = [s["sceneNumber"] for s in state["storyboard"]["scenes"]]
    assert numbers == list(range(1, 101))
    assert state["storyboard"]["totalScenes"] == 100
    assert "By hand." not in {s["visualDescription"] for s in state["storyboard"]["scenes"]}


async def test_defect_8_generation_racing_add_scene_keeps_numbers_and_succeeds(api: Api) -> None:
    user = await sign_up(api)
    job_id, storyboard_id, job = await start_generation(api, user, 100)
    crashed: list[BaseException] = []

    async def run_generation() -> None:
        try:
            await generate(JobRun(job, MemoryBroker()), TemplateProvider())
        except Exception as exc:
            crashed.append(exc)

    async def add_later(delay: float) -> dict[str, Any]:
        await asyncio.sleep(delay)
        return await add_scene_body(api, user, storyboard_id)

    # Spread over the generation's run, so that calls land before, during and after its write.
    _, *bodies = await asyncio.gather(
        run_generation(), *(add_later(i * STAGGER) for i in range(15))
    )
    state = await job_state(api, user, job_id)

    added = [body["data"]["addScene"] for body in bodies if "errors" not in body]
    assert crashed == []
    assert (state["status"], state["error"]) == ("SUCCEEDED", None)
    # Refused while GENERATING; accepted only after the generation committed, so appended.
    assert set(refusals(bodies)) <= {("CONFLICT", GENERATING)}
    assert len(added) + len(refusals(bodies)) == 15
    assert sorted(a["sceneNumber"] for a in added) == list(range(101, 101 + len(added)))
    scenes = state["storyboard"]["scenes"]
    assert [s["sceneNumber"] for s in scenes] == list(range(1, 101 + len(added)))
    assert state["storyboard"]["totalScenes"] == 100 + len(added)
    assert all(s["visualDescription"] != "By hand." for s in scenes[:100])


async def test_defect_8_scene_edits_on_a_generating_storyboard_are_conflict(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    storyboard_id = await create_storyboard(api, user, project_id)
    first = await add_scene(api, user, storyboard_id)
    await add_scene(api, user, storyboard_id)
    # As if a generation had started on it (a hand-made one cannot be regenerated yet).
    await Storyboard.filter(id=storyboard_id).update(status=StoryboardStatus.GENERATING)
    before = (await api.gql(STORYBOARD, user.token, id=storyboard_id))["storyboard"]

    codes = []
    for document, variables in [
        (ADD_SCENE, {"storyboardId": storyboard_id}),
        (UPDATE_SCENE, {"id": first}),
        (MOVE_SCENE, {"id": first}),
        (DELETE_SCENE, {"id": first}),
        (SET_TASK_COMPLETED, {"id": first}),
    ]:
        error = await api.gql_error(document, user.token, **variables)
        codes.append((error["extensions"]["code"], error["message"]))
    after = (await api.gql(STORYBOARD, user.token, id=storyboard_id))["storyboard"]

    assert codes == [("CONFLICT", GENERATING)] * 5
    assert after == before
    assert await SceneTask.filter(scene__storyboard_id=storyboard_id, completed=True).count() == 0


async def run_until_failed(handlers: dict[str, Handler], job_id: str) -> list[Any]:
    """Run a worker with `handlers` until the job's FAILED event; returns the job's messages."""
    broker = MemoryBroker()
    worker = Worker(broker, handlers=handlers, poll_seconds=0.05)
    stop = asyncio.Event()
    messages: list[Any] = []
    async with broker.subscribe(jobs.job_channel(uuid.UUID(job_id))) as live:
        running = asyncio.create_task(worker.run(stop))
        try:
            async with asyncio.timeout(WAIT_SECONDS):
                while not messages or messages[-1]["status"] != "FAILED":
                    messages.append(await anext(live))
        finally:
            stop.set()
            await asyncio.wait_for(running, WAIT_SECONDS)
    return messages


class Exploding:
    async def plan(self, request: GenerationRequest) -> StoryboardPlan:
        raise RuntimeError(SECRET)


async def test_defect_8_an_unexpected_error_never_reaches_the_job_its_events_or_stream(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    data = await api.gql(
        GENERATE_STORYBOARD_MUTATION,
        user.token,
        input={"projectId": project_id, "title": "Launch", "brief": "A brief."},
    )
    job_id = data["generateStoryboard"]["id"]
    with caplog.at_level(logging.ERROR, logger="services.worker"):
        messages = await run_until_failed(built_in_handlers(Exploding()), job_id)
    state = await job_state(api, user, job_id)
    row = await Job.get(id=job_id)

    assert (state["status"], state["error"], row.error) == ("FAILED", UNEXPECTED, UNEXPECTED)
    assert state["events"][-1]["message"] == f"Failed: {UNEXPECTED}"
    assert messages[-1]["message"] == f"Failed: {UNEXPECTED}"
    assert SECRET not in repr(state)
    assert SECRET not in repr(messages)
    assert state["storyboard"]["status"] == "ERROR"
    # The traceback, secret included, went to the log.
    assert any(r.exc_info and SECRET in str(r.exc_info[1]) for r in caplog.records)


async def test_defect_8_a_domain_error_keeps_its_message(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    job_id, kind = await new_job(api, user, project_id)

    async def refuses(run: JobRun) -> None:
        raise Conflict("The render farm is full.")

    messages = await run_until_failed({kind: refuses}, job_id)

    assert messages[-1]["message"] == "Failed: The render farm is full."
    assert (await Job.get(id=job_id)).error == "The render farm is full."


# --- 15: a stream whose job is gone ends ----------------------------------------------------------


async def test_defect_15_a_stream_that_rechecks_a_deleted_job_ends_not_found(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    job_id, _ = await new_job(api, user, project_id)
    stream = cast(
        AsyncGenerator[JobUpdate, None],
        job_stream.follow_job(
            MemoryBroker(), uuid.UUID(user.id), uuid.UUID(job_id), None, quiet_recheck=0.05
        ),
    )
    try:
        first = await anext(stream)
        # Gone, and no message says so (e.g. it was lost): the quiet re-check finds out.
        await Job.filter(id=job_id).delete()
        with pytest.raises(NotFound) as raised:
            async with asyncio.timeout(WAIT_SECONDS):
                await anext(stream)
    finally:
        await stream.aclose()

    assert (first.seq, first.status) == (1, JobStatus.QUEUED)
    assert not await Job.filter(id=job_id).exists()
    assert (raised.value.message, raised.value.field) == ("The job was deleted.", "jobId")
