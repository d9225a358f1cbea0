"""Hardening over WebSocket, against the real uvicorn server: the query size cap, oversized and
malformed messages, credential errors (4403 on both protocols), and credentials that stop being
valid while the socket is open (revoked API keys, expired session tokens)."""

import asyncio
import json
import time
import uuid
from typing import Any

import pytest
from redis.asyncio import Redis
from websockets.exceptions import ConnectionClosed

from services.auth import issue_token
from tests.conftest import SECRET
from tests.helpers import Api, create_project, sign_up
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
from tests.live.conftest import Server

PROJECT_PROGRESS = """
subscription ProjectProgress($projectId: ID!) {
  projectProgress(projectId: $projectId) { totalTasks completedTasks ratio }
}
"""
CREATE_PROJECT = (
    "mutation CreateProject($input: CreateProjectInput!) { createProject(input: $input) { id } }"
)
CREATE_API_KEY = (
    "mutation CreateApiKey($name: String!) { createApiKey(name: $name) { key apiKey { id } } }"
)
REVOKE_API_KEY = "mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) }"
MAX_QUERY_BYTES = 100 * 1024
MAX_BODY_BYTES = 1024 * 1024


async def close_code(client: WsClient, wait: float = 5.0) -> int | None:
    """The code the server closed the socket with (it must close within `wait` s)."""
    async with asyncio.timeout(wait):
        try:
            while True:
                await client.connection.recv()
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None


async def send(client: WsClient, message: Any) -> None:
    await client.connection.send(message if isinstance(message, str) else json.dumps(message))


def assert_single_error(frame: Any, op_id: str, code: str, field: str | None = None) -> None:
    assert frame.id == op_id, frame
    assert frame.type in ("error", "next"), frame
    [error] = frame.errors
    assert error["extensions"]["code"] == code, frame
    if field is not None:
        assert error["extensions"]["field"] == field, frame


async def project_of(api: Api) -> tuple[str, str]:
    user = await sign_up(api)
    return user.token, await create_project(api, user)


# --- defect 2: the size cap over WebSocket -------------------------------------------------------


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=str)
async def test_defect_2_a_document_over_the_size_cap_is_refused_over_websocket(
    server_a: Server, api_a: Api, protocol: Protocol
) -> None:
    token, project_id = await project_of(api_a)
    # Broken at the end: were it parsed, the answer would be a syntax error, not the size.
    over = PROJECT_PROGRESS + " " * MAX_QUERY_BYTES + "{"

    async with ws_client(server_a.url, protocol, token) as client:
        op_id = await client.subscribe(over, projectId=project_id)
        frame = await client.frame()
        assert frame.type == "error", frame
        assert frame.errors == [
            {
                "message": f"The document exceeds {MAX_QUERY_BYTES} bytes.",
                "extensions": {"code": "BAD_USER_INPUT", "field": "query"},
            }
        ]
        assert frame.id == op_id
        # The connection goes on serving.
        await client.subscribe(PROJECT_PROGRESS, projectId=project_id)
        assert (await client.next_value("projectProgress"))["totalTasks"] == 0


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=str)
async def test_defect_2_a_websocket_message_over_the_body_limit_closes_4400(
    server_a: Server, api_a: Api, protocol: Protocol
) -> None:
    token, project_id = await project_of(api_a)

    async with ws_client(server_a.url, protocol, token) as client:
        pad = "x" * MAX_BODY_BYTES
        await client.subscribe(PROJECT_PROGRESS, projectId=project_id, pad=pad)
        assert await close_code(client) == 4400


# --- defect 15: malformed messages and credentials -----------------------------------------------


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=str)
@pytest.mark.parametrize("message", ["[1,2]", "5", '"x"', "null", '{"id": "1"}'])
async def test_defect_15_a_frame_that_is_not_a_message_object_closes_4400(
    server_a: Server, api_a: Api, protocol: Protocol, message: str
) -> None:
    token, _ = await project_of(api_a)

    async with ws_client(server_a.url, protocol, token) as client:
        await send(client, message)
        assert await close_code(client) == 4400


