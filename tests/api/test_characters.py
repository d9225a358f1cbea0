"""Characters: create, read, update, delete, casts and chosen images (API.md 2.2)."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from models import Asset, Character, Scene, SceneCharacter, StoredObjectDeletion
from tests.conftest import MakeApi
from tests.creative import (
    CREATE_CHARACTER,
    MEDIA_HOST,
    SET_SCENE_CHARACTERS,
    add_keyframe,
    attach,
    create_character,
)
from tests.helpers import Api, User, add_scene, create_project, create_storyboard, sign_up

CHARACTER = """
query Character($id: ID!) {
  character(id: $id) {
    id name description consistencyKey metadata createdAt updatedAt
    project { id title }
    image { id status }
    assets { id kind status }
    scenes { id sceneNumber storyboard { id } }
  }
}
"""
PROJECT_CHARACTERS = """
query ProjectCharacters($id: ID!) {
  project(id: $id) { id characters { id name consistencyKey } }
}
"""
SCENE_CAST = """
query SceneCast($id: ID!) { scene(id: $id) { id characters { id name } } }
"""
UPDATE_CHARACTER = """
mutation UpdateCharacter($id: ID!, $input: UpdateCharacterInput!) {
  updateCharacter(id: $id, input: $input) {
    id name description consistencyKey metadata updatedAt
  }
}
"""
DELETE_CHARACTER = """
mutation DeleteCharacter($id: ID!) { deleteCharacter(id: $id) }
"""
SET_CHARACTER_IMAGE = """
mutation SetCharacterImage($id: ID!, $assetId: ID) {
  setCharacterImage(id: $id, assetId: $assetId) { id image { id } updatedAt }
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


@pytest.fixture
async def api(make_api: MakeApi, tmp_path: Path) -> AsyncIterator[Api]:
    async with make_api(storage_url=f"file://{tmp_path / 'media'}", public_url=MEDIA_HOST) as api:
        yield api


async def character_of(api: Api, user: User, character_id: str) -> Any:
    return (await api.gql(CHARACTER, user.token, id=character_id))["character"]


async def cast_of(api: Api, user: User, scene_id: str) -> list[str]:
    scene = (await api.gql(SCENE_CAST, user.token, id=scene_id))["scene"]
    return [c["name"] for c in scene["characters"]]


async def test_create_character_with_a_default_consistency_key(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user, title="Film")

    data = await api.gql(
        CREATE_CHARACTER,
        user.token,
        input={
            "projectId": project,
            "name": "  Dr. Émile O'Neil!! ",
            "description": "",
            "metadata": {"age": 41, "tags": ["lead"]},
        },
    )

    created = data["createCharacter"]
    assert created["name"] == "  Dr. Émile O'Neil!! "
    assert created["description"] == ""
    assert created["consistencyKey"] == "dr-mile-o-neil"
    assert created["metadata"] == {"age": 41, "tags": ["lead"]}
    assert created["project"] == {"id": project}
    read = await character_of(api, user, created["id"])
    assert read["consistencyKey"] == "dr-mile-o-neil"
    assert read["project"] == {"id": project, "title": "Film"}
    assert (read["image"], read["assets"], read["scenes"]) == (None, [], [])


async def test_an_explicit_consistency_key_is_kept(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)

    character = await create_character(api, user, project, "Ada", consistencyKey="ada_v2-x")

    assert (await character_of(api, user, character))["consistencyKey"] == "ada_v2-x"


async def test_project_characters_come_by_name(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    for name in ("Zed", "Ada", "Mia"):
        await create_character(api, user, project, name)
    other = await create_project(api, user)
    await create_character(api, user, other, "Bob")

    data = await api.gql(PROJECT_CHARACTERS, user.token, id=project)

    assert [c["name"] for c in data["project"]["characters"]] == ["Ada", "Mia", "Zed"]
    assert [c["consistencyKey"] for c in data["project"]["characters"]] == ["ada", "mia", "zed"]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"description": "x" * 5001}, "description"),
        ({"consistencyKey": "Ada"}, "consistencyKey"),
        ({"consistencyKey": "a b"}, "consistencyKey"),
        ({"consistencyKey": ""}, "consistencyKey"),
        ({"consistencyKey": "a" * 101}, "consistencyKey"),
        ({"consistencyKey": "ada\n"}, "consistencyKey"),
        # The name gives no usable default: a key must be given.
        ({"name": "!!!"}, "consistencyKey"),
        ({"name": "x" * 101}, "consistencyKey"),
        ({"projectId": "not-an-id"}, "projectId"),
    ],
)
async def test_create_character_limits(api: Api, extra: dict[str, Any], field: str) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)

    error = await api.gql_error(
        CREATE_CHARACTER,
        user.token,
        input={"projectId": project, "name": "Ada", "description": "d", **extra},
    )

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert await Character.all().count() == 0


