"""Project.updatedAt moves with every change to the project or anything below it, in the
changing transaction, so "newest updatedAt first" is "most recently worked on first"
(API.md 2.2). A guard fails the suite when a mutation is neither walked here nor listed as one
that changes no project."""

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLObjectType, build_schema

from tests.conftest import MakeApi
from tests.creative import MEDIA_HOST, add_keyframe, attach, create_character
from tests.helpers import Api, User, add_scene, create_project, create_storyboard, sign_up

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"
# Mutations that change no project's rows: accounts, keys, and a project's own birth and death.
NO_PROJECT = {
    "signUp",
    "logIn",
    "createApiKey",
    "revokeApiKey",
    "updateMe",
    "changePassword",
    "logOutEverywhere",
    "createProject",
    "deleteProject",
    # A webhook is its owner's configuration, not part of a project.
    "createWebhook",
    "deleteWebhook",
    "pingWebhook",
}
UPDATED_AT = "query UpdatedAt($id: ID!) { project(id: $id) { updatedAt } }"
MY_PROJECTS = "query { me { projects { edges { node { id } } } } }"


@dataclass
class World:
    api: Api
    user: User
    project: str
    storyboard: str
    scenes: list[str]
    ids: dict[str, str] = field(default_factory=dict)

    async def run(self, document: str, **variables: Any) -> dict[str, Any]:
        return await self.api.gql(document, self.user.token, **variables)


Step = Callable[[World], Awaitable[Any]]


def mutation(document: str, variables: Callable[[World], dict[str, Any]]) -> Step:
    async def step(world: World) -> Any:
        return await world.run(document, **variables(world))

    return step


async def remember(world: World, name: str, value: Awaitable[str]) -> None:
    world.ids[name] = await value


async def upload(world: World) -> None:
    data = await world.run(
        """mutation($input: CreateAssetUploadInput!) { createAssetUpload(input: $input) {
             asset { id } uploadUrl method headers } }""",
        input={
            "projectId": world.project,
            "sceneId": world.scenes[0],
            "kind": "IMAGE",
            "fileName": "a.png",
            "contentType": "image/png",
            "sizeBytes": 3,
        },
    )
    upload = data["createAssetUpload"]
    world.ids["asset"] = upload["asset"]["id"]
    response = await world.api.client.request(
        upload["method"],
        upload["uploadUrl"].removeprefix(MEDIA_HOST),
        headers=upload["headers"],
        content=b"png",
    )
    assert response.status_code == 200


async def create_job(world: World) -> None:
    data = await world.run(
        "mutation($input: CreateJobInput!) { createJob(input: $input) { id } }",
        input={"projectId": world.project, "kind": "render"},
    )
    world.ids["job"] = data["createJob"]["id"]


async def save_revision(world: World) -> str:
    data = await world.run(
        "mutation($id: ID!) { saveStoryboardRevision(storyboardId: $id) { id } }",
        id=world.storyboard,
    )
    revision: str = data["saveStoryboardRevision"]["id"]
    return revision


