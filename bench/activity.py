"""What writing project activity costs a mutation: statements and server CPU, with and without.

`python -m bench.activity [--mutations 400]` creates a scratch PostgreSQL database, migrates it,
and runs the same `updateScene` mutations twice against ONE uvicorn process each time: once as
built (`services.activity.record` takes the seq and inserts the event), once with `record`
patched to what `touch_project` did before events existed (move the project's updatedAt only;
bench/activity_server.py, same commit). Per mutation it prints the SQL statements (counted in
process, over ASGI, from Tortoise's statement log) and the uvicorn process's CPU time (user +
system from /proc, while it served them one at a time), plus the latency p50. Drops the database
at the end. PostgreSQL's own CPU is not in the figure; the extra INSERT is in the statements.
"""

import argparse
import asyncio
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager

from bench import activity_server
from bench.common import (
    cpu_model,
    create_database,
    describe,
    drop_database,
    free_port,
    load_average,
    out,
    run_loop,
)
from services.migrate import migrate
from services.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SECRET = activity_server.SECRET
SIGN_UP = """mutation($e: String!) { signUp(email: $e, password: "bench-password-1") { token } }"""
SETUP = [
    ('mutation { createProject(input: {title: "Bench"}) { id } }', "createProject"),
]
UPDATE_SCENE = (
    "mutation($id: ID!, $s: String!) { updateScene(id: $id, input: {script: $s}) { id } }"
)
VARIANTS = ("without events", "with events")


class Statements(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if not record.getMessage().startswith(("Created connection", "Closed connection")):
            self.count += 1


@contextmanager
def counting() -> Iterator[Statements]:
    handler = Statements()
    logger = logging.getLogger("tortoise.db_client")
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


async def gql(client: httpx.AsyncClient, query: str, token: str | None, **variables: Any) -> Any:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    body = response.json()
    assert not body.get("errors"), body
    return body["data"]


async def scene_of(client: httpx.AsyncClient) -> tuple[str, str]:
    """A fresh user's token and a scene of theirs."""
    email = f"bench-{time.monotonic_ns()}@example.com"
    token = (await gql(client, SIGN_UP, None, e=email))["signUp"]["token"]
    project = (await gql(client, SETUP[0][0], token))["createProject"]["id"]
    storyboard = (
        await gql(
            client,
            'mutation($p: ID!) { createStoryboard(input: {projectId: $p, title: "S", '
            'brief: "B."}) { id } }',
            token,
            p=project,
        )
    )["createStoryboard"]["id"]
    scene = (
        await gql(
            client,
            'mutation($b: ID!) { addScene(storyboardId: $b, input: {visualDescription: "V"}) '
            "{ id } }",
            token,
            b=storyboard,
        )
    )["addScene"]["id"]
    return token, scene


async def statements_per_mutation(url: str, events: bool, count: int) -> float:
    """In process over ASGI: the statements one updateScene issues (the caller's row included)."""
    settings = Settings(database_url=url, secret_key=SECRET, run_worker=False)
    restore = activity_server.switch(events)
    try:
        app = activity_server.build(settings)
        async with LifespanManager(app) as manager:
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                token, scene = await scene_of(client)
                with counting() as counted:
                    for i in range(count):
                        await gql(client, UPDATE_SCENE, token, id=scene, s=f"take {i}")
                return counted.count / count
    finally:
        restore()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime


async def served(url: str, events: bool, mutations: int, workdir: Path) -> dict[str, Any]:
    """One uvicorn process: CPU seconds and latencies of `mutations` updateScene, one at a time."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields},
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET,
        "RUN_WORKER": "0",
        "LOG_LEVEL": "WARNING",
        "RATE_LIMIT_PER_MINUTE": "0",
        "DATA_DIR": str(workdir / "data"),
        activity_server.SWITCH: "on" if events else "off",
    }
    command = [
        *(str(ROOT / ".venv/bin/python"), "-m", "uvicorn", "--factory"),
        *("bench.activity_server:create_app", "--host", "127.0.0.1", "--port", str(port)),
    ]
    log = (workdir / f"uvicorn-{'on' if events else 'off'}.log").open("wb")
    process = await asyncio.create_subprocess_exec(
        *command, cwd=ROOT, env=env, stdout=log, stderr=log, stdin=asyncio.subprocess.DEVNULL
    )
    try:
        base = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=base, trust_env=False, timeout=10) as client:
            deadline = time.monotonic() + 20
            while True:
                try:
                    if (await client.get("/ready")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "uvicorn not ready in 20 s"
                await asyncio.sleep(0.1)
            token, scene = await scene_of(client)
            for i in range(20):  # warm up: plans cached, connections open
                await gql(client, UPDATE_SCENE, token, id=scene, s=f"warm {i}")
            before = cpu_seconds(process.pid)
            latencies = []
            for i in range(mutations):
                started = time.perf_counter()
                await gql(client, UPDATE_SCENE, token, id=scene, s=f"take {i}")
                latencies.append(time.perf_counter() - started)
            cpu = cpu_seconds(process.pid) - before
        return {"cpu_per_mutation": cpu / mutations, "latencies": latencies}
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 15)
        log.close()


async def main(args: argparse.Namespace) -> None:
    # The in-process app configures logging: keep the client's request lines out of the output.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    admin = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test")
    name, url, server_version = await create_database(admin, "storygraph_bench_activity")
    try:
        await migrate(url)
        out(f"# activity write overhead: updateScene, one uvicorn, PostgreSQL {server_version}")
        out(f"# {cpu_model()}, load {load_average()}, {args.mutations} mutations per variant")
        results = {}
        with tempfile.TemporaryDirectory() as scratch:
            for events in (False, True):
                statements = await statements_per_mutation(url, events, 20)
                result = await served(url, events, args.mutations, Path(scratch))
                results[events] = (statements, result)
                out(
                    f"{VARIANTS[events]:>15}: {statements:.1f} statements/mutation, server CPU "
                    f"{result['cpu_per_mutation'] * 1000:.2f} ms/mutation, latency "
                    f"{describe(result['latencies'])} ms"
                )
        extra_statements = results[True][0] - results[False][0]
        extra_cpu = results[True][1]["cpu_per_mutation"] - results[False][1]["cpu_per_mutation"]
        out(
            f"{'overhead':>15}: {extra_statements:+.1f} statements/mutation, "
            f"{extra_cpu * 1000:+.2f} ms server CPU/mutation"
        )
    finally:
        await drop_database(admin, name)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mutations", type=int, default=400)
    run_loop(main(parser.parse_args()))
