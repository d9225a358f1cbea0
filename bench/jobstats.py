"""`jobStats` over a large job history on PostgreSQL: how long the pipeline metrics take.

`python -m bench.jobstats [--jobs 100000 --stages 5 --runs 30]` creates a scratch database,
migrates it, seeds one user's jobs (four kinds over ten projects, 5 stages each, a mix of
SUCCEEDED, FAILED, RUNNING and QUEUED) with SQL, then times GraphQL requests through the real
app (in process, over ASGI): the user's `jobStats`, one project's, and every project's at once.
Prints p50/p99 per document and how busy the machine was; drops the database at the end.
"""

import argparse
import os
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from asgi_lifespan import LifespanManager

from app import create_app
from bench.common import (
    cpu_model,
    create_database,
    describe,
    drop_database,
    load_average,
    out,
    run_loop,
)
from services.migrate import migrate
from services.settings import Settings

SECRET = "bench-secret-key-that-is-long-enough-for-hs256"
STATS = """
  kind total byStatus { status count }
  stages { name count succeeded failed skipped p50Ms p95Ms maxMs }
  p50DurationMs p95DurationMs
"""
DOCUMENTS = {
    "me.jobStats": f"{{ me {{ jobStats {{ {STATS} }} }} }}",
    "project.jobStats": f"query ($id: ID!) {{ project(id: $id) {{ jobStats {{ {STATS} }} }} }}",
    "10 projects' jobStats": (
        f"{{ me {{ projects(first: 10) {{ edges {{ node {{ jobStats {{ {STATS} }} }} }} }} }} }}"
    ),
}
KINDS = ["music_video", "voiceover", "render", "thumbnail"]
STAGE_NAMES = ["planned", "generating_music", "generating_images", "rendering", "exporting"]


async def seed(url: str, user_id: str, jobs: int, stages: int) -> list[str]:
    """One user's ten projects and `jobs` jobs with `stages` stages each; returns the projects."""
    connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        projects = [str(uuid.uuid4()) for _ in range(10)]
        await connection.executemany(
            "INSERT INTO projects (id, title, status, created_at, updated_at, owner_id) "
            "VALUES ($1, $2, 'ACTIVE', now(), now(), $3)",
            [(p, f"Channel {i}", uuid.UUID(user_id)) for i, p in enumerate(projects)],
        )
        # Status by i % 20: 1 FAILED, 1 QUEUED, 1 RUNNING, 17 SUCCEEDED.
        await connection.execute(
            """
            INSERT INTO jobs (id, kind, status, priority, planned, stage, progress, attempts,
                              max_attempts, seq, run_after, lease_seconds, created_at,
                              started_at, finished_at, updated_at, project_id)
            SELECT gen_random_uuid(), ($2::text[])[1 + i % 4],
                   CASE i % 20 WHEN 0 THEN 'FAILED' WHEN 1 THEN 'QUEUED' WHEN 2 THEN 'RUNNING'
                        ELSE 'SUCCEEDED' END,
                   0, true, NULL, 0, 1, 3, 1, now(), 0,
                   now() - i * interval '1 second',
                   CASE WHEN i % 20 = 1 THEN NULL ELSE now() - i * interval '1 second' END,
                   CASE WHEN i % 20 IN (1, 2) THEN NULL
                        ELSE now() - i * interval '1 second'
                             + (1000 + random() * 60000) * interval '1 millisecond' END,
                   now(), ($3::uuid[])[1 + i % 10]
            FROM generate_series(1, $1) AS i
            """,
            jobs,
            KINDS,
            [uuid.UUID(p) for p in projects],
        )
        await connection.execute(
            """
            INSERT INTO job_stages (id, job_id, ordinal, name, status, started_at, finished_at,
                                    duration_ms)
            SELECT gen_random_uuid(), j.id, o, ($2::text[])[1 + (o - 1) % 5], s.status,
                   CASE WHEN s.status = 'PENDING' THEN NULL ELSE j.created_at END,
                   CASE WHEN s.status IN ('PENDING', 'RUNNING') THEN NULL ELSE j.created_at END,
                   CASE WHEN s.status IN ('SUCCEEDED', 'FAILED')
                        THEN (random() * 2000 * o)::bigint END
            FROM jobs j CROSS JOIN generate_series(1, $1) AS o
            CROSS JOIN LATERAL (SELECT CASE
                WHEN j.status = 'SUCCEEDED' THEN 'SUCCEEDED'
                WHEN j.status = 'QUEUED' THEN 'PENDING'
                WHEN j.status = 'RUNNING' THEN
                    CASE WHEN o = 1 THEN 'SUCCEEDED' WHEN o = 2 THEN 'RUNNING' ELSE 'PENDING' END
                ELSE CASE WHEN o < 3 THEN 'SUCCEEDED' WHEN o = 3 THEN 'FAILED' ELSE 'SKIPPED' END
            END AS status) s
            """,
            stages,
            STAGE_NAMES,
        )
        await connection.execute("ANALYZE")
        counts = await connection.fetchrow(
            "SELECT (SELECT COUNT(*) FROM jobs) AS jobs, (SELECT COUNT(*) FROM job_stages) AS s"
        )
        out(f"seeded          {counts['jobs']:,} jobs, {counts['s']:,} stages, 10 projects")
        return projects
    finally:
        await connection.close()


