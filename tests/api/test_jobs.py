"""Jobs for partners' workers over HTTP: scopes, limits, the state machine, events and leases.

API.md: progress never goes down, each event's seq is the previous + 1, a terminal job accepts no
more changes (CONFLICT), an expired lease puts the job back in the queue (attempts + 1) or fails
it at maxAttempts, and a refused mutation changes nothing.
"""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from models import Job
from services.broker import MemoryBroker
from services.jobs import RetryPolicy, reap_expired_leases
from tests.conftest import MakeApi
from tests.helpers import Api, User, create_project, create_storyboard, sign_up

JOB_FIELDS = """
fragment JobFields on Job {
  id kind status stage progress message error attempts maxAttempts seq payload result
  createdAt startedAt finishedAt
  project { id }
  storyboard { id }
}
"""
CREATE_API_KEY = """
mutation CreateApiKey($name: String!, $scopes: [String!]) {
  createApiKey(name: $name, scopes: $scopes) { key apiKey { id scopes } }
}
"""
CREATE_JOB = (
    """
mutation CreateJob($input: CreateJobInput!) {
  createJob(input: $input) { ...JobFields events { seq status stage progress message } }
}
"""
    + JOB_FIELDS
)
CLAIM_JOB = (
    """
mutation ClaimJob($kinds: [String!]!, $leaseSeconds: Int) {
  claimJob(kinds: $kinds, leaseSeconds: $leaseSeconds) { ...JobFields }
}
"""
    + JOB_FIELDS
)
REPORT_JOB_PROGRESS = (
    """
mutation ReportJobProgress($id: ID!, $progress: Int!, $stage: String, $message: String) {
  reportJobProgress(id: $id, progress: $progress, stage: $stage, message: $message) {
    ...JobFields
  }
}
"""
    + JOB_FIELDS
)
COMPLETE_JOB = (
    """
mutation CompleteJob($id: ID!, $result: JSON) {
  completeJob(id: $id, result: $result) { ...JobFields }
}
"""
    + JOB_FIELDS
)
FAIL_JOB = (
    """
mutation FailJob($id: ID!, $error: String!, $retry: Boolean) {
  failJob(id: $id, error: $error, retry: $retry) { ...JobFields }
}
"""
    + JOB_FIELDS
)
CANCEL_JOB = (
    """
mutation CancelJob($id: ID!) {
  cancelJob(id: $id) { ...JobFields }
}
"""
    + JOB_FIELDS
)
JOB = (
    """
query Job($id: ID!) {
  job(id: $id) { ...JobFields events { jobId seq status stage progress message at } }
}
"""
    + JOB_FIELDS
)
JOB_EVENTS_AFTER = """
query JobEventsAfter($id: ID!) {
  job(id: $id) {
    seq
    all: events { seq }
    fromZero: events(afterSeq: 0) { seq }
    afterTwo: events(afterSeq: 2) { seq status progress }
    afterFour: events(afterSeq: 4) { seq }
    afterLast: events(afterSeq: 5) { seq }
    beyond: events(afterSeq: 99) { seq }
  }
}
"""
# What a key without `read` may select: the job itself, none of its relations
# (tests/api/test_hardening_scopes.py).
CREATE_JOB_AS_WORKER = """
mutation CreateJob($input: CreateJobInput!) { createJob(input: $input) { id kind status payload } }
"""
CANCEL_JOB_AS_WORKER = "mutation CancelJob($id: ID!) { cancelJob(id: $id) { id status } }"
PROJECT_JOBS = """
query ProjectJobs($id: ID!, $first: Int, $after: String, $status: JobStatus) {
  project(id: $id) {
    jobs(first: $first, after: $after, status: $status) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id kind status } }
    }
  }
}
"""

# The four mutations that move a job on; none of them may touch a terminal job.
CHANGES: list[tuple[str, dict[str, Any]]] = [
    (REPORT_JOB_PROGRESS, {"progress": 100, "stage": "late"}),
    (COMPLETE_JOB, {"result": {"late": True}}),
    (FAIL_JOB, {"error": "Too late.", "retry": True}),
    (CANCEL_JOB, {}),
]


def is_utc(value: str) -> bool:
    return datetime.fromisoformat(value).utcoffset() == timedelta(0)


async def create_job(
    api: Api,
    user: User,
    project_id: str,
    kind: str = "render",
    **extra: Any,
) -> dict[str, Any]:
    data = await api.gql(
        CREATE_JOB, user.token, input={"projectId": project_id, "kind": kind, **extra}
    )
    job: dict[str, Any] = data["createJob"]
    return job


async def claim(
    api: Api, user: User, kinds: list[str] | None = None, lease_seconds: int = 60
) -> dict[str, Any] | None:
    data = await api.gql(
        CLAIM_JOB, user.token, kinds=kinds or ["render"], leaseSeconds=lease_seconds
    )
    job: dict[str, Any] | None = data["claimJob"]
    return job


