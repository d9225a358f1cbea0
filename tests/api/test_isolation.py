"""Ownership: another user's objects behave exactly as if they did not exist.

User A owns a project → storyboard → two scenes (with tasks, one completed) and an API key.
User B, through a session token and through an all-scopes API key, tries every query and
mutation that takes an id on A's objects: queries return `null`, mutations fail with
`NOT_FOUND` (the very error a random id gets), nothing of A's leaks into the response, and A's
whole tree is byte-for-byte what it was before. A guard test fails the suite when the schema
gains an id-taking root field that the table below does not try.
"""

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from graphql import (
    GraphQLArgument,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLObjectType,
    build_schema,
    get_named_type,
)

from tests.helpers import Api, User, add_scene, create_project, create_storyboard, sign_up

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"

CREATE_API_KEY = """
mutation CreateApiKey($name: String!, $scopes: [String!]) {
  createApiKey(name: $name, scopes: $scopes) { key apiKey { id name prefix scopes } }
}
"""
SET_TASK_COMPLETED = """
mutation SetTaskCompleted($sceneId: ID!, $taskType: TaskType!, $completed: Boolean!) {
  setTaskCompleted(sceneId: $sceneId, taskType: $taskType, completed: $completed) {
    id taskType completed completedAt
  }
}
"""
UPDATE_SCENE = """
mutation UpdateScene($id: ID!, $input: UpdateSceneInput!) {
  updateScene(id: $id, input: $input) { id script textOverlay cameraAngle sceneType }
}
"""

# Every scalar of A's graph, reached from `me`; compared byte-for-byte before and after.
TREE = """
query Tree {
  me {
    id email name image createdAt updatedAt
    apiKeys { id name prefix scopes createdAt lastUsedAt }
    projects(first: 100) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node {
          id title description status createdAt updatedAt
          owner { id email }
          storyboardCount
          progress { totalTasks completedTasks ratio }
          storyboards(first: 100) {
            totalCount
            pageInfo { hasNextPage endCursor }
            edges {
              cursor
              node {
                id title brief referenceUrls totalScenes totalDuration patternSource status
                generatedAt createdAt updatedAt
                project { id }
                progress { totalTasks completedTasks ratio }
                scenes {
                  id sceneNumber duration sceneType visualDescription script textOverlay
                  cameraAngle createdAt updatedAt
                  storyboard { id }
                  progress { totalTasks completedTasks ratio }
                  tasks { id taskType completed completedAt updatedAt scene { id } }
                }
              }
            }
          }
        }
      }
    }
  }
}
"""
ME = """
query Me {
  me {
    id email
    apiKeys { id name }
    projects(first: 100) { totalCount edges { node { id title } } }
  }
}
"""

PROJECT = """
query Project($id: ID!) {
  project(id: $id) {
    id title description status owner { id email } storyboardCount
    progress { totalTasks completedTasks ratio }
    storyboards { totalCount edges { node { id title scenes { id tasks { id completed } } } } }
  }
}
"""
STORYBOARD = """
query Storyboard($id: ID!) {
  storyboard(id: $id) {
    id title brief referenceUrls totalScenes project { id title owner { id email } }
    progress { totalTasks completedTasks ratio }
    scenes { id script tasks { id completed } }
  }
}
"""
SCENE = """
query Scene($id: ID!) {
  scene(id: $id) {
    id sceneNumber script visualDescription
    storyboard { id title project { id title } }
    tasks { id taskType completed completedAt }
    progress { totalTasks completedTasks ratio }
  }
}
"""
UPDATE_PROJECT = """
mutation UpdateProject($id: ID!, $input: UpdateProjectInput!) {
  updateProject(id: $id, input: $input) { id title description status }
}
"""
DELETE_PROJECT = """
mutation DeleteProject($id: ID!) { deleteProject(id: $id) }
"""
CREATE_STORYBOARD = """
mutation CreateStoryboard($input: CreateStoryboardInput!) {
  createStoryboard(input: $input) { id title project { id title } }
}
"""
DELETE_STORYBOARD = """
mutation DeleteStoryboard($id: ID!) { deleteStoryboard(id: $id) }
"""
ADD_SCENE = """
mutation AddScene($storyboardId: ID!, $input: SceneInput!, $position: Int) {
  addScene(storyboardId: $storyboardId, input: $input, position: $position) {
    id sceneNumber storyboard { id title }
  }
}
"""
MOVE_SCENE = """
mutation MoveScene($id: ID!, $position: Int!) {
  moveScene(id: $id, position: $position) { id title scenes { id sceneNumber } }
}
"""
DELETE_SCENE = """
mutation DeleteScene($id: ID!) {
  deleteScene(id: $id) { id title totalScenes scenes { id sceneNumber } }
}
"""
REVOKE_API_KEY = """
mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) }
"""


@dataclass(frozen=True)
class Ids:
    """The ids an attempt aims at: A's real objects, or random ones that never existed."""

    project: str
    storyboard: str
    scenes: tuple[str, str]
    api_key: str

    @classmethod
    def ghost(cls) -> "Ids":
        def new() -> str:
            return str(uuid.uuid4())

        return cls(new(), new(), (new(), new()), new())


