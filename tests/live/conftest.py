"""Fixtures for the live tests: real uvicorn servers in subprocesses, on the session database.

`server_a` runs the built-in worker (exactly one server does); `server_b` runs none and is only
started by tests that ask for it. Both live for the tests of this package and are stopped with
SIGTERM (SIGKILL after a grace period) when it ends, and must stop cleanly. Each server logs to a
file; the part written during a failing test is attached to its report, and a test fails if a
server logged a traceback during it. Every test starts with empty tables.
"""

import asyncio
import os
import signal
import socket
import sqlite3
import time
from collections.abc import AsyncIterator, Generator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest
from redis.asyncio import Redis

from schema.socket_protocol import UVICORN_WS
from services.settings import Settings
from tests.conftest import POSTGRES, REDIS_URL, SECRET
from tests.helpers import Api

ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 15.0
STOP_TIMEOUT = 10.0


@dataclass
class Server:
    name: str
    url: str
    process: asyncio.subprocess.Process
    log_path: Path
    log_mark: int = 0

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self, since: int = 0) -> str:
        with self.log_path.open("rb") as log:
            log.seek(since)
            return log.read().decode(errors="replace")

    def mark_log(self) -> None:
        self.log_mark = self.log_path.stat().st_size

    def open_fds(self) -> int:
        return len(os.listdir(f"/proc/{self.pid}/fd"))

    def threads(self) -> int:
        return len(os.listdir(f"/proc/{self.pid}/task"))


# Servers running now, for the failure reports.
RUNNING: list[Server] = []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def server_env(database_url: str, data_dir: Path, run_worker: bool) -> dict[str, str]:
    # Nothing from the caller's environment may reconfigure the server under test.
    env = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=SECRET,
        RUN_WORKER="1" if run_worker else "0",
        JOB_RETRY_BASE_SECONDS="0",
        DATA_DIR=str(data_dir),
        PYTHONUNBUFFERED="1",
    )
    if POSTGRES:
        env["REDIS_URL"] = REDIS_URL
    return env


async def wait_ready(server: Server) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    last = "no answer"
    async with httpx.AsyncClient(base_url=server.url, trust_env=False, timeout=2) as client:
        while time.monotonic() < deadline:
            if server.process.returncode is not None:
                break
            try:
                response = await client.get("/ready")
                if response.status_code == 200:
                    return
                last = f"{response.status_code} {response.text}"
            except httpx.TransportError as exc:
                last = repr(exc)
            await asyncio.sleep(0.1)
    raise AssertionError(
        f"server {server.name} not ready within {READY_TIMEOUT} s "
        f"(exit code {server.process.returncode}, last: {last}); log:\n{server.log()}"
    )


async def stop(server: Server) -> None:
    """SIGTERM, then SIGKILL after STOP_TIMEOUT; fails unless the server stopped cleanly."""
    process = server.process
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(STOP_TIMEOUT):
                await process.wait()
        except TimeoutError:
            process.kill()
            await process.wait()
            raise AssertionError(
                f"server {server.name} ignored SIGTERM for {STOP_TIMEOUT} s and was killed; "
                f"log:\n{server.log()}"
            ) from None
    # uvicorn re-raises the signal after a graceful shutdown, so -SIGTERM is a clean exit too;
    # whether the lifespan (worker, broker, database) shut down cleanly is in the log.
    log = server.log()
    clean = process.returncode in (0, -signal.SIGTERM) and "Application shutdown complete." in log
    assert clean, f"server {server.name} did not stop cleanly ({process.returncode}); log:\n{log}"


@asynccontextmanager
async def start_server(
    name: str, database_url: str, workdir: Path, *, run_worker: bool
) -> AsyncIterator[Server]:
    port = free_port()
    log_path = workdir / f"{name}.log"
    env = server_env(database_url, workdir / f"{name}-data", run_worker)
    command = [
        *(str(ROOT / ".venv/bin/python"), "-m", "uvicorn", "--factory", "app:create_app"),
        *("--host", "127.0.0.1", "--port", str(port)),
        # WebSockets as deployed (docker-compose.yml).
        *("--ws", UVICORN_WS, "--ws-per-message-deflate", "false"),
    ]
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            *command, cwd=ROOT, env=env, stdout=log, stderr=log, stdin=asyncio.subprocess.DEVNULL
        )
    server = Server(name, f"http://127.0.0.1:{port}", process, log_path)
    RUNNING.append(server)
    try:
        await wait_ready(server)
        yield server
    finally:
        RUNNING.remove(server)
        try:
            await stop(server)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()


@pytest.fixture(scope="package")
async def server_a(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Server]:
    """The server that runs the built-in worker."""
    async with start_server(
        "a", database_url, tmp_path_factory.mktemp("live"), run_worker=True
    ) as server:
        yield server


@pytest.fixture(scope="package")
async def server_b(
    server_a: Server, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Server]:
    """A second API process on the same database (and Redis), without a worker."""
    async with start_server(
        "b", database_url, tmp_path_factory.mktemp("live"), run_worker=False
    ) as server:
        yield server


async def delete_all_users(database_url: str) -> None:
    """Every table hangs off users (ON DELETE CASCADE): one statement empties them all."""
    if POSTGRES:
        connection = await asyncpg.connect(database_url)
        try:
            await connection.execute("DELETE FROM users")
        finally:
            await connection.close()
        return

    def delete() -> None:
        path = database_url.split("://", 1)[1]
        connection = sqlite3.connect(path, timeout=10)
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("DELETE FROM users")
            connection.commit()
        finally:
            connection.close()

    await asyncio.to_thread(delete)


@pytest.fixture(autouse=True)
async def clean_slate(server_a: Server, database_url: str) -> AsyncIterator[None]:
    """Empty tables (the server has created them on SQLite) before the test; after it, no
    server may have logged an exception (the client may never see one)."""
    await delete_all_users(database_url)
    for server in RUNNING:
        server.mark_log()
    yield
    for server in RUNNING:
        logged = server.log(server.log_mark)
        assert "Traceback" not in logged, f"server {server.name} logged an exception:\n{logged}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed:
        for server in RUNNING:
            text = server.log(server.log_mark).strip() or "(nothing logged)"
            report.sections.append((f"server {server.name} log during {report.when}", text))
    return report


@asynccontextmanager
async def http_api(server: Server) -> AsyncIterator[Api]:
    async with httpx.AsyncClient(base_url=server.url, trust_env=False, timeout=10) as client:
        yield Api(client)


@pytest.fixture
async def api_a(server_a: Server) -> AsyncIterator[Api]:
    async with http_api(server_a) as api:
        yield api


@pytest.fixture
async def redis() -> AsyncIterator[Redis | None]:
    """A client on the servers' Redis (e.g. for PUBSUB NUMSUB); None on SQLite, where the
    servers use the in-process broker."""
    if not POSTGRES:
        yield None
        return
    client = Redis.from_url(REDIS_URL)
    try:
        yield client
    finally:
        await client.aclose()