async def claimed(api: Api, user: User, project_id: str, **extra: Any) -> dict[str, Any]:
    """A new job of its own kind, claimed: RUNNING, attempt 1."""
    kind = f"render.{uuid.uuid4().hex[:8]}"
    created = await create_job(api, user, project_id, kind, **extra)
    job = await claim(api, user, [kind])
    assert job is not None
    assert job["id"] == created["id"]
    return job


async def job_state(api: Api, user: User, job_id: str) -> dict[str, Any]:
    data = await api.gql(JOB, user.token, id=job_id)
    job: dict[str, Any] = data["job"]
    return job


async def project_jobs(api: Api, user: User, project_id: str, **args: Any) -> dict[str, Any]:
    data = await api.gql(PROJECT_JOBS, user.token, id=project_id, **args)
    jobs: dict[str, Any] = data["project"]["jobs"]
    return jobs


def statuses(job: dict[str, Any]) -> list[tuple[int, str]]:
    return [(event["seq"], event["status"]) for event in job["events"]]


async def owner_with_project(api: Api) -> tuple[User, str]:
    user = await sign_up(api)
    return user, await create_project(api, user)


# --- createJob --------------------------------------------------------------------------------


async def test_a_new_job_is_queued_with_one_stored_event(api: Api) -> None:
    user, project_id = await owner_with_project(api)
    storyboard_id = await create_storyboard(api, user, project_id)

    job = await create_job(
        api,
        user,
        project_id,
        "render",
        storyboardId=storyboard_id,
        payload={"resolution": "1080p", "fps": 30},
        maxAttempts=5,
    )

    assert is_utc(job.pop("createdAt"))
    assert uuid.UUID(job.pop("id"))
    assert job == {
        "kind": "render",
        "status": "QUEUED",
        "stage": "queued",
        "progress": 0,
        "message": None,
        "error": None,
        "attempts": 0,
        "maxAttempts": 5,
        "seq": 1,
        "payload": {"resolution": "1080p", "fps": 30},
        "result": None,
        "startedAt": None,
        "finishedAt": None,
        "project": {"id": project_id},
        "storyboard": {"id": storyboard_id},
        "events": [
            {"seq": 1, "status": "QUEUED", "stage": "queued", "progress": 0, "message": None}
        ],
    }


async def test_create_job_defaults_to_three_attempts_and_no_storyboard(api: Api) -> None:
    user, project_id = await owner_with_project(api)

    job = await create_job(api, user, project_id)

    assert (job["maxAttempts"], job["storyboard"], job["payload"]) == (3, None, None)


@pytest.mark.parametrize("max_attempts", [1, 20])
async def test_create_job_accepts_max_attempts_at_the_limits(api: Api, max_attempts: int) -> None:
    user, project_id = await owner_with_project(api)

    job = await create_job(api, user, project_id, maxAttempts=max_attempts)

    assert job["maxAttempts"] == max_attempts


@pytest.mark.parametrize("scopes", [["jobs"], ["read", "write", "jobs"]])
async def test_an_api_key_with_the_jobs_scope_creates_jobs(api: Api, scopes: list[str]) -> None:
    user, project_id = await owner_with_project(api)
    key = (await api.gql(CREATE_API_KEY, user.token, name="render farm", scopes=scopes))[
        "createApiKey"
    ]["key"]

    data = await api.gql(
        CREATE_JOB_AS_WORKER, key, input={"projectId": project_id, "kind": "render"}
    )

    assert data["createJob"]["status"] == "QUEUED"
    assert (await project_jobs(api, user, project_id))["totalCount"] == 1


async def test_create_job_without_the_jobs_scope_is_forbidden_and_creates_nothing(
    api: Api,
) -> None:
    user, project_id = await owner_with_project(api)
    key = (await api.gql(CREATE_API_KEY, user.token, name="editor", scopes=["read", "write"]))[
        "createApiKey"
    ]["key"]

    body = await api.post(CREATE_JOB, key, input={"projectId": project_id, "kind": "render"})

    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert error["path"] == ["createJob"]
    assert await project_jobs(api, user, project_id) == {
        "totalCount": 0,
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "edges": [],
    }


async def test_job_mutations_without_the_jobs_scope_are_forbidden(api: Api) -> None:
    user, project_id = await owner_with_project(api)
    job = await claimed(api, user, project_id)
    key = (await api.gql(CREATE_API_KEY, user.token, name="editor", scopes=["read", "write"]))[
        "createApiKey"
    ]["key"]

    for document, variables in [
        (CLAIM_JOB, {"kinds": ["render"]}),
        (REPORT_JOB_PROGRESS, {"id": job["id"], "progress": 50}),
        (COMPLETE_JOB, {"id": job["id"]}),
        (FAIL_JOB, {"id": job["id"], "error": "No."}),
    ]:
        error = await api.gql_error(document, key, **variables)
        assert error["extensions"]["code"] == "FORBIDDEN", (document, error)

    assert (await job_state(api, user, job["id"]))["seq"] == 2