@dataclass(frozen=True)
class World:
    a: User
    b: User
    b_key: str
    b_key_id: str
    ids: Ids
    # Every id and distinctive string of A's; none may appear in a response to B.
    secrets: tuple[str, ...]


@dataclass(frozen=True)
class Case:
    id: str
    document: str
    variables: Callable[[Ids], dict[str, Any]]
    # What B's API key gets; revokeApiKey refuses every API key before looking at the id.
    api_key_code: str = "NOT_FOUND"

    @property
    def operation(self) -> str:
        return self.document.split(maxsplit=1)[0]

    @property
    def field(self) -> str:
        """The root field this case attacks: the first name after the variable list."""
        body = self.document[self.document.index("{") + 1 :]
        return body.strip().split("(", 1)[0].strip()


CASES = [
    Case("project", PROJECT, lambda ids: {"id": ids.project}),
    Case("storyboard", STORYBOARD, lambda ids: {"id": ids.storyboard}),
    Case("scene", SCENE, lambda ids: {"id": ids.scenes[0]}),
    Case("scene-second", SCENE, lambda ids: {"id": ids.scenes[1]}),
    Case(
        "updateProject",
        UPDATE_PROJECT,
        lambda ids: {
            "id": ids.project,
            "input": {"title": "Hijacked", "description": None, "status": "ARCHIVED"},
        },
    ),
    Case("deleteProject", DELETE_PROJECT, lambda ids: {"id": ids.project}),
    Case(
        "createStoryboard",
        CREATE_STORYBOARD,
        lambda ids: {"input": {"projectId": ids.project, "title": "Planted", "brief": "B's."}},
    ),
    Case("deleteStoryboard", DELETE_STORYBOARD, lambda ids: {"id": ids.storyboard}),
    Case(
        "addScene",
        ADD_SCENE,
        lambda ids: {
            "storyboardId": ids.storyboard,
            "input": {"visualDescription": "Planted.", "duration": 7},
            "position": 1,
        },
    ),
    Case(
        "addScene-append",
        ADD_SCENE,
        lambda ids: {"storyboardId": ids.storyboard, "input": {"visualDescription": "Planted."}},
    ),
    Case(
        "updateScene",
        UPDATE_SCENE,
        lambda ids: {
            "id": ids.scenes[0],
            "input": {"script": "Hijacked", "duration": 99, "cameraAngle": None},
        },
    ),
    Case("moveScene", MOVE_SCENE, lambda ids: {"id": ids.scenes[0], "position": 2}),
    Case("deleteScene", DELETE_SCENE, lambda ids: {"id": ids.scenes[1]}),
    Case(
        "setTaskCompleted",
        SET_TASK_COMPLETED,
        lambda ids: {"sceneId": ids.scenes[1], "taskType": "EDITED", "completed": True},
    ),
    Case(
        "setTaskCompleted-clear",
        SET_TASK_COMPLETED,
        lambda ids: {"sceneId": ids.scenes[0], "taskType": "SCRIPT_WRITTEN", "completed": False},
    ),
    Case(
        "revokeApiKey",
        REVOKE_API_KEY,
        lambda ids: {"id": ids.api_key},
        api_key_code="FORBIDDEN",
    ),
]
CREDENTIALS = ["session", "api_key"]


