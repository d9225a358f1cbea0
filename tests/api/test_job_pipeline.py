"""Jobs as a pipeline (API.md 2.3): declared stages with times and details, priorities, retries,
idempotency keys, the job feeds of a storyboard and a user, and jobStats."""

import asyncio
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from models import IdempotencyKey, Job, JobStage, Storyboard
from tests.conftest import MakeApi
from tests.helpers import Api, User, create_project, create_storyboard, sign_up

JOB_FIELDS = """
id kind status stage progress attempts seq priority idempotencyKey error errorDetails
stages { name status startedAt finishedAt durationMs error details }
"""
CREATE_JOB = f"""
mutation CreateJob($input: CreateJobInput!) {{ createJob(input: $input) {{ {JOB_FIELDS} }} }}
"""
CLAIM_JOB = f"""
mutation ClaimJob($kinds: [String!]!) {{ claimJob(kinds: $kinds) {{ {JOB_FIELDS} }} }}
"""
REPORT = f"""
mutation Report($id: ID!, $progress: Int!, $stage: String, $details: JSON) {{
  reportJobProgress(id: $id, progress: $progress, stage: $stage, details: $details) {{
    {JOB_FIELDS}
  }}
}}
"""
COMPLETE = f"""
mutation Complete($id: ID!) {{ completeJob(id: $id) {{ {JOB_FIELDS} }} }}
"""
FAIL = f"""
mutation Fail($id: ID!, $error: String!, $retry: Boolean, $details: JSON) {{
  failJob(id: $id, error: $error, retry: $retry, details: $details) {{ {JOB_FIELDS} }}
}}
"""
CANCEL = f"mutation Cancel($id: ID!) {{ cancelJob(id: $id) {{ {JOB_FIELDS} }} }}"
RETRY = f"mutation Retry($id: ID!) {{ retryJob(id: $id) {{ {JOB_FIELDS} events {{ seq }} }} }}"
JOB = f"query J($id: ID!) {{ job(id: $id) {{ {JOB_FIELDS} }} }}"
GENERATE = """
mutation G($input: GenerateStoryboardInput!) {
  generateStoryboard(input: $input) { id idempotencyKey storyboard { id } }
}
"""
PLAN = ["fetch", "render", "encode", "upload"]


async def new_job(api: Api, user: User, project_id: str, **extra: Any) -> dict[str, Any]:
    data = await api.gql(
        CREATE_JOB, user.token, input={"projectId": project_id, "kind": "render", **extra}
    )
    job: dict[str, Any] = data["createJob"]
    return job


async def claimed(api: Api, user: User, kind: str = "render") -> dict[str, Any]:
    job: dict[str, Any] = (await api.gql(CLAIM_JOB, user.token, kinds=[kind]))["claimJob"]
    return job


async def report(api: Api, user: User, job_id: str, progress: int, **extra: Any) -> Any:
    return (await api.gql(REPORT, user.token, id=job_id, progress=progress, **extra))[
        "reportJobProgress"
    ]


def statuses(job: dict[str, Any]) -> list[tuple[str, str]]:
    return [(s["name"], s["status"]) for s in job["stages"]]


# --- stages -----------------------------------------------------------------------------------


async def test_a_plan_is_declared_pending_and_goes_in_order_with_times_and_details(
    api: Api,
) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    job = await new_job(api, user, project, stages=PLAN)
    assert statuses(job) == [(name, "PENDING") for name in PLAN]
    assert all(s["startedAt"] is None and s["durationMs"] is None for s in job["stages"])

    await claimed(api, user)
    job = await report(api, user, job["id"], 10, stage="fetch", details={"files": 3})
    assert statuses(job) == [
        ("fetch", "RUNNING"),
        ("render", "PENDING"),
        ("encode", "PENDING"),
        ("upload", "PENDING"),
    ]
    assert job["stages"][0]["details"] == {"files": 3}
    # Same stage again: details, last value wins; no stage: the running one's details.
    job = await report(api, user, job["id"], 20, stage="fetch", details={"files": 4})
    job = await report(api, user, job["id"], 30, details={"files": 5})
    assert job["stages"][0]["details"] == {"files": 5}
    # Entering `encode` ends `fetch` and skips `render`.
    job = await report(api, user, job["id"], 60, stage="encode", details={"codec": "h264"})
    assert statuses(job) == [
        ("fetch", "SUCCEEDED"),
        ("render", "SKIPPED"),
        ("encode", "RUNNING"),
        ("upload", "PENDING"),
    ]
    fetch = job["stages"][0]
    assert fetch["startedAt"] is not None
    assert fetch["finishedAt"] is not None
    started = datetime.fromisoformat(fetch["startedAt"])
    ended = datetime.fromisoformat(fetch["finishedAt"])
    assert fetch["durationMs"] == round((ended - started).total_seconds() * 1000)

    job = (await api.gql(COMPLETE, user.token, id=job["id"]))["completeJob"]
    assert statuses(job) == [
        ("fetch", "SUCCEEDED"),
        ("render", "SKIPPED"),
        ("encode", "SUCCEEDED"),
        ("upload", "SKIPPED"),
    ]
    assert job["stages"][2]["details"] == {"codec": "h264"}
    assert job["stages"][2]["durationMs"] is not None
    assert job["stages"][3]["startedAt"] is None