@pytest.mark.parametrize(
    "kind",
    ["", "Render", "1render", "_render", "render job", "render/job", "r" * 101, "rendér"],
)
async def test_create_job_refuses_a_malformed_kind(api: Api, kind: str) -> None:
    user, project_id = await owner_with_project(api)

    error = await api.gql_error(
        CREATE_JOB, user.token, input={"projectId": project_id, "kind": kind}
    )

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "kind"
    assert (await project_jobs(api, user, project_id))["totalCount"] == 0


@pytest.mark.parametrize("kind", ["r", "r" * 100, "voice.over:v2-final_1"])
async def test_create_job_accepts_a_well_formed_kind(api: Api, kind: str) -> None:
    user, project_id = await owner_with_project(api)

    job = await create_job(api, user, project_id, kind)

    assert job["kind"] == kind


async def test_create_job_refuses_the_built_in_generate_storyboard_kind(api: Api) -> None:
    user, project_id = await owner_with_project(api)

    error = await api.gql_error(
        CREATE_JOB, user.token, input={"projectId": project_id, "kind": "generate_storyboard"}
    )

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "kind"
    assert (await project_jobs(api, user, project_id))["totalCount"] == 0


@pytest.mark.parametrize("max_attempts", [0, 21, -1])
async def test_create_job_refuses_max_attempts_out_of_range(api: Api, max_attempts: int) -> None:
    user, project_id = await owner_with_project(api)

    error = await api.gql_error(
        CREATE_JOB,
        user.token,
        input={"projectId": project_id, "kind": "render", "maxAttempts": max_attempts},
    )

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "maxAttempts"
    assert (await project_jobs(api, user, project_id))["totalCount"] == 0


async def test_create_job_with_a_storyboard_of_another_project_is_not_found(api: Api) -> None:
    user, project_id = await owner_with_project(api)
    other_project = await create_project(api, user, title="Other")
    foreign_storyboard = await create_storyboard(api, user, other_project)

    error = await api.gql_error(
        CREATE_JOB,
        user.token,
        input={"projectId": project_id, "kind": "render", "storyboardId": foreign_storyboard},
    )

    assert error["extensions"]["code"] == "NOT_FOUND"
    assert (await project_jobs(api, user, project_id))["totalCount"] == 0
    assert (await project_jobs(api, user, other_project))["totalCount"] == 0


async def test_create_job_with_another_users_storyboard_is_not_found(api: Api) -> None:
    user, project_id = await owner_with_project(api)
    other, other_project = await owner_with_project(api)
    foreign_storyboard = await create_storyboard(api, other, other_project)

    error = await api.gql_error(
        CREATE_JOB,
        user.token,
        input={"projectId": project_id, "kind": "render", "storyboardId": foreign_storyboard},
    )

    assert error["extensions"]["code"] == "NOT_FOUND"
    assert (await project_jobs(api, user, project_id))["totalCount"] == 0
    assert (await project_jobs(api, other, other_project))["totalCount"] == 0


async def test_create_job_on_an_unknown_project_is_not_found(api: Api) -> None:
    user, project_id = await owner_with_project(api)

    error = await api.gql_error(
        CREATE_JOB, user.token, input={"projectId": str(uuid.uuid4()), "kind": "render"}
    )

    assert error["extensions"]["code"] == "NOT_FOUND"
    assert (await project_jobs(api, user, project_id))["totalCount"] == 0


# --- claimJob ---------------------------------------------------------------------------------


async def test_claim_job_leases_the_oldest_queued_job_of_the_given_kinds(api: Api) -> None:
    user, project_id = await owner_with_project(api)
    voice = await create_job(api, user, project_id, "voice")
    created = [(await create_job(api, user, project_id, "render"))["id"] for _ in range(3)]

    claims = [await claim(api, user, ["render", "subtitles"], lease_seconds=120) for _ in range(3)]
    fourth = await claim(api, user, ["render", "subtitles"])

    assert [job["id"] for job in claims if job] == created
    for job in claims:
        assert job is not None
        assert (job["status"], job["attempts"], job["seq"], job["stage"]) == (
            "RUNNING",
            1,
            2,
            "claimed",
        )
        assert job["message"] == "Attempt 1 of 3 started."
        assert is_utc(job["startedAt"])
        assert job["finishedAt"] is None
    assert fourth is None
    state = await job_state(api, user, created[0])
    assert statuses(state) == [(1, "QUEUED"), (2, "RUNNING")]
    assert (await job_state(api, user, voice["id"]))["status"] == "QUEUED"
    running = await project_jobs(api, user, project_id, status="RUNNING")
    assert running["totalCount"] == 3


async def test_claim_job_of_an_unknown_kind_returns_null(api: Api) -> None:
    user, project_id = await owner_with_project(api)
    job = await create_job(api, user, project_id, "render")

    assert await claim(api, user, ["voice"]) is None

    assert (await job_state(api, user, job["id"]))["seq"] == 1


async def test_claim_job_refuses_the_built_in_kind(api: Api) -> None:
    user, project_id = await owner_with_project(api)
    job = await create_job(api, user, project_id, "render")

    error = await api.gql_error(
        CLAIM_JOB, user.token, kinds=["render", "generate_storyboard"], leaseSeconds=60
    )

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "kinds"
    assert statuses(await job_state(api, user, job["id"])) == [(1, "QUEUED")]


