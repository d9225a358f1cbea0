"""Tortoise configuration and the database lifecycle helpers shared by the app, CLI and tests."""

import os
from typing import Any

from tortoise import Tortoise, connections

from services.settings import DEFAULT_DATABASE_URL


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": database_url},
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
