"""Subscriptions over HTTP, Apollo's multipart protocol (`Accept: multipart/mixed;
subscriptionSpec=1.0`), against a real uvicorn: the same streams, credentials and resume rules as
over WebSocket, with heartbeats; and persisted queries shared by two API processes.

Each part of the answer is `{"payload": <result>}`, or `{}` for a heartbeat; the answer ends
with the closing boundary when the stream ends.
"""

import asyncio
import hashlib
import json
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.conftest import POSTGRES
from tests.helpers import Api, User, create_project, sign_up
from tests.live.conftest import Server, http_api

MULTIPART = "multipart/mixed;subscriptionSpec=1.0,application/json"
JOB_PROGRESS = """
subscription JobProgress($jobId: ID!, $afterSeq: Int) {
  jobProgress(jobId: $jobId, afterSeq: $afterSeq) { jobId seq status progress stage }
}
"""
CREATE_JOB = """
mutation CreateJob($projectId: ID!, $kind: String!) {
  createJob(input: {projectId: $projectId, kind: $kind}) { id seq }
}
"""
CLAIM = "mutation Claim($kinds: [String!]!) { claimJob(kinds: $kinds) { id attempts } }"
REPORT = """
mutation Report($id: ID!, $progress: Int!) {
  reportJobProgress(id: $id, progress: $progress, stage: "render") { seq }
}
"""
COMPLETE = "mutation Complete($id: ID!) { completeJob(id: $id) { seq status } }"
CREATE_API_KEY = """
mutation CreateApiKey($scopes: [String!]) {
  createApiKey(name: "partner", scopes: $scopes) { key apiKey { id } }
}
"""
REVOKE_API_KEY = "mutation Revoke($id: ID!) { revokeApiKey(id: $id) }"
WAIT = 10.0


@dataclass
class Stream:
    """The parts of one multipart answer as they arrive."""

    response: httpx.Response
    parts: list[dict[str, Any]] = field(default_factory=list)
    ended: bool = False
    _buffer: bytes = b""
    _chunks: AsyncIterator[bytes] | None = None

    @property
    def payloads(self) -> list[dict[str, Any]]:
        return [part["payload"] for part in self.parts if "payload" in part]

    @property
    def events(self) -> list[dict[str, Any]]:
        return [p["data"]["jobProgress"] for p in self.payloads if p.get("data")]

    async def read(self, until: Any, within: float = WAIT) -> None:
        """Read parts until `until(self)` holds or the answer ends; fails after `within` seconds."""
        if self._chunks is None:
            self._chunks = self.response.aiter_bytes()
        chunks = self._chunks
        deadline = time.monotonic() + within
        while not until(self) and not self.ended:
            left = deadline - time.monotonic()
            assert left > 0, f"waited {within} s; parts so far: {self.parts}"
            try:
                chunk = await asyncio.wait_for(anext(chunks), left)
            except StopAsyncIteration:
                self.ended = True
                break
            self._take(chunk)

    def _take(self, chunk: bytes) -> None:
        self._buffer += chunk
        *complete, self._buffer = self._buffer.split(b"\r\n--graphql")
        for raw in complete:
            self._part(raw)
        if self._buffer.startswith(b"--"):
            self.ended = True

    def _part(self, raw: bytes) -> None:
        _, separator, body = raw.partition(b"\r\n\r\n")
        if separator and body.strip():
            self.parts.append(json.loads(body))


@asynccontextmanager
async def subscribe(
    server: Server, token: str | None, query: str = JOB_PROGRESS, **variables: Any
) -> AsyncIterator[Stream]:
    headers = {"Accept": MULTIPART, **({"Authorization": f"Bearer {token}"} if token else {})}
    async with (
        httpx.AsyncClient(base_url=server.url, trust_env=False, timeout=WAIT) as client,
        client.stream(
            "POST", "/graphql", json={"query": query, "variables": variables}, headers=headers
        ) as response,
    ):
        assert response.status_code == 200, await response.aread()
        assert response.headers["content-type"].startswith("multipart/mixed")
        yield Stream(response)


