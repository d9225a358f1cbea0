"""Media hardening (the hardening issue's defects 4 and 12), on local storage and on moto S3.

Uses the fixtures and helpers of test_assets.py: `storage_api` runs each test against a folder
served by the app itself and against an S3 bucket on a moto server.
"""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

from models import AssetStatus, StoredObjectDeletion
from services import assets
from services.storage import UPLOAD_URL_SECONDS, staging_key
from tests.api.test_assets import (
    COMPLETE_ASSET_UPLOAD,
    CREATE_ASSET_UPLOAD,
    LOCAL_ONLY,
    Backend,
    announce,
    aws_env,
    key_of,
    moto_url,
    place,
    png,
    status_of,
    storage_api,
    upload_input,
)

# Fixtures used by this module's tests, imported from test_assets.py.
__all__ = ["aws_env", "moto_url", "storage_api"]

SANDBOX = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


async def url_of(backend: Backend, token: str, asset_id: str) -> str:
    """The asset's download URL, as completeAssetUpload returns it."""
    done = await backend.api.gql(COMPLETE_ASSET_UPLOAD, token, id=asset_id)
    assert done["completeAssetUpload"]["status"] == "READY"
    url: str = done["completeAssetUpload"]["url"]
    return url


# --- defect 4: stored XSS on the API origin ------------------------------------------------


async def test_defect_4_media_never_rendered_inline(storage_api: Backend) -> None:
    """Active content (HTML, SVG, XML, JavaScript) may be stored but is only ever served as a
    download of opaque bytes; inert media (raster images, audio, video) stays inline. Local
    responses also carry nosniff and a sandboxing CSP."""
    api = storage_api.api
    where = await place(api)
    script = b"<script>alert(localStorage.getItem('token'))</script>"
    cases: list[tuple[str, str, str, bytes, str, str]] = [
        # kind, contentType, fileName, body, expected disposition, expected type
        (
            "OTHER",
            "text/html",
            "page.html",
            b"<html>" + script,
            "attachment",
            "application/octet-stream",
        ),
        (
            "IMAGE",
            "image/svg+xml",
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg">' + script + b"</svg>",
            "attachment",
            "application/octet-stream",
        ),
        (
            "OTHER",
            "application/xhtml+xml",
            "page.xhtml",
            b"<html>" + script,
            "attachment",
            "application/octet-stream",
        ),
        (
            "OTHER",
            "application/xml",
            "data.xml",
            b"<x>" + script + b"</x>",
            "attachment",
            "application/octet-stream",
        ),
        (
            "OTHER",
            "text/xml",
            "data2.xml",
            b"<x>" + script + b"</x>",
            "attachment",
            "application/octet-stream",
        ),
        (
            "OTHER",
            "text/javascript",
            "app.js",
            b"alert(1)",
            "attachment",
            "application/octet-stream",
        ),
        (
            "OTHER",
            "application/pdf",
            "doc.pdf",
            b"%PDF-1.7 " + script,
            "attachment",
            "application/octet-stream",
        ),
        ("OTHER", "text/plain", "notes.txt", script, "attachment", "application/octet-stream"),
        ("SUBTITLE", "text/vtt", "subs.vtt", b"WEBVTT\n\n" + script, "attachment", "text/vtt"),
        (
            "SUBTITLE",
            "application/x-subrip",
            "subs.srt",
            b"1\n" + script,
            "attachment",
            "application/x-subrip",
        ),
        ("IMAGE", "image/png", "frame.png", png(64, seed=1), "inline", "image/png"),
        ("THUMBNAIL", "image/webp", "thumb.webp", b"RIFF....WEBP" + script, "inline", "image/webp"),
        ("AUDIO", "audio/mpeg", "voice.mp3", b"ID3" + script, "inline", "audio/mpeg"),
        (
            "VIDEO",
            "video/mp4",
            "clip.mp4",
            b"\x00\x00\x00\x18ftypmp42" + script,
            "inline",
            "video/mp4",
        ),
    ]
    for kind, content_type, file_name, body, disposition, served_type in cases:
        upload = await announce(
            api,
            where.user,
            where.project_id,
            body,
            kind=kind,
            contentType=content_type,
            fileName=file_name,
        )
        response = await storage_api.upload(upload, body)
        assert response.status_code == 200, (content_type, response.text)
        url = await url_of(storage_api, where.user.token, upload["asset"]["id"])

        got = await storage_api.request("GET", url)

        assert got.status_code == 200, (content_type, got.text)
        assert got.content == body, content_type
        assert got.headers["content-type"].split(";")[0] == served_type, content_type
        assert got.headers["content-disposition"] == f'{disposition}; filename="{file_name}"'
        if storage_api.local:
            assert got.headers["x-content-type-options"] == "nosniff", content_type
            assert got.headers["content-security-policy"] == SANDBOX, content_type

    # A file name that needs escaping cannot break out of the header, and keeps its UTF-8 form.
    body = b"<html>" + script
    upload = await announce(
        api,
        where.user,
        where.project_id,
        body,
        kind="OTHER",
        contentType="text/html",
        fileName='na\u00efve "x";\r\nSet-Cookie: a=b.html',
    )
    assert (await storage_api.upload(upload, body)).status_code == 200
    got = await storage_api.request(
        "GET", await url_of(storage_api, where.user.token, upload["asset"]["id"])
    )
    assert got.status_code == 200, got.text
    assert got.headers["content-disposition"] == (
        'attachment; filename="na_ve _x____Set-Cookie_ a_b.html"; '
        "filename*=UTF-8''na%C3%AFve%20%22x%22%3B%0D%0ASet-Cookie%3A%20a%3Db.html"
    )
    assert "set-cookie" not in got.headers


