"""Property-based fuzzing of both WebSocket protocols against a real uvicorn server: whatever
frame a client sends, the server answers with a coded error or the protocol's documented close
code — never 1011 (internal error), never INTERNAL, never a hang — and writes nothing.

Hypothesis runs in a worker thread and hands each case to the test's event loop with a bound on
its time (as tests/api/test_invariants.py does). Runs are derandomized.
"""

import asyncio
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from tests.fuzzing import fuzz_settings, json_values, run_on
from tests.helpers import Api, create_project, sign_up
from tests.live.clients import PROTOCOLS, ws_url
from tests.live.conftest import Server

QUIET = 0.3  # after this long without a message the server has answered what it will
# Close codes a well-behaved server may use: normal, and the protocols' own 44xx codes.
ALLOWED_CLOSE = {1000, 1001, 4400, 4401, 4403, 4406, 4408, 4409, 4429}

MESSAGE_TYPES = [
    "connection_init",
    "subscribe",
    "start",
    "next",
    "complete",
    "stop",
    "ping",
    "pong",
    "connection_terminate",
    "error",
    "nope",
]
DOCUMENTS = [
    "subscription($j: ID!) { jobProgress(jobId: $j) { seq status } }",
    "subscription($p: ID!) { projectProgress(projectId: $p) { totalTasks } }",
    # Needs the id of an existing project, which the fuzzer cannot guess: it can only fail.
    "mutation($i: CreateStoryboardInput!) { createStoryboard(input: $i) { id } }",
    "query { me { id } }",
    "{",
]
payloads = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {},
        optional={
            "query": json_values | st.sampled_from(DOCUMENTS),
            "variables": json_values,
            "operationName": json_values,
            "Authorization": json_values,
        },
    ),
)
frames = st.one_of(
    st.text(max_size=40),  # not JSON, or not an object
    json_values.map(json.dumps),
    st.fixed_dictionaries(
        {"type": st.sampled_from(MESSAGE_TYPES) | json_values},
        optional={"id": json_values | st.sampled_from(["1", "2"]), "payload": payloads},
    ).map(json.dumps),
)
cases = st.tuples(
    st.sampled_from(PROTOCOLS), st.booleans(), st.lists(frames, min_size=1, max_size=3)
)


def check_message(raw: str | bytes) -> None:
    assert isinstance(raw, str), raw
    message = json.loads(raw)
    if message.get("type") in ("error", "next", "data", "connection_error"):
        payload = message.get("payload")
        errors = payload if isinstance(payload, list) else (payload or {}).get("errors") or []
        if message["type"] in ("error", "connection_error") and isinstance(payload, dict):
            errors = [payload] if "message" in payload else errors
        for error in errors:
            code = (error.get("extensions") or {}).get("code") or error.get("code")
            assert code not in (None, "INTERNAL"), message


async def play(
    server: Server, token: str, protocol: Any, init_first: bool, sent: list[str]
) -> None:
    async with connect(
        ws_url(server.url),
        subprotocols=[Subprotocol(protocol.name)],
        proxy=None,
        open_timeout=5,
        close_timeout=1,
        compression=None,
    ) as socket:
        try:
            if init_first:
                init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
                await socket.send(json.dumps(init))
                async with asyncio.timeout(5):
                    assert json.loads(await socket.recv())["type"] == "connection_ack"
            for frame in sent:
                await socket.send(frame)
            while True:
                try:
                    async with asyncio.timeout(QUIET):
                        raw = await socket.recv()
                except TimeoutError:
                    return
                check_message(raw)
        except ConnectionClosed as closed:
            received = closed.rcvd
        else:
            return
    code = received.code if received else None
    assert code in ALLOWED_CLOSE, (code, received.reason if received else None)


FUZZ = fuzz_settings(60)


async def test_malformed_websocket_frames_get_codes_and_write_nothing(
    server_a: Server, api_a: Api
) -> None:
    user = await sign_up(api_a)
    project_id = await create_project(api_a, user)
    loop = asyncio.get_running_loop()
    count = "query($id: ID!) { project(id: $id) { storyboardCount jobs { totalCount } } }"
    before = await api_a.gql(count, user.token, id=project_id)

    @FUZZ
    @given(case=cases)
    def fuzz(case: tuple[Any, bool, list[str]]) -> None:
        run_on(loop, play(server_a, user.token, *case))
        ran.append(1)

    ran: list[int] = []
    await asyncio.to_thread(fuzz)
    assert len(ran) >= 40  # the cases really ran
    assert await api_a.gql(count, user.token, id=project_id) == before
    projects = await api_a.gql("query { me { projects { totalCount } } }", user.token)
    assert projects["me"]["projects"]["totalCount"] == 1
