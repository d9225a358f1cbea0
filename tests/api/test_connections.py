"""PostgreSQL round trips: a read costs one round trip per statement (no pool reset between)."""

import asyncio
from typing import Any

import asyncpg
import pytest
from tortoise import connections

from tests.conftest import POSTGRES
from tests.helpers import Api, StatementCounter, create_project, sign_up

DASHBOARD = """
query Dashboard { me { projects(first: 20) { edges { node { id title storyboardCount
  progress { totalTasks completedTasks ratio } } } } } }
"""


async def test_a_read_costs_one_round_trip_per_statement(
    api: Api, count_statements: StatementCounter
) -> None:
    if not POSTGRES:
        pytest.skip("asyncpg's pool")
    user = await sign_up(api)
    await create_project(api, user)
    pool: Any = connections.get("default")._pool
    sent: list[str] = []

    def logged(record: Any) -> None:
        sent.append(record.query)

    # Every connection the pool holds reports each query it sends to the server.
    held = [holder._con for holder in pool._holders if holder._con is not None]
    assert held
    for connection in held:
        connection.add_query_logger(logged)
    try:
        with count_statements.measure() as statements:
            for _ in range(3):
                await api.gql(DASHBOARD, user.token)
    finally:
        for connection in held:
            connection.remove_query_logger(logged)

    assert not [q for q in sent if "RESET ALL" in q or "pg_advisory_unlock_all" in q], sent
    # asyncpg introspects a type (uuid[]) once per connection, the first time it meets it.
    ours = [q for q in sent if "typeinfo_tree" not in q and "'jit'" not in q]
    assert len(ours) == len(statements), "\n".join(ours)


async def test_a_planned_read_takes_one_connection_for_all_its_statements(
    api: Api, count_statements: StatementCounter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The caller's row and every level of the dashboard: one pool acquire per request."""
    if not POSTGRES:
        pytest.skip("asyncpg's pool")
    user = await sign_up(api)
    await create_project(api, user)
    taken = [0]
    acquire = asyncpg.Pool.acquire

    def counted(pool: Any, *args: Any, **kwargs: Any) -> Any:
        taken[0] += 1
        return acquire(pool, *args, **kwargs)

    monkeypatch.setattr(asyncpg.Pool, "acquire", counted)
    api.forget_callers()
    with count_statements.measure() as statements:
        for _ in range(3):
            data = await api.gql(DASHBOARD, user.token)
            assert data["me"]["projects"]["edges"], data
    monkeypatch.undo()
    # The caller's row once (then services.callers has it); projects; counts + progress.
    assert len(statements) == 1 + 3 * 2, statements
    assert taken[0] == 3


async def test_unplanned_operations_let_the_connection_go_and_none_is_kept(
    api: Api,
) -> None:
    """A mutation runs its transaction on a connection of its own after the caller's row was
    read on the held one, which goes back first; many requests at once, more than the pool
    holds, all finish and leave every connection in the pool."""
    if not POSTGRES:
        pytest.skip("asyncpg's pool")
    user = await sign_up(api)
    project = await create_project(api, user)
    pool: Any = connections.get("default")._pool
    rename = """mutation($id: ID!, $t: String!) { updateProject(id: $id, input: {title: $t}) {
      id title } }"""
    # A read the plans do not cover (walking up to the owner) runs through graphql-core.
    unplanned = "query { me { id projects(first: 5) { edges { node { id owner { id } } } } } }"

    async def one(i: int) -> None:
        if i % 3 == 0:
            data = await api.gql(rename, user.token, id=project, t=f"t{i}")
            assert data["updateProject"]["title"] == f"t{i}", data
        elif i % 3 == 1:
            data = await api.gql(DASHBOARD, user.token)
            assert data["me"]["projects"]["edges"], data
        else:
            data = await api.gql(unplanned, user.token)
            assert data["me"]["id"], data

    await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(3 * pool._maxsize))), 60)
    assert pool._queue.qsize() == len(pool._holders)  # every connection back in the pool
