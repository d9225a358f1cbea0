"""Assets with provenance (API.md 2.3): role and order per owner, provider, prompt, parameters,
the producing job, ordered sources, reads at every level, idempotent uploads."""

import asyncio
from typing import Any

import pytest

from models import Asset, AssetSource, IdempotencyKey
from tests.helpers import Api, User, add_scene, create_project, create_storyboard, sign_up

UPLOAD = """
mutation Upload($input: CreateAssetUploadInput!) {
  createAssetUpload(input: $input) {
    asset {
      id role orderIndex provider providerRef prompt generationParams sizeBytes
      project { id } storyboard { id } scene { id } job { id kind } sources { id role }
    }
  }
}
"""
ASSET = """
query Asset($id: ID!) {
  asset(id: $id) {
    id role orderIndex provider providerRef prompt generationParams sizeBytes
    project { id } storyboard { id } scene { id } job { id kind } sources { id role }
  }
}
"""
DELETE_ASSET = "mutation D($id: ID!) { deleteAsset(id: $id) }"
DELETE_STORYBOARD = "mutation D($id: ID!) { deleteStoryboard(id: $id) }"
CREATE_JOB = """
mutation J($input: CreateJobInput!) { createJob(input: $input) { id } }
"""
JOB_ASSETS = "query J($id: ID!) { job(id: $id) { assets { id role orderIndex } } }"
LISTS = """
query Lists($p: ID!, $s: ID!, $kind: AssetKind, $role: String, $status: AssetStatus,
            $first: Int, $after: String) {
  project(id: $p) {
    assets(kind: $kind, role: $role, status: $status, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id } }
    }
  }
  storyboard(id: $s) {
    assets(kind: $kind, role: $role, status: $status, first: $first, after: $after) {
      totalCount edges { node { id } }
    }
  }
}
"""


def asset_input(project_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "projectId": project_id,
        "kind": "IMAGE",
        "fileName": "frame.png",
        "contentType": "image/png",
        "sizeBytes": 10,
        **fields,
    }


async def upload(api: Api, user: User, project_id: str, **fields: Any) -> dict[str, Any]:
    data = await api.gql(UPLOAD, user.token, input=asset_input(project_id, **fields))
    asset: dict[str, Any] = data["createAssetUpload"]["asset"]
    return asset


async def job_in(api: Api, user: User, project_id: str, **extra: Any) -> str:
    data = await api.gql(
        CREATE_JOB, user.token, input={"projectId": project_id, "kind": "music", **extra}
    )
    job_id: str = data["createJob"]["id"]
    return job_id


