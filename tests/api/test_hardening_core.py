"""Hardening: cancelled requests leak nothing (1), cost limit (3), NUL in input (10), forged
cursors (13), and the guards that keep them fixed. Each defect's test names its number."""

import asyncio
import base64
import uuid
from contextlib import suppress
from typing import Any

import asyncpg
import orjson
import pytest
from graphql import GraphQLCompositeType, GraphQLList, GraphQLNonNull, GraphQLObjectType
from tortoise import connections

from models import ApiKey, Asset, Project, Scene, SceneTask, Storyboard, User
from schema import schema
from schema.operation_guard import LIST_SIZES
from services.settings import Settings
from tests.conftest import POSTGRES, MakeApi
from tests.helpers import ADD_SCENE, Api, add_scene, create_project, create_storyboard, sign_up

# --- 1. a cancelled mutation never leaks a transaction -----------------------------------------


async def idle_in_transaction(database_url: str) -> list[str]:
    """Sessions of the test database left `idle in transaction` (PostgreSQL)."""
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch(
            "SELECT query FROM pg_stat_activity WHERE datname = current_database() "
            "AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()"
        )
    finally:
        await connection.close()
    return [row["query"] for row in rows]


async def pool_is_whole(within: float = 5.0) -> bool:
    """Every pooled connection is back in the pool (PostgreSQL) / the lock is free (SQLite).

    asyncpg gives back a connection whose query was cancelled in the background, once the
    server has answered the cancel: allow that a moment."""
    client: Any = connections.get("default")
    deadline = asyncio.get_running_loop().time() + within
    while True:
        if POSTGRES:
            whole = client._pool.get_idle_size() == client._pool.get_size()
        else:
            whole = not client._lock.locked()
        if whole or asyncio.get_running_loop().time() > deadline:
            return bool(whole)
        await asyncio.sleep(0.01)


async def cancel_after(api: Api, user: Any, storyboard_id: str, steps: int, pause: float) -> None:
    """Start addScene (several statements in one transaction) and cancel it part-way."""
    request = asyncio.ensure_future(
        api.post(
            ADD_SCENE,
            user.token,
            storyboardId=storyboard_id,
            input={"visualDescription": "Cancelled?", "duration": 3},
            position=1,
        )
    )
    for _ in range(steps):
        await asyncio.sleep(0)
    if pause:
        await asyncio.sleep(pause)
    request.cancel()
    with suppress(asyncio.CancelledError):
        await request


async def test_defect_1_a_cancelled_mutation_never_leaks_a_transaction(
    api: Api, settings: Settings
) -> None:
    """The client goes away at many different moments of a mutation (before, during and after
    BEGIN, the statements, COMMIT); each time the database stays usable at once, no connection
    stays `idle in transaction`, and the mutation happened whole or not at all."""
    user = await sign_up(api)
    storyboard_id = await create_storyboard(api, user, await create_project(api, user))
    await add_scene(api, user, storyboard_id)
    moments = [(steps, 0.0) for steps in range(0, 80, 2)]
    moments += [(0, pause / 1000) for pause in (0.2, 0.5, 1, 1.5, 2, 3, 4, 6, 8, 12)]

    for steps, pause in moments:
        await cancel_after(api, user, storyboard_id, steps, pause)
        held = f"a connection is still held after cancelling at {steps}/{pause}"
        assert await pool_is_whole(), held
        async with asyncio.timeout(5):  # hung forever before the fix (SQLite)
            assert await Project.all().count() == 1
        if POSTGRES:
            assert await idle_in_transaction(settings.database_url) == []

    # Whole or nothing: numbers 1..n, totals right, four tasks per scene.
    storyboard = await Storyboard.get(id=storyboard_id)
    found = await Scene.filter(storyboard_id=storyboard_id).values_list("scene_number", flat=True)
    numbers: list[Any] = sorted(found)
    assert numbers == list(range(1, len(numbers) + 1))
    assert storyboard.total_scenes == len(numbers)
    assert await SceneTask.filter(scene__storyboard_id=storyboard_id).count() == 4 * len(numbers)
    # And the app still works for everything else.
    await add_scene(api, user, storyboard_id)


