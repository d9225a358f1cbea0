"""Plumbing every benchmark shares: output, the machine's description, scratch databases, ports."""

import contextlib
import importlib.metadata
import platform
import socket
import sys
import uuid
from pathlib import Path

import asyncpg

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
