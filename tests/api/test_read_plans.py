"""Read plans (schema.read_plan) answer exactly what graphql-core's executor answers.

Every document goes to the same app twice: with plans, then with plans switched off. The two
responses must be the same bytes (values, nulls, key order, errors), and a spy on the plan runner
proves the plan did run and did not fall back, so the comparison cannot pass vacuously.
"""

import json
import logging
import random
from dataclasses import dataclass, field
from typing import Any

import pytest
from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLOutputType
from tortoise import connections

import schema.execution
import schema.read_run
from bench.reads.documents import DOCUMENTS as WORKLOADS
from models import Asset, AssetKind, AssetStatus, Scene, Storyboard
from schema import schema as strawberry_schema
from schema.operation_guard import LIST_SIZES
from schema.read_plan import covered
from schema.relations import root_of
from tests.conftest import POSTGRES
from tests.creative import SET_SCENE_CHARACTERS, add_keyframe, create_character
from tests.helpers import ADD_SCENE, Api, StatementCounter, User, create_project, sign_up

SET_TASK = """
mutation ($sceneId: ID!, $taskType: TaskType!) {
  setTaskCompleted(sceneId: $sceneId, taskType: $taskType, completed: true) { id }
}
"""
CREATE_STORYBOARD = """
mutation ($input: CreateStoryboardInput!) { createStoryboard(input: $input) { id } }
"""
CREATE_JOB = """
mutation ($input: CreateJobInput!) { createJob(input: $input) { id } }
"""
SET_CHARACTER_IMAGE = """
mutation ($id: ID!, $assetId: ID) { setCharacterImage(id: $id, assetId: $assetId) { id } }
"""
SET_KEYFRAME_IMAGE = """
mutation ($id: ID!, $assetId: ID) { setKeyframeImage(id: $id, assetId: $assetId) { id } }
"""
CHARACTER = """id name description consistencyKey createdAt updatedAt project { id title }
    image { id fileName status } assets { id kind character { id name } keyframe { id } }
    scenes { id sceneNumber storyboard { id } }"""
KEYFRAME = """id sequence description timingSeconds createdAt updatedAt scene { id sceneNumber }
    image { id keyframe { sequence } } assets { id fileName keyframe { id } character { id } }"""

PROGRESS = "progress { totalTasks completedTasks ratio }"

DOCUMENTS = {
    # The benchmark's three workloads, verbatim (bench/reads/documents.py).
    "dashboard": WORKLOADS["W1"],
    "project page": WORKLOADS["W2"],
    "whole tree": WORKLOADS["W3"],
    "progress everywhere": f"""query ($id: ID!) {{ project(id: $id) {{
        {PROGRESS} storyboardCount storyboards {{ totalCount
            edges {{ node {{ {PROGRESS} scenes {{ {PROGRESS} }} }} }} }} }} }}""",
    "fragments, aliases, __typename, interleaved keys": """
        query Frag { __typename me { __typename ...U
            projects(first: 2) { __typename totalCount pageInfo { __typename hasNextPage endCursor }
                edges { __typename cursor node { ...P } } } } }
        fragment U on User { id email name image createdAt updatedAt }
        fragment P on Project { t: title id ... on Project { status }
            storyboards { edges { node { s: scenes { n: sceneNumber tasks { taskType } id }
                progress { ratio } title } } } storyboardCount }""",
    "the same field twice, merged": """{ me { projects { edges { node { id } } }
        projects { edges { node { title } cursor } } } }""",
    "roots by id": """query ($p: ID!, $s: ID!, $c: ID!) {
        project(id: $p) { id title } storyboard(id: $s) { id referenceUrls totalDuration }
        scene(id: $c) { id script tasks { taskType completedAt } progress { completedTasks } }
        me { id } }""",
    "connection without nodes": """{ me { projects(first: 1) { totalCount
        pageInfo { hasNextPage endCursor } edges { cursor } } } }""",
    "walking up": """query ($id: ID!) { project(id: $id) { owner { id email }
        storyboards { edges { node { project { id title } scenes { storyboard { id }
            tasks { scene { id sceneNumber storyboard { title project { owner { name } } } } } }
        } } } } }""",
    "include and skip": """query ($yes: Boolean!, $no: Boolean!) { me {
        id @include(if: $yes) email @skip(if: $yes) name @include(if: $no)
        projects { totalCount @include(if: $no) edges { node { id
            ... on Project @skip(if: $no) { title storyboardCount }
            ...P @include(if: $yes) } } } } }
        fragment P on Project { status progress @skip(if: true) { ratio } }""",
    "the creative model": """query ($id: ID!, $s: ID!, $c: ID!) { project(id: $id) {
        characters { id name consistencyKey image { id } assets { id character { id } }
            scenes { id sceneNumber } } }
        storyboard(id: $s) { scenes { id characters { id name }
            keyframes { id sequence timingSeconds scene { id } image { id keyframe { id } }
                assets { id fileName } } } }
        scene(id: $c) { keyframes { id sequence } characters { consistencyKey } } }""",
    "creative roots": f"""query ($ch: ID!, $kf: ID!) {{ character(id: $ch) {{ {CHARACTER} }}
        keyframe(id: $kf) {{ {KEYFRAME} }} }}""",
    "api keys and jobs": """{ me { apiKeys { id name prefix scopes createdAt lastUsedAt }
        projects { edges { node { jobs(first: 5) { totalCount edges { node {
            id kind status stage progress projectId storyboardId storyboard { id }
            project { id } events(afterSeq: 0) { seq status at } } } } } } } } }""",
    # JSON `changes` and the resolved `actor` are not plain values: those run through graphql-core.
    "project activity": """query ($id: ID!) { project(id: $id) { activity(first: 5) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { seq at action entityType entityId } } }
        newer: activity(afterSeq: 2) { totalCount edges { node { seq action } } } }
        me { projects { edges { node { activity(first: 2) { edges { node { seq } } } } } } } }""",
}


