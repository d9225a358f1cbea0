"""The mixed-load benchmark's orchestration: database, server, subscribers, load, verdict.

Run:  make bench-load
      .venv/bin/python -m bench.load [--users 50] [--subscribers 500] [--jobs 4]
          [--concurrency 16] [--warmup 3] [--duration 30] [--mix W1=50,W2=25,toggle=20,progress=5]
          [--project-share 0.2] [--hot-share 0.25] [--json out.json] [--keep-db]

1. A fresh database `bench_load_<random>` is created on the PostgreSQL server of
   --pg-admin-url, migrated with services.migrate and seeded with COPY (bench.reads.seed:
   `--users` users x 5 projects x 4 storyboards x 12 scenes x 4 tasks).
2. ONE API process: `uvicorn --factory app:create_app` with DATABASE_URL, REDIS_URL, a random
   SECRET_KEY, RUN_WORKER=0, LOG_LEVEL=WARNING (every other setting at its default; rate-limit
   keys under a prefix of their own, Redis being shared). Session tokens come from
   services.auth.issue_token.
3. `--jobs` users become partners: each creates an API key (scopes read, jobs) and a `render`
   job on one of its projects, and claims it with the key (lease 600 s).
4. `--subscribers` WebSocket subscribers (bench.load.subscribers, one process, one socket each,
   with the owner's session token): (1 - --project-share) of them on the jobs' `jobProgress`
   (afterSeq = the claim event's seq - 1, so the first message, read from the database after
   the server subscribed to the broker, proves the subscription live), the rest on the
   `projectProgress` of the partners' projects (the watched projects). The load starts once
   every subscriber has its first message.
5. The mix (bench.load.mix, its own process): `--concurrency` keep-alive connections, closed
   loop, `--warmup` s then `--duration` s measured, operations drawn by `--mix` weights: W1
   dashboard, W2 project page, toggle (setTaskCompleted), progress (reportJobProgress with the
   partner's API key). Every response is checked. The server's RSS is sampled every 0.5 s.
6. After the load every job is completed (completeJob); every jobProgress subscriber must have
   received each seq from the claim event to the completion exactly once, in order, and then
   `complete`. Every projectProgress subscriber must have received one update per successful
   toggle of its project, and its last value must equal the project's progress in the database.
   `PUBSUB NUMSUB` of each channel must be 1 (one broker subscription per process).
7. The report: per operation count, ops/s, latency p50/p90/p99/max, errors; overall ops/s;
   deliveries and their latency (receive time - the event's `at`), lost/duplicated; the
   server's RSS at start, subscribed, end of the load, after the sockets closed, and peak
   (VmHWM); CPU of the server, PostgreSQL, the bench processes and the rest of the machine.
   Exit 1 when any response failed, an event was lost or duplicated, an update went missing,
   a subscriber failed or a phase timed out; the server is stopped and the database dropped in
   any case (unless --keep-db).
"""

import argparse
import asyncio
import contextlib
import itertools
import os
import platform
import random
import secrets
import signal
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

import asyncpg
import httpx
import orjson
from redis.asyncio import Redis

from bench.common import (
    ChildFailed,
    call_spec_process,
    cpu_model,
    create_database,
    describe,
    drop_database,
    load_average,
    out,
    pin_load_generator,
    pin_server,
    run_loop,
    versions,
)
from bench.fanout import (
    CLAIM_JOB,
    COMPLETE,
    CREATE_JOB,
    JOB_KIND,
    Api,
    ClientProcess,
    hwm_kib,
    log_summary,
    rss_kib,
    wait_all,
)
from bench.load.documents import CREATE_API_KEY, DESCRIPTIONS, OPERATIONS
from bench.reads import seed as seeding
from bench.reads.documents import request_body
from bench.reads.main import (
    ROOT,
    SETTINGS_ENV,
    BenchError,
    Server,
    spawn_uvicorn,
    stop_server,
    wait_ready,
)

DEFAULT_MIX = "W1=50,W2=25,toggle=20,progress=5"
TOKEN_TTL = 3600
LEASE_SECONDS = 600
RSS_EVERY_S = 0.5


# ---------------------------------------------------------------------------------------------
# Database and server.
# ---------------------------------------------------------------------------------------------


