"""Project activity (API.md 2.4): every mutation that changes a project writes its events, in
its own transaction, with the actor; seq is 1..n without gaps; `Project.activity` pages them.

The walk reuses the updatedAt walk (tests/api/test_project_updated_at.py: every mutation of the
schema is walked there or changes no project) and asserts each step's events exactly.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, NoReturn

import orjson
import pytest
from graphql import GraphQLObjectType, build_schema

from models import ActivityEvent, Project
from services import activity
from tests.api.test_project_updated_at import NO_PROJECT, SCHEMA_FILE, STEPS, World, build_world
from tests.api.test_transactions import assert_internal_without_leaks, post_raw
from tests.conftest import MakeApi
from tests.creative import MEDIA_HOST, add_keyframe, attach
from tests.helpers import Api, User, add_scene, create_project, create_storyboard, sign_up

# Mutations that change a project without being activity (API.md 2.4): a job's claim and its
# progress reports are `jobProgress` events; they only move the project's updatedAt.
NOT_ACTIVITY = {"claimJob", "reportJobProgress"}
# Mutations of accounts and keys: no project (NO_PROJECT, less a project's birth and death).
ACCOUNTS = NO_PROJECT - {"createProject", "deleteProject"}

ACTIVITY = """
query Activity($id: ID!, $first: Int, $after: String, $afterSeq: Int) {
  project(id: $id) {
    activity(first: $first, after: $after, afterSeq: $afterSeq) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node {
        seq at action entityType entityId changes
        actor { kind userId apiKeyId jobId }
      } }
    }
  }
}
"""

Id = Callable[[World], str | None]
# (action, entityType, entityId of the world or None when not known to the test, changes check)
Expected = tuple[str, str, Id | None, Callable[[World, Any], None]]


def exactly(expected: Callable[[World], Any]) -> Callable[[World, Any], None]:
    def check(world: World, changes: Any) -> None:
        assert changes == expected(world)

    return check


def including(expected: Callable[[World], dict[str, Any]]) -> Callable[[World, Any], None]:
    """A creation or deletion: these values among the ones shown."""

    def check(world: World, changes: Any) -> None:
        wanted = expected(world)
        assert {k: changes.get(k) for k in wanted} == wanted, changes

    return check


def ids(name: str) -> Id:
    return lambda w: w.ids[name]


def status(old: str, new: str, **more: Any) -> Callable[[World, Any], None]:
    return exactly(lambda w: {"status": {"old": old, "new": new}, **more})


EXPECTED: dict[str, list[Expected]] = {
    "updateProject": [
        (
            "project.updated",
            "Project",
            lambda w: w.project,
            exactly(lambda w: {"title": {"old": "Launch video", "new": "T2"}}),
        )
    ],
    "archiveProject": [
        ("project.archived", "Project", lambda w: w.project, status("ACTIVE", "ARCHIVED"))
    ],
    "unarchiveProject": [
        ("project.unarchived", "Project", lambda w: w.project, status("ARCHIVED", "ACTIVE"))
    ],
    "createStoryboard": [
        (
            "storyboard.created",
            "Storyboard",
            ids("storyboard"),
            including(lambda w: {"title": "Cut A", "brief": "A brief.", "referenceUrls": []}),
        )
    ],
    "updateStoryboard": [
        (
            "storyboard.updated",
            "Storyboard",
            ids("storyboard"),
            exactly(lambda w: {"title": {"old": "Cut A", "new": "S2"}}),
        )
    ],
    "deleteStoryboard": [
        (
            "storyboard.deleted",
            "Storyboard",
            ids("storyboard"),
            including(lambda w: {"title": "S2"}),
        )
    ],
    "addScene": [
        (
            "scene.created",
            "Scene",
            ids("scene"),
            including(
                lambda w: {
                    "storyboardId": w.storyboard,
                    "sceneNumber": 3,
                    "duration": 5,
                    "visualDescription": "A wide shot.",
                    "sceneType": "CONTENT",
                    "script": None,
                }
            ),
        )
    ],
    "updateScene": [
        (
            "scene.updated",
            "Scene",
            ids("scene"),
            exactly(lambda w: {"script": {"old": None, "new": "s"}}),
        )
    ],
    "moveScene": [
        (
            "scene.moved",
            "Scene",
            ids("scene"),
            exactly(lambda w: {"sceneNumber": {"old": 3, "new": 1}}),
        )
    ],
    "deleteScene": [
        (
            "scene.deleted",
            "Scene",
            ids("scene"),
            including(lambda w: {"sceneNumber": 1, "script": "s", "storyboardId": w.storyboard}),
        )
    ],
    "setTaskCompleted": [
        (
            "task.completed",
            "SceneTask",
            None,
            exactly(lambda w: {"completed": {"old": False, "new": True}, "taskType": "EDITED"}),
        )
    ],
    "createCharacter": [
        (
            "character.created",
            "Character",
            ids("character"),
            exactly(
                lambda w: {
                    "name": "Ada",
                    "description": "Ada.",
                    "consistencyKey": "ada",
                    "metadata": None,
                }
            ),
        )
    ],
    "updateCharacter": [
        (
            "character.updated",
            "Character",
            ids("character"),
            exactly(lambda w: {"description": {"old": "Ada.", "new": "d"}}),
        )
    ],
    "setSceneCharacters": [
        (
            "scene.recast",
            "Scene",
            lambda w: w.scenes[0],
            exactly(lambda w: {"characterIds": {"old": [], "new": [w.ids["character"]]}}),
        )
    ],
    "createAssetUpload": [
        (
            "asset.created",
            "Asset",
            ids("asset"),
            exactly(
                lambda w: {
                    "kind": "IMAGE",
                    "fileName": "a.png",
                    "contentType": "image/png",
                    "sizeBytes": 3,
                    "status": "PENDING",
                    "storyboardId": w.storyboard,
                    "sceneId": w.scenes[0],
                    "characterId": None,
                    "keyframeId": None,
                    "jobId": None,
                    "role": None,
                }
            ),
        )
    ],
    "completeAssetUpload": [("asset.ready", "Asset", ids("asset"), status("PENDING", "READY"))],
    "deleteAsset": [
        (
            "asset.deleted",
            "Asset",
            ids("asset"),
            including(lambda w: {"fileName": "a.png", "status": "READY", "sceneId": w.scenes[0]}),
        )
    ],
    "setCharacterImage": [
        (
            "character.updated",
            "Character",
            ids("character"),
            exactly(lambda w: {"image": {"old": None, "new": w.ids["character_image"]}}),
        )
    ],
    "deleteCharacter": [
        (
            "character.deleted",
            "Character",
            ids("character"),
            including(lambda w: {"name": "Ada", "description": "d"}),
        )
    ],
    "addKeyframe": [
        (
            "keyframe.created",
            "Keyframe",
            ids("keyframe"),
            including(
                lambda w: {
                    "sceneId": w.scenes[0],
                    "sequence": 1,
                    "description": "A frame.",
                    "timingSeconds": 0.0,
                }
            ),
        )
    ],
    "updateKeyframe": [
        (
            "keyframe.updated",
            "Keyframe",
            ids("keyframe"),
            exactly(lambda w: {"timingSeconds": {"old": 0.0, "new": 1.0}}),
        )
    ],
    "moveKeyframe": [
        (
            "keyframe.moved",
            "Keyframe",
            ids("keyframe"),
            exactly(lambda w: {"sequence": {"old": 1, "new": 2}}),
        )
    ],
    "setKeyframeImage": [
        (
            "keyframe.updated",
            "Keyframe",
            ids("keyframe"),
            exactly(lambda w: {"image": {"old": None, "new": w.ids["keyframe_image"]}}),
        )
    ],
    "deleteKeyframe": [
        ("keyframe.deleted", "Keyframe", ids("keyframe"), including(lambda w: {"sequence": 2}))
    ],
    "createJob": [
        (
            "job.created",
            "Job",
            ids("job"),
            exactly(
                lambda w: {
                    "kind": "render",
                    "storyboardId": None,
                    "maxAttempts": 3,
                    "priority": 0,
                    "stages": None,
                    "status": "QUEUED",
                }
            ),
        )
    ],
    "claimJob": [],
    "reportJobProgress": [],
    "completeJob": [("job.succeeded", "Job", ids("job"), status("RUNNING", "SUCCEEDED"))],
    "cancelJob": [("job.cancelled", "Job", ids("job"), status("QUEUED", "CANCELLED"))],
    "failJob": [("job.failed", "Job", ids("job"), status("RUNNING", "FAILED", error="x"))],
    "generateStoryboard": [
        (
            "storyboard.created",
            "Storyboard",
            None,
            including(lambda w: {"title": "G", "brief": "B.", "status": "GENERATING"}),
        ),
        (
            "job.created",
            "Job",
            None,
            including(lambda w: {"kind": "generate_storyboard", "status": "QUEUED"}),
        ),
    ],
    "saveStoryboardRevision": [
        (
            "revision.created",
            "StoryboardRevision",
            ids("revision"),
            exactly(lambda w: {"storyboardId": w.storyboard, "version": 1, "label": None}),
        )
    ],
    "restoreStoryboardRevision": [
        (
            "storyboard.restored",
            "Storyboard",
            lambda w: w.storyboard,
            exactly(
                lambda w: {
                    "revisionId": w.ids["revision"],
                    "restoredVersion": 1,
                    "version": {"old": 1, "new": 2},
                }
            ),
        )
    ],
    "retryJob": [("job.retried", "Job", ids("job"), status("CANCELLED", "QUEUED"))],
}


@pytest.fixture
async def api(make_api: MakeApi, tmp_path: Path) -> AsyncIterator[Api]:
    async with make_api(storage_url=f"file://{tmp_path / 'media'}", public_url=MEDIA_HOST) as api:
        yield api


async def events(
    api: Api, user: User, project_id: str, after_seq: int = 0, first: int = 100
) -> list[dict[str, Any]]:
    """The project's events after `after_seq`, oldest first."""
    data = await api.gql(ACTIVITY, user.token, id=project_id, afterSeq=after_seq, first=first)
    found = [edge["node"] for edge in data["project"]["activity"]["edges"]]
    return found[::-1]