# (mutation field, step): walked in order on one project; each must move its updatedAt.
STEPS: list[tuple[str, Step]] = [
    (
        "updateProject",
        mutation(
            'mutation($id: ID!) { updateProject(id: $id, input: {title: "T2"}) { id } }',
            lambda w: {"id": w.project},
        ),
    ),
    # Archived and back: every step after these proves the project takes writes again.
    (
        "archiveProject",
        mutation(
            "mutation($id: ID!) { archiveProject(id: $id) { id } }", lambda w: {"id": w.project}
        ),
    ),
    (
        "unarchiveProject",
        mutation(
            "mutation($id: ID!) { unarchiveProject(id: $id) { id } }", lambda w: {"id": w.project}
        ),
    ),
    (
        "createStoryboard",
        lambda w: remember(w, "storyboard", create_storyboard(w.api, w.user, w.project)),
    ),
    (
        "updateStoryboard",
        mutation(
            'mutation($id: ID!) { updateStoryboard(id: $id, input: {title: "S2"}) { id } }',
            lambda w: {"id": w.ids["storyboard"]},
        ),
    ),
    (
        "deleteStoryboard",
        mutation(
            "mutation($id: ID!) { deleteStoryboard(id: $id) }",
            lambda w: {"id": w.ids["storyboard"]},
        ),
    ),
    ("addScene", lambda w: remember(w, "scene", add_scene(w.api, w.user, w.storyboard))),
    (
        "updateScene",
        mutation(
            'mutation($id: ID!) { updateScene(id: $id, input: {script: "s"}) { id } }',
            lambda w: {"id": w.ids["scene"]},
        ),
    ),
    (
        "moveScene",
        mutation(
            "mutation($id: ID!) { moveScene(id: $id, position: 1) { id } }",
            lambda w: {"id": w.ids["scene"]},
        ),
    ),
    (
        "deleteScene",
        mutation(
            "mutation($id: ID!) { deleteScene(id: $id) { id } }", lambda w: {"id": w.ids["scene"]}
        ),
    ),
    (
        "setTaskCompleted",
        mutation(
            "mutation($id: ID!) { setTaskCompleted(sceneId: $id, taskType: EDITED, "
            "completed: true) { id } }",
            lambda w: {"id": w.scenes[0]},
        ),
    ),
    (
        "createCharacter",
        lambda w: remember(w, "character", create_character(w.api, w.user, w.project, "Ada")),
    ),
    (
        "updateCharacter",
        mutation(
            'mutation($id: ID!) { updateCharacter(id: $id, input: {description: "d"}) { id } }',
            lambda w: {"id": w.ids["character"]},
        ),
    ),
    (
        "setSceneCharacters",
        mutation(
            "mutation($s: ID!, $c: ID!) { setSceneCharacters(sceneId: $s, characterIds: [$c]) "
            "{ id } }",
            lambda w: {"s": w.scenes[0], "c": w.ids["character"]},
        ),
    ),
    ("createAssetUpload", upload),
    (
        "completeAssetUpload",
        mutation(
            "mutation($id: ID!) { completeAssetUpload(id: $id) { id } }",
            lambda w: {"id": w.ids["asset"]},
        ),
    ),
    (
        "deleteAsset",
        mutation("mutation($id: ID!) { deleteAsset(id: $id) }", lambda w: {"id": w.ids["asset"]}),
    ),
    (
        "setCharacterImage",
        mutation(
            "mutation($id: ID!, $a: ID) { setCharacterImage(id: $id, assetId: $a) { id } }",
            lambda w: {"id": w.ids["character"], "a": w.ids["character_image"]},
        ),
    ),
    (
        "deleteCharacter",
        mutation(
            "mutation($id: ID!) { deleteCharacter(id: $id) }", lambda w: {"id": w.ids["character"]}
        ),
    ),
    ("addKeyframe", lambda w: remember(w, "keyframe", add_keyframe(w.api, w.user, w.scenes[0]))),
    (
        "updateKeyframe",
        mutation(
            "mutation($id: ID!) { updateKeyframe(id: $id, input: {timingSeconds: 1}) { id } }",
            lambda w: {"id": w.ids["keyframe"]},
        ),
    ),
    (
        "moveKeyframe",
        mutation(
            "mutation($id: ID!) { moveKeyframe(id: $id, position: 2) { id } }",
            lambda w: {"id": w.ids["keyframe"]},
        ),
    ),
    (
        "setKeyframeImage",
        mutation(
            "mutation($id: ID!, $a: ID) { setKeyframeImage(id: $id, assetId: $a) { id } }",
            lambda w: {"id": w.ids["keyframe"], "a": w.ids["keyframe_image"]},
        ),
    ),
    (
        "deleteKeyframe",
        mutation(
            "mutation($id: ID!) { deleteKeyframe(id: $id) { id } }",
            lambda w: {"id": w.ids["keyframe"]},
        ),
    ),
    ("createJob", create_job),
    (
        "claimJob",
        mutation('mutation { claimJob(kinds: ["render"]) { id } }', lambda w: {}),
    ),
    (
        "reportJobProgress",
        mutation(
            "mutation($id: ID!) { reportJobProgress(id: $id, progress: 50) { id } }",
            lambda w: {"id": w.ids["job"]},
        ),
    ),
    (
        "completeJob",
        mutation(
            "mutation($id: ID!) { completeJob(id: $id) { id } }", lambda w: {"id": w.ids["job"]}
        ),
    ),
    ("createJob", create_job),
    (
        "cancelJob",
        mutation(
            "mutation($id: ID!) { cancelJob(id: $id) { id } }", lambda w: {"id": w.ids["job"]}
        ),
    ),
    ("createJob", create_job),
    ("claimJob", mutation('mutation { claimJob(kinds: ["render"]) { id } }', lambda w: {})),
    (
        "failJob",
        mutation(
            'mutation($id: ID!) { failJob(id: $id, error: "x") { id } }',
            lambda w: {"id": w.ids["job"]},
        ),
    ),
    (
        "generateStoryboard",
        mutation(
            'mutation($p: ID!) { generateStoryboard(input: {projectId: $p, title: "G", '
            'brief: "B."}) { id } }',
            lambda w: {"p": w.project},
        ),
    ),
    (
        "saveStoryboardRevision",
        lambda w: remember(w, "revision", save_revision(w)),
    ),
    (
        "restoreStoryboardRevision",
        mutation(
            "mutation($id: ID!) { restoreStoryboardRevision(id: $id) { id } }",
            lambda w: {"id": w.ids["revision"]},
        ),
    ),
    ("createJob", create_job),
    (
        "cancelJob",
        mutation(
            "mutation($id: ID!) { cancelJob(id: $id) { id } }", lambda w: {"id": w.ids["job"]}
        ),
    ),
    (
        "retryJob",
        mutation("mutation($id: ID!) { retryJob(id: $id) { id } }", lambda w: {"id": w.ids["job"]}),
    ),
]


