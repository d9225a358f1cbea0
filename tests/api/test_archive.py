"""archiveProject / unarchiveProject and the read-only rule (API.md 2.4, Archive): every
mutation on an archived project or below it is CONFLICT and changes nothing, walked over every
mutation in schema.graphql; claimJob never hands out its jobs; it still reads and can be
deleted; unarchiving puts back the status it had."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from graphql import GraphQLObjectType, build_schema
from tortoise import Tortoise

from models import Job, JobStatus
from services import jobs
from services.broker import MemoryBroker
from services.jobs import GENERATE_STORYBOARD
from tests.conftest import POSTGRES, MakeApi
from tests.creative import MEDIA_HOST, add_keyframe, attach, create_character
from tests.helpers import Api, User, add_scene, create_project, create_storyboard, sign_up
from tests.webhooks import CREATE_WEBHOOK, DELETE_WEBHOOK, PING_WEBHOOK

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"
# Mutations an archived project allows: its own unarchiving and deletion, and those that touch
# no project (accounts, keys, a new project).
ALLOWED = {
    "signUp",
    "logIn",
    "createApiKey",
    "revokeApiKey",
    "updateMe",
    "changePassword",
    "logOutEverywhere",
    "createProject",
    "deleteProject",
    "unarchiveProject",
    # Archiving it again answers the project and changes nothing (asserted below).
    "archiveProject",
    # A webhook is its owner's configuration, not the project's data: it reads the project's
    # activity, and an archived project still reads and streams (asserted below).
    "createWebhook",
    "deleteWebhook",
    "pingWebhook",
}
ARCHIVE = "mutation($id: ID!) { archiveProject(id: $id) { id status updatedAt } }"
UNARCHIVE = "mutation($id: ID!) { unarchiveProject(id: $id) { id status } }"
UPDATE = """mutation($id: ID!, $input: UpdateProjectInput!) {
  updateProject(id: $id, input: $input) { id status } }"""
STATUS = "query($id: ID!) { project(id: $id) { status } }"
CLAIM = 'mutation { claimJob(kinds: ["render"]) { id } }'
CREATE_JOB = "mutation($input: CreateJobInput!) { createJob(input: $input) { id } }"
TREE = """query($id: ID!) { project(id: $id) { id title status
  storyboards { edges { node { id title scenes { id sceneNumber keyframes { id } } } } }
  jobs { edges { node { id status } } } } }"""


@dataclass
class World:
    api: Api
    user: User
    project: str
    ids: dict[str, str] = field(default_factory=dict)

    async def run(self, document: str, **variables: Any) -> dict[str, Any]:
        return await self.api.gql(document, self.user.token, **variables)


@pytest.fixture
async def api(make_api: MakeApi, tmp_path: Path) -> AsyncIterator[Api]:
    async with make_api(storage_url=f"file://{tmp_path / 'media'}", public_url=MEDIA_HOST) as api:
        yield api


async def job(world: World, *, claim: bool) -> str:
    data = await world.run(CREATE_JOB, input={"projectId": world.project, "kind": "render"})
    job_id: str = data["createJob"]["id"]
    if claim:
        assert (await world.run(CLAIM))["claimJob"] == {"id": job_id}
    return job_id


async def build_world(api: Api) -> World:
    """A project with something of every kind below it, each in the state its mutations need."""
    user = await sign_up(api)
    world = World(api, user, await create_project(api, user, status="DRAFT"))
    ids = world.ids
    ids["storyboard"] = await create_storyboard(api, user, world.project)
    ids["scene"] = await add_scene(api, user, ids["storyboard"])
    ids["scene2"] = await add_scene(api, user, ids["storyboard"])
    ids["character"] = await create_character(api, user, world.project, "Ada")
    ids["keyframe"] = await add_keyframe(api, user, ids["scene"])
    await add_keyframe(api, user, ids["scene"])
    ids["character_image"] = await attach(api, user, world.project, characterId=ids["character"])
    ids["keyframe_image"] = await attach(api, user, world.project, keyframeId=ids["keyframe"])
    # Uploaded but not completed: completing it would seal a stored object.
    ids["pending"] = await attach(api, user, world.project, ready=False, sceneId=ids["scene"])
    data = await world.run(
        "mutation($id: ID!) { saveStoryboardRevision(storyboardId: $id) { id } }",
        id=ids["storyboard"],
    )
    ids["revision"] = data["saveStoryboardRevision"]["id"]
    ids["failed"] = await job(world, claim=True)
    await world.run('mutation($id: ID!) { failJob(id: $id, error: "x") { id } }', id=ids["failed"])
    ids["running"] = await job(world, claim=True)
    ids["queued"] = await job(world, claim=False)
    return world


# (mutation field, document, variables): each run on the archived project must be CONFLICT.
# Some mutations appear twice: once as a change, once as a call that would change nothing
# (same position, same value, an asset already READY), which must be refused all the same.
ATTEMPTS: list[tuple[str, str, Callable[[World], dict[str, Any]]]] = [
    ("updateProject", UPDATE, lambda w: {"id": w.project, "input": {"title": "T2"}}),
    ("updateProject", UPDATE, lambda w: {"id": w.project, "input": {}}),
    (
        "createStoryboard",
        'mutation($p: ID!) { createStoryboard(input: {projectId: $p, title: "S", brief: "B."}) '
        "{ id } }",
        lambda w: {"p": w.project},
    ),
    (
        "updateStoryboard",
        'mutation($id: ID!) { updateStoryboard(id: $id, input: {title: "S2"}) { id } }',
        lambda w: {"id": w.ids["storyboard"]},
    ),
    (
        "deleteStoryboard",
        "mutation($id: ID!) { deleteStoryboard(id: $id) }",
        lambda w: {"id": w.ids["storyboard"]},
    ),
    (
        "saveStoryboardRevision",
        "mutation($id: ID!) { saveStoryboardRevision(storyboardId: $id) { id } }",
        lambda w: {"id": w.ids["storyboard"]},
    ),
    (
        "restoreStoryboardRevision",
        "mutation($id: ID!) { restoreStoryboardRevision(id: $id) { id } }",
        lambda w: {"id": w.ids["revision"]},
    ),
    (
        "addScene",
        'mutation($id: ID!) { addScene(storyboardId: $id, input: {visualDescription: "x", '
        "duration: 3}) { id } }",
        lambda w: {"id": w.ids["storyboard"]},
    ),
    (
        "updateScene",
        'mutation($id: ID!) { updateScene(id: $id, input: {script: "s"}) { id } }',
        lambda w: {"id": w.ids["scene"]},
    ),
    (
        "moveScene",
        "mutation($id: ID!) { moveScene(id: $id, position: 2) { id } }",
        lambda w: {"id": w.ids["scene"]},
    ),
    (
        "moveScene",
        "mutation($id: ID!) { moveScene(id: $id, position: 1) { id } }",
        lambda w: {"id": w.ids["scene"]},
    ),
    (
        "deleteScene",
        "mutation($id: ID!) { deleteScene(id: $id) { id } }",
        lambda w: {"id": w.ids["scene2"]},
    ),
    (
        "setTaskCompleted",
        "mutation($id: ID!) { setTaskCompleted(sceneId: $id, taskType: EDITED, completed: true) "
        "{ id } }",
        lambda w: {"id": w.ids["scene"]},
    ),
    (
        "setTaskCompleted",
        "mutation($id: ID!) { setTaskCompleted(sceneId: $id, taskType: EDITED, completed: false) "
        "{ id } }",
        lambda w: {"id": w.ids["scene"]},
    ),
    (
        "createCharacter",
        "mutation($p: ID!) { createCharacter(input: {projectId: $p, name: "
        '"Bo", description: "d"}) { id } }',
        lambda w: {"p": w.project},
    ),
    (
        "updateCharacter",
        'mutation($id: ID!) { updateCharacter(id: $id, input: {description: "d"}) { id } }',
        lambda w: {"id": w.ids["character"]},
    ),
    (
        "setSceneCharacters",
        "mutation($s: ID!, $c: ID!) { setSceneCharacters(sceneId: $s, characterIds: [$c]) { id } }",
        lambda w: {"s": w.ids["scene"], "c": w.ids["character"]},
    ),
    (
        "setCharacterImage",
        "mutation($id: ID!, $a: ID) { setCharacterImage(id: $id, assetId: $a) { id } }",
        lambda w: {"id": w.ids["character"], "a": w.ids["character_image"]},
    ),
    (
        "deleteCharacter",
        "mutation($id: ID!) { deleteCharacter(id: $id) }",
        lambda w: {"id": w.ids["character"]},
    ),
    (
        "addKeyframe",
        'mutation($id: ID!) { addKeyframe(sceneId: $id, input: {description: "k"}) { id } }',
        lambda w: {"id": w.ids["scene"]},
    ),
    (
        "updateKeyframe",
        "mutation($id: ID!) { updateKeyframe(id: $id, input: {timingSeconds: 1}) { id } }",
        lambda w: {"id": w.ids["keyframe"]},
    ),
    (
        "moveKeyframe",
        "mutation($id: ID!) { moveKeyframe(id: $id, position: 2) { id } }",
        lambda w: {"id": w.ids["keyframe"]},
    ),
    (
        "moveKeyframe",
        "mutation($id: ID!) { moveKeyframe(id: $id, position: 1) { id } }",
        lambda w: {"id": w.ids["keyframe"]},
    ),
    (
        "setKeyframeImage",
        "mutation($id: ID!, $a: ID) { setKeyframeImage(id: $id, assetId: $a) { id } }",
        lambda w: {"id": w.ids["keyframe"], "a": None},
    ),
    (
        "deleteKeyframe",
        "mutation($id: ID!) { deleteKeyframe(id: $id) { id } }",
        lambda w: {"id": w.ids["keyframe"]},
    ),
    (
        "createAssetUpload",
        "mutation($p: ID!) { createAssetUpload(input: {projectId: $p, kind: IMAGE, "
        'fileName: "a.png", contentType: "image/png", sizeBytes: 3}) { uploadUrl } }',
        lambda w: {"p": w.project},
    ),
    (
        "completeAssetUpload",
        "mutation($id: ID!) { completeAssetUpload(id: $id) { id } }",
        lambda w: {"id": w.ids["pending"]},
    ),
    (
        "completeAssetUpload",
        "mutation($id: ID!) { completeAssetUpload(id: $id) { id } }",
        lambda w: {"id": w.ids["character_image"]},
    ),
    (
        "deleteAsset",
        "mutation($id: ID!) { deleteAsset(id: $id) }",
        lambda w: {"id": w.ids["keyframe_image"]},
    ),
    (
        "generateStoryboard",
        'mutation($p: ID!) { generateStoryboard(input: {projectId: $p, title: "G", '
        'brief: "B."}) { id } }',
        lambda w: {"p": w.project},
    ),
    ("createJob", CREATE_JOB, lambda w: {"input": {"projectId": w.project, "kind": "render"}}),
    (
        "reportJobProgress",
        "mutation($id: ID!) { reportJobProgress(id: $id, progress: 50) { id } }",
        lambda w: {"id": w.ids["running"]},
    ),
    (
        "completeJob",
        "mutation($id: ID!) { completeJob(id: $id) { id } }",
        lambda w: {"id": w.ids["running"]},
    ),
    (
        "failJob",
        'mutation($id: ID!) { failJob(id: $id, error: "x", retry: true) { id } }',
        lambda w: {"id": w.ids["running"]},
    ),
    (
        "cancelJob",
        "mutation($id: ID!) { cancelJob(id: $id) { id } }",
        lambda w: {"id": w.ids["queued"]},
    ),
    (
        "cancelJob",
        "mutation($id: ID!) { cancelJob(id: $id) { id } }",
        lambda w: {"id": w.ids["running"]},
    ),
    (
        "retryJob",
        "mutation($id: ID!) { retryJob(id: $id) { id } }",
        lambda w: {"id": w.ids["failed"]},
    ),
]


async def database() -> dict[str, list[str]]:
    """Every row of every table, as text: the test's whole world, to compare before/after."""
    snapshot = {}
    for name, model in sorted(Tortoise.apps["models"].items()):
        snapshot[name] = sorted(repr(sorted(row.items())) for row in await model.all().values())
    return snapshot


