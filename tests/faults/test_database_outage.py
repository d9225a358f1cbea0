"""Fault: the database goes away under a running API, then comes back.

The API reaches PostgreSQL through a TCP proxy the test owns; cutting it closes every pooled
connection and refuses new ones, as a database restart or a network partition would. Checked
against API.md ("An INTERNAL error never leaks a stack trace or SQL") and the issue: GET /ready
reports the database within seconds, requests fail fast with INTERNAL (no hang, no stack trace),
and service resumes by itself when the database is back, without restarting the server.
"""

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import POSTGRES
from tests.faults.conftest import (
    RedisServer,
    TcpProxy,
    http,
    poll,
    process_env,
    start_api,
    with_address,
)
from tests.helpers import Api, User, create_project, sign_up

pytestmark = pytest.mark.skipif(not POSTGRES, reason="fault tests need PostgreSQL and Redis")

# Reported within this long after the cut; each single request must answer within FAST, and
# is given up (a hang) after HANG.
DETECT_WITHIN = 5.0
FAST = 5.0
HANG = FAST + 1
RECOVER_WITHIN = 15.0
# Nothing of the failure's internals may reach a client.
LEAKS = (
    "Traceback",
    'File "',
    "asyncpg",
    "tortoise",
    "postgres",
    "SELECT",
    "INSERT",
    "UPDATE ",
    " FROM ",
    "ConnectionDoesNotExist",
    "connection was closed",
    "Errno",
)

ME = "query Me { me { id email } }"
# `me { id email }` alone may be answered from the API's cache of callers' rows
# (services.callers) during an outage; this needs the database whatever is cached.
ME_PROJECTS = "query MyProjects { me { id projects(first: 1) { totalCount } } }"
PROJECT = "query Project($id: ID!) { project(id: $id) { id title } }"
CREATE_PROJECT = (
    "mutation Create($input: CreateProjectInput!) { createProject(input: $input) { id } }"
)
LOG_IN = """
mutation LogIn($email: String!, $password: String!) { logIn(email: $email, password: $password) {
  token
} }
"""


async def timed(request: Any) -> tuple[float, httpx.Response]:
    started = time.monotonic()
    response: httpx.Response = await request
    return time.monotonic() - started, response


async def ready(client: httpx.AsyncClient) -> httpx.Response:
    """GET /ready, which must answer within FAST whatever is down."""
    try:
        elapsed, response = await timed(client.get("/ready"))
    except httpx.TimeoutException:
        raise AssertionError(f"GET /ready did not answer within {HANG} s") from None
    assert elapsed < FAST, f"GET /ready took {elapsed:.1f} s"
    return response


async def graphql(
    client: httpx.AsyncClient, query: str, token: str | None, **variables: Any
) -> tuple[float, httpx.Response]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await timed(
        client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    )


def outage_requests(user: User, project_id: str) -> list[tuple[str, str, str | None, Any]]:
    """(name, query, token, variables): reads and writes, authenticated and anonymous."""
    return [
        ("me.projects (session token)", ME_PROJECTS, user.token, {}),
        ("project(id) (session token)", PROJECT, user.token, {"id": project_id}),
        ("createProject (session token)", CREATE_PROJECT, user.token, {"input": {"title": "X"}}),
        ("logIn (anonymous)", LOG_IN, None, {"email": user.email, "password": "wrong-password"}),
    ]


def problems_with_internal_error(name: str, elapsed: float, response: httpx.Response) -> list[str]:
    """What is wrong with this answer to a request made while the database is away."""
    found = []
    if elapsed >= FAST:
        found.append(f"{name}: took {elapsed:.1f} s (limit {FAST} s)")
    text = response.text
    for leak in LEAKS:
        if leak in text:
            found.append(f"{name}: response leaks {leak!r}: {text[:500]!r}")
    try:
        body = response.json()
    except ValueError:
        found.append(
            f"{name}: HTTP {response.status_code} {response.headers.get('content-type')!r}, "
            f"not a GraphQL response: {text[:200]!r}"
        )
        return found
    errors = body.get("errors") if isinstance(body, dict) else None
    if not errors:
        found.append(f"{name}: HTTP {response.status_code}, no `errors`: {text[:300]!r}")
        return found
    codes = [(error.get("extensions") or {}).get("code") for error in errors]
    if codes != ["INTERNAL"] * len(errors):
        found.append(f"{name}: error codes {codes}, expected INTERNAL: {text[:300]!r}")
    if body.get("data") not in (None, {}) and any(body["data"].values()):
        found.append(f"{name}: data despite the outage: {text[:300]!r}")
    return found


