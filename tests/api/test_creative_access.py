"""The creative model's mutations need a caller (UNAUTHENTICATED) with the `write` scope
(FORBIDDEN), and refuse before changing anything."""

import pytest

from models import Character, Keyframe
from models import User as UserModel
from tests.creative import add_keyframe, create_character
from tests.helpers import Api, add_scene, create_project, create_storyboard, sign_up

CREATE_API_KEY = """
mutation CreateApiKey($name: String!, $scopes: [String!]) {
  createApiKey(name: $name, scopes: $scopes) { key }
}
"""
MUTATIONS = {
    "updateMe": 'mutation { updateMe(input: {name: "X"}) { id } }',
    "changePassword": (
        'mutation { changePassword(currentPassword: "x", newPassword: "12345678") { token } }'
    ),
    "logOutEverywhere": "mutation { logOutEverywhere }",
    "updateStoryboard": (
        'mutation($s: ID!) { updateStoryboard(id: $s, input: {title: "X"}) { id } }'
    ),
    "createCharacter": (
        'mutation($p: ID!) { createCharacter(input: {projectId: $p, name: "X", description: ""}) '
        "{ id } }"
    ),
    "updateCharacter": 'mutation($c: ID!) { updateCharacter(id: $c, input: {name: "X"}) { id } }',
    "deleteCharacter": "mutation($c: ID!) { deleteCharacter(id: $c) }",
    "setSceneCharacters": (
        "mutation($sc: ID!, $c: ID!) { setSceneCharacters(sceneId: $sc, characterIds: [$c]) "
        "{ id } }"
    ),
    "setCharacterImage": "mutation($c: ID!) { setCharacterImage(id: $c, assetId: null) { id } }",
    "addKeyframe": (
        'mutation($sc: ID!) { addKeyframe(sceneId: $sc, input: {description: "X"}) { id } }'
    ),
    "updateKeyframe": (
        'mutation($k: ID!) { updateKeyframe(id: $k, input: {description: "X"}) { id } }'
    ),
    "moveKeyframe": "mutation($k: ID!) { moveKeyframe(id: $k, position: 1) { id } }",
    "deleteKeyframe": "mutation($k: ID!) { deleteKeyframe(id: $k) { id } }",
    "setKeyframeImage": "mutation($k: ID!) { setKeyframeImage(id: $k, assetId: null) { id } }",
}


@pytest.mark.parametrize("name", MUTATIONS)
async def test_without_a_caller_or_the_write_scope_nothing_changes(api: Api, name: str) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    storyboard = await create_storyboard(api, user, project)
    scene = await add_scene(api, user, storyboard)
    character = await create_character(api, user, project, "Ada")
    keyframe = await add_keyframe(api, user, scene, "A")
    variables = {"p": project, "s": storyboard, "sc": scene, "c": character, "k": keyframe}
    document = MUTATIONS[name]
    used = {k: v for k, v in variables.items() if f"${k}:" in document}
    read_only = (await api.gql(CREATE_API_KEY, user.token, name="Reader", scopes=["read", "jobs"]))[
        "createApiKey"
    ]["key"]

    anonymous = await api.gql_error(document, **used)
    forbidden = await api.gql_error(document, read_only, **used)

    assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"
    assert forbidden["extensions"]["code"] == "FORBIDDEN"
    assert [c.name for c in await Character.all()] == ["Ada"]
    assert [(k.description, k.sequence) for k in await Keyframe.all()] == [("A", 1)]
    stored = await UserModel.get(id=user.id)
    assert (stored.name, stored.session_generation) == (None, 0)
