"""The planned-read lane (schema.planned): a repeated planned query skips Strawberry's
per-operation machinery and answers exactly what the usual path answers — same bytes, same
errors, the rate limit counted once, metrics and the log line written.

`executions` counts the operations that went Strawberry's usual way (a spy on its
`Schema.execute`), so each test can tell which path answered.
"""

import dataclasses
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import strawberry

from schema import schema as app_schema
from services import metrics
from tests.api.test_rate_limits import assert_rate_limited, prefix
from tests.conftest import MakeApi
from tests.helpers import Api, User, add_scene, create_project, create_storyboard, sign_up


def fresh(document: str) -> str:
    """`document` as text no earlier test sent: the parse cache is the process's, so its first
    sight in a test is a first sight."""
    return f"{document} # {uuid.uuid4()}"


DASHBOARD = (
    "query Dashboard { me { projects(first: 20) { edges { node { id title status createdAt "
    "updatedAt storyboardCount progress { totalTasks completedTasks ratio } } } } } }"
)
PAGE = """
query Page($id: ID!, $first: Int) {
  project(id: $id) { id title storyboards(first: $first) { edges { node { id title
    scenes { id sceneNumber tasks { taskType completed } } } } totalCount } }
}
"""


@pytest.fixture
def executions(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The documents Strawberry's own Schema.execute ran (not the lane)."""
    seen: list[str | None] = []
    usual = strawberry.Schema.execute

    async def spy(self: Any, query: str | None, *args: Any, **kwargs: Any) -> Any:
        seen.append(query)
        return await usual(self, query, *args, **kwargs)

    monkeypatch.setattr(strawberry.Schema, "execute", spy)
    return seen


async def raw(api: Api, query: str, token: str | None, **variables: Any) -> tuple[int, bytes]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await api.client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    return response.status_code, response.content


async def world(api: Api) -> tuple[User, str]:
    user = await sign_up(api)
    project = await create_project(api, user, title="Lane")
    storyboard = await create_storyboard(api, user, project)
    for _ in range(3):
        await add_scene(api, user, storyboard)
    return user, project


def without_lane() -> Iterator[None]:
    app_schema.planned_lane = False
    try:
        yield
    finally:
        app_schema.planned_lane = True


async def test_a_repeated_planned_query_takes_the_lane_with_the_same_bytes(
    api: Api, executions: list[str | None]
) -> None:
    dashboard, page_query = fresh(DASHBOARD), fresh(PAGE)
    user, project = await world(api)
    executions.clear()
    first = await raw(api, dashboard, user.token)
    second = await raw(api, dashboard, user.token)
    page = [await raw(api, page_query, user.token, id=project, first=5) for _ in range(2)]
    # The first sight of each document goes the usual way; its repeat takes the lane.
    assert executions == [dashboard, page_query]
    assert first == second
    assert page[0] == page[1]
    assert first[0] == 200
    assert b'"title":"Lane"' in first[1]
    # And the usual path, asked again with the lane closed, answers the same bytes.
    for _ in without_lane():
        assert await raw(api, dashboard, user.token) == first
        assert await raw(api, page_query, user.token, id=project, first=5) == page[0]


async def test_anonymous_callers_mutations_and_unplanned_queries_go_the_usual_way(
    api: Api, executions: list[str | None]
) -> None:
    dashboard = fresh(DASHBOARD)
    user, project = await world(api)
    executions.clear()
    for _ in range(2):
        await api.post("query { __typename }")
        await api.post(dashboard)  # anonymous: `me` is null or an error, never the lane
        await api.gql(
            'mutation($id: ID!) { updateProject(id: $id, input: {title: "x"}) { id } }',
            user.token,
            id=project,
        )
        # Introspection: no read plan covers it.
        await api.gql("query Types { __schema { queryType { name } } }", user.token)
    assert len(executions) == 8


async def test_bad_variables_and_costly_pages_are_refused_as_usual(
    api: Api, executions: list[str | None]
) -> None:
    page_query = fresh(PAGE)
    user, project = await world(api)
    await api.gql(page_query, user.token, id=project, first=5)  # the document is now cached
    executions.clear()
    cases: list[dict[str, Any]] = [
        {"id": project, "first": "five"},
        {"id": project, "first": -1},
        {"id": None},
    ]
    answers = [await raw(api, page_query, user.token, **variables) for variables in cases]
    assert len(executions) == len(cases)  # none of them through the lane
    for _ in without_lane():
        assert [await raw(api, page_query, user.token, **v) for v in cases] == answers
    for status, body in answers:
        assert status == 200
        assert b'"BAD_USER_INPUT"' in body


async def test_the_rate_limit_counts_each_operation_once(
    make_api: MakeApi, executions: list[str | None]
) -> None:
    dashboard = fresh(DASHBOARD)
    async with make_api(rate_limit_per_minute=4, rate_limit_key_prefix=prefix()) as api:
        user = await sign_up(api)  # counts for the address, not the user
        answers = [await api.post(dashboard, user.token) for _ in range(5)]
    assert all("errors" not in answer for answer in answers[:4])
    (error,) = answers[4]["errors"]
    assert_rate_limited(error, 60)
    # 1st usual, 2nd-4th lane, 5th counted by the lane, refused by the usual path (once).
    assert executions.count(dashboard) == 2


def sample(name: str, **labels: str) -> float:
    return metrics.REGISTRY.get_sample_value(name, labels) or 0.0


async def test_the_lane_records_metrics_and_the_log_line(
    api: Api, executions: list[str | None], caplog: pytest.LogCaptureFixture
) -> None:
    dashboard = fresh(DASHBOARD)
    user, _ = await world(api)
    await api.gql(dashboard, user.token)
    before = sample(
        "storygraph_graphql_operations_total",
        operation="Dashboard",
        type="query",
        outcome="ok",
    )
    caplog.set_level("INFO", logger="storygraph.operations")
    await api.gql(dashboard, user.token)
    assert executions.count(dashboard) == 1
    after = sample(
        "storygraph_graphql_operations_total",
        operation="Dashboard",
        type="query",
        outcome="ok",
    )
    assert after == before + 1
    (line,) = [r for r in caplog.records if r.name == "storygraph.operations"]
    assert line.operation_name == "Dashboard"  # type: ignore[attr-defined]
    assert line.user_id == user.id  # type: ignore[attr-defined]
    assert line.outcome == "ok"  # type: ignore[attr-defined]


async def test_a_timed_out_plan_answers_as_the_usual_path(
    api: Api, executions: list[str | None]
) -> None:
    dashboard = fresh(DASHBOARD)
    user = await sign_up(api)
    graphql = api.app.state.graphql
    graphql.limits = dataclasses.replace(graphql.limits, timeout_seconds=1e-9)
    usual = await raw(api, dashboard, user.token)
    lane = await raw(api, dashboard, user.token)
    assert executions.count(dashboard) == 1
    assert lane == usual
    assert b"was stopped" in lane[1]
    assert b'"data":null' in lane[1]