@dataclass
class Spy:
    outcomes: list[str] = field(default_factory=list)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    recorded = Spy()
    real = schema.read_run.run

    async def run(*args: Any) -> Any:
        try:
            result = await real(*args)
        except Exception:
            recorded.outcomes.append("fell back")
            raise
        recorded.outcomes.append("ran")
        return result

    monkeypatch.setattr(schema.read_run, "run", run)
    return recorded


@dataclass
class Graph:
    user: User
    other: User
    project_ids: list[str]
    storyboard_ids: list[str]
    scene_ids: list[str]
    other_project_id: str
    character_ids: list[str] = field(default_factory=list)
    keyframe_ids: list[str] = field(default_factory=list)


@pytest.fixture
async def graph(api: Api) -> Graph:
    """Two users; the first with three projects (one empty), storyboards with and without
    scenes, reference URLs, scripts, some tasks completed, a generated storyboard."""
    user, other = await sign_up(api), await sign_up(api)
    project_ids = [
        await create_project(api, user, "Launch", description="A launch film."),
        await create_project(api, user, "Teaser", status="ACTIVE"),
        await create_project(api, user, "Empty"),
    ]
    storyboard_ids, scene_ids = [], []
    for p, project_id in enumerate(project_ids[:2]):
        for b in range(2):
            data = await api.gql(
                CREATE_STORYBOARD,
                user.token,
                input={
                    "projectId": project_id,
                    "title": f"Cut {p}{b}",
                    "brief": 'A brief with "quotes" and ünïcode.',
                    "referenceUrls": [f"https://example.com/{p}/{b}"] if b else [],
                },
            )
            storyboard_ids.append(data["createStoryboard"]["id"])
    for b, storyboard_id in enumerate(storyboard_ids[:3]):
        for s in range(3 - b):
            scene = {"visualDescription": f"Shot {s}", "duration": 4 + s}
            if s % 2:
                scene.update(script="Hello.", cameraAngle="low", textOverlay="Title")
            data = await api.gql(
                ADD_SCENE, user.token, storyboardId=storyboard_id, input=scene, position=None
            )
            scene_ids.append(data["addScene"]["id"])
    for i, scene_id in enumerate(scene_ids):
        for task_type in ("SCRIPT_WRITTEN", "EDITED")[: i % 3]:
            await api.gql(SET_TASK, user.token, sceneId=scene_id, taskType=task_type)
    await Storyboard.filter(id=storyboard_ids[0]).update(pattern_source="ad-30s")
    await Scene.filter(id=scene_ids[0]).update(scene_type="CTA")
    for storyboard_id in (None, storyboard_ids[1]):
        job = {"projectId": project_ids[0], "storyboardId": storyboard_id, "kind": "render"}
        await api.gql(CREATE_JOB, user.token, input=job)
    other_project_id = await create_project(api, other, "Not yours")
    graph = Graph(user, other, project_ids, storyboard_ids, scene_ids, other_project_id)
    await add_creative(api, graph)
    return graph


