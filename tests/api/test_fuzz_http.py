"""Property-based fuzzing of the HTTP transport: whatever a client sends, never a 5xx, never
INTERNAL, never a hang, and a refused request writes nothing.

Hypothesis generates request bodies (any JSON value, objects with every member of the wrong
type, bytes that are not JSON) and variable values for real operations (any JSON where the
schema wants IDs, strings, numbers, enums or input objects). Each case runs against the real
app on the test's event loop, handed over from the worker thread Hypothesis runs in (as in
tests/api/test_invariants.py) with a bound on its time. Runs are derandomized.
"""

import asyncio
from typing import Any

import orjson
from hypothesis import given
from hypothesis import strategies as st

from models import ApiKey, Asset, Job, Project, Scene, Storyboard, User
from tests.fuzzing import fuzz_settings, json_values, run_on
from tests.helpers import Api, add_scene, create_project, create_storyboard, sign_up

# Real operations of the contract, with every variable the fuzzer fills in.
OPERATIONS = [
    "mutation($e: String!, $p: String!) { signUp(email: $e, password: $p) { token } }",
    "mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }",
    "mutation($i: CreateProjectInput!) { createProject(input: $i) { id } }",
    "mutation($id: ID!, $i: UpdateProjectInput!) { updateProject(id: $id, input: $i) { id } }",
    "mutation($i: CreateStoryboardInput!) { createStoryboard(input: $i) { id } }",
    "mutation($i: GenerateStoryboardInput!) { generateStoryboard(input: $i) { id } }",
    "mutation($s: ID!, $i: SceneInput!, $p: Int) { addScene(storyboardId: $s, input: $i, "
    "position: $p) { id } }",
    "mutation($id: ID!, $p: Int!) { moveScene(id: $id, position: $p) { id } }",
    "mutation($s: ID!, $t: TaskType!, $c: Boolean!) { setTaskCompleted(sceneId: $s, "
    "taskType: $t, completed: $c) { id } }",
    "mutation($i: CreateJobInput!) { createJob(input: $i) { id } }",
    "mutation($k: [String!]!, $l: Int) { claimJob(kinds: $k, leaseSeconds: $l) { id } }",
    "mutation($id: ID!, $p: Int!, $s: String) { reportJobProgress(id: $id, progress: $p, "
    "stage: $s) { id } }",
    "mutation($id: ID!, $r: JSON) { completeJob(id: $id, result: $r) { id } }",
    "mutation($i: CreateAssetUploadInput!) { createAssetUpload(input: $i) { uploadUrl } }",
    "mutation($n: String!, $s: [String!]) { createApiKey(name: $n, scopes: $s) { key } }",
    "query($a: String, $f: Int) { me { projects(first: $f, after: $a) { totalCount } } }",
    "query($id: ID!, $a: String) { project(id: $id) { jobs(after: $a) { totalCount } } }",
    "query($id: ID!) { storyboard(id: $id) { scenes { id } } }",
]
VARIABLES = ["e", "p", "i", "id", "s", "t", "c", "k", "l", "r", "n", "a", "f"]

bodies = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {},
        optional={
            "query": json_values | st.sampled_from(OPERATIONS),
            "variables": json_values,
            "operationName": json_values,
            "extensions": json_values,
        },
    ),
)
operation_cases = st.tuples(
    st.sampled_from(OPERATIONS),
    st.dictionaries(st.sampled_from(VARIABLES), json_values, max_size=4),
)

TABLES = (User, ApiKey, Project, Storyboard, Scene, Job, Asset)


async def snapshot() -> tuple[int, ...]:
    return tuple([await table.all().count() for table in TABLES])


def assert_contract_shaped(status: int, content: bytes) -> dict[str, Any]:
    assert status < 500, (status, content[:500])
    body = orjson.loads(content)
    assert isinstance(body, dict), content[:500]
    for error in body.get("errors") or []:
        code = error.get("extensions", {}).get("code")
        assert code not in (None, "INTERNAL"), error
        if code == "BAD_USER_INPUT":
            assert isinstance(error["extensions"].get("field"), str), error
    return body


FUZZ = fuzz_settings(400)


async def test_malformed_http_bodies_get_contract_errors_and_write_nothing(api: Api) -> None:
    user = await sign_up(api)
    loop = asyncio.get_running_loop()

    async def send(body: Any, raw: bytes | None) -> None:
        before = await snapshot()
        content = raw if raw is not None else orjson.dumps(body)
        response = await api.client.post(
            "/graphql",
            content=content,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {user.token}"},
        )
        body = assert_contract_shaped(response.status_code, response.content)
        if body.get("errors"):
            assert await snapshot() == before, body

    @FUZZ
    @given(body=bodies, raw=st.none() | st.binary(max_size=60))
    def case(body: Any, raw: bytes | None) -> None:
        run_on(loop, send(body, raw))
        ran.append(1)

    ran: list[int] = []
    await asyncio.to_thread(case)
    assert len(ran) >= 100  # the cases really ran


async def test_fuzzed_variables_never_break_the_contract(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    storyboard_id = await create_storyboard(api, user, project_id)
    await add_scene(api, user, storyboard_id)
    loop = asyncio.get_running_loop()

    async def send(document: str, variables: dict[str, Any]) -> None:
        before = await snapshot()
        response = await api.client.post(
            "/graphql",
            content=orjson.dumps({"query": document, "variables": variables}),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {user.token}"},
        )
        body = assert_contract_shaped(response.status_code, response.content)
        if body.get("errors"):
            assert await snapshot() == before, body

    @FUZZ
    @given(case=operation_cases)
    def fuzz(case: tuple[str, dict[str, Any]]) -> None:
        run_on(loop, send(*case))
        ran.append(1)

    ran: list[int] = []
    await asyncio.to_thread(fuzz)
    assert len(ran) >= 100  # the cases really ran
