"""Automatic persisted queries, Apollo's protocol: `extensions.persistedQuery {version: 1,
sha256Hash}`. Across two API processes: tests/live/test_clients.py."""

import hashlib
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from services.persisted_queries import (
    MemoryPersistedQueries,
    PersistedQueries,
    RedisPersistedQueries,
    sha256_of,
)
from tests.conftest import REDIS_URL
from tests.helpers import Api, create_project, sign_up

ME = "query Me { me { id email } }"
SPEC = "application/graphql-response+json"


def document() -> str:
    """A document no process has seen: its hash is registered nowhere yet."""
    return f"query Me {{ me {{ id email }} }} # {uuid.uuid4()}"


def extension(query: str, version: int = 1) -> dict[str, Any]:
    sha = hashlib.sha256(query.encode()).hexdigest()
    return {"persistedQuery": {"version": version, "sha256Hash": sha}}


async def post(
    api: Api, token: str | None, *, headers: dict[str, str] | None = None, **body: Any
) -> httpx.Response:
    auth = {"Authorization": f"Bearer {token}"} if token else {}
    return await api.client.post("/graphql", json=body, headers={**auth, **(headers or {})})


async def get(api: Api, token: str | None, **params: Any) -> httpx.Response:
    auth = {"Authorization": f"Bearer {token}"} if token else {}
    encoded = {k: json.dumps(v) if isinstance(v, dict) else v for k, v in params.items()}
    return await api.client.get("/graphql", params=encoded, headers=auth)


NOT_FOUND = {
    "message": "PersistedQueryNotFound",
    "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
}


async def test_an_unknown_hash_answers_persisted_query_not_found(api: Api) -> None:
    user = await sign_up(api)
    unknown = extension(document())

    by_post = await post(api, user.token, extensions=unknown)
    by_get = await get(api, user.token, extensions=unknown)
    spec = await post(api, user.token, extensions=unknown, headers={"Accept": SPEC})

    for response in (by_post, by_get):
        assert response.status_code == 200
        assert response.json() == {"data": None, "errors": [NOT_FOUND]}
    assert spec.status_code == 400
    assert spec.json() == {"errors": [NOT_FOUND]}
    assert by_get.headers["cache-control"] == "private, no-store"


async def test_a_registered_hash_runs_its_document_by_post_and_by_get(api: Api) -> None:
    user = await sign_up(api)
    query = document()
    expected = {"data": {"me": {"id": user.id, "email": user.email}}}

    registered = await post(api, user.token, query=query, extensions=extension(query))
    by_post = await post(api, user.token, extensions=extension(query))
    by_get = await get(api, user.token, extensions=extension(query))

    assert registered.json() == expected
    assert by_post.json() == expected
    assert by_get.status_code == 200
    assert by_get.json() == expected
    assert by_get.headers["cache-control"] == "private, no-store"
    assert {"Accept", "Authorization"} <= {v.strip() for v in by_get.headers["vary"].split(",")}
    # Another caller sending the hash gets their own data, never a cached copy of the first's.
    other = await sign_up(api)
    theirs = await get(api, other.token, extensions=extension(query))
    assert theirs.json() == {"data": {"me": {"id": other.id, "email": other.email}}}


async def test_variables_travel_with_the_hash(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user, title="Hashed")
    query = f"query P($id: ID!) {{ project(id: $id) {{ title }} }} # {uuid.uuid4()}"
    await post(api, user.token, query=query, variables={"id": project}, extensions=extension(query))

    response = await get(api, user.token, variables={"id": project}, extensions=extension(query))

    assert response.json() == {"data": {"project": {"title": "Hashed"}}}


async def test_a_hash_that_is_not_the_documents_is_refused_and_registers_nothing(api: Api) -> None:
    user = await sign_up(api)
    query, other = document(), document()
    wrong = extension(other)

    refused = await post(api, user.token, query=query, extensions=wrong)
    later = await post(api, user.token, extensions=wrong)

    assert refused.status_code == 400
    assert refused.json()["data"] is None
    assert refused.json()["errors"] == [
        {
            "message": "`extensions.persistedQuery.sha256Hash` is not the SHA-256 of `query`.",
            "extensions": {"code": "BAD_USER_INPUT", "field": "extensions"},
        }
    ]
    assert later.json() == {"data": None, "errors": [NOT_FOUND]}