def user_actor(user: User) -> dict[str, Any]:
    return {"kind": "USER", "userId": user.id, "apiKeyId": None, "jobId": None}


async def test_every_mutation_writes_its_events(api: Api) -> None:
    world = await build_world(api)
    setup = await events(api, world.user, world.project)
    # createProject is the project's event 1; then its storyboard and two scenes.
    assert [(e["seq"], e["action"]) for e in setup] == [
        (1, "project.created"),
        (2, "storyboard.created"),
        (3, "scene.created"),
        (4, "scene.created"),
    ]
    assert setup[0]["entityId"] == world.project
    assert setup[0]["changes"] == {"title": "Launch video", "description": None, "status": "ACTIVE"}
    last = 4
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
        last = (await events(api, world.user, world.project, after_seq=0))[-1]["seq"]
        await step(world)
        new = await events(api, world.user, world.project, after_seq=last)
        expected = EXPECTED[name]
        assert [(e["action"], e["entityType"]) for e in new] == [
            (action, entity_type) for action, entity_type, _, _ in expected
        ], name
        assert [e["seq"] for e in new] == list(range(last + 1, last + 1 + len(new))), name
        for event, (_, _, entity_id, check) in zip(new, expected, strict=True):
            if entity_id is not None:
                assert event["entityId"] == entity_id(world), name
            check(world, event["changes"])
            assert event["actor"] == user_actor(world.user), name
    everything = await events(api, world.user, world.project)
    assert [e["seq"] for e in everything] == list(range(1, len(everything) + 1))
    # Never a secret: no credential of the caller is in any event.
    assert world.user.token not in orjson.dumps(everything).decode()


