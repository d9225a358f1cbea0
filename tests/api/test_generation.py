"""generateStoryboard end to end with the embedded worker, its failures and cancels, and the
deterministic built-in generator (services.generator) on its own.

API.md: the job emits at least one event per stage and ends SUCCEEDED with the storyboard
COMPLETED, scenes numbered 1..n, each with four tasks; if it fails, the storyboard is ERROR and no
half-made scenes remain.
"""

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from models import Job, Scene, SceneTask, SceneType
from services import generator, jobs, scenes
from services.broker import MemoryBroker
from services.generator import (
    GenerationRequest,
    PlannedScene,
    StoryboardPlan,
    TemplateProvider,
    split_topics,
    spread,
)
from services.jobs import GENERATE_STORYBOARD
from services.worker import UNEXPECTED, Worker, built_in_handlers
from services.worker_run import JobRun, JobStopped
from tests.conftest import MakeApi
from tests.helpers import Api, User, create_project, sign_up

TASK_TYPES = ["SCRIPT_WRITTEN", "SCENE_FILMED", "AUDIO_RECORDED", "EDITED"]
STAGES = ["planning", "writing_scenes", "creating_tasks"]
TERMINAL = frozenset({"SUCCEEDED", "FAILED", "CANCELLED"})
WAIT_SECONDS = 10.0

FIRST_TOPIC = ["Our app turns receipts into budgets.", "It needs one photo per receipt."]
SECOND_TOPIC = ["Meet the team behind it.", "They ship a new version every week."]
# Two paragraphs: two topics, so a TRANSITION belongs between them.
BRIEF = f"{' '.join(FIRST_TOPIC)}\n\n{' '.join(SECOND_TOPIC)}"

GENERATE_STORYBOARD_MUTATION = """
mutation GenerateStoryboard($input: GenerateStoryboardInput!) {
  generateStoryboard(input: $input) {
    id kind status stage progress error attempts maxAttempts seq payload result finishedAt
    project { id }
    storyboard {
      id title brief referenceUrls status totalScenes totalDuration generatedAt
      scenes { id }
    }
    events { seq status stage progress }
  }
}
"""
CANCEL_JOB = """
mutation CancelJob($id: ID!) { cancelJob(id: $id) { id status seq } }
"""
GENERATION = """
query Generation($id: ID!) {
  job(id: $id) {
    id kind status stage progress error attempts seq result finishedAt
    events { seq status stage progress message }
    storyboard {
      id status totalScenes totalDuration generatedAt
      scenes {
        sceneNumber sceneType duration visualDescription script textOverlay cameraAngle
        tasks { taskType completed completedAt }
      }
    }
  }
}
"""
PROJECT_CONTENTS = """
query ProjectContents($id: ID!) {
  project(id: $id) {
    storyboardCount
    storyboards { totalCount }
    jobs { totalCount }
  }
}
"""


async def generate(api: Api, user: User, project_id: str, **extra: Any) -> dict[str, Any]:
    data = await api.gql(
        GENERATE_STORYBOARD_MUTATION,
        user.token,
        input={"projectId": project_id, "title": "Budget app launch", "brief": BRIEF, **extra},
    )
    job: dict[str, Any] = data["generateStoryboard"]
    return job


async def generation(api: Api, user: User, job_id: str) -> dict[str, Any]:
    data = await api.gql(GENERATION, user.token, id=job_id)
    job: dict[str, Any] = data["job"]
    return job


