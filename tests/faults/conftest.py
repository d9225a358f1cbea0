"""Fixtures for the fault tests: real processes whose dependencies the test itself breaks.

Faults are only ever injected into servers the test owns: its own `redis-server` on a spare
port (killed with SIGKILL and started again on the same port), and a small TCP proxy in front of
the shared PostgreSQL (cut: every connection closed and new ones refused; restored). The shared
PostgreSQL and Redis themselves are never touched. Every process is started by the test and
killed by PID in a `finally`; every wait is bounded. Each process logs to a file, attached to
the report of a test that fails while it runs.
"""

import asyncio
import os
import signal
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Generator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError

from schema.socket_protocol import UVICORN_WS
from services.settings import Settings
from tests.conftest import POSTGRES, SECRET
from tests.live.conftest import Server, delete_all_users, free_port, wait_ready

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv/bin/python")
STOP_TIMEOUT = 10.0
REDIS_START_TIMEOUT = 5.0

T = TypeVar("T")


# --- processes ---------------------------------------------------------------------------------


@dataclass
class Logged:
    """Something that writes a log file, reported when a test fails while it runs."""

    name: str
    log_path: Path

    def log(self) -> str:
        if not self.log_path.exists():
            return ""
        return self.log_path.read_bytes().decode(errors="replace")


# Everything with a log started for the current test, for its failure report.
STARTED: list[Logged] = []


@dataclass
class Proc(Logged):
    process: asyncio.subprocess.Process | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.returncode is None


async def spawn(
    command: list[str], log_path: Path, env: dict[str, str] | None = None
) -> asyncio.subprocess.Process:
    """Start a process in ROOT with stdout and stderr appended to `log_path`."""
    with log_path.open("ab") as log:
        return await asyncio.create_subprocess_exec(
            *command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
            stdin=asyncio.subprocess.DEVNULL,
        )


async def kill(process: asyncio.subprocess.Process | None) -> None:
    """SIGKILL by PID (if still running) and reap."""
    if process is None:
        return
    if process.returncode is None:
        process.kill()
    await process.wait()


async def terminate(process: asyncio.subprocess.Process | None) -> None:
    """SIGTERM, SIGKILL after STOP_TIMEOUT; reaps the process either way."""
    if process is None:
        return
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(STOP_TIMEOUT):
                await process.wait()
        except TimeoutError:
            pass
    await kill(process)


