"""search: every word, the last as a prefix, ranked by the database, the caller's text only."""

from typing import Any

import pytest
from tortoise import connections

from services import search_index
from services.search_index import SEARCHED
from tests.conftest import POSTGRES
from tests.helpers import (
    Api,
    StatementCounter,
    User,
    add_scene,
    create_project,
    create_storyboard,
    sign_up,
)

SEARCH = """
query Search($query: String!, $projectId: ID, $first: Int, $after: String) {
  search(query: $query, projectId: $projectId, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        score snippet
        node {
          __typename
          ... on Project { id title }
          ... on Storyboard { id title }
          ... on Scene { id script }
        }
      }
    }
  }
}
"""
UPDATE_SCENE = """
mutation UpdateScene($id: ID!, $input: UpdateSceneInput!) {
  updateScene(id: $id, input: $input) { id }
}
"""
DELETE_SCENE = "mutation DeleteScene($id: ID!) { deleteScene(id: $id) { id } }"
DELETE_PROJECT = "mutation DeleteProject($id: ID!) { deleteProject(id: $id) }"
UPDATE_PROJECT = """
mutation UpdateProject($id: ID!, $input: UpdateProjectInput!) {
  updateProject(id: $id, input: $input) { id }
}
"""

# The fixed corpus: scene scripts, distinct enough that both databases rank them alike.
CORPUS = [
    "lighthouse lighthouse lighthouse keeper",
    "lighthouse keeper walks home",
    "an old keeper sees a lighthouse far away across the bay tonight",
    "a keeper of bees",
]


async def plant(api: Api, user: User, title: str = "Coastal film") -> tuple[str, str, list[str]]:
    project_id = await create_project(api, user, title=title)
    storyboard_id = await create_storyboard(api, user, project_id, title="Cut A", brief="Waves.")
    scene_ids = []
    for script in CORPUS:
        scene_id = await add_scene(api, user, storyboard_id, description="Shot.")
        await api.gql(UPDATE_SCENE, user.token, id=scene_id, input={"script": script})
        scene_ids.append(scene_id)
    return project_id, storyboard_id, scene_ids