def ready_image(project_id: str, **place: str) -> Asset:
    """A READY image row (no bytes stored: nothing here downloads it)."""
    asset = Asset(
        project_id=project_id,
        kind=AssetKind.IMAGE,
        status=AssetStatus.READY,
        file_name="still.png",
        content_type="image/png",
        size_bytes=10,
        **place,
    )
    asset.storage_key = f"plans/{asset.id}"
    return asset


async def add_creative(api: Api, graph: Graph) -> None:
    """Characters of the first project (one without cast, image or assets), casts, keyframes
    (one scene with none), chosen images and unchosen ones."""
    token, project = graph.user.token, graph.project_ids[0]
    for name in ("Zoe", "Ada", "Max"):
        graph.character_ids.append(await create_character(api, graph.user, project, name))
    zoe, ada, _ = graph.character_ids
    await api.gql(SET_SCENE_CHARACTERS, token, sceneId=graph.scene_ids[0], characterIds=[zoe, ada])
    await api.gql(SET_SCENE_CHARACTERS, token, sceneId=graph.scene_ids[2], characterIds=[ada])
    for scene_id in graph.scene_ids[:2]:
        for n in range(2):
            graph.keyframe_ids.append(
                await add_keyframe(api, graph.user, scene_id, f"Frame {n}", timingSeconds=n * 0.5)
            )
    images = [ready_image(project, character_id=c) for c in (zoe, zoe, ada)]
    images += [
        ready_image(project, keyframe_id=k, scene_id=graph.scene_ids[0])
        for k in graph.keyframe_ids[:2]
    ]
    for image in images:
        await image.save()
    await api.gql(SET_CHARACTER_IMAGE, token, id=zoe, assetId=str(images[1].id))
    await api.gql(SET_KEYFRAME_IMAGE, token, id=graph.keyframe_ids[0], assetId=str(images[3].id))


