"""`node(id)` and `nodes(ids)`: every object type is a Node, found by id when it is the caller's.

A's world (tests.api.test_isolation.build_world) holds one or more objects of every type; A finds
each by id with its type, B (session or API key) finds none of them. A guard fails when the schema
gains an object type with an `id` that is not a Node, or a Node that `node` cannot find.
"""

import uuid
from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLInterfaceType, GraphQLObjectType, build_schema

from schema import schema
from schema.nodes import node_types
from services.limits import MAX_NODE_IDS
from services.nodes import OWNERS
from tests.api.test_isolation import MEDIA_HOST, World, b_token, build_world
from tests.conftest import MakeApi
from tests.helpers import Api, StatementCounter, add_scene, create_project, create_storyboard
from tests.webhooks import CREATE_WEBHOOK, PING_WEBHOOK

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"

NODE = """
query Node($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Project { title }
    ... on Storyboard { title project { id } }
    ... on Scene { sceneNumber tasks { id } }
    ... on SceneTask { taskType scene { id } }
    ... on Job { kind jobStatus: status }
    ... on Asset { fileName status }
    ... on User { email }
    ... on ApiKey { name }
    ... on Character { name project { id } }
    ... on Keyframe { sequence scene { id } }
    ... on StoryboardRevision { version storyboard { id } }
  }
}
"""
NODES = """
query Nodes($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }
"""
TASK_IDS = """
query TaskIds($id: ID!) { scene(id: $id) { tasks { id } } }
"""


@pytest.fixture
async def api(make_api: MakeApi, tmp_path: Path) -> Any:
    async with make_api(storage_url=f"file://{tmp_path / 'media'}", public_url=MEDIA_HOST) as api:
        yield api


async def every_object(api: Api, world: World) -> list[tuple[str, str]]:
    """(type name, id) of A's objects: at least one of every Node type."""
    ids = world.ids
    task = (await api.gql(TASK_IDS, world.a.token, id=ids.scenes[0]))["scene"]["tasks"][0]["id"]
    # A public address literal: nothing is delivered here (no worker runs).
    hook = {"url": "https://93.184.215.14/hook", "events": ["*"], "projectId": None}
    created = await api.gql(CREATE_WEBHOOK, world.a.token, input=hook)
    webhook = created["createWebhook"]["webhook"]["id"]
    delivery = (await api.gql(PING_WEBHOOK, world.a.token, id=webhook))["pingWebhook"]["id"]
    return [
        ("User", world.a.id),
        ("ApiKey", ids.api_key),
        ("Project", ids.project),
        ("Storyboard", ids.storyboard),
        ("Scene", ids.scenes[0]),
        ("Scene", ids.scenes[1]),
        ("SceneTask", task),
        ("Job", ids.jobs[0]),
        ("Job", ids.jobs[1]),
        ("Asset", ids.assets[0]),
        ("Asset", ids.assets[1]),
        ("Character", ids.character),
        ("Keyframe", ids.keyframes[0]),
        ("Keyframe", ids.keyframes[1]),
        ("StoryboardRevision", ids.revision),
        ("Webhook", webhook),
        ("WebhookDelivery", delivery),
    ]


async def test_node_finds_each_of_the_callers_objects_with_its_type(api: Api) -> None:
    world = await build_world(api)
    objects = await every_object(api, world)
    assert {name for name, _ in objects} == {cls.__name__ for cls in node_types().values()}

    for type_name, id in objects:
        found = (await api.gql(NODE, world.a.token, id=id))["node"]
        assert (found["__typename"], found["id"]) == (type_name, id)

    project = (await api.gql(NODE, world.a.token, id=world.ids.project))["node"]
    assert project["title"] == "A's secret project"
    storyboard = (await api.gql(NODE, world.a.token, id=world.ids.storyboard))["node"]
    assert storyboard["project"] == {"id": world.ids.project}
    scene = (await api.gql(NODE, world.a.token, id=world.ids.scenes[1]))["node"]
    assert (scene["sceneNumber"], len(scene["tasks"])) == (2, 4)
    key = (await api.gql(NODE, world.a.token, id=world.ids.api_key))["node"]
    assert key["name"] == "A's partner key"
    user = (await api.gql(NODE, world.a.token, id=world.a.id))["node"]
    assert user["email"] == world.a.email


async def test_nodes_line_up_with_the_ids_with_null_for_what_is_not_the_callers(api: Api) -> None:
    world = await build_world(api)
    objects = await every_object(api, world)
    ghost = str(uuid.uuid4())
    ids = [ghost, *[id for _, id in objects], world.b.id, objects[2][1]]

    found = (await api.gql(NODES, world.a.token, ids=ids))["nodes"]

    assert found == [
        None,
        *[{"__typename": name, "id": id} for name, id in objects],
        None,  # B, another user
        {"__typename": "Project", "id": objects[2][1]},  # asked twice, answered twice
    ]


