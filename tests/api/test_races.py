"""When PostgreSQL breaks a deadlock (or a serialization conflict) by aborting one transaction:
`deleteProject`, which locks the project before the rows below it while a change below it locks
its own row before the project's, runs again when it is the one aborted; any operation that is
aborted so gets CONFLICT ("try again"), not INTERNAL — nothing of it was kept."""

import asyncio
import uuid

import asyncpg
import pytest
from graphql import GraphQLError
from tortoise.exceptions import OperationalError

from resolvers.errors import RACE_MESSAGE, contract_error
from services.db import lost_a_race
from tests.conftest import POSTGRES
from tests.helpers import Api, add_scene, create_project, create_storyboard, sign_up

DELETE_PROJECT = "mutation($id: ID!) { deleteProject(id: $id) }"


def aborted(error: type[asyncpg.PostgresError]) -> OperationalError:
    """What Tortoise raises for a statement PostgreSQL aborted with `error`."""
    try:
        try:
            raise error("aborted by the server")
        except asyncpg.PostgresError as exc:
            raise OperationalError(exc) from exc
    except OperationalError as wrapped:
        return wrapped


@pytest.mark.parametrize(
    "error", [asyncpg.exceptions.DeadlockDetectedError, asyncpg.exceptions.SerializationError]
)
def test_an_operation_aborted_to_break_a_race_is_a_conflict_to_retry(
    error: type[asyncpg.PostgresError],
) -> None:
    raised = GraphQLError("deadlock detected", path=["updateScene"], original_error=aborted(error))
    shaped = contract_error(raised)
    assert shaped.message == RACE_MESSAGE
    assert shaped.extensions == {"code": "CONFLICT"}


def test_other_database_faults_are_not_races() -> None:
    assert not lost_a_race(aborted(asyncpg.exceptions.UniqueViolationError))
    assert not lost_a_race(RuntimeError("boom"))
    assert not lost_a_race(None)
    shaped = contract_error(
        GraphQLError("x", path=["updateScene"], original_error=aborted(asyncpg.DataError))
    )
    assert shaped.extensions == {"code": "INTERNAL"}


@pytest.mark.skipif(not POSTGRES, reason="PostgreSQL's row locks and deadlock detection")
async def test_delete_project_runs_again_when_it_is_the_deadlock_victim(
    api: Api, database_url: str
) -> None:
    user = await sign_up(api)
    title = f"race-{uuid.uuid4().hex[:8]}"
    project = await create_project(api, user, title=title)
    await add_scene(api, user, await create_storyboard(api, user, project))
    raw = await asyncpg.connect(database_url)
    try:
        row = await raw.fetchrow(
            "SELECT p.id AS project, s.id AS scene FROM projects p "
            "JOIN storyboards b ON b.project_id = p.id JOIN scenes s ON s.storyboard_id = b.id "
            "WHERE p.title = $1",
            title,
        )
        assert row is not None
        async with raw.transaction():
            # This side waits longer before it looks for a deadlock: the delete (the server's
            # 1 s) finds it first and is the one aborted.
            await raw.execute("SET LOCAL deadlock_timeout = '10s'")
            # A change below the project: its own row first...
            await raw.execute("SELECT 1 FROM scenes WHERE id = $1 FOR UPDATE", row["scene"])
            deleting = asyncio.create_task(api.post(DELETE_PROJECT, user.token, id=project))
            # ...while the delete, holding the project's row, waits for the scene's...
            for _ in range(500):
                if await raw.fetchval("SELECT count(*) FROM pg_locks WHERE NOT granted"):
                    break
                await asyncio.sleep(0.02)
            else:
                raise AssertionError("the delete never waited for the scene's row")
            # ...then the project's row: a deadlock.
            await raw.execute(
                "UPDATE projects SET updated_at = now() WHERE id = $1", row["project"]
            )
        body = await deleting
        assert await raw.fetchval("SELECT count(*) FROM projects WHERE title = $1", title) == 0
    finally:
        await raw.close()
    assert body == {"data": {"deleteProject": True}}
