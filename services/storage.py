"""Object storage behind one small interface: a local folder (embedded) or an S3 bucket.

Clients never send bytes through GraphQL: they PUT them to a short-lived upload URL and read
them from a short-lived download URL. The S3 backend presigns those URLs (aioboto3, one
session and client per process); the local backend serves them itself under /uploads and
/media with tokens signed by SECRET_KEY, each bound to one asset, one key and one operation.

An upload URL writes to the asset's staging key, never to its key: `seal` snapshots the staged
bytes to the key when the asset is completed, so an upload that finishes (or starts: an S3 URL
stays valid) after completion can never change what was verified and is served.
"""

import contextlib
import os
import re
import tempfile
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import aioboto3
import jwt
from botocore.config import Config
from botocore.exceptions import ClientError

from services.errors import DomainError, Forbidden, InvalidInput
from services.media_types import delivery

UPLOAD_URL_SECONDS = 15 * 60
DOWNLOAD_URL_SECONDS = 60 * 60
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class UploadTarget:
    url: str
    method: str
    headers: dict[str, str]


@dataclass(frozen=True)
class StoredObject:
    size: int
    content_type: str | None

    def matches(self, size: int, content_type: str) -> bool:
        """Has the announced size, and type when the backend keeps one (S3 does)."""
        return self.size == size and (
            self.content_type is None or self.content_type.lower() == content_type
        )


class UploadTooLarge(DomainError):
    """The body has more bytes than the upload announced."""

    code = "BAD_USER_INPUT"


def object_key(project_id: uuid.UUID, asset_id: uuid.UUID, file_name: str) -> str:
    """The storage key of an asset; a client's file name can never leave its folder."""
    base = re.split(r"[\\/]", file_name)[-1]
    safe = _UNSAFE.sub("_", base).strip("._")[:200] or "file"
    return f"projects/{project_id}/assets/{asset_id}/{safe}"


def staging_key(key: str) -> str:
    """Where the upload URL of the object at `key` puts its bytes; never served. Each asset has
    a folder of its own, so this cannot be another asset's key."""
    return f"{key}.upload"