@pytest.mark.parametrize("kinds", [[], ["Render"], ["render"] * 21])
async def test_claim_job_refuses_a_bad_list_of_kinds(api: Api, kinds: list[str]) -> None:
    user, project_id = await owner_with_project(api)
    job = await create_job(api, user, project_id, "render")

    error = await api.gql_error(CLAIM_JOB, user.token, kinds=kinds, leaseSeconds=60)

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "kinds"
    assert statuses(await job_state(api, user, job["id"])) == [(1, "QUEUED")]


@pytest.mark.parametrize("lease_seconds", [4, 3601, 0, -60])
async def test_claim_job_refuses_a_lease_out_of_range(api: Api, lease_seconds: int) -> None:
    user, project_id = await owner_with_project(api)
    job = await create_job(api, user, project_id, "render")

    error = await api.gql_error(CLAIM_JOB, user.token, kinds=["render"], leaseSeconds=lease_seconds)

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "leaseSeconds"
    state = await job_state(api, user, job["id"])
    assert (state["status"], state["attempts"], state["seq"]) == ("QUEUED", 0, 1)


@pytest.mark.parametrize("lease_seconds", [5, 3600])
async def test_claim_job_accepts_a_lease_at_the_limits(api: Api, lease_seconds: int) -> None:
    user, project_id = await owner_with_project(api)
    await create_job(api, user, project_id, "render")

    job = await claim(api, user, ["render"], lease_seconds=lease_seconds)

    assert job is not None
    assert job["status"] == "RUNNING"


# --- reportJobProgress ------------------------------------------------------------------------


async def test_each_progress_report_appends_one_event(api: Api) -> None:
    user, project_id = await owner_with_project(api)
    job = await claimed(api, user, project_id)

    first = await api.gql(
        REPORT_JOB_PROGRESS,
        user.token,
        id=job["id"],
        progress=10,
        stage="uploading",
        message="Uploading sources.",
    )
    same = await api.gql(REPORT_JOB_PROGRESS, user.token, id=job["id"], progress=10)
    later = await api.gql(
        REPORT_JOB_PROGRESS, user.token, id=job["id"], progress=55, message="Half way."
    )

    report = first["reportJobProgress"]
    assert (report["seq"], report["progress"], report["stage"], report["message"]) == (
        3,
        10,
        "uploading",
        "Uploading sources.",
    )
    assert (same["reportJobProgress"]["seq"], same["reportJobProgress"]["progress"]) == (4, 10)
    report = later["reportJobProgress"]
    # A report without a stage keeps the current one.
    assert (report["seq"], report["progress"], report["stage"], report["status"]) == (
        5,
        55,
        "uploading",
        "RUNNING",
    )
    state = await job_state(api, user, job["id"])
    assert [
        (e["seq"], e["status"], e["stage"], e["progress"], e["message"]) for e in state["events"]
    ] == [
        (1, "QUEUED", "queued", 0, None),
        (2, "RUNNING", "claimed", 0, f"Attempt 1 of {job['maxAttempts']} started."),
        (3, "RUNNING", "uploading", 10, "Uploading sources."),
        (4, "RUNNING", "uploading", 10, None),
        (5, "RUNNING", "uploading", 55, "Half way."),
    ]
    assert {e["jobId"] for e in state["events"]} == {job["id"]}
    assert all(is_utc(e["at"]) for e in state["events"])


async def test_progress_never_goes_down(api: Api) -> None:
    user, project_id = await owner_with_project(api)
    job = await claimed(api, user, project_id)
    await api.gql(REPORT_JOB_PROGRESS, user.token, id=job["id"], progress=50, stage="encoding")
    before = await job_state(api, user, job["id"])

    error = await api.gql_error(
        REPORT_JOB_PROGRESS, user.token, id=job["id"], progress=49, stage="rewind"
    )

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "progress"
    assert await job_state(api, user, job["id"]) == before
    assert (before["seq"], before["progress"], before["stage"]) == (3, 50, "encoding")


@pytest.mark.parametrize("progress", [101, -1])
async def test_progress_outside_0_to_100_is_refused(api: Api, progress: int) -> None:
    user, project_id = await owner_with_project(api)
    job = await claimed(api, user, project_id)
    before = await job_state(api, user, job["id"])

    error = await api.gql_error(REPORT_JOB_PROGRESS, user.token, id=job["id"], progress=progress)

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "progress"
    assert await job_state(api, user, job["id"]) == before


async def test_progress_of_a_queued_job_is_a_conflict(api: Api) -> None:
    user, project_id = await owner_with_project(api)
    job = await create_job(api, user, project_id)
    before = await job_state(api, user, job["id"])

    error = await api.gql_error(REPORT_JOB_PROGRESS, user.token, id=job["id"], progress=10)

    assert error["extensions"]["code"] == "CONFLICT"
    assert await job_state(api, user, job["id"]) == before


