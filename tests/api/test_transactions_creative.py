"""Nothing half-written in the creative model: each mutation fails at its very last step (the
project's updatedAt, written last in its transaction) and leaves no trace (API.md, Conventions)."""

import importlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

from models import Asset, StoredObjectDeletion
from services import activity
from tests.api.test_transactions import assert_internal_without_leaks, post_raw
from tests.conftest import MakeApi
from tests.creative import (
    MEDIA_HOST,
    SET_SCENE_CHARACTERS,
    add_keyframe,
    attach,
    create_character,
)
from tests.helpers import Api, User, add_scene, create_project, create_storyboard, sign_up

STATE = """
query State($id: ID!, $s: ID!) {
  project(id: $id) {
    updatedAt storyboardCount
    characters {
      id name description consistencyKey metadata updatedAt
      image { id } assets { id } scenes { id }
    }
  }
  storyboard(id: $s) {
    id title brief referenceUrls patternSource updatedAt
    scenes {
      id updatedAt
      characters { id }
      keyframes {
        id sequence description timingSeconds metadata updatedAt image { id } assets { id }
      }
    }
  }
}
"""


async def boom(*args: Any, **kwargs: Any) -> NoReturn:
    raise RuntimeError("boom: injected failure in UPDATE projects")


@pytest.fixture
async def api(make_api: MakeApi, tmp_path: Path) -> AsyncIterator[Api]:
    async with make_api(storage_url=f"file://{tmp_path / 'media'}", public_url=MEDIA_HOST) as api:
        yield api


class World:
    def __init__(self, user: User, project: str, storyboard: str, scene: str) -> None:
        self.user, self.project, self.storyboard, self.scene = user, project, storyboard, scene
        self.ids: dict[str, str] = {}


async def build(api: Api) -> World:
    user = await sign_up(api)
    project = await create_project(api, user)
    storyboard = await create_storyboard(api, user, project)
    world = World(user, project, storyboard, await add_scene(api, user, storyboard))
    ada = await create_character(api, user, project, "Ada")
    world.ids["bob"] = await create_character(api, user, project, "Bob")
    await api.gql(SET_SCENE_CHARACTERS, user.token, sceneId=world.scene, characterIds=[ada])
    world.ids["ada"] = ada
    world.ids["ada_image"] = await attach(api, user, project, characterId=ada)
    world.ids["frames"] = ",".join(
        [await add_keyframe(api, user, world.scene, f"F{n}") for n in range(3)]
    )
    first = world.ids["frames"].split(",")[0]
    world.ids["frame_image"] = await attach(api, user, project, keyframeId=first)
    return world


def frame(world: World, n: int) -> str:
    return world.ids["frames"].split(",")[n]


# (service module, document, variables): its last step, the activity event, fails
CASES: list[tuple[str, str, Any]] = [
    (
        "characters",
        'mutation($p: ID!) { createCharacter(input: {projectId: $p, name: "Cy", '
        'description: ""}) { id } }',
        lambda w: {"p": w.project},
    ),
    (
        "characters",
        'mutation($id: ID!) { updateCharacter(id: $id, input: {name: "X", '
        'consistencyKey: "x", metadata: {a: 1}}) { id } }',
        lambda w: {"id": w.ids["ada"]},
    ),
    (
        "characters",
        "mutation($id: ID!) { deleteCharacter(id: $id) }",
        lambda w: {"id": w.ids["ada"]},
    ),
    (
        "characters",
        "mutation($s: ID!, $c: [ID!]!) { setSceneCharacters(sceneId: $s, characterIds: $c) "
        "{ id } }",
        lambda w: {"s": w.scene, "c": [w.ids["bob"]]},
    ),
    (
        "characters",
        "mutation($id: ID!, $a: ID) { setCharacterImage(id: $id, assetId: $a) { id } }",
        lambda w: {"id": w.ids["ada"], "a": w.ids["ada_image"]},
    ),
    (
        "keyframes",
        'mutation($s: ID!) { addKeyframe(sceneId: $s, input: {description: "New"}, '
        "position: 1) { id } }",
        lambda w: {"s": w.scene},
    ),
    (
        "keyframes",
        'mutation($id: ID!) { updateKeyframe(id: $id, input: {description: "X", '
        "timingSeconds: 2}) { id } }",
        lambda w: {"id": frame(w, 0)},
    ),
    (
        "keyframes",
        "mutation($id: ID!) { moveKeyframe(id: $id, position: 3) { id } }",
        lambda w: {"id": frame(w, 0)},
    ),
    (
        "keyframes",
        "mutation($id: ID!) { deleteKeyframe(id: $id) { id } }",
        lambda w: {"id": frame(w, 0)},
    ),
    (
        "keyframes",
        "mutation($id: ID!, $a: ID) { setKeyframeImage(id: $id, assetId: $a) { id } }",
        lambda w: {"id": frame(w, 0), "a": w.ids["frame_image"]},
    ),
    (
        "storyboards",
        'mutation($id: ID!) { updateStoryboard(id: $id, input: {title: "X", '
        'patternSource: "p"}) { id } }',
        lambda w: {"id": w.storyboard},
    ),
    (
        "assets",
        "mutation($p: ID!, $k: ID!) { createAssetUpload(input: {projectId: $p, keyframeId: $k, "
        'kind: IMAGE, fileName: "a.png", contentType: "image/png", sizeBytes: 3}) '
        "{ uploadUrl } }",
        lambda w: {"p": w.project, "k": frame(w, 1)},
    ),
]


@pytest.mark.parametrize(
    ("module", "document", "variables"),
    CASES,
    ids=[c[1].split("{")[1].split("(")[0] for c in CASES],
)
async def test_a_creative_mutation_failing_at_its_last_step_changes_nothing(
    api: Api, monkeypatch: pytest.MonkeyPatch, module: str, document: str, variables: Any
) -> None:
    world = await build(api)
    before = await api.gql(STATE, world.user.token, id=world.project, s=world.storyboard)
    assets, deletions = await Asset.all().count(), await StoredObjectDeletion.all().count()
    # The module writes through services.activity (patched below for every caller).
    assert importlib.import_module(f"services.{module}").activity is activity
    monkeypatch.setattr("services.activity.record", boom)

    text, body = await post_raw(api, document, world.user.token, **variables(world))

    assert_internal_without_leaks(text, body)
    monkeypatch.undo()
    assert await api.gql(STATE, world.user.token, id=world.project, s=world.storyboard) == before
    assert await Asset.all().count() == assets
    assert await StoredObjectDeletion.all().count() == deletions
    # And it works once the failure is gone.
    await api.gql(document, world.user.token, **variables(world))
    assert await api.gql(STATE, world.user.token, id=world.project, s=world.storyboard) != before
