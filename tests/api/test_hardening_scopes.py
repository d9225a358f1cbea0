"""Hardening, defect 5: an API key's `read` scope guards every field that reads beyond the object
it sits on, however that object was reached — a mutation's result included.

A field with a resolver on an object type (a related object, a connection, an aggregate, a
download URL) is a read. The schema walk below derives them all; the table gives, for each, the
mutations whose result reaches it. Every route a key may call runs with API keys of the scope
sets without `read` (FORBIDDEN at the first guarded field, nothing of the other objects in the
response, the mutation committed all the same) and with all three scopes (the field answers).
"""

import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from graphql import (
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
)
from strawberry.permission import PermissionExtension

from schema import schema
from schema.permissions import CanRead
from tests.conftest import MakeApi
from tests.creative import attach, create_character
from tests.helpers import (
    PASSWORD,
    Api,
    User,
    add_scene,
    create_project,
    create_storyboard,
    sign_up,
)
from tests.webhooks import CREATE_WEBHOOK

GRAPHQL: GraphQLSchema = schema._schema


@pytest.fixture
async def api(make_api: MakeApi) -> AsyncIterator[Api]:
    """Without the per-user rate limit: the table runs more operations a minute than it allows."""
    async with make_api(rate_limit_per_minute=0) as api:
        yield api


CREATE_API_KEY = """
mutation CreateApiKey($name: String!, $scopes: [String!]) {
  createApiKey(name: $name, scopes: $scopes) { key }
}
"""
CREATE_JOB = """
mutation CreateJob($input: CreateJobInput!) { createJob(input: $input) { id } }
"""
CLAIM_JOB = """
mutation ClaimJob($kinds: [String!]!) { claimJob(kinds: $kinds) { id } }
"""
ADD_SCRIPT = """
mutation AddScript($id: ID!, $input: UpdateSceneInput!) {
  updateScene(id: $id, input: $input) { id }
}
"""
CREATE_ASSET_UPLOAD = """
mutation CreateAssetUpload($input: CreateAssetUploadInput!) {
  createAssetUpload(input: $input) { uploadUrl method headers asset { id } }
}
"""
COMPLETE_ASSET_UPLOAD = (
    "mutation CompleteAssetUpload($id: ID!) { completeAssetUpload(id: $id) { id } }"
)
SAVE_REVISION = """
mutation Save($id: ID!, $label: String) {
  saveStoryboardRevision(storyboardId: $id, label: $label) { id }
}
"""
LOG_IN = """
mutation LogIn($email: String!, $password: String!) {
  logIn(email: $email, password: $password) { user { email } }
}
"""

SCRIPT = "SECRET-script: the line nobody outside may read."
BRIEF = "SECRET-brief of the storyboard."
DESCRIPTION = "SECRET-description of the project."
# Every planted project has a webhook (a public address literal; nothing is delivered here).
WEBHOOK_HOST = "93.184.215.14"
WEBHOOK_URL = f"https://{WEBHOOK_HOST}/SECRET-hook"
PAYLOAD = {"secret": "SECRET-payload"}
FILE_NAME = "secret-still.png"
LABEL = "SECRET-label of a revision."
CHARACTER = "SECRET-character description."
KEYFRAME = "SECRET-keyframe description."
SET_SCENE_CHARACTERS = """
mutation SetSceneCharacters($sceneId: ID!, $characterIds: [ID!]!) {
  setSceneCharacters(sceneId: $sceneId, characterIds: $characterIds) { id }
}
"""
ADD_KEYFRAME = """
mutation AddKeyframe($sceneId: ID!, $input: KeyframeInput!) {
  addKeyframe(sceneId: $sceneId, input: $input) { id }
}
"""
SET_CHARACTER_IMAGE = """
mutation SetCharacterImage($id: ID!, $assetId: ID) {
  setCharacterImage(id: $id, assetId: $assetId) { id }
}
"""
SET_KEYFRAME_IMAGE = """
mutation SetKeyframeImage($id: ID!, $assetId: ID) {
  setKeyframeImage(id: $id, assetId: $assetId) { id }
}
"""
IMAGE = b"\x89PNG\r\n\x1a\n" + bytes(range(56))


def named(gtype: GraphQLOutputType) -> GraphQLNamedType:
    while isinstance(gtype, GraphQLNonNull | GraphQLList):
        gtype = gtype.of_type
    return gtype


def relations() -> set[tuple[str, str]]:
    """Every (type, field) below the roots that has a resolver: it reads beyond its object."""
    roots = {GRAPHQL.query_type, GRAPHQL.mutation_type, GRAPHQL.subscription_type}
    found = set()
    for name, gtype in GRAPHQL.type_map.items():
        if not isinstance(gtype, GraphQLObjectType) or gtype in roots or name.startswith("__"):
            continue
        for field_name, field in gtype.fields.items():
            definition = field.extensions["strawberry-definition"]
            if definition.base_resolver is not None:
                found.add((name, field_name))
    return found


# --- the objects a route works on -------------------------------------------------------------


@dataclass
class Tree:
    """A fresh project of the key's owner: one storyboard, one scene (with a script), one job
    carrying a payload, and (when asked) a READY image on the scene."""

    project_id: str
    storyboard_id: str
    scene_id: str
    job_id: str
    asset_id: str | None = None
    # A revision of the storyboard, saved with its script.
    revision_id: str | None = None
    # With `creative`: a character in the scene's cast and a keyframe of the scene, each with a
    # chosen READY image.
    character_id: str | None = None
    keyframe_id: str | None = None
    # The credential the route runs with: only the one that claimed a job may report on it.
    key: str | None = None