async def partner_job(api: Api, user: User, kind: str) -> tuple[str, str]:
    """A project of `user` and a QUEUED job of `kind` in it (seq 1)."""
    project = await create_project(api, user)
    job = (await api.gql(CREATE_JOB, user.token, projectId=project, kind=kind))["createJob"]
    return project, job["id"]


def seqs(stream: Stream) -> list[int]:
    return [event["seq"] for event in stream.events]


async def test_a_job_stream_over_http_runs_to_its_end(server_a: Server, api_a: Api) -> None:
    user = await sign_up(api_a)
    kind = f"render.{uuid.uuid4().hex[:8]}"
    _, job = await partner_job(api_a, user, kind)

    async with subscribe(server_a, user.token, jobId=job) as stream:
        await stream.read(lambda s: len(s.events) == 1)
        await api_a.gql(CLAIM, user.token, kinds=[kind])
        await api_a.gql(REPORT, user.token, id=job, progress=50)
        await api_a.gql(COMPLETE, user.token, id=job)
        await stream.read(lambda s: False)

    assert stream.ended
    assert [(e["seq"], e["status"], e["progress"]) for e in stream.events] == [
        (1, "QUEUED", 0),
        (2, "RUNNING", 0),
        (3, "RUNNING", 50),
        (4, "SUCCEEDED", 100),
    ]
    assert all(e["jobId"] == job for e in stream.events)


async def test_resume_over_http_after_a_dropped_stream_misses_and_repeats_nothing(
    server_a: Server, api_a: Api
) -> None:
    user = await sign_up(api_a)
    kind = f"render.{uuid.uuid4().hex[:8]}"
    _, job = await partner_job(api_a, user, kind)
    await api_a.gql(CLAIM, user.token, kinds=[kind])

    async with subscribe(server_a, user.token, jobId=job) as first:
        await first.read(lambda s: len(s.events) == 1)  # the current state: seq 2, RUNNING
        await api_a.gql(REPORT, user.token, id=job, progress=10)
        await first.read(lambda s: len(s.events) == 2)
    last = seqs(first)[-1]
    # While nobody listens.
    await api_a.gql(REPORT, user.token, id=job, progress=20)
    await api_a.gql(REPORT, user.token, id=job, progress=30)

    async with subscribe(server_a, user.token, jobId=job, afterSeq=last) as resumed:
        await resumed.read(lambda s: len(s.events) == 2)
        await api_a.gql(COMPLETE, user.token, id=job)
        await resumed.read(lambda s: False)

    assert seqs(first) == [2, 3]
    assert seqs(resumed) == [4, 5, 6]
    assert [e["progress"] for e in resumed.events] == [20, 30, 100]
    assert resumed.ended


async def test_a_bad_or_missing_credential_ends_the_stream_with_unauthenticated(
    server_a: Server, api_a: Api
) -> None:
    user = await sign_up(api_a)
    _, job = await partner_job(api_a, user, "render.auth")

    for token in ("not-a-token", None):
        async with subscribe(server_a, token, jobId=job) as stream:
            await stream.read(lambda s: False)
        assert stream.ended
        [payload] = stream.payloads
        assert payload["data"] is None
        assert [e["extensions"]["code"] for e in payload["errors"]] == ["UNAUTHENTICATED"]


async def test_another_users_job_over_http_is_not_found(server_a: Server, api_a: Api) -> None:
    owner, other = await sign_up(api_a), await sign_up(api_a)
    _, job = await partner_job(api_a, owner, "render.mine")

    async with subscribe(server_a, other.token, jobId=job) as stream:
        await stream.read(lambda s: False)

    [payload] = stream.payloads
    assert payload["errors"][0]["extensions"] == {"code": "NOT_FOUND", "field": "jobId"}
    assert stream.events == []


