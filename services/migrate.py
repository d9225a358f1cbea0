"""Upgrade a PostgreSQL database to the latest aerich migration, one process at a time."""

import asyncio
import logging
from pathlib import Path
from typing import Any

import asyncpg
from aerich import Command
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.context import TortoiseContext

from services.db import tortoise_config
from services.settings import Settings

log = logging.getLogger(__name__)

# The folder aerich reads, resolved from this file so the CWD does not matter.
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
APP = "models"
# Fixed key of the session-level advisory lock every migrating process takes ("storygrm").
LOCK_KEY = 0x73746F727967726D
POSTGRES_ENGINES = frozenset({"tortoise.backends.asyncpg", "tortoise.backends.psycopg"})


def is_postgres_url(database_url: str) -> bool:
    """Whether Tortoise would open `database_url` with a PostgreSQL backend."""
    try:
        engine = expand_db_url(database_url)["engine"]
    except Exception:  # unknown scheme or malformed URL
        return False
    return engine in POSTGRES_ENGINES


def _asyncpg_params(database_url: str) -> dict[str, Any]:
    """asyncpg.connect() arguments for a Tortoise URL (which may carry pool options)."""
    credentials: dict[str, Any] = expand_db_url(database_url)["credentials"]
    params = {
        key: credentials[key]
        for key in ("host", "port", "user", "password", "database", "ssl")
        if credentials.get(key) is not None
    }
    params["port"] = int(params.get("port", 5432))
    return params


async def migrate(database_url: str) -> list[str]:
    """Apply every pending migration to the PostgreSQL database at `database_url`.

    A session-level advisory lock on a separate connection makes concurrent callers (several API
    replicas starting at once) take turns: the first applies the migrations, the others then find
    nothing left to do. Each migration runs in its own transaction. Returns the files applied.
    """
    if not is_postgres_url(database_url):
        raise ValueError(
            "aerich migrations are for PostgreSQL only; SQLite creates its schema at start-up"
        )
    lock = await asyncpg.connect(**_asyncpg_params(database_url))
    try:
        if not await lock.fetchval("SELECT pg_try_advisory_lock($1)", LOCK_KEY):
            log.info("Another process is migrating this database; waiting for it to finish")
            await lock.execute("SELECT pg_advisory_lock($1)", LOCK_KEY)
        return await _upgrade(database_url)
    finally:
        await lock.close()  # ends the session, which releases the lock


async def _upgrade(database_url: str) -> list[str]:
    # A context of our own: aerich's Tortoise.init() must neither reuse nor leave behind the
    # caller's ORM state (Tortoise 1.x keeps it in a contextvar).
    async with TortoiseContext():
        command = Command(
            tortoise_config=tortoise_config(database_url, timeout=None),
            app=APP,
            location=str(MIGRATIONS_DIR),
        )
        try:
            await command.init()
            applied: list[str] = await command.upgrade(run_in_transaction=True)
        finally:
            await command.aclose()
    return applied


async def _main() -> None:
    settings = Settings()
    if not is_postgres_url(settings.database_url):
        raise SystemExit(
            "DATABASE_URL is not a PostgreSQL URL: migrations are PostgreSQL-only. "
            "The embedded SQLite database creates its schema when the app starts; "
            "set DATABASE_URL=postgres://user:password@host:5432/dbname to migrate PostgreSQL."
        )
    logging.basicConfig(level=settings.log_level.upper(), format="%(levelname)s %(message)s")
    target = _asyncpg_params(settings.database_url)
    log.info(
        "Migrating database %s on %s:%s", target.get("database"), target.get("host"), target["port"]
    )
    applied = await migrate(settings.database_url)
    if applied:
        log.info("Applied %d migration(s): %s", len(applied), ", ".join(applied))
    else:
        log.info("Database is up to date: no migration to apply")


if __name__ == "__main__":
    asyncio.run(_main())
