"""Media assets: announce, upload, verify, download and delete, on local storage and on S3 (API.md).

Every test taking `storage_api` runs twice: against a folder served by the app itself
(`/uploads/<token>`, `/media/<token>`) and against an S3 bucket on a moto server. Upload and
download URLs are used exactly as a browser would use them: the method and headers from
`createAssetUpload`, the body bytes, Content-Length set by httpx. moto does not check
signatures, expiry or signed headers, so the refusal of forged, expired or misused URLs is
proven for the local tokens only (tests marked with `LOCAL_ONLY`); what our service verifies
after an upload (size, content type) is proven on both.

Uploaded bytes land on the asset's staging key (`staging_key(key)`); completeAssetUpload seals
them to the asset's key, which is the only one ever served.
"""

import json
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aioboto3
import httpx
import jwt
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from moto.server import ThreadedMotoServer
from tortoise.queryset import QuerySet

from models import Asset, AssetStatus, StoredObjectDeletion
from schema.context import GraphQLApp
from services import assets
from services.storage import UPLOAD_URL_SECONDS, Storage, staging_key
from tests.conftest import SECRET, MakeApi
from tests.helpers import Api, User, add_scene, create_project, create_storyboard, sign_up

REGION = "us-east-1"
LOCAL_ONLY = pytest.mark.parametrize("storage_api", ["local"], indirect=True)


def due_deletions() -> QuerySet[StoredObjectDeletion]:
    """Queued object deletions that are due now (a PENDING asset's key is also queued again
    for after its upload URL has expired; those are not due yet)."""
    return StoredObjectDeletion.filter(
        next_attempt_at__lte=datetime.now(UTC) + timedelta(minutes=1)
    )


CREATE_ASSET_UPLOAD = """
mutation CreateAssetUpload($input: CreateAssetUploadInput!) {
  createAssetUpload(input: $input) {
    uploadUrl method headers
    asset {
      id kind status fileName contentType sizeBytes durationSeconds qualityScore metadata url
      createdAt
    }
  }
}
"""
COMPLETE_ASSET_UPLOAD = """
mutation CompleteAssetUpload($id: ID!) {
  completeAssetUpload(id: $id) { id kind status fileName contentType sizeBytes url }
}
"""
DELETE_ASSET = "mutation DeleteAsset($id: ID!) { deleteAsset(id: $id) }"
SCENE_ASSETS = """
query SceneAssets($id: ID!) {
  scene(id: $id) { id assets { id kind status fileName contentType sizeBytes url } }
}
"""
DELETE_SCENE = "mutation DeleteScene($id: ID!) { deleteScene(id: $id) { id totalScenes } }"
DELETE_STORYBOARD = "mutation DeleteStoryboard($id: ID!) { deleteStoryboard(id: $id) }"
DELETE_PROJECT = "mutation DeleteProject($id: ID!) { deleteProject(id: $id) }"


def png(size: int, seed: int = 0) -> bytes:
    """`size` bytes that start like a PNG; different seeds give different bytes."""
    magic = b"\x89PNG\r\n\x1a\n"
    return (magic + bytes((i * 31 + seed * 7 + 3) % 256 for i in range(size)))[:size]


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    """One moto S3 server (real HTTP on a free port) for the whole run."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@dataclass
class Backend:
    """The app under test with one storage backend, and a view of what that backend holds."""

    name: str
    api: Api
    storage: Storage
    media: Path | None = None
    bucket: str | None = None
    s3: Any = None
    browser: httpx.AsyncClient | None = None

    @property
    def local(self) -> bool:
        return self.name == "local"

    async def request(
        self,
        method: str,
        url: str,
        headers: dict[str, str] | None = None,
        content: Any = None,
    ) -> httpx.Response:
        """What a browser does with a URL the API handed out."""
        if self.local:
            assert url.startswith("http://test/"), url
            return await self.api.client.request(
                method, url.removeprefix("http://test"), headers=headers, content=content
            )
        assert self.browser is not None
        return await self.browser.request(method, url, headers=headers, content=content)

    async def upload(
        self, upload: dict[str, Any], body: Any, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        """PUT `body` to an AssetUpload's URL with its method and (unless given) its headers."""
        return await self.request(
            upload["method"],
            upload["uploadUrl"],
            headers=upload["headers"] if headers is None else headers,
            content=body,
        )

    async def objects(self) -> dict[str, bytes]:
        """Every stored object, by key (for the folder: every file, temporary ones included)."""
        if self.local:
            assert self.media is not None
            return {
                path.relative_to(self.media).as_posix(): path.read_bytes()
                for path in files_under(self.media)
            }
        listing = await self.s3.list_objects_v2(Bucket=self.bucket)
        assert not listing["IsTruncated"]
        stored: dict[str, bytes] = {}
        for item in listing.get("Contents", []):
            got = await self.s3.get_object(Bucket=self.bucket, Key=item["Key"])
            async with got["Body"] as stream:
                stored[item["Key"]] = await stream.read()
        return stored

    async def head(self, key: str) -> dict[str, Any] | None:
        """The stored object's size and content type (S3 only keeps the latter), or None."""
        if self.local:
            assert self.media is not None
            path = self.media / key
            return {"size": path.stat().st_size} if path.is_file() else None
        try:
            head = await self.s3.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "404":
                return None
            raise
        return {"size": head["ContentLength"], "content_type": head["ContentType"]}


def storage_of(api: Api) -> Storage:
    """The storage instance the app's GraphQL layer uses."""
    graphql = api.app.state.graphql
    assert isinstance(graphql, GraphQLApp), "the app has no GraphQL view"
    return graphql.storage


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Dummy credentials for the app's S3 client, and nothing from the developer's own AWS
    configuration; set before the app (its lifespan) builds that client."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)