async def test_limits_at_their_edges_are_accepted(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)

    data = await api.gql(
        CREATE_CHARACTER,
        user.token,
        input={
            "projectId": project,
            "name": "x" * 200,
            "description": "d" * 5000,
            "consistencyKey": "k" * 100,
        },
    )

    assert data["createCharacter"]["consistencyKey"] == "k" * 100


async def test_a_taken_key_is_conflict_the_default_one_too(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    await create_character(api, user, project, "Ada Lovelace")

    explicit = await api.gql_error(
        CREATE_CHARACTER,
        user.token,
        input={
            "projectId": project,
            "name": "Someone",
            "description": "",
            "consistencyKey": "ada-lovelace",
        },
    )
    default = await api.gql_error(
        CREATE_CHARACTER,
        user.token,
        input={"projectId": project, "name": "ADA  lovelace", "description": ""},
    )

    assert explicit["extensions"]["code"] == "CONFLICT"
    assert default["extensions"]["code"] == "CONFLICT"
    assert await Character.all().count() == 1
    # Another project may use the same key.
    await create_character(api, user, await create_project(api, user), "Ada Lovelace")


async def test_a_project_holds_at_most_the_limit_of_characters(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("services.characters.MAX_CHARACTERS", 2)
    user = await sign_up(api)
    project = await create_project(api, user)
    await create_character(api, user, project, "Ada")
    await create_character(api, user, project, "Bob")

    error = await api.gql_error(
        CREATE_CHARACTER, user.token, input={"projectId": project, "name": "Cy", "description": ""}
    )

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "projectId"}
    assert await Character.filter(project_id=project).count() == 2


async def test_create_in_a_missing_project_is_not_found(api: Api) -> None:
    user = await sign_up(api)

    error = await api.gql_error(
        CREATE_CHARACTER,
        user.token,
        input={
            "projectId": "00000000-0000-0000-0000-000000000000",
            "name": "Ada",
            "description": "",
        },
    )

    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_update_character_changes_only_what_is_sent(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    character = await create_character(api, user, project, "Ada", metadata={"a": 1})

    renamed = (await api.gql(UPDATE_CHARACTER, user.token, id=character, input={"name": "Ada L."}))[
        "updateCharacter"
    ]
    assert (renamed["name"], renamed["description"], renamed["consistencyKey"]) == (
        "Ada L.",
        "Ada.",
        "ada",  # the key stays what it was: generators rely on it
    )
    assert renamed["metadata"] == {"a": 1}

    changed = (
        await api.gql(
            UPDATE_CHARACTER,
            user.token,
            id=character,
            input={"description": "New.", "consistencyKey": "ada-l", "metadata": None},
        )
    )["updateCharacter"]
    assert (changed["description"], changed["consistencyKey"], changed["metadata"]) == (
        "New.",
        "ada-l",
        None,
    )
    # Its own key again is no conflict.
    same = await api.gql(
        UPDATE_CHARACTER, user.token, id=character, input={"consistencyKey": "ada-l"}
    )
    assert same["updateCharacter"]["consistencyKey"] == "ada-l"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": None}, "name"),
        ({"name": ""}, "name"),
        ({"description": None}, "description"),
        ({"description": "x" * 5001}, "description"),
        ({"consistencyKey": None}, "consistencyKey"),
        ({"consistencyKey": "UPPER"}, "consistencyKey"),
    ],
)
async def test_update_character_limits(api: Api, changes: dict[str, Any], field: str) -> None:
    user = await sign_up(api)
    character = await create_character(api, user, await create_project(api, user), "Ada")
    before = await character_of(api, user, character)

    error = await api.gql_error(UPDATE_CHARACTER, user.token, id=character, input=changes)

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert await character_of(api, user, character) == before


