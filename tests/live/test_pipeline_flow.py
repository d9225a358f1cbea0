"""The partner flow end to end against a real uvicorn process (API.md 2.3).

A background-music channel's video job: the owner queues three jobs with a declared plan; a
partner (an API key) claims by priority, reports through the plan with details, uploads 20 music
tracks and 20 matching images (each image made from its track) linked to the job, out of order,
and completes it. The owner then sees every stage's duration, `Job.assets` in role then
orderIndex order, and `jobStats`.
"""

from typing import Any
from urllib.parse import urlsplit

import httpx

from tests.helpers import Api, User, create_project, sign_up
from tests.live.conftest import Server

PLAN = ["generating_music", "generating_images", "rendering", "ready_for_export"]
CREATE_API_KEY = """
mutation K($name: String!, $scopes: [String!]) {
  createApiKey(name: $name, scopes: $scopes) { key }
}
"""
CREATE_JOB = """
mutation J($input: CreateJobInput!) { createJob(input: $input) { id priority } }
"""
CLAIM = """
mutation C($kinds: [String!]!) { claimJob(kinds: $kinds, leaseSeconds: 300) { id attempts } }
"""
REPORT = """
mutation R($id: ID!, $progress: Int!, $stage: String, $details: JSON, $attempt: Int) {
  reportJobProgress(id: $id, progress: $progress, stage: $stage, details: $details,
                    attempt: $attempt) { stages { name status } }
}
"""
UPLOAD = """
mutation U($input: CreateAssetUploadInput!) {
  createAssetUpload(input: $input) { asset { id } uploadUrl method headers }
}
"""
COMPLETE_UPLOAD = "mutation U($id: ID!) { completeAssetUpload(id: $id) { id status } }"
COMPLETE = """
mutation D($id: ID!, $result: JSON, $attempt: Int) {
  completeJob(id: $id, result: $result, attempt: $attempt) { status }
}
"""
OWNER_VIEW = """
query O($id: ID!, $project: ID!) {
  job(id: $id) {
    status result
    stages { name status startedAt finishedAt durationMs details }
    assets { id role orderIndex status provider sources { id } job { id } }
  }
  project(id: $project) {
    jobStats {
      kind total byStatus { status count }
      stages { name count succeeded p50Ms maxMs }
      p50DurationMs
    }
  }
  me { jobs(kind: "music_video") { totalCount } }
}
"""
TRACKS = 20


async def put_bytes(server: Server, upload: dict[str, Any], data: bytes) -> None:
    # The URL names the configured PUBLIC_URL; the bytes go to this server.
    url = urlsplit(upload["uploadUrl"])
    target = f"{server.url}{url.path}?{url.query}" if url.query else f"{server.url}{url.path}"
    async with httpx.AsyncClient(trust_env=False, timeout=10) as client:
        response = await client.request(
            upload["method"], target, headers=upload["headers"], content=data
        )
    assert response.status_code < 300, response.text


async def produce(api: Api, server: Server, key: str, project: str, job: str, **fields: Any) -> str:
    data = fields.pop("data")
    upload = (
        await api.gql(
            UPLOAD,
            key,
            input={"projectId": project, "jobId": job, "sizeBytes": len(data), **fields},
        )
    )["createAssetUpload"]
    await put_bytes(server, upload, data)
    done = await api.gql(COMPLETE_UPLOAD, key, id=upload["asset"]["id"])
    assert done["completeAssetUpload"]["status"] == "READY"
    asset_id: str = upload["asset"]["id"]
    return asset_id


