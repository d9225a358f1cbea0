"""Keyframes: sequence 1..n without gaps, timing, chosen images (API.md 2.2)."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from models import Asset, Keyframe, Scene, StoredObjectDeletion
from tests.conftest import MakeApi
from tests.creative import ADD_KEYFRAME, MEDIA_HOST, add_keyframe, attach
from tests.helpers import Api, User, add_scene, create_project, create_storyboard, sign_up

SCENE_KEYFRAMES = """
query SceneKeyframes($id: ID!) {
  scene(id: $id) { id keyframes { id sequence description timingSeconds } assets { id } }
}
"""
KEYFRAME = """
query Keyframe($id: ID!) {
  keyframe(id: $id) {
    id sequence description timingSeconds metadata createdAt updatedAt
    scene { id sceneNumber }
    image { id }
    assets { id status }
  }
}
"""
UPDATE_KEYFRAME = """
mutation UpdateKeyframe($id: ID!, $input: UpdateKeyframeInput!) {
  updateKeyframe(id: $id, input: $input) { id sequence description timingSeconds metadata }
}
"""
MOVE_KEYFRAME = """
mutation MoveKeyframe($id: ID!, $position: Int!) {
  moveKeyframe(id: $id, position: $position) { id keyframes { id sequence } }
}
"""
DELETE_KEYFRAME = """
mutation DeleteKeyframe($id: ID!) {
  deleteKeyframe(id: $id) { id keyframes { id sequence } }
}
"""
SET_KEYFRAME_IMAGE = """
mutation SetKeyframeImage($id: ID!, $assetId: ID) {
  setKeyframeImage(id: $id, assetId: $assetId) { id image { id } }
}
"""
UPLOAD = """
mutation Upload($input: CreateAssetUploadInput!) { createAssetUpload(input: $input) { uploadUrl } }
"""
GENERATE = """
mutation Generate($input: GenerateStoryboardInput!) {
  generateStoryboard(input: $input) { id storyboard { id } }
}
"""
GHOST = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
async def api(make_api: MakeApi, tmp_path: Path) -> AsyncIterator[Api]:
    async with make_api(storage_url=f"file://{tmp_path / 'media'}", public_url=MEDIA_HOST) as api:
        yield api


async def a_scene(api: Api) -> tuple[User, str, str]:
    user = await sign_up(api)
    project = await create_project(api, user)
    scene = await add_scene(api, user, await create_storyboard(api, user, project))
    return user, project, scene


async def frames(api: Api, user: User, scene: str) -> list[tuple[str, int]]:
    data = await api.gql(SCENE_KEYFRAMES, user.token, id=scene)
    return [(k["description"], k["sequence"]) for k in data["scene"]["keyframes"]]


async def test_add_keyframe_appends_with_defaults(api: Api) -> None:
    user, _, scene = await a_scene(api)

    data = await api.gql(ADD_KEYFRAME, user.token, sceneId=scene, input={"description": "One"})
    second = await api.gql(
        ADD_KEYFRAME,
        user.token,
        sceneId=scene,
        input={"description": "Two", "timingSeconds": 2.5, "metadata": {"lens": "35mm"}},
    )

    assert data["addKeyframe"] == {
        "id": data["addKeyframe"]["id"],
        "sequence": 1,
        "description": "One",
        "timingSeconds": 0.0,
        "metadata": None,
        "scene": {"id": scene},
    }
    assert second["addKeyframe"]["sequence"] == 2
    assert second["addKeyframe"]["timingSeconds"] == 2.5
    assert second["addKeyframe"]["metadata"] == {"lens": "35mm"}
    read = (await api.gql(KEYFRAME, user.token, id=second["addKeyframe"]["id"]))["keyframe"]
    assert read["scene"] == {"id": scene, "sceneNumber": 1}
    assert (read["image"], read["assets"]) == (None, [])


async def test_add_keyframe_at_a_position_renumbers_those_after(api: Api) -> None:
    user, _, scene = await a_scene(api)
    for name in ("A", "B", "C"):
        await add_keyframe(api, user, scene, name)

    await add_keyframe(api, user, scene, "First", position=1)
    await add_keyframe(api, user, scene, "Middle", position=3)
    await add_keyframe(api, user, scene, "Last", position=6)

    assert await frames(api, user, scene) == [
        ("First", 1),
        ("A", 2),
        ("Middle", 3),
        ("B", 4),
        ("C", 5),
        ("Last", 6),
    ]


@pytest.mark.parametrize(
    ("values", "position", "field"),
    [
        ({"description": ""}, None, "description"),
        ({"description": "x" * 5001}, None, "description"),
        ({"description": "d", "timingSeconds": -0.5}, None, "timingSeconds"),
        ({"description": "d", "timingSeconds": 86400.5}, None, "timingSeconds"),
        ({"description": "d", "timingSeconds": None}, None, "timingSeconds"),
        ({"description": "d"}, 0, "position"),
        ({"description": "d"}, 3, "position"),
    ],
)
async def test_add_keyframe_limits(
    api: Api, values: dict[str, Any], position: int | None, field: str
) -> None:
    user, _, scene = await a_scene(api)
    await add_keyframe(api, user, scene, "Kept")

    error = await api.gql_error(
        ADD_KEYFRAME, user.token, sceneId=scene, input=values, position=position
    )

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert await frames(api, user, scene) == [("Kept", 1)]


async def test_limits_at_their_edges_are_accepted(api: Api) -> None:
    user, _, scene = await a_scene(api)

    data = await api.gql(
        ADD_KEYFRAME,
        user.token,
        sceneId=scene,
        input={"description": "x" * 5000, "timingSeconds": 86400},
    )

    assert data["addKeyframe"]["timingSeconds"] == 86400.0


async def test_a_scene_holds_at_most_the_limit_of_keyframes(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("services.keyframes.MAX_KEYFRAMES", 2)
    user, _, scene = await a_scene(api)
    await add_keyframe(api, user, scene, "A")
    await add_keyframe(api, user, scene, "B")

    error = await api.gql_error(ADD_KEYFRAME, user.token, sceneId=scene, input={"description": "C"})

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "sceneId"}
    assert await frames(api, user, scene) == [("A", 1), ("B", 2)]


async def test_add_to_a_missing_scene_is_not_found(api: Api) -> None:
    user = await sign_up(api)

    error = await api.gql_error(ADD_KEYFRAME, user.token, sceneId=GHOST, input={"description": "A"})

    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_update_keyframe_changes_only_what_is_sent(api: Api) -> None:
    user, _, scene = await a_scene(api)
    keyframe = await add_keyframe(api, user, scene, "A", timingSeconds=1.0, metadata={"k": 1})

    timed = await api.gql(UPDATE_KEYFRAME, user.token, id=keyframe, input={"timingSeconds": 3.25})
    assert timed["updateKeyframe"] == {
        "id": keyframe,
        "sequence": 1,
        "description": "A",
        "timingSeconds": 3.25,
        "metadata": {"k": 1},
    }
    cleared = await api.gql(
        UPDATE_KEYFRAME, user.token, id=keyframe, input={"description": "B", "metadata": None}
    )
    assert (cleared["updateKeyframe"]["description"], cleared["updateKeyframe"]["metadata"]) == (
        "B",
        None,
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"description": None}, "description"),
        ({"description": ""}, "description"),
        ({"timingSeconds": None}, "timingSeconds"),
        ({"timingSeconds": -1}, "timingSeconds"),
        ({"timingSeconds": 86401}, "timingSeconds"),
    ],
)
async def test_update_keyframe_limits(api: Api, changes: dict[str, Any], field: str) -> None:
    user, _, scene = await a_scene(api)
    keyframe = await add_keyframe(api, user, scene, "A")
    before = await api.gql(KEYFRAME, user.token, id=keyframe)

    error = await api.gql_error(UPDATE_KEYFRAME, user.token, id=keyframe, input=changes)

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert await api.gql(KEYFRAME, user.token, id=keyframe) == before


async def test_move_keyframe_keeps_sequences_gap_free(api: Api) -> None:
    user, _, scene = await a_scene(api)
    ids = [await add_keyframe(api, user, scene, name) for name in ("A", "B", "C", "D")]

    down = await api.gql(MOVE_KEYFRAME, user.token, id=ids[0], position=3)
    assert down["moveKeyframe"]["id"] == scene
    assert await frames(api, user, scene) == [("B", 1), ("C", 2), ("A", 3), ("D", 4)]
    await api.gql(MOVE_KEYFRAME, user.token, id=ids[3], position=1)
    assert await frames(api, user, scene) == [("D", 1), ("B", 2), ("C", 3), ("A", 4)]
    same = await api.gql(MOVE_KEYFRAME, user.token, id=ids[1], position=2)
    assert [k["sequence"] for k in same["moveKeyframe"]["keyframes"]] == [1, 2, 3, 4]

    for position in (0, 5):
        error = await api.gql_error(MOVE_KEYFRAME, user.token, id=ids[0], position=position)
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "position"}
    assert await frames(api, user, scene) == [("D", 1), ("B", 2), ("C", 3), ("A", 4)]


async def test_delete_keyframe_renumbers_and_takes_its_assets(api: Api) -> None:
    user, project, scene = await a_scene(api)
    ids = [await add_keyframe(api, user, scene, name) for name in ("A", "B", "C")]
    image = await attach(api, user, project, keyframeId=ids[1])
    key = (await Asset.get(id=image)).storage_key

    data = await api.gql(DELETE_KEYFRAME, user.token, id=ids[1])

    assert data["deleteKeyframe"] == {
        "id": scene,
        "keyframes": [{"id": ids[0], "sequence": 1}, {"id": ids[2], "sequence": 2}],
    }
    assert await Asset.filter(id=image).count() == 0
    assert await StoredObjectDeletion.filter(storage_key=key).count() == 0
    assert (await api.gql(KEYFRAME, user.token, id=ids[1])) == {"keyframe": None}
    for document, variables in (
        (DELETE_KEYFRAME, {"id": ids[1]}),
        (MOVE_KEYFRAME, {"id": ids[1], "position": 1}),
        (UPDATE_KEYFRAME, {"id": ids[1], "input": {"description": "x"}}),
        (SET_KEYFRAME_IMAGE, {"id": ids[1], "assetId": None}),
    ):
        error = await api.gql_error(document, user.token, **variables)
        assert error["extensions"]["code"] == "NOT_FOUND"


async def test_deleting_a_scene_takes_its_keyframes_and_their_stored_media(api: Api) -> None:
    user, project, scene = await a_scene(api)
    keyframe = await add_keyframe(api, user, scene, "A")
    image = await attach(api, user, project, keyframeId=keyframe)
    key = (await Asset.get(id=image)).storage_key

    await api.gql("mutation($id: ID!) { deleteScene(id: $id) { id } }", user.token, id=scene)

    assert await Keyframe.filter(id=keyframe).count() == 0
    assert await Asset.filter(id=image).count() == 0
    assert await StoredObjectDeletion.filter(storage_key=key).count() == 0


async def test_keyframe_edits_are_refused_while_generating(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    job = await api.gql(
        GENERATE, user.token, input={"projectId": project, "title": "T", "brief": "B."}
    )
    storyboard = job["generateStoryboard"]["storyboard"]["id"]
    scene = await Scene.create(storyboard_id=storyboard, scene_number=1, visual_description="x")
    keyframe = await Keyframe.create(scene_id=scene.id, sequence=1, description="x")

    for document, variables in (
        (ADD_KEYFRAME, {"sceneId": str(scene.id), "input": {"description": "A"}}),
        (UPDATE_KEYFRAME, {"id": str(keyframe.id), "input": {"description": "y"}}),
        (MOVE_KEYFRAME, {"id": str(keyframe.id), "position": 1}),
        (DELETE_KEYFRAME, {"id": str(keyframe.id)}),
        (SET_KEYFRAME_IMAGE, {"id": str(keyframe.id), "assetId": None}),
    ):
        error = await api.gql_error(document, user.token, **variables)
        assert error["extensions"]["code"] == "CONFLICT", document
    assert [k.description for k in await Keyframe.filter(scene_id=scene.id)] == ["x"]


async def test_set_keyframe_image_chooses_among_its_ready_images(api: Api) -> None:
    user, project, scene = await a_scene(api)
    keyframe = await add_keyframe(api, user, scene, "A")
    other = await add_keyframe(api, user, scene, "B")
    variations = [await attach(api, user, project, keyframeId=keyframe) for _ in range(3)]
    pending = await attach(api, user, project, ready=False, keyframeId=keyframe)
    audio = await attach(
        api, user, project, kind="AUDIO", content_type="audio/mpeg", keyframeId=keyframe
    )
    others = await attach(api, user, project, keyframeId=other)

    chosen = await api.gql(SET_KEYFRAME_IMAGE, user.token, id=keyframe, assetId=variations[1])
    assert chosen["setKeyframeImage"]["image"] == {"id": variations[1]}
    for asset in (pending, audio, others, GHOST):
        error = await api.gql_error(SET_KEYFRAME_IMAGE, user.token, id=keyframe, assetId=asset)
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "assetId"}
    read = (await api.gql(KEYFRAME, user.token, id=keyframe))["keyframe"]
    assert read["image"] == {"id": variations[1]}
    assert [a["id"] for a in read["assets"]] == [*variations, pending, audio]
    # Keyframe images are the keyframe's, not listed among the scene's own assets.
    scene_data = await api.gql(SCENE_KEYFRAMES, user.token, id=scene)
    assert scene_data["scene"]["assets"] == []
    cleared = await api.gql(SET_KEYFRAME_IMAGE, user.token, id=keyframe, assetId=None)
    assert cleared["setKeyframeImage"]["image"] is None


async def test_keyframe_uploads_lie_in_the_keyframes_scene(api: Api) -> None:
    user, project, scene = await a_scene(api)
    storyboard = str((await Scene.get(id=scene)).storyboard_id)
    other_scene = await add_scene(api, user, storyboard)
    keyframe = await add_keyframe(api, user, scene, "A")
    upload: dict[str, Any] = {
        "projectId": project,
        "keyframeId": keyframe,
        "kind": "IMAGE",
        "fileName": "a.png",
        "contentType": "image/png",
        "sizeBytes": 10,
    }

    asset = await attach(api, user, project, keyframeId=keyframe, sceneId=scene)
    row = await Asset.get(id=asset)
    assert (str(row.scene_id), str(row.storyboard_id)) == (scene, storyboard)

    wrong_scene = await api.gql_error(UPLOAD, user.token, input={**upload, "sceneId": other_scene})
    assert wrong_scene["extensions"] == {"code": "BAD_USER_INPUT", "field": "keyframeId"}
    other_storyboard = await create_storyboard(api, user, project)
    wrong_board = await api.gql_error(
        UPLOAD, user.token, input={**upload, "storyboardId": other_storyboard}
    )
    assert wrong_board["extensions"] == {"code": "BAD_USER_INPUT", "field": "keyframeId"}
    elsewhere = await create_project(api, user)
    wrong_project = await api.gql_error(
        UPLOAD, user.token, input={**upload, "projectId": elsewhere}
    )
    assert wrong_project["extensions"] == {"code": "NOT_FOUND", "field": "keyframeId"}
    assert await Asset.all().count() == 1


async def test_a_keyframe_holds_at_most_the_limit_of_assets(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("services.assets.MAX_KEYFRAME_ASSETS", 1)
    user, project, scene = await a_scene(api)
    keyframe = await add_keyframe(api, user, scene, "A")
    await attach(api, user, project, ready=False, keyframeId=keyframe)

    error = await api.gql_error(
        UPLOAD,
        user.token,
        input={
            "projectId": project,
            "keyframeId": keyframe,
            "kind": "IMAGE",
            "fileName": "a.png",
            "contentType": "image/png",
            "sizeBytes": 10,
        },
    )

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "keyframeId"}
    assert await Asset.filter(keyframe_id=keyframe).count() == 1
