"""Live progress end to end: real uvicorn processes, real WebSockets, both sub-protocols.

Checked against API.md (Subscription, job behaviour, WebSocket auth) and ARCHITECTURE.md
("Live progress"): a stream starts with the current state (or the stored events after
`afterSeq`), then follows the broker; every event arrives once, in seq order, and the stream
completes after the terminal event. Partner jobs (kind `render`) are driven by the test itself
over HTTP, so it decides when each event happens.
"""

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from redis.asyncio import Redis
from websockets.exceptions import ConnectionClosed

from tests.conftest import POSTGRES, SECRET
from tests.helpers import Api, User, add_scene, create_project, create_storyboard, sign_up
from tests.live.clients import (
    LEGACY_WS,
    PROTOCOLS,
    TRANSPORT_WS,
    Frame,
    Protocol,
    Rejected,
    WsClient,
    ws_client,
)
from tests.live.conftest import Server, http_api, start_server, stop

JOB_PROGRESS = """
subscription JobProgress($jobId: ID!, $afterSeq: Int) {
  jobProgress(jobId: $jobId, afterSeq: $afterSeq) { jobId seq status stage progress message at }
}
"""
PROJECT_PROGRESS = """
subscription ProjectProgress($projectId: ID!) {
  projectProgress(projectId: $projectId) { totalTasks completedTasks ratio }
}
"""
GENERATE_STORYBOARD = """
mutation GenerateStoryboard($input: GenerateStoryboardInput!) {
  generateStoryboard(input: $input) { id seq status storyboard { id status } }
}
"""
CREATE_JOB = """
mutation CreateJob($input: CreateJobInput!) { createJob(input: $input) { id seq status } }
"""
CLAIM_JOB = """
mutation ClaimJob($kinds: [String!]!) { claimJob(kinds: $kinds) { id seq status } }
"""
REPORT_JOB_PROGRESS = """
mutation ReportJobProgress($id: ID!, $progress: Int!, $stage: String, $message: String) {
  reportJobProgress(id: $id, progress: $progress, stage: $stage, message: $message) {
    seq status progress
  }
}
"""
COMPLETE_JOB = """
mutation CompleteJob($id: ID!, $result: JSON) {
  completeJob(id: $id, result: $result) { seq status }
}
"""
JOB = """
query Job($id: ID!) {
  job(id: $id) {
    id seq status stage progress message
    events { jobId seq status stage progress message at }
  }
}
"""
STORYBOARD = """
query Storyboard($id: ID!) {
  storyboard(id: $id) {
    status totalScenes totalDuration
    scenes { sceneNumber duration tasks { taskType completed } }
  }
}
"""
SET_TASK_COMPLETED = """
mutation SetTaskCompleted($sceneId: ID!, $taskType: TaskType!, $completed: Boolean!) {
  setTaskCompleted(sceneId: $sceneId, taskType: $taskType, completed: $completed) {
    taskType completed
  }
}
"""
TASK_TYPES = ["SCRIPT_WRITTEN", "SCENE_FILMED", "AUDIO_RECORDED", "EDITED"]
TERMINAL = {"SUCCEEDED", "FAILED", "CANCELLED"}
EVENT_FIELDS = ("jobId", "seq", "status", "stage", "progress", "message")


# --- driving a partner job over HTTP ----------------------------------------------------------


async def claimed_job(api: Api, user: User, project_id: str) -> str:
    """A `render` job created and claimed by `user` (a session token has the jobs scope):
    RUNNING, progress 0, seq 2 (created, claimed)."""
    created = await api.gql(
        CREATE_JOB, user.token, input={"projectId": project_id, "kind": "render"}
    )
    job_id: str = created["createJob"]["id"]
    assert created["createJob"]["seq"] == 1
    claimed = await api.gql(CLAIM_JOB, user.token, kinds=["render"])
    assert claimed["claimJob"] == {"id": job_id, "seq": 2, "status": "RUNNING"}
    return job_id