@pytest.mark.parametrize("credential", ["session", "api_key"])
async def test_another_users_objects_are_null_by_node_and_nodes(api: Api, credential: str) -> None:
    world = await build_world(api)
    objects = await every_object(api, world)
    token = b_token(world, credential)

    for _, id in objects:
        assert await api.post(NODE, token, id=id) == {"data": {"node": None}}
    body = await api.post(NODES, token, ids=[id for _, id in objects])
    assert body == {"data": {"nodes": [None] * len(objects)}}


async def test_api_keys_are_nodes_to_session_tokens_only(api: Api) -> None:
    """As `User.apiKeys`: a key sees no keys, not even itself."""
    world = await build_world(api)

    as_key = await api.post(NODES, world.b_key, ids=[world.b_key_id, world.b.id])
    as_session = await api.post(NODES, world.b.token, ids=[world.b_key_id])

    assert as_key == {"data": {"nodes": [None, {"__typename": "User", "id": world.b.id}]}}
    assert as_session == {"data": {"nodes": [{"__typename": "ApiKey", "id": world.b_key_id}]}}


async def test_nodes_takes_1_to_100_valid_ids(api: Api) -> None:
    world = await build_world(api)
    token = world.a.token

    for ids in ([], [str(uuid.uuid4()) for _ in range(MAX_NODE_IDS + 1)]):
        error = await api.gql_error(NODES, token, ids=ids)
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "ids"}
        assert error["message"] == "`ids` must hold 1..100 ids."
    error = await api.gql_error(NODES, token, ids=[world.ids.project, "not-an-id"])
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "ids"}
    error = await api.gql_error(NODE, token, id="not-an-id")
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}
    many = (await api.gql(NODES, token, ids=[world.ids.project] * MAX_NODE_IDS))["nodes"]
    assert len(many) == MAX_NODE_IDS


async def test_node_needs_a_caller(api: Api) -> None:
    world = await build_world(api)

    for document, variables in ((NODE, {"id": world.ids.project}), (NODES, {"ids": [world.a.id]})):
        error = await api.gql_error(document, None, **variables)
        assert error["extensions"]["code"] == "UNAUTHENTICATED"


NODES_DEEP = """
query NodesDeep($ids: [ID!]!) {
  nodes(ids: $ids) {
    id
    ... on Project { title storyboards(first: 50) { edges { node { id title } } } }
    ... on Storyboard { title scenes { id tasks { id completed } } }
    ... on Scene { sceneNumber tasks { id } storyboard { id } }
  }
}
"""


async def test_nodes_cost_the_same_statements_for_two_objects_or_twenty(
    api: Api, count_statements: StatementCounter
) -> None:
    world = await build_world(api)
    user = world.a

    async def objects(n: int) -> list[str]:
        ids = []
        for i in range(n):
            project = await create_project(api, user, title=f"P{i}")
            storyboard = await create_storyboard(api, user, project)
            scene = await add_scene(api, user, storyboard)
            ids += [project, storyboard, scene]
        return ids

    small, large = await objects(1), await objects(7)
    counts = []
    for ids in (small, large):
        with count_statements.measure() as issued:
            found = (await api.gql(NODES_DEEP, user.token, ids=ids))["nodes"]
        assert [node["id"] for node in found] == ids
        counts.append(len(issued))

    assert counts[0] == counts[1], counts


async def test_the_cost_of_nodes_is_that_of_the_costliest_type_times_100(api: Api) -> None:
    """`nodes` is a list of up to 100 of any Node type: its selection is counted as the
    costliest of them, 100 times."""
    world = await build_world(api)
    document = """
    query Costly($ids: [ID!]!) {
      nodes(ids: $ids) {
        ... on Project { storyboards(first: 100) { edges { node { scenes { tasks { id } } } } } }
      }
    }
    """

    error = await api.gql_error(document, world.a.token, ids=[world.ids.project])

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    # 100 nodes, each with 1 connection + 100 edges + 100 nodes + 100 x 1000 scenes x (1 + 4).
    assert error["extensions"]["cost"] == 100 + 100 * (1 + 100 + 100 + 100 * 1000 * 5)


def test_every_object_type_with_an_id_is_a_node_that_node_can_find() -> None:
    exported = build_schema(SCHEMA_FILE.read_text())
    node = exported.type_map["Node"]
    assert isinstance(node, GraphQLInterfaceType)
    with_id = {
        t.name
        for t in exported.type_map.values()
        if isinstance(t, GraphQLObjectType) and not t.name.startswith("__") and "id" in t.fields
    }
    nodes = {t.name for t in exported.get_possible_types(node)}
    registered = {cls.__name__: model for model, cls in node_types().items()}

    assert with_id - nodes == set(), "make these types implement Node"
    assert nodes == set(registered), "node() cannot find these"
    missing_owner = sorted(name for name, model in registered.items() if model not in OWNERS)
    assert missing_owner == [], "declare how these belong to a user in services.nodes.OWNERS"
    assert schema.as_str() == SCHEMA_FILE.read_text().rstrip("\n")