class Storage(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def upload_target(
        self, asset_id: uuid.UUID, key: str, content_type: str, size: int
    ) -> UploadTarget: ...

    async def download_url(
        self, asset_id: uuid.UUID, key: str, content_type: str, file_name: str
    ) -> str: ...

    async def stat(self, key: str) -> StoredObject | None: ...

    async def seal(self, key: str, size: int, content_type: str) -> StoredObject | None:
        """Snapshot what was uploaded for `key` (its staging object) and describe the snapshot
        (None: nothing uploaded). The snapshot becomes the object at `key` only if it
        `matches(size, content_type)`; later uploads never change it. A refused snapshot is
        left (or put back) on the staging key, to be replaced by the next upload."""
        ...

    async def delete(self, key: str) -> None: ...


@dataclass(frozen=True)
class LocalToken:
    op: str
    asset_id: uuid.UUID
    key: str
    content_type: str
    size: int
    file_name: str


class LocalStorage:
    """Files under `root`; upload and download go through this API's /uploads and /media."""

    def __init__(self, root: Path, public_url: str, secret: str) -> None:
        self.root = root.resolve()
        self.public_url = public_url.rstrip("/")
        self._secret = secret

    async def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)

    async def stop(self) -> None:
        pass

    def _token(
        self, op: str, asset_id: uuid.UUID, key: str, content_type: str, **extra: Any
    ) -> str:
        seconds = UPLOAD_URL_SECONDS if op == "put" else DOWNLOAD_URL_SECONDS
        claims = {
            "op": op,
            "asset": str(asset_id),
            "key": key,
            "ct": content_type,
            "exp": datetime.now(UTC) + timedelta(seconds=seconds),
            **extra,
        }
        return jwt.encode(claims, self._secret, algorithm="HS256")

    def verify(self, token: str, op: str) -> LocalToken:
        """The claims of a token made by this storage for `op`; Forbidden otherwise."""
        try:
            claims = jwt.decode(
                token, self._secret, algorithms=["HS256"], options={"require": ["exp"]}
            )
            if claims["op"] != op:
                raise Forbidden("This URL is not for this operation.")
            return LocalToken(
                op=op,
                asset_id=uuid.UUID(claims["asset"]),
                key=claims["key"],
                content_type=claims["ct"],
                size=int(claims.get("len", 0)),
                file_name=claims.get("name", ""),
            )
        except (jwt.InvalidTokenError, KeyError, ValueError) as exc:
            raise Forbidden("This URL is invalid or has expired.") from exc

    async def upload_target(
        self, asset_id: uuid.UUID, key: str, content_type: str, size: int
    ) -> UploadTarget:
        token = self._token("put", asset_id, key, content_type, len=size)
        return UploadTarget(
            f"{self.public_url}/uploads/{token}", "PUT", {"Content-Type": content_type}
        )

    async def download_url(
        self, asset_id: uuid.UUID, key: str, content_type: str, file_name: str
    ) -> str:
        token = self._token("get", asset_id, key, content_type, name=file_name)
        return f"{self.public_url}/media/{token}"

    def path_of(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root):
            raise Forbidden("This key is outside the storage folder.")
        return path

    async def write(self, key: str, chunks: AsyncIterator[bytes], limit: int) -> int:
        """Stream `chunks` into the object at `key`; past `limit` bytes refuse and keep nothing."""
        path = self.path_of(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        written = 0
        try:
            with os.fdopen(fd, "wb") as out:
                async for chunk in chunks:
                    written += len(chunk)
                    if written > limit:
                        raise UploadTooLarge(f"The body exceeds the announced {limit} bytes.")
                    out.write(chunk)
            os.replace(temp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
        return written

    async def stat(self, key: str) -> StoredObject | None:
        try:
            return StoredObject(size=self.path_of(key).stat().st_size, content_type=None)
        except FileNotFoundError:
            return None

    async def seal(self, key: str, size: int, content_type: str) -> StoredObject | None:
        final = self.path_of(key)
        staged = self.path_of(staging_key(key))
        private = final.with_name(f".seal-{uuid.uuid4().hex}")
        try:
            # Atomic: from here on a PUT still on its way creates a new staging file and
            # cannot touch these bytes.
            os.replace(staged, private)
        except FileNotFoundError:
            # Nothing new uploaded; an earlier seal may have published the object already.
            return await self.stat(key)
        try:
            found = StoredObject(size=private.stat().st_size, content_type=None)
            if not found.matches(size, content_type):
                _move_unless_taken(private, staged)  # a newer upload wins
            elif not _move_unless_taken(private, final):
                # A concurrent seal published first; what it published stays.
                return await self.stat(key)
            return found
        finally:
            private.unlink(missing_ok=True)

    async def delete(self, key: str) -> None:
        path = self.path_of(key)
        path.unlink(missing_ok=True)
        # Remove the asset's now-empty folder; the project folder may still hold others.
        with contextlib.suppress(OSError):
            path.parent.rmdir()


def _move_unless_taken(source: Path, target: Path) -> bool:
    """Rename `source` to `target` unless `target` exists (then `source` stays); moved?"""
    try:
        os.link(source, target)  # atomic, and never replaces `target`
    except FileExistsError:
        return False
    except OSError:
        # A filesystem without hard links: the same, but a concurrent writer could slip in
        # between the check and the rename.
        if target.exists():
            return False
        os.replace(source, target)
        return True
    source.unlink()
    return True


def _missing(exc: ClientError) -> bool:
    return exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound")


class S3Storage:
    """An S3-compatible bucket through aioboto3: one session and one client per process."""

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None,
        public_endpoint_url: str | None,
        region: str,
    ) -> None:
        self.bucket = bucket
        self._endpoint_url = endpoint_url
        self._public_endpoint_url = public_endpoint_url or endpoint_url
        self._region = region
        self._stack = contextlib.AsyncExitStack()
        self._client: Any = None
        self._signer: Any = None

    async def start(self) -> None:
        session = aioboto3.Session()
        config = Config(signature_version="s3v4", s3={"addressing_style": "path"})
        self._client = await self._stack.enter_async_context(
            session.client(
                "s3", endpoint_url=self._endpoint_url, region_name=self._region, config=config
            )
        )
        # Presigned URLs are signed for the host the browser will use, which can differ from
        # the one this process reaches (e.g. http://minio:9000 inside compose).
        self._signer = self._client
        if self._public_endpoint_url != self._endpoint_url:
            self._signer = await self._stack.enter_async_context(
                session.client(
                    "s3",
                    endpoint_url=self._public_endpoint_url,
                    region_name=self._region,
                    config=config,
                )
            )

    async def stop(self) -> None:
        await self._stack.aclose()

    async def upload_target(
        self, asset_id: uuid.UUID, key: str, content_type: str, size: int
    ) -> UploadTarget:
        url = await self._signer.generate_presigned_url(
            "put_object",
            Params={
                "Bucket": self.bucket,
                "Key": staging_key(key),
                "ContentType": content_type,
                "ContentLength": size,
            },
            ExpiresIn=UPLOAD_URL_SECONDS,
        )
        return UploadTarget(url, "PUT", {"Content-Type": content_type})

    async def download_url(
        self, asset_id: uuid.UUID, key: str, content_type: str, file_name: str
    ) -> str:
        # The bucket may share nothing with our origin, but its own origin hosts every
        # project's media: active content is a download there too.
        served = delivery(content_type, file_name)
        url: str = await self._signer.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": key,
                "ResponseContentType": served.content_type,
                "ResponseContentDisposition": served.content_disposition,
            },
            ExpiresIn=DOWNLOAD_URL_SECONDS,
        )
        return url

    async def stat(self, key: str) -> StoredObject | None:
        try:
            head = await self._client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if _missing(exc):
                return None
            raise
        return StoredObject(size=head["ContentLength"], content_type=head.get("ContentType"))

    async def seal(self, key: str, size: int, content_type: str) -> StoredObject | None:
        # A server-side copy is the snapshot: a presigned PUT keeps working until it expires,
        # but only ever replaces the staging object.
        staged = staging_key(key)
        try:
            await self._client.copy_object(
                Bucket=self.bucket, Key=key, CopySource={"Bucket": self.bucket, "Key": staged}
            )
        except ClientError as exc:
            if _missing(exc):
                # Nothing uploaded; an earlier seal may have published the object already.
                return await self.stat(key)
            raise
        found = await self.stat(key)
        if found is None or not found.matches(size, content_type):
            await self.delete(key)
            return found
        await self.delete(staged)
        return found

    async def delete(self, key: str) -> None:
        await self._client.delete_object(Bucket=self.bucket, Key=key)


def storage_from_url(
    url: str,
    *,
    secret: str,
    public_url: str,
    s3_endpoint_url: str | None = None,
    s3_public_endpoint_url: str | None = None,
    region: str = "us-east-1",
) -> Storage:
    """`file://<folder>` (relative paths allowed: file://./data/media) or `s3://<bucket>`."""
    if url.startswith("file://"):
        return LocalStorage(Path(url.removeprefix("file://")), public_url, secret)
    if url.startswith("s3://"):
        bucket = url.removeprefix("s3://").strip("/")
        if not bucket:
            raise InvalidInput(
                "STORAGE_URL s3://<bucket> needs a bucket name.", field="STORAGE_URL"
            )
        return S3Storage(
            bucket,
            endpoint_url=s3_endpoint_url,
            public_endpoint_url=s3_public_endpoint_url,
            region=region,
        )
    raise InvalidInput("STORAGE_URL must start with file:// or s3://.", field="STORAGE_URL")