async def report(api: Api, user: User, job_id: str, progress: int) -> int:
    """Report progress; returns the seq of the event it made."""
    data = await api.gql(
        REPORT_JOB_PROGRESS,
        user.token,
        id=job_id,
        progress=progress,
        stage=f"rendering-{progress}",
        message=f"{progress}% rendered.",
    )
    seq: int = data["reportJobProgress"]["seq"]
    return seq


async def complete(api: Api, user: User, job_id: str) -> int:
    data = await api.gql(COMPLETE_JOB, user.token, id=job_id, result={"frames": 42})
    assert data["completeJob"]["status"] == "SUCCEEDED"
    seq: int = data["completeJob"]["seq"]
    return seq


async def job_state(api: Api, user: User, job_id: str) -> dict[str, Any]:
    data = await api.gql(JOB, user.token, id=job_id)
    job: dict[str, Any] = data["job"]
    return job


# --- what a stream must look like --------------------------------------------------------------


def seqs(events: list[dict[str, Any]]) -> list[int]:
    return [event["seq"] for event in events]


def comparable(event: dict[str, Any]) -> dict[str, Any]:
    """An event with `at` as a datetime, so that equal instants compare equal."""
    return {**{k: event[k] for k in EVENT_FIELDS}, "at": datetime.fromisoformat(event["at"])}


def assert_stream(events: list[dict[str, Any]], job_id: str, first_seq: int, last_seq: int) -> None:
    """Exactly seq first..last, in order, once each, progress never down, terminal only last."""
    assert seqs(events) == list(range(first_seq, last_seq + 1)), seqs(events)
    assert {event["jobId"] for event in events} == {job_id}
    progress = [event["progress"] for event in events]
    assert progress == sorted(progress), progress
    assert [event["status"] for event in events[:-1] if event["status"] in TERMINAL] == []


def assert_stored(events: list[dict[str, Any]], stored: list[dict[str, Any]]) -> None:
    """Each streamed event is exactly the stored event with its seq."""
    by_seq = {event["seq"]: comparable(event) for event in stored}
    for event in events:
        assert comparable(event) == by_seq[event["seq"]], (event, by_seq.get(event["seq"]))


def assert_snapshot(event: dict[str, Any], job: dict[str, Any]) -> None:
    """Without afterSeq the first event is the job's current state."""
    expected = {k: job[k] for k in ("seq", "status", "stage", "progress", "message")}
    assert {k: event[k] for k in expected} == expected
    assert event["jobId"] == job["id"]


def progress_value(total: int, completed: int) -> dict[str, Any]:
    ratio = completed / total if total else 0.0
    return {"totalTasks": total, "completedTasks": completed, "ratio": ratio}


async def expect_error(client: WsClient, query: str, **variables: Any) -> dict[str, Any]:
    """Run a subscription that must fail before any data: returns its one error."""
    op_id = await client.subscribe(query, **variables)
    frame = await client.frame()
    assert frame.id == op_id
    if frame.type == "next":
        assert frame.payload.get("data") is None, frame
        assert await client.frame() == Frame("complete", op_id), client.received
    else:
        assert frame.type == "error", frame
    assert len(frame.errors) == 1, frame
    return frame.errors[0]


async def eventually(check: Callable[[], Awaitable[bool]], what: str, within: float = 5) -> None:
    deadline = time.monotonic() + within
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within} s: {what}")
        await asyncio.sleep(0.05)