@pytest.mark.parametrize("query", [123, None, ["{ me { id } }"]])
async def test_defect_15_a_subscribe_without_a_string_query_closes_4400(
    server_a: Server, api_a: Api, query: Any
) -> None:
    token, _ = await project_of(api_a)

    async with ws_client(server_a.url, TRANSPORT_WS, token) as client:
        await send(client, {"id": "1", "type": "subscribe", "payload": {"query": query}})
        assert await close_code(client) == 4400


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"query": 123}, "query"),
        ({}, "query"),
        ({"query": PROJECT_PROGRESS, "variables": [1]}, "variables"),
        ({"query": PROJECT_PROGRESS, "operationName": 5}, "operationName"),
        ("x", "body"),
    ],
)
async def test_defect_15_a_legacy_start_with_a_bad_payload_gets_a_coded_error(
    server_a: Server, api_a: Api, payload: Any, field: str
) -> None:
    token, project_id = await project_of(api_a)

    async with ws_client(server_a.url, LEGACY_WS, token) as client:
        await send(client, {"id": "7", "type": "start", "payload": payload})
        assert_single_error(await client.frame(), "7", "BAD_USER_INPUT", field)
        # The connection goes on serving.
        await client.subscribe(PROJECT_PROGRESS, projectId=project_id)
        assert (await client.next_value("projectProgress"))["totalTasks"] == 0


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=str)
async def test_defect_15_the_operation_limit_error_has_a_code(
    server_a: Server, api_a: Api, protocol: Protocol
) -> None:
    token, project_id = await project_of(api_a)

    async with ws_client(server_a.url, protocol, token) as client:
        for _ in range(100):
            await client.subscribe(PROJECT_PROGRESS, projectId=project_id)
        for _ in range(100):
            assert (await client.frame()).type == "next"
        op_id = await client.subscribe(PROJECT_PROGRESS, projectId=project_id)
        frame = await client.frame()
        assert frame.type == "error", frame
        assert frame.id == op_id
        assert frame.errors[0]["extensions"] == {"code": "RATE_LIMITED"}, frame
        assert frame.errors[0]["message"].startswith("Subscription limit reached"), frame


async def init_with(client: WsClient, payload: Any) -> None:
    """connection_init with exactly `payload`; raises Rejected as WsClient.init does."""
    await send(client, {"type": "connection_init", "payload": payload})
    try:
        message = json.loads(await asyncio.wait_for(client.connection.recv(), 5))
    except ConnectionClosed as closed:
        raise Rejected(closed.rcvd.code if closed.rcvd else None) from None
    if message["type"] == "connection_error":
        raise Rejected(await close_code(client), message.get("payload"))
    assert message["type"] == "connection_ack", message


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=str)
@pytest.mark.parametrize(
    "authorization", [123, {}, "", "   ", ["Bearer x"], "Bearer not-a-token", "Basic abc"]
)
async def test_defect_15_a_bad_authorization_in_connection_init_closes_4403(
    server_a: Server, protocol: Protocol, authorization: Any
) -> None:
    async with ws_client(server_a.url, protocol, init=False) as client:
        with pytest.raises(Rejected) as rejected:
            await init_with(client, {"Authorization": authorization})

    assert rejected.value.close_code == 4403


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=str)
async def test_no_authorization_in_connection_init_is_anonymous(
    server_a: Server, protocol: Protocol
) -> None:
    for payload in ({}, {"Authorization": None}):
        async with ws_client(server_a.url, protocol, init=False) as client:
            await init_with(client, payload)


# --- defect 6: credentials that stop being valid on an open socket -------------------------------