async def test_an_asset_keeps_its_provenance_and_ordered_sources(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    storyboard = await create_storyboard(api, user, project)
    scene = await add_scene(api, user, storyboard)
    job = await job_in(api, user, project, storyboardId=storyboard)
    first = await upload(api, user, project, role="keyframe_image", sceneId=scene)
    second = await upload(
        api, user, project, role="voiceover", kind="AUDIO", contentType="audio/mpeg"
    )

    clip = await upload(
        api,
        user,
        project,
        storyboardId=storyboard,
        jobId=job,
        kind="VIDEO",
        contentType="video/mp4",
        sizeBytes=5 * 1024**3,
        role="clip",
        orderIndex=3,
        provider="runway",
        providerRef="gen-42",
        prompt="A slow dolly in.",
        generationParams={"seed": 7, "cfg": 4.5},
        sourceAssetIds=[second["id"], first["id"]],
    )

    expected = {
        "id": clip["id"],
        "role": "clip",
        "orderIndex": 3,
        "provider": "runway",
        "providerRef": "gen-42",
        "prompt": "A slow dolly in.",
        "generationParams": {"seed": 7, "cfg": 4.5},
        "sizeBytes": 5 * 1024**3,
        "project": {"id": project},
        "storyboard": {"id": storyboard},
        "scene": None,
        "job": {"id": job, "kind": "music"},
        "sources": [
            {"id": second["id"], "role": "voiceover"},
            {"id": first["id"], "role": "keyframe_image"},
        ],
    }
    assert clip == expected
    assert (await api.gql(ASSET, user.token, id=clip["id"]))["asset"] == expected
    assert first["scene"] == {"id": scene}
    assert first["storyboard"] == {"id": storyboard}

    # A deleted source drops out; the asset stays.
    await api.gql(DELETE_ASSET, user.token, id=second["id"])
    found = (await api.gql(ASSET, user.token, id=clip["id"]))["asset"]
    assert found["sources"] == [{"id": first["id"], "role": "keyframe_image"}]


async def test_order_index_is_unique_per_owner_and_role(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    storyboard = await create_storyboard(api, user, project)
    job = await job_in(api, user, project)
    other_job = await job_in(api, user, project)
    await upload(api, user, project, jobId=job, role="music_track", orderIndex=1)
    # Same index: another role, another owner (job, storyboard, project), or no role at all.
    await upload(api, user, project, jobId=job, role="background", orderIndex=1)
    await upload(api, user, project, jobId=other_job, role="music_track", orderIndex=1)
    await upload(api, user, project, storyboardId=storyboard, role="music_track", orderIndex=1)
    await upload(api, user, project, role="music_track", orderIndex=1)
    await upload(api, user, project, jobId=job, orderIndex=1)
    await upload(api, user, project, jobId=job, orderIndex=1)
    count = await Asset.all().count()

    for place in ({"jobId": job}, {"storyboardId": storyboard}, {}):
        error = await api.gql_error(
            UPLOAD,
            user.token,
            input=asset_input(project, role="music_track", orderIndex=1, **place),
        )
        assert error["extensions"] == {"code": "CONFLICT", "field": "orderIndex"}
    assert await Asset.all().count() == count


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"role": "Music Track"}, "BAD_USER_INPUT", "role"),
        ({"role": "r" * 65}, "BAD_USER_INPUT", "role"),
        ({"role": ""}, "BAD_USER_INPUT", "role"),
        ({"orderIndex": 0}, "BAD_USER_INPUT", "orderIndex"),
        ({"orderIndex": 10_001}, "BAD_USER_INPUT", "orderIndex"),
        ({"provider": "p" * 201}, "BAD_USER_INPUT", "provider"),
        ({"providerRef": "p" * 501}, "BAD_USER_INPUT", "providerRef"),
        ({"prompt": "p" * 20_001}, "BAD_USER_INPUT", "prompt"),
        ({"sourceAssetIds": []}, "BAD_USER_INPUT", "sourceAssetIds"),
        ({"sourceAssetIds": ["nope"]}, "BAD_USER_INPUT", "sourceAssetIds"),
        ({"jobId": "nope"}, "BAD_USER_INPUT", "jobId"),
        ({"idempotencyKey": ""}, "BAD_USER_INPUT", "idempotencyKey"),
        ({"idempotencyKey": "k" * 201}, "BAD_USER_INPUT", "idempotencyKey"),
        ({"sizeBytes": 5 * 1024**3 + 1}, "BAD_USER_INPUT", "sizeBytes"),
        ({"sizeBytes": 1.5}, "BAD_USER_INPUT", "sizeBytes"),
        ({"sizeBytes": True}, "BAD_USER_INPUT", "sizeBytes"),
    ],
)
async def test_provenance_limits(api: Api, fields: dict[str, Any], code: str, field: str) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)

    error = await api.gql_error(UPLOAD, user.token, input=asset_input(project, **fields))

    assert error["extensions"]["code"] == code
    assert error["extensions"]["field"] == field
    assert await Asset.all().count() == 0
    assert await IdempotencyKey.all().count() == 0