# --- 1. a generation, watched live -------------------------------------------------------------


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=str)
async def test_generate_and_watch(server_a: Server, api_a: Api, protocol: Protocol) -> None:
    user = await sign_up(api_a)
    project_id = await create_project(api_a, user)
    async with (
        ws_client(server_a.url, protocol, user.token) as live,
        ws_client(server_a.url, protocol, user.token) as replay,
        ws_client(server_a.url, protocol, user.token) as tasks,
    ):
        await tasks.subscribe(PROJECT_PROGRESS, projectId=project_id)
        assert await tasks.next_value("projectProgress") == progress_value(0, 0)
        data = await api_a.gql(
            GENERATE_STORYBOARD,
            user.token,
            input={
                "projectId": project_id,
                "title": "Launch teaser",
                "brief": "A product launch. Show the problem, the fix, and a call to action.",
                "sceneCount": 6,
                "targetDuration": 30,
            },
        )
        job = data["generateStoryboard"]
        assert (job["seq"], job["status"]) == (1, "QUEUED")
        await live.subscribe(JOB_PROGRESS, jobId=job["id"])
        await replay.subscribe(JOB_PROGRESS, jobId=job["id"], afterSeq=0)
        watched = await live.values_until_complete("jobProgress")
        replayed = await replay.values_until_complete("jobProgress")
        # The generation created 6 scenes of 4 tasks below the project: one new value.
        assert await tasks.next_value("projectProgress") == progress_value(24, 0)

    # Live: the state at subscription time, then every later event, ending with SUCCEEDED.
    assert watched, "no event before `complete`"
    last = watched[-1]
    assert (last["status"], last["progress"]) == ("SUCCEEDED", 100), last
    assert_stream(watched, job["id"], watched[0]["seq"], last["seq"])
    # With afterSeq 0: the whole history, from the QUEUED event on.
    assert_stream(replayed, job["id"], 1, last["seq"])
    assert (replayed[0]["status"], replayed[0]["progress"]) == ("QUEUED", 0)
    assert replayed[-1] == last
    statuses = [event["status"] for event in replayed]
    assert statuses == sorted(statuses, key=["QUEUED", "RUNNING", "SUCCEEDED"].index), statuses
    assert any(0 < event["progress"] < 100 for event in replayed), "no intermediate progress"

    stored = await job_state(api_a, user, job["id"])
    assert (stored["status"], stored["seq"], stored["progress"]) == ("SUCCEEDED", last["seq"], 100)
    assert_stored(replayed + watched[1:], stored["events"])
    snapshot = next(e for e in stored["events"] if e["seq"] == watched[0]["seq"])
    for key in ("status", "stage", "progress"):
        assert watched[0][key] == snapshot[key]

    storyboard = (await api_a.gql(STORYBOARD, user.token, id=job["storyboard"]["id"]))["storyboard"]
    assert (storyboard["status"], storyboard["totalScenes"]) == ("COMPLETED", 6)
    scenes = storyboard["scenes"]
    assert [scene["sceneNumber"] for scene in scenes] == [1, 2, 3, 4, 5, 6]
    for scene in scenes:
        assert scene["tasks"] == [{"taskType": t, "completed": False} for t in TASK_TYPES]
    assert storyboard["totalDuration"] == sum(scene["duration"] for scene in scenes) == 30


# --- 2. a dashboard that drops and comes back misses nothing -----------------------------------


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=str)
async def test_resume_after_disconnect(server_a: Server, api_a: Api, protocol: Protocol) -> None:
    user = await sign_up(api_a)
    job_id = await claimed_job(api_a, user, await create_project(api_a, user))
    current = await job_state(api_a, user, job_id)

    async with ws_client(server_a.url, protocol, user.token) as first:
        await first.subscribe(JOB_PROGRESS, jobId=job_id)
        snapshot = await first.next_value("jobProgress")
        assert_snapshot(snapshot, current)  # seq 2: RUNNING, claimed
        first_stream = [snapshot]
        for progress in (10, 20):
            seq = await report(api_a, user, job_id, progress)
            event = await first.next_value("jobProgress")
            assert event["seq"] == seq
            first_stream.append(event)
        first.abort()  # gone without a close frame, mid-stream

    missed = [await report(api_a, user, job_id, progress) for progress in (30, 40, 50)]
    last_seen = first_stream[-1]["seq"]
    assert missed == [last_seen + 1, last_seen + 2, last_seen + 3]

    async with ws_client(server_a.url, protocol, user.token) as second:
        await second.subscribe(JOB_PROGRESS, jobId=job_id, afterSeq=last_seen)
        second_stream = [await second.next_value("jobProgress") for _ in missed]  # stored
        await report(api_a, user, job_id, 60)  # live
        final_seq = await complete(api_a, user, job_id)
        second_stream += await second.values_until_complete("jobProgress")

    union = first_stream + second_stream
    assert seqs(first_stream) == [2, 3, 4]
    assert seqs(second_stream) == [5, 6, 7, 8, 9]
    assert_stream(union, job_id, 2, final_seq)
    assert (union[-1]["status"], union[-1]["progress"]) == ("SUCCEEDED", 100)
    assert_stored(union[1:], (await job_state(api_a, user, job_id))["events"])