async def next_operation_is_unauthenticated(
    client: WsClient, api: Api, project_id: str, token: str
) -> None:
    if client.protocol is TRANSPORT_WS:
        op_id = await client.subscribe(CREATE_PROJECT, input={"title": "After"})
        frame = await client.frame()
        assert_single_error(frame, op_id, "UNAUTHENTICATED")
        assert await client.frame() == Frame("complete", op_id)
    # The legacy protocol carries subscriptions only.
    op_id = await client.subscribe(PROJECT_PROGRESS, projectId=project_id)
    assert_single_error(await client.frame(), op_id, "UNAUTHENTICATED")


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=str)
async def test_defect_6_a_revoked_key_stops_working_on_an_open_socket(
    server_a: Server, api_a: Api, protocol: Protocol
) -> None:
    user = await sign_up(api_a)
    project_id = await create_project(api_a, user)
    created = (await api_a.gql(CREATE_API_KEY, user.token, name="Dashboard"))["createApiKey"]

    async with ws_client(server_a.url, protocol, created["key"]) as client:
        op_id = await client.subscribe(PROJECT_PROGRESS, projectId=project_id)
        assert (await client.next_value("projectProgress"))["totalTasks"] == 0

        assert await api_a.gql(REVOKE_API_KEY, user.token, id=created["apiKey"]["id"])
        started = time.monotonic()

        frame = await client.frame(wait=3)
        assert_single_error(frame, op_id, "UNAUTHENTICATED")
        assert time.monotonic() - started < 3
        assert await client.frame() == Frame("complete", op_id)
        await next_operation_is_unauthenticated(client, api_a, project_id, created["key"])
    projects = await api_a.gql("query { me { projects { totalCount } } }", user.token)
    assert projects["me"]["projects"]["totalCount"] == 1


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=str)
async def test_defect_6_an_expired_session_stops_working_on_an_open_socket(
    server_a: Server, api_a: Api, protocol: Protocol
) -> None:
    user = await sign_up(api_a)
    project_id = await create_project(api_a, user)
    token = issue_token(uuid.UUID(user.id), secret=SECRET, ttl_seconds=2)
    expires = time.monotonic() + 2

    async with ws_client(server_a.url, protocol, token) as client:
        op_id = await client.subscribe(PROJECT_PROGRESS, projectId=project_id)
        assert (await client.next_value("projectProgress"))["totalTasks"] == 0

        frame = await client.frame(wait=5)
        assert_single_error(frame, op_id, "UNAUTHENTICATED")
        assert time.monotonic() - expires < 2
        assert await client.frame() == Frame("complete", op_id)
        await next_operation_is_unauthenticated(client, api_a, project_id, token)
    projects = await api_a.gql("query { me { projects { totalCount } } }", user.token)
    assert projects["me"]["projects"]["totalCount"] == 1


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=str)
async def test_defect_6_the_revocation_watch_ends_with_the_socket(
    server_a: Server, api_a: Api, protocol: Protocol, redis: Redis | None
) -> None:
    user = await sign_up(api_a)
    project_id = await create_project(api_a, user)
    created = (await api_a.gql(CREATE_API_KEY, user.token, name="Dashboard"))["createApiKey"]
    channel = f"auth:key:{created['apiKey']['id']}"

    async def watchers() -> int:
        if redis is None:  # the in-process broker of the SQLite server cannot be seen from here
            return 0
        [(_, count)] = await redis.pubsub_numsub(channel)
        return int(count)

    async with ws_client(server_a.url, protocol, created["key"]) as client:
        for _ in range(2):
            op_id = await client.subscribe(PROJECT_PROGRESS, projectId=project_id)
            assert (await client.next_value("projectProgress"))["totalTasks"] == 0
        if redis is not None:
            assert await watchers() == 1  # one broker connection per process, whatever the count
        await client.stop(op_id)
        client.abort()

    for _ in range(60):  # the server notices the dropped socket within ~3 s
        if await watchers() == 0:
            break
        await asyncio.sleep(0.05)
    assert await watchers() == 0