@pytest.mark.parametrize(("document", "extra"), [(COMPLETE_JOB, {}), (FAIL_JOB, {"error": "x"})])
async def test_completing_or_failing_a_queued_job_is_a_conflict(
    api: Api, document: str, extra: dict[str, Any]
) -> None:
    user, project_id = await owner_with_project(api)
    job = await create_job(api, user, project_id)
    before = await job_state(api, user, job["id"])

    error = await api.gql_error(document, user.token, id=job["id"], **extra)

    assert error["extensions"]["code"] == "CONFLICT"
    assert await job_state(api, user, job["id"]) == before


async def test_job_mutations_on_an_unknown_job_are_not_found(api: Api) -> None:
    user = await sign_up(api)
    ghost = str(uuid.uuid4())

    for document, variables in CHANGES:
        error = await api.gql_error(document, user.token, id=ghost, **variables)
        assert error["extensions"]["code"] == "NOT_FOUND", (document, error)


# --- completeJob, failJob, cancelJob ----------------------------------------------------------


async def test_complete_job_stores_the_result_and_succeeds(api: Api) -> None:
    user, project_id = await owner_with_project(api)
    job = await claimed(api, user, project_id)
    await api.gql(REPORT_JOB_PROGRESS, user.token, id=job["id"], progress=80, stage="encoding")

    data = await api.gql(
        COMPLETE_JOB, user.token, id=job["id"], result={"url": "https://cdn.example/v.mp4"}
    )

    done = data["completeJob"]
    assert (done["status"], done["progress"], done["seq"], done["attempts"]) == (
        "SUCCEEDED",
        100,
        4,
        1,
    )
    assert done["result"] == {"url": "https://cdn.example/v.mp4"}
    assert done["error"] is None
    assert is_utc(done["finishedAt"])
    assert datetime.fromisoformat(done["finishedAt"]) >= datetime.fromisoformat(done["startedAt"])
    state = await job_state(api, user, job["id"])
    assert {k: v for k, v in state.items() if k != "events"} == done
    assert statuses(state) == [(1, "QUEUED"), (2, "RUNNING"), (3, "RUNNING"), (4, "SUCCEEDED")]
    assert state["events"][-1]["progress"] == 100


@pytest.mark.parametrize("ending", ["complete", "fail", "fail-retry-exhausted", "cancel"])
async def test_a_terminal_job_accepts_no_more_changes(api: Api, ending: str) -> None:
    user, project_id = await owner_with_project(api)
    job = await claimed(api, user, project_id, maxAttempts=1)
    if ending == "complete":
        await api.gql(COMPLETE_JOB, user.token, id=job["id"], result={"ok": True})
    elif ending == "fail":
        await api.gql(FAIL_JOB, user.token, id=job["id"], error="Broken.")
    elif ending == "fail-retry-exhausted":
        await api.gql(FAIL_JOB, user.token, id=job["id"], error="Broken.", retry=True)
    else:
        await api.gql(CANCEL_JOB, user.token, id=job["id"])
    before = await job_state(api, user, job["id"])
    assert before["status"] in {"SUCCEEDED", "FAILED", "CANCELLED"}
    assert before["seq"] == 3

    for document, variables in CHANGES:
        error = await api.gql_error(document, user.token, id=job["id"], **variables)
        assert error["extensions"]["code"] == "CONFLICT", (document, error)

    assert await job_state(api, user, job["id"]) == before


async def test_fail_job_with_retry_requeues_until_the_attempts_run_out(api: Api) -> None:
    user, project_id = await owner_with_project(api)
    created = await create_job(api, user, project_id, "render", maxAttempts=2)

    first = await claim(api, user)
    retried = (
        await api.gql(FAIL_JOB, user.token, id=created["id"], error="GPU lost.", retry=True)
    )["failJob"]
    second = await claim(api, user)
    failed = (
        await api.gql(FAIL_JOB, user.token, id=created["id"], error="GPU lost again.", retry=True)
    )["failJob"]

    assert first is not None
    assert second is not None
    assert first["id"] == second["id"] == created["id"]
    assert (first["attempts"], first["seq"]) == (1, 2)
    assert (retried["status"], retried["attempts"], retried["seq"]) == ("QUEUED", 1, 3)
    assert (retried["error"], retried["stage"], retried["finishedAt"]) == (
        "GPU lost.",
        "queued",
        None,
    )
    assert (second["status"], second["attempts"], second["seq"]) == ("RUNNING", 2, 4)
    assert (failed["status"], failed["attempts"], failed["seq"]) == ("FAILED", 2, 5)
    assert failed["error"] == "GPU lost again."
    assert is_utc(failed["finishedAt"])
    assert await claim(api, user) is None
    state = await job_state(api, user, created["id"])
    assert statuses(state) == [
        (1, "QUEUED"),
        (2, "RUNNING"),
        (3, "QUEUED"),
        (4, "RUNNING"),
        (5, "FAILED"),
    ]


async def test_fail_job_without_retry_fails_at_once(api: Api) -> None:
    user, project_id = await owner_with_project(api)
    job = await claimed(api, user, project_id, maxAttempts=3)

    failed = (await api.gql(FAIL_JOB, user.token, id=job["id"], error="Bad input file."))["failJob"]

    assert (failed["status"], failed["attempts"], failed["seq"], failed["error"]) == (
        "FAILED",
        1,
        3,
        "Bad input file.",
    )
    assert is_utc(failed["finishedAt"])
    assert await claim(api, user, [job["kind"]]) is None