async def test_defect_1_postgresql_ends_idle_transactions_as_a_backstop(
    make_api: MakeApi,
) -> None:
    if not POSTGRES:
        pytest.skip("a PostgreSQL session setting")
    async with make_api(db_idle_in_transaction_timeout_seconds=7):
        rows = await connections.get("default").execute_query_dict(
            "SHOW idle_in_transaction_session_timeout"
        )
    assert rows[0]["idle_in_transaction_session_timeout"] == "7s"


# --- 3. cost limit -----------------------------------------------------------------------------

# The three shapes of the attack, each within the depth limit (12): walking up and down again
# multiplies by a list's size per round.
WALK_SCENES = """
query Walk($id: ID!) {
  storyboard(id: $id) { scenes { storyboard { scenes { storyboard { scenes {
    storyboard { id } } } } } } }
}
"""
WALK_TASKS = """
query WalkTasks($id: ID!) {
  storyboard(id: $id) { scenes { tasks { scene { storyboard { scenes { tasks { scene {
    tasks { id } } } } } } } } }
}
"""
WALK_PROJECTS = """
query WalkProjects($id: ID!) {
  project(id: $id) { storyboards(first: 100) { edges { node { project {
    storyboards(first: 100) { edges { node { scenes { id } } } } } } } } }
}
"""


async def storyboard_with_scenes(api: Api, count: int) -> tuple[Any, str, str]:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    storyboard_id = await create_storyboard(api, user, project_id)
    for _ in range(count):
        await add_scene(api, user, storyboard_id)
    return user, project_id, storyboard_id


@pytest.mark.parametrize(
    ("document", "variable"),
    [(WALK_SCENES, "storyboard"), (WALK_TASKS, "storyboard"), (WALK_PROJECTS, "project")],
    ids=["scenes-storyboard", "tasks-scene", "storyboards-project"],
)
async def test_defect_3_exponential_nesting_is_refused_before_it_runs(
    api: Api, count_statements: Any, document: str, variable: str
) -> None:
    user, project_id, storyboard_id = await storyboard_with_scenes(api, 3)
    the_id = storyboard_id if variable == "storyboard" else project_id

    with count_statements.measure() as issued:
        body = await api.post(document, user.token, id=the_id)

    assert body["data"] is None
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "query"
    assert error["extensions"]["maxCost"] == 5_000_000
    assert error["extensions"]["cost"] > 5_000_000
    # Nothing ran but the caller's authentication.
    assert not [s for s in issued if "scenes" in s or "storyboards" in s], issued


async def test_defect_3_the_budget_is_a_setting_and_counts_first(make_api: MakeApi) -> None:
    async with make_api(max_query_cost=50) as api:
        user = await sign_up(api)
        small = "query { me { projects(first: 10) { edges { node { id } } } } }"
        large = "query { me { projects(first: 30) { edges { node { id } } } } }"
        assert "errors" not in await api.post(small, user.token)
        error = (await api.post(large, user.token))["errors"][0]
        # me 1 + connection 1 + 30 edges + 30 nodes
        assert error["extensions"] == {
            "code": "BAD_USER_INPUT",
            "field": "query",
            "cost": 62,
            "maxCost": 50,
        }
        # `first` from a variable counts the same.
        variable = "query($n: Int) { me { projects(first: $n) { edges { node { id } } } } }"
        assert (await api.post(variable, user.token, n=30))["errors"][0]["extensions"]["cost"] == 62


async def test_defect_3_an_operation_past_its_time_is_stopped_and_changes_nothing(
    make_api: MakeApi,
) -> None:
    """signUp hashes a password (tens of milliseconds): stopped half-way, it creates no user."""
    async with make_api(operation_timeout_seconds=0.005) as api:
        body = await api.post(
            'mutation { signUp(email: "late@example.com", password: "long enough") { token } }'
        )
        assert body["data"] is None
        (error,) = body["errors"]
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "query"}
        assert "ran longer than 0.005 s" in error["message"]
        assert await User.all().count() == 0
        assert await pool_is_whole()


