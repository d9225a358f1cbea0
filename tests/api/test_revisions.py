"""Storyboard revisions: save, restore, the GENERATION revision, pruning, the connection."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from models import (
    Asset,
    RevisionOrigin,
    Scene,
    SceneTask,
    Storyboard,
    StoryboardRevision,
    StoryboardStatus,
)
from services import jobs
from services.broker import MemoryBroker
from services.generation import generate
from services.generator import TemplateProvider
from services.jobs import GENERATE_STORYBOARD
from services.limits import MAX_REVISIONS
from services.worker_run import JobRun
from tests.conftest import MakeApi
from tests.helpers import Api, User, add_scene, create_project, create_storyboard, sign_up

WAIT_SECONDS = 10.0

SAVE = """
mutation Save($storyboardId: ID!, $label: String) {
  saveStoryboardRevision(storyboardId: $storyboardId, label: $label) {
    id version label origin generationModel wordCount sceneCount totalDuration snapshot
    createdAt storyboard { id version }
  }
}
"""
RESTORE = """
mutation Restore($id: ID!) {
  restoreStoryboardRevision(id: $id) {
    id title brief referenceUrls patternSource version totalScenes totalDuration
    scenes {
      id sceneNumber sceneType duration visualDescription script textOverlay cameraAngle
      tasks { taskType completed }
      assets { id }
    }
    revisions(first: 1) { totalCount edges { node { version origin label } } }
  }
}
"""
REVISIONS = """
query Revisions($id: ID!, $first: Int, $after: String) {
  storyboard(id: $id) {
    version
    revisions(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id version origin label } }
    }
  }
}
"""
UPDATE_SCENE = """
mutation UpdateScene($id: ID!, $input: UpdateSceneInput!) {
  updateScene(id: $id, input: $input) { id }
}
"""
SET_TASK = """
mutation SetTask($sceneId: ID!) {
  setTaskCompleted(sceneId: $sceneId, taskType: EDITED, completed: true) { id }
}
"""
GENERATE = """
mutation Generate($input: GenerateStoryboardInput!) {
  generateStoryboard(input: $input) { id storyboard { id } }
}
"""
STORYBOARD = """
query Storyboard($id: ID!) {
  storyboard(id: $id) {
    id title brief referenceUrls patternSource version totalScenes totalDuration updatedAt
    scenes {
      id sceneNumber sceneType duration visualDescription script textOverlay cameraAngle
      tasks { taskType completed }
    }
  }
}
"""


async def storyboard_state(api: Api, user: User, storyboard_id: str) -> dict[str, Any]:
    data = await api.gql(STORYBOARD, user.token, id=storyboard_id)
    state: dict[str, Any] = data["storyboard"]
    return state


async def scripted(api: Api, user: User, storyboard_id: str, script: str, **extra: Any) -> str:
    scene_id = await add_scene(api, user, storyboard_id, duration=extra.pop("duration", 5))
    await api.gql(UPDATE_SCENE, user.token, id=scene_id, input={"script": script, **extra})
    return scene_id


async def save(
    api: Api, user: User, storyboard_id: str, label: str | None = None
) -> dict[str, Any]:
    data = await api.gql(SAVE, user.token, storyboardId=storyboard_id, label=label)
    revision: dict[str, Any] = data["saveStoryboardRevision"]
    return revision


async def test_save_records_the_storyboard_as_it_is_now(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    storyboard_id = await create_storyboard(api, user, project_id, title="Cut A", brief="Brief.")
    await scripted(api, user, storyboard_id, "Hello there,  world.\nThree words", duration=4)
    await scripted(
        api, user, storyboard_id, "one", duration=6, textOverlay="Buy", cameraAngle="low"
    )

    first = await save(api, user, storyboard_id, "First cut")
    second = await save(api, user, storyboard_id)

    assert first["version"] == 1
    assert (first["label"], first["origin"], first["generationModel"]) == (
        "First cut",
        "USER",
        None,
    )
    assert (first["wordCount"], first["sceneCount"], first["totalDuration"]) == (6, 2, 10)
    assert first["storyboard"] == {"id": storyboard_id, "version": 1}
    assert first["snapshot"] == {
        "title": "Cut A",
        "brief": "Brief.",
        "referenceUrls": [],
        "patternSource": None,
        "scenes": [
            {
                "sceneNumber": 1,
                "sceneType": "CONTENT",
                "duration": 4,
                "visualDescription": "A wide shot.",
                "script": "Hello there,  world.\nThree words",
                "textOverlay": None,
                "cameraAngle": None,
                "characterIds": [],
                "keyframes": [],
            },
            {
                "sceneNumber": 2,
                "sceneType": "CONTENT",
                "duration": 6,
                "visualDescription": "A wide shot.",
                "script": "one",
                "textOverlay": "Buy",
                "cameraAngle": "low",
                "characterIds": [],
                "keyframes": [],
            },
        ],
    }
    assert (second["version"], second["label"], second["storyboard"]["version"]) == (2, None, 2)
    assert second["snapshot"] == first["snapshot"]


async def test_a_new_storyboard_is_version_0_with_no_revisions(api: Api) -> None:
    user = await sign_up(api)
    storyboard_id = await create_storyboard(api, user, await create_project(api, user))

    data = await api.gql(REVISIONS, user.token, id=storyboard_id)

    assert data["storyboard"] == {
        "version": 0,
        "revisions": {
            "totalCount": 0,
            "pageInfo": {"hasNextPage": False, "endCursor": None},
            "edges": [],
        },
    }


CREATE_CHARACTER = """
mutation CreateCharacter($input: CreateCharacterInput!) { createCharacter(input: $input) { id } }
"""
SET_CAST = """
mutation SetCast($sceneId: ID!, $ids: [ID!]!) {
  setSceneCharacters(sceneId: $sceneId, characterIds: $ids) { id }
}
"""
ADD_KEYFRAME = """
mutation AddKeyframe($sceneId: ID!, $input: KeyframeInput!) {
  addKeyframe(sceneId: $sceneId, input: $input) { id }
}
"""
DELETE_CHARACTER = "mutation DeleteCharacter($id: ID!) { deleteCharacter(id: $id) }"
DELETE_SCENE = "mutation DeleteScene($id: ID!) { deleteScene(id: $id) { id } }"
UPDATE_STORYBOARD = """
mutation UpdateStoryboard($id: ID!, $input: UpdateStoryboardInput!) {
  updateStoryboard(id: $id, input: $input) { id }
}
"""
CASTS = """
query Casts($id: ID!) {
  storyboard(id: $id) {
    scenes {
      id characters { id }
      keyframes { id sequence description timingSeconds metadata }
      assets { id }
    }
  }
}
"""


async def test_restore_brings_back_fields_scenes_keyframes_and_casts(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    storyboard_id = await create_storyboard(api, user, project_id, title="Cut A", brief="B1.")
    hero = (
        await api.gql(
            CREATE_CHARACTER,
            user.token,
            input={"projectId": project_id, "name": "Hero", "description": "Brave."},
        )
    )["createCharacter"]["id"]
    villain = (
        await api.gql(
            CREATE_CHARACTER,
            user.token,
            input={"projectId": project_id, "name": "Villain", "description": "Sly."},
        )
    )["createCharacter"]["id"]
    first = await scripted(api, user, storyboard_id, "first words here", duration=3)
    second = await scripted(api, user, storyboard_id, "second", duration=4)
    await api.gql(SET_CAST, user.token, sceneId=first, ids=[villain, hero])
    for description, timing in (("Open", 0.0), ("Zoom", 1.5)):
        await api.gql(
            ADD_KEYFRAME,
            user.token,
            sceneId=first,
            input={"description": description, "timingSeconds": timing, "metadata": {"k": 1}},
        )
    saved = await save(api, user, storyboard_id, "before edits")
    before = await storyboard_state(api, user, storyboard_id)
    casts_before = (await api.gql(CASTS, user.token, id=storyboard_id))["storyboard"]
    assert saved["snapshot"]["scenes"][0]["characterIds"] == [hero, villain]
    assert saved["snapshot"]["scenes"][0]["keyframes"] == [
        {"sequence": 1, "description": "Open", "timingSeconds": 0.0, "metadata": {"k": 1}},
        {"sequence": 2, "description": "Zoom", "timingSeconds": 1.5, "metadata": {"k": 1}},
    ]

    # Edit everything, complete a task, then restore.
    await api.gql(
        UPDATE_STORYBOARD,
        user.token,
        id=storyboard_id,
        input={"title": "Cut B", "brief": "B2.", "patternSource": "p"},
    )
    await api.gql(UPDATE_SCENE, user.token, id=first, input={"script": "changed", "duration": 9})
    await api.gql(SET_CAST, user.token, sceneId=first, ids=[])
    await api.gql(SET_TASK, user.token, sceneId=first)
    await api.gql(DELETE_SCENE, user.token, id=second)
    await scripted(api, user, storyboard_id, "third", duration=1)
    await scripted(api, user, storyboard_id, "fourth", duration=1)

    restored = (await api.gql(RESTORE, user.token, id=saved["id"]))["restoreStoryboardRevision"]
    after = await storyboard_state(api, user, storyboard_id)
    casts_after = (await api.gql(CASTS, user.token, id=storyboard_id))["storyboard"]

    assert restored["id"] == storyboard_id
    assert (restored["title"], restored["brief"], restored["patternSource"]) == (
        "Cut A",
        "B1.",
        None,
    )
    assert (restored["version"], restored["totalScenes"], restored["totalDuration"]) == (2, 2, 7)
    assert restored["revisions"] == {
        "totalCount": 2,
        "edges": [{"node": {"version": 2, "origin": "RESTORE", "label": "Restored version 1"}}],
    }

    def content(state: dict[str, Any]) -> list[dict[str, Any]]:
        return [{k: v for k, v in s.items() if k not in ("id", "tasks")} for s in state["scenes"]]

    assert content(after) == content(before)
    assert after["scenes"][0]["id"] == first  # scene 1 kept its row
    for scene in after["scenes"]:
        assert scene["tasks"] == [
            {"taskType": t, "completed": False}
            for t in ["SCRIPT_WRITTEN", "SCENE_FILMED", "AUDIO_RECORDED", "EDITED"]
        ]
    assert [s["characters"] for s in casts_after["scenes"]] == [
        s["characters"] for s in casts_before["scenes"]
    ]
    assert [
        [{k: v for k, v in f.items() if k != "id"} for f in s["keyframes"]]
        for s in casts_after["scenes"]
    ] == [
        [{k: v for k, v in f.items() if k != "id"} for f in s["keyframes"]]
        for s in casts_before["scenes"]
    ]
    # The RESTORE revision records the storyboard as restored.
    newest = (await api.gql(REVISIONS, user.token, id=storyboard_id, first=1))["storyboard"]
    assert newest["version"] == 2


async def test_restore_skips_characters_deleted_since(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    storyboard_id = await create_storyboard(api, user, project_id)
    hero = (
        await api.gql(
            CREATE_CHARACTER,
            user.token,
            input={"projectId": project_id, "name": "Hero", "description": ""},
        )
    )["createCharacter"]["id"]
    scene = await scripted(api, user, storyboard_id, "words")
    await api.gql(SET_CAST, user.token, sceneId=scene, ids=[hero])
    saved = await save(api, user, storyboard_id)
    await api.gql(DELETE_CHARACTER, user.token, id=hero)

    await api.gql(RESTORE, user.token, id=saved["id"])
    casts = (await api.gql(CASTS, user.token, id=storyboard_id))["storyboard"]

    assert casts["scenes"][0]["characters"] == []


async def test_restore_keeps_assets_of_dropped_scenes_on_the_storyboard(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    storyboard_id = await create_storyboard(api, user, project_id)
    await scripted(api, user, storyboard_id, "one")
    saved = await save(api, user, storyboard_id)
    extra = await scripted(api, user, storyboard_id, "two")
    asset = await Asset.create(
        project_id=project_id,
        storyboard_id=storyboard_id,
        scene_id=extra,
        kind="IMAGE",
        file_name="x.png",
        content_type="image/png",
        size_bytes=1,
        storage_key=f"projects/{project_id}/assets/x.png",
    )

    await api.gql(RESTORE, user.token, id=saved["id"])

    kept = await Asset.get(id=asset.id)
    assert (str(kept.storyboard_id), kept.scene_id) == (storyboard_id, None)
    assert await Scene.filter(id=extra).count() == 0


async def test_a_successful_generation_records_a_generation_revision(make_api: MakeApi) -> None:
    async with make_api() as api:
        user = await sign_up(api)
        project_id = await create_project(api, user)
        data = await api.gql(
            GENERATE,
            user.token,
            input={
                "projectId": project_id,
                "title": "Launch",
                "brief": "One sentence. Another sentence here.",
                "sceneCount": 3,
            },
        )
        storyboard_id = data["generateStoryboard"]["storyboard"]["id"]
        job = await jobs.claim_job(
            MemoryBroker(), None, [GENERATE_STORYBOARD], 60, allow_built_in=True
        )
        assert job is not None
        await generate(JobRun(job, MemoryBroker()), TemplateProvider())
        revisions = await api.gql(REVISIONS, user.token, id=storyboard_id)
        stored = await StoryboardRevision.get(storyboard_id=storyboard_id)
        state = await storyboard_state(api, user, storyboard_id)

    assert revisions["storyboard"]["version"] == 1
    [edge] = revisions["storyboard"]["revisions"]["edges"]
    assert (edge["node"]["version"], edge["node"]["origin"]) == (1, "GENERATION")
    assert stored.generation_model == TemplateProvider.MODEL == "storygraph-template/1"
    assert stored.scene_count == 3 == state["totalScenes"]
    assert stored.total_duration == state["totalDuration"]
    assert stored.word_count == sum(len((s["script"] or "").split()) for s in state["scenes"])
    assert [s["script"] for s in stored.snapshot["scenes"]] == [  # type: ignore[attr-defined]
        s["script"] for s in state["scenes"]
    ]


async def test_restore_while_generating_is_conflict(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    storyboard_id = await create_storyboard(api, user, project_id)
    await scripted(api, user, storyboard_id, "one")
    saved = await save(api, user, storyboard_id)
    await Storyboard.filter(id=storyboard_id).update(status=StoryboardStatus.GENERATING)

    error = await api.gql_error(RESTORE, user.token, id=saved["id"])

    assert error["extensions"]["code"] == "CONFLICT"
    assert await StoryboardRevision.filter(storyboard_id=storyboard_id).count() == 1


async def test_another_users_revision_and_storyboard_are_not_found(api: Api) -> None:
    a = await sign_up(api)
    b = await sign_up(api)
    storyboard_id = await create_storyboard(api, a, await create_project(api, a))
    saved = await save(api, a, storyboard_id)

    restore = await api.gql_error(RESTORE, b.token, id=saved["id"])
    save_error = await api.gql_error(SAVE, b.token, storyboardId=storyboard_id)
    ghost = await api.gql_error(RESTORE, a.token, id="00000000-0000-0000-0000-000000000000")

    assert [e["extensions"]["code"] for e in (restore, save_error, ghost)] == ["NOT_FOUND"] * 3
    assert await StoryboardRevision.filter(storyboard_id=storyboard_id).count() == 1


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"label": "x" * 201}, "label"),
        ({"storyboardId": "nope"}, "storyboardId"),
    ],
)
async def test_bad_save_input_is_refused(api: Api, variables: dict[str, Any], field: str) -> None:
    user = await sign_up(api)
    storyboard_id = await create_storyboard(api, user, await create_project(api, user))

    error = await api.gql_error(SAVE, user.token, **{"storyboardId": storyboard_id, **variables})

    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("BAD_USER_INPUT", field)
    assert await StoryboardRevision.filter(storyboard_id=storyboard_id).count() == 0


async def test_label_limits(api: Api) -> None:
    user = await sign_up(api)
    storyboard_id = await create_storyboard(api, user, await create_project(api, user))

    assert (await save(api, user, storyboard_id, ""))["label"] == ""
    assert (await save(api, user, storyboard_id, "x" * 200))["label"] == "x" * 200


async def test_revisions_page_newest_first(api: Api) -> None:
    user = await sign_up(api)
    storyboard_id = await create_storyboard(api, user, await create_project(api, user))
    for i in range(5):
        await save(api, user, storyboard_id, f"v{i + 1}")

    versions, after = [], None
    while True:
        data = await api.gql(REVISIONS, user.token, id=storyboard_id, first=2, after=after)
        page = data["storyboard"]["revisions"]
        assert page["totalCount"] == 5
        versions += [e["node"]["version"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert versions == [5, 4, 3, 2, 1]
    for bad, field in ((0, "first"), (101, "first")):
        error = await api.gql_error(REVISIONS, user.token, id=storyboard_id, first=bad)
        assert (error["extensions"]["code"], error["extensions"]["field"]) == (
            "BAD_USER_INPUT",
            field,
        )
    error = await api.gql_error(REVISIONS, user.token, id=storyboard_id, after="garbage")
    assert (error["extensions"]["code"], error["extensions"]["field"]) == (
        "BAD_USER_INPUT",
        "after",
    )


async def test_the_oldest_user_revisions_are_pruned_past_the_limit(api: Api) -> None:
    user = await sign_up(api)
    storyboard_id = await create_storyboard(api, user, await create_project(api, user))
    start = datetime.now(UTC) - timedelta(days=1)
    # Version 1 is a GENERATION revision, the others USER ones: MAX_REVISIONS in all.
    await StoryboardRevision.bulk_create(
        [
            StoryboardRevision(
                storyboard_id=storyboard_id,
                version=version,
                origin=RevisionOrigin.GENERATION if version == 1 else RevisionOrigin.USER,
                word_count=0,
                scene_count=0,
                total_duration=0,
                snapshot={},
                created_at=start + timedelta(seconds=version),
            )
            for version in range(1, MAX_REVISIONS + 1)
        ]
    )
    await Storyboard.filter(id=storyboard_id).update(version=MAX_REVISIONS)

    newest = await save(api, user, storyboard_id, "newest")
    kept = await StoryboardRevision.filter(storyboard_id=storyboard_id).values_list(
        "version", flat=True
    )

    assert newest["version"] == MAX_REVISIONS + 1
    assert sorted(kept) == [1, *range(3, MAX_REVISIONS + 2)]  # version 2: the oldest USER one


async def test_a_failed_restore_changes_nothing(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    user = await sign_up(api)
    storyboard_id = await create_storyboard(api, user, await create_project(api, user))
    scene = await scripted(api, user, storyboard_id, "one")
    saved = await save(api, user, storyboard_id)
    await api.gql(UPDATE_SCENE, user.token, id=scene, input={"script": "two"})
    await scripted(api, user, storyboard_id, "three")
    await api.gql(SET_TASK, user.token, sceneId=scene)
    before = await storyboard_state(api, user, storyboard_id)

    from services import revisions

    async def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the database went away mid-restore")

    monkeypatch.setattr(revisions, "record", fail)  # after the scenes were rewritten
    error = await api.gql_error(RESTORE, user.token, id=saved["id"])

    assert error["extensions"]["code"] == "INTERNAL"
    assert await storyboard_state(api, user, storyboard_id) == before
    assert await SceneTask.filter(scene__storyboard_id=storyboard_id).count() == 8