def server_env(database_url: str, redis_url: str, secret: str, scratch: Path) -> dict[str, str]:
    """The environment of the API process: none of the caller's Storygraph settings leak in."""
    from services.settings import Settings

    settings = {*SETTINGS_ENV, *(name.upper() for name in Settings.model_fields)}
    env = {key: value for key, value in os.environ.items() if key not in settings}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        SECRET_KEY=secret,
        RUN_WORKER="0",
        LOG_LEVEL="WARNING",
        STORAGE_URL=f"file://{scratch / 'media'}",
        DATA_DIR=str(scratch),
    )
    # The per-caller limit is checked on every operation (its Redis round trip is part of the
    # mix's cost), but never reached: a closed loop as fast as the server answers is the bench's
    # pace, not a user's (at 450 operations/s over 50 users, the busiest ones passed 600/min).
    env["RATE_LIMIT_PER_MINUTE"] = "1000000"
    if "rate_limit_key_prefix" in Settings.model_fields:
        # Redis is shared with whatever else runs on the machine: count in a namespace of ours.
        env["RATE_LIMIT_KEY_PREFIX"] = f"bench-load-{uuid.uuid4().hex[:12]}:ratelimit:"
    return env


async def start_server(env: dict[str, str], log: IO[bytes]) -> Server:
    return await spawn_uvicorn("storygraph", "app:create_app", env, log)


# ---------------------------------------------------------------------------------------------
# Set-up over the API: partners, their keys and jobs; the subscribers' spec; the load's spec.
# ---------------------------------------------------------------------------------------------


@dataclass
class Partner:
    user: str
    token: str
    key: str
    project: str
    job: str
    claim_seq: int
    final_seq: int = 0
    final_status: str = ""


async def set_up_partners(
    http: httpx.AsyncClient, data: seeding.Dataset, tokens: dict[uuid.UUID, str], owners: list[str]
) -> list[Partner]:
    """For each owner: an API key (read, jobs), a `render` job on its newest project that is not
    archived (an archived one takes no job), claimed."""
    partners = []
    for owner in owners:
        session = Api(http)
        session.token = tokens[uuid.UUID(owner)]
        created = (await session.gql(CREATE_API_KEY, name="render farm", scopes=["read", "jobs"]))[
            "createApiKey"
        ]
        project = str(next(p for p in data.projects[uuid.UUID(owner)] if p not in data.archived))
        job_input = {"projectId": project, "kind": JOB_KIND, "payload": {"frames": 1000}}
        job = (await session.gql(CREATE_JOB, i=job_input))["createJob"]
        partner_api = Api(http)
        partner_api.token = created["key"]
        claimed = (await partner_api.gql(CLAIM_JOB, k=[JOB_KIND]))["claimJob"]
        if claimed is None or claimed["id"] != job["id"] or claimed["status"] != "RUNNING":
            raise BenchError(f"claimJob did not lease the partner's job {job['id']}: {claimed}")
        partners.append(
            Partner(owner, session.token, created["key"], project, job["id"], claimed["seq"])
        )
    return partners


def subscriber_spec(
    args: argparse.Namespace,
    port: int,
    partners: list[Partner],
    watched: dict[str, Partner],
) -> tuple[dict[str, Any], int, int]:
    """(spec, jobProgress subscribers, projectProgress subscribers)."""
    projects = round(args.subscribers * args.project_share)
    jobs = args.subscribers - projects
    subs: list[dict[str, Any]] = []
    for partner in itertools.islice(itertools.cycle(partners), jobs):
        subs.append(
            {
                "kind": "job",
                "id": partner.job,
                "token": partner.token,
                "after_seq": partner.claim_seq - 1,
            }
        )
    for project in itertools.islice(itertools.cycle(watched), projects):
        subs.append({"kind": "project", "id": project, "token": watched[project].token})
    spec = {
        "url": f"ws://127.0.0.1:{port}/graphql",
        "concurrency": args.connect_concurrency,
        "open_timeout": 20,
        "subs": subs,
    }
    return spec, jobs, projects


def load_spec(
    args: argparse.Namespace,
    server: Server,
    database: str,
    dsn: str,
    data: seeding.Dataset,
    tokens: dict[uuid.UUID, str],
    partners: list[Partner],
    other_pids: dict[str, int],
) -> dict[str, Any]:
    """What bench.load.mix needs. The expected counts leave out `completed` (toggles move it)."""

    def variants(workload: str, keys: list[uuid.UUID]) -> list[dict[str, Any]]:
        found = []
        for key in keys:
            if workload == "W2":
                body, token = request_body("W2", {"id": str(key)}), tokens[data.owner_of[key]]
            else:
                body, token = request_body(workload, {}), tokens[key]
            expect = data.expect(workload, key)
            expect.pop("completed", None)
            found.append({"body": orjson.dumps(body).decode(), "token": token, "expect": expect})
        return found

    return {
        "port": server.port,
        "dsn": dsn,
        "database": database,
        "server_pid": server.proc.pid,
        "other_pids": other_pids,
        "concurrency": args.concurrency,
        "warmup": args.warmup,
        "duration": args.duration,
        "drain_timeout": 60.0,
        "seed": args.seed,
        "weights": args.mix,
        "W1": variants("W1", list(data.users)),
        "W2": variants("W2", list(data.owner_of)),
        "tokens": {str(user): token for user, token in tokens.items()},
        "hot_users": [p.user for p in partners],
        "hot_share": args.hot_share,
        "jobs": [{"id": p.job, "key": p.key, "seq": p.claim_seq, "progress": 0} for p in partners],
    }