async def test_a_partner_runs_a_music_video_job_through_its_plan(
    server_a: Server, api_a: Api
) -> None:
    owner: User = await sign_up(api_a)
    project = await create_project(api_a, owner, title="Lo-fi channel")
    key = (
        await api_a.gql(
            CREATE_API_KEY, owner.token, name="render farm", scopes=["read", "write", "jobs"]
        )
    )["createApiKey"]["key"]
    jobs = [
        (
            await api_a.gql(
                CREATE_JOB,
                owner.token,
                input={
                    "projectId": project,
                    "kind": "music_video",
                    "stages": PLAN,
                    "priority": priority,
                    "idempotencyKey": f"video-{priority}",
                },
            )
        )["createJob"]
        for priority in (0, 5, -1)
    ]

    claimed = (await api_a.gql(CLAIM, key, kinds=["music_video"]))["claimJob"]
    assert claimed["id"] == jobs[1]["id"]
    job, attempt = claimed["id"], claimed["attempts"]

    await api_a.gql(
        REPORT,
        key,
        id=job,
        progress=5,
        stage="generating_music",
        details={"provider": "suno"},
        attempt=attempt,
    )
    tracks: dict[int, str] = {}
    for index in reversed(range(1, TRACKS + 1)):
        tracks[index] = await produce(
            api_a,
            server_a,
            key,
            project,
            job,
            kind="AUDIO",
            fileName=f"track-{index:02}.mp3",
            contentType="audio/mpeg",
            data=b"ID3" + bytes([index]) * 64,
            role="music_track",
            orderIndex=index,
            provider="suno",
            prompt=f"Calm lo-fi beat number {index}",
        )
    await api_a.gql(
        REPORT,
        key,
        id=job,
        progress=50,
        stage="generating_images",
        details={"provider": "flux", "tracks": TRACKS},
        attempt=attempt,
    )
    images: dict[int, str] = {}
    for index in [*range(2, TRACKS + 1, 2), *range(1, TRACKS + 1, 2)]:
        images[index] = await produce(
            api_a,
            server_a,
            key,
            project,
            job,
            kind="IMAGE",
            fileName=f"image-{index:02}.png",
            contentType="image/png",
            data=b"\x89PNG" + bytes([index]) * 64,
            role="background",
            orderIndex=index,
            provider="flux",
            sourceAssetIds=[tracks[index]],
        )
    stages = await api_a.gql(
        REPORT, key, id=job, progress=80, stage="rendering", details={"fps": 30}, attempt=attempt
    )
    assert [s["status"] for s in stages["reportJobProgress"]["stages"]] == [
        "SUCCEEDED",
        "SUCCEEDED",
        "RUNNING",
        "PENDING",
    ]
    await api_a.gql(REPORT, key, id=job, progress=95, stage="ready_for_export", attempt=attempt)
    done = await api_a.gql(COMPLETE, key, id=job, result={"export": "ok"}, attempt=attempt)
    assert done["completeJob"]["status"] == "SUCCEEDED"

    view = await api_a.gql(OWNER_VIEW, owner.token, id=job, project=project)

    finished = view["job"]
    assert (finished["status"], finished["result"]) == ("SUCCEEDED", {"export": "ok"})
    assert [(s["name"], s["status"]) for s in finished["stages"]] == [
        (name, "SUCCEEDED") for name in PLAN
    ]
    for stage in finished["stages"]:
        assert stage["startedAt"] is not None
        assert stage["finishedAt"] is not None
        assert isinstance(stage["durationMs"], int)
        assert stage["durationMs"] >= 0
    assert finished["stages"][0]["details"] == {"provider": "suno"}
    assert finished["stages"][1]["details"] == {"provider": "flux", "tracks": TRACKS}
    # Two batches of 20 uploads: the music and image stages took measurable time.
    assert finished["stages"][0]["durationMs"] > 0
    assert finished["stages"][1]["durationMs"] > 0

    assets = finished["assets"]
    assert [(a["role"], a["orderIndex"]) for a in assets] == [
        *(("background", i) for i in range(1, TRACKS + 1)),
        *(("music_track", i) for i in range(1, TRACKS + 1)),
    ]
    assert [a["id"] for a in assets] == [
        *(images[i] for i in range(1, TRACKS + 1)),
        *(tracks[i] for i in range(1, TRACKS + 1)),
    ]
    assert {a["status"] for a in assets} == {"READY"}
    assert {a["job"]["id"] for a in assets} == {job}
    for i, image in enumerate(assets[:TRACKS], 1):
        assert image["sources"] == [{"id": tracks[i]}]

    [stats] = view["project"]["jobStats"]
    assert (stats["kind"], stats["total"]) == ("music_video", 3)
    assert stats["byStatus"] == [
        {"status": "QUEUED", "count": 2},
        {"status": "SUCCEEDED", "count": 1},
    ]
    assert [(s["name"], s["count"], s["succeeded"]) for s in stats["stages"]] == [
        (name, 1, 1) for name in PLAN
    ]
    durations = {s["name"]: s["durationMs"] for s in finished["stages"]}
    assert [s["maxMs"] for s in stats["stages"]] == [durations[name] for name in PLAN]
    assert [s["p50Ms"] for s in stats["stages"]] == [durations[name] for name in PLAN]
    assert stats["p50DurationMs"] is not None
    assert view["me"]["jobs"]["totalCount"] == 3
