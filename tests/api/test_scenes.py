"""Scenes and tasks: numbering 1..n without gaps, totals, four tasks per scene (API.md)."""

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from models import Scene, SceneTask
from tests.helpers import Api, User, add_scene, create_project, create_storyboard, sign_up

TASK_TYPES = ["SCRIPT_WRITTEN", "SCENE_FILMED", "AUDIO_RECORDED", "EDITED"]

ADD_SCENE = """
mutation AddScene($storyboardId: ID!, $input: SceneInput!, $position: Int) {
  addScene(storyboardId: $storyboardId, input: $input, position: $position) {
    id sceneNumber duration sceneType visualDescription script textOverlay cameraAngle
    storyboard { id totalScenes totalDuration }
    tasks { taskType completed completedAt }
  }
}
"""
UPDATE_SCENE = """
mutation UpdateScene($id: ID!, $input: UpdateSceneInput!) {
  updateScene(id: $id, input: $input) {
    id sceneNumber duration sceneType visualDescription script textOverlay cameraAngle
  }
}
"""
MOVE_SCENE = """
mutation MoveScene($id: ID!, $position: Int!) {
  moveScene(id: $id, position: $position) {
    id totalScenes totalDuration scenes { id sceneNumber duration }
  }
}
"""
DELETE_SCENE = """
mutation DeleteScene($id: ID!) {
  deleteScene(id: $id) { id totalScenes totalDuration scenes { id sceneNumber duration } }
}
"""
SET_TASK_COMPLETED = """
mutation SetTaskCompleted($sceneId: ID!, $taskType: TaskType!, $completed: Boolean!) {
  setTaskCompleted(sceneId: $sceneId, taskType: $taskType, completed: $completed) {
    id taskType completed completedAt scene { id }
  }
}
"""
STORYBOARD_SCENES = """
query StoryboardScenes($id: ID!) {
  storyboard(id: $id) {
    id totalScenes totalDuration updatedAt
    scenes {
      id sceneNumber duration sceneType visualDescription script textOverlay cameraAngle updatedAt
      tasks { id taskType completed completedAt updatedAt }
    }
  }
}
"""
SCENE = """
query Scene($id: ID!) {
  scene(id: $id) {
    id sceneNumber duration sceneType visualDescription script textOverlay cameraAngle
    storyboard { id }
    tasks { id taskType completed completedAt }
  }
}
"""


async def storyboard_state(api: Api, user: User, storyboard_id: str) -> dict[str, Any]:
    data = await api.gql(STORYBOARD_SCENES, user.token, id=storyboard_id)
    state: dict[str, Any] = data["storyboard"]
    return state


def assert_consistent(state: dict[str, Any], expected_ids: list[str]) -> None:
    """Scenes in exactly this order, numbered 1..n, with totals equal to count and sum."""
    scenes = state["scenes"]
    assert [s["id"] for s in scenes] == expected_ids
    assert [s["sceneNumber"] for s in scenes] == list(range(1, len(expected_ids) + 1))
    assert state["totalScenes"] == len(expected_ids)
    assert state["totalDuration"] == sum(s["duration"] for s in scenes)


async def assert_order(api: Api, user: User, storyboard_id: str, expected_ids: list[str]) -> None:
    state = await storyboard_state(api, user, storyboard_id)
    assert_consistent(state, expected_ids)
    for scene in state["scenes"]:
        assert [t["taskType"] for t in scene["tasks"]] == TASK_TYPES
    assert await Scene.filter(storyboard_id=storyboard_id).count() == len(expected_ids)
    tasks = await SceneTask.filter(scene__storyboard_id=storyboard_id).count()
    assert tasks == 4 * len(expected_ids)


async def storyboard_with_scenes(
    api: Api, user: User, durations: list[int]
) -> tuple[str, list[str]]:
    project_id = await create_project(api, user)
    storyboard_id = await create_storyboard(api, user, project_id)
    ids = [
        await add_scene(api, user, storyboard_id, duration=d, description=f"Scene {i + 1}")
        for i, d in enumerate(durations)
    ]
    return storyboard_id, ids