def process_env(database_url: str, redis_url: str, workdir: Path, **extra: str) -> dict[str, str]:
    """Environment of an API or worker process; nothing from the caller's environment may
    reconfigure it."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        SECRET_KEY=SECRET,
        RUN_WORKER="0",
        JOB_RETRY_BASE_SECONDS="0",
        DATA_DIR=str(workdir / "data"),
        STORAGE_URL=f"file://{workdir / 'media'}",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


@asynccontextmanager
async def start_api(name: str, env: dict[str, str], workdir: Path) -> AsyncIterator[Server]:
    """One uvicorn API process (`--factory app:create_app`), ready (GET /ready 200)."""
    port = free_port()
    log_path = workdir / f"{name}.log"
    command = [
        *(PYTHON, "-m", "uvicorn", "--factory", "app:create_app"),
        *("--host", "127.0.0.1", "--port", str(port)),
        # WebSockets as deployed (docker-compose.yml).
        *("--ws", UVICORN_WS, "--ws-per-message-deflate", "false"),
    ]
    process = await spawn(command, log_path, env)
    server = Server(name, f"http://127.0.0.1:{port}", process, log_path)
    STARTED.append(Logged(name, log_path))
    try:
        await wait_ready(server)
        yield server
    finally:
        await terminate(process)


@asynccontextmanager
async def start_worker(
    name: str, command: list[str], env: dict[str, str], workdir: Path
) -> AsyncIterator[Proc]:
    """A standalone worker process (`python -m services.worker` or a wrapper script)."""
    proc = Proc(name, workdir / f"{name}.log")
    proc.process = await spawn([PYTHON, *command], proc.log_path, env)
    STARTED.append(proc)
    try:
        yield proc
    finally:
        await terminate(proc.process)


# --- our own Redis -----------------------------------------------------------------------------


@dataclass
class RedisServer(Logged):
    """A `redis-server` owned by the test, on a fixed port it can be restarted on."""

    port: int = 0
    process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> None:
        assert self.process is None or self.process.returncode is not None, "already running"
        command = [
            *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no", "--daemonize", "no"),
        ]
        self.process = await spawn(command, self.log_path)
        deadline = time.monotonic() + REDIS_START_TIMEOUT
        client = Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=1)
        try:
            while True:
                if self.process.returncode is not None:
                    raise AssertionError(
                        f"redis-server exited ({self.process.returncode}):\n{self.log()}"
                    )
                try:
                    if await client.ping():
                        return
                except (RedisError, OSError):
                    pass
                if time.monotonic() > deadline:
                    raise AssertionError(f"redis-server not up in {REDIS_START_TIMEOUT} s")
                await asyncio.sleep(0.05)
        finally:
            await client.aclose()

    async def kill(self) -> None:
        """SIGKILL: no shutdown, no goodbye to the clients."""
        await kill(self.process)

    def client(self) -> Redis:
        return Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=2)


@pytest.fixture
async def redis_server(tmp_path: Path) -> AsyncIterator[RedisServer]:
    server = RedisServer("redis", tmp_path / "redis.log", port=free_port())
    STARTED.append(server)
    try:
        await server.start()
        yield server
    finally:
        await server.kill()


# --- a cuttable TCP proxy in front of PostgreSQL -----------------------------------------------


@dataclass
class TcpProxy:
    """Forwards 127.0.0.1:<port> to the upstream address. `cut()` closes every open connection
    (both sides) and makes new ones close at once; `restore()` forwards again."""

    upstream_host: str
    upstream_port: int
    port: int = 0
    accepted: int = 0
    refused: int = 0
    _server: asyncio.Server | None = None
    _cut: bool = False
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    def cut(self) -> None:
        self._cut = True
        for writer in list(self._writers):
            self._drop(writer)

    def restore(self) -> None:
        self._cut = False

    @property
    def open_connections(self) -> int:
        return len(self._writers) // 2

    async def close(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            async with asyncio.timeout(5):
                await self._server.wait_closed()

    def _drop(self, writer: asyncio.StreamWriter) -> None:
        self._writers.discard(writer)
        writer.transport.abort()
        writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._cut:
            self.refused += 1
            self._drop(writer)
            return
        try:
            async with asyncio.timeout(5):
                upstream_reader, upstream_writer = await asyncio.open_connection(
                    self.upstream_host, self.upstream_port
                )
        except (OSError, TimeoutError):
            self._drop(writer)
            return
        if self._cut:  # cut while we were connecting
            self._drop(upstream_writer)
            self._drop(writer)
            return
        self.accepted += 1
        self._writers |= {writer, upstream_writer}
        try:
            await asyncio.gather(
                self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer)
            )
        finally:
            self._drop(writer)
            self._drop(upstream_writer)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            # One side ended: end the other too (PostgreSQL connections are all-or-nothing).
            self._drop(writer)


def with_address(url: str, host: str, port: int) -> str:
    parts = urlsplit(url)
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = f"{userinfo}@{host}:{port}" if userinfo else f"{host}:{port}"
    return urlunsplit(parts._replace(netloc=netloc))


@pytest.fixture
async def pg_proxy(database_url: str) -> AsyncIterator[TcpProxy]:
    parts = urlsplit(database_url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    await proxy.start()
    try:
        yield proxy
    finally:
        await proxy.close()


# --- per test ----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
async def clean_slate(database_url: str) -> None:
    """Empty tables before each test (no stray queued job from earlier tests for our workers)."""
    STARTED.clear()
    if POSTGRES:
        await delete_all_users(database_url)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator["asyncpg.Connection"]:
    """A direct connection to the session database (not through any proxy), for checks."""
    connection = await asyncpg.connect(database_url)
    try:
        yield connection
    finally:
        await connection.close()


@asynccontextmanager
async def http(server: Server, read_timeout: float = 10) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on the server; `read_timeout` bounds every request made with it."""
    async with httpx.AsyncClient(
        base_url=server.url, trust_env=False, timeout=read_timeout
    ) as client:
        yield client


async def poll(
    check: Callable[[], Awaitable[T | None]], what: str, within: float, every: float = 0.1
) -> T:
    """Call `check` until it returns something other than None (or False); bounded."""
    deadline = time.monotonic() + within
    while True:
        result = await check()
        if result is not None and result is not False:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within} s: {what}")
        await asyncio.sleep(every)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed:
        for logged in STARTED:
            text = logged.log().strip() or "(nothing logged)"
            report.sections.append((f"{logged.name} log (tail)", text[-20000:]))
    return report
