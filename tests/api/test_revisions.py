"""Storyboard revisions: save, restore, the GENERATION revision, pruning, the connection."""

import asyncio
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
from services.generator import GenerationRequest, PlannedScene, TemplateProvider
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
mutation UpdateScene($id: ID!, $input: UpdateSceneInput!) { updateScene(id: $id, input: $input) { id } }
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