async def insert(api: Api, user: User, storyboard_id: str, position: int, duration: int) -> str:
    data = await api.gql(
        ADD_SCENE,
        user.token,
        storyboardId=storyboard_id,
        input={"visualDescription": "Inserted", "duration": duration},
        position=position,
    )
    scene: dict[str, Any] = data["addScene"]
    assert scene["sceneNumber"] == position
    scene_id: str = scene["id"]
    return scene_id


async def move(api: Api, user: User, scene_id: str, position: int) -> dict[str, Any]:
    data = await api.gql(MOVE_SCENE, user.token, id=scene_id, position=position)
    storyboard: dict[str, Any] = data["moveScene"]
    return storyboard


def bad_input(error: dict[str, Any], field: str) -> None:
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert error["extensions"]["field"] == field, error


# --- addScene -----------------------------------------------------------------------------------


async def test_add_scene_appends_with_the_next_number_and_four_tasks(api: Api) -> None:
    user = await sign_up(api)
    storyboard_id, ids = await storyboard_with_scenes(api, user, [3, 4])

    data = await api.gql(
        ADD_SCENE,
        user.token,
        storyboardId=storyboard_id,
        input={
            "visualDescription": "Close-up of the product.",
            "duration": 7,
            "sceneType": "CTA",
            "script": "Buy it.",
            "textOverlay": "50% off",
            "cameraAngle": "low",
        },
    )

    scene = data["addScene"]
    assert {k: v for k, v in scene.items() if k != "id"} == {
        "sceneNumber": 3,
        "duration": 7,
        "sceneType": "CTA",
        "visualDescription": "Close-up of the product.",
        "script": "Buy it.",
        "textOverlay": "50% off",
        "cameraAngle": "low",
        "storyboard": {"id": storyboard_id, "totalScenes": 3, "totalDuration": 14},
        "tasks": [{"taskType": t, "completed": False, "completedAt": None} for t in TASK_TYPES],
    }
    assert await SceneTask.filter(scene_id=scene["id"]).count() == 4
    await assert_order(api, user, storyboard_id, [*ids, scene["id"]])


async def test_add_scene_uses_the_documented_defaults(api: Api) -> None:
    user = await sign_up(api)
    storyboard_id, _ = await storyboard_with_scenes(api, user, [])

    data = await api.gql(
        ADD_SCENE, user.token, storyboardId=storyboard_id, input={"visualDescription": "Only"}
    )

    scene = data["addScene"]
    assert (scene["sceneNumber"], scene["duration"], scene["sceneType"]) == (1, 0, "CONTENT")
    assert (scene["script"], scene["textOverlay"], scene["cameraAngle"]) == (None, None, None)


async def test_add_scene_at_a_position_inserts_and_renumbers(api: Api) -> None:
    user = await sign_up(api)
    storyboard_id, ids = await storyboard_with_scenes(api, user, [1, 2, 3])

    first = await insert(api, user, storyboard_id, 1, 10)
    expected = [first, *ids]
    await assert_order(api, user, storyboard_id, expected)

    middle = await insert(api, user, storyboard_id, 3, 20)
    expected.insert(2, middle)
    await assert_order(api, user, storyboard_id, expected)

    last = await insert(api, user, storyboard_id, 6, 30)  # n + 1: append
    expected.append(last)
    await assert_order(api, user, storyboard_id, expected)
    state = await storyboard_state(api, user, storyboard_id)
    assert [s["duration"] for s in state["scenes"]] == [10, 1, 20, 2, 3, 30]
    assert state["totalDuration"] == 66


async def test_add_scene_at_position_one_of_an_empty_storyboard(api: Api) -> None:
    user = await sign_up(api)
    storyboard_id, _ = await storyboard_with_scenes(api, user, [])

    scene_id = await insert(api, user, storyboard_id, 1, 4)

    await assert_order(api, user, storyboard_id, [scene_id])


