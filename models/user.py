"""Users and the API keys they issue to partners."""

from tortoise import fields
from tortoise.models import Model

from models.fields import CheckedIntField


class User(Model):
    id = fields.UUIDField(primary_key=True)
    email = fields.CharField(max_length=320, unique=True)
    password_hash = fields.CharField(max_length=255)
    name = fields.CharField(max_length=200, null=True)
    image = fields.CharField(max_length=2048, null=True)
    # Session tokens carry the generation they were issued in; raising it (logOutEverywhere,
    # changePassword) ends every token issued before (services.auth).
    session_generation = CheckedIntField(minimum=0, default=0, db_default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "users"


class ApiKey(Model):
    """A partner credential; only a SHA-256 of the secret is stored (it has 256 bits of entropy)."""

    id = fields.UUIDField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="api_keys", on_delete=fields.CASCADE, db_index=True
    )
    name = fields.CharField(max_length=200)
    prefix = fields.CharField(max_length=16)
    key_hash = fields.CharField(max_length=64, unique=True)
    scopes: list[str] = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    user_id: object

    class Meta:
        table = "api_keys"