async def test_sources_are_distinct_at_most_a_hundred_and_of_the_same_project(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    elsewhere = await create_project(api, user)
    a = await upload(api, user, project)
    b = await upload(api, user, project)
    foreign = await upload(api, user, elsewhere)
    stranger = await sign_up(api)
    theirs = await upload(api, stranger, await create_project(api, stranger))
    monkeypatch.setattr("services.assets.MAX_ASSET_SOURCES", 2)

    cases = [
        ([a["id"], a["id"]], "BAD_USER_INPUT"),
        ([a["id"], b["id"], a["id"]], "BAD_USER_INPUT"),
        ([a["id"], foreign["id"]], "NOT_FOUND"),
        ([theirs["id"]], "NOT_FOUND"),
    ]
    for ids, code in cases:
        error = await api.gql_error(
            UPLOAD, user.token, input=asset_input(project, sourceAssetIds=ids)
        )
        assert error["extensions"] == {"code": code, "field": "sourceAssetIds"}, ids
    assert await Asset.all().count() == 4
    assert await AssetSource.all().count() == 0


async def test_the_job_must_lie_in_the_project_and_the_storyboard(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    first = await create_storyboard(api, user, project)
    second = await create_storyboard(api, user, project)
    job = await job_in(api, user, project, storyboardId=first)
    elsewhere = await job_in(api, user, await create_project(api, user))
    stranger = await sign_up(api)
    theirs = await job_in(api, stranger, await create_project(api, stranger))

    for fields, expected in (
        ({"jobId": elsewhere}, {"code": "NOT_FOUND", "field": "jobId"}),
        ({"jobId": theirs}, {"code": "NOT_FOUND", "field": "jobId"}),
        ({"jobId": job, "storyboardId": second}, {"code": "BAD_USER_INPUT", "field": "jobId"}),
    ):
        error = await api.gql_error(UPLOAD, user.token, input=asset_input(project, **fields))
        assert error["extensions"] == expected
    assert await Asset.all().count() == 0
    assert (await upload(api, user, project, jobId=job, storyboardId=first))["job"]["id"] == job


async def test_a_job_holds_a_bounded_number_of_assets(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("services.assets.MAX_JOB_ASSETS", 2)
    user = await sign_up(api)
    project = await create_project(api, user)
    job = await job_in(api, user, project)
    await upload(api, user, project, jobId=job)
    await upload(api, user, project, jobId=job)

    error = await api.gql_error(UPLOAD, user.token, input=asset_input(project, jobId=job))

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "jobId"}
    assert await Asset.all().count() == 2


async def test_job_assets_by_role_then_order_then_age(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    job = await job_in(api, user, project)
    made = [
        await upload(api, user, project, jobId=job, **fields)
        for fields in (
            {"role": "music_track", "orderIndex": 2},
            {},
            {"role": "background", "orderIndex": 1},
            {"role": "music_track", "orderIndex": 1},
            {"role": "music_track"},
            {"role": "background"},
        )
    ]

    found = (await api.gql(JOB_ASSETS, user.token, id=job))["job"]["assets"]

    order = [2, 5, 3, 0, 4, 1]
    assert [a["id"] for a in found] == [made[i]["id"] for i in order]


async def test_deleting_the_jobs_storyboard_leaves_the_projects_assets_it_produced(
    api: Api,
) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    storyboard = await create_storyboard(api, user, project)
    job = await job_in(api, user, project, storyboardId=storyboard)
    kept = await upload(api, user, project, jobId=job, role="final_video")
    gone = await upload(api, user, project, jobId=job, storyboardId=storyboard)

    await api.gql(DELETE_STORYBOARD, user.token, id=storyboard)

    found = (await api.gql(ASSET, user.token, id=kept["id"]))["asset"]
    assert (found["id"], found["job"], found["role"]) == (kept["id"], None, "final_video")
    assert (await api.gql(ASSET, user.token, id=gone["id"]))["asset"] is None


async def test_project_and_storyboard_list_every_asset_below_them_with_filters(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    storyboard = await create_storyboard(api, user, project)
    scene = await add_scene(api, user, storyboard)
    top = await upload(api, user, project, role="license", kind="OTHER", contentType="text/plain")
    on_board = await upload(api, user, project, storyboardId=storyboard, role="clip")
    on_scene = await upload(
        api, user, project, sceneId=scene, kind="AUDIO", contentType="audio/wav", role="voiceover"
    )
    other = await sign_up(api)
    await upload(api, other, await create_project(api, other))

    data = await api.gql(LISTS, user.token, p=project, s=storyboard)
    ids = [e["node"]["id"] for e in data["project"]["assets"]["edges"]]
    assert ids == [on_scene["id"], on_board["id"], top["id"]]
    assert data["project"]["assets"]["totalCount"] == 3
    assert [e["node"]["id"] for e in data["storyboard"]["assets"]["edges"]] == ids[:2]

    page = await api.gql(LISTS, user.token, p=project, s=storyboard, first=2)
    cursor = page["project"]["assets"]["pageInfo"]["endCursor"]
    assert page["project"]["assets"]["pageInfo"]["hasNextPage"] is True
    rest = await api.gql(LISTS, user.token, p=project, s=storyboard, first=2, after=cursor)
    assert [e["node"]["id"] for e in rest["project"]["assets"]["edges"]] == [top["id"]]

    audio = await api.gql(LISTS, user.token, p=project, s=storyboard, kind="AUDIO")
    assert [e["node"]["id"] for e in audio["project"]["assets"]["edges"]] == [on_scene["id"]]
    clips = await api.gql(LISTS, user.token, p=project, s=storyboard, role="clip")
    assert [e["node"]["id"] for e in clips["storyboard"]["assets"]["edges"]] == [on_board["id"]]
    ready = await api.gql(LISTS, user.token, p=project, s=storyboard, status="READY")
    assert ready["project"]["assets"] == {
        "totalCount": 0,
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "edges": [],
    }
    body = await api.post(LISTS, user.token, p=project, s=storyboard, first=101)
    assert [e["extensions"] for e in body["errors"]] == [
        {"code": "BAD_USER_INPUT", "field": "first"}
    ] * 2


async def test_an_idempotent_upload_returns_the_first_asset(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    job = await job_in(api, user, project)
    fields = {"jobId": job, "role": "music_track", "orderIndex": 1, "idempotencyKey": "track-1"}

    results = await asyncio.gather(*(upload(api, user, project, **fields) for _ in range(4)))

    assert len({r["id"] for r in results}) == 1
    assert await Asset.all().count() == 1
    again = await upload(api, user, project, **fields)
    assert again["id"] == results[0]["id"]
    error = await api.gql_error(
        UPLOAD, user.token, input=asset_input(project, **{**fields, "orderIndex": 2})
    )
    assert error["extensions"]["code"] == "CONFLICT"
    assert await Asset.all().count() == 1
    # What the key made is gone: the key cannot return it.
    await api.gql(DELETE_ASSET, user.token, id=again["id"])
    error = await api.gql_error(UPLOAD, user.token, input=asset_input(project, **fields))
    assert error["extensions"] == {"code": "CONFLICT", "field": "idempotencyKey"}
