"""Queries over WebSocket: read plans answer there too, in text frames, exactly as over HTTP.

graphql-transport-ws carries queries as well as subscriptions (Strawberry's legacy graphql-ws
handler accepts subscriptions only).
"""

from tests.helpers import Api, add_scene, create_project, create_storyboard, sign_up
from tests.live.clients import TRANSPORT_WS, Frame, ws_client
from tests.live.conftest import Server

PROJECT_PAGE = """query ($id: ID!) { project(id: $id) { id title status createdAt updatedAt
    storyboardCount progress { totalTasks completedTasks ratio }
    storyboards(first: 5) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node {
        id referenceUrls createdAt
        scenes { id sceneNumber tasks { id taskType updatedAt } } } } } } }"""


async def test_a_query_over_websocket_answers_as_over_http(server_a: Server, api_a: Api) -> None:
    user = await sign_up(api_a)
    project_id = await create_project(api_a, user)
    storyboard_id = await create_storyboard(api_a, user, project_id)
    await add_scene(api_a, user, storyboard_id)
    over_http = await api_a.gql(PROJECT_PAGE, user.token, id=project_id)
    assert over_http["project"]["storyboards"]["edges"][0]["node"]["scenes"][0]["tasks"]

    async with ws_client(server_a.url, TRANSPORT_WS, user.token) as client:
        op_id = await client.subscribe(PROJECT_PAGE, id=project_id)
        frame = await client.frame()
        assert frame == Frame("next", op_id, {"data": over_http})
        assert await client.frame() == Frame("complete", op_id)
