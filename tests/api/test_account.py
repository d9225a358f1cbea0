"""The user's own account: updateMe, changePassword, logOutEverywhere (API.md 2.2)."""

from typing import Any

import pytest

from models import User as UserModel
from tests.helpers import PASSWORD, Api, User, create_project, sign_up

ME = "query Me { me { id email name image } }"
UPDATE_ME = """
mutation UpdateMe($input: UpdateMeInput!) { updateMe(input: $input) { id email name image } }
"""
CHANGE_PASSWORD = """
mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
  changePassword(currentPassword: $currentPassword, newPassword: $newPassword) {
    token user { id email }
  }
}
"""
LOG_OUT_EVERYWHERE = "mutation LogOutEverywhere { logOutEverywhere }"
LOG_IN = """
mutation LogIn($email: String!, $password: String!) {
  logIn(email: $email, password: $password) { token user { id } }
}
"""
CREATE_API_KEY = """
mutation CreateApiKey($name: String!) { createApiKey(name: $name) { key apiKey { id } } }
"""
NEW_PASSWORD = "a much better passphrase"


async def log_in(api: Api, user: User, password: str = PASSWORD) -> str:
    data = await api.gql(LOG_IN, email=user.email, password=password)
    token: str = data["logIn"]["token"]
    return token


async def works(api: Api, token: str) -> bool:
    body = await api.post("query { me { projects { totalCount } } }", token)
    if "errors" in body:
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", body
        return False
    return True


async def test_update_me_sets_and_clears_name_and_image(api: Api) -> None:
    user = await sign_up(api)

    set_both = await api.gql(
        UPDATE_ME, user.token, input={"name": "Ada", "image": "https://img.example.com/a.png"}
    )
    assert set_both["updateMe"] == {
        "id": user.id,
        "email": user.email,
        "name": "Ada",
        "image": "https://img.example.com/a.png",
    }
    only_image = await api.gql(UPDATE_ME, user.token, input={"image": None})
    assert (only_image["updateMe"]["name"], only_image["updateMe"]["image"]) == ("Ada", None)
    cleared = await api.gql(UPDATE_ME, user.token, input={"name": None})
    assert cleared["updateMe"]["name"] is None
    assert (await api.gql(ME, user.token))["me"]["name"] is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"image": "ftp://example.com/a.png"}, "image"),
        ({"image": "not a url"}, "image"),
        ({"image": "https://example.com/" + "a" * 1982}, "image"),
        ({"name": "x" * 201}, "name"),
    ],
)
async def test_update_me_limits(api: Api, changes: dict[str, Any], field: str) -> None:
    user = await sign_up(api)
    await api.gql(UPDATE_ME, user.token, input={"name": "Ada"})

    error = await api.gql_error(UPDATE_ME, user.token, input=changes)

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert (await api.gql(ME, user.token))["me"]["name"] == "Ada"


async def test_an_image_url_of_2000_characters_is_accepted(api: Api) -> None:
    user = await sign_up(api)
    url = "https://example.com/" + "a" * 1980
    assert len(url) == 2000

    data = await api.gql(UPDATE_ME, user.token, input={"image": url})

    assert data["updateMe"]["image"] == url


async def test_update_me_needs_a_caller(api: Api) -> None:
    error = await api.gql_error(UPDATE_ME, input={"name": "x"})
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


async def test_change_password_ends_every_earlier_session_and_returns_a_fresh_token(
    api: Api,
) -> None:
    user = await sign_up(api)
    other_session = await log_in(api, user)
    key = (await api.gql(CREATE_API_KEY, user.token, name="Partner"))["createApiKey"]["key"]

    data = await api.gql(
        CHANGE_PASSWORD, user.token, currentPassword=PASSWORD, newPassword=NEW_PASSWORD
    )

    fresh = data["changePassword"]["token"]
    assert data["changePassword"]["user"] == {"id": user.id, "email": user.email}
    assert await works(api, fresh)
    assert not await works(api, user.token)
    assert not await works(api, other_session)
    assert await works(api, key)  # API keys are untouched
    # The new password logs in, the old one no longer does.
    assert await works(api, await log_in(api, user, NEW_PASSWORD))
    error = await api.gql_error(LOG_IN, email=user.email, password=PASSWORD)
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


async def test_change_password_with_a_wrong_current_password_is_unauthenticated(api: Api) -> None:
    user = await sign_up(api)
    before = (await UserModel.get(id=user.id)).password_hash

    error = await api.gql_error(
        CHANGE_PASSWORD, user.token, currentPassword="wrong password", newPassword=NEW_PASSWORD
    )

    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    stored = await UserModel.get(id=user.id)
    assert (stored.password_hash, stored.session_generation) == (before, 0)
    assert await works(api, user.token)


@pytest.mark.parametrize("new_password", ["short", "1234567", "x" * 1025])
async def test_change_password_to_a_bad_new_one_is_bad_input(api: Api, new_password: str) -> None:
    user = await sign_up(api)

    error = await api.gql_error(
        CHANGE_PASSWORD, user.token, currentPassword=PASSWORD, newPassword=new_password
    )

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "newPassword"}
    assert await works(api, user.token)
    assert await works(api, await log_in(api, user))


async def test_a_new_password_of_exactly_eight_characters_is_accepted(api: Api) -> None:
    user = await sign_up(api)

    data = await api.gql(
        CHANGE_PASSWORD, user.token, currentPassword=PASSWORD, newPassword="12345678"
    )

    assert await works(api, data["changePassword"]["token"])


async def test_log_out_everywhere_ends_every_session_token_but_not_api_keys(api: Api) -> None:
    user = await sign_up(api)
    other_session = await log_in(api, user)
    key = (await api.gql(CREATE_API_KEY, user.token, name="Partner"))["createApiKey"]["key"]
    bystander = await sign_up(api)

    assert await api.gql(LOG_OUT_EVERYWHERE, user.token) == {"logOutEverywhere": True}

    assert not await works(api, user.token)
    assert not await works(api, other_session)
    assert await works(api, key)
    assert await works(api, bystander.token)
    # A log-in afterwards gets a working token; it too ends with the next logOutEverywhere.
    later = await log_in(api, user)
    assert await works(api, later)
    await api.gql(LOG_OUT_EVERYWHERE, later)
    assert not await works(api, later)
    assert await create_project(api, bystander)


async def test_api_keys_cannot_end_sessions_or_change_the_password(api: Api) -> None:
    user = await sign_up(api)
    key = (await api.gql(CREATE_API_KEY, user.token, name="Partner"))["createApiKey"]["key"]

    for document, variables in (
        (LOG_OUT_EVERYWHERE, {}),
        (CHANGE_PASSWORD, {"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD}),
    ):
        error = await api.gql_error(document, key, **variables)
        assert error["extensions"]["code"] == "FORBIDDEN"
    assert await works(api, user.token)
    assert (await UserModel.get(id=user.id)).session_generation == 0


async def test_account_mutations_without_a_caller_are_unauthenticated(api: Api) -> None:
    for document, variables in (
        (LOG_OUT_EVERYWHERE, {}),
        (CHANGE_PASSWORD, {"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD}),
    ):
        error = await api.gql_error(document, **variables)
        assert error["extensions"]["code"] == "UNAUTHENTICATED"