@asynccontextmanager
async def s3_backend(make_api: MakeApi, moto_url: str, **overrides: Any) -> AsyncIterator[Backend]:
    """The app on a fresh bucket of the moto server, a client to inspect it, and a browser."""
    bucket = f"assets-{uuid.uuid4().hex[:16]}"
    config = Config(signature_version="s3v4", s3={"addressing_style": "path"})
    async with (
        aioboto3.Session().client(
            "s3",
            endpoint_url=moto_url,
            region_name=REGION,
            aws_access_key_id="test",
            aws_secret_access_key="test",
            config=config,
        ) as s3,
        httpx.AsyncClient(timeout=10, trust_env=False) as browser,
    ):
        await s3.create_bucket(Bucket=bucket)
        settings = {"s3_endpoint_url": moto_url, "aws_region": REGION, **overrides}
        async with make_api(storage_url=f"s3://{bucket}", **settings) as api:
            yield Backend("s3", api, storage_of(api), bucket=bucket, s3=s3, browser=browser)


@pytest.fixture(params=["local", "s3"])
async def storage_api(
    request: pytest.FixtureRequest, make_api: MakeApi, tmp_path: Path
) -> AsyncIterator[Backend]:
    if request.param == "local":
        media = tmp_path / "media"
        async with make_api(storage_url=f"file://{media}", public_url="http://test") as api:
            yield Backend("local", api, storage_of(api), media=media)
        return
    request.getfixturevalue("aws_env")
    moto_url: str = request.getfixturevalue("moto_url")
    async with s3_backend(make_api, moto_url) as backend:
        yield backend