@pytest.mark.parametrize(
    ("stage", "reason"), [("fetch", "before"), ("encode", "same as ended"), ("mux", "unknown")]
)
async def test_a_stage_outside_the_plan_or_before_the_current_one_is_refused(
    api: Api, stage: str, reason: str
) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    job = await new_job(api, user, project, stages=PLAN)
    await claimed(api, user)
    await report(api, user, job["id"], 10, stage="encode")
    if reason == "same as ended":
        await report(api, user, job["id"], 20, stage="upload")
    before = await api.gql(JOB, user.token, id=job["id"])

    error = await api.gql_error(REPORT, user.token, id=job["id"], progress=90, stage=stage)

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "stage"}
    assert await api.gql(JOB, user.token, id=job["id"]) == before


async def test_a_job_without_a_plan_lists_the_stages_it_reported_in_order(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    job = await new_job(api, user, project)
    assert job["stages"] == []
    await claimed(api, user)

    error = await api.gql_error(REPORT, user.token, id=job["id"], progress=5, details={"a": 1})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "details"}

    for progress, stage in ((10, "download"), (20, "download"), (30, "transcode"), (40, "qa")):
        job = await report(api, user, job["id"], progress, stage=stage)
    assert statuses(job) == [
        ("download", "SUCCEEDED"),
        ("transcode", "SUCCEEDED"),
        ("qa", "RUNNING"),
    ]


async def test_a_job_reports_at_most_fifty_stages(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("services.job_stages.MAX_JOB_STAGES", 2)
    user = await sign_up(api)
    project = await create_project(api, user)
    job = await new_job(api, user, project)
    await claimed(api, user)
    await report(api, user, job["id"], 10, stage="a")
    await report(api, user, job["id"], 20, stage="b")

    error = await api.gql_error(REPORT, user.token, id=job["id"], progress=30, stage="c")

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "stage"}
    assert await JobStage.filter(job_id=job["id"]).count() == 2
    error = await api.gql_error(
        CREATE_JOB, user.token, input={"projectId": project, "kind": "x", "stages": ["a", "b", "c"]}
    )
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "stages"}