def test_every_plain_list_of_objects_has_a_known_bound() -> None:
    """A new list field (not a connection) must say how long it can get, or the cost limit
    could not count it."""
    unbounded = []
    for type_ in schema._schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for name, field in type_.fields.items():
            gtype, is_list = field.type, False
            while isinstance(gtype, GraphQLNonNull | GraphQLList):
                is_list = is_list or isinstance(gtype, GraphQLList)
                gtype = gtype.of_type
            connection_part = type_.name.endswith("Connection") and name == "edges"
            bounded = (type_.name, name) in LIST_SIZES or connection_part
            if is_list and isinstance(gtype, GraphQLCompositeType) and not bounded:
                unbounded.append(f"{type_.name}.{name}")
    assert unbounded == []


def test_the_benchmark_documents_stay_well_inside_the_default_budget() -> None:
    from graphql import parse

    from bench.reads.documents import DOCUMENTS
    from schema.operation_guard import check

    for name, text in DOCUMENTS.items():
        document = parse(text)
        operation = document.definitions[0]
        # Half the default budget passes all three (W3, the whole tree, is ~2.04 million).
        check(schema._schema, operation, {}, {"id": str(uuid.uuid4())}, 5_000_000 // 2)  # type: ignore[arg-type]
        assert name in ("W1", "W2", "W3")


# --- 10. NUL characters ------------------------------------------------------------------------

CREATE_PROJECT_VARS = (
    "mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }"
)
CREATE_JOB_VARS = "mutation($input: CreateJobInput!) { createJob(input: $input) { id } }"
SIGN_UP_VARS = """
mutation($email: String!, $password: String!) {
  signUp(email: $email, password: $password) { token }
}
"""


@pytest.mark.parametrize(
    ("document", "variables", "field"),
    [
        (CREATE_PROJECT_VARS, {"input": {"title": "a\x00b"}}, "title"),
        (CREATE_PROJECT_VARS, {"input": {"title": "T", "description": "\x00"}}, "description"),
        ('mutation { createProject(input: {title: "a\\u0000b"}) { id } }', {}, "title"),
        (SIGN_UP_VARS, {"email": "x\x00@example.com", "password": "long enough"}, "email"),
        (SIGN_UP_VARS, {"email": "x@example.com", "password": "long\x00enough"}, "password"),
        (
            'mutation { logIn(email: "x\\u0000@e.com", password: "whatever1") { token } }',
            {},
            "email",
        ),
    ],
    ids=["variable", "nullable", "literal", "sign-up-email", "password", "log-in-literal"],
)
async def test_defect_10_nul_in_text_is_bad_input_and_changes_nothing(
    api: Api, document: str, variables: dict[str, Any], field: str
) -> None:
    user = await sign_up(api)
    body = await api.post(document, user.token, **variables)
    assert body["data"] is None
    (error,) = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert await Project.all().count() == 0


async def test_defect_10_nul_anywhere_in_json_is_bad_input(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    for payload in ({"a": "\x00"}, {"a\x00": 1}, [1, ["\x00"]], "\x00"):
        body = await api.post(
            CREATE_JOB_VARS,
            user.token,
            input={"projectId": project_id, "kind": "render", "payload": payload},
        )
        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "payload"}
    literal = (
        'mutation($p: ID!) { createJob(input: {projectId: $p, kind: "render", '
        'payload: {deep: ["x\\u0000"]}}) { id } }'
    )
    body = await api.post(literal, user.token, p=project_id)
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "payload"}
    jobs = await api.gql(
        "query($id: ID!) { project(id: $id) { jobs { totalCount } } }", user.token, id=project_id
    )
    assert jobs["project"]["jobs"]["totalCount"] == 0


# --- 13. forged cursors ------------------------------------------------------------------------


def forged(sort_value: object, row_id: object = None) -> str:
    raw = orjson.dumps([sort_value, str(row_id or uuid.uuid4())])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


FORGED = [
    forged("9999-12-31T23:59:59.999999-23:59"),
    forged("0001-01-01T00:00:00+23:59"),
    forged("2026-01-01T00:00:00"),  # no offset
    forged(12),
    forged("2026-01-01T00:00:00+00:00", "not-a-uuid"),
    "%%%",
    base64.urlsafe_b64encode(b"[1,2,3]").decode(),
    "A" * 5000,
]


