"""Ended sessions on an open WebSocket: logOutEverywhere and changePassword end a session
token's subscriptions within seconds, and every later operation on the socket is
UNAUTHENTICATED (API.md 2.2)."""

import time

import pytest

from tests.helpers import PASSWORD, Api, create_project, sign_up
from tests.live.clients import PROTOCOLS, Frame, Protocol, ws_client
from tests.live.conftest import Server
from tests.live.test_hardening_ws import (
    PROJECT_PROGRESS,
    assert_single_error,
    next_operation_is_unauthenticated,
)

LOG_OUT_EVERYWHERE = "mutation { logOutEverywhere }"
CHANGE_PASSWORD = """
mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
  changePassword(currentPassword: $currentPassword, newPassword: $newPassword) { token }
}
"""
CREATE_API_KEY = "mutation CreateApiKey($name: String!) { createApiKey(name: $name) { key } }"


@pytest.mark.parametrize("how", ["logOutEverywhere", "changePassword"])
@pytest.mark.parametrize("protocol", PROTOCOLS, ids=str)
async def test_an_ended_session_stops_working_on_an_open_socket(
    server_a: Server, api_a: Api, protocol: Protocol, how: str
) -> None:
    user = await sign_up(api_a)
    project_id = await create_project(api_a, user)
    key = (await api_a.gql(CREATE_API_KEY, user.token, name="Dashboard"))["createApiKey"]["key"]

    async with (
        ws_client(server_a.url, protocol, user.token) as client,
        ws_client(server_a.url, protocol, key) as by_key,
    ):
        op_id = await client.subscribe(PROJECT_PROGRESS, projectId=project_id)
        assert (await client.next_value("projectProgress"))["totalTasks"] == 0
        key_op = await by_key.subscribe(PROJECT_PROGRESS, projectId=project_id)
        assert (await by_key.next_value("projectProgress"))["totalTasks"] == 0

        if how == "logOutEverywhere":
            assert await api_a.gql(LOG_OUT_EVERYWHERE, user.token) == {"logOutEverywhere": True}
            fresh = None
        else:
            changed = await api_a.gql(
                CHANGE_PASSWORD,
                user.token,
                currentPassword=PASSWORD,
                newPassword="another long password",
            )
            fresh = changed["changePassword"]["token"]
        started = time.monotonic()

        frame = await client.frame(wait=3)
        assert_single_error(frame, op_id, "UNAUTHENTICATED")
        assert time.monotonic() - started < 3
        assert await client.frame() == Frame("complete", op_id)
        await next_operation_is_unauthenticated(client, api_a, project_id, user.token)

        # API keys are untouched: the key's socket still subscribes.
        other = await by_key.subscribe(PROJECT_PROGRESS, projectId=project_id)
        assert (await by_key.next_value("projectProgress"))["totalTasks"] == 0
        assert other != key_op

    if fresh is not None:
        async with ws_client(server_a.url, protocol, fresh) as client:
            await client.subscribe(PROJECT_PROGRESS, projectId=project_id)
            assert (await client.next_value("projectProgress"))["totalTasks"] == 0