def stored_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


async def test_every_write_on_an_archived_project_is_conflict_and_changes_nothing(
    api: Api, tmp_path: Path
) -> None:
    world = await build_world(api)
    archived = (await world.run(ARCHIVE, id=world.project))["archiveProject"]
    assert archived["status"] == "ARCHIVED"
    before = await database()
    files = stored_files(tmp_path / "media")

    for name, document, variables in ATTEMPTS:
        error = await api.gql_error(document, world.user.token, **variables(world))
        assert error["extensions"]["code"] == "CONFLICT", (name, error)
        assert error["path"] == [name], name
        assert await database() == before, name
    again = (await world.run(ARCHIVE, id=world.project))["archiveProject"]
    assert again == archived
    # claimJob refuses nothing: its jobs are simply not on offer (a queued one is there).
    assert (await world.run(CLAIM))["claimJob"] is None

    assert await database() == before
    assert stored_files(tmp_path / "media") == files
    # It still reads.
    tree = (await world.run(TREE, id=world.project))["project"]
    assert tree["status"] == "ARCHIVED"
    assert len(tree["storyboards"]["edges"][0]["node"]["scenes"]) == 2
    assert len(tree["jobs"]["edges"]) == 3

    # Unarchived, it takes writes again, and its queued job is handed out.
    restored = (await world.run(UNARCHIVE, id=world.project))["unarchiveProject"]
    assert restored == {"id": world.project, "status": "DRAFT"}
    assert (await world.run(CLAIM))["claimJob"] == {"id": world.ids["queued"]}
    data = await world.run(
        "mutation($id: ID!) { reportJobProgress(id: $id, progress: 50) { progress } }",
        id=world.ids["running"],
    )
    assert data["reportJobProgress"] == {"progress": 50}