async def both_ways(
    api: Api,
    monkeypatch: pytest.MonkeyPatch,
    query: str,
    token: str | None,
    variables: dict[str, Any] | None = None,
) -> str:
    """The response with plans; asserts it is byte for byte the one without."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = {"query": query, "variables": variables or {}}
    planned = await api.client.post("/graphql", json=body, headers=headers)
    with monkeypatch.context() as patch:
        patch.setattr(schema.execution, "plan_for", lambda *args: None)
        executed = await api.client.post("/graphql", json=body, headers=headers)
    assert planned.status_code == executed.status_code
    assert planned.text == executed.text
    return planned.text


@pytest.mark.parametrize("name", DOCUMENTS)
async def test_documents_answer_as_the_executor_does(
    api: Api, graph: Graph, spy: Spy, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    variables = {
        "id": graph.project_ids[0],
        "p": graph.project_ids[1],
        "s": graph.storyboard_ids[0],
        "c": graph.scene_ids[1],
        "ch": graph.character_ids[0],
        "kf": graph.keyframe_ids[0],
        "yes": True,
        "no": False,
    }
    text = await both_ways(api, monkeypatch, DOCUMENTS[name], graph.user.token, variables)
    assert spy.outcomes == ["ran"], text
    assert '"errors"' not in text


async def test_pages_filters_and_cursors(
    api: Api, graph: Graph, spy: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = """query ($first: Int, $after: String, $status: ProjectStatus) {
        me { projects(first: $first, after: $after, status: $status) {
            totalCount pageInfo { hasNextPage endCursor }
            edges { cursor node { id title } } } } }"""
    token = graph.user.token
    first = await both_ways(api, monkeypatch, query, token, {"first": 1})
    cursor = first.split('"endCursor":"')[1].split('"')[0]
    await both_ways(api, monkeypatch, query, token, {"first": 1, "after": cursor})
    await both_ways(api, monkeypatch, query, token, {"first": 5, "after": cursor})
    await both_ways(api, monkeypatch, query, token, {"status": "ACTIVE"})
    assert spy.outcomes == ["ran"] * 4


async def test_other_users_objects_are_null_either_way(
    api: Api, graph: Graph, spy: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = "query ($id: ID!) { project(id: $id) { id title storyboards { totalCount } } }"
    text = await both_ways(
        api, monkeypatch, query, graph.user.token, {"id": graph.other_project_id}
    )
    assert text == '{"data":{"project":null}}'
    assert spy.outcomes == ["ran"]


@pytest.mark.parametrize(
    ("query", "variables", "token", "code"),
    [
        ("query ($id: ID!) { project(id: $id) { id } }", {"id": "nope"}, True, "BAD_USER_INPUT"),
        ("{ me { projects(first: 0) { totalCount } } }", {}, True, "BAD_USER_INPUT"),
        ('{ me { projects(after: "garbage") { totalCount } } }', {}, True, "BAD_USER_INPUT"),
        ("query ($id: ID!) { project(id: $id) { id } }", {"id": "x"}, False, "UNAUTHENTICATED"),
    ],
)
async def test_errors_are_the_executors(
    api: Api,
    graph: Graph,
    spy: Spy,
    monkeypatch: pytest.MonkeyPatch,
    query: str,
    variables: dict[str, Any],
    token: bool,
    code: str,
) -> None:
    text = await both_ways(api, monkeypatch, query, graph.user.token if token else None, variables)
    assert f'"code":"{code}"' in text
    assert spy.outcomes == ["fell back"]


async def test_a_bad_token_is_refused_as_before(
    api: Api, graph: Graph, spy: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = await both_ways(api, monkeypatch, "{ me { id } }", "not-a-token")
    assert '"code":"UNAUTHENTICATED"' in text


@pytest.mark.parametrize(
    "query",
    [
        "{ __schema { queryType { name } } }",
        "{ me { projects { edges { node { jobs { edges { node { payload } } } } } } } }",
        "query ($c: ID!) { scene(id: $c) { assets { url } } }",
    ],
)
async def test_what_plans_do_not_cover_runs_through_the_executor(
    api: Api, graph: Graph, spy: Spy, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    variables = {"c": graph.scene_ids[0]} if "$c" in query else {}
    await both_ways(api, monkeypatch, query, graph.user.token, variables)
    assert spy.outcomes == []


async def test_include_and_skip_plan_each_combination(
    api: Api, graph: Graph, spy: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = "query ($a: Boolean!, $b: Boolean!) { me { id @include(if: $a) email @skip(if: $b) } }"
    for a in (True, False):
        for b in (True, False):
            await both_ways(api, monkeypatch, query, graph.user.token, {"a": a, "b": b})
    assert spy.outcomes == ["ran"] * 4


# -- random documents over everything plans cover -------------------------------------------

GRAPHQL = strawberry_schema._schema
# The total cost (schema.operation_guard) a random document may reach: far below the limit.
BUDGET = 200_000


def named(gtype: GraphQLOutputType) -> Any:
    while isinstance(gtype, GraphQLNonNull | GraphQLList):
        gtype = gtype.of_type
    return gtype


def object_type(name: str) -> GraphQLObjectType:
    found = GRAPHQL.type_map[name]
    assert isinstance(found, GraphQLObjectType)
    return found


def plan_fields(gtype: GraphQLObjectType) -> list[str]:
    """The fields of `gtype` a plan answers (a connection's own fields: all of them)."""
    if gtype.name.endswith(("Connection", "Edge")) or gtype.name == "PageInfo":
        return list(gtype.fields)
    return [name for name, field in gtype.fields.items() if covered(field)]


def random_selection(
    rng: random.Random, gtype: GraphQLObjectType, budget: list[int], depth: int = 0, size: int = 1
) -> str:
    """A selection of the covered fields of `gtype`; `size`: how many objects it applies to."""
    choices: list[tuple[str, GraphQLObjectType | None, int | None, int]] = []
    for name in plan_fields(gtype):
        field = gtype.fields[name]
        child = named(field.type)
        if not isinstance(child, GraphQLObjectType):
            choices.append((name, None, None, size))
            continue
        first = rng.randint(1, 3) if "first" in field.args else None
        many = first or LIST_SIZES.get((gtype.name, name), 20 if _is_list(field.type) else 1)
        if depth < 6 and size * many * 3 <= budget[0]:
            choices.append((name, child, first, size * many))
    picked = rng.sample(choices, rng.randint(1, len(choices)))
    parts = []
    for i, (name, child, first, child_size) in enumerate(picked):
        alias = f"a{depth}_{i}: " if rng.random() < 0.2 else ""
        args = f"(first: {first})" if first else ""
        sub = ""
        if child is not None:
            budget[0] -= child_size * 3
            sub = f" {{ {random_selection(rng, child, budget, depth + 1, child_size)} }}"
        parts.append(f"{alias}{name}{args}{sub}")
    if rng.random() < 0.2:
        parts.append("__typename")
    if rng.random() < 0.2 and len(parts) > 1:
        parts = [*parts[:1], f"... on {gtype.name} {{ {' '.join(parts[1:])} }}"]
    return " ".join(parts)


def _is_list(gtype: GraphQLOutputType) -> bool:
    return isinstance(gtype.of_type if isinstance(gtype, GraphQLNonNull) else gtype, GraphQLList)


async def test_random_documents_answer_as_the_executor_does(
    api: Api, graph: Graph, spy: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(20261122)
    for _ in range(40):
        budget = [BUDGET]
        if rng.random() < 0.5:
            query = f"{{ me {{ {random_selection(rng, object_type('User'), budget)} }} }}"
            variables = {}
        else:
            selection = random_selection(rng, object_type("Project"), budget)
            query = f"query ($id: ID!) {{ project(id: $id) {{ {selection} }} }}"
            variables = {"id": rng.choice(graph.project_ids)}
        text = await both_ways(api, monkeypatch, query, graph.user.token, variables)
        assert '"errors"' not in text, (query, text)
    assert spy.outcomes == ["ran"] * 40


@pytest.mark.parametrize(
    ("name", "statements"),
    [
        # the caller, a page of projects, storyboardCount with progress (one statement)
        ("dashboard", 3),
        # the caller, the project, its storyboards, their scenes, their tasks
        ("project page", 5),
        # the caller, projects, storyboards, scenes, tasks
        ("whole tree", 5),
    ],
)
async def test_one_statement_per_level(
    api: Api, graph: Graph, spy: Spy, count_statements: StatementCounter, name: str, statements: int
) -> None:
    api.forget_callers()
    count_statements.statements.clear()
    await api.gql(DOCUMENTS[name], graph.user.token, id=graph.project_ids[0])
    assert spy.outcomes == ["ran"]
    assert len(count_statements.statements) == statements, count_statements.statements


@pytest.mark.skipif(not POSTGRES, reason="a PostgreSQL session setting")
async def test_statements_reuse_their_generic_plan(api: Api) -> None:
    """The app's connections plan each prepared statement once (services.db.SERVER_SETTINGS)."""
    rows = await connections.get("default").execute_query_dict("SHOW plan_cache_mode")
    assert rows == [{"plan_cache_mode": "force_generic_plan"}]


async def test_a_plan_that_breaks_is_logged_and_the_executor_answers(
    api: Api,
    graph: Graph,
    spy: Spy,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(ctx: Any, **args: Any) -> Any:
        raise RuntimeError("a bug in a reader")

    root = root_of(object_type("Query").fields["me"])
    assert root is not None
    monkeypatch.setattr(root, "reader", broken)
    # A document of its own, so that its plan is compiled with the broken reader.
    query = "{ brokenPlanProbe: me { id email } }"
    with caplog.at_level(logging.WARNING, logger="schema.execution"):
        data = await api.gql(query, graph.user.token)
    assert data == {"brokenPlanProbe": {"id": graph.user.id, "email": graph.user.email}}
    assert spy.outcomes == ["fell back"]
    assert "read plan failed" in caplog.text
    assert "a bug in a reader" in caplog.text


async def test_storyboard_revisions_run_as_a_plan(
    api: Api, graph: Graph, spy: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    for label in ("first", "second", "third"):
        await api.gql(
            "mutation ($s: ID!, $l: String) { saveStoryboardRevision(storyboardId: $s, label: $l)"
            " { id } }",
            graph.user.token,
            s=graph.storyboard_ids[0],
            l=label,
        )
    query = """query ($s: ID!, $after: String) {
      storyboard(id: $s) {
        version
        revisions(first: 2, after: $after) {
          totalCount pageInfo { hasNextPage endCursor }
          edges { cursor node { id version label origin generationModel wordCount sceneCount
                                totalDuration createdAt storyboard { id version } } }
        }
      }
    }"""
    first = await both_ways(
        api, monkeypatch, query, graph.user.token, {"s": graph.storyboard_ids[0]}
    )
    cursor = json.loads(first)["data"]["storyboard"]["revisions"]["pageInfo"]["endCursor"]
    second = await both_ways(
        api, monkeypatch, query, graph.user.token, {"s": graph.storyboard_ids[0], "after": cursor}
    )

    assert spy.outcomes == ["ran", "ran"]
    assert [
        e["node"]["label"] for e in json.loads(first)["data"]["storyboard"]["revisions"]["edges"]
    ] == ["third", "second"]
    assert [
        e["node"]["label"] for e in json.loads(second)["data"]["storyboard"]["revisions"]["edges"]
    ] == ["first"]