@pytest.mark.parametrize("error_text", ["", "e" * 10_001])
async def test_fail_job_refuses_an_error_text_out_of_range(api: Api, error_text: str) -> None:
    user, project_id = await owner_with_project(api)
    job = await claimed(api, user, project_id)
    before = await job_state(api, user, job["id"])

    error = await api.gql_error(FAIL_JOB, user.token, id=job["id"], error=error_text)

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "error"
    assert await job_state(api, user, job["id"]) == before


async def test_cancel_a_queued_job(api: Api) -> None:
    user, project_id = await owner_with_project(api)
    job = await create_job(api, user, project_id, "render")

    cancelled = (await api.gql(CANCEL_JOB, user.token, id=job["id"]))["cancelJob"]

    assert (cancelled["status"], cancelled["seq"], cancelled["attempts"]) == ("CANCELLED", 2, 0)
    assert is_utc(cancelled["finishedAt"])
    assert await claim(api, user) is None
    state = await job_state(api, user, job["id"])
    assert statuses(state) == [(1, "QUEUED"), (2, "CANCELLED")]


async def test_cancel_a_running_job_stops_its_progress_reports(api: Api) -> None:
    user, project_id = await owner_with_project(api)
    job = await claimed(api, user, project_id)
    await api.gql(REPORT_JOB_PROGRESS, user.token, id=job["id"], progress=30)

    cancelled = (await api.gql(CANCEL_JOB, user.token, id=job["id"]))["cancelJob"]
    error = await api.gql_error(REPORT_JOB_PROGRESS, user.token, id=job["id"], progress=40)

    assert error["extensions"]["code"] == "CONFLICT"
    assert (cancelled["status"], cancelled["seq"], cancelled["progress"]) == ("CANCELLED", 4, 30)
    state = await job_state(api, user, job["id"])
    assert statuses(state) == [(1, "QUEUED"), (2, "RUNNING"), (3, "RUNNING"), (4, "CANCELLED")]


@pytest.mark.parametrize("scope", ["write", "jobs"])
async def test_an_api_key_with_the_write_or_the_jobs_scope_alone_may_cancel(
    api: Api, scope: str
) -> None:
    """schema.graphql: cancelJob needs "scope `write` or `jobs`" (either one suffices)."""
    user, project_id = await owner_with_project(api)
    job = await create_job(api, user, project_id)
    key = (await api.gql(CREATE_API_KEY, user.token, name="editor", scopes=[scope]))[
        "createApiKey"
    ]["key"]

    data = await api.gql(CANCEL_JOB_AS_WORKER, key, id=job["id"])

    assert data["cancelJob"]["status"] == "CANCELLED"


async def test_an_api_key_with_only_the_read_scope_may_not_cancel(api: Api) -> None:
    user, project_id = await owner_with_project(api)
    job = await create_job(api, user, project_id)
    key = (await api.gql(CREATE_API_KEY, user.token, name="viewer", scopes=["read"]))[
        "createApiKey"
    ]["key"]

    error = await api.gql_error(CANCEL_JOB, key, id=job["id"])

    assert error["extensions"]["code"] == "FORBIDDEN"
    assert statuses(await job_state(api, user, job["id"])) == [(1, "QUEUED")]


# --- reading jobs -----------------------------------------------------------------------------


async def test_events_after_seq_are_exactly_the_later_ones(api: Api) -> None:
    user, project_id = await owner_with_project(api)
    job = await claimed(api, user, project_id)
    for progress in (20, 60):
        await api.gql(REPORT_JOB_PROGRESS, user.token, id=job["id"], progress=progress)
    await api.gql(COMPLETE_JOB, user.token, id=job["id"])

    data = await api.gql(JOB_EVENTS_AFTER, user.token, id=job["id"])

    assert data["job"] == {
        "seq": 5,
        "all": [{"seq": 1}, {"seq": 2}, {"seq": 3}, {"seq": 4}, {"seq": 5}],
        "fromZero": [{"seq": 1}, {"seq": 2}, {"seq": 3}, {"seq": 4}, {"seq": 5}],
        "afterTwo": [
            {"seq": 3, "status": "RUNNING", "progress": 20},
            {"seq": 4, "status": "RUNNING", "progress": 60},
            {"seq": 5, "status": "SUCCEEDED", "progress": 100},
        ],
        "afterFour": [{"seq": 5}],
        "afterLast": [],
        "beyond": [],
    }