def files_under(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


# --- helpers -------------------------------------------------------------------------------


@dataclass
class Place:
    user: User
    project_id: str
    storyboard_id: str
    scene_id: str


async def place(api: Api, user: User | None = None) -> Place:
    """A user with a project, a storyboard and one scene in it."""
    user = user or await sign_up(api)
    project_id = await create_project(api, user)
    storyboard_id = await create_storyboard(api, user, project_id)
    scene_id = await add_scene(api, user, storyboard_id)
    return Place(user, project_id, storyboard_id, scene_id)


def upload_input(project_id: str, data: bytes, **fields: Any) -> dict[str, Any]:
    return {
        "projectId": project_id,
        "kind": "IMAGE",
        "fileName": "frame.png",
        "contentType": "image/png",
        "sizeBytes": len(data),
        **fields,
    }


async def announce(api: Api, user: User, project_id: str, data: bytes, **fields: Any) -> Any:
    """createAssetUpload for `data`; returns the AssetUpload."""
    result = await api.gql(
        CREATE_ASSET_UPLOAD, user.token, input=upload_input(project_id, data, **fields)
    )
    return result["createAssetUpload"]


async def ready_asset(
    backend: Backend, user: User, project_id: str, data: bytes, **fields: Any
) -> tuple[str, str]:
    """A READY asset holding `data`: (id, storage key)."""
    upload = await announce(backend.api, user, project_id, data, **fields)
    response = await backend.upload(upload, data)
    assert response.status_code == 200, response.text
    done = await backend.api.gql(COMPLETE_ASSET_UPLOAD, user.token, id=upload["asset"]["id"])
    assert done["completeAssetUpload"]["status"] == "READY"
    return upload["asset"]["id"], await key_of(upload["asset"]["id"])


async def key_of(asset_id: str) -> str:
    key: str = (await Asset.get(id=asset_id)).storage_key
    return key


async def status_of(asset_id: str) -> AssetStatus | None:
    asset = await Asset.get_or_none(id=asset_id)
    return None if asset is None else asset.status


def token_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


def craft_token(claims: dict[str, Any], secret: str = SECRET) -> str:
    return jwt.encode(claims, secret, algorithm="HS256")


# --- both backends -------------------------------------------------------------------------


async def test_upload_complete_and_download_round_trip(storage_api: Backend) -> None:
    api = storage_api.api
    where = await place(api)
    data = png(70_000, seed=1)

    upload = await announce(
        api,
        where.user,
        where.project_id,
        data,
        sceneId=where.scene_id,
        fileName="Opening frame.png",
        durationSeconds=0.0,
        qualityScore=0.75,
        metadata={"camera": "A", "take": 3},
    )
    asset = upload["asset"]
    assert asset == {
        "id": asset["id"],
        "kind": "IMAGE",
        "status": "PENDING",
        "fileName": "Opening frame.png",
        "contentType": "image/png",
        "sizeBytes": len(data),
        "durationSeconds": 0.0,
        "qualityScore": 0.75,
        "metadata": {"camera": "A", "take": 3},
        "url": None,
        "createdAt": asset["createdAt"],
    }
    assert datetime.fromisoformat(asset["createdAt"]).utcoffset() == timedelta(0)
    assert upload["method"] == "PUT"
    assert upload["headers"] == {"Content-Type": "image/png"}
    if storage_api.local:
        assert upload["uploadUrl"].startswith("http://test/uploads/")
    else:
        assert upload["uploadUrl"].startswith(f"{storage_api.s3.meta.endpoint_url}/")
    key = await key_of(asset["id"])
    assert key == f"projects/{where.project_id}/assets/{asset['id']}/Opening_frame.png"
    assert await storage_api.objects() == {}

    # Still PENDING: the scene lists it without a URL.
    listed = await api.gql(SCENE_ASSETS, where.user.token, id=where.scene_id)
    assert [(a["id"], a["status"], a["url"]) for a in listed["scene"]["assets"]] == [
        (asset["id"], "PENDING", None)
    ]

    response = await storage_api.upload(upload, data)
    assert response.status_code == 200, response.text
    assert await storage_api.objects() == {staging_key(key): data}

    done = (await api.gql(COMPLETE_ASSET_UPLOAD, where.user.token, id=asset["id"]))[
        "completeAssetUpload"
    ]
    assert {k: v for k, v in done.items() if k != "url"} == {
        "id": asset["id"],
        "kind": "IMAGE",
        "status": "READY",
        "fileName": "Opening frame.png",
        "contentType": "image/png",
        "sizeBytes": len(data),
    }
    assert await status_of(asset["id"]) == AssetStatus.READY
    assert await storage_api.objects() == {key: data}

    listed = await api.gql(SCENE_ASSETS, where.user.token, id=where.scene_id)
    [shown] = listed["scene"]["assets"]
    assert {k: v for k, v in shown.items() if k != "url"} == {
        "id": asset["id"],
        "kind": "IMAGE",
        "status": "READY",
        "fileName": "Opening frame.png",
        "contentType": "image/png",
        "sizeBytes": len(data),
    }
    assert isinstance(shown["url"], str)
    if storage_api.local:
        assert shown["url"].startswith("http://test/media/")

    download = await storage_api.request("GET", shown["url"])
    assert download.status_code == 200, download.text
    assert download.content == data
    assert download.headers["content-type"] == "image/png"

    # Completing twice is harmless: still READY, same bytes.
    again = await api.gql(COMPLETE_ASSET_UPLOAD, where.user.token, id=asset["id"])
    assert again["completeAssetUpload"]["status"] == "READY"
    assert await storage_api.objects() == {key: data}


async def test_complete_before_any_upload_is_refused(storage_api: Backend) -> None:
    api = storage_api.api
    where = await place(api)
    upload = await announce(api, where.user, where.project_id, png(100), sceneId=where.scene_id)

    error = await api.gql_error(COMPLETE_ASSET_UPLOAD, where.user.token, id=upload["asset"]["id"])

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "id"
    assert await status_of(upload["asset"]["id"]) == AssetStatus.PENDING
    listed = await api.gql(SCENE_ASSETS, where.user.token, id=where.scene_id)
    assert [(a["status"], a["url"]) for a in listed["scene"]["assets"]] == [("PENDING", None)]
    assert await storage_api.objects() == {}


async def test_upload_with_fewer_bytes_than_announced_is_not_completed(
    storage_api: Backend,
) -> None:
    api = storage_api.api
    where = await place(api)
    data = png(1000, seed=2)
    upload = await announce(api, where.user, where.project_id, data)
    key = await key_of(upload["asset"]["id"])

    response = await storage_api.upload(upload, data[:999])
    assert response.status_code == 200, response.text
    error = await api.gql_error(COMPLETE_ASSET_UPLOAD, where.user.token, id=upload["asset"]["id"])

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "sizeBytes"
    assert await status_of(upload["asset"]["id"]) == AssetStatus.PENDING
    assert (await Asset.get(id=upload["asset"]["id"])).size_bytes == 1000
    # Still only staged: the next upload replaces it.
    assert await storage_api.objects() == {staging_key(key): data[:999]}


async def test_upload_with_more_bytes_than_announced_is_not_completed(
    storage_api: Backend,
) -> None:
    api = storage_api.api
    where = await place(api)
    data = png(1000, seed=3)
    upload = await announce(api, where.user, where.project_id, data)
    key = await key_of(upload["asset"]["id"])

    response = await storage_api.upload(upload, data + b"x")
    if storage_api.local:
        # The app refuses the body outright and keeps nothing, not even a temporary file.
        assert response.status_code == 413, response.text
        assert response.json()["code"] == "BAD_USER_INPUT"
        assert await storage_api.objects() == {}
    else:
        # moto ignores the signed Content-Length; completeAssetUpload must catch it.
        assert response.status_code == 200, response.text
        assert await storage_api.objects() == {staging_key(key): data + b"x"}
    error = await api.gql_error(COMPLETE_ASSET_UPLOAD, where.user.token, id=upload["asset"]["id"])

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == ("id" if storage_api.local else "sizeBytes")
    assert await status_of(upload["asset"]["id"]) == AssetStatus.PENDING
    assert await storage_api.head(key) is None


async def test_upload_with_another_content_type_is_not_completed(storage_api: Backend) -> None:
    api = storage_api.api
    where = await place(api)
    data = png(500, seed=4)
    upload = await announce(api, where.user, where.project_id, data)
    key = await key_of(upload["asset"]["id"])

    response = await storage_api.upload(upload, data, headers={"Content-Type": "image/jpeg"})
    if storage_api.local:
        assert response.status_code == 400, response.text
        assert response.json()["field"] == "Content-Type"
        assert await storage_api.objects() == {}
        expected_field = "id"
    else:
        # moto ignores the signed Content-Type: the object is stored as image/jpeg ...
        assert response.status_code == 200, response.text
        assert await storage_api.head(staging_key(key)) == {
            "size": 500,
            "content_type": "image/jpeg",
        }
        expected_field = "contentType"
    # ... and completeAssetUpload refuses it.
    error = await api.gql_error(COMPLETE_ASSET_UPLOAD, where.user.token, id=upload["asset"]["id"])

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == expected_field
    assert await status_of(upload["asset"]["id"]) == AssetStatus.PENDING
    assert await storage_api.head(key) is None


async def test_invalid_uploads_are_refused_and_create_nothing(storage_api: Backend) -> None:
    api = storage_api.api
    where = await place(api)
    other = await place(api, where.user)
    stranger = await place(api)
    data = png(10)
    cases: list[tuple[dict[str, Any], str, str | None]] = [
        ({"sizeBytes": 0}, "BAD_USER_INPUT", "sizeBytes"),
        ({"sizeBytes": -1}, "BAD_USER_INPUT", "sizeBytes"),
        ({"contentType": "audio/mpeg"}, "BAD_USER_INPUT", "contentType"),
        ({"kind": "SUBTITLE", "contentType": "text/plain"}, "BAD_USER_INPUT", "contentType"),
        ({"kind": "AUDIO", "contentType": "image/png"}, "BAD_USER_INPUT", "contentType"),
        ({"contentType": "png"}, "BAD_USER_INPUT", "contentType"),
        ({"contentType": ""}, "BAD_USER_INPUT", "contentType"),
        ({"qualityScore": 1.5}, "BAD_USER_INPUT", "qualityScore"),
        ({"qualityScore": -0.1}, "BAD_USER_INPUT", "qualityScore"),
        ({"durationSeconds": -1.0}, "BAD_USER_INPUT", "durationSeconds"),
        ({"fileName": ""}, "BAD_USER_INPUT", "fileName"),
        ({"fileName": "   "}, "BAD_USER_INPUT", "fileName"),
        ({"fileName": "x" * 256}, "BAD_USER_INPUT", "fileName"),
        ({"sceneId": other.scene_id}, "NOT_FOUND", "sceneId"),
        ({"sceneId": stranger.scene_id}, "NOT_FOUND", "sceneId"),
        ({"storyboardId": other.storyboard_id}, "NOT_FOUND", "storyboardId"),
        (
            {"storyboardId": other.storyboard_id, "sceneId": where.scene_id},
            "BAD_USER_INPUT",
            "sceneId",
        ),
        ({"projectId": stranger.project_id}, "NOT_FOUND", "projectId"),
        ({"projectId": str(uuid.uuid4())}, "NOT_FOUND", "projectId"),
    ]
    for fields, code, field in cases:
        error = await api.gql_error(
            CREATE_ASSET_UPLOAD,
            where.user.token,
            input=upload_input(where.project_id, data, **fields),
        )
        assert error["extensions"]["code"] == code, fields
        assert error["extensions"].get("field") == field, fields

    assert await Asset.all().count() == 0
    assert await storage_api.objects() == {}


async def test_sizes_up_to_five_gib_can_be_announced(storage_api: Backend) -> None:
    """API.md: asset sizeBytes 1..5 GiB, a `Long` (a JSON number)."""
    api = storage_api.api
    where = await place(api)

    for size in (1, 2**31 - 1, 2**31, 3 * 1024**3, 5 * 1024**3):
        body = await api.post(
            CREATE_ASSET_UPLOAD,
            where.user.token,
            input=upload_input(where.project_id, b"", sizeBytes=size),
        )
        assert "errors" not in body, (size, body["errors"])
        asset = body["data"]["createAssetUpload"]["asset"]
        assert (asset["status"], asset["sizeBytes"]) == ("PENDING", size)
    assert await Asset.all().count() == 5


async def test_size_over_five_gib_is_refused_naming_size_bytes(storage_api: Backend) -> None:
    """API.md: each limit is a BAD_USER_INPUT whose `extensions.field` names the field."""
    api = storage_api.api
    where = await place(api)

    error = await api.gql_error(
        CREATE_ASSET_UPLOAD,
        where.user.token,
        input=upload_input(where.project_id, b"", sizeBytes=5 * 1024**3 + 1),
    )

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "sizeBytes"
    assert await Asset.all().count() == 0


async def test_accepted_content_types_per_kind(storage_api: Backend) -> None:
    api = storage_api.api
    where = await place(api)
    accepted = [
        ("IMAGE", "image/jpeg", "image/jpeg"),
        ("THUMBNAIL", "image/webp", "image/webp"),
        ("AUDIO", "audio/mpeg", "audio/mpeg"),
        ("VIDEO", "video/mp4", "video/mp4"),
        ("SUBTITLE", "text/vtt", "text/vtt"),
        ("SUBTITLE", "application/x-subrip", "application/x-subrip"),
        ("OTHER", "application/pdf", "application/pdf"),
        ("IMAGE", " Image/PNG ", "image/png"),
    ]
    for kind, sent, stored in accepted:
        upload = await announce(
            api, where.user, where.project_id, png(10), kind=kind, contentType=sent
        )
        assert (upload["asset"]["kind"], upload["asset"]["contentType"]) == (kind, stored)
        assert upload["headers"] == {"Content-Type": stored}
    assert await Asset.all().count() == len(accepted)


async def test_file_names_cannot_leave_the_asset_folder(
    storage_api: Backend, tmp_path: Path
) -> None:
    api = storage_api.api
    where = await place(api)
    before = set(files_under(tmp_path))
    names = {
        "../../etc/passwd": "passwd",
        "..\\..\\x.png": "x.png",
        "/abs/path.png": "path.png",
        "a/../../b.png": "b.png",
        "..": "file",
        "../": "file",
        "na me;rm -rf.png": "na_me_rm_-rf.png",
    }
    stored: dict[str, bytes] = {}
    for seed, (name, safe) in enumerate(names.items()):
        data = png(64, seed=seed)
        upload = await announce(
            api, where.user, where.project_id, data, fileName=name, sceneId=where.scene_id
        )
        asset_id = upload["asset"]["id"]
        assert upload["asset"]["fileName"] == name
        key = await key_of(asset_id)
        assert key == f"projects/{where.project_id}/assets/{asset_id}/{safe}", name
        response = await storage_api.upload(upload, data)
        assert response.status_code == 200, response.text
        await api.gql(COMPLETE_ASSET_UPLOAD, where.user.token, id=asset_id)
        stored[key] = data

    assert await storage_api.objects() == stored
    listed = await api.gql(SCENE_ASSETS, where.user.token, id=where.scene_id)
    assert [a["fileName"] for a in listed["scene"]["assets"]] == list(names)
    downloaded = [(await storage_api.request("GET", a["url"])) for a in listed["scene"]["assets"]]
    assert [(r.status_code, r.content) for r in downloaded] == [(200, d) for d in stored.values()]
    if storage_api.local:
        assert storage_api.media is not None
        media = storage_api.media.resolve()
        created = {path.resolve() for path in set(files_under(tmp_path)) - before}
        assert all(path.is_relative_to(media) for path in created), created
        assert {path.relative_to(media).as_posix() for path in created} == set(stored)


async def test_another_users_asset_cannot_be_completed_deleted_or_seen(
    storage_api: Backend,
) -> None:
    api = storage_api.api
    owner = await place(api)
    intruder = await place(api)
    pending_data, ready_data = png(300, seed=5), png(400, seed=6)
    pending = await announce(
        api, owner.user, owner.project_id, pending_data, sceneId=owner.scene_id
    )
    assert (await storage_api.upload(pending, pending_data)).status_code == 200
    ready_id, ready_key = await ready_asset(
        storage_api, owner.user, owner.project_id, ready_data, sceneId=owner.scene_id
    )
    pending_key = await key_of(pending["asset"]["id"])
    before = await api.gql(SCENE_ASSETS, owner.user.token, id=owner.scene_id)

    for asset_id in (pending["asset"]["id"], ready_id, str(uuid.uuid4())):
        for mutation in (COMPLETE_ASSET_UPLOAD, DELETE_ASSET):
            error = await api.gql_error(mutation, intruder.user.token, id=asset_id)
            assert error["extensions"]["code"] == "NOT_FOUND", (mutation, asset_id)
    # Nor can the intruder attach an upload to the owner's project or scene.
    for fields in (
        {"projectId": owner.project_id},
        {"projectId": intruder.project_id, "sceneId": owner.scene_id},
    ):
        error = await api.gql_error(
            CREATE_ASSET_UPLOAD, intruder.user.token, input=upload_input("", png(10), **fields)
        )
        assert error["extensions"]["code"] == "NOT_FOUND", fields
    assert await api.gql(SCENE_ASSETS, intruder.user.token, id=owner.scene_id) == {"scene": None}

    assert await status_of(pending["asset"]["id"]) == AssetStatus.PENDING
    assert await status_of(ready_id) == AssetStatus.READY
    assert await Asset.all().count() == 2
    assert await storage_api.objects() == {
        staging_key(pending_key): pending_data,
        ready_key: ready_data,
    }
    after = await api.gql(SCENE_ASSETS, owner.user.token, id=owner.scene_id)
    assert [(a["id"], a["status"]) for a in after["scene"]["assets"]] == [
        (a["id"], a["status"]) for a in before["scene"]["assets"]
    ]


async def test_delete_asset_removes_its_object_and_row(storage_api: Backend) -> None:
    api = storage_api.api
    where = await place(api)
    keep_data, doomed_data = png(200, seed=7), png(250, seed=8)
    keep_id, keep_key = await ready_asset(
        storage_api, where.user, where.project_id, keep_data, sceneId=where.scene_id
    )
    doomed_id, doomed_key = await ready_asset(
        storage_api, where.user, where.project_id, doomed_data, sceneId=where.scene_id
    )
    listed = await api.gql(SCENE_ASSETS, where.user.token, id=where.scene_id)
    doomed_url = next(a["url"] for a in listed["scene"]["assets"] if a["id"] == doomed_id)
    assert (await storage_api.request("GET", doomed_url)).content == doomed_data

    assert await api.gql(DELETE_ASSET, where.user.token, id=doomed_id) == {"deleteAsset": True}

    assert await storage_api.head(doomed_key) is None
    assert await storage_api.objects() == {keep_key: keep_data}
    assert await Asset.get_or_none(id=doomed_id) is None
    assert await due_deletions().count() == 0
    listed = await api.gql(SCENE_ASSETS, where.user.token, id=where.scene_id)
    assert [a["id"] for a in listed["scene"]["assets"]] == [keep_id]
    gone = await storage_api.request("GET", doomed_url)
    # Local: 404. S3 answers a presigned GET of a missing key with 404 (signer may list the
    # bucket) or 403 (it may not); moto says 403 SignatureDoesNotMatch. Never the bytes.
    if storage_api.local:
        assert gone.status_code == 404, gone.text
    else:
        assert gone.status_code in (403, 404), gone.text
    assert gone.content != doomed_data
    error = await api.gql_error(DELETE_ASSET, where.user.token, id=doomed_id)
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_delete_pending_asset_without_upload(storage_api: Backend) -> None:
    api = storage_api.api
    where = await place(api)
    upload = await announce(api, where.user, where.project_id, png(10))

    assert await api.gql(DELETE_ASSET, where.user.token, id=upload["asset"]["id"]) == {
        "deleteAsset": True
    }

    assert await Asset.all().count() == 0
    assert await due_deletions().count() == 0
    # The old upload URL no longer accepts bytes for the deleted asset (local: refused;
    # moto would store them, but nothing references them and nothing can complete them).
    if storage_api.local:
        assert (await storage_api.upload(upload, png(10))).status_code == 404
        assert await storage_api.objects() == {}


async def test_bytes_sent_to_a_deleted_pending_assets_url_are_swept_later(
    storage_api: Backend,
) -> None:
    """Real S3 accepts a presigned PUT until it expires, even after the asset is deleted: the
    key is queued once more, for after the URL's expiry, and removed then."""
    api = storage_api.api
    where = await place(api)
    upload = await announce(api, where.user, where.project_id, png(10))
    key = await key_of(upload["asset"]["id"])
    await api.gql(DELETE_ASSET, where.user.token, id=upload["asset"]["id"])

    [later] = await StoredObjectDeletion.all()
    assert later.storage_key == staging_key(key)
    assert later.next_attempt_at >= datetime.now(UTC) + timedelta(seconds=UPLOAD_URL_SECONDS)
    # The late upload, as S3 would take it (the local backend itself refuses it).
    staged = staging_key(key)
    if storage_api.local:
        assert storage_api.media is not None
        (storage_api.media / staged).parent.mkdir(parents=True)
        (storage_api.media / staged).write_bytes(png(10))
    else:
        await storage_api.s3.put_object(Bucket=storage_api.bucket, Key=staged, Body=png(10))
    assert list(await storage_api.objects()) == [staged]

    await StoredObjectDeletion.filter(id=later.id).update(next_attempt_at=datetime.now(UTC))
    assert await assets.purge_objects(storage_api.storage) == 1

    assert await storage_api.objects() == {}
    assert await StoredObjectDeletion.all().count() == 0


async def test_deleting_a_scene_removes_its_media(storage_api: Backend) -> None:
    api = storage_api.api
    where = await place(api)
    sibling = await add_scene(api, where.user, where.storyboard_id)
    doomed = [
        await ready_asset(
            storage_api, where.user, where.project_id, png(90, seed=i), sceneId=where.scene_id
        )
        for i in range(2)
    ]
    pending = await announce(api, where.user, where.project_id, png(90, 9), sceneId=where.scene_id)
    assert (await storage_api.upload(pending, png(90, 9))).status_code == 200
    kept_id, kept_key = await ready_asset(
        storage_api, where.user, where.project_id, png(80, seed=3), sceneId=sibling
    )
    sb_id, sb_key = await ready_asset(
        storage_api,
        where.user,
        where.project_id,
        png(70, seed=4),
        storyboardId=where.storyboard_id,
    )

    data = await api.gql(DELETE_SCENE, where.user.token, id=where.scene_id)

    assert data["deleteScene"] == {"id": where.storyboard_id, "totalScenes": 1}
    assert await storage_api.objects() == {kept_key: png(80, seed=3), sb_key: png(70, seed=4)}
    assert sorted(str(a.id) for a in await Asset.all()) == sorted([kept_id, sb_id])
    assert await due_deletions().count() == 0
    assert await Asset.filter(id__in=[asset_id for asset_id, _ in doomed]).count() == 0


async def test_deleting_a_storyboard_removes_its_media(storage_api: Backend) -> None:
    api = storage_api.api
    where = await place(api)
    other_storyboard = await create_storyboard(api, where.user, where.project_id, title="Cut B")
    other_scene = await add_scene(api, where.user, other_storyboard)
    for i, fields in enumerate(
        [{"sceneId": where.scene_id}, {"storyboardId": where.storyboard_id}]
    ):
        await ready_asset(storage_api, where.user, where.project_id, png(60, seed=i), **fields)
    kept: dict[str, bytes] = {}
    kept_ids = set()
    for i, fields in enumerate([{"sceneId": other_scene}, {"storyboardId": other_storyboard}, {}]):
        asset_id, key = await ready_asset(
            storage_api, where.user, where.project_id, png(50, seed=10 + i), **fields
        )
        kept[key] = png(50, seed=10 + i)
        kept_ids.add(asset_id)

    data = await api.gql(DELETE_STORYBOARD, where.user.token, id=where.storyboard_id)

    assert data == {"deleteStoryboard": True}
    assert await storage_api.objects() == kept
    assert {str(a.id) for a in await Asset.all()} == kept_ids
    assert await due_deletions().count() == 0


async def test_deleting_a_project_removes_its_media(storage_api: Backend) -> None:
    api = storage_api.api
    where = await place(api)
    other = await place(api, where.user)
    for i, fields in enumerate(
        [{"sceneId": where.scene_id}, {"storyboardId": where.storyboard_id}, {}]
    ):
        await ready_asset(storage_api, where.user, where.project_id, png(40, seed=i), **fields)
    pending = await announce(api, where.user, where.project_id, png(40, 5))
    assert (await storage_api.upload(pending, png(40, 5))).status_code == 200
    kept_id, kept_key = await ready_asset(
        storage_api, where.user, other.project_id, png(30, seed=6), sceneId=other.scene_id
    )

    assert await api.gql(DELETE_PROJECT, where.user.token, id=where.project_id) == {
        "deleteProject": True
    }

    assert await storage_api.objects() == {kept_key: png(30, seed=6)}
    assert [str(a.id) for a in await Asset.all()] == [kept_id]
    assert await due_deletions().count() == 0


async def test_storage_outage_during_delete_is_retried_later(
    storage_api: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = storage_api.api
    where = await place(api)
    data = png(120, seed=11)
    asset_id, key = await ready_asset(
        storage_api, where.user, where.project_id, data, sceneId=where.scene_id
    )

    async def unavailable(self: Storage, key: str) -> None:
        raise ConnectionError("storage is down")

    with monkeypatch.context() as patch:
        patch.setattr(type(storage_api.storage), "delete", unavailable)
        deleted = await api.gql(DELETE_PROJECT, where.user.token, id=where.project_id)

    assert deleted == {"deleteProject": True}
    assert await Asset.get_or_none(id=asset_id) is None
    assert await api.gql(SCENE_ASSETS, where.user.token, id=where.scene_id) == {"scene": None}
    queued = await due_deletions().order_by("storage_key")
    # The object and its staging key (empty since completion, but deleted all the same).
    assert [(q.storage_key, q.attempts) for q in queued] == [(key, 1), (staging_key(key), 1)]
    assert {q.last_error for q in queued} == {"storage is down"}
    assert all(q.next_attempt_at > datetime.now(UTC) for q in queued)
    assert await storage_api.objects() == {key: data}

    # Not due yet: a sweep leaves them alone.
    assert await assets.purge_objects(storage_api.storage) == 0
    assert await storage_api.objects() == {key: data}

    await StoredObjectDeletion.filter(id__in=[q.id for q in queued]).update(
        next_attempt_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    assert await assets.purge_objects(storage_api.storage) == 2

    assert await storage_api.objects() == {}
    assert await due_deletions().count() == 0


async def test_stale_pending_uploads_are_cleaned(storage_api: Backend) -> None:
    api = storage_api.api
    where = await place(api)
    two_days_ago = datetime.now(UTC) - timedelta(days=2)
    stale_uploaded = await announce(api, where.user, where.project_id, png(20, 1))
    assert (await storage_api.upload(stale_uploaded, png(20, 1))).status_code == 200
    stale_empty = await announce(api, where.user, where.project_id, png(20, 2))
    fresh = await announce(api, where.user, where.project_id, png(20, 3))
    assert (await storage_api.upload(fresh, png(20, 3))).status_code == 200
    old_ready_id, old_ready_key = await ready_asset(
        storage_api, where.user, where.project_id, png(20, 4)
    )
    stale_ids = [stale_uploaded["asset"]["id"], stale_empty["asset"]["id"]]
    await Asset.filter(id__in=[*stale_ids, old_ready_id]).update(created_at=two_days_ago)
    fresh_key = await key_of(fresh["asset"]["id"])

    assert await assets.clean_stale_uploads(storage_api.storage) == 2

    assert {str(a.id): a.status for a in await Asset.all()} == {
        fresh["asset"]["id"]: AssetStatus.PENDING,
        old_ready_id: AssetStatus.READY,
    }
    assert await storage_api.objects() == {
        staging_key(fresh_key): png(20, 3),
        old_ready_key: png(20, 4),
    }
    assert await due_deletions().count() == 0
    # The fresh one can still be completed.
    done = await api.gql(COMPLETE_ASSET_UPLOAD, where.user.token, id=fresh["asset"]["id"])
    assert done["completeAssetUpload"]["status"] == "READY"


# --- local storage only: our own signed tokens ---------------------------------------------


@LOCAL_ONLY
async def test_local_upload_refuses_forged_tokens(storage_api: Backend) -> None:
    api = storage_api.api
    where = await place(api)
    data = png(50, seed=12)
    upload = await announce(api, where.user, where.project_id, data)
    token = token_of(upload["uploadUrl"])
    header, payload, signature = token.split(".")
    claims = jwt.decode(token, options={"verify_signature": False})
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    forged = [
        f"{header}.{payload}.{flipped}",
        f"{header}.{payload}.",
        craft_token(claims, secret="another-secret-key-that-is-long-enough-for-hs256"),
        jwt.encode(claims, "", algorithm="none"),
        "not-a-token",
    ]
    for bad in forged:
        response = await api.client.put(f"/uploads/{bad}", headers=upload["headers"], content=data)
        assert response.status_code == 403, (bad, response.text)
        assert response.json()["code"] == "FORBIDDEN"

    assert await storage_api.objects() == {}
    assert await status_of(upload["asset"]["id"]) == AssetStatus.PENDING


@LOCAL_ONLY
async def test_local_tokens_expire(storage_api: Backend) -> None:
    api = storage_api.api
    where = await place(api)
    data = png(50, seed=13)
    upload = await announce(api, where.user, where.project_id, data)
    asset_id = upload["asset"]["id"]
    key = await key_of(asset_id)
    claims = jwt.decode(token_of(upload["uploadUrl"]), options={"verify_signature": False})
    assert claims == {
        "op": "put",
        "asset": asset_id,
        "key": key,
        "ct": "image/png",
        "len": 50,
        "exp": claims["exp"],
    }
    past = datetime.now(UTC) - timedelta(seconds=1)

    expired = craft_token({**claims, "exp": past})
    response = await api.client.put(f"/uploads/{expired}", headers=upload["headers"], content=data)
    assert response.status_code == 403, response.text
    assert await storage_api.objects() == {}
    without_exp = craft_token({k: v for k, v in claims.items() if k != "exp"})
    response = await api.client.put(
        f"/uploads/{without_exp}", headers=upload["headers"], content=data
    )
    assert response.status_code == 403, response.text
    assert await storage_api.objects() == {}

    # The same claims with a future expiry are accepted: only the expiry made the difference.
    valid = craft_token({**claims, "exp": datetime.now(UTC) + timedelta(minutes=1)})
    response = await api.client.put(f"/uploads/{valid}", headers=upload["headers"], content=data)
    assert response.status_code == 200, response.text
    await api.gql(COMPLETE_ASSET_UPLOAD, where.user.token, id=asset_id)

    get_claims = {
        "op": "get",
        "asset": asset_id,
        "key": key,
        "ct": "image/png",
        "name": "frame.png",
    }
    response = await api.client.get(f"/media/{craft_token({**get_claims, 'exp': past})}")
    assert response.status_code == 403, response.text
    future = datetime.now(UTC) + timedelta(minutes=1)
    response = await api.client.get(f"/media/{craft_token({**get_claims, 'exp': future})}")
    assert response.status_code == 200, response.text
    assert response.content == data


@LOCAL_ONLY
async def test_local_tokens_are_bound_to_their_operation(storage_api: Backend) -> None:
    api = storage_api.api
    where = await place(api)
    data = png(50, seed=14)
    upload = await announce(api, where.user, where.project_id, data, sceneId=where.scene_id)
    asset_id = upload["asset"]["id"]
    put_token = token_of(upload["uploadUrl"])

    # A download token of a PENDING asset (only someone with the secret can make one).
    claims = jwt.decode(put_token, options={"verify_signature": False})
    get_token = craft_token({**claims, "op": "get", "name": "frame.png"})
    response = await api.client.put(
        f"/uploads/{get_token}", headers=upload["headers"], content=data
    )
    assert response.status_code == 403, response.text
    assert await storage_api.objects() == {}

    assert (await storage_api.upload(upload, data)).status_code == 200
    await api.gql(COMPLETE_ASSET_UPLOAD, where.user.token, id=asset_id)
    listed = await api.gql(SCENE_ASSETS, where.user.token, id=where.scene_id)
    download_token = token_of(listed["scene"]["assets"][0]["url"])

    # The upload token cannot download the READY asset, the download token cannot upload.
    response = await api.client.get(f"/media/{put_token}")
    assert response.status_code == 403, response.text
    response = await api.client.put(
        f"/uploads/{download_token}", headers=upload["headers"], content=png(50, seed=15)
    )
    assert response.status_code == 403, response.text
    assert await storage_api.objects() == {await key_of(asset_id): data}


@LOCAL_ONLY
async def test_local_upload_token_is_dead_once_the_asset_is_complete(
    storage_api: Backend,
) -> None:
    api = storage_api.api
    where = await place(api)
    data = png(50, seed=16)
    upload = await announce(api, where.user, where.project_id, data)
    assert (await storage_api.upload(upload, data)).status_code == 200
    await api.gql(COMPLETE_ASSET_UPLOAD, where.user.token, id=upload["asset"]["id"])
    key = await key_of(upload["asset"]["id"])

    response = await storage_api.upload(upload, png(50, seed=23))

    assert response.status_code == 404, response.text
    assert response.json()["code"] == "NOT_FOUND"
    assert await storage_api.objects() == {key: data}
    assert await status_of(upload["asset"]["id"]) == AssetStatus.READY


@LOCAL_ONLY
async def test_local_upload_token_cannot_be_redirected_to_another_asset(
    storage_api: Backend,
) -> None:
    api = storage_api.api
    where = await place(api)
    mine, target = png(50, seed=17), png(60, seed=18)
    first = await announce(api, where.user, where.project_id, mine)
    second = await announce(api, where.user, where.project_id, target)
    second_key = await key_of(second["asset"]["id"])
    header, _, signature = token_of(first["uploadUrl"]).split(".")
    claims = jwt.decode(token_of(first["uploadUrl"]), options={"verify_signature": False})
    edited = {**claims, "asset": second["asset"]["id"], "key": second_key, "len": 60}
    edited_payload = jwt.utils.base64url_encode(json.dumps(edited).encode()).decode()

    response = await api.client.put(
        f"/uploads/{header}.{edited_payload}.{signature}",
        headers=first["headers"],
        content=png(60, seed=19),
    )

    assert response.status_code == 403, response.text
    assert await storage_api.objects() == {}
    assert (await storage_api.upload(second, target)).status_code == 200
    assert await storage_api.objects() == {staging_key(second_key): target}


@LOCAL_ONLY
async def test_local_upload_needs_the_announced_content_type(storage_api: Backend) -> None:
    api = storage_api.api
    where = await place(api)
    data = png(50, seed=20)
    upload = await announce(api, where.user, where.project_id, data)

    for headers in ({"Content-Type": "image/jpeg"}, {"Content-Type": "text/plain"}, {}):
        response = await storage_api.upload(upload, data, headers=headers)
        assert response.status_code == 400, (headers, response.text)
        assert response.json() == {
            "error": "Send the announced Content-Type: image/png.",
            "code": "BAD_USER_INPUT",
            "field": "Content-Type",
        }
    assert await storage_api.objects() == {}
    # Parameters and case do not matter.
    response = await storage_api.upload(
        upload, data, headers={"Content-Type": "Image/PNG; charset=binary"}
    )
    assert response.status_code == 200, response.text


@LOCAL_ONLY
async def test_local_streamed_upload_over_the_announced_size_keeps_nothing(
    storage_api: Backend,
) -> None:
    api = storage_api.api
    where = await place(api)
    data = png(3000, seed=21)
    upload = await announce(api, where.user, where.project_id, data)

    async def chunks(body: bytes) -> AsyncIterator[bytes]:
        for start in range(0, len(body), 1000):
            yield body[start : start + 1000]

    response = await storage_api.upload(upload, chunks(data + b"more"))
    assert response.status_code == 413, response.text
    assert await storage_api.objects() == {}

    response = await storage_api.upload(upload, chunks(data))
    assert response.status_code == 200, response.text
    assert await storage_api.objects() == {staging_key(await key_of(upload["asset"]["id"])): data}


@LOCAL_ONLY
async def test_local_media_of_a_deleted_asset_is_gone(storage_api: Backend) -> None:
    api = storage_api.api
    where = await place(api)
    data = png(50, seed=22)
    asset_id, _ = await ready_asset(
        storage_api, where.user, where.project_id, data, sceneId=where.scene_id
    )
    listed = await api.gql(SCENE_ASSETS, where.user.token, id=where.scene_id)
    url = listed["scene"]["assets"][0]["url"]
    response = await storage_api.request("GET", url)
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'inline; filename="frame.png"'

    await api.gql(DELETE_ASSET, where.user.token, id=asset_id)

    response = await storage_api.request("GET", url)
    assert response.status_code == 404, response.text
    assert response.json()["code"] == "NOT_FOUND"


async def test_s3_urls_are_signed_for_the_public_endpoint(
    make_api: MakeApi, moto_url: str, aws_env: None
) -> None:
    """S3_PUBLIC_ENDPOINT_URL: browsers get URLs on that host, the API talks to S3_ENDPOINT_URL."""
    public = moto_url.replace("127.0.0.1", "localhost")
    async with s3_backend(make_api, moto_url, s3_public_endpoint_url=public) as backend:
        where = await place(backend.api)
        data = png(5000, seed=24)
        upload = await announce(
            backend.api, where.user, where.project_id, data, sceneId=where.scene_id
        )
        assert upload["uploadUrl"].startswith(f"{public}/{backend.bucket}/projects/")

        assert (await backend.upload(upload, data)).status_code == 200
        done = await backend.api.gql(
            COMPLETE_ASSET_UPLOAD, where.user.token, id=upload["asset"]["id"]
        )
        assert done["completeAssetUpload"]["status"] == "READY"

        listed = await backend.api.gql(SCENE_ASSETS, where.user.token, id=where.scene_id)
        url = listed["scene"]["assets"][0]["url"]
        assert url.startswith(f"{public}/{backend.bucket}/projects/")
        download = await backend.request("GET", url)
        assert download.status_code == 200, download.text
        assert download.content == data