async def test_add_scene_at_an_invalid_position_is_bad_input_and_changes_nothing(
    api: Api,
) -> None:
    user = await sign_up(api)
    storyboard_id, _ = await storyboard_with_scenes(api, user, [1, 2, 3])
    before = await storyboard_state(api, user, storyboard_id)

    for position in (0, 5, -1):
        error = await api.gql_error(
            ADD_SCENE,
            user.token,
            storyboardId=storyboard_id,
            input={"visualDescription": "Nowhere", "duration": 9},
            position=position,
        )

        bad_input(error, "position")
        assert await storyboard_state(api, user, storyboard_id) == before
    assert await Scene.all().count() == 3
    assert await SceneTask.all().count() == 12


async def test_add_scene_with_bad_fields_is_bad_input_and_changes_nothing(api: Api) -> None:
    user = await sign_up(api)
    storyboard_id, _ = await storyboard_with_scenes(api, user, [2])
    before = await storyboard_state(api, user, storyboard_id)

    for scene_input, field in (
        ({"visualDescription": "Negative", "duration": -1}, "duration"),
        ({"visualDescription": ""}, "visualDescription"),
    ):
        error = await api.gql_error(
            ADD_SCENE, user.token, storyboardId=storyboard_id, input=scene_input
        )
        bad_input(error, field)

    assert await storyboard_state(api, user, storyboard_id) == before
    assert await SceneTask.all().count() == 4


async def test_add_scene_to_another_users_storyboard_is_not_found(api: Api) -> None:
    owner = await sign_up(api)
    stranger = await sign_up(api)
    storyboard_id, _ = await storyboard_with_scenes(api, owner, [2])
    before = await storyboard_state(api, owner, storyboard_id)

    error = await api.gql_error(
        ADD_SCENE, stranger.token, storyboardId=storyboard_id, input={"visualDescription": "X"}
    )

    assert error["extensions"]["code"] == "NOT_FOUND"
    assert await storyboard_state(api, owner, storyboard_id) == before


# --- moveScene ----------------------------------------------------------------------------------


async def test_move_scene_in_both_directions_and_in_place(api: Api) -> None:
    user = await sign_up(api)
    storyboard_id, ids = await storyboard_with_scenes(api, user, [1, 2, 3, 4, 5])
    a, b, c, d, e = ids

    steps = [
        (d, 2, [a, d, b, c, e]),  # up
        (a, 5, [d, b, c, e, a]),  # down to the end
        (c, 3, [d, b, c, e, a]),  # where it already is
        (a, 1, [a, d, b, c, e]),  # from the end to the start
        (b, 4, [a, d, c, b, e]),  # down by one... and a bit
        (e, 4, [a, d, c, e, b]),  # up by one
        (a, 2, [d, a, c, e, b]),  # swap the first two
    ]
    for scene_id, position, expected in steps:
        returned = await move(api, user, scene_id, position)

        assert returned["id"] == storyboard_id
        assert_consistent(returned, expected)
        await assert_order(api, user, storyboard_id, expected)
    state = await storyboard_state(api, user, storyboard_id)
    durations = {scene["id"]: scene["duration"] for scene in state["scenes"]}
    assert durations == dict(zip(ids, [1, 2, 3, 4, 5], strict=True))
    assert state["totalDuration"] == 15


async def test_move_scene_in_place_keeps_everything(api: Api) -> None:
    user = await sign_up(api)
    storyboard_id, ids = await storyboard_with_scenes(api, user, [1, 2, 3])
    before = await storyboard_state(api, user, storyboard_id)

    returned = await move(api, user, ids[1], 2)

    assert_consistent(returned, ids)
    assert await storyboard_state(api, user, storyboard_id) == before


async def test_move_scene_to_an_invalid_position_is_bad_input_and_changes_nothing(
    api: Api,
) -> None:
    user = await sign_up(api)
    storyboard_id, ids = await storyboard_with_scenes(api, user, [1, 2, 3])
    before = await storyboard_state(api, user, storyboard_id)

    for position in (0, 4, -2):
        error = await api.gql_error(MOVE_SCENE, user.token, id=ids[0], position=position)

        bad_input(error, "position")
        assert await storyboard_state(api, user, storyboard_id) == before


