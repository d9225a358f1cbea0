"""GraphQL input types. Descriptions state the limits partners code against."""

from typing import Any

import strawberry
from strawberry.scalars import JSON

from schema.enums import AssetKind, ProjectStatus, SceneType
from schema.scalars import Long

IDEMPOTENCY = (
    "1..200 characters. A repeat by you with the same key within 24 h returns what the first "
    "request returned and creates nothing; the same key with different input is CONFLICT."
)


def provided(value: object) -> dict[str, Any]:
    """The fields a client actually sent (explicit nulls included), snake_case."""
    return {k: v for k, v in vars(value).items() if v is not strawberry.UNSET}


ARCHIVED_BY_MUTATION = "Not ARCHIVED (BAD_USER_INPUT): use archiveProject."


@strawberry.input
class CreateProjectInput:
    title: str = strawberry.field(description="1..500 characters.")
    description: str | None = strawberry.field(
        default=None, description="At most 20,000 characters."
    )
    status: ProjectStatus | None = strawberry.field(
        default=ProjectStatus.ACTIVE, description=ARCHIVED_BY_MUTATION
    )


@strawberry.input(
    description=(
        "Only the fields sent change; `description: null` clears it. An archived project "
        "takes no update (CONFLICT)."
    )
)
class UpdateProjectInput:
    title: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    status: ProjectStatus | None = strawberry.field(
        default=strawberry.UNSET,
        description=ARCHIVED_BY_MUTATION,
    )


@strawberry.input
class CreateStoryboardInput:
    project_id: strawberry.ID
    title: str = strawberry.field(description="1..500 characters.")
    brief: str = strawberry.field(description="1..20,000 characters.")
    reference_urls: list[str] | None = strawberry.field(
        default_factory=list, description="At most 20 http(s) URLs."
    )


@strawberry.input
class SceneInput:
    scene_type: SceneType | None = SceneType.CONTENT
    duration: int | None = strawberry.field(default=0, description="Seconds, 0..86,400.")
    visual_description: str = strawberry.field(description="1..20,000 characters.")
    script: str | None = None
    text_overlay: str | None = None
    camera_angle: str | None = None


@strawberry.input(
    description="Only the fields sent change; null clears script, textOverlay, cameraAngle."
)
class UpdateSceneInput:
    scene_type: SceneType | None = strawberry.UNSET
    duration: int | None = strawberry.field(
        default=strawberry.UNSET, description="Seconds, 0..86,400."
    )
    visual_description: str | None = strawberry.UNSET
    script: str | None = strawberry.UNSET
    text_overlay: str | None = strawberry.UNSET
    camera_angle: str | None = strawberry.UNSET


@strawberry.input
class GenerateStoryboardInput:
    project_id: strawberry.ID
    title: str = strawberry.field(description="1..500 characters.")
    brief: str = strawberry.field(description="1..20,000 characters.")
    reference_urls: list[str] | None = strawberry.field(
        default_factory=list, description="At most 20 http(s) URLs."
    )
    scene_count: int | None = strawberry.field(
        default=None, description="1..100; the generator chooses when omitted."
    )
    target_duration: int | None = strawberry.field(
        default=None, description="Seconds, 1..86,400; spread over the scenes."
    )
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY)


@strawberry.input
class CreateJobInput:
    project_id: strawberry.ID
    storyboard_id: strawberry.ID | None = None
    kind: str = strawberry.field(
        description="1..100 characters: a-z, 0-9, _ . : -, starting with a letter."
    )
    payload: JSON | None = None
    max_attempts: int | None = strawberry.field(default=3, description="1..20.")
    stages: list[str] | None = strawberry.field(
        default=None,
        description="1..50 distinct stage names (same rule as kind): the order the job goes "
        "through.",
    )
    priority: int | None = strawberry.field(
        default=0,
        description="-100..100; claimJob takes the highest priority first, then the oldest.",
    )
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY)


