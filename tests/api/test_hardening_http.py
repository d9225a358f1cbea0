"""Hardening over HTTP: malformed request bodies, the query size and token caps, the parse cache
(bounded in bytes, never filled by anonymous callers) and email validation."""

from collections.abc import Iterator
from typing import Any

import graphql
import orjson
import pytest
import strawberry.schema.schema

import schema.extensions
from models import Project, User
from schema import document_cache, identity_cache
from tests.helpers import PASSWORD, SIGN_UP, Api, sign_up

ME = "query Me { me { id } }"
LOG_IN = """
mutation LogIn($email: String!, $password: String!) {
  logIn(email: $email, password: $password) { token }
}
"""
TWO_MUTATIONS = """
mutation A { createProject(input: {title: "A"}) { id } }
mutation B { createProject(input: {title: "B"}) { id } }
"""
MAX_QUERY_BYTES = 100 * 1024
MAX_QUERY_TOKENS = 5000


def bad_input(field: str, message: str | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"extensions": {"code": "BAD_USER_INPUT", "field": field}}
    if message is not None:
        error["message"] = message
    return error


async def post_raw(api: Api, body: bytes, token: str | None = None) -> tuple[int, dict[str, Any]]:
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    response = await api.client.post("/graphql", content=body, headers=headers)
    assert response.headers["content-type"].startswith("application/json"), response.text
    parsed: dict[str, Any] = response.json()
    return response.status_code, parsed


def assert_refused(status: int, body: dict[str, Any], field: str) -> str:
    """HTTP 400 with exactly the contract's shape; returns the message."""
    assert status == 400, body
    assert set(body) == {"data", "errors"}, body
    assert body["data"] is None, body
    [error] = body["errors"]
    assert set(error) == {"message", "extensions"}, error
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}, error
    message: str = error["message"]
    assert "Traceback" not in message, message
    return message


@pytest.fixture
def parses() -> Iterator[list[str]]:
    """Every document graphql-core is asked to parse, by our cache or by Strawberry."""
    seen: list[str] = []
    real = graphql.parse

    def spy(source: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(source if isinstance(source, str) else source.body)
        return real(source, *args, **kwargs)

    patch = pytest.MonkeyPatch()
    patch.setattr(schema.extensions, "parse", spy)
    patch.setattr(strawberry.schema.schema, "parse", spy)
    try:
        yield seen
    finally:
        patch.undo()


@pytest.fixture(autouse=True)
def empty_parse_cache() -> Iterator[None]:
    document_cache.documents.clear()
    yield
    document_cache.documents.clear()


# --- defect 14: malformed bodies ----------------------------------------------------------------


@pytest.mark.parametrize("body", [b"null", b"123", b'"x"', b"true", b"[]", b"[1, 2]"])
async def test_defect_14_json_body_not_an_object_is_400(api: Api, body: bytes) -> None:
    status, answer = await post_raw(api, body)

    message = assert_refused(status, answer, "body")
    assert message == "The request body must be a JSON object: {query, variables, operationName}."


@pytest.mark.parametrize("value", [5, True, ["A"], {"a": 1}])
async def test_defect_14_operation_name_not_a_string_is_400(api: Api, value: Any) -> None:
    user = await sign_up(api)
    body = {"query": TWO_MUTATIONS, "operationName": value}

    status, answer = await post_raw(api, graphql_json(body), user.token)

    assert assert_refused(status, answer, "operationName") == "`operationName` must be a string."
    assert await Project.all().count() == 0


@pytest.mark.parametrize("value", [5, True, ["{ me { id } }"], {"q": 1}])
async def test_defect_14_query_not_a_string_is_400(api: Api, value: Any) -> None:
    status, answer = await post_raw(api, graphql_json({"query": value}))

    assert assert_refused(status, answer, "query") == "`query` must be a string."


@pytest.mark.parametrize("value", ["x", [1], 5, True])
async def test_defect_14_variables_not_an_object_is_400(api: Api, value: Any) -> None:
    status, answer = await post_raw(api, graphql_json({"query": ME, "variables": value}))

    assert assert_refused(status, answer, "variables") == "`variables` must be an object."


async def test_defect_14_extensions_not_an_object_is_400(api: Api) -> None:
    status, answer = await post_raw(api, graphql_json({"query": ME, "extensions": 5}))

    assert assert_refused(status, answer, "extensions") == "`extensions` must be an object."


async def test_defect_14_several_operations_without_operation_name_is_400(api: Api) -> None:
    user = await sign_up(api)

    status, answer = await post_raw(api, graphql_json({"query": TWO_MUTATIONS}), user.token)

    message = assert_refused(status, answer, "operationName")
    assert message == "The document holds several operations: name one in `operationName`."
    assert await Project.all().count() == 0
    # Naming one runs exactly that one.
    status, answer = await post_raw(
        api, graphql_json({"query": TWO_MUTATIONS, "operationName": "B"}), user.token
    )
    assert status == 200, answer
    assert [p.title for p in await Project.all()] == ["B"]


async def test_null_members_are_absent_members(api: Api) -> None:
    body = {"query": ME, "variables": None, "operationName": None, "extensions": None}

    status, answer = await post_raw(api, graphql_json(body))

    assert (status, answer) == (200, {"data": {"me": None}})


def graphql_json(body: dict[str, Any]) -> bytes:
    return orjson.dumps(body)


# --- defect 2: size and token caps, the parse cache ---------------------------------------------


def padded(query: str, size: int) -> str:
    """`query` followed by spaces up to exactly `size` bytes (no extra tokens)."""
    return query + " " * (size - len(query.encode()))


async def test_defect_2_a_document_over_the_size_cap_is_refused_before_parsing(
    api: Api, parses: list[str]
) -> None:
    user = await sign_up(api)
    parses.clear()
    over = padded("query Me { me { id } }", MAX_QUERY_BYTES + 1)

    for token in (None, user.token):
        status, answer = await post_raw(api, graphql_json({"query": over}), token)

        assert status == 400, answer
        assert answer == {
            "data": None,
            "errors": [
                {
                    "message": f"The document exceeds {MAX_QUERY_BYTES} bytes.",
                    "extensions": {"code": "BAD_USER_INPUT", "field": "query"},
                }
            ],
        }
    assert parses == []
    assert len(document_cache.documents) == 0


async def test_defect_2_a_document_of_exactly_the_size_cap_is_answered(api: Api) -> None:
    user = await sign_up(api)
    exactly = padded("query Me { me { id } }", MAX_QUERY_BYTES)

    data = await api.gql(exactly, user.token)

    assert data == {"me": {"id": user.id}}


async def test_defect_2_the_size_cap_counts_utf8_bytes(api: Api) -> None:
    # 40,000 three-byte characters in a comment: 120,000 bytes, fewer characters than the cap.
    query = "query Me { me { id } } #" + "€" * 40_000
    assert len(query) < MAX_QUERY_BYTES < len(query.encode())

    status, answer = await post_raw(api, graphql_json({"query": query}))

    assert status == 400, answer
    assert answer["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "query"}


async def test_defect_2_the_size_cap_is_a_setting(make_api: Any) -> None:
    async with make_api(max_query_bytes=64) as api:
        status, answer = await post_raw(api, graphql_json({"query": padded(ME, 65)}))
        assert status == 400, answer
        assert answer["errors"][0]["message"] == "The document exceeds 64 bytes."
        assert (await api.gql(padded(ME, 64))) == {"me": None}


async def test_defect_2_a_document_of_too_many_tokens_is_bad_input(
    api: Api, parses: list[str]
) -> None:
    user = await sign_up(api)
    # Each alias `aN: me { id }` is 6 tokens; well under the byte cap.
    many = "query Many { " + " ".join(f"a{i}: me {{ id }}" for i in range(900)) + " }"
    assert len(many.encode()) < MAX_QUERY_BYTES

    body = await api.post(many, user.token)

    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "query"}, error
    assert f"more than {MAX_QUERY_TOKENS} tokens" in error["message"], error
    assert body.get("data") is None
    assert len(document_cache.documents) == 0


async def test_defect_2_the_token_limit_is_a_setting(make_api: Any) -> None:
    async with make_api(max_query_tokens=8) as api:
        # `{ me { id } }` is 6 tokens; `query Me { me { id name } }` is 9.
        body = await api.post("{ me { id } }")
        assert body == {"data": {"me": None}}
        error = await api.gql_error("query Me { me { id name } }")
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "query"}, error