async def test_resume_after_the_terminal_event_completes(server_a: Server, api_a: Api) -> None:
    """A client that got the terminal event but not `complete` reconnects with afterSeq = that
    event's seq: there is nothing after it, and the stream must end rather than wait forever."""
    user = await sign_up(api_a)
    job_id = await claimed_job(api_a, user, await create_project(api_a, user))
    await report(api_a, user, job_id, 50)
    final_seq = await complete(api_a, user, job_id)  # 4

    async with ws_client(server_a.url, TRANSPORT_WS, user.token) as client:
        # Without afterSeq: the current (terminal) state, then the end.
        await client.subscribe(JOB_PROGRESS, jobId=job_id)
        events = await client.values_until_complete("jobProgress")
        assert [(e["seq"], e["status"], e["progress"]) for e in events] == [
            (final_seq, "SUCCEEDED", 100)
        ]

        await client.subscribe(JOB_PROGRESS, jobId=job_id, afterSeq=final_seq - 1)
        events = await client.values_until_complete("jobProgress")
        assert [(e["seq"], e["status"]) for e in events] == [(final_seq, "SUCCEEDED")]

        await client.subscribe(JOB_PROGRESS, jobId=job_id, afterSeq=final_seq)
        assert await client.values_until_complete("jobProgress") == []


async def test_after_seq_out_of_range(server_a: Server, api_a: Api) -> None:
    user = await sign_up(api_a)
    job_id = await claimed_job(api_a, user, await create_project(api_a, user))  # seq 2
    async with ws_client(server_a.url, TRANSPORT_WS, user.token) as client:
        for after_seq in (-1, 3):
            error = await expect_error(client, JOB_PROGRESS, jobId=job_id, afterSeq=after_seq)
            assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "afterSeq"}, error
        await client.subscribe(JOB_PROGRESS, jobId=job_id, afterSeq=2)  # nothing stored yet
        seq = await report(api_a, user, job_id, 10)
        assert (await client.next_value("jobProgress"))["seq"] == seq == 3


async def test_shutdown_failover_and_gap_refill(
    server_a: Server, api_a: Api, database_url: str, tmp_path: Path
) -> None:
    """A third server C (no worker) is stopped with dashboards attached: they get a close frame
    at once and C exits cleanly; they reconnect to A with afterSeq and miss nothing.

    Progress is reported through C while a dashboard also watches on A. With PostgreSQL both
    servers share Redis; on SQLite each has its own in-process broker, so A never hears C's
    events and its subscriber must refill them from the database when A's next event shows the
    gap ("no event is skipped or repeated")."""
    user = await sign_up(api_a)
    job_id = await claimed_job(api_a, user, await create_project(api_a, user))  # seq 2
    async with (
        ws_client(server_a.url, TRANSPORT_WS, user.token) as on_a,
        start_server("c", database_url, tmp_path, run_worker=False) as server_c,
        http_api(server_c) as api_c,
        ws_client(server_c.url, TRANSPORT_WS, user.token) as one,
        ws_client(server_c.url, LEGACY_WS, user.token) as other,
    ):
        await on_a.subscribe(JOB_PROGRESS, jobId=job_id)
        watched = [await on_a.next_value("jobProgress")]
        for client in (one, other):
            await client.subscribe(JOB_PROGRESS, jobId=job_id)
            assert (await client.next_value("jobProgress"))["seq"] == 2
        for progress in (10, 20):
            seq = await report(api_c, user, job_id, progress)
            for client in (one, other):
                assert (await client.next_value("jobProgress"))["seq"] == seq

        started = time.monotonic()
        await stop(server_c)
        assert time.monotonic() - started < 5, "shutdown waited on the subscriptions"
        for client in (one, other):
            with pytest.raises(ConnectionClosed) as closed:
                await client.frame()
            assert closed.value.rcvd is not None
            assert closed.value.rcvd.code in (1001, 1012), closed.value  # "come back later"

        seq = await report(api_a, user, job_id, 30)
        watched += [await on_a.next_value("jobProgress") for _ in range(3)]
        assert seqs(watched) == [2, 3, 4, seq]
        assert_stored(watched[1:], (await job_state(api_a, user, job_id))["events"])

        async with ws_client(server_a.url, LEGACY_WS, user.token) as again:
            await again.subscribe(JOB_PROGRESS, jobId=job_id, afterSeq=4)
            assert (await again.next_value("jobProgress"))["seq"] == seq == 5
            final_seq = await complete(api_a, user, job_id)
            assert seqs(await again.values_until_complete("jobProgress")) == [final_seq]
        assert seqs(await on_a.values_until_complete("jobProgress")) == [final_seq]