def test_every_mutation_is_attempted_or_allowed_on_an_archived_project() -> None:
    schema = build_schema(SCHEMA_FILE.read_text())
    assert isinstance(schema.mutation_type, GraphQLObjectType)
    mutations = set(schema.mutation_type.fields)
    attempted = {name for name, _, _ in ATTEMPTS} | {"claimJob"}

    assert mutations - attempted - ALLOWED == set(), "attempt these on an archived project"
    assert attempted - mutations == set()
    assert mutations >= ALLOWED


@pytest.mark.parametrize("status", ["DRAFT", "ACTIVE", "COMPLETED"])
async def test_unarchive_puts_back_the_status_it_had(api: Api, status: str) -> None:
    user = await sign_up(api)
    project = await create_project(api, user, status=status)

    first = (await api.gql(ARCHIVE, user.token, id=project))["archiveProject"]
    again = (await api.gql(ARCHIVE, user.token, id=project))["archiveProject"]

    assert first["status"] == again["status"] == "ARCHIVED"
    # The repeat changed nothing, not even updatedAt (and not the status to come back to).
    assert again["updatedAt"] == first["updatedAt"]
    restored = (await api.gql(UNARCHIVE, user.token, id=project))["unarchiveProject"]
    assert restored == {"id": project, "status": status}
    assert (await api.gql(STATUS, user.token, id=project))["project"] == {"status": status}