async def test_move_scene_of_another_user_is_not_found(api: Api) -> None:
    owner = await sign_up(api)
    stranger = await sign_up(api)
    storyboard_id, ids = await storyboard_with_scenes(api, owner, [1, 2])
    before = await storyboard_state(api, owner, storyboard_id)

    error = await api.gql_error(MOVE_SCENE, stranger.token, id=ids[0], position=2)

    assert error["extensions"]["code"] == "NOT_FOUND"
    assert await storyboard_state(api, owner, storyboard_id) == before


# --- deleteScene --------------------------------------------------------------------------------


async def test_delete_scene_renumbers_the_rest(api: Api) -> None:
    user = await sign_up(api)
    storyboard_id, ids = await storyboard_with_scenes(api, user, [1, 2, 3, 4])
    a, b, c, d = ids

    for scene_id, expected in ((b, [a, c, d]), (d, [a, c]), (a, [c]), (c, [])):
        data = await api.gql(DELETE_SCENE, user.token, id=scene_id)

        returned = data["deleteScene"]
        assert returned["id"] == storyboard_id
        assert_consistent(returned, expected)
        await assert_order(api, user, storyboard_id, expected)
        assert await SceneTask.filter(scene_id=scene_id).count() == 0
    state = await storyboard_state(api, user, storyboard_id)
    assert (state["totalScenes"], state["totalDuration"]) == (0, 0)


async def test_delete_scene_twice_is_not_found(api: Api) -> None:
    user = await sign_up(api)
    storyboard_id, ids = await storyboard_with_scenes(api, user, [1, 2])
    await api.gql(DELETE_SCENE, user.token, id=ids[0])
    before = await storyboard_state(api, user, storyboard_id)

    error = await api.gql_error(DELETE_SCENE, user.token, id=ids[0])

    assert error["extensions"]["code"] == "NOT_FOUND"
    assert await storyboard_state(api, user, storyboard_id) == before


# --- updateScene --------------------------------------------------------------------------------


async def test_update_scene_duration_updates_the_total(api: Api) -> None:
    user = await sign_up(api)
    storyboard_id, ids = await storyboard_with_scenes(api, user, [5, 6])

    data = await api.gql(UPDATE_SCENE, user.token, id=ids[0], input={"duration": 20})

    assert data["updateScene"]["duration"] == 20
    state = await storyboard_state(api, user, storyboard_id)
    assert state["totalDuration"] == 26
    assert_consistent(state, ids)

    await api.gql(UPDATE_SCENE, user.token, id=ids[1], input={"duration": 0})
    state = await storyboard_state(api, user, storyboard_id)
    assert (state["totalScenes"], state["totalDuration"]) == (2, 20)


async def test_update_scene_changes_only_the_fields_sent(api: Api) -> None:
    user = await sign_up(api)
    _, ids = await storyboard_with_scenes(api, user, [5])
    await api.gql(
        UPDATE_SCENE,
        user.token,
        id=ids[0],
        input={"script": "Line.", "textOverlay": "Overlay", "cameraAngle": "wide"},
    )

    data = await api.gql(UPDATE_SCENE, user.token, id=ids[0], input={"sceneType": "HOOK"})

    assert data["updateScene"] == {
        "id": ids[0],
        "sceneNumber": 1,
        "duration": 5,
        "sceneType": "HOOK",
        "visualDescription": "Scene 1",
        "script": "Line.",
        "textOverlay": "Overlay",
        "cameraAngle": "wide",
    }


