"""Query safety: depth and alias limits, body size, and request errors in the contract's shape.

Depth is counted as in graphql-depth-limit (and strawberry's QueryDepthLimiter): root fields
are at depth 0, so `{ me { id } }` has depth 1.
"""

from collections.abc import AsyncIterator
from typing import Any

from models import Project, Scene
from tests.helpers import Api, User, add_scene, create_project, create_storyboard, sign_up

CODES = {
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "NOT_FOUND",
    "BAD_USER_INPUT",
    "CONFLICT",
    "RATE_LIMITED",
    "INTERNAL",
}
MAX_BODY = 1024 * 1024


def nested_scene_selection(depth: int) -> str:
    """`storyboard { scenes { storyboard ... { id } } }` whose leaf `id` is at `depth`."""
    selection = "id"
    for level in range(depth - 1, 0, -1):
        field = "storyboard" if level % 2 else "scenes"
        inner = "id" if selection == "id" else f"id {selection}"
        selection = f"{field} {{ {inner} }}"
    return selection


def nested_scene_query(depth: int) -> str:
    return f"query Deep($id: ID!) {{ scene(id: $id) {{ id {nested_scene_selection(depth)} }} }}"


def aliased_me_query(count: int) -> str:
    return "query Aliases { " + " ".join(f"a{i}: me {{ id }}" for i in range(count)) + " }"


# Depth 12, and cheap: walking up and along pages of one (scenes { storyboard { scenes … } }
# grows 1,000-fold per level and is refused by the cost limit: tests/api/test_hardening_core.py).
DEPTH_12 = """
query Deep($id: ID!) {
  scene(id: $id) { id storyboard { id project { storyboards(first: 1) { edges { node {
    project { storyboards(first: 1) { edges { node { project { owner { id } } } } } } } } } } } }
}
"""
DEPTH_13 = nested_scene_query(13)
DEPTH_13_THROUGH_FRAGMENTS = """
query DeepFragments($id: ID!) { scene(id: $id) { ...S1 } }
fragment S1 on Scene { storyboard { ...B2 } }
fragment B2 on Storyboard { scenes { ...S3 } }
fragment S3 on Scene { storyboard { scenes { storyboard { scenes { ...S7 } } } } }
fragment S7 on Scene { storyboard { scenes { storyboard { scenes { ...S11 } } } } }
fragment S11 on Scene { storyboard { scenes { id } } }
"""
ADD_SCENE_DEPTH_13 = (
    "mutation DeepAdd($storyboardId: ID!) { addScene(storyboardId: $storyboardId, "
    'input: {visualDescription: "Deep"}) { ' + nested_scene_selection(13) + " } }"
)
ALIASES_50 = aliased_me_query(50)
ALIASES_51 = aliased_me_query(51)
CREATE_PROJECTS_51 = (
    "mutation ManyProjects { "
    + " ".join(f'p{i}: createProject(input: {{title: "P{i}"}}) {{ id }}' for i in range(51))
    + " }"
)
ME = "query Me { me { id } }"
SYNTAX_ERROR = "query Broken { me { id }"
UNKNOWN_FIELD = "query Unknown { me { id nope } }"
PAGE_SIZE_VARIABLE = """
query Projects($pageSize: Int) { me { projects(first: $pageSize) { totalCount } } }
"""
REQUIRED_VARIABLE = "query Project($projectId: ID!) { project(id: $projectId) { id } }"
INPUT_VARIABLE = """
mutation CreateProject($projectInput: CreateProjectInput!) {
  createProject(input: $projectInput) { id }
}
"""
LITERAL_OF_WRONG_TYPE = 'query Projects { me { projects(first: "ten") { totalCount } } }'


def coded_errors(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The body's errors; each must carry a contract code (and a field when BAD_USER_INPUT)."""
    errors: list[dict[str, Any]] = body.get("errors") or []
    for error in errors:
        extensions = error.get("extensions") or {}
        assert extensions.get("code") in CODES, error
        if extensions["code"] == "BAD_USER_INPUT":
            assert isinstance(extensions.get("field"), str), error
            assert extensions["field"], error
    return errors


def single_bad_input(body: dict[str, Any]) -> dict[str, Any]:
    """Exactly one BAD_USER_INPUT error and nothing executed."""
    errors = coded_errors(body)
    assert len(errors) == 1, body
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT", body
    assert body.get("data") is None, body
    return errors[0]


async def scene_in_storyboard(api: Api) -> tuple[User, str, str]:
    user = await sign_up(api)
    storyboard_id = await create_storyboard(api, user, await create_project(api, user))
    scene_id = await add_scene(api, user, storyboard_id)
    return user, storyboard_id, scene_id


# --- depth --------------------------------------------------------------------------------------


async def test_a_query_of_depth_13_is_refused_before_execution(api: Api) -> None:
    user, _, scene_id = await scene_in_storyboard(api)

    body = await api.post(DEPTH_13, user.token, id=scene_id)

    error = single_bad_input(body)
    assert "depth" in error["message"]


async def test_a_query_of_depth_12_is_answered(api: Api) -> None:
    user, storyboard_id, scene_id = await scene_in_storyboard(api)

    body = await api.post(DEPTH_12, user.token, id=scene_id)

    assert coded_errors(body) == []
    scene = body["data"]["scene"]
    assert scene["id"] == scene_id
    assert scene["storyboard"]["id"] == storyboard_id
    node = scene["storyboard"]["project"]["storyboards"]["edges"][0]["node"]
    node = node["project"]["storyboards"]["edges"][0]["node"]
    assert node["project"]["owner"]["id"] == user.id  # the leaf, at depth 12


async def test_depth_through_fragments_counts_too(api: Api) -> None:
    user, _, scene_id = await scene_in_storyboard(api)

    body = await api.post(DEPTH_13_THROUGH_FRAGMENTS, user.token, id=scene_id)

    single_bad_input(body)


async def test_a_too_deep_mutation_is_not_executed(api: Api) -> None:
    user, storyboard_id, _ = await scene_in_storyboard(api)

    body = await api.post(ADD_SCENE_DEPTH_13, user.token, storyboardId=storyboard_id)

    single_bad_input(body)
    assert await Scene.all().count() == 1


# --- aliases ------------------------------------------------------------------------------------


async def test_51_aliases_are_refused(api: Api) -> None:
    user = await sign_up(api)

    body = await api.post(ALIASES_51, user.token)

    error = single_bad_input(body)
    assert "alias" in error["message"].lower()


async def test_50_aliases_are_answered(api: Api) -> None:
    user = await sign_up(api)

    body = await api.post(ALIASES_50, user.token)

    assert coded_errors(body) == []
    assert body["data"] == {f"a{i}": {"id": user.id} for i in range(50)}


async def test_a_mutation_with_51_aliases_creates_nothing(api: Api) -> None:
    user = await sign_up(api)

    body = await api.post(CREATE_PROJECTS_51, user.token)

    single_bad_input(body)
    assert await Project.all().count() == 0


# --- body size ----------------------------------------------------------------------------------


def padded_body(size: int) -> bytes:
    """A valid GraphQL request of exactly `size` bytes (padding in an unused variable)."""
    head = b'{"query": "query Me { me { id } }", "variables": {"pad": "'
    tail = b'"}}'
    return head + b"x" * (size - len(head) - len(tail)) + tail


async def test_a_body_over_one_mib_is_refused_with_413(api: Api) -> None:
    body = padded_body(MAX_BODY + 1)

    response = await api.client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )

    assert response.status_code == 413