async def test_fail_ends_the_running_stage_failed_with_error_and_details(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    job = await new_job(api, user, project, stages=PLAN, maxAttempts=1)
    await claimed(api, user)
    await report(api, user, job["id"], 30, stage="render", details={"frame": 120})

    job = (
        await api.gql(
            FAIL,
            user.token,
            id=job["id"],
            error="GPU out of memory.",
            details={"provider": "farm-2", "code": 137},
        )
    )["failJob"]

    assert (job["status"], job["error"]) == ("FAILED", "GPU out of memory.")
    assert job["errorDetails"] == {"provider": "farm-2", "code": 137}
    assert statuses(job) == [
        ("fetch", "SKIPPED"),
        ("render", "FAILED"),
        ("encode", "SKIPPED"),
        ("upload", "SKIPPED"),
    ]
    render = job["stages"][1]
    assert render["error"] == "GPU out of memory."
    assert render["details"] == {"provider": "farm-2", "code": 137}
    assert render["durationMs"] is not None


async def test_a_retry_or_an_expired_lease_starts_the_plan_over(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    job = await new_job(api, user, project, stages=PLAN)
    await claimed(api, user)
    await report(api, user, job["id"], 30, stage="render")

    job = (await api.gql(FAIL, user.token, id=job["id"], error="Flaky.", retry=True))["failJob"]

    assert job["status"] == "QUEUED"
    assert statuses(job) == [(name, "PENDING") for name in PLAN]
    assert all(s["startedAt"] is None and s["details"] is None for s in job["stages"])

    await claimed(api, user)
    await report(api, user, job["id"], 40, stage="fetch")
    await Job.filter(id=job["id"]).update(lease_expires_at=datetime.now(UTC) - timedelta(1))
    from services import jobs
    from services.broker import MemoryBroker

    assert await jobs.reap_expired_leases(MemoryBroker(), jobs.RetryPolicy(base_seconds=0)) == 1
    job = (await api.gql(JOB, user.token, id=job["id"]))["job"]
    assert job["status"] == "QUEUED"
    assert statuses(job) == [(name, "PENDING") for name in PLAN]


async def test_cancel_fails_the_running_stage_and_skips_the_rest(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    job = await new_job(api, user, project, stages=PLAN)
    await claimed(api, user)
    await report(api, user, job["id"], 30, stage="render")

    job = (await api.gql(CANCEL, user.token, id=job["id"]))["cancelJob"]

    assert statuses(job) == [
        ("fetch", "SKIPPED"),
        ("render", "FAILED"),
        ("encode", "SKIPPED"),
        ("upload", "SKIPPED"),
    ]
    assert job["stages"][1]["error"] == "Cancelled."


# --- retryJob ---------------------------------------------------------------------------------


@pytest.mark.parametrize("end", ["FAILED", "CANCELLED"])
async def test_the_owner_retries_a_failed_or_cancelled_job(api: Api, end: str) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    job = await new_job(api, user, project, stages=PLAN, maxAttempts=1)
    await claimed(api, user)
    await report(api, user, job["id"], 50, stage="render")
    if end == "FAILED":
        ended = await api.gql(FAIL, user.token, id=job["id"], error="No.", details={"a": 1})
        ended = ended["failJob"]
    else:
        ended = (await api.gql(CANCEL, user.token, id=job["id"]))["cancelJob"]
    assert ended["status"] == end

    retried = (await api.gql(RETRY, user.token, id=job["id"]))["retryJob"]

    assert (retried["status"], retried["attempts"], retried["progress"]) == ("QUEUED", 0, 0)
    assert (retried["error"], retried["errorDetails"]) == (None, None)
    assert statuses(retried) == [(name, "PENDING") for name in PLAN]
    assert retried["seq"] == ended["seq"] + 1
    assert [e["seq"] for e in retried["events"]] == list(range(1, retried["seq"] + 1))
    again = await claimed(api, user)
    assert (again["id"], again["attempts"]) == (job["id"], 1)


@pytest.mark.parametrize("state", ["QUEUED", "RUNNING", "SUCCEEDED"])
async def test_retrying_a_job_that_did_not_fail_is_a_conflict(api: Api, state: str) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    job = await new_job(api, user, project)
    if state != "QUEUED":
        await claimed(api, user)
    if state == "SUCCEEDED":
        await api.gql(COMPLETE, user.token, id=job["id"])
    before = await api.gql(JOB, user.token, id=job["id"])

    error = await api.gql_error(RETRY, user.token, id=job["id"])

    assert error["extensions"]["code"] == "CONFLICT"
    assert await api.gql(JOB, user.token, id=job["id"]) == before


async def test_retrying_a_failed_generation_puts_its_storyboard_back_to_generating(
    api: Api,
) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    job = (
        await api.gql(
            GENERATE, user.token, input={"projectId": project, "title": "T", "brief": "B"}
        )
    )["generateStoryboard"]
    await api.gql(CANCEL, user.token, id=job["id"])
    storyboard = await Storyboard.get(id=job["storyboard"]["id"])
    assert storyboard.status == "ERROR"

    await api.gql(RETRY, user.token, id=job["id"])

    await storyboard.refresh_from_db()
    assert storyboard.status == "GENERATING"
    # Not left QUEUED for the next test's embedded worker.
    await Job.all().delete()


async def test_generate_storyboard_runs_through_its_own_plan_with_real_timings(
    make_api: MakeApi,
) -> None:
    async with make_api(run_worker=True) as api:
        user = await sign_up(api)
        project = await create_project(api, user)
        job = (
            await api.gql(
                GENERATE, user.token, input={"projectId": project, "title": "T", "brief": "A b."}
            )
        )["generateStoryboard"]
        for _ in range(200):
            found = (await api.gql(JOB, user.token, id=job["id"]))["job"]
            if found["status"] == "SUCCEEDED":
                break
            await asyncio.sleep(0.05)
        assert found["status"] == "SUCCEEDED"
        assert statuses(found) == [
            ("planning", "SUCCEEDED"),
            ("writing_scenes", "SUCCEEDED"),
            ("creating_tasks", "SUCCEEDED"),
        ]
        for stage in found["stages"]:
            started = datetime.fromisoformat(stage["startedAt"])
            ended = datetime.fromisoformat(stage["finishedAt"])
            assert stage["durationMs"] == round((ended - started).total_seconds() * 1000)


# --- priority ---------------------------------------------------------------------------------


async def test_claim_takes_the_highest_priority_first_then_the_oldest(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    low_old = await new_job(api, user, project)
    high = await new_job(api, user, project, priority=10)
    low_new = await new_job(api, user, project)
    urgent = await new_job(api, user, project, priority=100)
    last = await new_job(api, user, project, priority=-100)
    assert (high["priority"], last["priority"], low_old["priority"]) == (10, -100, 0)

    order = [(await claimed(api, user))["id"] for _ in range(5)]

    assert order == [urgent["id"], high["id"], low_old["id"], low_new["id"], last["id"]]
    assert (await api.gql(CLAIM_JOB, user.token, kinds=["render"]))["claimJob"] is None


async def test_two_claimers_at_once_take_the_two_highest_priorities_once_each(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    jobs = [await new_job(api, user, project, priority=p) for p in (1, 50, 7, 50, -3)]

    first, second = await asyncio.gather(claimed(api, user), claimed(api, user))

    assert {first["id"], second["id"]} == {jobs[1]["id"], jobs[3]["id"]}
    assert (await claimed(api, user))["id"] == jobs[2]["id"]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"priority": 101}, "priority"),
        ({"priority": -101}, "priority"),
        ({"stages": []}, "stages"),
        ({"stages": ["a", "a"]}, "stages"),
        ({"stages": ["Bad Name"]}, "stages"),
        ({"stages": [f"s{i}" for i in range(51)]}, "stages"),
        ({"idempotencyKey": ""}, "idempotencyKey"),
        ({"idempotencyKey": "k" * 201}, "idempotencyKey"),
    ],
)
async def test_create_job_limits(api: Api, extra: dict[str, Any], field: str) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)

    error = await api.gql_error(
        CREATE_JOB, user.token, input={"projectId": project, "kind": "render", **extra}
    )

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert await Job.all().count() == 0
    assert await IdempotencyKey.all().count() == 0


