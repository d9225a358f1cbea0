"""`Asset` and `AssetUpload`."""

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from models import Asset as AssetModel
from resolvers import assets
from resolvers.context import Info
from schema.enums import AssetKind, AssetStatus
from schema.permissions import relation
from schema.relations import RowType
from schema.types.node import Node
from services import sql
from services.storage import UploadTarget


@strawberry.type
class Asset(RowType, Node):
    model = AssetModel
    id: strawberry.ID
    kind: AssetKind
    status: AssetStatus
    file_name: str
    content_type: str
    size_bytes: int | None
    duration_seconds: float | None
    quality_score: float | None = strawberry.field(description="0..1.")
    metadata: JSON | None
    created_at: datetime
    row: strawberry.Private[sql.Row]

    @relation(description="Time-limited download URL; null while PENDING.")
    async def url(self, info: Info) -> str | None:
        return await assets.url(info.context, asset=self.row)


@strawberry.type(
    description="PUT the file's bytes to uploadUrl with these headers, then call "
    "completeAssetUpload. The URL expires after 15 minutes."
)
class AssetUpload:
    asset: Asset
    upload_url: str
    method: str
    headers: JSON

    @classmethod
    def from_target(cls, asset: AssetModel, target: UploadTarget) -> "AssetUpload":
        return cls(
            asset=Asset.from_model(asset),
            upload_url=target.url,
            method=target.method,
            headers=JSON(dict(target.headers)),
        )