async def test_a_body_of_exactly_one_mib_is_accepted(api: Api) -> None:
    body = padded_body(MAX_BODY)
    assert len(body) == MAX_BODY

    response = await api.client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )

    assert response.status_code == 200, response.text
    assert response.json() == {"data": {"me": None}}


async def test_a_chunked_body_over_one_mib_is_refused_with_413(api: Api) -> None:
    body = padded_body(MAX_BODY + 1)
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 64 * 1024):
            chunk = body[start : start + 64 * 1024]
            sent.append(len(chunk))
            yield chunk

    request = api.client.build_request(
        "POST", "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )
    assert "content-length" not in request.headers
    assert request.headers["transfer-encoding"] == "chunked"
    response = await api.client.send(request)

    assert response.status_code == 413


async def test_a_small_chunked_body_is_answered(api: Api) -> None:
    user = await sign_up(api)
    body = padded_body(200 * 1024)

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 16 * 1024):
            yield body[start : start + 16 * 1024]

    request = api.client.build_request(
        "POST",
        "/graphql",
        content=chunks(),
        headers={"content-type": "application/json", "authorization": f"Bearer {user.token}"},
    )
    assert "content-length" not in request.headers
    response = await api.client.send(request)

    assert response.status_code == 200, response.text
    assert response.json() == {"data": {"me": {"id": user.id}}}


# --- request errors -----------------------------------------------------------------------------


async def test_a_syntax_error_is_bad_input(api: Api) -> None:
    body = await api.post(SYNTAX_ERROR)

    error = single_bad_input(body)
    assert "Syntax Error" in error["message"]


async def test_an_unknown_field_is_bad_input(api: Api) -> None:
    user = await sign_up(api)

    body = await api.post(UNKNOWN_FIELD, user.token)

    error = single_bad_input(body)
    assert error["extensions"]["field"] == "nope"


async def test_a_variable_of_the_wrong_type_names_the_variable(api: Api) -> None:
    user = await sign_up(api)

    body = await api.post(PAGE_SIZE_VARIABLE, user.token, pageSize="ten")

    error = single_bad_input(body)
    assert error["extensions"]["field"] == "pageSize"


async def test_a_missing_required_variable_names_the_variable(api: Api) -> None:
    user = await sign_up(api)

    body = await api.post(REQUIRED_VARIABLE, user.token)

    error = single_bad_input(body)
    assert error["extensions"]["field"] == "projectId"


async def test_an_input_variable_with_a_bad_member_names_that_member(api: Api) -> None:
    user = await sign_up(api)

    body = await api.post(INPUT_VARIABLE, user.token, projectInput={"title": 5})

    error = single_bad_input(body)
    assert error["extensions"]["field"] == "title"
    assert await Project.all().count() == 0


async def test_a_literal_argument_of_the_wrong_type_names_the_argument(api: Api) -> None:
    user = await sign_up(api)

    body = await api.post(LITERAL_OF_WRONG_TYPE, user.token)

    error = single_bad_input(body)
    assert error["extensions"]["field"] == "first"


async def test_execution_errors_carry_codes_too(api: Api) -> None:
    user = await sign_up(api)

    body = await api.post(ME, "not-a-token")
    assert [e["extensions"]["code"] for e in coded_errors(body)] == ["UNAUTHENTICATED"]

    body = await api.post(PAGE_SIZE_VARIABLE, user.token, pageSize=0)
    errors = coded_errors(body)
    assert [(e["extensions"]["code"], e["extensions"]["field"]) for e in errors] == [
        ("BAD_USER_INPUT", "first")
    ]


async def test_a_body_that_is_not_graphql_gets_a_coded_error(api: Api) -> None:
    for body in (b"not json", b'{"variables": {}}'):
        response = await api.client.post(
            "/graphql", content=body, headers={"Content-Type": "application/json"}
        )

        assert response.status_code == 400
        (error,) = response.json()["errors"]
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "body"}
