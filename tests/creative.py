"""Factories of the creative model for tests: characters, keyframes, attached images."""

from typing import Any

from tests.helpers import Api, User

MEDIA_HOST = "http://test"

CREATE_CHARACTER = """
mutation CreateCharacter($input: CreateCharacterInput!) {
  createCharacter(input: $input) {
    id name description consistencyKey metadata createdAt updatedAt project { id }
  }
}
"""
ADD_KEYFRAME = """
mutation AddKeyframe($sceneId: ID!, $input: KeyframeInput!, $position: Int) {
  addKeyframe(sceneId: $sceneId, input: $input, position: $position) {
    id sequence description timingSeconds metadata scene { id }
  }
}
"""
SET_SCENE_CHARACTERS = """
mutation SetSceneCharacters($sceneId: ID!, $characterIds: [ID!]!) {
  setSceneCharacters(sceneId: $sceneId, characterIds: $characterIds) {
    id characters { id name }
  }
}
"""
CREATE_ASSET_UPLOAD = """
mutation CreateAssetUpload($input: CreateAssetUploadInput!) {
  createAssetUpload(input: $input) {
    asset { id status kind character { id } keyframe { id } } uploadUrl method headers
  }
}
"""
COMPLETE_ASSET_UPLOAD = """
mutation CompleteAssetUpload($id: ID!) { completeAssetUpload(id: $id) { id status } }
"""


async def create_character(
    api: Api, user: User, project_id: str, name: str = "Ada", **extra: Any
) -> str:
    data = await api.gql(
        CREATE_CHARACTER,
        user.token,
        input={"projectId": project_id, "name": name, "description": f"{name}.", **extra},
    )
    character_id: str = data["createCharacter"]["id"]
    return character_id


async def add_keyframe(
    api: Api,
    user: User,
    scene_id: str,
    description: str = "A frame.",
    position: int | None = None,
    **extra: Any,
) -> str:
    data = await api.gql(
        ADD_KEYFRAME,
        user.token,
        sceneId=scene_id,
        input={"description": description, **extra},
        position=position,
    )
    keyframe_id: str = data["addKeyframe"]["id"]
    return keyframe_id


async def attach(
    api: Api,
    user: User,
    project_id: str,
    *,
    ready: bool = True,
    kind: str = "IMAGE",
    content_type: str = "image/png",
    name: str = "frame.png",
    **place: str,
) -> str:
    """An asset attached where `place` says (characterId=…, keyframeId=…), its bytes uploaded
    (local storage under MEDIA_HOST) and, when `ready`, completed."""
    data = b"\x89PNG pixels"
    upload = (
        await api.gql(
            CREATE_ASSET_UPLOAD,
            user.token,
            input={
                "projectId": project_id,
                "kind": kind,
                "fileName": name,
                "contentType": content_type,
                "sizeBytes": len(data),
                **place,
            },
        )
    )["createAssetUpload"]
    response = await api.client.request(
        upload["method"],
        upload["uploadUrl"].removeprefix(MEDIA_HOST),
        headers=upload["headers"],
        content=data,
    )
    assert response.status_code == 200, response.text
    asset_id: str = upload["asset"]["id"]
    if ready:
        done = await api.gql(COMPLETE_ASSET_UPLOAD, user.token, id=asset_id)
        assert done["completeAssetUpload"]["status"] == "READY"
    return asset_id