async def upload_image(api: Api, user: User, tree: Tree) -> str:
    """Announces an image on the tree's scene and PUTs its bytes; returns the (PENDING) asset."""
    upload = (
        await api.gql(
            CREATE_ASSET_UPLOAD,
            user.token,
            input={
                "projectId": tree.project_id,
                "sceneId": tree.scene_id,
                "kind": "IMAGE",
                "fileName": FILE_NAME,
                "contentType": "image/png",
                "sizeBytes": len(IMAGE),
            },
        )
    )["createAssetUpload"]
    response = await api.client.request(
        upload["method"],
        upload["uploadUrl"].removeprefix("http://test"),
        headers=upload["headers"],
        content=IMAGE,
    )
    assert response.status_code < 300, response.text
    asset_id: str = upload["asset"]["id"]
    return asset_id


async def plant_creative(api: Api, user: User, tree: Tree) -> None:
    tree.character_id = await create_character(
        api, user, tree.project_id, "Ada", description=CHARACTER
    )
    await api.gql(
        SET_SCENE_CHARACTERS, user.token, sceneId=tree.scene_id, characterIds=[tree.character_id]
    )
    image = await attach(api, user, tree.project_id, characterId=tree.character_id, name=FILE_NAME)
    await api.gql(SET_CHARACTER_IMAGE, user.token, id=tree.character_id, assetId=image)
    data = await api.gql(
        ADD_KEYFRAME, user.token, sceneId=tree.scene_id, input={"description": KEYFRAME}
    )
    tree.keyframe_id = data["addKeyframe"]["id"]
    image = await attach(api, user, tree.project_id, keyframeId=tree.keyframe_id, name=FILE_NAME)
    await api.gql(SET_KEYFRAME_IMAGE, user.token, id=tree.keyframe_id, assetId=image)


async def plant(
    api: Api, user: User, *, asset: bool, creative: bool = False, webhook: bool = False
) -> Tree:
    project_id = await create_project(api, user, description=DESCRIPTION)
    storyboard_id = await create_storyboard(api, user, project_id, brief=BRIEF)
    scene_id = await add_scene(api, user, storyboard_id)
    await api.gql(ADD_SCRIPT, user.token, id=scene_id, input={"script": SCRIPT})
    job = await api.gql(
        CREATE_JOB,
        user.token,
        input={
            "projectId": project_id,
            "storyboardId": storyboard_id,
            "kind": "render",
            "payload": PAYLOAD,
        },
    )
    tree = Tree(project_id, storyboard_id, scene_id, job["createJob"]["id"])
    saved = await api.gql(SAVE_REVISION, user.token, id=storyboard_id, label=LABEL)
    tree.revision_id = saved["saveStoryboardRevision"]["id"]
    if asset:
        tree.asset_id = await upload_image(api, user, tree)
        await api.gql(COMPLETE_ASSET_UPLOAD, user.token, id=tree.asset_id)
    if creative:
        await plant_creative(api, user, tree)
    if webhook:  # a user has at most 20: only for the routes that read one
        await api.gql(
            CREATE_WEBHOOK,
            user.token,
            input={"url": WEBHOOK_URL, "events": ["*"], "projectId": project_id},
        )
    return tree


# --- the mutations that start a route ---------------------------------------------------------