async def test_a_revoked_api_key_ends_its_http_stream(server_a: Server, api_a: Api) -> None:
    user = await sign_up(api_a)
    _, job = await partner_job(api_a, user, "render.revoked")
    created = (await api_a.gql(CREATE_API_KEY, user.token, scopes=["read"]))["createApiKey"]

    async with subscribe(server_a, created["key"], jobId=job) as stream:
        await stream.read(lambda s: len(s.events) == 1)
        revoked_at = time.monotonic()
        assert (await api_a.gql(REVOKE_API_KEY, user.token, id=created["apiKey"]["id"]))[
            "revokeApiKey"
        ]
        await stream.read(lambda s: len(s.payloads) == 2, within=5)
        await stream.read(lambda s: False, within=5)

    assert time.monotonic() - revoked_at < 5
    assert stream.payloads[-1]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert stream.ended


async def test_a_quiet_stream_sends_heartbeats(server_a: Server, api_a: Api) -> None:
    """A part `{}` at the start and every 5 s, so proxies keep a quiet stream open."""
    user = await sign_up(api_a)
    _, job = await partner_job(api_a, user, "render.quiet")

    async with subscribe(server_a, user.token, jobId=job) as stream:
        await stream.read(lambda s: s.parts.count({}) >= 1 and len(s.events) == 1)
        await stream.read(lambda s: s.parts.count({}) >= 2, within=8)

    assert seqs(stream) == [1]


# -- persisted queries across processes ---------------------------------------------------------


async def test_a_hash_registered_on_one_process_works_on_another_with_redis(
    server_a: Server, server_b: Server
) -> None:
    """With Redis (the PostgreSQL pass) every process knows every registered hash; the embedded
    mode (in-process store) knows only its own."""
    query = f"query Me {{ me {{ id }} }} # {uuid.uuid4()}"
    persisted = {
        "persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(query.encode()).hexdigest()}
    }
    async with http_api(server_a) as api_a, http_api(server_b) as api_b:
        user = await sign_up(api_a)
        auth = {"Authorization": f"Bearer {user.token}"}
        registered = await api_a.client.post(
            "/graphql", json={"query": query, "extensions": persisted}, headers=auth
        )
        on_b = await api_b.client.get(
            "/graphql", params={"extensions": json.dumps(persisted)}, headers=auth
        )
        on_a = await api_a.client.get(
            "/graphql", params={"extensions": json.dumps(persisted)}, headers=auth
        )

    mine = {"data": {"me": {"id": user.id}}}
    assert registered.json() == mine
    assert on_a.json() == mine
    if POSTGRES:
        assert on_b.json() == mine
    else:
        assert on_b.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def gauge(api: Api, name: str) -> float:
    text = (await api.client.get("/metrics")).text
    [value] = [line.split()[-1] for line in text.splitlines() if line.startswith(f"{name} ")]
    return float(value)


async def test_a_stream_over_http_is_counted_logged_and_released_when_its_client_leaves(
    server_a: Server, api_a: Api
) -> None:
    user = await sign_up(api_a)
    _, job = await partner_job(api_a, user, "render.metrics")
    active = "storygraph_graphql_subscriptions_active"
    before = await gauge(api_a, active)

    async with subscribe(server_a, user.token, jobId=job) as stream:
        await stream.read(lambda s: len(s.events) == 1)
        during = await gauge(api_a, active)
    # The client hung up mid-stream: the server ends the subscription and says so in its log.
    for _ in range(int(WAIT / 0.05)):
        if await gauge(api_a, active) == before:
            break
        await asyncio.sleep(0.05)

    assert during == before + 1
    assert await gauge(api_a, active) == before
    logged = [
        json.loads(line)
        for line in server_a.log(server_a.log_mark).splitlines()
        if line.startswith("{") and '"JobProgress"' in line
    ]
    assert [(e["operation_type"], e["transport"], e["user_id"]) for e in logged] == [
        ("subscription", "http", user.id)
    ]