async def test_project_jobs_are_newest_first_filtered_and_paginated(api: Api) -> None:
    user, project_id = await owner_with_project(api)
    other_project = await create_project(api, user, title="Other")
    await create_job(api, user, other_project)
    created = [(await create_job(api, user, project_id, f"kind-{i}"))["id"] for i in range(5)]
    running = await claim(api, user, ["kind-1"])
    assert running is not None
    newest_first = list(reversed(created))

    first = await project_jobs(api, user, project_id, first=2)
    second = await project_jobs(
        api, user, project_id, first=2, after=first["pageInfo"]["endCursor"]
    )
    last = await project_jobs(api, user, project_id, first=2, after=second["pageInfo"]["endCursor"])
    queued = await project_jobs(api, user, project_id, status="QUEUED")
    only_running = await project_jobs(api, user, project_id, status="RUNNING")
    none_failed = await project_jobs(api, user, project_id, status="FAILED")

    pages = [first, second, last]
    assert [[e["node"]["id"] for e in page["edges"]] for page in pages] == [
        newest_first[0:2],
        newest_first[2:4],
        newest_first[4:5],
    ]
    assert [page["totalCount"] for page in pages] == [5, 5, 5]
    assert [page["pageInfo"]["hasNextPage"] for page in pages] == [True, True, False]
    assert [page["pageInfo"]["endCursor"] for page in pages] == [
        page["edges"][-1]["cursor"] for page in pages
    ]
    assert [e["node"]["id"] for e in queued["edges"]] == [
        i for i in newest_first if i != running["id"]
    ]
    assert queued["totalCount"] == 4
    assert [e["node"] for e in only_running["edges"]] == [
        {"id": running["id"], "kind": "kind-1", "status": "RUNNING"}
    ]
    assert only_running["totalCount"] == 1
    assert none_failed == {
        "totalCount": 0,
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "edges": [],
    }


@pytest.mark.parametrize("first", [0, 101])
async def test_project_jobs_refuse_a_page_size_out_of_range(api: Api, first: int) -> None:
    user, project_id = await owner_with_project(api)

    error = await api.gql_error(PROJECT_JOBS, user.token, id=project_id, first=first)

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "first"


async def test_another_users_job_is_null(api: Api) -> None:
    owner, project_id = await owner_with_project(api)
    job = await create_job(api, owner, project_id)
    stranger = await sign_up(api)

    body = await api.post(JOB, stranger.token, id=job["id"])

    assert body == {"data": {"job": None}}
    assert (await job_state(api, owner, job["id"]))["id"] == job["id"]


async def test_another_users_claim_never_gets_the_job(api: Api) -> None:
    owner, project_id = await owner_with_project(api)
    job = await create_job(api, owner, project_id, "render")
    stranger = await sign_up(api)

    assert await claim(api, stranger, ["render"]) is None

    assert statuses(await job_state(api, owner, job["id"])) == [(1, "QUEUED")]


async def test_jobs_need_authentication(api: Api) -> None:
    owner, project_id = await owner_with_project(api)
    job = await create_job(api, owner, project_id)

    for document, variables in [
        (JOB, {"id": job["id"]}),
        (CREATE_JOB, {"input": {"projectId": project_id, "kind": "render"}}),
        (CLAIM_JOB, {"kinds": ["render"]}),
        *((document, {"id": job["id"], **extra}) for document, extra in CHANGES),
    ]:
        error = await api.gql_error(document, None, **variables)
        assert error["extensions"]["code"] == "UNAUTHENTICATED", (document, error)

    assert statuses(await job_state(api, owner, job["id"])) == [(1, "QUEUED")]
    assert (await project_jobs(api, owner, project_id))["totalCount"] == 1


# --- leases -----------------------------------------------------------------------------------


async def expire_lease(job_id: str) -> None:
    past = datetime.now(UTC) - timedelta(seconds=1)
    assert await Job.filter(id=job_id).update(lease_expires_at=past) == 1


async def test_an_expired_lease_requeues_the_job_then_fails_it_at_max_attempts(api: Api) -> None:
    user, project_id = await owner_with_project(api)
    job = await create_job(api, user, project_id, "render", maxAttempts=2)
    broker = MemoryBroker()
    policy = RetryPolicy(base_seconds=0)

    first = await claim(api, user, lease_seconds=5)
    assert first is not None
    assert await reap_expired_leases(broker, policy) == 0  # the lease still runs
    await expire_lease(job["id"])
    assert await reap_expired_leases(broker, policy) == 1
    requeued = await job_state(api, user, job["id"])
    second = await claim(api, user, lease_seconds=5)
    assert second is not None
    await expire_lease(job["id"])
    assert await reap_expired_leases(broker, policy) == 1
    failed = await job_state(api, user, job["id"])

    assert (requeued["status"], requeued["attempts"], requeued["seq"]) == ("QUEUED", 1, 3)
    assert (requeued["stage"], requeued["finishedAt"]) == ("queued", None)
    assert requeued["events"][-1]["message"] == "Lease expired; back in the queue."
    assert (second["id"], second["attempts"], second["seq"]) == (job["id"], 2, 4)
    assert (failed["status"], failed["attempts"], failed["seq"]) == ("FAILED", 2, 5)
    assert failed["error"] == "The lease expired on the last attempt."
    assert is_utc(failed["finishedAt"])
    assert statuses(failed) == [
        (1, "QUEUED"),
        (2, "RUNNING"),
        (3, "QUEUED"),
        (4, "RUNNING"),
        (5, "FAILED"),
    ]
    assert await claim(api, user) is None
    assert await reap_expired_leases(broker, policy) == 0