@LOCAL_ONLY
async def test_defect_4_local_media_and_upload_errors_are_nosniff(storage_api: Backend) -> None:
    api = storage_api.api
    where = await place(api)
    upload = await announce(api, where.user, where.project_id, png(10))

    responses = [
        await api.client.get("/media/not-a-token"),
        await api.client.put("/uploads/not-a-token", content=png(10)),
        await storage_api.upload(upload, png(10), headers={"Content-Type": "text/html"}),
        await storage_api.upload(upload, png(11)),
    ]

    assert [(r.status_code, r.json()["code"]) for r in responses] == [
        (403, "FORBIDDEN"),
        (403, "FORBIDDEN"),
        (400, "BAD_USER_INPUT"),
        (413, "BAD_USER_INPUT"),
    ]
    for response in responses:
        assert response.headers["content-type"] == "application/json"
        assert response.headers["x-content-type-options"] == "nosniff"
    ok = await storage_api.upload(upload, png(10))
    assert ok.status_code == 200, ok.text
    assert ok.headers["x-content-type-options"] == "nosniff"


# --- defect 12: a late upload replaces the verified bytes -----------------------------------


async def test_defect_12_ready_asset_cannot_be_replaced_by_a_late_upload(
    storage_api: Backend,
) -> None:
    """Local: a slow PUT that started while the asset was PENDING finishes after
    completeAssetUpload. S3: a PUT to the (still valid) upload URL after completion. Either
    way the READY asset keeps serving the bytes that were verified, and the late bytes are
    discarded (local at once, S3 once the upload URL has expired)."""
    api = storage_api.api
    where = await place(api)
    data, late = png(1000, seed=1), png(1000, seed=2)
    upload = await announce(api, where.user, where.project_id, data)
    asset_id = upload["asset"]["id"]
    key = await key_of(asset_id)
    assert (await storage_api.upload(upload, data)).status_code == 200

    if storage_api.local:
        paused, release = asyncio.Event(), asyncio.Event()

        async def slow(body: bytes) -> AsyncIterator[bytes]:
            yield body[:600]
            yield body[600:900]
            paused.set()
            await release.wait()
            yield body[900:]

        slow_put = asyncio.create_task(storage_api.upload(upload, slow(late)))
        await asyncio.wait_for(paused.wait(), 10)
        url = await url_of(storage_api, where.user.token, asset_id)
        release.set()
        response = await slow_put
    else:
        url = await url_of(storage_api, where.user.token, asset_id)
        # moto, like S3, takes a PUT to a presigned URL until the URL expires.
        response = await storage_api.upload(upload, late)
        assert response.status_code == 200, response.text

    download = await storage_api.request("GET", url)
    assert download.status_code == 200, download.text
    assert download.content == data
    assert await status_of(asset_id) == AssetStatus.READY
    assert (await storage_api.objects())[key] == data
    if storage_api.local:
        # The asset stopped waiting for an upload while this one was on its way.
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "NOT_FOUND"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert staging_key(key) not in await storage_api.objects()

    # Whatever the late upload left is swept once its URL has expired; the asset stays.
    [sweep] = await StoredObjectDeletion.all()
    assert sweep.storage_key == staging_key(key)
    assert sweep.next_attempt_at >= datetime.now(UTC) + timedelta(seconds=UPLOAD_URL_SECONDS)
    await StoredObjectDeletion.filter(id=sweep.id).update(next_attempt_at=datetime.now(UTC))
    assert await assets.purge_objects(storage_api.storage) == 1
    assert await storage_api.objects() == {key: data}
    again = await storage_api.request("GET", url)
    assert (again.status_code, again.content) == (200, data)


async def test_a_refused_completion_publishes_nothing(storage_api: Backend) -> None:
    """A wrong-sized upload is refused and never becomes the asset's object; the right bytes
    uploaded afterwards complete it."""
    api = storage_api.api
    where = await place(api)
    data = png(1000, seed=3)
    upload = await announce(api, where.user, where.project_id, data)
    asset_id = upload["asset"]["id"]
    key = await key_of(asset_id)

    assert (await storage_api.upload(upload, data[:999])).status_code == 200
    error = await api.gql_error(COMPLETE_ASSET_UPLOAD, where.user.token, id=asset_id)
    assert (error["extensions"]["code"], error["extensions"]["field"]) == (
        "BAD_USER_INPUT",
        "sizeBytes",
    )
    assert await status_of(asset_id) == AssetStatus.PENDING
    assert key not in await storage_api.objects()

    assert (await storage_api.upload(upload, data)).status_code == 200
    url = await url_of(storage_api, where.user.token, asset_id)
    download = await storage_api.request("GET", url)
    assert (download.status_code, download.content) == (200, data)
    assert (await storage_api.objects())[key] == data


# --- content types are matched whole ---------------------------------------------------------


async def test_content_type_with_a_trailing_newline_is_refused(storage_api: Backend) -> None:
    api = storage_api.api
    where = await place(api)
    for content_type in ("image/png\n", "image/png\r\n", "image/png\nx-evil: 1", "image/png\t\n"):
        error = await api.gql_error(
            CREATE_ASSET_UPLOAD,
            where.user.token,
            input=upload_input(where.project_id, png(10), contentType=content_type),
        )
        assert error["extensions"]["code"] == "BAD_USER_INPUT", content_type
        assert error["extensions"]["field"] == "contentType", content_type
    assert await storage_api.objects() == {}

    # Surrounding spaces and tabs are still forgiven, and case is normalised.
    accepted = await announce(
        api, where.user, where.project_id, png(10), contentType="\tImage/PNG "
    )
    assert accepted["asset"]["contentType"] == "image/png"
