"""`Asset` and `AssetUpload`."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON

from models import Asset as AssetModel
from resolvers import assets, characters, jobs, keyframes, projects, scenes, storyboards
from resolvers.context import Info
from schema.enums import AssetKind, AssetStatus
from schema.permissions import relation
from schema.relations import RowType, batched
from schema.scalars import Long
from schema.types.node import Node
from services import sql
from services.storage import UploadTarget

if TYPE_CHECKING:
    from schema.types.character import Character
    from schema.types.job import Job
    from schema.types.keyframe import Keyframe
    from schema.types.project import Project
    from schema.types.scene import Scene
    from schema.types.storyboard import Storyboard

CharacterRef = Annotated["Character", strawberry.lazy("schema.types.character")]
KeyframeRef = Annotated["Keyframe", strawberry.lazy("schema.types.keyframe")]
ProjectRef = Annotated["Project", strawberry.lazy("schema.types.project")]
StoryboardRef = Annotated["Storyboard", strawberry.lazy("schema.types.storyboard")]
SceneRef = Annotated["Scene", strawberry.lazy("schema.types.scene")]
JobRef = Annotated["Job", strawberry.lazy("schema.types.job")]


@strawberry.type
class Asset(RowType, Node):
    model = AssetModel
    id: strawberry.ID
    kind: AssetKind
    status: AssetStatus
    file_name: str
    content_type: str
    size_bytes: Long | None = strawberry.field(description="1 .. 5 GiB.")
    duration_seconds: float | None
    quality_score: float | None = strawberry.field(description="0..1.")
    metadata: JSON | None
    role: str | None = strawberry.field(
        description="What it is for in the production, lower_snake 1..64 (e.g. "
        "character_image, keyframe_image, clip, voiceover, music_track, background, "
        "final_video, thumbnail, license); null when not given."
    )
    order_index: int | None = strawberry.field(
        description="Position among the assets with the same owner and role (e.g. a job's 20 "
        "music tracks); unique there; null when not given. 1..10,000."
    )
    provider: str | None
    provider_ref: str | None = strawberry.field(
        description="The provider's own id of the generated item."
    )
    prompt: str | None
    generation_params: JSON | None
    created_at: datetime
    row: strawberry.Private[sql.Row]

    @batched(reader=projects.projects_by_ids, shape="value", key="project_id")
    def project(self) -> ProjectRef: ...

    @batched(reader=storyboards.storyboards_by_ids, shape="value", key="storyboard_id")
    def storyboard(self) -> StoryboardRef | None: ...

    @batched(reader=scenes.scenes_by_ids, shape="value", key="scene_id")
    def scene(self) -> SceneRef | None: ...

    @batched(
        reader=jobs.jobs_by_ids,
        shape="value",
        key="job_id",
        description="The job that produced it.",
    )
    def job(self) -> JobRef | None: ...

    @batched(
        reader=assets.sources_for_assets,
        shape="list",
        description="The assets it was made from (a clip's keyframe images, a final video's "
        "clips and voiceover), in the order given. At most 100.",
    )
    def sources(self) -> list["Asset"]: ...

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
