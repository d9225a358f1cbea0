"""Webhooks: a user's callbacks for project activity, their per-project cursors and deliveries.

There is no outbox: deliveries are made from `activity_events`. Each webhook keeps, per project it
follows, the seq of the newest event it has taken into a delivery (`WebhookCursor`); the worker
(services.webhook_delivery) takes the next matching event only when the webhook has no event
delivery still pending, so each webhook receives its events one at a time, in seq order.
"""

from enum import StrEnum

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from models.fields import CheckedIntField, EnumField
from models.project import Project
from models.user import User


class DeliveryStatus(StrEnum):
    PENDING = "PENDING"
    DELIVERED = "DELIVERED"
    FAILED = "FAILED"


class Webhook(Model):
    id = fields.UUIDField(primary_key=True)
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="webhooks", on_delete=fields.CASCADE, db_index=True
    )
    # null: every project of the owner, those made later included.
    project: fields.ForeignKeyNullableRelation[Project] = fields.ForeignKeyField(
        "models.Project",
        related_name="webhooks",
        on_delete=fields.CASCADE,
        null=True,
        db_index=True,
    )
    url = fields.CharField(max_length=2048)
    # Action patterns (services.webhooks checks them): 'job.succeeded', 'scene.*', '*'.
    events: list[str] = fields.JSONField()
    # Kept in clear: the worker signs every delivery with it (shown to the owner once).
    secret = fields.CharField(max_length=80)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    # A worker delivering for this webhook holds it until then; others leave it alone.
    lease_until = fields.DatetimeField(null=True)

    owner_id: object
    project_id: object

    class Meta:
        table = "webhooks"


class WebhookCursor(Model):
    """The seq of the newest event of `project` this webhook has taken into a delivery."""

    id = fields.UUIDField(primary_key=True)
    webhook: fields.ForeignKeyRelation[Webhook] = fields.ForeignKeyField(
        "models.Webhook", related_name="cursors", on_delete=fields.CASCADE, db_index=False
    )
    project: fields.ForeignKeyRelation[Project] = fields.ForeignKeyField(
        "models.Project", related_name="webhook_cursors", on_delete=fields.CASCADE, db_index=True
    )
    seq = CheckedIntField(minimum=0)

    webhook_id: object
    project_id: object

    class Meta:
        table = "webhook_cursors"
        unique_together = (("webhook_id", "project_id"),)


class WebhookDelivery(Model):
    """One event (or a ping) sent to one webhook, with its attempts so far."""

    id = fields.UUIDField(primary_key=True)
    webhook: fields.ForeignKeyRelation[Webhook] = fields.ForeignKeyField(
        "models.Webhook", related_name="deliveries", on_delete=fields.CASCADE, db_index=False
    )
    # Plain ids, not foreign keys: the record outlives the event (retention) and the project.
    # event_id is null for a ping.
    event_id = fields.UUIDField(null=True)
    project_id = fields.UUIDField(null=True)
    action = fields.CharField(max_length=64)
    # 0 for a ping.
    seq = CheckedIntField(minimum=0)
    status = EnumField(DeliveryStatus, default=DeliveryStatus.PENDING)
    attempts = CheckedIntField(minimum=0, default=0)
    response_status = fields.IntField(null=True)
    delivered_at = fields.DatetimeField(null=True)
    next_attempt_at = fields.DatetimeField(null=True)
    # The 24 h of retries count from here.
    first_attempt_at = fields.DatetimeField(null=True)
    # Why the last attempt failed, bounded (services.webhook_delivery.MAX_ERROR).
    error = fields.CharField(max_length=500, null=True)
    created_at = fields.DatetimeField()

    webhook_id: object

    class Meta:
        table = "webhook_deliveries"
        indexes = (
            Index(fields=("webhook_id", "created_at")),
            Index(fields=("status", "next_attempt_at")),
        )