Prepare = Callable[[Api, User, Tree], Awaitable[dict[str, Any]]]
Check = Callable[[Api, User, Tree, dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True)
class Mutation:
    """A root mutation: how it is called, the scopes of which a key needs one (none: any
    caller), what it needs beforehand (its variables; those named `_…` are for `committed`
    only) and how to see that it committed."""

    call: str
    variables: str
    needs: frozenset[str]
    prepare: Prepare
    committed: Check

    @property
    def name(self) -> str:
        return self.call.split("(", 1)[0]


async def read(api: Api, user: User, query: str, **variables: Any) -> Any:
    return await api.gql(query, user.token, **variables)


async def created_webhook(api: Api, user: User, tree: Tree, v: dict[str, Any]) -> None:
    data = await read(
        api, user, "query P($id: ID!) { project(id: $id) { webhooks { url } } }", id=tree.project_id
    )
    assert data["project"]["webhooks"] == [{"url": v["input"]["url"]}, {"url": WEBHOOK_URL}]


async def created_project(api: Api, user: User, tree: Tree, v: dict[str, Any]) -> None:
    data = await read(api, user, "{ me { projects(first: 100) { edges { node { title } } } } }")
    titles = [e["node"]["title"] for e in data["me"]["projects"]["edges"]]
    assert titles.count(v["input"]["title"]) == 1


async def updated_project(api: Api, user: User, tree: Tree, v: dict[str, Any]) -> None:
    data = await read(api, user, "query P($id: ID!) { project(id: $id) { title } }", id=v["id"])
    assert data["project"] == {"title": v["input"]["title"]}


async def created_storyboard(api: Api, user: User, tree: Tree, v: dict[str, Any]) -> None:
    data = await read(
        api,
        user,
        "query P($id: ID!) { project(id: $id) { storyboards { edges { node { title } } } } }",
        id=tree.project_id,
    )
    titles = [e["node"]["title"] for e in data["project"]["storyboards"]["edges"]]
    assert sorted(titles) == sorted(["Cut A", v["input"]["title"]])


async def scene_to_delete(api: Api, user: User, tree: Tree) -> dict[str, Any]:
    return {"id": await add_scene(api, user, tree.storyboard_id)}


async def deleted_scene(api: Api, user: User, tree: Tree, v: dict[str, Any]) -> None:
    data = await read(api, user, "query S($id: ID!) { scene(id: $id) { id } }", id=v["id"])
    assert data["scene"] is None


async def added_scene(api: Api, user: User, tree: Tree, v: dict[str, Any]) -> None:
    data = await read(
        api,
        user,
        "query S($id: ID!) { storyboard(id: $id) { scenes { visualDescription } } }",
        id=tree.storyboard_id,
    )
    assert data["storyboard"]["scenes"][1] == {"visualDescription": "An added shot."}


async def updated_scene(api: Api, user: User, tree: Tree, v: dict[str, Any]) -> None:
    data = await read(api, user, "query S($id: ID!) { scene(id: $id) { duration } }", id=v["id"])
    assert data["scene"] == {"duration": 7}


async def completed_task(api: Api, user: User, tree: Tree, v: dict[str, Any]) -> None:
    data = await read(
        api,
        user,
        "query S($id: ID!) { scene(id: $id) { tasks { taskType completed } } }",
        id=v["sceneId"],
    )
    done = [t["taskType"] for t in data["scene"]["tasks"] if t["completed"]]
    assert done == ["EDITED"]


async def scene_assets(api: Api, user: User, tree: Tree) -> list[dict[str, Any]]:
    data = await read(
        api,
        user,
        "query S($id: ID!) { scene(id: $id) { assets { id fileName status } } }",
        id=tree.scene_id,
    )
    found: list[dict[str, Any]] = data["scene"]["assets"]
    return found


async def created_upload(api: Api, user: User, tree: Tree, v: dict[str, Any]) -> None:
    assets = await scene_assets(api, user, tree)
    assert [(a["fileName"], a["status"]) for a in assets] == [("announced.png", "PENDING")]


async def uploaded_asset(api: Api, user: User, tree: Tree) -> dict[str, Any]:
    return {"id": await upload_image(api, user, tree)}


async def completed_upload(api: Api, user: User, tree: Tree, v: dict[str, Any]) -> None:
    assets = await scene_assets(api, user, tree)
    assert [(a["id"], a["status"]) for a in assets] == [(v["id"], "READY")]


async def job_state(api: Api, user: User, job_id: str) -> dict[str, Any]:
    data = await read(
        api, user, "query J($id: ID!) { job(id: $id) { kind status progress } }", id=job_id
    )
    state: dict[str, Any] = data["job"]
    return state


async def created_job(api: Api, user: User, tree: Tree, v: dict[str, Any]) -> None:
    data = await read(
        api,
        user,
        "query P($id: ID!) { project(id: $id) { jobs { edges { node { kind } } } } }",
        id=tree.project_id,
    )
    kinds = [e["node"]["kind"] for e in data["project"]["jobs"]["edges"]]
    assert sorted(kinds) == ["render", "voice"]


async def job_to_claim(api: Api, user: User, tree: Tree) -> dict[str, Any]:
    kind = f"claim.{uuid.uuid4().hex[:8]}"
    job = await api.gql(
        CREATE_JOB,
        user.token,
        input={"projectId": tree.project_id, "storyboardId": tree.storyboard_id, "kind": kind},
    )
    return {"kinds": [kind], "_jobId": job["createJob"]["id"]}


async def claimed_job(api: Api, user: User, tree: Tree, v: dict[str, Any]) -> None:
    assert (await job_state(api, user, v["_jobId"]))["status"] == "RUNNING"


async def running_job(api: Api, user: User, tree: Tree) -> dict[str, Any]:
    """A job claimed by the route's credential that has produced an asset on the scene."""
    claim = await job_to_claim(api, user, tree)
    # Claimed with the route's own credential: another one may not report on it (lease fencing).
    await api.gql(CLAIM_JOB, tree.key or user.token, kinds=claim["kinds"])
    sources = {"sourceAssetIds": [tree.asset_id]} if tree.asset_id else {}
    await api.gql(
        CREATE_ASSET_UPLOAD,
        user.token,
        input={
            "projectId": tree.project_id,
            "sceneId": tree.scene_id,
            "jobId": claim["_jobId"],
            "kind": "IMAGE",
            "fileName": "produced.png",
            "contentType": "image/png",
            "sizeBytes": 10,
            **sources,
        },
    )
    return {"id": claim["_jobId"]}


async def reported_progress(api: Api, user: User, tree: Tree, v: dict[str, Any]) -> None:
    state = await job_state(api, user, v["id"])
    assert (state["status"], state["progress"]) == ("RUNNING", 10)


async def cancelled_job(api: Api, user: User, tree: Tree, v: dict[str, Any]) -> None:
    assert (await job_state(api, user, v["id"]))["status"] == "CANCELLED"


async def cancelled_to_retry(api: Api, user: User, tree: Tree) -> dict[str, Any]:
    await api.gql("mutation C($id: ID!) { cancelJob(id: $id) { id } }", user.token, id=tree.job_id)
    return {"id": tree.job_id}


async def retried_job(api: Api, user: User, tree: Tree, v: dict[str, Any]) -> None:
    assert (await job_state(api, user, v["id"]))["status"] == "QUEUED"


async def signed_up(api: Api, user: User, tree: Tree, v: dict[str, Any]) -> None:
    data = await api.gql(LOG_IN, email=v["email"], password=PASSWORD)
    assert data["logIn"]["user"] == {"email": v["email"]}


async def created_character(api: Api, user: User, tree: Tree, v: dict[str, Any]) -> None:
    data = await read(
        api,
        user,
        "query P($id: ID!) { project(id: $id) { characters { name } } }",
        id=tree.project_id,
    )
    assert {"name": v["input"]["name"]} in data["project"]["characters"]


async def added_keyframe(api: Api, user: User, tree: Tree, v: dict[str, Any]) -> None:
    data = await read(
        api,
        user,
        "query S($id: ID!) { scene(id: $id) { keyframes { description } } }",
        id=tree.scene_id,
    )
    assert data["scene"]["keyframes"][-1] == {"description": "An added frame."}


async def cast_set(api: Api, user: User, tree: Tree, v: dict[str, Any]) -> None:
    data = await read(
        api, user, "query S($id: ID!) { scene(id: $id) { characters { id } } }", id=tree.scene_id
    )
    assert data["scene"]["characters"] == [{"id": i} for i in v["characterIds"]]


async def other_character_image(api: Api, user: User, tree: Tree) -> dict[str, Any]:
    assert tree.character_id is not None
    image = await attach(api, user, tree.project_id, characterId=tree.character_id, name=FILE_NAME)
    return {"id": tree.character_id, "assetId": image}


async def character_image_set(api: Api, user: User, tree: Tree, v: dict[str, Any]) -> None:
    data = await read(
        api, user, "query C($id: ID!) { character(id: $id) { image { id } } }", id=v["id"]
    )
    assert data["character"]["image"] == {"id": v["assetId"]}


async def other_keyframe_image(api: Api, user: User, tree: Tree) -> dict[str, Any]:
    assert tree.keyframe_id is not None
    image = await attach(api, user, tree.project_id, keyframeId=tree.keyframe_id, name=FILE_NAME)
    return {"id": tree.keyframe_id, "assetId": image}


async def keyframe_image_set(api: Api, user: User, tree: Tree, v: dict[str, Any]) -> None:
    data = await read(
        api, user, "query K($id: ID!) { keyframe(id: $id) { image { id } } }", id=v["id"]
    )
    assert data["keyframe"]["image"] == {"id": v["assetId"]}


async def revision_count(api: Api, user: User, tree: Tree) -> int:
    data = await read(
        api,
        user,
        "query S($id: ID!) { storyboard(id: $id) { version revisions { totalCount } } }",
        id=tree.storyboard_id,
    )
    assert data["storyboard"]["version"] == data["storyboard"]["revisions"]["totalCount"]
    count: int = data["storyboard"]["version"]
    return count


async def saved_revision(api: Api, user: User, tree: Tree, v: dict[str, Any]) -> None:
    assert await revision_count(api, user, tree) == 2


async def restored_revision(api: Api, user: User, tree: Tree, v: dict[str, Any]) -> None:
    assert await revision_count(api, user, tree) == 2


def fixed(**values: Any) -> Prepare:
    async def prepare(api: Api, user: User, tree: Tree) -> dict[str, Any]:
        return {name: value(tree) if callable(value) else value for name, value in values.items()}

    return prepare


WRITE = frozenset({"write"})
JOBS = frozenset({"jobs"})

MUTATIONS = {
    m.name: m
    for m in [
        Mutation(
            "createWebhook(input: $input)",
            "$input: CreateWebhookInput!",
            WRITE,
            fixed(
                input=lambda t: {
                    "url": f"{WEBHOOK_URL}/{t.project_id}",
                    "events": ["job.*"],
                    "projectId": t.project_id,
                }
            ),
            created_webhook,
        ),
        Mutation(
            "createProject(input: $input)",
            "$input: CreateProjectInput!",
            WRITE,
            fixed(input=lambda t: {"title": f"New {t.project_id}"}),
            created_project,
        ),
        Mutation(
            "updateProject(id: $id, input: $input)",
            "$id: ID!, $input: UpdateProjectInput!",
            WRITE,
            fixed(id=lambda t: t.project_id, input={"title": "Renamed"}),
            updated_project,
        ),
        Mutation(
            "createStoryboard(input: $input)",
            "$input: CreateStoryboardInput!",
            WRITE,
            fixed(input=lambda t: {"projectId": t.project_id, "title": "Cut B", "brief": "B."}),
            created_storyboard,
        ),
        Mutation("deleteScene(id: $id)", "$id: ID!", WRITE, scene_to_delete, deleted_scene),
        Mutation(
            "addScene(storyboardId: $storyboardId, input: $input)",
            "$storyboardId: ID!, $input: SceneInput!",
            WRITE,
            fixed(
                storyboardId=lambda t: t.storyboard_id,
                input={"visualDescription": "An added shot.", "duration": 3},
            ),
            added_scene,
        ),
        Mutation(
            "updateScene(id: $id, input: $input)",
            "$id: ID!, $input: UpdateSceneInput!",
            WRITE,
            fixed(id=lambda t: t.scene_id, input={"duration": 7}),
            updated_scene,
        ),
        Mutation(
            "setTaskCompleted(sceneId: $sceneId, taskType: EDITED, completed: true)",
            "$sceneId: ID!",
            WRITE,
            fixed(sceneId=lambda t: t.scene_id),
            completed_task,
        ),
        Mutation(
            "createAssetUpload(input: $input)",
            "$input: CreateAssetUploadInput!",
            WRITE,
            fixed(
                input=lambda t: {
                    "projectId": t.project_id,
                    "sceneId": t.scene_id,
                    "kind": "IMAGE",
                    "fileName": "announced.png",
                    "contentType": "image/png",
                    "sizeBytes": 10,
                }
            ),
            created_upload,
        ),
        Mutation(
            "completeAssetUpload(id: $id)", "$id: ID!", WRITE, uploaded_asset, completed_upload
        ),
        Mutation(
            "createJob(input: $input)",
            "$input: CreateJobInput!",
            JOBS,
            fixed(
                input=lambda t: {
                    "projectId": t.project_id,
                    "storyboardId": t.storyboard_id,
                    "kind": "voice",
                }
            ),
            created_job,
        ),
        Mutation("claimJob(kinds: $kinds)", "$kinds: [String!]!", JOBS, job_to_claim, claimed_job),
        Mutation(
            "reportJobProgress(id: $id, progress: 10)",
            "$id: ID!",
            JOBS,
            running_job,
            reported_progress,
        ),
        Mutation(
            "cancelJob(id: $id)",
            "$id: ID!",
            frozenset({"write", "jobs"}),
            fixed(id=lambda t: t.job_id),
            cancelled_job,
        ),
        Mutation(
            "createCharacter(input: $input)",
            "$input: CreateCharacterInput!",
            WRITE,
            fixed(
                input=lambda t: {"projectId": t.project_id, "name": "Newcomer", "description": ""}
            ),
            created_character,
        ),
        Mutation(
            "setSceneCharacters(sceneId: $sceneId, characterIds: $characterIds)",
            "$sceneId: ID!, $characterIds: [ID!]!",
            WRITE,
            fixed(sceneId=lambda t: t.scene_id, characterIds=lambda t: [t.character_id]),
            cast_set,
        ),
        Mutation(
            "setCharacterImage(id: $id, assetId: $assetId)",
            "$id: ID!, $assetId: ID",
            WRITE,
            other_character_image,
            character_image_set,
        ),
        Mutation(
            "addKeyframe(sceneId: $sceneId, input: $input)",
            "$sceneId: ID!, $input: KeyframeInput!",
            WRITE,
            fixed(sceneId=lambda t: t.scene_id, input={"description": "An added frame."}),
            added_keyframe,
        ),
        Mutation(
            "setKeyframeImage(id: $id, assetId: $assetId)",
            "$id: ID!, $assetId: ID",
            WRITE,
            other_keyframe_image,
            keyframe_image_set,
        ),
        Mutation(
            "saveStoryboardRevision(storyboardId: $storyboardId)",
            "$storyboardId: ID!",
            WRITE,
            fixed(storyboardId=lambda t: t.storyboard_id),
            saved_revision,
        ),
        Mutation(
            "restoreStoryboardRevision(id: $id)",
            "$id: ID!",
            WRITE,
            fixed(id=lambda t: t.revision_id),
            restored_revision,
        ),
        Mutation(
            "retryJob(id: $id)",
            "$id: ID!",
            frozenset({"write", "jobs"}),
            cancelled_to_retry,
            retried_job,
        ),
        Mutation(
            "signUp(email: $email, password: $password)",
            "$email: String!, $password: String!",
            frozenset(),
            fixed(email=lambda t: f"new-{uuid.uuid4().hex[:10]}@example.com", password=PASSWORD),
            signed_up,
        ),
    ]
}

# --- the table --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Leaf:
    """What is selected of the field under test, and a text only reading it can put in the
    response (None when its value is not telling, e.g. a count)."""

    selection: str
    tell: str | None = None


# Fields under a Job, reached by a `jobs`-only key (createJob is its only way in).
VIA_JOB_PROJECT = ("createJob", ("project",))
VIA_JOB_STORYBOARD = ("createJob", ("storyboard",))
VIA_JOB_SCENES = ("createJob", ("storyboard", "scenes"))
# Every route to a job's own relations.
JOB_ROUTES = [
    ("createJob", ()),
    ("claimJob", ()),
    ("reportJobProgress", ()),
    ("cancelJob", ()),
    ("retryJob", ()),
]
# Every route to an asset's relations (a `jobs`-only key: the asset its running job produced).
ASSET_ROUTES: list[tuple[Any, ...]] = [
    ("completeAssetUpload", ()),
    ("createAssetUpload", ("asset",)),
    ("reportJobProgress", ("assets",)),
]

# (type, field) -> what to select of it, and the routes (mutation, fields leading to it).
# A route may carry its own Leaf when the field's value there is not telling.
TABLE: dict[tuple[str, str], tuple[Leaf, list[tuple[Any, ...]]]] = {
    ("Project", "owner"): (
        Leaf("{ email }", "@example.com"),
        [("createProject", ()), ("updateProject", ()), VIA_JOB_PROJECT],
    ),
    ("Project", "storyboardCount"): (Leaf(""), [("updateProject", ()), VIA_JOB_PROJECT]),
    ("Project", "progress"): (Leaf("{ totalTasks }"), [("updateProject", ()), VIA_JOB_PROJECT]),
    ("Project", "storyboards"): (
        Leaf("{ edges { node { brief } } }", BRIEF),
        [("updateProject", ()), VIA_JOB_PROJECT],
    ),
    ("Project", "jobs"): (
        Leaf("{ edges { node { payload } } }", PAYLOAD["secret"]),
        [("updateProject", ()), VIA_JOB_PROJECT],
    ),
    ("Storyboard", "project"): (
        Leaf("{ description }", DESCRIPTION),
        [("createStoryboard", ()), ("deleteScene", ()), VIA_JOB_STORYBOARD],
    ),
    ("Storyboard", "scenes"): (
        Leaf("{ script }", SCRIPT),
        [("deleteScene", ()), VIA_JOB_STORYBOARD],
    ),
    ("Storyboard", "progress"): (
        Leaf("{ totalTasks }"),
        [("createStoryboard", ()), ("deleteScene", ()), VIA_JOB_STORYBOARD],
    ),
    ("Storyboard", "revisions"): (
        Leaf("{ edges { node { label } } }", LABEL),
        [
            ("restoreStoryboardRevision", ()),
            ("saveStoryboardRevision", ("storyboard",)),
            VIA_JOB_STORYBOARD,
        ],
    ),
    ("StoryboardRevision", "storyboard"): (
        Leaf("{ brief }", BRIEF),
        [
            ("saveStoryboardRevision", ()),
            ("createJob", ("storyboard", "revisions", "edges", "node")),
        ],
    ),
    ("Scene", "storyboard"): (
        Leaf("{ brief }", BRIEF),
        [("addScene", ()), ("updateScene", ()), VIA_JOB_SCENES],
    ),
    ("Scene", "tasks"): (
        Leaf("{ taskType }", "SCRIPT_WRITTEN"),
        [("addScene", ()), ("updateScene", ()), VIA_JOB_SCENES],
    ),
    ("Scene", "progress"): (
        Leaf("{ totalTasks }"),
        [("addScene", ()), ("updateScene", ()), VIA_JOB_SCENES],
    ),
    ("Scene", "assets"): (
        Leaf("{ fileName }", FILE_NAME),
        [("updateScene", ()), VIA_JOB_SCENES],
    ),
    ("SceneTask", "scene"): (
        Leaf("{ script }", SCRIPT),
        [("setTaskCompleted", ()), ("createJob", ("storyboard", "scenes", "tasks"))],
    ),
    ("Asset", "url"): (
        Leaf("", "/media/"),
        [
            ("completeAssetUpload", ()),
            # Still PENDING: its url is null even when it may be read.
            ("createAssetUpload", ("asset",), Leaf("")),
            ("createJob", ("storyboard", "scenes", "assets")),
        ],
    ),
    ("Job", "project"): (Leaf("{ description }", DESCRIPTION), JOB_ROUTES),
    ("Job", "storyboard"): (Leaf("{ brief scenes { script } }", BRIEF), JOB_ROUTES),
    ("Job", "events"): (Leaf("{ status }", "QUEUED"), JOB_ROUTES),
    ("Job", "stages"): (Leaf("{ name status }"), JOB_ROUTES),
    ("Job", "assets"): (Leaf("{ id }"), JOB_ROUTES),
    ("Project", "assets"): (
        Leaf("{ edges { node { fileName } } }", FILE_NAME),
        [("updateProject", ()), VIA_JOB_PROJECT],
    ),
    ("Project", "jobStats"): (
        Leaf("{ kind total }", "render"),
        [("updateProject", ()), VIA_JOB_PROJECT],
    ),
    ("Storyboard", "assets"): (
        Leaf("{ edges { node { fileName } } }", FILE_NAME),
        [("deleteScene", ()), VIA_JOB_STORYBOARD],
    ),
    ("Project", "characters"): (
        Leaf("{ description }", CHARACTER),
        [("updateProject", ()), VIA_JOB_PROJECT],
    ),
    ("Scene", "keyframes"): (
        Leaf("{ description }", KEYFRAME),
        [("updateScene", ()), VIA_JOB_SCENES],
    ),
    ("Scene", "characters"): (
        Leaf("{ description }", CHARACTER),
        [("setSceneCharacters", ()), ("updateScene", ()), VIA_JOB_SCENES],
    ),
    ("Character", "project"): (
        Leaf("{ description }", DESCRIPTION),
        [("createCharacter", ()), ("createJob", ("project", "characters"))],
    ),
    ("Character", "image"): (
        Leaf("{ fileName }", FILE_NAME),
        [("setCharacterImage", ()), ("createJob", ("project", "characters"))],
    ),
    ("Character", "assets"): (
        Leaf("{ fileName }", FILE_NAME),
        [("setCharacterImage", ()), ("createJob", ("project", "characters"))],
    ),
    ("Character", "scenes"): (
        Leaf("{ script }", SCRIPT),
        [("setCharacterImage", ()), ("createJob", ("project", "characters"))],
    ),
    ("Keyframe", "scene"): (
        Leaf("{ script }", SCRIPT),
        [("addKeyframe", ()), ("createJob", ("storyboard", "scenes", "keyframes"))],
    ),
    ("Keyframe", "image"): (
        Leaf("{ fileName }", FILE_NAME),
        [("setKeyframeImage", ()), ("createJob", ("storyboard", "scenes", "keyframes"))],
    ),
    ("Keyframe", "assets"): (
        Leaf("{ fileName }", FILE_NAME),
        [("setKeyframeImage", ()), ("createJob", ("storyboard", "scenes", "keyframes"))],
    ),
    ("Asset", "character"): (
        Leaf("{ description }", CHARACTER),
        [("setCharacterImage", ("image",)), ("createJob", ("project", "characters", "assets"))],
    ),
    ("Asset", "keyframe"): (
        Leaf("{ description }", KEYFRAME),
        [
            ("setKeyframeImage", ("image",)),
            ("createJob", ("storyboard", "scenes", "keyframes", "assets")),
        ],
    ),
    ("Storyboard", "jobs"): (
        Leaf("{ edges { node { payload } } }", PAYLOAD["secret"]),
        [("deleteScene", ()), VIA_JOB_STORYBOARD],
    ),
    ("User", "jobs"): (
        Leaf("{ edges { node { payload } } }", PAYLOAD["secret"]),
        [("signUp", ("user",), Leaf("{ totalCount }")), ("createJob", ("project", "owner"))],
    ),
    ("User", "jobStats"): (
        Leaf("{ kind total }", "render"),
        [("signUp", ("user",), Leaf("{ kind }")), ("createJob", ("project", "owner"))],
    ),
    ("Asset", "project"): (Leaf("{ description }", DESCRIPTION), ASSET_ROUTES),
    ("Asset", "storyboard"): (Leaf("{ brief }", BRIEF), ASSET_ROUTES),
    ("Asset", "scene"): (Leaf("{ script }", SCRIPT), ASSET_ROUTES),
    ("Asset", "job"): (Leaf("{ id }"), ASSET_ROUTES),
    ("Asset", "sources"): (Leaf("{ id }"), ASSET_ROUTES),
    ("User", "projects"): (
        Leaf("{ totalCount }"),
        [("signUp", ("user",)), ("createJob", ("project", "owner"))],
    ),
    ("User", "apiKeys"): (
        Leaf("{ id }"),
        [("signUp", ("user",)), ("createJob", ("project", "owner"))],
    ),
    ("User", "webhooks"): (
        Leaf("{ url }", WEBHOOK_HOST),
        [("signUp", ("user",), Leaf("{ id }")), ("createJob", ("project", "owner"))],
    ),
    ("Project", "webhooks"): (
        Leaf("{ url }", WEBHOOK_HOST),
        [("updateProject", ()), VIA_JOB_PROJECT],
    ),
    ("Project", "activity"): (
        Leaf("{ totalCount edges { node { action } } }"),
        [("updateProject", ()), VIA_JOB_PROJECT],
    ),
    ("ActivityEvent", "actor"): (
        Leaf("{ kind }"),
        [
            ("updateProject", ("activity", "edges", "node")),
            ("createJob", ("project", "activity", "edges", "node")),
        ],
    ),
    ("Webhook", "project"): (
        Leaf("{ description }", DESCRIPTION),
        [("createWebhook", ("webhook",)), ("createJob", ("project", "webhooks"))],
    ),
    ("Webhook", "deliveries"): (
        Leaf("{ totalCount }"),
        [("createWebhook", ("webhook",)), ("createJob", ("project", "webhooks"))],
    ),
}

# Routes through these need the tree's character and keyframe.
CREATIVE = frozenset(
    {"characters", "keyframes", "setSceneCharacters", "setCharacterImage", "setKeyframeImage"}
)
WEBHOOKS = frozenset({"webhooks", "createWebhook"})
REFUSED_SCOPES = [["jobs"], ["write"], ["write", "jobs"]]
ALL_SCOPES = ["read", "write", "jobs"]


@dataclass(frozen=True)
class Route:
    """One mutation whose result reaches the field `type_name.field` through `hops`."""

    type_name: str
    field: str
    mutation: Mutation
    hops: tuple[str, ...]
    leaf: Leaf

    @property
    def chain(self) -> list[str]:
        return [self.mutation.name, *self.hops, self.field]

    def parents(self) -> list[tuple[GraphQLObjectType, GraphQLField]]:
        """(type, field) at each step of the chain, from the Mutation root down."""
        parent = GRAPHQL.mutation_type
        assert parent is not None
        steps = []
        for name in self.chain:
            field = parent.fields[name]
            steps.append((parent, field))
            child = named(field.type)
            if isinstance(child, GraphQLObjectType):
                parent = child
        return steps

    def document(self) -> str:
        inner = f"{self.field} {self.leaf.selection}"
        for hop in reversed(self.hops):
            inner = f"{hop} {{ __typename {inner} }}"
        return (
            f"mutation Reach({self.mutation.variables}) "
            f"{{ {self.mutation.call} {{ __typename {inner} }} }}"
        )

    def refused_at(self) -> int:
        """Index in `chain` of the first field that needs `read`."""
        guarded = relations()
        for i, (parent, _) in enumerate(self.parents()):
            if i and (parent.name, self.chain[i]) in guarded:
                return i
        raise AssertionError(f"{self} crosses no guarded field")

    def refused_data(self) -> dict[str, Any] | None:
        """The data GraphQL's null propagation leaves when the field at `refused_at` fails."""
        end = self.refused_at()
        steps = self.parents()[: end + 1]
        value: Any = None
        for i in range(end, 0, -1):
            parent, field = steps[i]
            if value is None and isinstance(field.type, GraphQLNonNull):
                continue  # the parent object is null too
            value = {"__typename": parent.name, self.chain[i]: value}
        _, root = steps[0]
        if value is None and isinstance(root.type, GraphQLNonNull):
            return None
        return {self.chain[0]: value}

    def allowed(self, scopes: list[str]) -> bool:
        return not self.mutation.needs or not self.mutation.needs.isdisjoint(scopes)

    def __str__(self) -> str:
        return f"{self.type_name}.{self.field} via {'.'.join(self.chain)}"


ROUTES = [
    Route(type_name, field, MUTATIONS[mutation], hops, own[0] if own else leaf)
    for (type_name, field), (leaf, routes) in TABLE.items()
    for mutation, hops, *own in routes
]


def value_at(data: Any, chain: list[str]) -> Any:
    """Follow `chain` through `data`, into the first item of each list on the way."""
    for name in chain:
        while isinstance(data, list):
            assert data, chain
            data = data[0]
        assert isinstance(data, dict), (chain, data)
        data = data[name]
    return data


def refusal(route: Route, body: dict[str, Any]) -> dict[str, Any]:
    """The response when `read` is missing: FORBIDDEN at the first guarded field, and what
    null propagation leaves of the data."""
    [error, *_] = body.get("errors") or [{}]
    return {
        "data": route.refused_data(),
        "errors": [
            {
                "message": "This credential lacks the `read` scope.",
                "locations": error.get("locations"),
                "path": route.chain[: route.refused_at() + 1],
                "extensions": {"code": "FORBIDDEN"},
            }
        ],
    }


def secrets(route: Route, user: User) -> list[str]:
    """Texts of the other objects that a refused response must not contain."""
    found = [user.email, "SECRET", FILE_NAME, "/media/"]  # LABEL starts with SECRET
    return found if route.leaf.tell is None else [*found, route.leaf.tell]


def test_defect_5_every_field_with_a_resolver_below_the_roots_needs_read() -> None:
    """A relation declared with plain `strawberry.field` (not `relation`) fails here."""
    found = relations()
    assert len(found) >= 19
    unguarded = []
    for type_name, field_name in sorted(found):
        gtype = GRAPHQL.type_map[type_name]
        assert isinstance(gtype, GraphQLObjectType)
        definition = gtype.fields[field_name].extensions["strawberry-definition"]
        checks = [
            e
            for e in definition.extensions
            if isinstance(e, PermissionExtension)
            and any(isinstance(p, CanRead) for p in e.permissions)
        ]
        if CanRead not in definition.permission_classes or not checks:
            unguarded.append(f"{type_name}.{field_name}")
    assert unguarded == []


def test_defect_5_the_table_covers_every_relation_for_every_scope_set() -> None:
    assert set(TABLE) == relations()
    for route in ROUTES:
        route.refused_at()  # each route crosses a guarded field
        assert route.parents()[-1][0].name == route.type_name, str(route)
    for key in TABLE:
        for scopes in [*REFUSED_SCOPES, ALL_SCOPES]:
            assert any(r.allowed(scopes) for r in ROUTES if (r.type_name, r.field) == key), (
                key,
                scopes,
            )


@pytest.mark.parametrize("scopes", [*REFUSED_SCOPES, ALL_SCOPES], ids="+".join)
async def test_defect_5_read_scope_guards_every_relation_reached_from_mutations(
    api: Api, scopes: list[str]
) -> None:
    user = await sign_up(api)
    key = (await api.gql(CREATE_API_KEY, user.token, name="partner", scopes=scopes))[
        "createApiKey"
    ]["key"]
    wrong: list[tuple[str, Any]] = []  # (route, response) of every route not as expected
    for route in ROUTES:
        if not route.allowed(scopes):
            continue
        reaches_asset = "assets" in route.chain
        tree = await plant(
            api,
            user,
            asset=reaches_asset,
            creative=not CREATIVE.isdisjoint(route.chain),
            webhook=not WEBHOOKS.isdisjoint(route.chain),
        )
        tree.key = key
        variables = await route.mutation.prepare(api, user, tree)
        sent = {k: v for k, v in variables.items() if not k.startswith("_")}

        response = await api.client.post(
            "/graphql",
            json={"query": route.document(), "variables": sent},
            headers={"Authorization": f"Bearer {key}"},
        )

        assert response.status_code == 200, (str(route), response.text)
        body = response.json()
        if "read" in scopes:
            value = value_at(body["data"], route.chain) if "errors" not in body else None
            if "errors" in body or (route.leaf.tell and route.leaf.tell not in json.dumps(value)):
                wrong.append((str(route), body))
        else:
            if body != refusal(route, body) or any(
                s in response.text for s in secrets(route, user)
            ):
                wrong.append((str(route), body))
        await route.mutation.committed(api, user, tree, variables)
    assert wrong == []


async def test_defect_5_anonymous_caller_reaching_a_relation_is_unauthenticated(api: Api) -> None:
    route = next(r for r in ROUTES if r.chain == ["signUp", "user", "projects"])
    email = f"anon-{uuid.uuid4().hex[:10]}@example.com"

    body = await api.post(route.document(), email=email, password=PASSWORD)

    assert body["data"] is None
    [error] = body["errors"]
    assert (error["path"], error["extensions"]["code"]) == (
        ["signUp", "user", "projects"],
        "UNAUTHENTICATED",
    )
    assert (await api.gql(LOG_IN, email=email, password=PASSWORD))["logIn"]["user"] == {
        "email": email
    }