async def run_mix(spec: dict[str, Any], seconds: float) -> dict[str, Any]:
    try:
        return await call_spec_process("bench.load.mix", spec, seconds, ROOT)
    except ChildFailed as exc:
        raise BenchError(f"the load generator failed:\n{exc}") from exc


async def start_subscribers(spec: dict[str, Any]) -> ClientProcess:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.load.subscribers",
        cwd=ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        limit=1 << 28,  # the final result is one (large) line
    )
    client = ClientProcess(proc)
    client.command(orjson.dumps(spec).decode())
    return client


async def truth(dsn: str, projects: list[str]) -> dict[str, tuple[int, int]]:
    """(total, completed) tasks below each project, from the database."""
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT b.project_id, COUNT(*) AS total, "
            "SUM(CASE WHEN t.completed THEN 1 ELSE 0 END) AS done FROM scene_tasks t "
            "JOIN scenes s ON s.id = t.scene_id JOIN storyboards b ON b.id = s.storyboard_id "
            "WHERE b.project_id = ANY($1::uuid[]) GROUP BY b.project_id",
            [uuid.UUID(p) for p in projects],
        )
    finally:
        await conn.close()
    return {str(r["project_id"]): (r["total"], int(r["done"] or 0)) for r in rows}


# ---------------------------------------------------------------------------------------------
# The run.
# ---------------------------------------------------------------------------------------------


@dataclass
class Measurements:
    database: str = ""
    postgresql: str = "?"
    seed: dict[str, Any] = field(default_factory=dict)
    migrate_s: float = 0.0
    server_pid: int = 0
    partners: list[Partner] = field(default_factory=list)
    watched: list[str] = field(default_factory=list)
    job_subscribers: int = 0
    project_subscribers: int = 0
    connected: dict[str, Any] = field(default_factory=dict)
    primed_s: float = 0.0
    numsub: dict[str, int] = field(default_factory=dict)
    rss_start: int = 0
    hwm_start: int = 0
    hwm_reset: bool = False
    rss_subscribed: int = 0
    rss_load_end: int = 0
    rss_settled: int = 0
    rss_closed: int = 0
    rss_peak: int = 0
    rss_samples: list[tuple[float, int]] = field(default_factory=list)
    rss_origin: float = 0.0
    load_started: float = 0.0
    load: dict[str, Any] = field(default_factory=dict)
    complete_ms: list[float] = field(default_factory=list)
    jobs_done_s: float = 0.0
    settled_s: float = 0.0
    truth: dict[str, tuple[int, int]] = field(default_factory=dict)
    subs: list[dict[str, Any]] = field(default_factory=list)
    server_log: list[str] = field(default_factory=list)
    load_average_start: str = ""
    load_average_end: str = ""
    problems: list[str] = field(default_factory=list)


