"""updateStoryboard: title, brief, referenceUrls, patternSource (API.md 2.2)."""

from typing import Any

import pytest

from tests.helpers import Api, create_project, create_storyboard, sign_up

UPDATE_STORYBOARD = """
mutation UpdateStoryboard($id: ID!, $input: UpdateStoryboardInput!) {
  updateStoryboard(id: $id, input: $input) {
    id title brief referenceUrls patternSource status updatedAt
  }
}
"""
STORYBOARD = """
query Storyboard($id: ID!) {
  storyboard(id: $id) { id title brief referenceUrls patternSource status updatedAt }
}
"""
GENERATE = """
mutation Generate($input: GenerateStoryboardInput!) {
  generateStoryboard(input: $input) { id storyboard { id } }
}
"""


async def test_update_storyboard_changes_only_what_is_sent(api: Api) -> None:
    user = await sign_up(api)
    storyboard = await create_storyboard(
        api, user, await create_project(api, user), title="Cut A", brief="Brief A."
    )
    before = (await api.gql(STORYBOARD, user.token, id=storyboard))["storyboard"]

    data = await api.gql(
        UPDATE_STORYBOARD,
        user.token,
        id=storyboard,
        input={
            "title": "Cut B",
            "referenceUrls": ["https://example.com/ref"],
            "patternSource": "ad-30s",
        },
    )

    updated = data["updateStoryboard"]
    assert (updated["title"], updated["brief"], updated["referenceUrls"]) == (
        "Cut B",
        "Brief A.",
        ["https://example.com/ref"],
    )
    assert (updated["patternSource"], updated["status"]) == ("ad-30s", "COMPLETED")
    assert updated["updatedAt"] > before["updatedAt"]
    cleared = await api.gql(
        UPDATE_STORYBOARD,
        user.token,
        id=storyboard,
        input={"patternSource": None, "brief": "Brief B.", "referenceUrls": []},
    )
    assert cleared["updateStoryboard"]["patternSource"] is None
    assert cleared["updateStoryboard"]["brief"] == "Brief B."
    assert cleared["updateStoryboard"]["referenceUrls"] == []
    assert (await api.gql(STORYBOARD, user.token, id=storyboard))["storyboard"] == {
        **cleared["updateStoryboard"]
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": None}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 501}, "title"),
        ({"brief": None}, "brief"),
        ({"brief": ""}, "brief"),
        ({"brief": "x" * 20001}, "brief"),
        ({"referenceUrls": None}, "referenceUrls"),
        ({"referenceUrls": ["ftp://x.example"]}, "referenceUrls"),
        ({"referenceUrls": [f"https://e.com/{i}" for i in range(21)]}, "referenceUrls"),
        ({"patternSource": "x" * 256}, "patternSource"),
    ],
)
async def test_update_storyboard_limits(api: Api, changes: dict[str, Any], field: str) -> None:
    user = await sign_up(api)
    storyboard = await create_storyboard(api, user, await create_project(api, user))
    before = await api.gql(STORYBOARD, user.token, id=storyboard)

    error = await api.gql_error(
        UPDATE_STORYBOARD, user.token, id=storyboard, input={"title": "Kept?", **changes}
    )

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert await api.gql(STORYBOARD, user.token, id=storyboard) == before


async def test_limits_at_their_edges_are_accepted(api: Api) -> None:
    user = await sign_up(api)
    storyboard = await create_storyboard(api, user, await create_project(api, user))

    data = await api.gql(
        UPDATE_STORYBOARD,
        user.token,
        id=storyboard,
        input={
            "title": "t" * 500,
            "brief": "b" * 20000,
            "referenceUrls": [f"https://e.com/{i}" for i in range(20)],
            "patternSource": "p" * 255,
        },
    )

    assert len(data["updateStoryboard"]["patternSource"]) == 255
    assert data["updateStoryboard"]["patternSource"] == "p" * 255


async def test_a_generating_storyboard_cannot_be_updated(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    job = await api.gql(
        GENERATE, user.token, input={"projectId": project, "title": "T", "brief": "B."}
    )
    storyboard = job["generateStoryboard"]["storyboard"]["id"]
    before = await api.gql(STORYBOARD, user.token, id=storyboard)

    error = await api.gql_error(UPDATE_STORYBOARD, user.token, id=storyboard, input={"title": "X"})

    assert error["extensions"]["code"] == "CONFLICT"
    assert await api.gql(STORYBOARD, user.token, id=storyboard) == before


async def test_update_of_a_missing_storyboard_is_not_found(api: Api) -> None:
    user = await sign_up(api)

    error = await api.gql_error(
        UPDATE_STORYBOARD,
        user.token,
        id="00000000-0000-0000-0000-000000000000",
        input={"title": "X"},
    )

    assert error["extensions"]["code"] == "NOT_FOUND"