# --- 3. two API processes, one database, one Redis ---------------------------------------------


async def watch_project_progress(
    watch_on: Server, change_through: Api, user: User, project_id: str
) -> None:
    """Subscribers on `watch_on` (both protocols) see the current progress, then one value per
    task change made through `change_through`."""
    storyboard_id = await create_storyboard(change_through, user, project_id)
    scenes = [await add_scene(change_through, user, storyboard_id) for _ in range(2)]

    async def change(scene_id: str, task_type: str, completed: bool) -> None:
        variables = {"sceneId": scene_id, "taskType": task_type, "completed": completed}
        data = await change_through.gql(SET_TASK_COMPLETED, user.token, **variables)
        assert data["setTaskCompleted"] == {"taskType": task_type, "completed": completed}

    def value(completed: int) -> dict[str, Any]:
        return progress_value(8, completed)

    async with (
        ws_client(watch_on.url, TRANSPORT_WS, user.token) as one,
        ws_client(watch_on.url, LEGACY_WS, user.token) as other,
    ):
        watchers = (one, other)
        for watcher in watchers:
            await watcher.subscribe(PROJECT_PROGRESS, projectId=project_id)
            assert await watcher.next_value("projectProgress") == value(0)
        steps = [
            ((scenes[0], "SCRIPT_WRITTEN", True), 1),
            ((scenes[1], "EDITED", True), 2),
            ((scenes[1], "SCENE_FILMED", True), 3),
            # Not a change (already completed): no value; the next one must be for the uncheck.
            ((scenes[0], "SCRIPT_WRITTEN", True), None),
            ((scenes[0], "SCRIPT_WRITTEN", False), 2),
        ]
        for args, completed in steps:
            await change(*args)
            if completed is None:
                continue
            for watcher in watchers:
                assert await watcher.next_value("projectProgress") == value(completed)
        for watcher in watchers:
            await watcher.quiet(0.3)


@pytest.mark.skipif(not POSTGRES, reason="needs a shared broker")
async def test_two_processes(server_a: Server, server_b: Server) -> None:
    async with http_api(server_a) as api_a, http_api(server_b) as api_b:
        user = await sign_up(api_b)
        project_id = await create_project(api_b, user)
        job_id = await claimed_job(api_b, user, project_id)

        async with (
            ws_client(server_a.url, TRANSPORT_WS, user.token) as one,
            ws_client(server_a.url, LEGACY_WS, user.token) as other,
        ):
            streams: list[list[dict[str, Any]]] = []
            for watcher in (one, other):
                await watcher.subscribe(JOB_PROGRESS, jobId=job_id)
                streams.append([await watcher.next_value("jobProgress")])
            # A burst through the other process, without waiting in between; then concurrent
            # reports (equal progress is allowed), whose messages may be published out of order.
            for progress in (10, 20, 30):
                await report(api_b, user, job_id, progress)
            await asyncio.gather(*(report(api_b, user, job_id, 50) for _ in range(6)))
            final_seq = await complete(api_b, user, job_id)
            assert final_seq == 12
            for watcher, stream in zip((one, other), streams, strict=True):
                stream += await watcher.values_until_complete("jobProgress")

        stored = (await job_state(api_a, user, job_id))["events"]
        for stream in streams:
            assert_stream(stream, job_id, 2, final_seq)
            assert stream[-1]["status"] == "SUCCEEDED"
            assert_stored(stream[1:], stored)

        await watch_project_progress(server_a, api_b, user, project_id)


