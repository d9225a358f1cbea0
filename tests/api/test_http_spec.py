"""GraphQL over HTTP by its spec (the audit suite itself runs in tests/live/test_clients.py).

`application/graphql-response+json`: a request error (nothing ran) is a 4xx without `data`; a
result is 200 with `data`. `application/json` (and no Accept) stays what clients had: 200 with
`data: null` for documents that do not parse, validate or coerce. Queries may be sent by GET —
under the same limits as POST — and a mutation by GET is 405. GET answers say how they may be
cached: an authenticated caller's never by a shared cache.
"""

from typing import Any

import httpx
import pytest

from models import User as UserModel
from schema.http import GRAPHQL_RESPONSE, response_media_type
from tests.conftest import MakeApi
from tests.helpers import Api, create_project, sign_up

SPEC = {"Accept": GRAPHQL_RESPONSE}
PROJECT = "query Project($id: ID!) { project(id: $id) { id title } }"
SIGN_UP = 'mutation { signUp(email: "get@example.com", password: "long enough") { token } }'


def auth(token: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **headers}


def vary(response: httpx.Response) -> set[str]:
    return {name.strip() for name in response.headers["vary"].split(",")}


async def get(api: Api, headers: dict[str, str] | None = None, **params: Any) -> httpx.Response:
    return await api.client.get("/graphql", params=params, headers=headers or {})


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        ("application/json", "application/json"),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE};q=0.5", "application/json"),
        (f"{GRAPHQL_RESPONSE};q=0", "application/json"),
        ("text/html", "application/json"),
    ],
)
def test_the_response_media_type_is_what_accept_prefers(accept: str | None, media: str) -> None:
    assert response_media_type(accept) == media


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"query": "{"}, "parse"),
        ({"query": "{ nope }"}, "validation"),
        ({"query": "query Q($id: ID!) { __typename }", "variables": {"id": None}}, "coercion"),
        ({"query": "query A { __typename } query B { __typename }"}, "several operations"),
    ],
)
async def test_request_errors_are_400_without_data_in_graphql_response_json(
    api: Api, body: dict[str, Any], code: str
) -> None:
    spec = await api.client.post("/graphql", json=body, headers=SPEC)
    legacy = await api.client.post("/graphql", json=body)

    assert spec.status_code == 400, code
    assert spec.headers["content-type"] == GRAPHQL_RESPONSE
    assert "data" not in spec.json()
    assert spec.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    # application/json: what clients got before.
    assert legacy.headers["content-type"] == "application/json"
    assert legacy.json()["data"] is None
    assert legacy.status_code == (400 if code == "several operations" else 200)
    assert legacy.json()["errors"] == spec.json()["errors"]


