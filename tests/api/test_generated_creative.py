"""What generation writes of the creative model: keyframes, casts, characters, patternSource."""

import pytest

from models import Character, Keyframe, SceneCharacter, SceneType
from services import generator
from services.generator import (
    GenerationRequest,
    PlannedCharacter,
    PlannedKeyframe,
    PlannedScene,
    StoryboardPlan,
    TemplateProvider,
)
from tests.api.test_generation import finished, generate
from tests.conftest import MakeApi
from tests.creative import create_character
from tests.helpers import create_project, sign_up

GENERATED = """
query Generated($id: ID!) {
  storyboard(id: $id) {
    status patternSource
    project { characters { name description consistencyKey metadata } }
    scenes {
      sceneNumber visualDescription
      keyframes { sequence description timingSeconds metadata }
      characters { name }
    }
  }
}
"""


def scene(number: int, *cast: str, frames: int = 1) -> PlannedScene:
    return PlannedScene(
        scene_type=SceneType.CONTENT,
        duration=5,
        visual_description=f"Scene {number}.",
        script=None,
        text_overlay=None,
        camera_angle=None,
        keyframes=tuple(
            PlannedKeyframe(f"Frame {number}.{i}", timing_seconds=i * 1.5, metadata={"i": i})
            for i in range(frames)
        ),
        cast=cast,
    )


async def test_the_built_in_generator_writes_one_keyframe_per_scene_and_its_pattern(
    make_api: MakeApi,
) -> None:
    async with make_api(run_worker=True) as api:
        user = await sign_up(api)
        project = await create_project(api, user)
        job = await generate(api, user, project, sceneCount=4)
        assert (await finished(api, user, job["id"]))["status"] == "SUCCEEDED"

        data = await api.gql(GENERATED, user.token, id=job["storyboard"]["id"])

    storyboard = data["storyboard"]
    assert storyboard["status"] == "COMPLETED"
    assert storyboard["patternSource"] == TemplateProvider.PATTERN
    assert storyboard["project"]["characters"] == []
    assert len(storyboard["scenes"]) == 4
    for planned in storyboard["scenes"]:
        assert planned["keyframes"] == [
            {
                "sequence": 1,
                "description": planned["visualDescription"],
                "timingSeconds": 0.0,
                "metadata": None,
            }
        ]
        assert planned["characters"] == []


async def test_a_provider_names_characters_and_casts_them(
    make_api: MakeApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def plan(self: TemplateProvider, request: GenerationRequest) -> StoryboardPlan:
        return StoryboardPlan(
            scenes=[scene(1, "ada", "bob", "ada", frames=2), scene(2, "bob"), scene(3, frames=0)],
            characters=[
                PlannedCharacter("Ada", "From the plan."),  # the project's Ada is kept as is
                PlannedCharacter("Bob the Builder", "Builds.", "bob", {"role": "lead"}),
            ],
            pattern_source="ad-30s",
            generation_model="an-llm/2",
        )

    monkeypatch.setattr(generator.TemplateProvider, "plan", plan)
    async with make_api(run_worker=True) as api:
        user = await sign_up(api)
        project = await create_project(api, user)
        await create_character(api, user, project, "Ada")
        job = await generate(api, user, project)
        assert (await finished(api, user, job["id"]))["status"] == "SUCCEEDED"

        data = await api.gql(GENERATED, user.token, id=job["storyboard"]["id"])

    storyboard = data["storyboard"]
    assert storyboard["patternSource"] == "ad-30s"
    assert storyboard["project"]["characters"] == [
        {"name": "Ada", "description": "Ada.", "consistencyKey": "ada", "metadata": None},
        {
            "name": "Bob the Builder",
            "description": "Builds.",
            "consistencyKey": "bob",
            "metadata": {"role": "lead"},
        },
    ]
    casts = [[c["name"] for c in s["characters"]] for s in storyboard["scenes"]]
    assert casts == [["Ada", "Bob the Builder"], ["Bob the Builder"], []]
    first = storyboard["scenes"][0]["keyframes"]
    assert [(k["sequence"], k["description"], k["timingSeconds"]) for k in first] == [
        (1, "Frame 1.0", 0.0),
        (2, "Frame 1.1", 1.5),
    ]
    assert storyboard["scenes"][2]["keyframes"] == []


async def test_a_plan_out_of_limits_fails_the_job_and_writes_nothing(
    make_api: MakeApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def plan(self: TemplateProvider, request: GenerationRequest) -> StoryboardPlan:
        # The cast names a character the plan does not define.
        return StoryboardPlan(
            scenes=[scene(1, "ghost")], characters=[PlannedCharacter("Ada", "A.")]
        )

    monkeypatch.setattr(generator.TemplateProvider, "plan", plan)
    async with make_api(run_worker=True) as api:
        user = await sign_up(api)
        project = await create_project(api, user)
        job = await generate(api, user, project)
        done = await finished(api, user, job["id"])

        assert done["status"] == "FAILED"
        assert done["storyboard"]["status"] == "ERROR"
        assert done["storyboard"]["scenes"] == []
        assert await Character.all().count() == 0
        assert await Keyframe.all().count() == 0
        assert await SceneCharacter.all().count() == 0