async def test_project_progress_one_process(server_a: Server, api_a: Api) -> None:
    user = await sign_up(api_a)
    await watch_project_progress(server_a, api_a, user, await create_project(api_a, user))


# --- 4. many subscribers to one job ------------------------------------------------------------


async def test_many_subscribers(server_a: Server, api_a: Api) -> None:
    count, reports = 200, 10
    user = await sign_up(api_a)
    job_id = await claimed_job(api_a, user, await create_project(api_a, user))

    async with asyncio.timeout(45), AsyncExitStack() as stack:

        async def subscriber(i: int) -> WsClient:
            protocol = PROTOCOLS[i % 2]
            client = await stack.enter_async_context(ws_client(server_a.url, protocol, user.token))
            await client.subscribe(JOB_PROGRESS, jobId=job_id)
            assert (await client.next_value("jobProgress", wait=20))["seq"] == 2
            return client

        async with asyncio.TaskGroup() as group:
            opening = [group.create_task(subscriber(i)) for i in range(count)]
        clients = [task.result() for task in opening]

        for n in range(1, reports + 1):
            await report(api_a, user, job_id, n * 10 - 5)
        final_seq = await complete(api_a, user, job_id)

        async with asyncio.TaskGroup() as group:
            reading = [
                group.create_task(client.values_until_complete("jobProgress")) for client in clients
            ]
        streams = [task.result() for task in reading]

    assert final_seq == 2 + reports + 1
    for stream in streams:
        assert seqs(stream) == list(range(3, final_seq + 1))
        assert stream[-1]["status"] == "SUCCEEDED"


# --- 5. nothing is left behind when clients go -------------------------------------------------


async def test_cleanup(server_a: Server, api_a: Api, redis: Redis | None) -> None:
    user = await sign_up(api_a)
    project_id = await create_project(api_a, user)
    job_id = await claimed_job(api_a, user, project_id)
    channels = (f"job:{job_id}", f"project:{project_id}")

    async def redis_subscribers(channel: str) -> int:
        assert redis is not None
        ((_, number),) = await redis.pubsub_numsub(channel)
        return int(number)

    async def released() -> None:
        """On Redis the server must have unsubscribed from every channel of this test."""
        if redis is None:
            return  # the in-process broker cannot be seen from outside the server
        for channel in channels:

            async def gone(channel: str = channel) -> bool:
                return await redis_subscribers(channel) == 0

            await eventually(gone, f"PUBSUB NUMSUB {channel} == 0")

    async def back_to(fds: int, threads: int) -> None:
        """The server process holds no more sockets or threads than after the first round."""

        async def settled() -> bool:
            return server_a.open_fds() <= fds and server_a.threads() <= threads

        try:
            await eventually(settled, "settled")
        except AssertionError:
            now = server_a.open_fds(), server_a.threads()
            raise AssertionError(f"fds, threads: {now}; at most {(fds, threads)}") from None

    async def round_of_abrupt_closes(progress: int) -> None:
        """20 job watchers and 2 project watchers; a live event; then every socket dropped."""
        async with AsyncExitStack() as stack:
            clients = []
            for i in range(22):
                client = await stack.enter_async_context(
                    ws_client(server_a.url, PROTOCOLS[i % 2], user.token)
                )
                if i < 20:
                    await client.subscribe(JOB_PROGRESS, jobId=job_id)
                    await client.next_value("jobProgress")
                else:
                    await client.subscribe(PROJECT_PROGRESS, projectId=project_id)
                    await client.next_value("projectProgress")
                clients.append(client)
            if redis is not None:
                # ONE broker subscription per process, however many WebSocket clients.
                assert [await redis_subscribers(c) for c in channels] == [1, 1]
            seq = await report(api_a, user, job_id, progress)
            for client in clients[:20]:
                assert (await client.next_value("jobProgress"))["seq"] == seq
            for client in clients:
                client.abort()
        await released()

    await round_of_abrupt_closes(10)
    # The least seen over half a second: sockets of the round may still be closing.
    fds, threads = [], []
    for _ in range(10):
        fds.append(server_a.open_fds())
        threads.append(server_a.threads())
        await asyncio.sleep(0.05)
    baseline = min(fds), min(threads)
    await round_of_abrupt_closes(20)
    await back_to(*baseline)

    # Unsubscribing with the socket left open releases the subscription too.
    async with (
        ws_client(server_a.url, TRANSPORT_WS, user.token) as one,
        ws_client(server_a.url, LEGACY_WS, user.token) as other,
    ):
        for client in (one, other):
            op_id = await client.subscribe(JOB_PROGRESS, jobId=job_id)
            await client.next_value("jobProgress")
            await client.stop(op_id)
        await released()

    # After all that, a new subscriber still gets new events, to the end.
    async with (
        ws_client(server_a.url, TRANSPORT_WS, user.token) as one,
        ws_client(server_a.url, LEGACY_WS, user.token) as other,
    ):
        for client in (one, other):
            await client.subscribe(JOB_PROGRESS, jobId=job_id)
            assert (await client.next_value("jobProgress"))["seq"] == 4
        await report(api_a, user, job_id, 90)
        final_seq = await complete(api_a, user, job_id)
        for client in (one, other):
            assert seqs(await client.values_until_complete("jobProgress")) == [5, final_seq]
    await released()
    await back_to(*baseline)


