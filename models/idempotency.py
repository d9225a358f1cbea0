"""Idempotency keys: what a user's keyed request created, so a repeat returns it."""

from tortoise import fields
from tortoise.models import Model

from models.user import User


class IdempotencyKey(Model):
    """One per (user, key): the unique constraint decides which of two racing requests creates.

    `request_hash` is a SHA-256 of the operation and its input; a row older than the window is
    replaced by the next request with its key.
    """

    id = fields.UUIDField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="idempotency_keys", on_delete=fields.CASCADE
    )
    key = fields.CharField(max_length=200)
    operation = fields.CharField(max_length=64)
    request_hash = fields.CharField(max_length=64)
    # The object the first request created (a job or an asset); set in the same transaction.
    object_id = fields.UUIDField(null=True)
    created_at = fields.DatetimeField(db_index=True)

    user_id: object

    class Meta:
        table = "idempotency_keys"
        unique_together = (("user_id", "key"),)
