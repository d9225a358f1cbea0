"""`Asset` and `AssetUpload`."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON

from models import Asset as AssetModel
from resolvers import assets, characters, keyframes
from resolvers.context import Info
from schema.enums import AssetKind, AssetStatus
from schema.permissions import relation
from schema.relations import RowType, batched
from schema.types.node import Node
from services import sql
from services.storage import UploadTarget

if TYPE_CHECKING:
    from schema.types.character import Character
    from schema.types.keyframe import Keyframe

CharacterRef = Annotated["Character", strawberry.lazy("schema.types.character")]
KeyframeRef = Annotated["Keyframe", strawberry.lazy("schema.types.keyframe")]


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

    @batched(
        reader=characters.characters_by_ids,
        shape="value",
        key="character_id",
        description="The character it is attached to, if any.",
    )
    def character(self) -> CharacterRef | None: ...

    @batched(
        reader=keyframes.keyframes_by_ids,
        shape="value",
        key="keyframe_id",
        description="The keyframe it is attached to, if any.",
    )
    def keyframe(self) -> KeyframeRef | None: ...


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