# --- 6. authentication and ownership over WebSocket --------------------------------------------


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=str)
async def test_ws_auth(server_a: Server, api_a: Api, protocol: Protocol) -> None:
    alice, bob = await sign_up(api_a), await sign_up(api_a)
    project_id = await create_project(api_a, alice)
    job_id = await claimed_job(api_a, alice, project_id)
    soon = datetime.now(UTC) + timedelta(hours=1)
    forged = jwt.encode({"sub": alice.id, "exp": soon}, "not-the-server-secret-" * 3, "HS256")
    expired = jwt.encode(
        {"sub": alice.id, "exp": datetime.now(UTC) - timedelta(minutes=1)}, SECRET, "HS256"
    )

    for bad_token in (forged, expired, "not-a-token"):
        with pytest.raises(Rejected) as refused:
            async with ws_client(server_a.url, protocol, bad_token):
                pass
        if protocol is TRANSPORT_WS:
            assert refused.value.close_code == 4403
        else:
            # The legacy protocol has no 4403: the refusal is a `connection_error`, then close.
            assert refused.value.payload["code"] == "UNAUTHENTICATED", refused.value.payload
            assert refused.value.close_code is not None

    async with ws_client(server_a.url, protocol, None) as anonymous:
        for query, variables in (
            (JOB_PROGRESS, {"jobId": job_id}),
            (JOB_PROGRESS, {"jobId": job_id, "afterSeq": 0}),
            (PROJECT_PROGRESS, {"projectId": project_id}),
        ):
            error = await expect_error(anonymous, query, **variables)
            assert error["extensions"]["code"] == "UNAUTHENTICATED", error

    async with ws_client(server_a.url, protocol, bob.token) as intruder:
        for query, variables in (
            (JOB_PROGRESS, {"jobId": job_id}),
            (JOB_PROGRESS, {"jobId": job_id, "afterSeq": 0}),
            # Past the job's seq: still NOT_FOUND, so nothing about the job leaks.
            (JOB_PROGRESS, {"jobId": job_id, "afterSeq": 99}),
            (JOB_PROGRESS, {"jobId": str(uuid.uuid4())}),
            (PROJECT_PROGRESS, {"projectId": project_id}),
        ):
            error = await expect_error(intruder, query, **variables)
            assert error["extensions"]["code"] == "NOT_FOUND", error

    # The same subscriptions work for the owner, so the refusals above are about who asks.
    async with ws_client(server_a.url, protocol, alice.token) as owner:
        await owner.subscribe(JOB_PROGRESS, jobId=job_id)
        assert (await owner.next_value("jobProgress"))["seq"] == 2
        await owner.subscribe(PROJECT_PROGRESS, projectId=project_id)
        assert (await owner.next_value("projectProgress"))["totalTasks"] == 0