# --- idempotency ------------------------------------------------------------------------------


async def test_the_same_key_returns_the_first_job_and_creates_nothing(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    first = await new_job(api, user, project, idempotencyKey="order-1", stages=PLAN)

    again = await new_job(api, user, project, idempotencyKey="order-1", stages=PLAN)

    assert again == first
    assert first["idempotencyKey"] == "order-1"
    assert await Job.all().count() == 1
    # Another user's same key is theirs alone.
    other = await sign_up(api)
    theirs = await new_job(api, other, await create_project(api, other), idempotencyKey="order-1")
    assert theirs["id"] != first["id"]


@pytest.mark.parametrize(
    "change", [{"kind": "voice"}, {"priority": 3}, {"payload": {"x": 1}}, {"stages": ["a"]}]
)
async def test_the_same_key_with_different_input_is_a_conflict(
    api: Api, change: dict[str, Any]
) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    await new_job(api, user, project, idempotencyKey="order-1")

    error = await api.gql_error(
        CREATE_JOB,
        user.token,
        input={"projectId": project, "kind": "render", "idempotencyKey": "order-1", **change},
    )

    assert error["extensions"]["code"] == "CONFLICT"
    assert await Job.all().count() == 1


async def test_a_key_older_than_a_day_creates_anew(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    first = await new_job(api, user, project, idempotencyKey="order-1")
    await IdempotencyKey.all().update(created_at=datetime.now(UTC) - timedelta(hours=24, minutes=1))

    again = await new_job(api, user, project, idempotencyKey="order-1", kind="voice")

    assert again["id"] != first["id"]
    assert await Job.all().count() == 2
    assert await IdempotencyKey.all().count() == 1


async def test_two_identical_requests_at_once_make_one_job(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)

    for round_ in range(5):
        key = f"race-{round_}"
        results = await asyncio.gather(
            *(new_job(api, user, project, idempotencyKey=key, stages=PLAN) for _ in range(4))
        )
        assert len({r["id"] for r in results}) == 1
    assert await Job.all().count() == 5
    assert await JobStage.all().count() == 5 * len(PLAN)


async def test_generate_storyboard_with_a_key_makes_one_storyboard(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    values = {"projectId": project, "title": "T", "brief": "B", "idempotencyKey": "gen-1"}

    results = await asyncio.gather(*(api.gql(GENERATE, user.token, input=values) for _ in range(3)))

    assert len({r["generateStoryboard"]["id"] for r in results}) == 1
    assert await Storyboard.all().count() == 1
    error = await api.gql_error(GENERATE, user.token, input={**values, "brief": "Other"})
    assert error["extensions"]["code"] == "CONFLICT"
    assert await Storyboard.all().count() == 1
    # Not left QUEUED for the next test's embedded worker.
    await Job.all().delete()


# --- feeds ------------------------------------------------------------------------------------

FEEDS = """
query Feeds($sb: ID!, $status: JobStatus, $kind: String, $after: String) {
  me {
    jobs(status: $status, kind: $kind, first: 2, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id kind status } }
    }
  }
  storyboard(id: $sb) { jobs { totalCount edges { node { id } } } }
}
"""


async def test_storyboard_and_user_job_feeds_newest_first_with_filters(api: Api) -> None:
    user = await sign_up(api)
    first_project = await create_project(api, user)
    second_project = await create_project(api, user)
    storyboard = await create_storyboard(api, user, first_project)
    a = await new_job(api, user, first_project, storyboardId=storyboard)
    b = await new_job(api, user, second_project, kind="voice")
    c = await new_job(api, user, first_project, storyboardId=storyboard, kind="voice")
    await claimed(api, user, "voice")  # b, the oldest voice job

    data = await api.gql(FEEDS, user.token, sb=storyboard)
    assert data["storyboard"]["jobs"]["totalCount"] == 2
    assert [e["node"]["id"] for e in data["storyboard"]["jobs"]["edges"]] == [c["id"], a["id"]]
    page = data["me"]["jobs"]
    assert page["totalCount"] == 3
    assert [e["node"]["id"] for e in page["edges"]] == [c["id"], b["id"]]
    rest = await api.gql(FEEDS, user.token, sb=storyboard, after=page["pageInfo"]["endCursor"])
    assert [e["node"]["id"] for e in rest["me"]["jobs"]["edges"]] == [a["id"]]
    assert rest["me"]["jobs"]["pageInfo"]["hasNextPage"] is False

    voice = await api.gql(FEEDS, user.token, sb=storyboard, kind="voice")
    assert [e["node"]["id"] for e in voice["me"]["jobs"]["edges"]] == [c["id"], b["id"]]
    running = await api.gql(FEEDS, user.token, sb=storyboard, status="RUNNING")
    assert [e["node"]["id"] for e in running["me"]["jobs"]["edges"]] == [b["id"]]
    other = await sign_up(api)
    mine = (await api.gql("{ me { jobs { totalCount } } }", other.token))["me"]["jobs"]
    assert mine == {"totalCount": 0}


# --- jobStats ---------------------------------------------------------------------------------

STATS = """
query Stats($id: ID!, $since: DateTime, $kind: String) {
  me { jobStats(since: $since, kind: $kind) { ...S } }
  project(id: $id) { jobStats(since: $since, kind: $kind) { ...S } }
}
fragment S on JobKindStats {
  kind total byStatus { status count }
  stages { name count succeeded failed skipped p50Ms p95Ms maxMs }
  p50DurationMs p95DurationMs
}
"""


def percentile(values: Sequence[float], p: float) -> int:
    """percentile_cont."""
    ordered = sorted(values)
    position = p * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return round(ordered[low] + (position - low) * (ordered[high] - ordered[low]))


async def test_job_stats_per_kind_and_stage_computed_by_the_database(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    other_project = await create_project(api, user)
    durations = [120, 40, 900, 310, 75, 600, 55]
    ids = []
    for i, ms in enumerate(durations):
        job = await new_job(api, user, project, stages=["fetch", "render", "encode"])
        await claimed(api, user)
        await report(api, user, job["id"], 10, stage="fetch")
        await report(api, user, job["id"], 50, stage="render")
        if i == 3:
            await api.gql(FAIL, user.token, id=job["id"], error="Crashed.")
        else:
            await api.gql(COMPLETE, user.token, id=job["id"])
        ids.append(job["id"])
        # Times as if the stages had taken this long: the statistics read these columns.
        await JobStage.filter(job_id=job["id"], name="render").update(duration_ms=ms)
        started = datetime(2026, 1, 1, tzinfo=UTC)
        await Job.filter(id=job["id"]).update(
            started_at=started, finished_at=started + timedelta(milliseconds=10 * ms)
        )
    await new_job(api, user, other_project, kind="voice")
    stranger = await sign_up(api)
    await new_job(api, stranger, await create_project(api, stranger))

    data = await api.gql(STATS, user.token, id=project)

    ok = [ms for i, ms in enumerate(durations) if i != 3]
    render = {
        "name": "render",
        "count": 7,
        "succeeded": 6,
        "failed": 1,
        "skipped": 0,
        "p50Ms": percentile(ok, 0.5),
        "p95Ms": percentile(ok, 0.95),
        "maxMs": 900,
    }
    [stats] = data["project"]["jobStats"]
    assert stats["kind"] == "render"
    assert stats["total"] == 7
    assert stats["byStatus"] == [
        {"status": "FAILED", "count": 1},
        {"status": "SUCCEEDED", "count": 6},
    ]
    assert [s["name"] for s in stats["stages"]] == ["fetch", "render", "encode"]
    assert stats["stages"][1] == render
    encode = stats["stages"][2]
    assert (encode["count"], encode["succeeded"], encode["skipped"]) == (7, 0, 7)
    assert (encode["p50Ms"], encode["maxMs"]) == (None, None)
    assert stats["p50DurationMs"] == percentile([10 * ms for ms in ok], 0.5)
    assert stats["p95DurationMs"] == percentile([10 * ms for ms in ok], 0.95)

    mine = data["me"]["jobStats"]
    assert [(s["kind"], s["total"]) for s in mine] == [("render", 7), ("voice", 1)]
    assert mine[0] == stats
    assert mine[1]["byStatus"] == [{"status": "QUEUED", "count": 1}]
    assert (mine[1]["stages"], mine[1]["p50DurationMs"]) == ([], None)

    voice = await api.gql(STATS, user.token, id=project, kind="voice")
    assert (voice["project"]["jobStats"], len(voice["me"]["jobStats"])) == ([], 1)
    later = datetime.now(UTC) + timedelta(minutes=1)
    future = await api.gql(STATS, user.token, id=project, since=later.isoformat())
    assert future == {"me": {"jobStats": []}, "project": {"jobStats": []}}
    await Job.filter(id__in=ids[:4]).update(created_at=datetime(2026, 1, 1, tzinfo=UTC))
    recent = await api.gql(STATS, user.token, id=project, since="2026-06-01T00:00:00+00:00")
    assert recent["project"]["jobStats"][0]["total"] == 3


async def test_job_stats_list_stage_names_in_the_order_of_the_kinds_first_plan(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    await new_job(api, user, project, stages=["zeta", "alpha", "mid"])
    await new_job(api, user, project, stages=["alpha", "extra", "zeta"])

    data = await api.gql(STATS, user.token, id=project)

    [stats] = data["project"]["jobStats"]
    assert [s["name"] for s in stats["stages"]] == ["zeta", "alpha", "mid", "extra"]
    # No stage has ended yet.
    assert {s["count"] for s in stats["stages"]} == {0}


async def test_job_stats_of_many_kinds_are_bounded(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("services.job_stats.MAX_STATS_KINDS", 2)
    user = await sign_up(api)
    project = await create_project(api, user)
    for kind in ("c", "a", "b"):
        await new_job(api, user, project, kind=kind)

    data = await api.gql(STATS, user.token, id=project)

    assert [s["kind"] for s in data["me"]["jobStats"]] == ["a", "b"]
    assert uuid.UUID(project)
