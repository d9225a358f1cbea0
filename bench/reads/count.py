"""SQL statements per request, counted for every system (never under load).

Storygraph: `app.create_app` is built in this process against the benchmark database and served
through httpx.ASGITransport (lifespan by asgi_lifespan); every statement Tortoise sends is logged
at DEBUG on the `tortoise.db_client` logger, which a handler counts for the duration of each
request (the pool's "Created/Closed connection pool" messages are not statements). The code of
the application is used as is. Baseline: bench.reads.baseline counts the statements it sends.
PostGraphile: its server (bench/reads/postgraphile/server.mjs) records every statement its `pg`
clients send between POST and GET /__bench/trace; that includes the `begin`, `select
set_config(...)` (the caller's id) and `commit` that PostGraphile wraps a request in when it has
settings to pass to PostgreSQL.
"""

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager

from bench.reads.baseline import Baseline, to_asyncpg_dsn

TORTOISE_LOGGER = "tortoise.db_client"
_NOT_STATEMENTS = ("Created connection pool", "Closed connection pool")


@dataclass(frozen=True)
class Probe:
    """One request of the counting pass."""

    workload: str
    body: dict[str, Any]
    token: str


@dataclass
class Counted:
    workload: str
    statements: list[str]
    response_bytes: int
    body: Any


class _StatementLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        # Statements are logged as ("%s: %s", query, values) or as the bare query; the pool's
        # life-cycle messages ("Created connection pool %s ...") are not statements.
        if str(record.msg).startswith(_NOT_STATEMENTS):
            return
        sql = record.args[0] if isinstance(record.args, tuple) and record.args else record.msg
        self.statements.append(" ".join(str(sql).split()))


async def _send(client: httpx.AsyncClient, probe: Probe) -> httpx.Response:
    response = await client.post(
        "/graphql", json=probe.body, headers={"Authorization": f"Bearer {probe.token}"}
    )
    if response.status_code != 200 or "errors" in response.json():
        raise RuntimeError(
            f"counting pass: {probe.workload} got HTTP {response.status_code}: "
            f"{response.text[:500]}"
        )
    return response


async def count_storygraph(
    database_url: str, secret: str, scratch: Path, probes: list[Probe]
) -> list[Counted]:
    from app import create_app
    from services.settings import Settings

    settings = Settings(
        database_url=database_url,
        secret_key=secret,
        redis_url=None,
        run_worker=False,
        storage_url=f"file://{scratch}",
        data_dir=scratch,
        log_level="WARNING",
    )
    app = create_app(settings)
    logger = logging.getLogger(TORTOISE_LOGGER)
    handler = _StatementLog()
    saved = (logger.level, logger.propagate)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logger.addHandler(handler)
    counted: list[Counted] = []
    try:
        async with LifespanManager(app) as manager:
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://sg") as client:
                for probe in probes:
                    handler.statements = []
                    response = await _send(client, probe)
                    counted.append(
                        Counted(
                            probe.workload,
                            handler.statements,
                            len(response.content),
                            response.json(),
                        )
                    )
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
    return counted


async def count_baseline(database_url: str, secret: str, probes: list[Probe]) -> list[Counted]:
    app = Baseline(to_asyncpg_dsn(database_url), secret)
    counted: list[Counted] = []
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://baseline") as client:
            for probe in probes:
                app.trace = []
                response = await _send(client, probe)
                statements = [" ".join(sql.split()) for sql in app.trace]
                app.trace = None
                counted.append(
                    Counted(probe.workload, statements, len(response.content), response.json())
                )
    return counted


async def count_postgraphile(url: str, probes: list[Probe]) -> list[Counted]:
    counted: list[Counted] = []
    async with httpx.AsyncClient(base_url=url, timeout=60, trust_env=False) as client:
        for probe in probes:
            (await client.post("/__bench/trace")).raise_for_status()
            response = await _send(client, probe)
            trace = await client.get("/__bench/trace")
            trace.raise_for_status()
            statements = [" ".join(str(sql).split()) for sql in trace.json()]
            counted.append(
                Counted(probe.workload, statements, len(response.content), response.json())
            )
    return counted