async def measure(args: argparse.Namespace) -> None:
    name, url, server_version = await create_database(args.admin_url, "storygraph_bench_stats")
    try:
        await migrate(url)
        with tempfile.TemporaryDirectory() as data_dir:
            settings = Settings(
                database_url=url,
                secret_key=SECRET,
                data_dir=Path(data_dir),
                run_worker=False,
                rate_limit_per_minute=0,
                log_level="WARNING",
            )
            app = create_app(settings)
            async with LifespanManager(app) as manager:
                transport = httpx.ASGITransport(app=manager.app)
                async with httpx.AsyncClient(transport=transport, base_url="http://bench") as c:
                    await run(c, url, args, server_version)
    finally:
        await drop_database(args.admin_url, name)


async def post(
    client: httpx.AsyncClient, query: str, token: str | None, **variables: str
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    body: dict[str, Any] = response.json()
    return body


async def run(
    client: httpx.AsyncClient, url: str, args: argparse.Namespace, server_version: str
) -> None:
    signed = await post(
        client,
        'mutation { signUp(email: "bench@example.com", password: "bench password") '
        "{ token user { id } } }",
        None,
    )
    account = signed["data"]["signUp"]
    token, user_id = account["token"], account["user"]["id"]
    started = time.monotonic()
    projects = await seed(url, user_id, args.jobs, args.stages)
    out(f"seeding took    {time.monotonic() - started:.1f} s")
    out(f"machine         {cpu_model()}, {os.cpu_count()} cores; PostgreSQL {server_version}")
    out(f"load average    {load_average()} (before the runs)")
    for label, document in DOCUMENTS.items():
        variables = {"id": projects[0]} if "$id" in document else {}
        for _ in range(args.warmup):
            await post(client, document, token, **variables)
        samples, failed, data = [], [], {}
        for _ in range(args.runs):
            begin = time.perf_counter()
            body = await post(client, document, token, **variables)
            samples.append(time.perf_counter() - begin)
            if "errors" in body:
                failed.append(body["errors"][0]["message"])
            else:
                data = body["data"]
        ordered = sorted(samples)
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
        out(
            f"{label:<22} p50 {ordered[len(ordered) // 2] * 1000:8.1f} ms  "
            f"p99 {p99 * 1000:8.1f} ms   ({describe(samples)}; {args.runs} runs)"
        )
        if failed:
            out(f"{'':<22} {len(failed)} of {args.runs} failed: {sorted(set(failed))}")
        if label == "me.jobStats" and data:
            kinds = data["me"]["jobStats"]
            total = sum(k["total"] for k in kinds)
            out(f"{'':<22} {len(kinds)} kinds, {total:,} jobs counted")
    out(f"load average    {load_average()} (after the runs)")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.jobstats", description=__doc__)
    parser.add_argument("--jobs", type=int, default=100_000)
    parser.add_argument("--stages", type=int, default=5)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test"),
        help="a PostgreSQL database to connect to for CREATE/DROP DATABASE",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    run_loop(measure(parse_args(argv)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