@strawberry.input
class CreateAssetUploadInput:
    project_id: strawberry.ID
    storyboard_id: strawberry.ID | None = None
    scene_id: strawberry.ID | None = strawberry.field(
        default=None, description="Must lie in the project (and in storyboardId, if given)."
    )
    kind: AssetKind
    file_name: str = strawberry.field(description="1..255 characters; only its base name is kept.")
    content_type: str = strawberry.field(
        description="Must match kind: image/*, audio/*, video/*, text/vtt or "
        "application/x-subrip for SUBTITLE, image/* for THUMBNAIL."
    )
    size_bytes: Long = strawberry.field(description="1 .. 5 GiB.")
    duration_seconds: float | None = None
    quality_score: float | None = strawberry.field(default=None, description="0..1.")
    metadata: JSON | None = None
    character_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="A character of the project; the asset is attached to it (at most 200 "
        "per character).",
    )
    keyframe_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="A keyframe of the project (and of storyboardId/sceneId, if given); the "
        "asset is attached to it and lies in its scene (at most 20 per keyframe).",
    )
    job_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The job that produced it; must lie in the project (and in storyboardId, "
        "if given).",
    )
    role: str | None = strawberry.field(
        default=None, description="lower_snake_case, 1..64 characters."
    )
    order_index: int | None = strawberry.field(
        default=None,
        description="1..10,000; unique among the assets of the same owner and role (CONFLICT).",
    )
    provider: str | None = strawberry.field(default=None, description="At most 200 characters.")
    provider_ref: str | None = strawberry.field(default=None, description="At most 500 characters.")
    prompt: str | None = strawberry.field(default=None, description="At most 20,000 characters.")
    generation_params: JSON | None = None
    source_asset_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="1..100 assets of the same project (else NOT_FOUND), in order."
    )
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY)


@strawberry.input
class CreateCharacterInput:
    project_id: strawberry.ID
    name: str = strawberry.field(description="1..200 characters.")
    description: str = strawberry.field(description="0..5,000 characters.")
    consistency_key: str | None = strawberry.field(
        default=None,
        description="1..100 characters of a-z 0-9 - _, unique in the project (CONFLICT when "
        "taken). Defaults to one derived from the name (see Character.consistencyKey).",
    )
    metadata: JSON | None = None


@strawberry.input(description="Only the fields sent change; `metadata: null` clears it.")
class UpdateCharacterInput:
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    consistency_key: str | None = strawberry.UNSET
    metadata: JSON | None = strawberry.UNSET


@strawberry.input
class KeyframeInput:
    description: str = strawberry.field(description="1..5,000 characters.")
    timing_seconds: float | None = strawberry.field(
        default=0, description="Seconds from the start of the scene, 0..86400."
    )
    metadata: JSON | None = None


@strawberry.input(description="Only the fields sent change; `metadata: null` clears it.")
class UpdateKeyframeInput:
    description: str | None = strawberry.UNSET
    timing_seconds: float | None = strawberry.field(
        default=strawberry.UNSET, description="Seconds from the start of the scene, 0..86400."
    )
    metadata: JSON | None = strawberry.UNSET


@strawberry.input(description="Only the fields sent change; `patternSource: null` clears it.")
class UpdateStoryboardInput:
    title: str | None = strawberry.field(default=strawberry.UNSET, description="1..500 characters.")
    brief: str | None = strawberry.field(
        default=strawberry.UNSET, description="1..20,000 characters."
    )
    reference_urls: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="At most 20 http(s) URLs."
    )
    pattern_source: str | None = strawberry.field(
        default=strawberry.UNSET, description="0..255 characters."
    )


@strawberry.input(description="Only the fields sent change; null clears name or image.")
class UpdateMeInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="0..200 characters.")
    image: str | None = strawberry.field(
        default=strawberry.UNSET, description="An http(s) URL of at most 2,000 characters."
    )


@strawberry.input
class CreateWebhookInput:
    url: str = strawberry.field(
        description="http:// or https://, at most 2,048 characters; its host must resolve to "
        "public addresses only (unless the server sets WEBHOOK_ALLOW_PRIVATE_NETWORKS)."
    )
    events: list[str] = strawberry.field(
        description="1..50 action patterns of at most 64 characters: exact ('job.succeeded'), "
        "'entity.*' or '*'."
    )
    project_id: strawberry.ID | None = strawberry.field(
        default=None, description="null: every project of yours, those you create later too."
    )