async def test_unarchive_of_a_project_not_archived_is_conflict(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user, status="COMPLETED")

    error = await api.gql_error(UNARCHIVE, user.token, id=project)

    assert error["extensions"]["code"] == "CONFLICT"
    assert (await api.gql(STATUS, user.token, id=project))["project"] == {"status": "COMPLETED"}


async def test_archived_is_entered_only_through_archive_project(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user, status="ACTIVE")

    error = await api.gql_error(UPDATE, user.token, id=project, input={"status": "ARCHIVED"})
    assert (error["extensions"]["code"], error["extensions"]["field"]) == (
        "BAD_USER_INPUT",
        "status",
    )
    assert (await api.gql(STATUS, user.token, id=project))["project"] == {"status": "ACTIVE"}

    error = await api.gql_error(
        'mutation { createProject(input: {title: "X", status: ARCHIVED}) { id } }',
        user.token,
    )
    assert (error["extensions"]["code"], error["extensions"]["field"]) == (
        "BAD_USER_INPUT",
        "status",
    )
    projects = await api.gql("{ me { projects { totalCount } } }", user.token)
    assert projects["me"]["projects"]["totalCount"] == 1


async def test_an_archived_project_can_be_deleted(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    storyboard = await create_storyboard(api, user, project)
    await add_scene(api, user, storyboard)
    await api.gql(ARCHIVE, user.token, id=project)

    data = await api.gql("mutation($id: ID!) { deleteProject(id: $id) }", user.token, id=project)

    assert data == {"deleteProject": True}
    assert (await api.gql(STATUS, user.token, id=project))["project"] is None


async def test_archive_needs_the_write_scope_and_the_owner(api: Api) -> None:
    owner = await sign_up(api)
    other = await sign_up(api)
    project = await create_project(api, owner)
    data = await api.gql(
        'mutation { createApiKey(name: "ro", scopes: ["read"]) { key } }', owner.token
    )
    read_only = data["createApiKey"]["key"]

    for document in (ARCHIVE, UNARCHIVE):
        error = await api.gql_error(document, read_only, id=project)
        assert error["extensions"]["code"] == "FORBIDDEN"
        error = await api.gql_error(document, other.token, id=project)
        assert error["extensions"]["code"] == "NOT_FOUND"
    assert (await api.gql(STATUS, owner.token, id=project))["project"] == {"status": "ACTIVE"}


async def test_the_queue_neither_hands_out_nor_reaps_nor_releases_an_archived_projects_jobs(
    api: Api,
) -> None:
    user = await sign_up(api)
    world = World(api, user, await create_project(api, user))
    data = await world.run(
        'mutation($p: ID!) { generateStoryboard(input: {projectId: $p, title: "G", '
        'brief: "B."}) { id } }',
        p=world.project,
    )
    generation = data["generateStoryboard"]["id"]
    running = await job(world, claim=True)
    await Job.filter(id=running).update(lease_expires_at=datetime.now(UTC) - timedelta(seconds=1))
    broker = MemoryBroker()
    await world.run(ARCHIVE, id=world.project)

    built_in = await jobs.claim_job(broker, None, [GENERATE_STORYBOARD], 30, allow_built_in=True)
    assert built_in is None
    assert await jobs.reap_expired_leases(broker, jobs.RetryPolicy()) == 0
    await jobs.release_job(broker, uuid.UUID(running), 1)  # a worker shutting down: a no-op
    assert (await Job.get(id=running)).status == JobStatus.RUNNING

    await world.run(UNARCHIVE, id=world.project)
    assert await jobs.reap_expired_leases(broker, jobs.RetryPolicy()) == 1
    assert (await Job.get(id=running)).status == JobStatus.QUEUED
    built_in = await jobs.claim_job(broker, None, [GENERATE_STORYBOARD], 30, allow_built_in=True)
    assert built_in is not None
    assert str(built_in.id) == generation


@pytest.mark.skipif(not POSTGRES, reason="row locks between connections: PostgreSQL")
async def test_a_write_racing_an_archive_is_refused_under_the_project_row_lock(
    api: Api, database_url: str
) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    scene = await add_scene(api, user, await create_storyboard(api, user, project))
    update = 'mutation($id: ID!) { updateScene(id: $id, input: {script: "late"}) { id } }'
    archiver = await asyncpg.connect(database_url)
    try:
        archiving = archiver.transaction()
        await archiving.start()
        # What archiveProject does, held open: the project row locked, then ARCHIVED.
        await archiver.execute(
            "SELECT 1 FROM projects WHERE id = $1 FOR UPDATE", uuid.UUID(project)
        )
        write = asyncio.create_task(api.post(update, user.token, id=scene))
        for _ in range(200):  # until the write waits for the row lock (at most 10 s)
            waiting = await archiver.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
            if waiting:
                break
            await asyncio.sleep(0.05)
        assert waiting == 1
        await archiver.execute(
            "UPDATE projects SET archived_from = status, status = 'ARCHIVED' WHERE id = $1",
            uuid.UUID(project),
        )
        await archiving.commit()
        body = await asyncio.wait_for(write, 10)
    finally:
        await archiver.close()

    assert [e["extensions"]["code"] for e in body["errors"]] == ["CONFLICT"]
    data = await api.gql("query($id: ID!) { scene(id: $id) { script } }", user.token, id=scene)
    assert data["scene"]["script"] != "late"


async def test_webhooks_on_an_archived_project_are_still_configured(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    await api.gql(ARCHIVE, user.token, id=project)
    hook = {"url": "https://93.184.215.14/hook", "events": ["*"], "projectId": project}
    created = await api.gql(CREATE_WEBHOOK, user.token, input=hook)
    webhook = created["createWebhook"]["webhook"]
    assert webhook["project"] == {"id": project}
    ping = await api.gql(PING_WEBHOOK, user.token, id=webhook["id"])
    assert ping["pingWebhook"]["action"] == "webhook.ping"
    assert await api.gql(DELETE_WEBHOOK, user.token, id=webhook["id"]) == {"deleteWebhook": True}
    assert (await api.gql(STATUS, user.token, id=project))["project"]["status"] == "ARCHIVED"
