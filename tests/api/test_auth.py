"""Sign-up, log-in, session tokens and partner API keys, checked against API.md."""

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from models import ApiKey, Project, User
from services import auth
from tests.conftest import SECRET
from tests.helpers import (
    PASSWORD,
    SIGN_UP,
    Api,
    add_scene,
    create_project,
    create_storyboard,
    sign_up,
)

ME = "query Me { me { id email name } }"
LOG_IN = """
mutation LogIn($email: String!, $password: String!) {
  logIn(email: $email, password: $password) { token user { id email } }
}
"""
PROJECT = "query Project($id: ID!) { project(id: $id) { id title } }"
STORYBOARD = "query Storyboard($id: ID!) { storyboard(id: $id) { id title } }"
SCENE = "query Scene($id: ID!) { scene(id: $id) { id sceneNumber } }"
MY_PROJECTS = "query MyProjects { me { projects { totalCount edges { node { id title } } } } }"
CREATE_PROJECT = """
mutation CreateProject($input: CreateProjectInput!) { createProject(input: $input) { id title } }
"""
UPDATE_PROJECT = """
mutation UpdateProject($id: ID!, $input: UpdateProjectInput!) {
  updateProject(id: $id, input: $input) { id title }
}
"""
DELETE_PROJECT = "mutation DeleteProject($id: ID!) { deleteProject(id: $id) }"
CREATE_STORYBOARD = """
mutation CreateStoryboard($input: CreateStoryboardInput!) { createStoryboard(input: $input) { id } }
"""
DELETE_STORYBOARD = "mutation DeleteStoryboard($id: ID!) { deleteStoryboard(id: $id) }"
ADD_SCENE = """
mutation AddScene($storyboardId: ID!, $input: SceneInput!) {
  addScene(storyboardId: $storyboardId, input: $input) { id }
}
"""
UPDATE_SCENE = """
mutation UpdateScene($id: ID!, $input: UpdateSceneInput!) {
  updateScene(id: $id, input: $input) { id }
}
"""
MOVE_SCENE = """
mutation MoveScene($id: ID!, $position: Int!) { moveScene(id: $id, position: $position) { id } }
"""
DELETE_SCENE = "mutation DeleteScene($id: ID!) { deleteScene(id: $id) { id } }"
SET_TASK_COMPLETED = """
mutation SetTaskCompleted($sceneId: ID!) {
  setTaskCompleted(sceneId: $sceneId, taskType: EDITED, completed: true) { id completed }
}
"""
STORYBOARD_STATE = """
query StoryboardState($id: ID!) {
  storyboard(id: $id) {
    id title totalScenes totalDuration
    scenes { id sceneNumber duration visualDescription tasks { taskType completed completedAt } }
  }
}
"""
CREATE_API_KEY = """
mutation CreateApiKey($name: String!, $scopes: [String!]) {
  createApiKey(name: $name, scopes: $scopes) {
    key apiKey { id name prefix scopes createdAt lastUsedAt }
  }
}
"""
REVOKE_API_KEY = "mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) }"
MY_API_KEYS = "query MyApiKeys { me { apiKeys { id name prefix scopes createdAt lastUsedAt } } }"