async def test_update_scene_with_null_clears_optional_text(api: Api) -> None:
    user = await sign_up(api)
    _, ids = await storyboard_with_scenes(api, user, [5])
    await api.gql(
        UPDATE_SCENE,
        user.token,
        id=ids[0],
        input={"script": "Line.", "textOverlay": "Overlay", "cameraAngle": "wide"},
    )

    data = await api.gql(UPDATE_SCENE, user.token, id=ids[0], input={"script": None})

    scene = data["updateScene"]
    assert (scene["script"], scene["textOverlay"], scene["cameraAngle"]) == (
        None,
        "Overlay",
        "wide",
    )
    stored = (await api.gql(SCENE, user.token, id=ids[0]))["scene"]
    assert (stored["script"], stored["textOverlay"], stored["cameraAngle"]) == (
        None,
        "Overlay",
        "wide",
    )


async def test_update_scene_with_null_visual_description_is_bad_input(api: Api) -> None:
    user = await sign_up(api)
    storyboard_id, ids = await storyboard_with_scenes(api, user, [5])
    before = await storyboard_state(api, user, storyboard_id)

    error = await api.gql_error(
        UPDATE_SCENE, user.token, id=ids[0], input={"visualDescription": None, "duration": 9}
    )

    bad_input(error, "visualDescription")
    assert await storyboard_state(api, user, storyboard_id) == before


async def test_update_scene_with_negative_duration_is_bad_input(api: Api) -> None:
    user = await sign_up(api)
    storyboard_id, ids = await storyboard_with_scenes(api, user, [5, 6])
    before = await storyboard_state(api, user, storyboard_id)

    error = await api.gql_error(
        UPDATE_SCENE, user.token, id=ids[0], input={"duration": -1, "script": "Changed"}
    )

    bad_input(error, "duration")
    assert await storyboard_state(api, user, storyboard_id) == before


async def test_durations_over_a_day_are_bad_input(api: Api) -> None:
    """The cap keeps totalDuration (a sum) far from the INT column's limit."""
    user = await sign_up(api)
    storyboard_id, ids = await storyboard_with_scenes(api, user, [5])
    before = await storyboard_state(api, user, storyboard_id)

    error = await api.gql_error(UPDATE_SCENE, user.token, id=ids[0], input={"duration": 86_401})
    bad_input(error, "duration")
    error = await api.gql_error(
        ADD_SCENE,
        user.token,
        storyboardId=storyboard_id,
        input={"visualDescription": "Long", "duration": 2**31 - 1},
    )
    bad_input(error, "duration")

    assert await storyboard_state(api, user, storyboard_id) == before
    data = await api.gql(UPDATE_SCENE, user.token, id=ids[0], input={"duration": 86_400})
    assert data["updateScene"]["duration"] == 86_400


async def test_update_scene_with_null_required_fields_is_bad_input(api: Api) -> None:
    user = await sign_up(api)
    storyboard_id, ids = await storyboard_with_scenes(api, user, [5])
    before = await storyboard_state(api, user, storyboard_id)

    for field in ("duration", "sceneType"):
        error = await api.gql_error(UPDATE_SCENE, user.token, id=ids[0], input={field: None})
        bad_input(error, field)

    assert await storyboard_state(api, user, storyboard_id) == before


# --- setTaskCompleted ---------------------------------------------------------------------------


async def test_set_task_completed_sets_and_clears_completed_at(api: Api) -> None:
    user = await sign_up(api)
    _, ids = await storyboard_with_scenes(api, user, [5])
    scene_id = ids[0]
    start = datetime.now(UTC)

    data = await api.gql(
        SET_TASK_COMPLETED, user.token, sceneId=scene_id, taskType="AUDIO_RECORDED", completed=True
    )

    task = data["setTaskCompleted"]
    assert (task["taskType"], task["completed"], task["scene"]) == (
        "AUDIO_RECORDED",
        True,
        {"id": scene_id},
    )
    completed_at = datetime.fromisoformat(task["completedAt"])
    assert completed_at.utcoffset() == timedelta(0)
    assert start - timedelta(seconds=1) <= completed_at <= datetime.now(UTC) + timedelta(seconds=1)
    tasks = (await api.gql(SCENE, user.token, id=scene_id))["scene"]["tasks"]
    assert [(t["taskType"], t["completed"], t["completedAt"]) for t in tasks] == [
        ("SCRIPT_WRITTEN", False, None),
        ("SCENE_FILMED", False, None),
        ("AUDIO_RECORDED", True, task["completedAt"]),
        ("EDITED", False, None),
    ]
    assert tasks[2]["id"] == task["id"]

    data = await api.gql(
        SET_TASK_COMPLETED,
        user.token,
        sceneId=scene_id,
        taskType="AUDIO_RECORDED",
        completed=False,
    )

    assert (data["setTaskCompleted"]["completed"], data["setTaskCompleted"]["completedAt"]) == (
        False,
        None,
    )
    tasks = (await api.gql(SCENE, user.token, id=scene_id))["scene"]["tasks"]
    assert [(t["completed"], t["completedAt"]) for t in tasks] == [(False, None)] * 4
    assert await SceneTask.filter(scene_id=scene_id).count() == 4


