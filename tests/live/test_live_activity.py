"""`projectActivity` end to end: a real uvicorn process, real WebSockets, both sub-protocols.

API.md 2.4: "Every change in the project as it commits. With afterSeq: first every stored event
with seq > afterSeq, then live; none skipped or repeated." The stream has jobProgress's resume
guarantees, ends with NOT_FOUND when the project is deleted, and is guarded by the credential.
"""

import asyncio
from contextlib import AsyncExitStack
from typing import Any

import pytest

from tests.helpers import Api, User, add_scene, create_project, create_storyboard, sign_up
from tests.live.clients import LEGACY_WS, PROTOCOLS, TRANSPORT_WS, Protocol, WsClient, ws_client
from tests.live.conftest import Server
from tests.live.test_fanout import executions, metric
from tests.live.test_live_progress import eventually, expect_error

EVENT = "seq at action entityType entityId changes actor { kind userId apiKeyId jobId }"
PROJECT_ACTIVITY = f"""
subscription ProjectActivity($projectId: ID!, $afterSeq: Int) {{
  projectActivity(projectId: $projectId, afterSeq: $afterSeq) {{ {EVENT} }}
}}
"""
STORED = f"""
query Stored($id: ID!) {{
  project(id: $id) {{ activity(first: 100) {{ edges {{ node {{ {EVENT} }} }} }} }}
}}
"""
UPDATE_SCENE = """
mutation($id: ID!, $s: String!) { updateScene(id: $id, input: {script: $s}) { id } }
"""
DELETE_PROJECT = "mutation($id: ID!) { deleteProject(id: $id) }"
NARROW_ACTIVITY = """
subscription Narrow($projectId: ID!, $afterSeq: Int) {
  projectActivity(projectId: $projectId, afterSeq: $afterSeq) { seq action }
}
"""


async def stored(api: Api, user: User, project_id: str) -> list[dict[str, Any]]:
    data = await api.gql(STORED, user.token, id=project_id)
    return [edge["node"] for edge in data["project"]["activity"]["edges"]][::-1]


async def edit(api: Api, user: User, scene_id: str, text: str) -> None:
    await api.gql(UPDATE_SCENE, user.token, id=scene_id, s=text)


async def values(client: WsClient, count: int) -> list[dict[str, Any]]:
    return [await client.next_value("projectActivity") for _ in range(count)]


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=str)
async def test_replay_then_live_then_resume(
    server_a: Server, api_a: Api, protocol: Protocol
) -> None:
    user = await sign_up(api_a)
    project = await create_project(api_a, user)  # seq 1
    storyboard = await create_storyboard(api_a, user, project)  # 2
    scene = await add_scene(api_a, user, storyboard)  # 3

    async with ws_client(server_a.url, protocol, user.token) as client:
        await client.subscribe(PROJECT_ACTIVITY, projectId=project, afterSeq=0)
        # The stored events first, then each change as it commits.
        seen = await values(client, 3)
        for i in range(3):
            await edit(api_a, user, scene, f"take {i}")
            seen += await values(client, 1)
        await client.quiet(0.3)

    # Three more while nobody listens; a reconnect with afterSeq gets exactly those, then live.
    for i in range(3, 6):
        await edit(api_a, user, scene, f"take {i}")
    async with ws_client(server_a.url, protocol, user.token) as client:
        await client.subscribe(PROJECT_ACTIVITY, projectId=project, afterSeq=seen[-1]["seq"])
        seen += await values(client, 3)
        await edit(api_a, user, scene, "take 6")
        seen += await values(client, 1)
        await client.quiet(0.3)

    everything = await stored(api_a, user, project)
    assert [e["seq"] for e in everything] == list(range(1, 11))
    assert seen == everything
    assert [e["action"] for e in seen[:3]] == [
        "project.created",
        "storyboard.created",
        "scene.created",
    ]
    assert seen[-1]["changes"] == {"script": {"old": "take 5", "new": "take 6"}}
    assert seen[-1]["actor"] == {"kind": "USER", "userId": user.id, "apiKeyId": None, "jobId": None}


async def test_without_after_seq_only_what_commits_from_now_on(
    server_a: Server, api_a: Api
) -> None:
    user = await sign_up(api_a)
    project = await create_project(api_a, user)
    scene = await add_scene(api_a, user, await create_storyboard(api_a, user, project))  # seq 3

    async with ws_client(server_a.url, TRANSPORT_WS, user.token) as client:
        await client.subscribe(PROJECT_ACTIVITY, projectId=project)
        # The stream starts wherever the project is when it subscribes: edit until the first
        # event arrives (bounded), then every later one must follow without a gap.
        first = None
        for i in range(20):
            await edit(api_a, user, scene, f"probe {i}")
            try:
                frame = await client.frame(wait=0.5)
            except AssertionError:
                continue  # not subscribed yet when that edit committed
            assert frame.type == "next", frame
            assert not frame.errors, frame
            first = frame.payload["data"]["projectActivity"]
            break
        assert first is not None
        assert first["seq"] > 3
        for i in range(3):
            await edit(api_a, user, scene, f"after {i}")
        rest = await values(client, 3)
        await client.quiet(0.3)

    # From the first event on, every later one, without a gap.
    seqs = [first["seq"], *(e["seq"] for e in rest)]
    assert seqs == list(range(first["seq"], first["seq"] + 4))
    assert seqs[-1] == (await stored(api_a, user, project))[-1]["seq"]
    assert [e["changes"]["script"]["new"] for e in rest] == ["after 0", "after 1", "after 2"]