async def post_with_authorization(api: Api, query: str, authorization: str) -> dict[str, Any]:
    """POST with a raw `Authorization` header value (any scheme, any token)."""
    response = await api.client.post(
        "/graphql", json={"query": query, "variables": {}}, headers={"Authorization": authorization}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def session_token(user_id: str, *, expires_in: timedelta, secret: str = SECRET) -> str:
    now = datetime.now(UTC)
    claims = {"sub": user_id, "iat": now - timedelta(hours=2), "exp": now + expires_in}
    return jwt.encode(claims, secret, algorithm="HS256")


async def create_key(api: Api, token: str, scopes: list[str] | None = None) -> dict[str, Any]:
    variables: dict[str, Any] = {"name": "Render farm"}
    if scopes is not None:
        variables["scopes"] = scopes
    data = await api.gql(CREATE_API_KEY, token, **variables)
    created: dict[str, Any] = data["createApiKey"]
    return created


def assert_unauthenticated(error: dict[str, Any]) -> None:
    assert error["extensions"]["code"] == "UNAUTHENTICATED", error


def assert_forbidden(error: dict[str, Any]) -> None:
    assert error["extensions"]["code"] == "FORBIDDEN", error


# --- signUp -------------------------------------------------------------------------------------


async def test_sign_up_returns_a_token_that_authenticates_me(api: Api) -> None:
    data = await api.gql(SIGN_UP, email="ada@example.com", password=PASSWORD, name="Ada")
    payload = data["signUp"]
    assert payload["user"]["email"] == "ada@example.com"
    assert payload["user"]["name"] == "Ada"
    uuid.UUID(payload["user"]["id"])

    me = await api.gql(ME, payload["token"])
    assert me == {"me": {"id": payload["user"]["id"], "email": "ada@example.com", "name": "Ada"}}


async def test_sign_up_with_a_taken_email_is_conflict_and_creates_no_user(api: Api) -> None:
    first = await sign_up(api, "taken@example.com")

    error = await api.gql_error(SIGN_UP, email="taken@example.com", password="another password")

    assert error["extensions"]["code"] == "CONFLICT"
    assert await User.filter(email="taken@example.com").count() == 1
    assert await User.all().count() == 1
    # The first account still logs in with its own password only.
    data = await api.gql(LOG_IN, email="taken@example.com", password=PASSWORD)
    assert data["logIn"]["user"]["id"] == first.id
    error = await api.gql_error(LOG_IN, email="taken@example.com", password="another password")
    assert_unauthenticated(error)


async def test_sign_up_with_a_short_password_is_bad_input(api: Api) -> None:
    error = await api.gql_error(SIGN_UP, email="short@example.com", password="1234567")

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "password"
    assert await User.all().count() == 0


async def test_sign_up_accepts_a_password_of_exactly_eight_characters(api: Api) -> None:
    user = await sign_up(api, "eight@example.com", password="12345678")

    data = await api.gql(LOG_IN, email="eight@example.com", password="12345678")
    assert data["logIn"]["user"]["id"] == user.id


async def test_sign_up_with_a_malformed_email_is_bad_input(api: Api) -> None:
    for email in ("not-an-email", "", "two@@example.com", "spaces in@example.com"):
        error = await api.gql_error(SIGN_UP, email=email, password=PASSWORD)

        assert error["extensions"]["code"] == "BAD_USER_INPUT", email
        assert error["extensions"]["field"] == "email", email
    assert await User.all().count() == 0


async def test_password_is_stored_only_as_a_slow_salted_hash(api: Api) -> None:
    await sign_up(api, "hash-a@example.com")
    await sign_up(api, "hash-b@example.com")

    rows = await User.all().order_by("email").values()
    hashes = [row["password_hash"] for row in rows]
    assert all(PASSWORD not in str(value) for row in rows for value in row.values())
    assert all(h.startswith(("$argon2id$", "$2b$", "$2a$", "$2y$")) for h in hashes)
    assert hashes[0] != hashes[1]  # salted: the same password hashes differently


# --- logIn --------------------------------------------------------------------------------------


async def test_log_in_with_the_right_password_returns_a_working_token(api: Api) -> None:
    user = await sign_up(api, "login@example.com")

    data = await api.gql(LOG_IN, email="login@example.com", password=PASSWORD)

    assert data["logIn"]["user"] == {"id": user.id, "email": "login@example.com"}
    me = await api.gql(ME, data["logIn"]["token"])
    assert me["me"]["id"] == user.id


async def test_log_in_wrong_password_and_unknown_email_fail_identically(api: Api) -> None:
    await sign_up(api, "known@example.com")

    wrong_password = await api.gql_error(LOG_IN, email="known@example.com", password="wrong pass")
    unknown_email = await api.gql_error(LOG_IN, email="nobody@example.com", password=PASSWORD)

    assert_unauthenticated(wrong_password)
    assert wrong_password["message"] == unknown_email["message"]
    assert wrong_password["extensions"] == unknown_email["extensions"]
    assert "data" not in wrong_password


# --- session tokens -----------------------------------------------------------------------------


async def test_an_expired_session_token_is_unauthenticated(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    expired = session_token(user.id, expires_in=-timedelta(minutes=5))

    assert_unauthenticated(await api.gql_error(PROJECT, expired, id=project_id))
    assert_unauthenticated(await api.gql_error(ME, expired))
    error = await api.gql_error(CREATE_PROJECT, expired, input={"title": "Sneaky"})
    assert_unauthenticated(error)
    assert await Project.all().count() == 1


async def test_a_token_that_worked_stops_working_when_it_expires(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Verified tokens are remembered (services.auth._session_claims); expiry is not."""
    user = await sign_up(api)
    token = session_token(user.id, expires_in=timedelta(minutes=10))
    assert (await api.gql(ME, token))["me"]["id"] == user.id

    later = time.time() + 11 * 60
    monkeypatch.setattr(auth, "_now", lambda: later)
    assert_unauthenticated(await api.gql_error(ME, token))


async def test_a_session_token_signed_with_another_secret_is_unauthenticated(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    valid = session_token(user.id, expires_in=timedelta(hours=1))
    forged = session_token(user.id, expires_in=timedelta(hours=1), secret="x" * len(SECRET))

    assert (await api.gql(PROJECT, valid, id=project_id))["project"]["id"] == project_id
    assert_unauthenticated(await api.gql_error(PROJECT, forged, id=project_id))
    assert_unauthenticated(await api.gql_error(ME, forged))


async def test_a_tampered_session_token_is_unauthenticated(api: Api) -> None:
    user = await sign_up(api)
    other = await sign_up(api)
    project_id = await create_project(api, other)
    header, _, signature = user.token.split(".")
    claims = jwt.decode(user.token, SECRET, algorithms=["HS256"])
    claims["sub"] = other.id
    body = jwt.encode(claims, "irrelevant-secret-long-enough-for-hs256-xx").split(".")[1]
    tampered = f"{header}.{body}.{signature}"

    assert_unauthenticated(await api.gql_error(PROJECT, tampered, id=project_id))


async def test_garbage_bearer_tokens_are_unauthenticated(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)

    for garbage in ("garbage", "a.b.c", "sgk_not-a-real-key", user.token[:-4], "Bearer"):
        error = await api.gql_error(PROJECT, garbage, id=project_id)
        assert_unauthenticated(error)


async def test_a_non_bearer_scheme_is_unauthenticated(api: Api) -> None:
    user = await sign_up(api)
    await create_project(api, user)

    for authorization in (f"Basic {user.token}", f"Token {user.token}", user.token):
        body = await post_with_authorization(api, MY_PROJECTS, authorization)
        assert len(body["errors"]) == 1, body
        assert_unauthenticated(body["errors"][0])
    # The same token with the right scheme works (case-insensitive scheme).
    body = await post_with_authorization(api, MY_PROJECTS, f"Bearer {user.token}")
    assert "errors" not in body
    assert body["data"]["me"]["projects"]["totalCount"] == 1


async def test_a_token_of_a_deleted_user_is_unauthenticated(api: Api) -> None:
    user = await sign_up(api)
    await User.filter(id=user.id).delete()

    assert_unauthenticated(await api.gql_error(CREATE_PROJECT, user.token, input={"title": "T"}))


# --- anonymous callers --------------------------------------------------------------------------


async def test_me_is_null_without_credentials(api: Api) -> None:
    assert await api.gql(ME) == {"me": None}


async def test_anonymous_reads_are_unauthenticated(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    storyboard_id = await create_storyboard(api, user, project_id)
    scene_id = await add_scene(api, user, storyboard_id)

    for query, object_id in ((PROJECT, project_id), (STORYBOARD, storyboard_id), (SCENE, scene_id)):
        error = await api.gql_error(query, id=object_id)
        assert_unauthenticated(error)


async def test_anonymous_mutations_are_unauthenticated_and_change_nothing(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user, title="Owned")
    storyboard_id = await create_storyboard(api, user, project_id)
    scene_id = await add_scene(api, user, storyboard_id)
    await add_scene(api, user, storyboard_id)
    before = await api.gql(STORYBOARD_STATE, user.token, id=storyboard_id)

    attempts: list[tuple[str, dict[str, Any]]] = [
        (CREATE_PROJECT, {"input": {"title": "Anonymous"}}),
        (UPDATE_PROJECT, {"id": project_id, "input": {"title": "Renamed"}}),
        (DELETE_PROJECT, {"id": project_id}),
        (CREATE_STORYBOARD, {"input": {"projectId": project_id, "title": "T", "brief": "B"}}),
        (DELETE_STORYBOARD, {"id": storyboard_id}),
        (ADD_SCENE, {"storyboardId": storyboard_id, "input": {"visualDescription": "X"}}),
        (UPDATE_SCENE, {"id": scene_id, "input": {"duration": 99}}),
        (MOVE_SCENE, {"id": scene_id, "position": 2}),
        (DELETE_SCENE, {"id": scene_id}),
        (SET_TASK_COMPLETED, {"sceneId": scene_id}),
        (CREATE_API_KEY, {"name": "k"}),
        (REVOKE_API_KEY, {"id": str(uuid.uuid4())}),
    ]
    for mutation, variables in attempts:
        error = await api.gql_error(mutation, **variables)
        assert_unauthenticated(error)

    assert await api.gql(STORYBOARD_STATE, user.token, id=storyboard_id) == before
    projects = await api.gql(MY_PROJECTS, user.token)
    assert projects["me"]["projects"] == {
        "totalCount": 1,
        "edges": [{"node": {"id": project_id, "title": "Owned"}}],
    }
    assert await ApiKey.all().count() == 0


# --- API keys -----------------------------------------------------------------------------------


async def test_create_api_key_returns_the_key_once_with_its_prefix(api: Api) -> None:
    user = await sign_up(api)

    created = await create_key(api, user.token)

    key, api_key = created["key"], created["apiKey"]
    assert api_key["name"] == "Render farm"
    assert api_key["scopes"] == ["read", "write", "jobs"]
    assert api_key["lastUsedAt"] is None
    assert api_key["prefix"]
    assert key.startswith(api_key["prefix"])
    assert len(key) > len(api_key["prefix"]) + 16
    # Listed afterwards, but never with the key itself.
    response = await api.client.post(
        "/graphql",
        json={"query": MY_API_KEYS},
        headers={"Authorization": f"Bearer {user.token}"},
    )
    assert key not in response.text
    assert response.json()["data"]["me"]["apiKeys"] == [api_key]


async def test_api_keys_are_distinct_and_listed_newest_first(api: Api) -> None:
    user = await sign_up(api)
    first = await create_key(api, user.token)
    second = await create_key(api, user.token, ["read"])

    assert first["key"] != second["key"]
    data = await api.gql(MY_API_KEYS, user.token)
    ids = [k["id"] for k in data["me"]["apiKeys"]]
    assert ids == [second["apiKey"]["id"], first["apiKey"]["id"]]


async def test_create_api_key_with_chosen_scopes(api: Api) -> None:
    user = await sign_up(api)

    created = await create_key(api, user.token, ["jobs", "read"])

    assert sorted(created["apiKey"]["scopes"]) == ["jobs", "read"]


async def test_create_api_key_with_an_invalid_scope_is_bad_input(api: Api) -> None:
    user = await sign_up(api)

    for scopes in (["read", "admin"], ["READ"], []):
        error = await api.gql_error(CREATE_API_KEY, user.token, name="k", scopes=scopes)

        assert error["extensions"]["code"] == "BAD_USER_INPUT", scopes
        assert error["extensions"]["field"] == "scopes", scopes
    assert await ApiKey.all().count() == 0
    assert (await api.gql(MY_API_KEYS, user.token))["me"]["apiKeys"] == []


async def test_a_read_only_key_can_read(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user, title="Readable")
    key = (await create_key(api, user.token, ["read"]))["key"]

    assert (await api.gql(ME, key))["me"]["id"] == user.id
    data = await api.gql(PROJECT, key, id=project_id)
    assert data == {"project": {"id": project_id, "title": "Readable"}}
    projects = await api.gql(MY_PROJECTS, key)
    assert projects["me"]["projects"]["totalCount"] == 1


async def test_a_read_only_key_cannot_mutate_and_nothing_changes(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user, title="Untouched")
    storyboard_id = await create_storyboard(api, user, project_id)
    scene_id = await add_scene(api, user, storyboard_id)
    await add_scene(api, user, storyboard_id)
    key = (await create_key(api, user.token, ["read"]))["key"]
    before = await api.gql(STORYBOARD_STATE, user.token, id=storyboard_id)

    attempts: list[tuple[str, dict[str, Any]]] = [
        (CREATE_PROJECT, {"input": {"title": "New"}}),
        (UPDATE_PROJECT, {"id": project_id, "input": {"title": "Renamed"}}),
        (DELETE_PROJECT, {"id": project_id}),
        (CREATE_STORYBOARD, {"input": {"projectId": project_id, "title": "T", "brief": "B"}}),
        (DELETE_STORYBOARD, {"id": storyboard_id}),
        (ADD_SCENE, {"storyboardId": storyboard_id, "input": {"visualDescription": "X"}}),
        (UPDATE_SCENE, {"id": scene_id, "input": {"duration": 99}}),
        (MOVE_SCENE, {"id": scene_id, "position": 2}),
        (DELETE_SCENE, {"id": scene_id}),
        (SET_TASK_COMPLETED, {"sceneId": scene_id}),
    ]
    for mutation, variables in attempts:
        error = await api.gql_error(mutation, key, **variables)
        assert_forbidden(error)

    assert await api.gql(STORYBOARD_STATE, user.token, id=storyboard_id) == before
    projects = await api.gql(MY_PROJECTS, user.token)
    assert projects["me"]["projects"] == {
        "totalCount": 1,
        "edges": [{"node": {"id": project_id, "title": "Untouched"}}],
    }


async def test_a_write_key_can_mutate(api: Api) -> None:
    user = await sign_up(api)
    key = (await create_key(api, user.token, ["read", "write"]))["key"]

    created = await api.gql(CREATE_PROJECT, key, input={"title": "Via key"})
    project_id = created["createProject"]["id"]
    renamed = await api.gql(UPDATE_PROJECT, key, id=project_id, input={"title": "Renamed"})

    assert renamed["updateProject"] == {"id": project_id, "title": "Renamed"}
    # Owned by the key's user: visible with the session token.
    data = await api.gql(PROJECT, user.token, id=project_id)
    assert data == {"project": {"id": project_id, "title": "Renamed"}}


async def test_a_revoked_key_is_unauthenticated(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    created = await create_key(api, user.token)
    key, key_id = created["key"], created["apiKey"]["id"]
    assert (await api.gql(PROJECT, key, id=project_id))["project"]["id"] == project_id

    assert await api.gql(REVOKE_API_KEY, user.token, id=key_id) == {"revokeApiKey": True}

    assert_unauthenticated(await api.gql_error(PROJECT, key, id=project_id))
    assert_unauthenticated(await api.gql_error(ME, key))
    error = await api.gql_error(CREATE_PROJECT, key, input={"title": "After revocation"})
    assert_unauthenticated(error)
    assert await Project.all().count() == 1
    assert (await api.gql(MY_API_KEYS, user.token))["me"]["apiKeys"] == []


async def test_revoking_another_users_key_is_not_found(api: Api) -> None:
    owner = await sign_up(api)
    stranger = await sign_up(api)
    created = await create_key(api, owner.token)

    error = await api.gql_error(REVOKE_API_KEY, stranger.token, id=created["apiKey"]["id"])

    assert error["extensions"]["code"] == "NOT_FOUND"
    assert (await api.gql(ME, created["key"]))["me"]["id"] == owner.id


async def test_last_used_at_is_set_after_the_key_is_used(api: Api) -> None:
    user = await sign_up(api)
    created = await create_key(api, user.token)
    before = (await api.gql(MY_API_KEYS, user.token))["me"]["apiKeys"]
    assert [k["lastUsedAt"] for k in before] == [None]
    start = datetime.now(UTC)

    await api.gql(ME, created["key"])

    after = (await api.gql(MY_API_KEYS, user.token))["me"]["apiKeys"]
    assert len(after) == 1
    last_used = datetime.fromisoformat(after[0]["lastUsedAt"])
    assert last_used.utcoffset() == timedelta(0)
    assert start - timedelta(seconds=1) <= last_used <= datetime.now(UTC) + timedelta(seconds=1)


async def test_an_api_key_cannot_create_or_revoke_api_keys(api: Api) -> None:
    user = await sign_up(api)
    created = await create_key(api, user.token)
    key, key_id = created["key"], created["apiKey"]["id"]

    assert_forbidden(await api.gql_error(CREATE_API_KEY, key, name="Child key"))
    assert_forbidden(await api.gql_error(REVOKE_API_KEY, key, id=key_id))

    assert await ApiKey.all().count() == 1
    assert (await api.gql(ME, key))["me"]["id"] == user.id  # still valid
    keys = (await api.gql(MY_API_KEYS, user.token))["me"]["apiKeys"]
    assert [k["id"] for k in keys] == [key_id]


async def test_the_stored_api_key_is_only_a_hash(api: Api) -> None:
    user = await sign_up(api)
    created = await create_key(api, user.token)
    key = created["key"]
    secret_part = key[len(created["apiKey"]["prefix"]) :]

    rows = await ApiKey.filter(id=created["apiKey"]["id"]).values()

    assert len(rows) == 1
    stored = [str(value) for value in rows[0].values()]
    assert all(key not in value for value in stored)
    assert all(secret_part not in value for value in stored)