def reset_hwm(pid: int) -> bool:
    """Reset the process's VmHWM to its current RSS (Linux >= 4.0: `5` to clear_refs).

    The lifetime peak is set at start-up (services.auth hashes a dummy password with argon2id,
    64 MiB, at import): after the reset VmHWM is the peak of what the benchmark measures."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


async def sample_rss(
    pid: int, origin: float, samples: list[tuple[float, int]], stop: asyncio.Event
) -> None:
    """(seconds since `origin`, VmRSS KiB) every RSS_EVERY_S until `stop`."""
    while not stop.is_set():
        with contextlib.suppress(OSError, RuntimeError):
            samples.append((time.monotonic() - origin, rss_kib(pid)))
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(RSS_EVERY_S):
                await stop.wait()


async def bench(args: argparse.Namespace, m: Measurements) -> None:
    """Everything with a side effect, each undone in `finally` whatever happens."""
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    secret = secrets.token_urlsafe(48)
    name, database_url, m.postgresql = await create_database(args.pg_admin_url, "bench_load")
    m.database = name
    out(f"database {name} created on {args.pg_admin_url.rsplit('/', 1)[0]}")
    with (
        tempfile.TemporaryDirectory(prefix="bench-load-") as scratch_dir,
        (Path(scratch_dir) / "server.log").open("w+b") as log,
    ):
        server: Server | None = None
        try:
            from services.auth import issue_token
            from services.migrate import migrate

            started = time.perf_counter()
            await migrate(database_url)
            m.migrate_s = time.perf_counter() - started
            data = await seeding.seed(database_url, args.users, seed=args.seed)
            m.seed = {"rows": data.rows, **data.timings}
            rows = ", ".join(f"{n:,} {t}" for t, n in data.rows.items())
            out(
                f"migrated in {m.migrate_s:.1f} s; seeded {rows} in {data.timings['total_s']:.1f} s"
            )
            tokens = {
                user: issue_token(user, secret=secret, ttl_seconds=TOKEN_TTL) for user in data.users
            }
            env = server_env(database_url, args.redis_url, secret, Path(scratch_dir))
            server = await start_server(env, log)
            pin_server(server.proc.pid)
            m.server_pid = server.proc.pid
            await wait_ready(server)
            out(f"server up: pid {server.proc.pid} on :{server.port} (Redis {args.redis_url})")
            await against(args, m, server, name, database_url, data, tokens)
        finally:
            if server is not None:
                with contextlib.suppress(Exception):
                    await stop_server(server, grace=15)
            log.seek(0)
            m.server_log = log.read().decode(errors="replace").splitlines()
            if args.keep_db:
                out(f"kept database {name}: {database_url}")
            else:
                with contextlib.suppress(Exception):
                    await drop_database(args.pg_admin_url, name)


async def against(
    args: argparse.Namespace,
    m: Measurements,
    server: Server,
    database: str,
    dsn: str,
    data: seeding.Dataset,
    tokens: dict[uuid.UUID, str],
) -> None:
    """Partners, subscribers, the load, the completion of the jobs, the settling, the close."""
    rng = random.Random(args.seed)
    writable = [u for u in data.users if set(data.projects[u]) - data.archived]
    owners = [str(u) for u in rng.sample(writable, args.jobs)]
    async with (
        httpx.AsyncClient(base_url=server.url, timeout=30, trust_env=False) as http,
        Redis.from_url(args.redis_url) as redis,
    ):
        m.partners = await set_up_partners(http, data, tokens, owners)
        watched = {
            str(p): partner
            for partner in m.partners
            for p in data.projects[uuid.UUID(partner.user)]
        }
        m.watched = list(watched)
        # A first query, so that lazily initialised code is not charged to the subscribers.
        probe = Api(http)
        probe.token = m.partners[0].token
        await probe.gql("query { me { id projects(first: 1) { totalCount } } }")
        await asyncio.sleep(0.5)
        m.rss_start = rss_kib(server.proc.pid)
        m.hwm_start = hwm_kib(server.proc.pid)
        m.hwm_reset = reset_hwm(server.proc.pid)

        spec, m.job_subscribers, m.project_subscribers = subscriber_spec(
            args, server.port, m.partners, watched
        )
        out(
            f"partners: {len(m.partners)} API keys, {len(m.partners)} claimed `{JOB_KIND}` jobs; "
            f"subscribers: {m.job_subscribers} on jobProgress, {m.project_subscribers} on "
            f"projectProgress of {len(watched)} watched projects"
        )
        stop = asyncio.Event()
        m.rss_origin = time.monotonic()
        rss_task = asyncio.create_task(
            sample_rss(server.proc.pid, m.rss_origin, m.rss_samples, stop)
        )
        subscribers = await start_subscribers(spec)
        try:
            started = time.monotonic()
            try:
                (m.connected,) = await wait_all([subscribers], "connected", 60)
                await wait_all([subscribers], "primed", 30)
            except TimeoutError:
                m.problems.append("timed out while the subscribers connected")
                return
            m.primed_s = time.monotonic() - started
            # The channels somebody subscribed to (with few subscribers, not every project).
            channels = sorted({f"{s['kind']}:{s['id']}" for s in spec["subs"]})
            found = dict(await redis.pubsub_numsub(*channels))
            m.numsub = {c: int(found.get(c.encode(), 0)) for c in channels}
            await asyncio.sleep(0.5)
            m.rss_subscribed = rss_kib(server.proc.pid)
            out(
                f"subscribers: {m.connected['opened']} open, {m.connected['failed']} failed, "
                f"all live after {m.primed_s:.1f} s; load: {args.concurrency} connections, "
                f"{args.warmup:g} s warm-up + {args.duration:g} s measured, mix "
                + ", ".join(f"{op} {w:g}" for op, w in args.mix.items())
            )

            other = {"subscribers": subscribers.proc.pid, "orchestrator": os.getpid()}
            spec_load = load_spec(args, server, database, dsn, data, tokens, m.partners, other)
            m.load_started = time.monotonic() - m.rss_origin
            m.load = await run_mix(spec_load, args.warmup + args.duration + 120)
            m.rss_load_end = rss_kib(server.proc.pid)
            if server.proc.returncode is not None:
                raise BenchError("the server died during the load")

            # The end of every job: its subscribers must get each event, then `complete`.
            ended = time.monotonic()
            for partner in m.partners:
                api = Api(http)
                api.token = partner.key
                sent = time.perf_counter()
                done = (await api.gql(COMPLETE, id=partner.job, r={"frames": 1000}))["completeJob"]
                m.complete_ms.append((time.perf_counter() - sent) * 1000)
                partner.final_seq, partner.final_status = done["seq"], done["status"]
            try:
                await wait_all([subscribers], "jobs_done", 30)
            except TimeoutError:
                m.problems.append("timed out waiting for the jobProgress streams to complete")
            m.jobs_done_s = time.monotonic() - ended
            toggled: dict[str, int] = m.load["toggled"]
            unsure = set(m.load["unsure_projects"])
            expect = {p: toggled.get(p, 0) for p in watched if p not in unsure}
            subscribers.command("expect " + orjson.dumps(expect).decode())
            try:
                await wait_all([subscribers], "settled", 15)
            except TimeoutError:
                m.problems.append("timed out waiting for the projectProgress updates")
            m.settled_s = time.monotonic() - ended
            m.truth = await truth(dsn, list(watched))
            m.rss_settled = rss_kib(server.proc.pid)
            m.rss_peak = hwm_kib(server.proc.pid)
        finally:
            subscribers.command("close")
            with contextlib.suppress(Exception):
                (result,) = await wait_all([subscribers], "result", 30)
                m.subs = result["subs"]
            await subscribers.kill()
            if server.proc.returncode is None:
                await asyncio.sleep(1)
                with contextlib.suppress(OSError, RuntimeError):
                    m.rss_closed = rss_kib(server.proc.pid)
                    m.rss_peak = hwm_kib(server.proc.pid)
            stop.set()
            await rss_task


# ---------------------------------------------------------------------------------------------
# The verdict.
# ---------------------------------------------------------------------------------------------


@dataclass
class JobDelivery:
    expected: int = 0
    delivered: int = 0
    lost: int = 0
    duplicates: int = 0
    out_of_order: int = 0
    unexpected: int = 0
    completes: int = 0
    latencies: list[float] = field(default_factory=list)


@dataclass
class ProjectDelivery:
    expected: int = 0
    delivered: int = 0
    missing: int = 0
    extra: int = 0
    stale: int = 0
    bad: int = 0
    judged: int = 0
    stale_samples: list[str] = field(default_factory=list)


def job_delivery(m: Measurements) -> JobDelivery:
    d = JobDelivery()
    seqs_of = {p.job: range(p.claim_seq, p.final_seq + 1) for p in m.partners}
    for sub in (s for s in m.subs if s["kind"] == "job"):
        expected = set(seqs_of[sub["id"]])
        seqs: list[int] = sub["seqs"]
        unique = set(seqs)
        d.expected += len(expected)
        d.delivered += len(seqs)
        d.lost += len(expected - unique)
        d.duplicates += len(seqs) - len(unique)
        d.unexpected += len(unique - expected)
        d.out_of_order += sum(1 for a, b in itertools.pairwise(seqs) if b < a)
        d.completes += bool(sub["complete"])
        # The claim event was stored before the subscriber connected: only live ones count.
        first_live = seqs_of[sub["id"]].start + 1
        d.latencies.extend(
            lat for seq, lat in zip(seqs, sub["latencies"], strict=True) if seq >= first_live
        )
    return d


def project_delivery(m: Measurements) -> ProjectDelivery:
    d = ProjectDelivery()
    toggled: dict[str, int] = m.load.get("toggled", {})
    unsure = set(m.load.get("unsure_projects", []))
    for sub in (s for s in m.subs if s["kind"] == "project"):
        project = sub["id"]
        values: list[int] = sub["values"]
        d.bad += sub["bad_values"]
        if project in unsure or not values:
            continue  # no value at all is a subscriber failure, counted with those
        d.judged += 1
        expected = toggled.get(project, 0)
        received = len(values) - 1
        d.expected += expected
        d.delivered += received
        d.missing += max(0, expected - received)
        d.extra += max(0, received - expected)
        total, done = m.truth.get(project, (-1, -1))
        if sub["totals"] != [total]:
            d.bad += 1
        if values[-1] != done:
            d.stale += 1
            if len(d.stale_samples) < 3:
                d.stale_samples.append(
                    f"project {project}: last value {values[-1]} completed, database {done} "
                    f"(updates {values[-6:]}, {expected} toggles)"
                )
    return d


def rss_growth(m: Measurements, start: float, end: float) -> float:
    """Least-squares slope of RSS between `start` and `end` (seconds since the origin of the
    samples), KiB per minute; 0 with too few samples."""
    points = [(t, kib) for t, kib in m.rss_samples if start <= t <= end]
    if len(points) < 4:
        return 0.0
    mean_t = sum(t for t, _ in points) / len(points)
    mean_r = sum(r for _, r in points) / len(points)
    num = sum((t - mean_t) * (r - mean_r) for t, r in points)
    den = sum((t - mean_t) ** 2 for t, _ in points) or 1.0
    return 60.0 * num / den


def verdict(args: argparse.Namespace, m: Measurements, wall: float) -> int:
    problems = list(m.problems)
    load = m.load
    mib = 1 / 1024
    out()
    out(
        "Storygraph under a mixed load: ONE API process (uvicorn), PostgreSQL + Redis, "
        f"{args.users} seeded users"
    )
    if load:
        window = load["window_s"]
        out(
            f"  load            {args.concurrency} keep-alive connections, closed loop; "
            f"{window:.1f} s measured after {args.warmup:g} s warm-up; drained in "
            f"{load['drain_s']:.2f} s"
        )
        out()
        out(
            f"  {'operation':<10}{'count':>8}{'ops/s':>9}{'p50 ms':>9}{'p90 ms':>9}"
            f"{'p99 ms':>9}{'max ms':>9}{'errors':>8}   what"
        )
        for op in OPERATIONS:
            o = load["operations"][op]
            if not o["checked"]:
                continue  # weight 0
            # No sample in the window: NaN, which JSON carries as null.
            lat = "".join(
                f"{'-' if o['latency_ms'][q] is None else format(o['latency_ms'][q], '.1f'):>9}"
                for q in ("p50", "p90", "p99", "max")
            )
            out(
                f"  {op:<10}{o['count']:>8}{o['rps']:>9.1f}{lat}{o['errors']:>8}   "
                f"{DESCRIPTIONS[op]}"
            )
        total = load["total"]
        out(
            f"  {'all':<10}{total['count']:>8}{total['rps']:>9.1f}{'':>36}{total['errors']:>8}"
            f"   ({total['checked']} responses checked, warm-up and drain included)"
        )
        for op in OPERATIONS:
            for sample in load["operations"][op]["error_samples"]:
                out(f"  ERROR  {sample[:400]}")
        if total["errors"]:
            problems.append(f"{total['errors']} response(s) failed their check")
        seqs_ok = all(
            j["seqs"] == list(range(p.claim_seq + 1, p.claim_seq + 1 + len(j["seqs"])))
            for j, p in zip(load["jobs"], m.partners, strict=True)
        )
        if not seqs_ok:
            problems.append("reportJobProgress seqs were not consecutive per job")
        if broken := [j["broken"] for j in load["jobs"] if j["broken"]]:
            problems.append(f"job(s) stopped reporting: {broken}")
        reports = sum(len(j["seqs"]) for j in load["jobs"])
        out()
        out(
            f"  jobs            {len(m.partners)} partner jobs, {reports} progress reports in "
            f"all (progress {', '.join(str(j['progress']) for j in load['jobs'])}); "
            f"completeJob {', '.join(f'{ms:.0f}' for ms in m.complete_ms)} ms -> "
            f"{', '.join(sorted({p.final_status for p in m.partners}))}"
        )
    jd = job_delivery(m)
    pd = project_delivery(m)
    opened = m.connected.get("opened", 0)
    failed = m.connected.get("failed", 0)
    errors: dict[str, int] = {}
    for sub in m.subs:
        if sub["error"]:
            errors[sub["error"][:160]] = errors.get(sub["error"][:160], 0) + 1
    out(
        f"  subscribers     {opened} open, {failed} failed ({m.job_subscribers} jobProgress, "
        f"{m.project_subscribers} projectProgress); every one live {m.primed_s:.1f} s after "
        f"the first handshake"
    )
    out(
        f"  jobProgress     {jd.delivered} deliveries of {jd.expected} expected: lost {jd.lost}, "
        f"duplicates {jd.duplicates}, out of order {jd.out_of_order}, unexpected "
        f"{jd.unexpected}; complete {jd.completes}/{m.job_subscribers} "
        f"({m.jobs_done_s:.2f} s after the load)"
    )
    out(
        f"    latency ms    {describe(jd.latencies)}  (receive - the event's `at`, "
        "live events, stamped just before commit)"
    )
    out(
        f"  projectProgress {pd.delivered} updates of {pd.expected} expected (one per toggle of "
        f"the project, {sum(m.load.get('toggled', {}).get(p, 0) for p in m.watched)} toggles on "
        f"{len(m.watched)} watched projects): missing {pd.missing}, extra {pd.extra}; last value "
        f"!= database on {pd.stale}/{pd.judged} subscribers; malformed {pd.bad}"
    )
    for sample in pd.stale_samples:
        out(f"    STALE         {sample}")
    bad_numsub = {c: n for c, n in m.numsub.items() if n != 1}
    out(
        f"  redis           PUBSUB NUMSUB = 1 on {len(m.numsub) - len(bad_numsub)}/"
        f"{len(m.numsub)} channels (one broker subscription per process)"
    )
    for error, count in sorted(errors.items(), key=lambda item: -item[1])[:5]:
        out(f"  subscriber error x{count}: {error}")
    if m.subs:
        if jd.lost or jd.duplicates or jd.out_of_order or jd.unexpected:
            problems.append("jobProgress events lost, duplicated, out of order or unexpected")
        if jd.completes != m.job_subscribers:
            problems.append(f"{m.job_subscribers - jd.completes} jobProgress stream(s) unfinished")
        if pd.missing:
            problems.append(f"{pd.missing} projectProgress update(s) missing")
        if pd.stale:
            problems.append(f"{pd.stale} projectProgress subscriber(s) ended on a stale value")
        if pd.bad:
            problems.append(f"{pd.bad} malformed projectProgress value(s)")
        if errors:
            problems.append(f"{sum(errors.values())} subscriber(s) failed")
    elif m.connected:
        problems.append("no result from the subscriber process")
    if failed:
        problems.append(f"{failed} subscriber(s) could not connect")
    if bad_numsub:
        problems.append(f"PUBSUB NUMSUB != 1: {bad_numsub}")

    load_end = m.load_started + args.warmup + args.duration + 1.0
    # The second half of the window: caches and pools have filled by then, a leak has not.
    growth = rss_growth(m, load_end - args.duration / 2, load_end)
    during = [kib for t, kib in m.rss_samples if m.load_started <= t <= load_end]
    out(
        f"  server RSS MiB  {m.rss_start * mib:.1f} start, {m.rss_subscribed * mib:.1f} with "
        f"subscribers ({(m.rss_subscribed - m.rss_start) / max(opened, 1):.0f} KiB each), "
        f"{m.rss_load_end * mib:.1f} end of load, {m.rss_settled * mib:.1f} settled, "
        f"{m.rss_closed * mib:.1f} after close"
    )
    since = "since the subscribers connected" if m.hwm_reset else "lifetime, start-up included"
    out(
        f"                  peak {m.rss_peak * mib:.1f} (VmHWM {since}; lifetime peak "
        f"before them {m.hwm_start * mib:.1f}, set at start-up)"
    )
    out(
        f"                  during the load {min(during, default=0) * mib:.1f}.."
        f"{max(during, default=0) * mib:.1f} (every {RSS_EVERY_S:g} s), trend over the second "
        f"half of the window {growth * mib:+.1f} MiB/min"
    )
    if load:
        cpu = load["cpu_s"]
        window = load["window_s"]
        bench_cpu = cpu["load_generator"] + cpu.get("subscribers", 0) + cpu.get("orchestrator", 0)
        rest = cpu["machine_busy"] - cpu["server"] - cpu["postgres"] - bench_cpu
        cores = cpu["machine_total"] / window
        out(
            f"  machine         {cores:.0f} cores, load average {m.load_average_start} at the "
            f"start, {m.load_average_end} at the end; during the window "
            f"{cpu['machine_busy'] / window:.2f} cores busy:"
        )
        out(
            f"                  server {cpu['server'] / window:.2f} "
            f"({1000 * cpu['server'] / max(load['total']['count'], 1):.1f} ms CPU per operation), "
            f"PostgreSQL {cpu['postgres'] / window:.2f} ({load['postgres_backends']} backends), "
            f"bench {bench_cpu / window:.2f} (load generator "
            f"{cpu['load_generator'] / window:.2f}, subscribers "
            f"{cpu.get('subscribers', 0) / window:.2f}), the rest {rest / window:.2f} "
            "(Redis, anything else)"
        )
        if rest / window > 0.5:
            out(
                f"  NOTE            other processes kept {rest / window:.2f} cores busy: "
                "throughput and latency are skewed"
            )
    if noise := log_summary(m.server_log):
        out(f"  server log      {sum(noise.values())} record/exception line(s), by kind:")
        for line, count in sorted(noise.items(), key=lambda item: -item[1])[:8]:
            out(f"    x{count:<5} {line}")
    out(f"  wall time       {wall:.0f} s")
    out(f"  RESULT          {'FAIL: ' + '; '.join(problems) if problems else 'OK'}")
    m.problems = problems
    return 1 if problems else 0


# ---------------------------------------------------------------------------------------------
# Command line.
# ---------------------------------------------------------------------------------------------


def parse_mix(text: str) -> dict[str, float]:
    weights: dict[str, float] = {}
    for part in text.split(","):
        op, _, weight = part.partition("=")
        op = op.strip()
        if op not in OPERATIONS:
            raise ValueError(f"unknown operation {op!r}: one of {', '.join(OPERATIONS)}")
        weights[op] = float(weight)
        if weights[op] < 0:
            raise ValueError(f"negative weight for {op}")
    if not weights or sum(weights.values()) <= 0:
        raise ValueError("no positive weight")
    return {op: weights.get(op, 0.0) for op in OPERATIONS}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=(__doc__ or "").split("\n", 1)[0]
    )
    parser.add_argument("--users", type=int, default=50, help="seeded, each 5x4x12x4 below")
    parser.add_argument("--subscribers", type=int, default=500, help="WebSocket subscribers")
    parser.add_argument(
        "--project-share", type=float, default=0.2, help="of them on projectProgress"
    )
    parser.add_argument("--jobs", type=int, default=4, help="partner jobs (one per partner)")
    parser.add_argument("--concurrency", type=int, default=16, help="connections, closed loop")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before measuring")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds measured")
    parser.add_argument("--mix", default=DEFAULT_MIX, help=f"weights (default {DEFAULT_MIX})")
    parser.add_argument(
        "--hot-share",
        type=float,
        default=0.25,
        help="share of toggles by the partners (whose projects are watched)",
    )
    parser.add_argument(
        "--connect-concurrency", type=int, default=50, help="handshakes in flight at once"
    )
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds for the whole run")
    parser.add_argument("--json", type=Path, help="write every measurement to this file")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database")
    parser.add_argument("--pg-admin-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args(argv)
    try:
        args.mix = parse_mix(args.mix)
    except ValueError as exc:
        parser.error(f"--mix: {exc}")
    if args.users < 1 or args.concurrency < 1 or args.subscribers < 1 or args.duration <= 0:
        parser.error("--users, --concurrency, --subscribers must be >= 1 and --duration > 0")
    if not 1 <= args.jobs <= args.users:
        parser.error("--jobs must be 1..--users")
    if args.warmup < 0 or not 0 <= args.project_share <= 1 or not 0 <= args.hot_share <= 1:
        parser.error("--warmup must be >= 0, --project-share and --hot-share 0..1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    m = Measurements(load_average_start=load_average())
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 0
    out("bench.load: Storygraph under a mixed load (reads, toggles, job progress, subscribers)")
    out(f"machine: {cpu_model()}, {cores} cores, Python {platform.python_version()}")
    out(f"load average at start: {m.load_average_start}")
    out(f"pinned: {pin_load_generator()}")
    out("packages: " + ", ".join(f"{k} {v}" for k, v in versions().items()))
    out(
        f"parameters: users {args.users}, subscribers {args.subscribers} (project share "
        f"{args.project_share:g}), jobs {args.jobs}, concurrency {args.concurrency}, warm-up "
        f"{args.warmup:g} s, duration {args.duration:g} s, mix "
        + ",".join(f"{op}={w:g}" for op, w in args.mix.items())
        + f", hot share {args.hot_share:g}"
    )
    started = time.monotonic()
    status: int | None = None
    try:
        run_loop(asyncio.wait_for(bench(args, m), args.timeout))
    except BenchError as exc:
        m.problems.append(str(exc))
    except Exception as exc:
        traceback.print_exc()
        m.problems.append(f"the benchmark itself failed (traceback above): {exc!r}"[:500])
    except TimeoutError:
        m.problems.append(f"the run took longer than --timeout {args.timeout:.0f} s")
    except (KeyboardInterrupt, asyncio.CancelledError):
        out("\nINTERRUPTED: server stopped, database dropped")
        status = 130
    m.load_average_end = load_average()
    if status is None:
        status = verdict(args, m, time.monotonic() - started)
    out(f"PostgreSQL {m.postgresql}; database {m.database} dropped: {not args.keep_db}")
    if args.json:
        args.json.write_bytes(
            orjson.dumps(
                {"parameters": {**vars(args), "json": str(args.json)}, **asdict(m)},
                option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS,
                default=str,
            )
        )
        out(f"results written to {args.json}")
    return status