async def test_refusals_and_the_end_of_a_deleted_project(server_a: Server, api_a: Api) -> None:
    owner, stranger = await sign_up(api_a), await sign_up(api_a)
    project = await create_project(api_a, owner)
    async with (
        ws_client(server_a.url, TRANSPORT_WS, owner.token) as client,
        ws_client(server_a.url, LEGACY_WS, stranger.token) as other,
    ):
        for after_seq, field in ((-1, "afterSeq"), (2, "afterSeq")):
            error = await expect_error(
                client, PROJECT_ACTIVITY, projectId=project, afterSeq=after_seq
            )
            assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}, error
        error = await expect_error(client, PROJECT_ACTIVITY, projectId="not-an-id")
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        # Another user's project does not exist for them.
        error = await expect_error(other, PROJECT_ACTIVITY, projectId=project, afterSeq=0)
        assert error["extensions"] == {"code": "NOT_FOUND", "field": "projectId"}, error

        op_id = await client.subscribe(PROJECT_ACTIVITY, projectId=project, afterSeq=0)
        assert (await client.next_value("projectActivity"))["action"] == "project.created"
        await api_a.gql(DELETE_PROJECT, owner.token, id=project)
        frame = await client.frame()
        assert frame.id == op_id, frame
        assert frame.errors, frame
        assert frame.errors[0]["extensions"] == {"code": "NOT_FOUND", "field": "projectId"}


async def test_anonymous_is_refused(server_a: Server, api_a: Api) -> None:
    user = await sign_up(api_a)
    project = await create_project(api_a, user)
    async with ws_client(server_a.url, TRANSPORT_WS) as client:
        error = await expect_error(client, PROJECT_ACTIVITY, projectId=project, afterSeq=0)
        assert error["extensions"]["code"] == "UNAUTHENTICATED"


async def test_many_watchers_of_one_busy_project(server_a: Server, api_a: Api) -> None:
    """Concurrent edits through HTTP (their messages may be published out of commit order):
    every watcher gets every event once, in seq order."""
    user = await sign_up(api_a)
    project = await create_project(api_a, user)
    scene = await add_scene(api_a, user, await create_storyboard(api_a, user, project))
    async with (
        ws_client(server_a.url, TRANSPORT_WS, user.token) as one,
        ws_client(server_a.url, LEGACY_WS, user.token) as other,
    ):
        for watcher in (one, other):
            await watcher.subscribe(PROJECT_ACTIVITY, projectId=project, afterSeq=3)
        await asyncio.gather(*(edit(api_a, user, scene, f"take {i}") for i in range(12)))
        streams = [await values(watcher, 12) for watcher in (one, other)]
        for watcher in (one, other):
            await watcher.quiet(0.3)
    everything = await stored(api_a, user, project)
    for stream in streams:
        assert stream == everything[3:]
        assert [e["seq"] for e in stream] == list(range(4, 16))


async def test_a_mutation_over_websocket_is_its_credentials(server_a: Server, api_a: Api) -> None:
    """graphql-transport-ws carries mutations too: their events name the socket's credential."""
    user = await sign_up(api_a)
    project = await create_project(api_a, user)
    created = await api_a.gql(
        'mutation { createApiKey(name: "ws") { key apiKey { id } } }', user.token
    )
    key = created["createApiKey"]
    async with ws_client(server_a.url, TRANSPORT_WS, key["key"]) as client:
        op_id = await client.subscribe(
            'mutation($id: ID!) { updateProject(id: $id, input: {title: "Over WS"}) { id } }',
            id=project,
        )
        assert (await client.frame()).type == "next"
        assert (await client.frame()).id == op_id
    (event,) = (await stored(api_a, user, project))[1:]
    assert event["action"] == "project.updated"
    assert event["actor"] == {
        "kind": "API_KEY",
        "userId": user.id,
        "apiKeyId": key["apiKey"]["id"],
        "jobId": None,
    }


async def test_identical_watchers_share_one_execution_per_event(
    server_a: Server, api_a: Api
) -> None:
    """Watchers with the same selection share the project's live tail (schema.fanout): each
    event is executed once for all of them, on both protocols; another selection gets a feed
    (and frames) of its own."""
    user = await sign_up(api_a)
    project = await create_project(api_a, user)
    scene = await add_scene(api_a, user, await create_storyboard(api_a, user, project))  # seq 3
    async with asyncio.timeout(60), AsyncExitStack() as stack:
        watchers = []
        for i in range(6):
            client = await stack.enter_async_context(
                ws_client(server_a.url, PROTOCOLS[i % 2], user.token)
            )
            watchers.append(client)
        narrow = await stack.enter_async_context(ws_client(server_a.url, LEGACY_WS, user.token))
        for client in watchers:
            await client.subscribe(PROJECT_ACTIVITY, projectId=project, afterSeq=2)
        await narrow.subscribe(NARROW_ACTIVITY, projectId=project, afterSeq=2)
        # Each one's head (seq 3, executed for it alone) shows it has joined its feed.
        for client in (*watchers, narrow):
            assert (await client.next_value("projectActivity"))["seq"] == 3
        assert await metric(api_a, "storygraph_live_feeds") == 2
        before = await executions(api_a)
        for i in range(3):
            await edit(api_a, user, scene, f"take {i}")
        streams = [await values(client, 3) for client in watchers]
        narrowed = await values(narrow, 3)
        # Three events, each executed once per feed: once for the six, once for the narrow one.
        assert await executions(api_a) - before == 6
        for client in (*watchers, narrow):
            await client.quiet(0.3)
    everything = await stored(api_a, user, project)
    for stream in streams:
        assert stream == everything[3:6]
    assert narrowed == [{"seq": e["seq"], "action": e["action"]} for e in everything[3:6]]
    assert [e["seq"] for e in everything] == [1, 2, 3, 4, 5, 6]

    async def released() -> bool:
        return await metric(api_a, "storygraph_live_feeds") == 0

    await eventually(released, "the feeds are released")
