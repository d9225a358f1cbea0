"""Tortoise configuration and the database lifecycle helpers shared by the app, CLI and tests."""

import os
from typing import Any

from tortoise import Tortoise, connections
from tortoise.backends.base.config_generator import expand_db_url

from services.settings import DEFAULT_DATABASE_URL

# A database that stops answering must fail requests fast, not hang them: connecting and every
# statement give up after this many seconds (PostgreSQL; SQLite is a local file).
STATEMENT_TIMEOUT = 5.0
# Our statements are fixed texts with id parameters: each prepared statement is planned once
# per connection and its generic plan reused. PostgreSQL's default re-plans an execution with
# its actual parameters whenever the generic plan's estimate looks worse, which for a
# dashboard's aggregate costs more CPU than running it (README, `make bench`).
SERVER_SETTINGS = {"plan_cache_mode": "force_generic_plan"}


def tortoise_config(
    database_url: str, *, timeout: float | None = STATEMENT_TIMEOUT
) -> dict[str, Any]:
    """Tortoise's config for `database_url`; `timeout=None` for long work such as migrations."""
    connection: str | dict[str, Any] = database_url
    if database_url.startswith(("postgres://", "asyncpg://")) and timeout is not None:
        connection = expand_db_url(database_url)
        connection["credentials"].update(
            timeout=timeout, command_timeout=timeout, server_settings=SERVER_SETTINGS
        )
    return {
        "connections": {"default": connection},
        "apps": {
            "models": {"models": ["models", "aerich.models"], "default_connection": "default"}
        },
        "use_tz": True,
        "timezone": "UTC",
    }


# Read by the aerich CLI (`[tool.aerich]` in pyproject.toml); the app builds its own from Settings.
TORTOISE_ORM = tortoise_config(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))


async def ping() -> None:
    """Raise unless the database answers a trivial query."""
    await connections.get("default").execute_query("SELECT 1")


async def create_sqlite_schema() -> None:
    """Embedded mode has no migrations (aerich's SQL is PostgreSQL's): create what is missing."""
    await Tortoise.generate_schemas(safe=True)