async def tree_bytes(api: Api, token: str) -> bytes:
    response = await api.client.post(
        "/graphql", json={"query": TREE}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    assert "errors" not in response.json(), response.text
    return response.content


async def build_world(api: Api) -> World:
    a = await sign_up(api)
    project = await create_project(
        api, a, title="A's secret project", description="A's plans, not for B."
    )
    storyboard = await create_storyboard(
        api, a, project, title="A's secret storyboard", brief="A's confidential brief."
    )
    first = await add_scene(api, a, storyboard, duration=4, description="A's opening shot.")
    second = await add_scene(api, a, storyboard, duration=6, description="A's closing shot.")
    await api.gql(
        UPDATE_SCENE,
        a.token,
        id=first,
        input={"script": "A's script.", "textOverlay": "A's overlay", "cameraAngle": "low"},
    )
    done = await api.gql(
        SET_TASK_COMPLETED, a.token, sceneId=first, taskType="SCRIPT_WRITTEN", completed=True
    )
    assert done["setTaskCompleted"]["completed"] is True
    a_key = (await api.gql(CREATE_API_KEY, a.token, name="A's partner key"))["createApiKey"]

    b = await sign_up(api)
    b_key = (await api.gql(CREATE_API_KEY, b.token, name="B's key"))["createApiKey"]
    assert b_key["apiKey"]["scopes"] == ["read", "write", "jobs"]

    tree = json.loads(await tree_bytes(api, a.token))
    [project_node] = [edge["node"] for edge in tree["data"]["me"]["projects"]["edges"]]
    [storyboard_node] = [edge["node"] for edge in project_node["storyboards"]["edges"]]
    task_ids = [t["id"] for scene in storyboard_node["scenes"] for t in scene["tasks"]]
    assert len(task_ids) == 8
    secrets = (
        a.id,
        a.email,
        project,
        storyboard,
        first,
        second,
        *task_ids,
        a_key["apiKey"]["id"],
        a_key["apiKey"]["prefix"],
        "A's",
    )
    ids = Ids(project, storyboard, (first, second), a_key["apiKey"]["id"])
    return World(a, b, b_key["key"], b_key["apiKey"]["id"], ids, secrets)


def b_token(world: World, credential: str) -> str:
    return world.b.token if credential == "session" else world.b_key


def assert_leaks_nothing(body: dict[str, Any], world: World) -> None:
    text = json.dumps(body)
    leaked = [secret for secret in world.secrets if secret in text]
    assert leaked == [], body


async def attempt(api: Api, world: World, case: Case, credential: str) -> None:
    """B tries `case` on A's objects; it must look exactly like trying it on nothing."""
    token = b_token(world, credential)
    on_a = await api.post(case.document, token, **case.variables(world.ids))
    on_nothing = await api.post(case.document, token, **case.variables(Ids.ghost()))
    assert_leaks_nothing(on_a, world)
    if case.operation == "query":
        assert on_a == {"data": {case.field: None}}
        assert on_nothing == {"data": {case.field: None}}
        return
    assert on_a["data"] is None, on_a
    [error] = on_a.get("errors") or [None]
    assert error is not None, on_a
    expected = "NOT_FOUND" if credential == "session" else case.api_key_code
    assert error["extensions"]["code"] == expected, error
    assert error["path"] == [case.field]
    assert on_a == on_nothing


@pytest.mark.parametrize("credential", CREDENTIALS)
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
async def test_other_users_objects_do_not_exist(api: Api, case: Case, credential: str) -> None:
    world = await build_world(api)
    before = await tree_bytes(api, world.a.token)

    await attempt(api, world, case, credential)

    assert await tree_bytes(api, world.a.token) == before


async def test_every_attempt_in_a_row_leaves_the_tree_byte_for_byte_unchanged(api: Api) -> None:
    world = await build_world(api)
    before = await tree_bytes(api, world.a.token)

    for credential in CREDENTIALS:
        for case in CASES:
            await attempt(api, world, case, credential)

    assert await tree_bytes(api, world.a.token) == before


@pytest.mark.parametrize("credential", CREDENTIALS)
async def test_me_shows_none_of_another_users_objects(api: Api, credential: str) -> None:
    world = await build_world(api)

    body = await api.post(ME, b_token(world, credential))

    assert_leaks_nothing(body, world)
    keys = [{"id": world.b_key_id, "name": "B's key"}]
    assert body == {
        "data": {
            "me": {
                "id": world.b.id,
                "email": world.b.email,
                # API keys are listed to session tokens only.
                "apiKeys": keys if credential == "session" else [],
                "projects": {"totalCount": 0, "edges": []},
            }
        }
    }


async def test_a_still_reaches_every_object_the_table_attacks(api: Api) -> None:
    """The attacks aim at live objects: with A's own session token each query finds its object."""
    world = await build_world(api)

    for case in CASES:
        if case.operation == "query":
            data = await api.gql(case.document, world.a.token, **case.variables(world.ids))
            assert data[case.field]["id"] == case.variables(world.ids)["id"]


def id_taking_root_fields() -> set[str]:
    """`Type.field` of every Query/Mutation field with an id argument, directly or in an input."""

    def is_id(name: str, arg: GraphQLArgument | GraphQLInputField, seen: set[str]) -> bool:
        named = get_named_type(arg.type)
        if name == "id" or name.endswith("Id") or named.name == "ID":
            return True
        if isinstance(named, GraphQLInputObjectType) and named.name not in seen:
            return any(is_id(n, f, seen | {named.name}) for n, f in named.fields.items())
        return False

    schema = build_schema(SCHEMA_FILE.read_text())
    found = set()
    for root in (schema.query_type, schema.mutation_type):
        assert isinstance(root, GraphQLObjectType)
        for name, field in root.fields.items():
            if any(is_id(arg_name, arg, set()) for arg_name, arg in field.args.items()):
                found.add(f"{root.name}.{name}")
    return found


def test_every_id_taking_root_field_has_an_isolation_case() -> None:
    covered = {f"{'Query' if c.operation == 'query' else 'Mutation'}.{c.field}" for c in CASES}
    in_schema = id_taking_root_fields()

    assert in_schema - covered == set(), "add isolation cases for these fields"
    assert covered - in_schema == set(), "these cases attack fields the schema no longer has"


def test_the_guard_sees_ids_nested_in_inputs() -> None:
    in_schema = id_taking_root_fields()

    assert "Mutation.createStoryboard" in in_schema
    assert {"Query.me", "Mutation.signUp", "Mutation.createProject"} & in_schema == set()
