"""What an open socket keeps once its subscription is parked (schema.parked): not the operation's
task, document text or variables, nor the connection_init payload (the credential was read
once). Memory per subscriber is the point (README); the app runs under a real uvicorn here."""

import asyncio
from typing import Any

import pytest

from schema.ws import GraphQLTransportWS, GraphQLWS
from services.settings import Settings
from tests.api.test_observability import serve, ws_base
from tests.api.test_websocket_entry import awaited_chain, socket_tasks
from tests.helpers import create_project, sign_up
from tests.live.clients import PROTOCOLS, TRANSPORT_WS, Protocol, ws_client

PROJECT_PROGRESS = "subscription($id: ID!) { projectProgress(projectId: $id) { totalTasks } }"


def handler_of(task: asyncio.Task[Any]) -> Any:
    """The Strawberry protocol handler the socket's ASGI task is running."""
    for coro in awaited_chain(task):
        owner = coro.cr_frame.f_locals.get("self")
        if isinstance(owner, GraphQLTransportWS | GraphQLWS):
            return owner
    raise AssertionError("no protocol handler in the socket's task")


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=str)
async def test_a_parked_subscription_keeps_no_document_variables_or_init_payload(
    settings: Settings, protocol: Protocol
) -> None:
    async with serve(settings) as api:
        user = await sign_up(api)
        project = await create_project(api, user)
        async with ws_client(ws_base(api), protocol, user.token) as client:
            op_id = await client.subscribe(PROJECT_PROGRESS, id=project)
            assert (await client.next_value("projectProgress")) == {"totalTasks": 0}
            [task] = socket_tasks()
            handler = handler_of(task)
            assert handler.context.connection_params is None
            assert handler.context.principal is not None  # read from it, then let go
            if protocol is TRANSPORT_WS:
                operation = handler.operations[op_id]
                assert operation.task is None
                assert (operation.query, operation.variables) == ("", None)
            else:
                assert handler.tasks[op_id] is None
            assert handler._fanout_sinks[op_id].parked is not None
            await client.stop(op_id)