async def test_defect_2_anonymous_documents_are_not_cached(api: Api, parses: list[str]) -> None:
    user = await sign_up(api)
    parses.clear()
    query = "query Anonymous { me { id } }"

    for _ in range(3):
        assert await api.gql(query) == {"me": None}

    assert parses == [query] * 3
    assert len(document_cache.documents) == 0
    # An authenticated caller's document is parsed once, then found in the cache.
    for _ in range(3):
        assert await api.gql(query, user.token) == {"me": {"id": user.id}}
    assert parses == [query] * 4
    assert len(document_cache.documents) == 1


async def test_defect_2_the_parse_cache_stays_within_its_byte_bound(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await sign_up(api)
    bound = 2 * 1024 * 1024
    monkeypatch.setattr(document_cache.documents, "max_bytes", bound)
    sizes = []

    for n in range(40):
        # ~700 tokens each: distinct documents of roughly 0.5 MB of AST.
        await api.gql(f"query Q{n} {{ me {{ {' id' * 700} }} }}", user.token)
        sizes.append(document_cache.documents.size_bytes)

    assert max(sizes) <= bound, sizes
    assert 0 < len(document_cache.documents) < 40
    # What the identity caches hold belongs to documents still in the parse cache.
    cached = set(map(id, document_cache.documents.cached_documents()))
    for cache in identity_cache.caches():
        for key in cache.cached_keys():
            owner = identity_cache.owner_of(key)
            assert owner is not None
            assert id(owner) in cached


async def test_defect_2_an_oversized_document_is_never_cached(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await sign_up(api)
    monkeypatch.setattr(document_cache.documents, "max_bytes", 64 * 1024)
    big = "query Big { me {" + " id" * 400 + " } }"

    assert await api.gql(big, user.token) == {"me": {"id": user.id}}

    assert len(document_cache.documents) == 0
    assert all(not list(cache.cached_keys()) for cache in identity_cache.caches())


# --- email --------------------------------------------------------------------------------------


@pytest.mark.parametrize("email", ["a@b.co\n", "a@b.co\nx", "\ta@b.co", "a@b.co\r\n"])
async def test_an_email_with_a_line_break_or_tab_is_bad_input(api: Api, email: str) -> None:
    error = await api.gql_error(SIGN_UP, email=email, password=PASSWORD)
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "email"}, error
    assert await User.all().count() == 0

    await sign_up(api, email="a@b.co")
    error = await api.gql_error(LOG_IN, email=email, password=PASSWORD)
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "email"}, error


async def test_surrounding_spaces_in_an_email_are_still_trimmed(api: Api) -> None:
    await sign_up(api, email="  Mixed@Example.com ")

    data = await api.gql(LOG_IN, email="mixed@example.com ", password=PASSWORD)

    assert data["logIn"]["token"]