async def test_set_task_completed_on_another_users_scene_is_not_found(api: Api) -> None:
    owner = await sign_up(api)
    stranger = await sign_up(api)
    storyboard_id, ids = await storyboard_with_scenes(api, owner, [5])
    before = await storyboard_state(api, owner, storyboard_id)

    error = await api.gql_error(
        SET_TASK_COMPLETED, stranger.token, sceneId=ids[0], taskType="EDITED", completed=True
    )

    assert error["extensions"]["code"] == "NOT_FOUND"
    assert await storyboard_state(api, owner, storyboard_id) == before


# --- a random walk ------------------------------------------------------------------------------


async def test_random_adds_inserts_moves_and_deletes_keep_numbers_and_totals(api: Api) -> None:
    user = await sign_up(api)
    storyboard_id, _ = await storyboard_with_scenes(api, user, [])
    rng = random.Random(1234)
    order: list[str] = []
    durations: dict[str, int] = {}
    done: list[str] = []

    for _ in range(40):
        operations = ["add", "insert"] + (["move", "move", "delete"] if order else [])
        operation = rng.choice(operations)
        if operation == "add":
            duration = rng.randint(0, 30)
            scene_id = await add_scene(api, user, storyboard_id, duration=duration)
            order.append(scene_id)
            durations[scene_id] = duration
        elif operation == "insert":
            duration = rng.randint(0, 30)
            position = rng.randint(1, len(order) + 1)
            scene_id = await insert(api, user, storyboard_id, position, duration)
            order.insert(position - 1, scene_id)
            durations[scene_id] = duration
        elif operation == "move":
            scene_id = rng.choice(order)
            position = rng.randint(1, len(order))
            returned = await move(api, user, scene_id, position)
            order.remove(scene_id)
            order.insert(position - 1, scene_id)
            assert_consistent(returned, order)
        else:
            scene_id = rng.choice(order)
            returned = (await api.gql(DELETE_SCENE, user.token, id=scene_id))["deleteScene"]
            order.remove(scene_id)
            del durations[scene_id]
            assert_consistent(returned, order)
        done.append(operation)

        state = await storyboard_state(api, user, storyboard_id)
        assert_consistent(state, order)
        assert state["totalDuration"] == sum(durations.values())
        assert [s["duration"] for s in state["scenes"]] == [durations[i] for i in order]
        assert all([t["taskType"] for t in s["tasks"]] == TASK_TYPES for s in state["scenes"])

    assert set(done) == {"add", "insert", "move", "delete"}
    assert await SceneTask.all().count() == 4 * len(order)


async def test_a_full_storyboard_refuses_another_scene(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("services.scenes.MAX_SCENES", 2)
    user = await sign_up(api)
    storyboard_id, _ = await storyboard_with_scenes(api, user, [5, 6])
    before = await storyboard_state(api, user, storyboard_id)

    error = await api.gql_error(
        ADD_SCENE, user.token, storyboardId=storyboard_id, input={"visualDescription": "One more"}
    )

    bad_input(error, "storyboardId")
    assert await storyboard_state(api, user, storyboard_id) == before