async def test_a_result_is_200_with_data_in_both_media_types(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user, title="Mine")

    for headers in (auth(user.token, **SPEC), auth(user.token)):
        found = await api.client.post(
            "/graphql", json={"query": PROJECT, "variables": {"id": project}}, headers=headers
        )
        failed = await api.client.post(
            "/graphql", json={"query": PROJECT, "variables": {"id": "nope"}}, headers=headers
        )
        assert found.status_code == 200
        assert found.json() == {"data": {"project": {"id": project, "title": "Mine"}}}
        # An error while running (a field error): the result has data.
        assert failed.status_code == 200
        assert failed.json()["data"] == {"project": None}
        assert failed.json()["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}


async def test_a_mutation_that_fails_while_running_is_200_with_null_data(api: Api) -> None:
    body = {"query": 'mutation { deleteProject(id: "00000000-0000-0000-0000-000000000000") }'}
    user = await sign_up(api)

    response = await api.client.post("/graphql", json=body, headers=auth(user.token, **SPEC))

    assert response.status_code == 200
    assert response.json()["data"] is None
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_rate_limited_is_429_in_graphql_response_json(make_api: MakeApi) -> None:
    async with make_api(rate_limit_per_minute=1) as api:
        first = await api.client.post("/graphql", json={"query": "{ __typename }"}, headers=SPEC)
        spec = await api.client.post("/graphql", json={"query": "{ __typename }"}, headers=SPEC)
        legacy = await api.client.post("/graphql", json={"query": "{ __typename }"})

    assert first.status_code == 200
    assert spec.status_code == 429
    assert "data" not in spec.json()
    assert spec.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert (legacy.status_code, legacy.json()["data"]) == (200, None)


async def test_a_query_by_get_answers_as_by_post(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user, title="By GET")

    by_get = await get(api, auth(user.token), query=PROJECT, variables=f'{{"id": "{project}"}}')
    by_post = await api.client.post(
        "/graphql", json={"query": PROJECT, "variables": {"id": project}}, headers=auth(user.token)
    )

    assert by_get.status_code == 200
    assert by_get.content == by_post.content
    assert by_get.json() == {"data": {"project": {"id": project, "title": "By GET"}}}
    named = await get(
        api,
        auth(user.token, **SPEC),
        query="query A { me { id } } query B { __typename }",
        operationName="A",
    )
    assert named.json() == {"data": {"me": {"id": user.id}}}
    assert named.headers["content-type"] == GRAPHQL_RESPONSE


async def test_get_answers_of_a_caller_are_never_kept_by_a_shared_cache(api: Api) -> None:
    user = await sign_up(api)

    mine = await get(api, auth(user.token), query="{ me { id } }")
    anonymous = await get(api, query="{ me { id } }")
    refused = await get(api, query='{ project(id: "x") { id } }')
    posted = await api.client.post("/graphql", json={"query": "{ me { id } }"})

    assert mine.json() == {"data": {"me": {"id": user.id}}}
    assert mine.headers["cache-control"] == "private, no-store"
    assert {"Accept", "Authorization"} <= vary(mine)
    # Nothing personal in it: a shared cache may keep it briefly, keyed by the same headers.
    assert anonymous.json() == {"data": {"me": None}}
    assert anonymous.headers["cache-control"] == "public, max-age=60"
    assert {"Accept", "Authorization"} <= vary(anonymous)
    assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert refused.headers["cache-control"] == "no-store"
    assert "cache-control" not in posted.headers


async def test_a_mutation_by_get_is_405_and_changes_nothing(api: Api) -> None:
    for headers in ({}, SPEC):
        response = await get(api, headers, query=SIGN_UP)

        assert response.status_code == 405
        assert response.headers["allow"] == "POST"
        body = response.json()
        assert body["errors"] == [
            {
                "message": "Mutations are sent with POST, not GET.",
                "extensions": {"code": "BAD_USER_INPUT"},
            }
        ]
        assert ("data" in body) == (headers == {})
    assert await UserModel.all().count() == 0


async def test_get_without_a_query_serves_graphiql_to_browsers_only(api: Api) -> None:
    browser = await get(api, {"Accept": "text/html"})
    client = await get(api, {"Accept": "application/json"})

    assert browser.status_code == 200
    assert browser.headers["content-type"].startswith("text/html")
    assert "graphiql" in browser.text.lower()
    assert client.status_code == 400
    assert client.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_get_is_held_to_the_same_limits_as_post(make_api: MakeApi) -> None:
    async with make_api(max_body_bytes=4096, max_query_bytes=1024, max_query_cost=1000) as api:
        user = await sign_up(api)
        too_long_url = await get(api, query="{ " + "__typename " * 500 + "}")
        too_big = await get(api, auth(user.token), query="{ " + "__typename " * 120 + "}")
        costly = await get(
            api,
            auth(user.token),
            query="{ me { projects(first: 100) { edges { node { storyboards(first: 100) "
            "{ edges { node { id } } } } } } } }",
        )
        bad_variables = await get(api, auth(user.token), query=PROJECT, variables="[1]")
        not_json = await get(api, auth(user.token), query=PROJECT, variables="{")

    assert too_long_url.status_code == 414
    assert too_big.status_code == 400
    assert too_big.json()["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "query"}
    assert costly.status_code == 200
    assert costly.json()["data"] is None
    assert costly.json()["errors"][0]["extensions"]["maxCost"] == 1000
    assert bad_variables.status_code == 400
    assert bad_variables.json()["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "field": "variables",
    }
    assert not_json.status_code == 400