async def finished(api: Api, user: User, job_id: str) -> dict[str, Any]:
    """Poll until the job is terminal; at most WAIT_SECONDS."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    while True:
        job = await generation(api, user, job_id)
        if job["status"] in TERMINAL:
            return job
        assert loop.time() < deadline, f"still {job['status']} after {WAIT_SECONDS}s: {job}"
        await asyncio.sleep(0.05)


async def project_contents(api: Api, user: User, project_id: str) -> dict[str, Any]:
    data = await api.gql(PROJECT_CONTENTS, user.token, id=project_id)
    contents: dict[str, Any] = data["project"]
    return contents


def assert_events_contiguous(job: dict[str, Any]) -> None:
    events = job["events"]
    assert [e["seq"] for e in events] == list(range(1, job["seq"] + 1))
    progress = [e["progress"] for e in events]
    assert progress == sorted(progress)


async def assert_failed_without_scenes(api: Api, user: User, job: dict[str, Any]) -> None:
    assert job["status"] == "FAILED"
    assert job["finishedAt"] is not None
    assert job["result"] is None
    assert_events_contiguous(job)
    assert job["events"][-1]["status"] == "FAILED"
    storyboard = job["storyboard"]
    assert storyboard == {
        "id": storyboard["id"],
        "status": "ERROR",
        "totalScenes": 0,
        "totalDuration": 0,
        "generatedAt": None,
        "scenes": [],
    }
    assert await Scene.filter(storyboard_id=storyboard["id"]).count() == 0
    assert await SceneTask.filter(scene__storyboard_id=storyboard["id"]).count() == 0


# --- with the embedded worker -----------------------------------------------------------------


async def test_a_generation_job_fills_in_the_storyboard(make_api: MakeApi) -> None:
    async with make_api(run_worker=True) as api:
        user = await sign_up(api)
        project_id = await create_project(api, user)

        queued = await generate(api, user, project_id, sceneCount=8, targetDuration=60)
        job = await finished(api, user, queued["id"])
        stored_tasks = await SceneTask.filter(
            scene__storyboard_id=queued["storyboard"]["id"]
        ).count()

    assert (queued["kind"], queued["status"], queued["seq"]) == (GENERATE_STORYBOARD, "QUEUED", 1)
    storyboard_id = queued["storyboard"]["id"]
    assert job["status"] == "SUCCEEDED", job
    assert (job["progress"], job["error"], job["attempts"]) == (100, None, 1)
    assert job["finishedAt"] is not None
    assert_events_contiguous(job)
    events = job["events"]
    assert (events[0]["seq"], events[0]["status"]) == (1, "QUEUED")
    assert {e["status"] for e in events[1:-1]} == {"RUNNING"}
    assert (events[-1]["status"], events[-1]["progress"]) == ("SUCCEEDED", 100)
    staged = [e["stage"] for e in events if e["stage"] in STAGES]
    assert list(dict.fromkeys(staged)) == STAGES  # each stage at least once, in this order

    storyboard = job["storyboard"]
    assert storyboard["id"] == storyboard_id
    assert storyboard["status"] == "COMPLETED"
    assert storyboard["generatedAt"] is not None
    generated = storyboard["scenes"]
    assert [s["sceneNumber"] for s in generated] == list(range(1, 9))
    assert (storyboard["totalScenes"], storyboard["totalDuration"]) == (8, 60)
    assert sum(s["duration"] for s in generated) == 60
    assert all(s["duration"] >= 0 for s in generated)
    assert [s["sceneType"] for s in generated] == [
        "HOOK",
        "CONTENT",
        "CONTENT",
        "CONTENT",
        "TRANSITION",
        "CONTENT",
        "CONTENT",
        "CTA",
    ]
    # The transition sits where the brief changes topic: content before it is about the first
    # paragraph, content after it about the second.
    turn = [s["sceneType"] for s in generated].index("TRANSITION")
    before = {s["script"] for s in generated[:turn] if s["sceneType"] == "CONTENT"}
    after = {s["script"] for s in generated[turn:] if s["sceneType"] == "CONTENT"}
    assert before <= set(FIRST_TOPIC)
    assert after <= set(SECOND_TOPIC)
    assert before
    assert after
    for scene in generated:
        assert scene["visualDescription"]
        assert scene["tasks"] == [
            {"taskType": t, "completed": False, "completedAt": None} for t in TASK_TYPES
        ]
    assert stored_tasks == 32


async def test_the_generator_chooses_a_scene_count_and_durations_when_omitted(
    make_api: MakeApi,
) -> None:
    async with make_api(run_worker=True) as api:
        user = await sign_up(api)
        project_id = await create_project(api, user)

        queued = await generate(api, user, project_id)
        job = await finished(api, user, queued["id"])

    assert job["status"] == "SUCCEEDED", job
    storyboard = job["storyboard"]
    generated = storyboard["scenes"]
    assert 1 <= len(generated) <= 100
    assert storyboard["totalScenes"] == len(generated)
    assert storyboard["totalDuration"] == sum(s["duration"] for s in generated)
    assert [s["sceneNumber"] for s in generated] == list(range(1, len(generated) + 1))
    assert (generated[0]["sceneType"], generated[-1]["sceneType"]) == ("HOOK", "CTA")
    assert all(len(s["tasks"]) == 4 for s in generated)


async def test_a_failure_while_writing_leaves_the_storyboard_in_error_without_scenes(
    make_api: MakeApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken_create_tasks(scene_ids: list[uuid.UUID]) -> None:
        # Runs inside the final write transaction, after the scenes were inserted.
        assert scene_ids
        raise RuntimeError("the task table is on fire")

    monkeypatch.setattr(scenes, "create_tasks", broken_create_tasks)
    async with make_api(run_worker=True) as api:
        user = await sign_up(api)
        project_id = await create_project(api, user)

        queued = await generate(api, user, project_id, sceneCount=8, targetDuration=60)
        job = await finished(api, user, queued["id"])

        await assert_failed_without_scenes(api, user, job)
    assert job["error"] == UNEXPECTED  # the exception's text stays in the log
    # It got as far as the last stage before the write failed.
    running = [e["stage"] for e in job["events"] if e["status"] == "RUNNING"]
    assert running == ["claimed", *STAGES]


async def test_a_failure_while_planning_leaves_the_storyboard_in_error_without_scenes(
    make_api: MakeApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken_plan(self: TemplateProvider, request: GenerationRequest) -> StoryboardPlan:
        raise RuntimeError("the planner is down")

    monkeypatch.setattr(generator.TemplateProvider, "plan", broken_plan)
    async with make_api(run_worker=True) as api:
        user = await sign_up(api)
        project_id = await create_project(api, user)

        queued = await generate(api, user, project_id, sceneCount=4)
        job = await finished(api, user, queued["id"])

        await assert_failed_without_scenes(api, user, job)
    assert job["error"] == UNEXPECTED
    running = [e["stage"] for e in job["events"] if e["status"] == "RUNNING"]
    assert running == ["claimed", "planning"]


# --- without the embedded worker --------------------------------------------------------------


async def test_generate_storyboard_returns_a_queued_job_and_a_generating_storyboard(
    api: Api,
) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)

    job = await generate(
        api,
        user,
        project_id,
        sceneCount=5,
        targetDuration=30,
        referenceUrls=["https://example.com/ref"],
    )

    storyboard = job.pop("storyboard")
    assert uuid.UUID(job.pop("id"))
    assert job == {
        "kind": GENERATE_STORYBOARD,
        "status": "QUEUED",
        "stage": "queued",
        "progress": 0,
        "error": None,
        "attempts": 0,
        "maxAttempts": 3,
        "seq": 1,
        "payload": {"sceneCount": 5, "targetDuration": 30},
        "result": None,
        "finishedAt": None,
        "project": {"id": project_id},
        "events": [{"seq": 1, "status": "QUEUED", "stage": "queued", "progress": 0}],
    }
    assert uuid.UUID(storyboard.pop("id"))
    assert storyboard == {
        "title": "Budget app launch",
        "brief": BRIEF,
        "referenceUrls": ["https://example.com/ref"],
        "status": "GENERATING",
        "totalScenes": 0,
        "totalDuration": 0,
        "generatedAt": None,
        "scenes": [],
    }
    assert await project_contents(api, user, project_id) == {
        "storyboardCount": 1,
        "storyboards": {"totalCount": 1},
        "jobs": {"totalCount": 1},
    }


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"sceneCount": 0}, "sceneCount"),
        ({"sceneCount": 101}, "sceneCount"),
        ({"sceneCount": -1}, "sceneCount"),
        ({"targetDuration": 0}, "targetDuration"),
        ({"targetDuration": -10}, "targetDuration"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "t" * 501}, "title"),
        ({"brief": ""}, "brief"),
        ({"brief": "b" * 20_001}, "brief"),
        ({"referenceUrls": ["ftp://example.com/a"]}, "referenceUrls"),
        ({"referenceUrls": ["not a url"]}, "referenceUrls"),
        ({"referenceUrls": [f"https://example.com/{i}" for i in range(21)]}, "referenceUrls"),
    ],
    ids=lambda value: str(value)[:40] if isinstance(value, dict) else value,
)
async def test_generate_storyboard_refuses_input_out_of_limits_and_creates_nothing(
    api: Api, override: dict[str, Any], field: str
) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    values = {"projectId": project_id, "title": "Launch", "brief": BRIEF, **override}

    error = await api.gql_error(GENERATE_STORYBOARD_MUTATION, user.token, input=values)

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == field
    assert await project_contents(api, user, project_id) == {
        "storyboardCount": 0,
        "storyboards": {"totalCount": 0},
        "jobs": {"totalCount": 0},
    }


@pytest.mark.parametrize(
    "override",
    [
        {"sceneCount": 1},
        {"sceneCount": 100},
        {"targetDuration": 1},
        {"title": "t" * 500},
        {"brief": "b" * 20_000},
        {"referenceUrls": [f"https://example.com/{i}" for i in range(20)]},
    ],
    ids=lambda value: str(value)[:40],
)
async def test_generate_storyboard_accepts_input_at_the_limits(
    api: Api, override: dict[str, Any]
) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)

    job = await generate(api, user, project_id, **override)

    assert (job["status"], job["storyboard"]["status"]) == ("QUEUED", "GENERATING")


async def test_generate_storyboard_on_an_unknown_project_is_not_found(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)

    error = await api.gql_error(
        GENERATE_STORYBOARD_MUTATION,
        user.token,
        input={"projectId": str(uuid.uuid4()), "title": "Launch", "brief": BRIEF},
    )

    assert error["extensions"]["code"] == "NOT_FOUND"
    assert (await project_contents(api, user, project_id))["jobs"] == {"totalCount": 0}


async def test_cancelling_a_queued_generation_puts_the_storyboard_in_error(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    queued = await generate(api, user, project_id, sceneCount=3)

    cancelled = (await api.gql(CANCEL_JOB, user.token, id=queued["id"]))["cancelJob"]
    # A worker that starts afterwards never runs it.
    stop = asyncio.Event()
    worker = Worker(MemoryBroker(), poll_seconds=0.05, shutdown_grace=0.2)
    running = asyncio.create_task(worker.run(stop))
    await asyncio.sleep(0.3)
    stop.set()
    await asyncio.wait_for(running, timeout=2)
    job = await generation(api, user, queued["id"])

    assert cancelled == {"id": queued["id"], "status": "CANCELLED", "seq": 2}
    assert (job["status"], job["seq"], job["attempts"]) == ("CANCELLED", 2, 0)
    assert [(e["seq"], e["status"]) for e in job["events"]] == [(1, "QUEUED"), (2, "CANCELLED")]
    assert job["storyboard"]["status"] == "ERROR"
    assert job["storyboard"]["scenes"] == []


async def test_a_generation_whose_last_lease_runs_out_leaves_the_storyboard_in_error(
    api: Api,
) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    queued = await generate(api, user, project_id, sceneCount=3)
    broker = MemoryBroker()

    for _ in range(3):  # maxAttempts of a generation job
        job = await jobs.claim_job(broker, None, [GENERATE_STORYBOARD], 5, allow_built_in=True)
        assert job is not None
        await Job.filter(id=job.id).update(lease_expires_at=datetime.now(UTC))
        assert await jobs.reap_expired_leases(broker, jobs.RetryPolicy(base_seconds=0)) == 1
    failed = await generation(api, user, queued["id"])

    assert (failed["status"], failed["attempts"]) == ("FAILED", 3)
    assert failed["error"] == "The lease expired on the last attempt."
    assert [(e["seq"], e["status"]) for e in failed["events"]] == [
        (1, "QUEUED"),
        (2, "RUNNING"),
        (3, "QUEUED"),
        (4, "RUNNING"),
        (5, "QUEUED"),
        (6, "RUNNING"),
        (7, "FAILED"),
    ]
    assert (failed["storyboard"]["status"], failed["storyboard"]["scenes"]) == ("ERROR", [])


class GatedProvider:
    """The template provider, held at `plan` until the test lets it go on."""

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.go_on = asyncio.Event()

    async def plan(self, request: GenerationRequest) -> StoryboardPlan:
        self.entered.set()
        await self.go_on.wait()
        return await TemplateProvider().plan(request)


async def test_cancelling_a_running_generation_stops_it_at_its_next_report(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    queued = await generate(api, user, project_id, sceneCount=3)
    provider = GatedProvider()
    built_in = built_in_handlers(provider)[GENERATE_STORYBOARD]
    outcome: list[BaseException] = []
    handled = asyncio.Event()

    async def handler(run: JobRun) -> None:
        try:
            await built_in(run)
        except BaseException as exc:
            outcome.append(exc)
            raise
        finally:
            handled.set()

    stop = asyncio.Event()
    worker = Worker(MemoryBroker(), handlers={GENERATE_STORYBOARD: handler}, poll_seconds=0.05)
    running = asyncio.create_task(worker.run(stop))
    try:
        await asyncio.wait_for(provider.entered.wait(), timeout=5)
        cancelled = (await api.gql(CANCEL_JOB, user.token, id=queued["id"]))["cancelJob"]
        provider.go_on.set()
        await asyncio.wait_for(handled.wait(), timeout=5)
    finally:
        stop.set()
        await asyncio.wait_for(running, timeout=2)
    job = await generation(api, user, queued["id"])

    assert [type(exc) for exc in outcome] == [JobStopped]
    assert (cancelled["status"], cancelled["seq"]) == ("CANCELLED", 4)
    assert (job["status"], job["seq"], job["attempts"]) == ("CANCELLED", 4, 1)
    assert [(e["seq"], e["status"], e["stage"]) for e in job["events"]] == [
        (1, "QUEUED", "queued"),
        (2, "RUNNING", "claimed"),
        (3, "RUNNING", "planning"),
        (4, "CANCELLED", "cancelled"),
    ]
    assert job["storyboard"]["status"] == "ERROR"
    assert job["storyboard"]["scenes"] == []
    assert await Scene.filter(storyboard_id=job["storyboard"]["id"]).count() == 0


# --- the built-in generator, no database ------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "weights"),
    [
        (60, [2, 3, 3, 3, 1, 3, 3, 2]),
        (7, [1, 1, 1]),
        (10, [3]),
        (0, [2, 3, 2]),
        (1, [2, 3, 3, 2]),
        (100, [1] * 7),
        (3, [2, 3, 3, 3, 3, 3, 2]),
        (997, [2, 1, 3, 3, 1, 2]),
    ],
)
def test_spread_sums_exactly_and_stays_proportional(total: int, weights: list[int]) -> None:
    parts = spread(total, weights)

    assert sum(parts) == total
    assert len(parts) == len(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - total * weight / sum(weights)) < 1


def test_spread_breaks_ties_deterministically() -> None:
    assert spread(7, [1, 1, 1]) == [3, 2, 2]
    assert spread(1, [1, 1]) == [1, 0]


async def plan(brief: str, count: int | None, duration: int | None = None) -> list[PlannedScene]:
    planned = await TemplateProvider().plan(
        GenerationRequest(
            title="Launch",
            brief=brief,
            reference_urls=[],
            scene_count=count,
            target_duration=duration,
        )
    )
    return planned.scenes


@pytest.mark.parametrize("brief", [BRIEF, "One idea only.", "A. B. C.\n\nD.\n\nE. F."])
@pytest.mark.parametrize("count", range(1, 13))
async def test_the_plan_opens_with_a_hook_and_closes_with_a_cta(brief: str, count: int) -> None:
    planned = await plan(brief, count, duration=count * 5)

    kinds = [scene.scene_type for scene in planned]
    assert len(kinds) == count
    assert kinds[0] == SceneType.HOOK
    if count == 1:
        assert kinds == [SceneType.HOOK]
    else:
        assert kinds[-1] == SceneType.CTA
        assert set(kinds[1:-1]) <= {SceneType.CONTENT, SceneType.TRANSITION}
    assert sum(scene.duration for scene in planned) == count * 5
    assert all(scene.visual_description for scene in planned)


@pytest.mark.parametrize(("count", "transitions"), [(4, 0), (5, 1), (8, 1), (12, 1)])
async def test_the_plan_has_a_transition_where_the_topic_changes_when_there_is_room(
    count: int, transitions: int
) -> None:
    planned = await plan(BRIEF, count)

    kinds = [scene.scene_type for scene in planned]
    assert kinds.count(SceneType.TRANSITION) == transitions
    if transitions:
        turn = kinds.index(SceneType.TRANSITION)
        assert {s.script for s in planned[1:turn]} <= set(FIRST_TOPIC)
        assert {s.script for s in planned[turn + 1 : -1]} <= set(SECOND_TOPIC)


async def test_the_plan_without_a_count_or_duration_uses_the_defaults() -> None:
    planned = await plan(BRIEF, None)

    # Four sentences + HOOK + CTA, each DEFAULT_SECONDS_PER_SCENE on average.
    assert len(planned) == 6
    assert sum(s.duration for s in planned) == 6 * generator.DEFAULT_SECONDS_PER_SCENE


async def test_the_plan_is_deterministic() -> None:
    first = await plan(BRIEF, 8, 60)
    second = await plan(BRIEF, 8, 60)

    assert first == second
    assert await plan(BRIEF, 7, 60) != first


def test_split_topics_groups_sentences_by_paragraph() -> None:
    brief = "First idea.  It continues!\nStill the same?\n\n  Second idea.\n \n\nThird   one"

    assert split_topics(brief) == [
        ["First idea.", "It continues!", "Still the same?"],
        ["Second idea."],
        ["Third one"],
    ]


def test_split_topics_of_a_single_sentence_is_one_topic() -> None:
    assert split_topics("  Just this  ") == [["Just this"]]
