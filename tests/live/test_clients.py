"""Real clients against a real server: the GraphQL-over-HTTP spec's audit suite, Apollo Client,
the reference graphql-ws client (Node, tests/clients), and a partner on Python's `gql`.

The Node side lives in tests/clients (package.json, package-lock.json pinning every version, the
scripts); when these tests start it is copied to a temporary folder and installed there from
scratch by `npm ci`: node (20+) and npm must be on PATH, and the npm registry reachable.
"""

import asyncio
import json
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from gql import Client, GraphQLRequest, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXAsyncTransport
from gql.transport.websockets import WebsocketsTransport

from tests.helpers import Api, create_project, sign_up
from tests.live.conftest import Server

CLIENTS = Path(__file__).resolve().parents[1] / "clients"
RUN_TIMEOUT = 120.0


@pytest.fixture(scope="package")
def node_clients(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of tests/clients with its node_modules installed from scratch by `npm ci` (the
    lock's versions), in this run's own folder: runs side by side never share an install."""
    npm = shutil.which("npm")
    assert npm, "npm must be on PATH (Node 20 or later)"
    assert shutil.which("node"), "node must be on PATH (Node 20 or later)"
    here = tmp_path_factory.mktemp("clients")
    for source in CLIENTS.iterdir():
        if source.is_file():
            shutil.copy2(source, here / source.name)
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=here,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, f"npm ci failed in {here}:\n{done.stdout}\n{done.stderr}"
    return here


async def run_node(clients: Path, script: str, *args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        "node",
        script,
        *args,
        cwd=clients,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(), RUN_TIMEOUT)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    assert process.returncode is not None
    return process.returncode, output.decode()


def last_json(output: str) -> Any:
    return json.loads(output.strip().splitlines()[-1])


async def test_the_graphql_over_http_audit_passes_with_no_warning(
    node_clients: Path, server_a: Server, pytestconfig: pytest.Config
) -> None:
    code, output = await run_node(node_clients, "audit.mjs", f"{server_a.url}/graphql")

    # The suite's own report, in the test output whatever the outcome.
    report = f"\ngraphql-http serverAudits against {server_a.url}/graphql:\n{output}"
    capture = pytestconfig.pluginmanager.getplugin("capturemanager")
    if capture is None:
        sys.stdout.write(report)
    else:
        with capture.global_and_fixture_disabled():
            sys.stdout.write(report)
    summary = last_json(output)
    assert summary["warn"] == 0, output
    assert summary["error"] == 0, output
    assert summary["ok"] == summary["total"] > 50, output
    assert code == 0, output


async def test_apollo_client_normalises_persists_and_subscribes_over_http(
    node_clients: Path, server_a: Server, api_a: Api
) -> None:
    user = await sign_up(api_a)
    project = await create_project(api_a, user, title="Before Apollo")

    code, output = await run_node(
        node_clients, "apollo.mjs", f"{server_a.url}/graphql", user.token, project
    )

    assert code == 0, output
    seen = last_json(output)
    assert (seen["before"], seen["afterMutation"]) == ("Before Apollo", "Renamed by Apollo")
    assert seen["watched"] == ["Before Apollo", "Renamed by Apollo"]
    assert seen["node"] == {"__typename": "Project", "id": project, "title": "Renamed by Apollo"}
    assert seen["persisted"] == [
        {"method": "GET", "operation": "Project", "withDocument": False, "hashed": True}
    ]
    assert seen["events"][-1] == {"seq": 5, "status": "SUCCEEDED", "progress": 100}
    stored = await api_a.gql(
        "query J($id: ID!, $p: ID!) { job(id: $id) { status progress } project(id: $p) { title } }",
        user.token,
        id=seen["jobId"],
        p=project,
    )
    assert stored == {
        "job": {"status": "SUCCEEDED", "progress": 100},
        "project": {"title": "Renamed by Apollo"},
    }


async def test_the_reference_graphql_ws_client(
    node_clients: Path, server_a: Server, api_a: Api
) -> None:
    user = await sign_up(api_a)
    project = await create_project(api_a, user)

    code, output = await run_node(
        node_clients, "graphql-ws.mjs", f"{server_a.url}/graphql", user.token, project
    )

    assert code == 0, output
    seen = last_json(output)
    assert seen["query"] == {
        "me": {"id": user.id},
        "project": {"id": project, "__typename": "Project"},
    }
    assert [e["seq"] for e in seen["events"]] == [1, 2, 3, 4]
    assert seen["refused"]["code"] == 4403


# -- a partner on Python's gql ------------------------------------------------------------------

CREATE_API_KEY = gql(
    """
    mutation CreateApiKey($scopes: [String!]) {
      createApiKey(name: "render farm", scopes: $scopes) { key }
    }
    """
)
CREATE_JOB = gql(
    """
    mutation CreateJob($projectId: ID!, $kind: String!) {
      createJob(input: {projectId: $projectId, kind: $kind, payload: {frames: 48}}) { id }
    }
    """
)
CLAIM_JOB = gql(
    """
    mutation ClaimJob($kinds: [String!]!) {
      claimJob(kinds: $kinds, leaseSeconds: 120) { id attempts payload }
    }
    """
)
REPORT_JOB_PROGRESS = gql(
    """
    mutation ReportJobProgress($id: ID!, $progress: Int!, $attempt: Int) {
      reportJobProgress(id: $id, progress: $progress, stage: "render", attempt: $attempt) {
        seq progress
      }
    }
    """
)
COMPLETE_JOB = gql(
    """
    mutation CompleteJob($id: ID!, $attempt: Int) {
      completeJob(id: $id, result: {url: "s3://renders/out.mp4"}, attempt: $attempt) {
        status result
      }
    }
    """
)
JOB_PROGRESS = gql(
    """
    subscription JobProgress($jobId: ID!) {
      jobProgress(jobId: $jobId) { seq status progress stage }
    }
    """
)


def ask(request: GraphQLRequest, variables: dict[str, Any]) -> GraphQLRequest:
    return GraphQLRequest(request, variable_values=variables)


def http_client(server: Server, token: str) -> Client:
    transport = HTTPXAsyncTransport(
        url=f"{server.url}/graphql", headers={"Authorization": f"Bearer {token}"}
    )
    return Client(transport=transport)


@pytest.fixture
async def partner(server_a: Server, api_a: Api) -> tuple[str, str, str]:
    """(owner's session token, a jobs+read API key, the owner's project)."""
    user = await sign_up(api_a)
    project = await create_project(api_a, user)
    async with http_client(server_a, user.token) as session:
        created = await session.execute(ask(CREATE_API_KEY, {"scopes": ["read", "jobs"]}))
    return user.token, created["createApiKey"]["key"], project


async def test_a_partner_on_gql_claims_reports_and_completes_and_follows_over_websocket(
    server_a: Server, partner: tuple[str, str, str]
) -> None:
    token, key, project = partner
    kind = f"render.{uuid.uuid4().hex[:8]}"
    async with http_client(server_a, token) as owner:
        job = (await owner.execute(ask(CREATE_JOB, {"projectId": project, "kind": kind})))[
            "createJob"
        ]["id"]
    ws = WebsocketsTransport(
        url=f"{server_a.url.replace('http', 'ws', 1)}/graphql",
        init_payload={"Authorization": f"Bearer {key}"},
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
    )
    events: list[dict[str, Any]] = []
    following = asyncio.Event()

    async def follow() -> None:
        async with Client(transport=ws) as live:
            async for result in live.subscribe(ask(JOB_PROGRESS, {"jobId": job})):
                events.append(result["jobProgress"])
                following.set()

    follower = asyncio.create_task(follow())
    async with asyncio.timeout(10):
        await following.wait()
    async with http_client(server_a, key) as farm:
        claimed = (await farm.execute(ask(CLAIM_JOB, {"kinds": [kind]})))["claimJob"]
        assert (claimed["id"], claimed["payload"]) == (job, {"frames": 48})
        attempt = claimed["attempts"]
        for progress in (25, 75):
            await farm.execute(
                ask(REPORT_JOB_PROGRESS, {"id": job, "progress": progress, "attempt": attempt})
            )
        done = await farm.execute(ask(COMPLETE_JOB, {"id": job, "attempt": attempt}))
        # A second completion of the finished job: CONFLICT, as gql reports it.
        with pytest.raises(TransportQueryError) as refused:
            await farm.execute(ask(COMPLETE_JOB, {"id": job, "attempt": attempt}))
    async with asyncio.timeout(10):
        await follower

    assert done["completeJob"] == {"status": "SUCCEEDED", "result": {"url": "s3://renders/out.mp4"}}
    assert refused.value.errors is not None
    assert refused.value.errors[0]["extensions"]["code"] == "CONFLICT"
    assert [(e["seq"], e["status"], e["progress"]) for e in events] == [
        (1, "QUEUED", 0),
        (2, "RUNNING", 0),
        (3, "RUNNING", 25),
        (4, "RUNNING", 75),
        (5, "SUCCEEDED", 100),
    ]
