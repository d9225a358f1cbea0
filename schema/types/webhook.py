"""`Webhook`, `WebhookDelivery` and `CreatedWebhook`."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from models import Webhook as WebhookModel
from models import WebhookDelivery as WebhookDeliveryModel
from resolvers import projects, webhooks
from schema.connections import Connection
from schema.relations import RowType, batched
from schema.types.node import Node
from services import sql

if TYPE_CHECKING:
    from schema.types.project import Project

ProjectRef = Annotated["Project", strawberry.lazy("schema.types.project")]


@strawberry.type(description="A call to `url` for each matching activity event, signed.")
class WebhookDelivery(RowType, Node):
    model = WebhookDeliveryModel
    id: strawberry.ID
    action: str = strawberry.field(description="The event's action, or 'webhook.ping'.")
    seq: int = strawberry.field(description="The event's seq in its project; 0 for a ping.")
    attempts: int
    response_status: int | None = strawberry.field(description="null while not yet answered.")
    delivered_at: datetime | None
    next_attempt_at: datetime | None = strawberry.field(
        description="When it is tried next; null once delivered or given up (after 24 h)."
    )
    error: str | None = strawberry.field(
        description="Why the last attempt failed (at most 500 characters)."
    )
    row: strawberry.Private[sql.Row]


@strawberry.type
class Webhook(RowType, Node):
    model = WebhookModel
    id: strawberry.ID
    url: str
    events: list[str] = strawberry.field(
        description="Action patterns: exact ('job.succeeded') or 'entity.*' or '*'."
    )
    active: bool
    created_at: datetime
    row: strawberry.Private[sql.Row]

    @batched(
        reader=projects.projects_by_ids,
        shape="value",
        key="project_id",
        description="null: every project of the owner.",
    )
    def project(self) -> ProjectRef | None: ...

    @batched(
        reader=webhooks.deliveries_for_webhooks,
        shape="page",
        description="Newest first. `first` 1..100.",
    )
    def deliveries(
        self, first: int | None = 20, after: str | None = None
    ) -> Connection[WebhookDelivery]: ...


@strawberry.type(description="secret signs every delivery; shown once, here.")
class CreatedWebhook:
    secret: str
    webhook: Webhook