@pytest.fixture
async def api(make_api: MakeApi, tmp_path: Path) -> AsyncIterator[Api]:
    async with make_api(storage_url=f"file://{tmp_path / 'media'}", public_url=MEDIA_HOST) as api:
        yield api


async def updated_at(world: World) -> str:
    value: str = (await world.run(UPDATED_AT, id=world.project))["project"]["updatedAt"]
    return value


async def build_world(api: Api) -> World:
    user = await sign_up(api)
    project = await create_project(api, user)
    storyboard = await create_storyboard(api, user, project)
    scenes = [await add_scene(api, user, storyboard) for _ in range(2)]
    world = World(api, user, project, storyboard, scenes)
    return world


async def test_every_change_below_a_project_moves_its_updated_at(api: Api) -> None:
    world = await build_world(api)
    other = await create_project(api, world.user, title="Untouched")

    for name, step in STEPS:
        if name == "setCharacterImage":
            world.ids["character_image"] = await attach(
                api, world.user, world.project, characterId=world.ids["character"]
            )
        if name == "setKeyframeImage":
            world.ids["keyframe_image"] = await attach(
                api, world.user, world.project, keyframeId=world.ids["keyframe"]
            )
        if name == "moveKeyframe":
            await add_keyframe(api, world.user, world.scenes[0])
        before = await updated_at(world)
        await step(world)
        assert await updated_at(world) > before, name
        # The dashboard order: the project just worked on comes first.
        order = await world.run(MY_PROJECTS)
        assert [e["node"]["id"] for e in order["me"]["projects"]["edges"]] == [
            world.project,
            other,
        ], name


async def test_a_refused_change_does_not_move_it(api: Api) -> None:
    world = await build_world(api)
    before = await updated_at(world)

    for document, variables in (
        (
            'mutation($id: ID!) { addKeyframe(sceneId: $id, input: {description: ""}) { id } }',
            {"id": world.scenes[0]},
        ),
        (
            "mutation($id: ID!) { addScene(storyboardId: $id, input: {visualDescription: "
            '"x"}, position: 9) { id } }',
            {"id": world.storyboard},
        ),
    ):
        error = await api.gql_error(document, world.user.token, **variables)
        assert error["extensions"]["code"] == "BAD_USER_INPUT"

    assert await updated_at(world) == before


def test_every_mutation_is_walked_or_changes_no_project() -> None:
    schema = build_schema(SCHEMA_FILE.read_text())
    assert isinstance(schema.mutation_type, GraphQLObjectType)
    mutations = set(schema.mutation_type.fields)
    walked = {name for name, _ in STEPS}

    assert mutations - walked - NO_PROJECT == set(), "walk these mutations in STEPS"
    assert walked - mutations == set()