async def test_database_goes_away_and_comes_back(
    tmp_path: Path, database_url: str, redis_server: RedisServer, pg_proxy: TcpProxy
) -> None:
    env = process_env(
        with_address(database_url, "127.0.0.1", pg_proxy.port), redis_server.url, tmp_path
    )
    async with start_api("api", env, tmp_path) as server, http(server, HANG) as client:
        api = Api(client)
        user = await sign_up(api)
        project_id = await create_project(api, user, title="Before")
        assert (await api.gql(ME, user.token))["me"]["id"] == user.id
        response = await ready(client)
        assert response.status_code == 200, response.text
        assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}
        assert pg_proxy.open_connections >= 1, "the API does not go through the proxy"

        # --- the database goes away -------------------------------------------------------
        pg_proxy.cut()
        cut_at = time.monotonic()

        async def reports_unreachable() -> httpx.Response | None:
            response = await ready(client)
            return response if response.status_code == 503 else None

        response = await poll(reports_unreachable, "/ready reports the database", DETECT_WITHIN)
        detected_after = time.monotonic() - cut_at
        assert response.json() == {
            "status": "unavailable",
            "database": "unreachable",
            "redis": "ok",
        }, response.text

        # Everything that is wrong is collected, so one run reports the outage AND the recovery.
        problems: list[str] = []
        for name, query, token, variables in outage_requests(user, project_id):
            started = time.monotonic()
            try:
                # A connection of its own: one answer must not depend on how another ended.
                async with http(server, HANG) as own:
                    elapsed, response = await graphql(own, query, token, **variables)
            except httpx.TimeoutException:
                problems.append(f"{name}: hangs (no answer within {HANG} s)")
                continue
            except httpx.TransportError as exc:
                elapsed = time.monotonic() - started
                problems.append(
                    f"{name}: no HTTP response at all after {elapsed:.2f} s ({exc!r}): "
                    "the server dropped the connection"
                )
                continue
            problems += problems_with_internal_error(name, elapsed, response)
        # Still down: /ready still says so.
        response = await ready(client)
        assert response.status_code == 503, response.text

        # --- the database comes back: the same server serves again, by itself -----------
        pg_proxy.restore()
        try:
            recovered_after = await recovery(client, api, user, project_id)
        except AssertionError as exc:
            problems.append(f"after the restore: {exc}")
        else:
            print(  # noqa: T201
                f"database outage: /ready 503 after {detected_after:.2f} s, "
                f"200 again {recovered_after:.2f} s after the restore"
            )
        assert server.process.returncode is None, "the server restarted or died"
        assert not problems, "\n".join(problems)


async def recovery(client: httpx.AsyncClient, api: Api, user: User, project_id: str) -> float:
    """Wait (bounded) until the server serves again; returns how long /ready took to say so."""
    restored_at = time.monotonic()

    async def is_ready() -> httpx.Response | None:
        response = await ready(client)
        return response if response.status_code == 200 else None

    response = await poll(is_ready, "/ready 200 after the database is back", RECOVER_WITHIN)
    recovered_after = time.monotonic() - restored_at
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}

    async def serves() -> dict[str, Any] | None:
        try:
            _, response = await graphql(client, ME, user.token)
        except httpx.TransportError:
            return None
        body: dict[str, Any] = response.json() if response.status_code == 200 else {}
        return body if (body.get("data") or {}).get("me") else None

    body = await poll(serves, "`me` answers again", RECOVER_WITHIN)
    assert body == {"data": {"me": {"id": user.id, "email": user.email}}}
    # Concurrent requests, so that every connection of the pool (at most 5) is used: none of
    # them may be a dead one left over from before the outage.
    results = await asyncio.gather(
        *(api.gql(PROJECT, user.token, id=project_id) for _ in range(10))
    )
    assert [r["project"] for r in results] == [{"id": project_id, "title": "Before"}] * 10
    assert await create_project(api, user, title="After")
    return recovered_after
