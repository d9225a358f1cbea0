"""PostgreSQL round trips: a read costs one round trip per statement (no pool reset between)."""

from typing import Any

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
