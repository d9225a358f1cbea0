"""Regression tests of the hardening issue's defect 15 (part): deleting what a stream follows ends
the stream with NOT_FOUND, over both WebSocket sub-protocols, instead of leaving it open forever.
"""

from typing import Any

import pytest

from tests.helpers import Api, User, create_project, create_storyboard, sign_up
from tests.live.clients import PROTOCOLS, Protocol, WsClient, ws_client
from tests.live.conftest import Server

JOB_PROGRESS = """
subscription JobProgress($jobId: ID!) { jobProgress(jobId: $jobId) { jobId seq status } }
"""
PROJECT_PROGRESS = """
subscription ProjectProgress($projectId: ID!) {
  projectProgress(projectId: $projectId) { totalTasks completedTasks }
}
"""
CREATE_JOB = """
mutation CreateJob($input: CreateJobInput!) { createJob(input: $input) { id seq status } }
"""
DELETE_PROJECT = "mutation DeleteProject($id: ID!) { deleteProject(id: $id) }"
DELETE_STORYBOARD = "mutation DeleteStoryboard($id: ID!) { deleteStoryboard(id: $id) }"
# Well inside the servers' 10 s quiet re-check: the end must come from the deletion itself.
WITHIN = 3.0


async def queued_job(api: Api, user: User, project_id: str, **extra: Any) -> str:
    data = await api.gql(
        CREATE_JOB,
        user.token,
        input={"projectId": project_id, "kind": "render.hardening", **extra},
    )
    job_id: str = data["createJob"]["id"]
    return job_id


async def ended_with_not_found(client: WsClient, op_id: str, field: str) -> None:
    """The operation's next frame is its one NOT_FOUND error (then `complete`, if data-framed)."""
    frame = await client.frame(WITHIN)
    assert frame.id == op_id, client.received
    assert len(frame.errors) == 1, frame
    [error] = frame.errors
    assert error["extensions"] == {"code": "NOT_FOUND", "field": field}, error
    if frame.type == "next":
        assert frame.payload.get("data") is None, frame
        complete = await client.frame(WITHIN)
        assert (complete.type, complete.id) == ("complete", op_id), client.received
    else:
        assert frame.type == "error", frame


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=str)
async def test_defect_15_delete_project_ends_its_job_and_project_streams(
    server_a: Server, api_a: Api, protocol: Protocol
) -> None:
    user = await sign_up(api_a)
    project_id = await create_project(api_a, user)
    job_id = await queued_job(api_a, user, project_id)
    async with (
        ws_client(server_a.url, protocol, user.token) as jobs,
        ws_client(server_a.url, protocol, user.token) as progress,
    ):
        job_op = await jobs.subscribe(JOB_PROGRESS, jobId=job_id)
        assert await jobs.next_value("jobProgress") == {
            "jobId": job_id,
            "seq": 1,
            "status": "QUEUED",
        }
        project_op = await progress.subscribe(PROJECT_PROGRESS, projectId=project_id)
        assert await progress.next_value("projectProgress") == {
            "totalTasks": 0,
            "completedTasks": 0,
        }

        assert (await api_a.gql(DELETE_PROJECT, user.token, id=project_id))["deleteProject"]

        await ended_with_not_found(jobs, job_op, "jobId")
        await ended_with_not_found(progress, project_op, "projectId")
        await jobs.quiet(0.3)
        await progress.quiet(0.3)


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=str)
async def test_defect_15_delete_storyboard_ends_the_streams_of_its_jobs(
    server_a: Server, api_a: Api, protocol: Protocol
) -> None:
    user = await sign_up(api_a)
    project_id = await create_project(api_a, user)
    storyboard_id = await create_storyboard(api_a, user, project_id)
    doomed = await queued_job(api_a, user, project_id, storyboardId=storyboard_id)
    kept = await queued_job(api_a, user, project_id)
    async with ws_client(server_a.url, protocol, user.token) as client:
        doomed_op = await client.subscribe(JOB_PROGRESS, jobId=doomed)
        assert (await client.next_value("jobProgress"))["jobId"] == doomed
        await client.subscribe(JOB_PROGRESS, jobId=kept)
        assert (await client.next_value("jobProgress"))["jobId"] == kept

        assert (await api_a.gql(DELETE_STORYBOARD, user.token, id=storyboard_id))[
            "deleteStoryboard"
        ]

        await ended_with_not_found(client, doomed_op, "jobId")
        # The project's other job, and its stream, live on.
        await client.quiet(0.5)