@pytest.mark.parametrize(
    ("persisted", "code"),
    [
        ({"version": 2, "sha256Hash": "0" * 64}, "PERSISTED_QUERY_NOT_SUPPORTED"),
        ({"version": 1, "sha256Hash": "not a hash"}, "BAD_USER_INPUT"),
        ({"version": 1, "sha256Hash": "A" * 64}, "BAD_USER_INPUT"),
        ({"version": 1}, "BAD_USER_INPUT"),
        ("a string", "BAD_USER_INPUT"),
    ],
)
async def test_malformed_persisted_query_extensions_are_refused(
    api: Api, persisted: Any, code: str
) -> None:
    user = await sign_up(api)

    response = await post(api, user.token, extensions={"persistedQuery": persisted})

    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == code
    if code == "PERSISTED_QUERY_NOT_SUPPORTED":
        assert error["message"] == "PersistedQueryNotSupported"


async def test_anonymous_callers_run_documents_with_hashes_but_register_none(api: Api) -> None:
    """Nobody fills the store without an account; Apollo clients then just send the document."""
    query = document()

    ran = await post(api, None, query=query, extensions=extension(query))
    later = await post(api, None, extensions=extension(query))

    assert ran.json() == {"data": {"me": None}}
    assert later.json() == {"data": None, "errors": [NOT_FOUND]}


async def test_a_persisted_mutation_by_get_is_405(api: Api) -> None:
    user = await sign_up(api)
    mutation = f'mutation {{ createProject(input: {{title: "{uuid.uuid4()}"}}) {{ id }} }}'
    await post(api, user.token, query=mutation, extensions=extension(mutation))
    before = await api.gql("{ me { projects { totalCount } } }", user.token)

    response = await get(api, user.token, extensions=extension(mutation))

    assert response.status_code == 405
    assert await api.gql("{ me { projects { totalCount } } }", user.token) == before
    assert before["me"]["projects"]["totalCount"] == 1


async def test_a_persisted_document_keeps_the_document_limits(make_api: Any) -> None:
    async with make_api(max_query_bytes=200) as api:
        user = await sign_up(api)
        query = "{ " + "__typename " * 30 + f"}} # {uuid.uuid4()}"

        response = await post(api, user.token, query=query, extensions=extension(query))
        later = await post(api, user.token, extensions=extension(query))

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "field": "query",
    }
    assert later.json()["errors"] == [NOT_FOUND]


# -- the stores --------------------------------------------------------------------------------


@pytest.fixture(params=["memory", "redis"])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[PersistedQueries]:
    """Each store with room for 100 bytes of documents."""
    if request.param == "memory":
        yield MemoryPersistedQueries(max_bytes=100)
        return
    redis_store = RedisPersistedQueries(
        REDIS_URL, prefix=f"storygraph-test:apq:{uuid.uuid4().hex}:", max_bytes=100
    )
    try:
        yield redis_store
    finally:
        await redis_store._redis.delete(*redis_store._keys)
        await redis_store.close()


async def test_a_store_keeps_at_most_its_bytes_and_forgets_the_least_recently_used(
    store: PersistedQueries,
) -> None:
    documents = [f"{{ __typename }} # {i:02d} {'x' * 20}" for i in range(4)]  # 40 bytes each
    hashes = [sha256_of(d) for d in documents]
    await store.put(hashes[0], documents[0])
    await store.put(hashes[1], documents[1])
    assert await store.get(hashes[0]) == documents[0]  # now the most recently used

    await store.put(hashes[2], documents[2])  # 120 bytes: the least recently used (1) leaves

    assert [await store.get(h) for h in hashes] == [documents[0], None, documents[2], None]
    await store.put(hashes[3], "y" * 101)  # alone larger than the store: not kept
    assert await store.get(hashes[3]) is None
    assert await store.get(hashes[0]) == documents[0]