async def post(api: Api, token: str | None, **variables: Any) -> dict[str, Any]:
    """`Api.post` takes the document as `query`: the variable of that name goes in by hand."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await api.client.post(
        "/graphql", json={"query": SEARCH, "variables": variables}, headers=headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def search(api: Api, user: User, query: str, **variables: Any) -> dict[str, Any]:
    body = await post(api, user.token, query=query, **variables)
    assert "errors" not in body, body
    found: dict[str, Any] = body["data"]["search"]
    return found


async def search_error(api: Api, token: str | None, **variables: Any) -> dict[str, Any]:
    body = await post(api, token, **variables)
    assert len(body.get("errors") or []) == 1, body
    error: dict[str, Any] = body["errors"][0]
    return error


def hits(found: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["node"]["node"]["__typename"], e["node"]["node"]["id"]) for e in found["edges"]]


async def test_hits_come_best_first_with_the_matching_text(api: Api) -> None:
    user = await sign_up(api)
    _, _, scenes = await plant(api, user)

    found = await search(api, user, "lighthouse")

    # Same order and snippets on SQLite (FTS5 bm25/snippet) and PostgreSQL (ts_rank/headline).
    assert hits(found) == [("Scene", scenes[0]), ("Scene", scenes[1]), ("Scene", scenes[2])]
    assert [e["node"]["snippet"] for e in found["edges"]] == [
        "lighthouse lighthouse lighthouse keeper",
        "lighthouse keeper walks home",
        "an old keeper sees a lighthouse far away across the bay tonight",
    ]
    scores = [e["node"]["score"] for e in found["edges"]]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > scores[1] > scores[2] > 0
    assert found["totalCount"] == 3
    assert found["pageInfo"]["hasNextPage"] is False


async def test_every_word_must_match_and_the_last_is_a_prefix(api: Api) -> None:
    user = await sign_up(api)
    _, _, scenes = await plant(api, user)

    assert hits(await search(api, user, "lighthouse bay")) == [("Scene", scenes[2])]
    assert hits(await search(api, user, "keeper walks ho")) == [("Scene", scenes[1])]
    assert hits(await search(api, user, "LIGHTHO")) == hits(await search(api, user, "lighthouse"))
    assert set(hits(await search(api, user, "kee"))) == {("Scene", s) for s in scenes}
    # Only the last word is a prefix.
    assert (await search(api, user, "ligh keeper"))["totalCount"] == 0
    assert (await search(api, user, "lighthouse submarine"))["totalCount"] == 0


async def test_every_kind_of_node_is_found(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user, title="Orchid project", description="Flowers.")
    storyboard_id = await create_storyboard(
        api, user, project_id, title="Cut", brief="An orchid brief."
    )
    scene_id = await add_scene(api, user, storyboard_id, description="An orchid in the rain.")

    found = await search(api, user, "orchid")

    assert sorted(hits(found)) == sorted(
        [("Project", project_id), ("Storyboard", storyboard_id), ("Scene", scene_id)]
    )
    by_type = {e["node"]["node"]["__typename"]: e["node"] for e in found["edges"]}
    assert by_type["Project"]["node"]["title"] == "Orchid project"
    # SQLite's snippet is of the best-matching column, PostgreSQL's headline of them all.
    assert by_type["Project"]["snippet"].startswith("Orchid project")
    assert by_type["Storyboard"]["snippet"] in ("An orchid brief.", "Cut An orchid brief.")
    assert by_type["Scene"]["snippet"] == "An orchid in the rain."


async def test_another_users_text_is_never_found(api: Api) -> None:
    a = await sign_up(api)
    b = await sign_up(api)
    a_project, _, a_scenes = await plant(api, a)
    _, _, b_scenes = await plant(api, b)

    a_found = await search(api, a, "keeper")
    b_found = await search(api, b, "keeper")
    b_in_a_project = await search(api, b, "keeper", projectId=a_project)

    assert {node_id for _, node_id in hits(a_found)} == set(a_scenes)
    assert {node_id for _, node_id in hits(b_found)} == set(b_scenes)
    assert b_in_a_project == {
        "totalCount": 0,
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "edges": [],
    }


async def test_project_id_keeps_the_search_to_one_project(api: Api) -> None:
    user = await sign_up(api)
    first, _, first_scenes = await plant(api, user, title="First")
    _, _, second_scenes = await plant(api, user, title="Second")

    everywhere = await search(api, user, "bees")
    in_first = await search(api, user, "bees", projectId=first)

    assert {node_id for _, node_id in hits(everywhere)} == {first_scenes[3], second_scenes[3]}
    assert hits(in_first) == [("Scene", first_scenes[3])]


async def test_pages_follow_the_cursor(api: Api) -> None:
    user = await sign_up(api)
    await plant(api, user)
    whole = await search(api, user, "keeper", first=100)

    seen, after = [], None
    while True:
        page = await search(api, user, "keeper", first=1, after=after)
        assert page["totalCount"] == 4
        seen += hits(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
        assert after == page["edges"][-1]["cursor"]
    past_the_end = await search(api, user, "keeper", after=page["pageInfo"]["endCursor"])

    assert len(whole["edges"]) == 4
    assert seen == hits(whole)
    assert (past_the_end["totalCount"], past_the_end["edges"]) == (4, [])


async def test_the_index_changes_with_the_row(api: Api) -> None:
    user = await sign_up(api)
    project_id, _, scenes = await plant(api, user)

    await api.gql(UPDATE_SCENE, user.token, id=scenes[3], input={"script": "a keeper of wasps"})
    assert hits(await search(api, user, "wasps")) == [("Scene", scenes[3])]
    assert (await search(api, user, "bees"))["totalCount"] == 0

    await api.gql(DELETE_SCENE, user.token, id=scenes[3])
    assert (await search(api, user, "wasps"))["totalCount"] == 0

    await api.gql(UPDATE_PROJECT, user.token, id=project_id, input={"title": "Harbour film"})
    assert hits(await search(api, user, "harbour")) == [("Project", project_id)]

    await api.gql(DELETE_PROJECT, user.token, id=project_id)
    assert (await search(api, user, "keeper"))["totalCount"] == 0
    assert (await search(api, user, "harbour"))["totalCount"] == 0


@pytest.mark.parametrize(
    "query",
    [
        "keeper:*",
        "keeper & !bees",
        "keeper | bees",
        'keeper" OR "bees',
        "NEAR(keeper bees)",
        "keeper*",
        "'keeper'",
        "keeper\\",
        "script:keeper",
        "(keeper",
        "-bees keeper",
    ],
)
async def test_query_syntax_is_never_interpreted(api: Api, query: str) -> None:
    """Operators are not words: they are dropped, and what is left must all match."""
    user = await sign_up(api)
    _, _, scenes = await plant(api, user)

    found = await search(api, user, query)

    words = {w.strip("'\"*:()!&|\\-").lower() for w in query.replace(":", " ").split()}
    expected = {
        scene
        for scene, text in zip(scenes, CORPUS, strict=True)
        if all(any(t.startswith(w) for t in text.split()) for w in words if w)
    }
    assert {node_id for _, node_id in hits(found)} <= set(scenes)
    assert found["totalCount"] == len(hits(found))
    if "near" in words or "or" in words or "script" in words:
        assert hits(found) == []  # the operator's name is a word no text holds
    else:
        assert {node_id for _, node_id in hits(found)} == expected


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"query": ""}, "query"),
        ({"query": "a" * 201}, "query"),
        ({"query": "!!! ??? --"}, "query"),
        ({"query": "keeper", "first": 0}, "first"),
        ({"query": "keeper", "first": 101}, "first"),
        ({"query": "keeper", "after": "not-a-cursor"}, "after"),
        ({"query": "keeper", "projectId": "nope"}, "projectId"),
    ],
)
async def test_bad_input_is_refused(api: Api, variables: dict[str, Any], field: str) -> None:
    user = await sign_up(api)

    error = await search_error(api, user.token, **variables)

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == field


async def test_a_snippet_is_at_most_200_characters(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    storyboard_id = await create_storyboard(api, user, project_id)
    long_words = " ".join(f"word{i:03}" for i in range(150))
    scene_id = await add_scene(api, user, storyboard_id, description=f"{long_words} comet end")

    found = await search(api, user, "comet")

    assert hits(found) == [("Scene", scene_id)]
    snippet = found["edges"][0]["node"]["snippet"]
    assert 0 < len(snippet) <= 200
    assert "comet" in snippet


async def test_the_longest_query_is_accepted(api: Api) -> None:
    user = await sign_up(api)
    await plant(api, user)

    assert (await search(api, user, "keeper " + "x" * 193))["totalCount"] == 0
    assert (await search(api, user, " " * 193 + "keeper"))["totalCount"] == 4


async def test_anonymous_and_jobs_only_callers_are_refused(api: Api) -> None:
    user = await sign_up(api)
    key = (
        await api.gql('mutation { createApiKey(name: "k", scopes: ["jobs"]) { key } }', user.token)
    )["createApiKey"]["key"]

    anonymous = await search_error(api, None, query="keeper")
    jobs_only = await search_error(api, key, query="keeper")

    assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"
    assert jobs_only["extensions"]["code"] == "FORBIDDEN"


async def test_statements_do_not_grow_with_the_hits(
    api: Api, count_statements: StatementCounter
) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user, title="Keeper project")
    await plant(api, user)
    with count_statements.measure() as small:
        few = await search(api, user, "keeper", first=100)
    for _ in range(3):
        await plant(api, user)
    with count_statements.measure() as large:
        many = await search(api, user, "keeper", first=100)

    assert (few["totalCount"], many["totalCount"]) == (5, 17)
    assert project_id in {node_id for _, node_id in hits(many)}
    # The search, then one read per kind of node found (projects, scenes); auth aside.
    assert len(large) == len(small)


@pytest.mark.skipif(POSTGRES, reason="the FTS5 tables are the embedded (SQLite) mode's")
async def test_an_embedded_database_made_before_search_gets_its_index_filled(api: Api) -> None:
    user = await sign_up(api)
    _, _, scenes = await plant(api, user)
    conn = connections.get("default")
    for searched in SEARCHED:  # as a database from before search existed
        await conn.execute_script(f"DROP TABLE {searched.fts}")

    await search_index.create_sqlite_indexes()  # what start-up runs

    assert hits(await search(api, user, "lighthouse bay")) == [("Scene", scenes[2])]
    assert (await search(api, user, "keeper"))["totalCount"] == 4
