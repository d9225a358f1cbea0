"""Nothing half-written: a mutation that fails midway leaves no trace (API.md, Conventions)."""

import json
import uuid
from typing import Any, NoReturn

import pytest

import services.scenes
from models import Scene, SceneTask
from models import User as UserModel
from tests.helpers import (
    PASSWORD,
    SIGN_UP,
    Api,
    User,
    add_scene,
    create_project,
    create_storyboard,
    sign_up,
)

ADD_SCENE = """
mutation AddScene($storyboardId: ID!, $input: SceneInput!, $position: Int) {
  addScene(storyboardId: $storyboardId, input: $input, position: $position) { id sceneNumber }
}
"""
DELETE_SCENE = """
mutation DeleteScene($id: ID!) { deleteScene(id: $id) { id totalScenes } }
"""
STORYBOARD_STATE = """
query StoryboardState($id: ID!) {
  storyboard(id: $id) {
    id totalScenes totalDuration updatedAt
    scenes {
      id sceneNumber duration visualDescription updatedAt
      tasks { id taskType completed completedAt updatedAt }
    }
    progress { totalTasks completedTasks ratio }
  }
}
"""
LEAK_MARKERS = (
    "Traceback",
    "RuntimeError",
    "boom",
    "SELECT",
    "INSERT",
    "UPDATE ",
    "DELETE",
    ".py",
    "scene_number",
)


def explode(*args: Any, **kwargs: Any) -> NoReturn:
    raise RuntimeError("boom: injected failure in SELECT * FROM scenes")


async def explode_async(*args: Any, **kwargs: Any) -> NoReturn:
    explode()


async def storyboard_state(api: Api, user: User, storyboard_id: str) -> dict[str, Any]:
    data = await api.gql(STORYBOARD_STATE, user.token, id=storyboard_id)
    state: dict[str, Any] = data["storyboard"]
    return state


async def storyboard_with_three_scenes(api: Api) -> tuple[User, str, list[str]]:
    user = await sign_up(api)
    storyboard_id = await create_storyboard(api, user, await create_project(api, user))
    ids = [await add_scene(api, user, storyboard_id, duration=d) for d in (3, 5, 7)]
    return user, storyboard_id, ids


async def post_raw(api: Api, query: str, token: str, **variables: Any) -> tuple[str, Any]:
    response = await api.client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    return response.text, response.json()


def assert_internal_without_leaks(text: str, body: dict[str, Any]) -> None:
    errors = body.get("errors") or []
    assert len(errors) == 1, body
    assert errors[0]["message"] == "Internal server error."
    assert errors[0]["extensions"] == {"code": "INTERNAL"}
    assert body.get("data") is None, body
    for marker in LEAK_MARKERS:
        assert marker not in text, (marker, text)
    assert set(json.loads(text)) <= {"data", "errors"}


async def test_add_scene_failing_after_renumbering_changes_nothing(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    user, storyboard_id, ids = await storyboard_with_three_scenes(api)
    before = await storyboard_state(api, user, storyboard_id)
    monkeypatch.setattr(services.scenes, "create_tasks", explode_async)

    text, body = await post_raw(
        api,
        ADD_SCENE,
        user.token,
        storyboardId=storyboard_id,
        input={"visualDescription": "Never stored", "duration": 11},
        position=1,
    )

    assert_internal_without_leaks(text, body)
    monkeypatch.undo()
    after = await storyboard_state(api, user, storyboard_id)
    assert after == before
    assert [s["id"] for s in after["scenes"]] == ids
    assert [s["sceneNumber"] for s in after["scenes"]] == [1, 2, 3]
    assert (after["totalScenes"], after["totalDuration"]) == (3, 15)
    assert await Scene.all().count() == 3
    assert await SceneTask.all().count() == 12
    assert await Scene.filter(visual_description="Never stored").count() == 0


async def test_add_scene_works_again_after_a_failed_attempt(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    user, storyboard_id, ids = await storyboard_with_three_scenes(api)
    monkeypatch.setattr(services.scenes, "create_tasks", explode_async)
    _, body = await post_raw(
        api,
        ADD_SCENE,
        user.token,
        storyboardId=storyboard_id,
        input={"visualDescription": "Never stored"},
        position=2,
    )
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL"
    monkeypatch.undo()

    new_id = await add_scene(api, user, storyboard_id, position=2, duration=1)

    after = await storyboard_state(api, user, storyboard_id)
    assert [s["id"] for s in after["scenes"]] == [ids[0], new_id, ids[1], ids[2]]
    assert [s["sceneNumber"] for s in after["scenes"]] == [1, 2, 3, 4]
    assert (after["totalScenes"], after["totalDuration"]) == (4, 16)
    assert await SceneTask.all().count() == 16


async def test_delete_scene_failing_after_renumbering_changes_nothing(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    user, storyboard_id, ids = await storyboard_with_three_scenes(api)
    before = await storyboard_state(api, user, storyboard_id)
    monkeypatch.setattr(services.scenes, "_recount", explode_async)

    text, body = await post_raw(api, DELETE_SCENE, user.token, id=ids[0])

    assert_internal_without_leaks(text, body)
    monkeypatch.undo()
    after = await storyboard_state(api, user, storyboard_id)
    assert after == before
    assert [s["id"] for s in after["scenes"]] == ids
    assert [s["sceneNumber"] for s in after["scenes"]] == [1, 2, 3]
    assert (after["totalScenes"], after["totalDuration"]) == (3, 15)
    assert await Scene.all().count() == 3
    assert await SceneTask.all().count() == 12
    assert await SceneTask.filter(scene_id=ids[0]).count() == 4


async def test_sign_up_with_a_taken_email_leaves_exactly_one_user(api: Api) -> None:
    await sign_up(api, "once@example.com")

    error = await api.gql_error(SIGN_UP, email="once@example.com", password=PASSWORD + "!")

    assert error["extensions"]["code"] == "CONFLICT"
    assert await UserModel.filter(email="once@example.com").count() == 1
    assert await UserModel.all().count() == 1


async def test_a_failed_sign_up_does_not_block_a_later_one(api: Api) -> None:
    error = await api.gql_error(SIGN_UP, email="later@example.com", password="short")
    assert error["extensions"]["field"] == "password"
    assert await UserModel.all().count() == 0

    user = await sign_up(api, "later@example.com")

    uuid.UUID(user.id)
    assert await UserModel.filter(email="later@example.com").count() == 1