async def test_a_progress_report_extends_the_lease(api: Api) -> None:
    user, project_id = await owner_with_project(api)
    job = await claimed(api, user, project_id)
    await expire_lease(job["id"])

    await api.gql(REPORT_JOB_PROGRESS, user.token, id=job["id"], progress=5)

    assert await reap_expired_leases(MemoryBroker(), RetryPolicy(base_seconds=0)) == 0
    state = await job_state(api, user, job["id"])
    assert (state["status"], state["attempts"], state["seq"]) == ("RUNNING", 1, 3)
    row = await Job.get(id=job["id"])
    assert row.lease_expires_at is not None
    assert row.lease_expires_at > datetime.now(UTC) + timedelta(seconds=50)


async def test_a_cancelled_job_is_not_reaped(api: Api) -> None:
    user, project_id = await owner_with_project(api)
    job = await claimed(api, user, project_id)
    await api.gql(CANCEL_JOB, user.token, id=job["id"])
    before = await job_state(api, user, job["id"])

    await expire_lease(job["id"])
    assert await reap_expired_leases(MemoryBroker(), RetryPolicy(base_seconds=0)) == 0

    assert await job_state(api, user, job["id"]) == before


# --- concurrency and backoff ------------------------------------------------------------------


async def test_concurrent_claims_never_get_the_same_job(api: Api) -> None:
    user, project_id = await owner_with_project(api)
    created = {(await create_job(api, user, project_id, "render"))["id"] for _ in range(4)}

    results = await asyncio.gather(*(claim(api, user, ["render"]) for _ in range(10)))

    claimed_ids = [job["id"] for job in results if job is not None]
    assert sorted(claimed_ids) == sorted(created)
    assert results.count(None) == 6
    for job_id in created:
        assert statuses(await job_state(api, user, job_id)) == [(1, "QUEUED"), (2, "RUNNING")]


async def test_concurrent_reports_keep_the_event_sequence_contiguous(api: Api) -> None:
    user, project_id = await owner_with_project(api)
    job = await claimed(api, user, project_id)

    reports = await asyncio.gather(
        *(
            api.gql(REPORT_JOB_PROGRESS, user.token, id=job["id"], progress=50, message=f"#{i}")
            for i in range(10)
        )
    )

    assert sorted(r["reportJobProgress"]["seq"] for r in reports) == list(range(3, 13))
    state = await job_state(api, user, job["id"])
    assert state["seq"] == 12
    assert [e["seq"] for e in state["events"]] == list(range(1, 13))
    assert sorted(e["message"] for e in state["events"][2:]) == sorted(f"#{i}" for i in range(10))


async def test_complete_and_cancel_racing_end_the_job_exactly_once(api: Api) -> None:
    user, project_id = await owner_with_project(api)
    job = await claimed(api, user, project_id)

    bodies = await asyncio.gather(
        api.post(COMPLETE_JOB, user.token, id=job["id"], result={"ok": True}),
        api.post(CANCEL_JOB, user.token, id=job["id"]),
    )

    won = [body for body in bodies if "errors" not in body]
    lost = [body for body in bodies if "errors" in body]
    assert len(won) == 1
    assert [body["errors"][0]["extensions"]["code"] for body in lost] == ["CONFLICT"]
    winner = next(iter(won[0]["data"].values()))
    state = await job_state(api, user, job["id"])
    assert (state["status"], state["seq"]) == (winner["status"], 3)
    assert statuses(state) == [(1, "QUEUED"), (2, "RUNNING"), (3, winner["status"])]


async def test_a_retried_job_waits_out_its_backoff(make_api: MakeApi) -> None:
    async with make_api(job_retry_base_seconds=60) as api:
        user, project_id = await owner_with_project(api)
        job = await create_job(api, user, project_id, "render", maxAttempts=3)
        assert await claim(api, user) is not None

        retried = (await api.gql(FAIL_JOB, user.token, id=job["id"], error="Busy.", retry=True))[
            "failJob"
        ]
        too_soon = await claim(api, user)
        await Job.filter(id=job["id"]).update(run_after=datetime.now(UTC) - timedelta(seconds=1))
        later = await claim(api, user)

    assert (retried["status"], retried["attempts"]) == ("QUEUED", 1)
    assert too_soon is None
    assert later is not None
    assert (later["id"], later["attempts"], later["seq"]) == (job["id"], 2, 4)


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"stage": "s" * 201}, "stage"), ({"message": "m" * 2001}, "message")],
    ids=["stage", "message"],
)
async def test_progress_reports_refuse_an_overlong_stage_or_message(
    api: Api, extra: dict[str, Any], field: str
) -> None:
    user, project_id = await owner_with_project(api)
    job = await claimed(api, user, project_id)
    before = await job_state(api, user, job["id"])

    error = await api.gql_error(REPORT_JOB_PROGRESS, user.token, id=job["id"], progress=10, **extra)

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == field
    assert await job_state(api, user, job["id"]) == before
