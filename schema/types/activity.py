"""`ActivityEvent`, `Actor` and the activity connection (API.md 2.4)."""

from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from models import ActivityEvent as ActivityEventModel
from schema.connections import PageInfo
from schema.enums import ActorKind
from schema.permissions import CanRead
from schema.relations import RowType
from services import sql
from services.activity_feed import parse_at


@strawberry.type
class Actor:
    kind: ActorKind
    user_id: strawberry.ID | None
    api_key_id: strawberry.ID | None
    job_id: strawberry.ID | None


def _id(value: Any) -> strawberry.ID | None:
    return None if value is None else strawberry.ID(str(value))


@strawberry.type
class ActivityEvent(RowType):
    model = ActivityEventModel
    seq: int = strawberry.field(
        description="1, 2, 3 … within the project, without gaps, in commit order."
    )
    at: datetime
    action: str = strawberry.field(
        description="entity.verb, e.g. project.updated, storyboard.created, scene.moved, "
        "task.completed, job.succeeded, asset.ready, character.deleted, project.archived"
    )
    entity_type: str
    entity_id: strawberry.ID
    changes: JSON | None = strawberry.field(
        description="Updates: {field: {old, new}} of what changed. Creations: the new values. "
        "Deletions: the old. Never a secret (password hash, key, token)."
    )
    row: strawberry.Private[sql.Row]

    @strawberry.field(permission_classes=[CanRead])
    def actor(self) -> Actor:
        row = self.row
        return Actor(
            kind=ActorKind(row["actor_kind"]),
            user_id=_id(row["actor_user_id"]),
            api_key_id=_id(row["actor_api_key_id"]),
            job_id=_id(row["actor_job_id"]),
        )

    @classmethod
    def from_payload(cls, event: dict[str, Any]) -> "ActivityEvent":
        """From the JSON shape of an event (services.activity.payload): the stream's items."""
        actor = event["actor"]
        return cls.from_row(
            {
                "seq": event["seq"],
                "at": parse_at(event["at"]),
                "action": event["action"],
                "entity_type": event["entityType"],
                "entity_id": event["entityId"],
                "changes": event["changes"],
                "actor_kind": actor["kind"],
                "actor_user_id": actor["userId"],
                "actor_api_key_id": actor["apiKeyId"],
                "actor_job_id": actor["jobId"],
            }
        )


@strawberry.type
class ActivityEdge:
    cursor: str
    node: ActivityEvent


@strawberry.type
class ActivityConnection:
    edges: list[ActivityEdge]
    page_info: PageInfo
    total_count: int = strawberry.field(description="Number of items in the whole list, all pages.")