@pytest.mark.parametrize("cursor", FORGED, ids=range(len(FORGED)))
async def test_defect_13_forged_cursors_are_bad_input(api: Api, cursor: str) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    documents = [
        "query($after: String) { me { projects(after: $after) { totalCount } } }",
        "query($id: ID!, $after: String) { project(id: $id) { storyboards(after: $after) "
        "{ totalCount } } }",
        "query($id: ID!, $after: String) { project(id: $id) { jobs(after: $after) "
        "{ totalCount } } }",
    ]
    for document in documents:
        body = await api.post(document, user.token, id=project_id, after=cursor)
        (error,) = body["errors"]
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}, body


# --- 3. the other bounds: response size, and the list sizes the cost limit counts on -----------

CREATE_API_KEY = 'mutation($n: String!) { createApiKey(name: $n, scopes: ["read"]) { key } }'
CREATE_UPLOAD = """
mutation($input: CreateAssetUploadInput!) { createAssetUpload(input: $input) { asset { id } } }
"""
JOB_EVENTS = "query($id: ID!, $after: Int) { job(id: $id) { events(afterSeq: $after) { seq } } }"


async def test_defect_3_a_response_over_the_limit_is_an_error(make_api: MakeApi) -> None:
    async with make_api(max_response_bytes=2000) as api:
        user = await sign_up(api)
        project_id = await create_project(api, user, title="x" * 400)
        small = await api.post(
            "query($id: ID!) { project(id: $id) { id } }", user.token, id=project_id
        )
        assert "errors" not in small
        large = (
            "query($id: ID!) { "
            + " ".join(f"p{i}: project(id: $id) {{ title }}" for i in range(6))
            + " }"
        )
        body = await api.post(large, user.token, id=project_id)
        assert body["data"] is None
        (error,) = body["errors"]
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "query"}
        assert "exceeds 2000 bytes" in error["message"]


async def test_the_api_keys_of_a_user_are_bounded(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("services.auth.MAX_API_KEYS", 2)
    user = await sign_up(api)
    await api.gql(CREATE_API_KEY, user.token, n="one")
    await api.gql(CREATE_API_KEY, user.token, n="two")
    error = await api.gql_error(CREATE_API_KEY, user.token, n="three")
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "name"}
    assert await ApiKey.all().count() == 2


async def test_the_assets_of_a_scene_are_bounded(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("services.assets.MAX_SCENE_ASSETS", 1)
    user = await sign_up(api)
    project_id = await create_project(api, user)
    scene_id = await add_scene(api, user, await create_storyboard(api, user, project_id))
    upload = {
        "projectId": project_id,
        "sceneId": scene_id,
        "kind": "IMAGE",
        "fileName": "a.png",
        "contentType": "image/png",
        "sizeBytes": 10,
    }
    await api.gql(CREATE_UPLOAD, user.token, input=upload)
    error = await api.gql_error(CREATE_UPLOAD, user.token, input=upload)
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "sceneId"}
    assert await Asset.all().count() == 1


async def test_job_events_come_at_most_a_page_at_a_time(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("services.jobs.MAX_EVENTS", 3)
    user = await sign_up(api)
    project_id = await create_project(api, user)
    job = (
        await api.gql(
            'mutation($p: ID!) { createJob(input: {projectId: $p, kind: "render"}) { id } }',
            user.token,
            p=project_id,
        )
    )["createJob"]
    claim = 'mutation { claimJob(kinds: ["render"]) { id } }'
    report = "mutation($id: ID!, $p: Int!) { reportJobProgress(id: $id, progress: $p) { seq } }"
    await api.gql(claim, user.token)
    for progress in (10, 20, 30):
        await api.gql(report, user.token, id=job["id"], p=progress)
    # Events 1..5: queued, claimed, three reports.
    first = (await api.gql(JOB_EVENTS, user.token, id=job["id"], after=0))["job"]["events"]
    assert [e["seq"] for e in first] == [1, 2, 3]
    rest = (await api.gql(JOB_EVENTS, user.token, id=job["id"], after=3))["job"]["events"]
    assert [e["seq"] for e in rest] == [4, 5]
