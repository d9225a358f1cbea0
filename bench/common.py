"""Plumbing the benchmarks share: output, the machine, scratch databases, ports, event loops,
percentiles."""

import asyncio
import contextlib
import importlib.metadata
import math
import os
import platform
import socket
import sys
import uuid
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import orjson

T = TypeVar("T")

PACKAGES = (
    "uvicorn",
    "uvloop",
    "httptools",
    "starlette",
    "strawberry-graphql",
    "graphql-core",
    "tortoise-orm",
    "asyncpg",
    "orjson",
    "PyJWT",
)


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def versions() -> dict[str, str]:
    found = {}
    for package in PACKAGES:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            found[package] = importlib.metadata.version(package)
    return found


def load_average() -> str:
    """1, 5 and 15-minute load averages: other work on the machine skews every figure."""
    with contextlib.suppress(OSError):
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return "?"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def create_database(admin_url: str, prefix: str) -> tuple[str, str, str]:
    """(name, Tortoise URL, PostgreSQL server version) of a new empty database `prefix_…`."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(admin_url, timeout=10)
    try:
        server_version = await admin.fetchval("SHOW server_version")
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    base = admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgres://", 1)
    return name, f"{base}/{name}", str(server_version)


async def drop_database(admin_url: str, name: str) -> None:
    admin = await asyncpg.connect(admin_url, timeout=10)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def run_loop(main: Coroutine[Any, Any, T]) -> T:
    """Run `main` on uvloop (uvicorn[standard] brings it), else on asyncio's loop."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover
        return asyncio.run(main)
    return uvloop.run(main)


def spec_process(run: Callable[[dict[str, Any]], Coroutine[Any, Any, Any]]) -> None:
    """A bench child process: a JSON spec on stdin, `run(spec)`'s JSON result on stdout."""
    spec = orjson.loads(sys.stdin.buffer.read())
    sys.stdout.buffer.write(orjson.dumps(run_loop(run(spec))))
    sys.stdout.flush()


def percentile(ordered: Sequence[float], q: float) -> float:
    """The q-quantile (nearest rank) of sorted values; NaN when there are none."""
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def describe(values: Sequence[float], scale: float = 1000.0, width: int = 0) -> str:
    """p50/p90/p99/max of `values` times `scale` (ms for seconds by default)."""
    if not values:
        return "no samples"
    ordered = sorted(values)
    parts = [
        f"p{round(q * 100)} {percentile(ordered, q) * scale:{width}.1f}" for q in (0.5, 0.9, 0.99)
    ]
    return "  ".join([*parts, f"max {ordered[-1] * scale:{width}.1f}"])


class ChildFailed(Exception):
    """A spec process exited non-zero; the message is the end of its stderr."""


async def call_spec_process(
    module: str, spec: dict[str, Any], seconds: float, cwd: Path
) -> dict[str, Any]:
    """Run `python -m <module>` (a `spec_process`) on `spec` within `seconds`; its result."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        module,
        cwd=cwd,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(seconds):
            stdout, stderr = await proc.communicate(orjson.dumps(spec))
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    if proc.returncode != 0:
        raise ChildFailed(stderr.decode(errors="replace")[-3000:])
    result: dict[str, Any] = orjson.loads(stdout)
    return result


def pin_load_generator() -> str:
    """Keep the server's core for the server: this process, and every process it starts from
    now on (load generator, subscribers), run on every core but the lowest, which `pin_server`
    gives the server. Returns what was done, for the report. On one core, nothing."""
    try:
        cores = os.sched_getaffinity(0)
    except AttributeError:  # pragma: no cover - not Linux
        return "not pinned (no sched_setaffinity)"
    if len(cores) < 2:
        return "not pinned (one core)"
    server = min(cores)
    os.sched_setaffinity(0, cores - {server})
    others = ",".join(str(c) for c in sorted(cores - {server}))
    return (
        f"server on core {server}; load generator, subscribers and bench on core(s) {others} "
        "(PostgreSQL, Redis and other processes unpinned)"
    )


def pin_server(pid: int) -> None:
    """Move a just-started server process to the core `pin_load_generator` kept free. Called
    right after the spawn, before the interpreter has started any thread (threads inherit it)."""
    try:
        cores = os.sched_getaffinity(0)
        everything = set(range(os.cpu_count() or 1))
        free = everything - cores
        if free:
            os.sched_setaffinity(pid, {min(free)})
    except (AttributeError, ProcessLookupError):  # pragma: no cover
        pass