async def test_update_to_a_taken_key_is_conflict(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    await create_character(api, user, project, "Ada")
    bob = await create_character(api, user, project, "Bob")

    error = await api.gql_error(
        UPDATE_CHARACTER, user.token, id=bob, input={"consistencyKey": "ada", "name": "B"}
    )

    assert error["extensions"]["code"] == "CONFLICT"
    assert (await character_of(api, user, bob))["name"] == "Bob"


async def test_update_or_delete_of_a_missing_character_is_not_found(api: Api) -> None:
    user = await sign_up(api)
    ghost = "00000000-0000-0000-0000-000000000000"

    for document, variables in (
        (UPDATE_CHARACTER, {"id": ghost, "input": {"name": "x"}}),
        (DELETE_CHARACTER, {"id": ghost}),
        (SET_CHARACTER_IMAGE, {"id": ghost, "assetId": None}),
    ):
        error = await api.gql_error(document, user.token, **variables)
        assert error["extensions"]["code"] == "NOT_FOUND"


async def test_set_scene_characters_replaces_the_cast(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    storyboard = await create_storyboard(api, user, project)
    scene = await add_scene(api, user, storyboard)
    zed = await create_character(api, user, project, "Zed")
    ada = await create_character(api, user, project, "Ada")
    mia = await create_character(api, user, project, "Mia")

    first = await api.gql(SET_SCENE_CHARACTERS, user.token, sceneId=scene, characterIds=[zed, ada])
    assert first["setSceneCharacters"] == {
        "id": scene,
        "characters": [{"id": ada, "name": "Ada"}, {"id": zed, "name": "Zed"}],
    }
    # Duplicates count once; the cast becomes exactly what is sent.
    await api.gql(SET_SCENE_CHARACTERS, user.token, sceneId=scene, characterIds=[mia, zed, mia])
    assert await cast_of(api, user, scene) == ["Mia", "Zed"]
    assert await SceneCharacter.filter(scene_id=scene).count() == 2
    await api.gql(SET_SCENE_CHARACTERS, user.token, sceneId=scene, characterIds=[])
    assert await cast_of(api, user, scene) == []


async def test_character_scenes_by_storyboard_then_scene_number(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    older = await create_storyboard(api, user, project, title="Older")
    newer = await create_storyboard(api, user, project, title="Newer")
    n1 = await add_scene(api, user, newer)
    o1 = await add_scene(api, user, older)
    o2 = await add_scene(api, user, older)
    ada = await create_character(api, user, project, "Ada")
    for scene in (n1, o2, o1):
        await api.gql(SET_SCENE_CHARACTERS, user.token, sceneId=scene, characterIds=[ada])

    scenes = (await character_of(api, user, ada))["scenes"]

    assert [(s["id"], s["sceneNumber"], s["storyboard"]["id"]) for s in scenes] == [
        (o1, 1, older),
        (o2, 2, older),
        (n1, 1, newer),
    ]


async def test_a_cast_of_another_projects_character_is_not_found(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    scene = await add_scene(api, user, await create_storyboard(api, user, project))
    ada = await create_character(api, user, project, "Ada")
    await api.gql(SET_SCENE_CHARACTERS, user.token, sceneId=scene, characterIds=[ada])
    elsewhere = await create_character(api, user, await create_project(api, user), "Bob")

    for ids in ([ada, elsewhere], [ada, "00000000-0000-0000-0000-000000000000"]):
        error = await api.gql_error(
            SET_SCENE_CHARACTERS, user.token, sceneId=scene, characterIds=ids
        )
        assert error["extensions"] == {"code": "NOT_FOUND", "field": "characterIds"}
    bad = await api.gql_error(SET_SCENE_CHARACTERS, user.token, sceneId=scene, characterIds=["x"])
    assert bad["extensions"] == {"code": "BAD_USER_INPUT", "field": "characterIds"}
    assert await cast_of(api, user, scene) == ["Ada"]


async def test_a_character_is_in_at_most_the_limit_of_scenes(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("services.characters.MAX_CHARACTER_SCENES", 1)
    user = await sign_up(api)
    project = await create_project(api, user)
    storyboard = await create_storyboard(api, user, project)
    first, second = await add_scene(api, user, storyboard), await add_scene(api, user, storyboard)
    ada = await create_character(api, user, project, "Ada")
    bob = await create_character(api, user, project, "Bob")
    await api.gql(SET_SCENE_CHARACTERS, user.token, sceneId=first, characterIds=[ada])

    error = await api.gql_error(
        SET_SCENE_CHARACTERS, user.token, sceneId=second, characterIds=[bob, ada]
    )

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "characterIds"}
    assert await cast_of(api, user, second) == []
    # Already in the cast, it is no new scene for it.
    await api.gql(SET_SCENE_CHARACTERS, user.token, sceneId=first, characterIds=[ada, bob])
    assert await cast_of(api, user, first) == ["Ada", "Bob"]


async def test_a_generating_storyboards_cast_cannot_change(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    job = await api.gql(
        GENERATE, user.token, input={"projectId": project, "title": "T", "brief": "B."}
    )
    storyboard = job["generateStoryboard"]["storyboard"]["id"]
    # A scene put there directly: the storyboard is GENERATING, no mutation may add one.
    scene = await Scene.create(storyboard_id=storyboard, scene_number=1, visual_description="x")
    ada = await create_character(api, user, project, "Ada")

    error = await api.gql_error(
        SET_SCENE_CHARACTERS, user.token, sceneId=str(scene.id), characterIds=[ada]
    )

    assert error["extensions"]["code"] == "CONFLICT"
    assert await SceneCharacter.all().count() == 0


async def test_set_character_image_chooses_among_its_ready_images(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    ada = await create_character(api, user, project, "Ada")
    first = await attach(api, user, project, characterId=ada)
    second = await attach(api, user, project, characterId=ada)
    before = await character_of(api, user, ada)
    assert [a["id"] for a in before["assets"]] == [first, second]
    assert before["image"] is None

    chosen = (await api.gql(SET_CHARACTER_IMAGE, user.token, id=ada, assetId=second))[
        "setCharacterImage"
    ]
    assert chosen["image"] == {"id": second}
    assert chosen["updatedAt"] > before["updatedAt"]
    again = await api.gql(SET_CHARACTER_IMAGE, user.token, id=ada, assetId=first)
    assert again["setCharacterImage"]["image"] == {"id": first}
    cleared = await api.gql(SET_CHARACTER_IMAGE, user.token, id=ada, assetId=None)
    assert cleared["setCharacterImage"]["image"] is None
    omitted = await api.post(
        "mutation($id: ID!) { setCharacterImage(id: $id) { image { id } } }", user.token, id=ada
    )
    assert omitted == {"data": {"setCharacterImage": {"image": None}}}


async def test_set_character_image_refuses_any_other_asset(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    ada = await create_character(api, user, project, "Ada")
    bob = await create_character(api, user, project, "Bob")
    chosen = await attach(api, user, project, characterId=ada)
    await api.gql(SET_CHARACTER_IMAGE, user.token, id=ada, assetId=chosen)
    pending = await attach(api, user, project, ready=False, characterId=ada)
    audio = await attach(
        api, user, project, kind="AUDIO", content_type="audio/mpeg", characterId=ada
    )
    bobs = await attach(api, user, project, characterId=bob)
    loose = await attach(api, user, project)

    for asset in (pending, audio, bobs, loose, "00000000-0000-0000-0000-000000000000", "x"):
        error = await api.gql_error(SET_CHARACTER_IMAGE, user.token, id=ada, assetId=asset)
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "assetId"}, asset
    assert (await character_of(api, user, ada))["image"] == {"id": chosen, "status": "READY"}


async def test_deleting_the_chosen_asset_clears_the_image(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    ada = await create_character(api, user, project, "Ada")
    chosen = await attach(api, user, project, characterId=ada)
    await api.gql(SET_CHARACTER_IMAGE, user.token, id=ada, assetId=chosen)

    await api.gql("mutation($id: ID!) { deleteAsset(id: $id) }", user.token, id=chosen)

    read = await character_of(api, user, ada)
    assert (read["image"], read["assets"]) == (None, [])


async def test_delete_character_takes_its_assets_and_leaves_every_cast(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    scene = await add_scene(api, user, await create_storyboard(api, user, project))
    ada = await create_character(api, user, project, "Ada")
    bob = await create_character(api, user, project, "Bob")
    await api.gql(SET_SCENE_CHARACTERS, user.token, sceneId=scene, characterIds=[ada, bob])
    image = await attach(api, user, project, characterId=ada)
    await api.gql(SET_CHARACTER_IMAGE, user.token, id=ada, assetId=image)
    bobs = await attach(api, user, project, characterId=bob)
    key = (await Asset.get(id=image)).storage_key

    assert (await api.gql(DELETE_CHARACTER, user.token, id=ada)) == {"deleteCharacter": True}

    assert (await api.gql(CHARACTER, user.token, id=ada)) == {"character": None}
    assert await cast_of(api, user, scene) == ["Bob"]
    assert await Asset.filter(id=image).count() == 0
    assert await Asset.filter(id=bobs).count() == 1
    # Its stored object was purged after the commit (nothing left queued for it).
    assert await StoredObjectDeletion.filter(storage_key=key).count() == 0
    again = await api.gql_error(DELETE_CHARACTER, user.token, id=ada)
    assert again["extensions"]["code"] == "NOT_FOUND"


async def test_upload_for_a_character_of_another_project_is_not_found(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    elsewhere = await create_character(api, user, await create_project(api, user), "Bob")

    error = await api.gql_error(
        UPLOAD,
        user.token,
        input={
            "projectId": project,
            "characterId": elsewhere,
            "kind": "IMAGE",
            "fileName": "a.png",
            "contentType": "image/png",
            "sizeBytes": 10,
        },
    )

    assert error["extensions"] == {"code": "NOT_FOUND", "field": "characterId"}
    assert await Asset.all().count() == 0


async def test_a_character_holds_at_most_the_limit_of_assets(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("services.assets.MAX_CHARACTER_ASSETS", 1)
    user = await sign_up(api)
    project = await create_project(api, user)
    ada = await create_character(api, user, project, "Ada")
    await attach(api, user, project, ready=False, characterId=ada)

    error = await api.gql_error(
        UPLOAD,
        user.token,
        input={
            "projectId": project,
            "characterId": ada,
            "kind": "IMAGE",
            "fileName": "a.png",
            "contentType": "image/png",
            "sizeBytes": 10,
        },
    )

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "characterId"}
    assert await Asset.filter(character_id=ada).count() == 1


async def test_keyframe_and_character_of_one_asset_are_both_links(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    scene = await add_scene(api, user, await create_storyboard(api, user, project))
    ada = await create_character(api, user, project, "Ada")
    keyframe = await add_keyframe(api, user, scene)

    asset = await attach(api, user, project, characterId=ada, keyframeId=keyframe)

    row = await Asset.get(id=asset)
    assert (str(row.character_id), str(row.keyframe_id), str(row.scene_id)) == (
        ada,
        keyframe,
        scene,
    )