def test_every_mutation_is_expected_here() -> None:
    """A new mutation must say here which events it writes (or why none)."""
    schema = build_schema(SCHEMA_FILE.read_text())
    assert isinstance(schema.mutation_type, GraphQLObjectType)
    mutations = set(schema.mutation_type.fields)
    assert mutations - set(EXPECTED) - ACCOUNTS - {"createProject", "deleteProject"} == set()
    for name in set(EXPECTED) - NOT_ACTIVITY:
        assert EXPECTED[name], f"{name} changes a project: it must write an event"
    assert {name for name, _ in STEPS} == set(EXPECTED)


CREATE_KEY = """mutation($name: String!) { createApiKey(name: $name) { key apiKey { id } } }"""
UPDATE_PROJECT = 'mutation($id: ID!) { updateProject(id: $id, input: {title: "K"}) { id } }'


async def test_the_actor_of_an_api_key(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    created = (await api.gql(CREATE_KEY, user.token, name="partner"))["createApiKey"]
    await api.gql(UPDATE_PROJECT, created["key"], id=project)

    (event,) = await events(api, user, project, after_seq=1)
    assert event["action"] == "project.updated"
    assert event["actor"] == {
        "kind": "API_KEY",
        "userId": user.id,
        "apiKeyId": created["apiKey"]["id"],
        "jobId": None,
    }
    assert created["key"] not in orjson.dumps(event).decode()


async def test_the_actor_of_the_built_in_worker(make_api: MakeApi) -> None:
    async with make_api(run_worker=True) as api:
        user = await sign_up(api)
        project = await create_project(api, user)
        job = (
            await api.gql(
                'mutation($p: ID!) { generateStoryboard(input: {projectId: $p, title: "G", '
                'brief: "Our app. It is good."}) { id storyboard { id } } }',
                user.token,
                p=project,
            )
        )["generateStoryboard"]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while len(found := await events(api, user, project)) < 5:
            assert loop.time() < deadline, found
            await asyncio.sleep(0.05)

    worker = {"kind": "WORKER", "userId": None, "apiKeyId": None, "jobId": job["id"]}
    assert [(e["action"], e["actor"]) for e in found] == [
        ("project.created", user_actor(user)),
        ("storyboard.created", user_actor(user)),
        ("job.created", user_actor(user)),
        ("storyboard.generated", worker),
        ("job.succeeded", worker),
    ]
    generated = found[3]
    assert generated["entityId"] == job["storyboard"]["id"]
    assert generated["changes"]["status"] == {"old": "GENERATING", "new": "COMPLETED"}
    assert found[4]["changes"] == {"status": {"old": "RUNNING", "new": "SUCCEEDED"}}


async def test_a_refused_or_failed_mutation_leaves_no_event(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    storyboard = await create_storyboard(api, user, project)
    scene = await add_scene(api, user, storyboard)
    # Refused after its first write (the scenes after `position` moved): rolled back.
    error = await api.gql_error(
        "mutation($id: ID!) { addScene(storyboardId: $id, input: {visualDescription: "
        '"x"}, position: 9) { id } }',
        user.token,
        id=storyboard,
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"

    # The event row itself fails to be written, after the seq was taken: all rolled back.
    async def boom(**values: Any) -> NoReturn:
        raise RuntimeError("disk full")

    monkeypatch.setattr(ActivityEvent, "create", boom)
    text, body = await post_raw(
        api,
        'mutation($id: ID!) { updateScene(id: $id, input: {script: "s"}) { id } }',
        user.token,
        id=scene,
    )
    assert_internal_without_leaks(text, body)
    monkeypatch.undo()
    assert (await Project.get(id=project)).activity_seq == 3
    assert [e["seq"] for e in await events(api, user, project)] == [1, 2, 3]
    script = await api.gql("query($id: ID!) { scene(id: $id) { script } }", user.token, id=scene)
    assert script["scene"]["script"] is None

    # The next change takes the next seq: no gap where the failed one was.
    await api.gql(
        'mutation($id: ID!) { updateScene(id: $id, input: {script: "t"}) { id } }',
        user.token,
        id=scene,
    )
    assert [e["seq"] for e in await events(api, user, project)] == [1, 2, 3, 4]


async def test_concurrent_mutations_take_seqs_without_gaps_or_repeats(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    storyboard = await create_storyboard(api, user, project)
    scenes = [await add_scene(api, user, storyboard) for _ in range(2)]

    async def edit(i: int) -> None:
        if i % 2:
            await api.gql(
                "mutation($id: ID!, $s: String!) { updateScene(id: $id, input: {script: $s}) "
                "{ id } }",
                user.token,
                id=scenes[0],
                s=f"take {i}",
            )
        else:
            await api.gql(
                "mutation($id: ID!, $c: Boolean!) { setTaskCompleted(sceneId: $id, taskType: "
                "EDITED, completed: $c) { id } }",
                user.token,
                id=scenes[1],
                c=i % 4 == 0,
            )

    await asyncio.gather(*(edit(i) for i in range(1, 21)))

    stored = await ActivityEvent.filter(project_id=project).order_by("seq")
    seqs = [e.seq for e in stored]
    assert seqs == list(range(1, len(seqs) + 1))
    # 10 script edits, and the task changes that changed something (a no-op writes nothing).
    assert sum(e.action == "scene.updated" for e in stored) == 10
    assert (await Project.get(id=project)).activity_seq == len(seqs)
    # Commit order: a later seq never carries an earlier time.
    assert [e.at for e in stored] == sorted(e.at for e in stored)


async def test_pages_newest_first(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    storyboard = await create_storyboard(api, user, project)
    for _ in range(3):
        await add_scene(api, user, storyboard)  # seqs 3, 4, 5

    def page(data: dict[str, Any]) -> tuple[list[int], bool, int]:
        connection = data["project"]["activity"]
        return (
            [e["node"]["seq"] for e in connection["edges"]],
            connection["pageInfo"]["hasNextPage"],
            connection["totalCount"],
        )

    first = await api.gql(ACTIVITY, user.token, id=project, first=2)
    assert page(first) == ([5, 4], True, 5)
    cursor = first["project"]["activity"]["pageInfo"]["endCursor"]
    second = await api.gql(ACTIVITY, user.token, id=project, first=2, after=cursor)
    assert page(second) == ([3, 2], True, 5)
    cursor = second["project"]["activity"]["pageInfo"]["endCursor"]
    third = await api.gql(ACTIVITY, user.token, id=project, first=2, after=cursor)
    assert page(third) == ([1], False, 5)
    after_seq = await api.gql(ACTIVITY, user.token, id=project, afterSeq=3)
    assert page(after_seq) == ([5, 4], False, 2)
    default = await api.gql(ACTIVITY, user.token, id=project)
    assert page(default) == ([5, 4, 3, 2, 1], False, 5)

    for variables, field in (
        ({"first": 0}, "first"),
        ({"first": 101}, "first"),
        ({"after": "not-a-cursor"}, "after"),
        ({"afterSeq": -1}, "afterSeq"),
    ):
        error = await api.gql_error(ACTIVITY, user.token, id=project, **variables)
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}, variables


async def test_only_the_owner_reads_the_activity(api: Api) -> None:
    owner, stranger = await sign_up(api), await sign_up(api)
    project = await create_project(api, owner)
    data = await api.gql(ACTIVITY, stranger.token, id=project)
    assert data["project"] is None
    nodes = await api.gql(
        "query($id: ID!) { node(id: $id) { ... on Project { activity { totalCount } } } }",
        stranger.token,
        id=project,
    )
    assert nodes["node"] is None
    mine = await api.gql(
        "query { me { projects { edges { node { activity { totalCount } } } } } }",
        stranger.token,
    )
    assert mine["me"]["projects"]["edges"] == []


async def test_record_needs_an_actor_and_a_project() -> None:
    with pytest.raises(RuntimeError, match="no acting party"):
        await activity.record(uuid.uuid4(), "x.y", "Project", uuid.uuid4())


async def test_after_commit_hooks_run_once_committed_and_never_after_a_rollback(api: Api) -> None:
    """The mechanism that publishes events (services.db.after_commit)."""
    from services.db import after_commit, transaction

    ran: list[str] = []

    def hook(name: str) -> Callable[[], Any]:
        async def run() -> None:
            ran.append(name)

        return run

    async with transaction():
        after_commit(hook("committed"))
        assert ran == []  # not before the commit
    assert ran == ["committed"]

    async def rolled_back(name: str) -> None:
        async with transaction():
            after_commit(hook(name))
            raise ValueError(name)

    with pytest.raises(ValueError, match="rolled back"):
        await rolled_back("rolled back")
    assert ran == ["committed"]

    async with transaction():
        after_commit(hook("outer"))
        with pytest.raises(ValueError, match="failed savepoint"):
            await rolled_back("failed savepoint")  # a savepoint: its hooks go with it
        async with transaction():  # one that succeeds: its hooks wait for the outer commit
            after_commit(hook("savepoint"))
        assert ran == ["committed"]
    assert ran == ["committed", "outer", "savepoint"]

    with pytest.raises(RuntimeError, match=r"open services\.db\.transaction"):
        after_commit(hook("nowhere"))
