"""Fan-out benchmark: one API process streaming `Subscription.jobProgress` to N WebSocket clients.

What it measures, against the deployed shape (uvicorn + PostgreSQL + Redis broker):

- delivery latency of every job event to every subscriber: client receive time minus the event's
  `at` (PRIMARY; the server stamps it in the transaction just before commit, same machine clock).
  Cross-check: receive time minus the moment the reporting HTTP call returned (can be negative:
  the server publishes after commit, before it sends the response). Also per event: the fan-out
  span (first to last subscriber) and `at` to HTTP return;
- correctness: every subscriber must see every seq exactly once, in order, then `complete`;
- memory: the server's RSS (/proc/<pid>/status VmRSS) before the subscribers connect and once all
  are subscribed (-> KiB per idle subscriber), after the events, after the sockets closed;
- that the process holds ONE Redis subscription for all of them (`PUBSUB NUMSUB job:<id>` = 1);
- CPU (/proc/<pid>/stat) of the server, of the bench, and of the rest of the machine: other work
  on the machine skews every figure, so it is printed with them.

How: a fresh PostgreSQL database is created and migrated; ONE API process is started (uvicorn
subprocess, REDIS_URL set, no embedded worker, random SECRET_KEY) on a free port. A user signs
up, creates a project and a `render` job, and claims it. N subscribers (graphql-transport-ws,
`--connect-concurrency` handshakes in flight) subscribe with afterSeq = the job's seq. One
priming progress event proves every subscription is live (a stream subscribes to the broker
before it reads the database), then `--events` events are reported over HTTP on a fixed
`--rate` schedule, one call at a time as a partner's worker would (a late call goes out at once,
so the achieved rate shows what the server sustains); the last one is completeJob. Then the
sockets close, the server stops (SIGTERM, SIGKILL after 15 s) and the database is dropped.

The subscribers run in `--clients` subprocesses (default 1): one uvloop process with 1,000
sockets used ~10% of a core during the events, far from a bottleneck, and on 2 cores a second
process would only take CPU from the server under test.

Exits 1 when an event was lost, duplicated or out of order, a stream did not complete, a
subscriber failed, or a phase timed out (`--timeout`, default 100 s, then clean-up); 2 when the
benchmark itself failed.

Run:  make bench-fanout
      .venv/bin/python -m bench.fanout --subscribers 1000 --events 100 --rate 10 --clients 1
Needs PostgreSQL (--pg-admin-url, default postgresql://postgres@127.0.0.1:5432/test) and Redis
(--redis-url, default redis://127.0.0.1:6379/0). All traffic stays on 127.0.0.1.
"""

import argparse
import asyncio
import contextlib
import itertools
import math
import os
import secrets
import signal
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import httpx
import orjson
from redis.asyncio import Redis
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from bench.common import (
    create_database,
    drop_database,
    free_port,
    load_average,
    out,
    pin_load_generator,
    pin_server,
    run_loop,
)
from bench.common import describe as _describe

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-fanout-password"
JOB_KIND = "render"
CLK_TCK = os.sysconf("SC_CLK_TCK")

SIGN_UP = "mutation($e: String!, $p: String!) { signUp(email: $e, password: $p) { token } }"
CREATE_PROJECT = "mutation($i: CreateProjectInput!) { createProject(input: $i) { id } }"
CREATE_JOB = "mutation($i: CreateJobInput!) { createJob(input: $i) { id seq } }"
CLAIM_JOB = "mutation($k: [String!]!) { claimJob(kinds: $k, leaseSeconds: 600) { id seq status } }"
REPORT = (
    "mutation($id: ID!, $p: Int!, $s: String, $m: String) "
    "{ reportJobProgress(id: $id, progress: $p, stage: $s, message: $m) { seq } }"
)
COMPLETE = "mutation($id: ID!, $r: JSON) { completeJob(id: $id, result: $r) { seq status } }"
# Every JobEvent field, as a dashboard would select it (the server's work per event depends on it).
SUBSCRIBE = (
    "subscription($jobId: ID!, $afterSeq: Int) { jobProgress(jobId: $jobId, afterSeq: $afterSeq)"
    " { jobId seq status stage progress message at } }"
)


# ---------------------------------------------------------------------------------------------
# Client process: `count` subscribers on one event loop; JSON lines on stdout, commands on stdin.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientSpec:
    url: str
    token: str
    # Per job: (id, the seq its subscribers start after, the seq of its priming event).
    jobs: list[tuple[str, int, int]]
    first: int  # global index of this process's first subscriber: subscriber g follows job g % J
    count: int
    concurrency: int
    deflate: bool
    open_timeout: float
    retries: int
    per_socket: int = 1  # subscriptions multiplexed on one socket (ids "1".."K")


class Subscriber:
    __slots__ = ("complete", "error", "job", "primed", "seqs", "times", "ws")

    def __init__(self, job: int) -> None:
        self.job = job
        self.seqs: list[int] = []
        self.times: list[float] = []
        self.complete = False
        self.primed = False
        self.error: str | None = None
        self.ws: ClientConnection | None = None


class ClientRun:
    """Opens the subscribers, records (seq, receive time) per message, reports milestones."""

    def __init__(self, spec: ClientSpec) -> None:
        self.spec = spec
        jobs = len(spec.jobs)
        self.subs = [Subscriber((spec.first + i) % jobs) for i in range(spec.count)]
        self.at_by_seq: list[dict[int, str]] = [{} for _ in spec.jobs]
        self.opened = self.failed = self.primed = self.finished = self.retried = 0
        self.sent: set[str] = set()
        self.started = time.monotonic()
        self.init_frame = orjson.dumps(
            {"type": "connection_init", "payload": {"Authorization": f"Bearer {spec.token}"}}
        ).decode()

    def subscribe_frame(self, sub: Subscriber, op_id: str, after: int = 0) -> str:
        job_id, after_seq, _ = self.spec.jobs[sub.job]
        variables = {"jobId": job_id, "afterSeq": after_seq - after}
        payload = {"query": SUBSCRIBE, "variables": variables}
        return orjson.dumps({"id": op_id, "type": "subscribe", "payload": payload}).decode()

    def sockets(self) -> list[list[Subscriber]]:
        """The subscribers grouped by socket: `per_socket` consecutive ones share one."""
        k = self.spec.per_socket
        return [self.subs[i : i + k] for i in range(0, len(self.subs), k)]

    def emit(self, kind: str, **data: Any) -> None:
        if kind in self.sent:
            return
        self.sent.add(kind)
        sys.stdout.buffer.write(orjson.dumps({"type": kind, **data}) + b"\n")
        sys.stdout.buffer.flush()

    def milestones(self) -> None:
        count = self.spec.count
        if self.opened + self.failed == count:
            seconds = round(time.monotonic() - self.started, 3)
            self.emit(
                "connected",
                opened=self.opened,
                failed=self.failed,
                retried=self.retried,
                seconds=seconds,
            )
            if self.primed == self.opened:
                self.emit("primed")
        if self.finished == count:
            self.emit("done")

    async def open(self, subs: list[Subscriber], gate: asyncio.Semaphore) -> ClientConnection:
        """Handshake, connection_init/ack and subscribe, `concurrency` at a time; a handshake
        that fails (refused or timed out before the ack, so nothing was subscribed) is retried
        up to `retries` times after a short pause, and every retry is counted in the report."""
        sub = subs[0]  # the socket's first subscriber holds it
        for attempt in range(self.spec.retries + 1):
            try:
                return await self._open(subs, gate)
            except (OSError, TimeoutError, ConnectionClosed) as exc:
                if sub.ws is not None:
                    with contextlib.suppress(Exception):
                        await sub.ws.close()
                    sub.ws = None
                if attempt == self.spec.retries:
                    raise
                self.retried += 1
                sys.stderr.write(f"handshake retried after {exc!r}\n")
                await asyncio.sleep(0.5 * (attempt + 1))
        raise AssertionError("unreachable")

    async def _open(self, subs: list[Subscriber], gate: asyncio.Semaphore) -> ClientConnection:
        spec = self.spec
        async with gate:
            ws = await connect(
                spec.url,
                subprotocols=[Subprotocol("graphql-transport-ws")],
                compression="deflate" if spec.deflate else None,
                proxy=None,
                ping_interval=None,
                open_timeout=spec.open_timeout,
                close_timeout=2,
            )
            subs[0].ws = ws
            await ws.send(self.init_frame)
            async with asyncio.timeout(spec.open_timeout):
                reply = orjson.loads(await ws.recv(decode=False))
            if reply.get("type") != "connection_ack":
                raise RuntimeError(f"expected connection_ack, got {reply!r}")
            if len(subs) == 1:
                await ws.send(self.subscribe_frame(subs[0], "1"))
                return ws
            # Several on one socket: one at a time, as a dashboard opens its panels. Each starts
            # one event back and waits for it (not recorded: it precedes the measured ones), so
            # the server never holds more than one subscription of a socket half-made — sent
            # all at once, their transient memory stayed in the process's RSS as if held.
            for i, sub in enumerate(subs, 1):
                await ws.send(self.subscribe_frame(sub, str(i), after=1))
                async with asyncio.timeout(spec.open_timeout):
                    first = orjson.loads(await ws.recv(decode=False))
                if (first.get("type"), first.get("id")) != ("next", str(i)):
                    raise RuntimeError(f"expected subscription {i}'s first event, got {first!r}")
            return ws

    async def follow(self, subs: list[Subscriber], gate: asyncio.Semaphore) -> None:
        """One socket: its subscriptions (ids "1".."K"), until each has completed."""
        try:
            ws = await self.open(subs, gate)
        except Exception as exc:
            for sub in subs:
                sub.error = f"connect: {exc!r}"
            self.failed += len(subs)
            self.finished += len(subs)
            self.milestones()
            return
        self.opened += len(subs)
        self.milestones()
        by_id = {str(i): sub for i, sub in enumerate(subs, 1)}
        # The hot loop: keep per-message work to a timestamp, one orjson parse and two appends.
        now, loads, jobs = time.time, orjson.loads, self.spec.jobs
        sub = subs[0]
        try:
            while by_id:
                raw = await ws.recv(decode=False)
                received = now()
                message = loads(raw)
                kind = message["type"]
                if kind in ("next", "complete"):
                    found = by_id.get(message["id"])
                    if found is None:
                        sub.error = f"a frame for no subscription: {message!r}"
                        break
                    sub = found
                if kind == "next":
                    data = message["payload"].get("data")
                    if not data:
                        sub.error = f"next without data: {message['payload']!r}"
                        break
                    event = data["jobProgress"]
                    seq = event["seq"]
                    sub.seqs.append(seq)
                    sub.times.append(received)
                    at_by_seq = self.at_by_seq[sub.job]
                    if seq not in at_by_seq:
                        at_by_seq[seq] = event["at"]
                    if seq == jobs[sub.job][2] and not sub.primed:
                        sub.primed = True
                        self.primed += 1
                        self.milestones()
                elif kind == "complete":
                    sub.complete = True
                    del by_id[message["id"]]
                elif kind == "ping":
                    await ws.send('{"type":"pong"}')
                elif kind != "pong":
                    sub.error = f"unexpected frame: {message!r}"
                    break
        except ConnectionClosed as exc:
            for left in by_id.values():
                left.error = f"closed: {exc}"
        finally:
            self.finished += len(subs)
            self.milestones()

    async def close_all(self) -> None:
        gate = asyncio.Semaphore(self.spec.concurrency)

        async def close(ws: ClientConnection) -> None:
            async with gate:
                with contextlib.suppress(Exception):
                    await ws.close()

        await asyncio.gather(*(close(s.ws) for s in self.subs if s.ws is not None))

    def result(self) -> dict[str, Any]:
        return {
            "subs": [
                {
                    "job": s.job,
                    "seqs": s.seqs,
                    "times": s.times,
                    "complete": s.complete,
                    "error": s.error,
                }
                for s in self.subs
            ],
            "at": [{str(seq): at for seq, at in at.items()} for at in self.at_by_seq],
        }


async def wait_for_close_command() -> None:
    """Returns on a `close` line on stdin, or when stdin ends (the orchestrator went away)."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        if not line or line.strip() == b"close":
            return


async def client_main(spec: ClientSpec) -> None:
    run = ClientRun(spec)
    gate = asyncio.Semaphore(spec.concurrency)
    tasks = [asyncio.create_task(run.follow(subs, gate)) for subs in run.sockets()]
    await wait_for_close_command()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await run.close_all()
    run.emit("result", **run.result())


# ---------------------------------------------------------------------------------------------
# Orchestrator: database, server, setup over HTTP, client processes, the reporter, the verdict.
# ---------------------------------------------------------------------------------------------


def rss_kib(pid: int) -> int:
    return _status_kib(pid, "VmRSS:")


def hwm_kib(pid: int) -> int:
    return _status_kib(pid, "VmHWM:")


def _status_kib(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1])
    raise RuntimeError(f"no {key} in /proc/{pid}/status")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/<pid>/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def machine_cpu_seconds() -> float:
    """Busy CPU time of the whole machine so far, all cores (/proc/stat, first line)."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(
        int, Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / CLK_TCK


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return max(0.1, self.end - time.monotonic())


class Api:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.token = ""

    async def gql(self, query: str, **variables: Any) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        body: dict[str, Any] = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise RuntimeError(f"GraphQL call failed ({response.status_code}): {body}")
        data: dict[str, Any] = body["data"]
        return data


class ClientProcess:
    """One subscriber process; its stdout lines become milestones looked up by type."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.messages: dict[str, dict[str, Any]] = {}
        self.changed = asyncio.Event()
        self.reader = asyncio.create_task(self._read())

    @classmethod
    async def start(cls, spec: ClientSpec) -> "ClientProcess":
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.fanout",
            "--client-spec",
            orjson.dumps(asdict(spec)).decode(),
            cwd=ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=1 << 28,  # the final result is one (large) line
        )
        return cls(proc)

    async def _read(self) -> None:
        assert self.proc.stdout is not None
        while line := await self.proc.stdout.readline():
            message = orjson.loads(line)
            self.messages[message["type"]] = message
            self.changed.set()
        self.changed.set()

    async def wait_for(self, kind: str) -> dict[str, Any]:
        while kind not in self.messages:
            if self.reader.done():
                raise RuntimeError(f"client process {self.proc.pid} exited before `{kind}`")
            self.changed.clear()
            await self.changed.wait()
        return self.messages[kind]

    def command(self, line: str) -> None:
        assert self.proc.stdin is not None
        with contextlib.suppress(OSError):
            self.proc.stdin.write(line.encode() + b"\n")

    async def kill(self) -> None:
        """Last resort at clean-up; a client that was told to close has normally exited."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(5):
                await self.proc.wait()
        if self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()
        self.reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.reader


async def wait_all(clients: Sequence[ClientProcess], kind: str, seconds: float) -> list[Any]:
    async with asyncio.timeout(seconds):
        return list(await asyncio.gather(*(c.wait_for(kind) for c in clients)))


@dataclass
class Report:
    job: int
    seq: int
    scheduled: float
    sent: float
    returned: float


@dataclass
class Measurements:
    # Per job: (id, the seq its subscribers start after, the seq of its priming event).
    jobs: list[tuple[str, int, int]] = field(default_factory=list)
    connected: list[dict[str, Any]] = field(default_factory=list)
    numsub: int = -1  # PUBSUB NUMSUB of the jobs' channels: -1 until set up, else the largest
    numsub_min: int = -1
    rss_before: int = 0
    rss_after: int = 0
    rss_end: int = 0
    rss_closed: int = 0
    rss_peak: int = 0
    reports: list[Report] = field(default_factory=list)
    events_seconds: float = 0.0
    drain_seconds: float = 0.0
    server_cpu: float = 0.0
    client_cpu: list[float] = field(default_factory=list)
    bench_cpu: float = 0.0
    machine_cpu: float = 0.0
    load_before: str = ""
    pinning: str = ""
    results: list[dict[str, Any]] = field(default_factory=list)
    server_log: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    events_finished: bool = False


async def start_server(
    database_url: str, redis_url: str, port: int, log: IO[bytes]
) -> asyncio.subprocess.Process:
    # Here, not at the top: it imports the whole schema, which the subscriber processes (this
    # module too) do not need.
    from schema.socket_protocol import UVICORN_WS

    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": secrets.token_urlsafe(48),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "RUN_WORKER": "0",
        "LOG_LEVEL": "WARNING",
        # 1,000 subscriptions from one user are the point here, not the per-user rate limit.
        "RATE_LIMIT_PER_MINUTE": "0",
    }
    # uvicorn's own CLI does not read HOST/PORT, so they are passed as arguments too.
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "app:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--timeout-graceful-shutdown",
        "5",
        # The reporters keep their connections, as partners' workers (or a proxy) do: uvicorn's
        # default 5 s keep-alive closed idle ones just as a call reused them (httpx.ReadError).
        "--timeout-keep-alive",
        "300",
        # As deployed (docker-compose.yml, app.py's main()): Storygraph's WebSocket protocol,
        # and a client's deflate offer is declined.
        "--ws",
        UVICORN_WS,
        "--ws-per-message-deflate",
        "false",
        cwd=ROOT,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=log,
        stderr=log,
    )


async def stop_server(proc: asyncio.subprocess.Process, grace: float = 15) -> None:
    if proc.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        proc.send_signal(signal.SIGTERM)
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(grace):
            await proc.wait()
    if proc.returncode is None:
        out(f"server did not stop within {grace:.0f} s of SIGTERM: SIGKILL")
        proc.kill()
        await proc.wait()


async def wait_ready(http: httpx.AsyncClient, proc: asyncio.subprocess.Process) -> None:
    while True:
        if proc.returncode is not None:
            raise RuntimeError(f"the server exited with {proc.returncode} during start-up")
        with contextlib.suppress(httpx.TransportError):
            if (await http.get("/ready")).status_code == 200:
                return
        await asyncio.sleep(0.1)


async def warm_up(ws_url: str, token: str, job_id: str) -> None:
    """One subscription before the baseline RSS, so lazily loaded code is not charged to N."""
    protocols = [Subprotocol("graphql-transport-ws")]
    async with connect(ws_url, subprotocols=protocols, compression=None, proxy=None) as ws:
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
        await ws.send(orjson.dumps(init).decode())
        if orjson.loads(await ws.recv())["type"] != "connection_ack":
            raise RuntimeError("warm-up subscriber got no connection_ack")
        payload = {"query": SUBSCRIBE, "variables": {"jobId": job_id}}
        await ws.send(orjson.dumps({"id": "w", "type": "subscribe", "payload": payload}).decode())
        if orjson.loads(await ws.recv())["type"] != "next":
            raise RuntimeError("warm-up subscriber got no snapshot")
        await ws.send(orjson.dumps({"id": "w", "type": "complete"}).decode())


async def report_events(
    api: Api,
    job: int,
    job_id: str,
    events: int,
    rate: float,
    reports: list[Report],
    offset: float = 0.0,
) -> None:
    """`events` events on a fixed schedule, one call at a time (as a partner's worker reports):
    reportJobProgress, then completeJob as the last one. A late call goes out at once. With
    several jobs, each job's schedule starts `offset` seconds later, so the jobs' events are
    spread evenly over each period instead of arriving in one burst."""
    start = time.time() + 0.05 + offset
    for i in range(1, events + 1):
        scheduled = start + (i - 1) / rate
        if (delay := scheduled - time.time()) > 0:
            await asyncio.sleep(delay)
        sent = time.time()
        if i < events:
            data = await api.gql(
                REPORT, id=job_id, p=min(i, 99), s="rendering", m=f"chunk {i} of {events}"
            )
            seq = data["reportJobProgress"]["seq"]
        else:
            data = await api.gql(COMPLETE, id=job_id, r={"frames": events})
            if data["completeJob"]["status"] != "SUCCEEDED":
                raise RuntimeError(f"completeJob returned {data}")
            seq = data["completeJob"]["seq"]
        reports.append(Report(job, seq, scheduled, sent, time.time()))


async def measure(args: argparse.Namespace, m: Measurements) -> None:
    """Everything with a side effect, each undone in `finally` whatever happens."""
    deadline = Deadline(args.timeout)
    m.load_before = load_average()
    m.pinning = pin_load_generator()
    # SIGTERM cancels the run like Ctrl-C does, so the clean-up below still happens.
    if (task := asyncio.current_task()) is not None:
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    name, database_url, _ = await create_database(args.pg_admin_url, "bench_fanout")
    with tempfile.TemporaryFile() as log:
        try:
            # Imported here, not at the top: client processes import this module and need
            # neither Tortoise nor aerich.
            from services.migrate import migrate

            await migrate(database_url)
            server = await start_server(database_url, args.redis_url, port := free_port(), log)
            pin_server(server.pid)
            clients: list[ClientProcess] = []
            try:
                await run_against(args, m, server, port, clients, deadline)
            finally:
                await close_clients(m, server, clients)
                await stop_server(server)
        finally:
            with contextlib.suppress(Exception):
                await drop_database(args.pg_admin_url, name)
            log.seek(0)
            m.server_log = log.read().decode(errors="replace").splitlines()


async def close_clients(
    m: Measurements, server: asyncio.subprocess.Process, clients: list[ClientProcess]
) -> None:
    """Tell the clients to close their sockets and hand over what they saw."""
    for client in clients:
        client.command("close")
    with contextlib.suppress(Exception):
        m.results = await wait_all(clients, "result", 30)
    if server.returncode is None and clients:
        await asyncio.sleep(1)
        m.rss_closed = rss_kib(server.pid)
    await asyncio.gather(*(c.kill() for c in clients), return_exceptions=True)


async def run_against(
    args: argparse.Namespace,
    m: Measurements,
    server: asyncio.subprocess.Process,
    port: int,
    clients: list[ClientProcess],
    deadline: Deadline,
) -> None:
    base = f"http://127.0.0.1:{port}"
    ws_url = f"ws://127.0.0.1:{port}/graphql"
    async with (
        httpx.AsyncClient(
            base_url=base,
            timeout=30,
            trust_env=False,
            # One kept-alive connection per job's reporter, as each partner worker would hold.
            limits=httpx.Limits(
                max_connections=args.jobs + 8, max_keepalive_connections=args.jobs + 8
            ),
        ) as http,
        Redis.from_url(args.redis_url) as redis,
    ):
        async with asyncio.timeout(min(30, deadline.left())):
            await wait_ready(http, server)
        api = Api(http)
        email = f"bench-{uuid.uuid4().hex[:12]}@example.com"
        api.token = (await api.gql(SIGN_UP, e=email, p=PASSWORD))["signUp"]["token"]
        # Each job in a project of its own, as independent partners' jobs would be: a job's
        # progress touches its project's row (updatedAt) in its transaction, so the jobs of ONE
        # project report one at a time, whatever the fan-out does.
        job_ids = []
        for j in range(args.jobs):
            title = f"Fan-out bench {j + 1}"
            project = (await api.gql(CREATE_PROJECT, i={"title": title}))["createProject"]
            job_input = {"projectId": project["id"], "kind": JOB_KIND}
            job_ids.append((await api.gql(CREATE_JOB, i=job_input))["createJob"]["id"])
        leased: dict[str, int] = {}
        for _ in job_ids:
            claimed = (await api.gql(CLAIM_JOB, k=[JOB_KIND]))["claimJob"]
            if claimed is None or claimed["id"] not in job_ids or claimed["status"] != "RUNNING":
                raise RuntimeError(f"claimJob did not lease a bench job: {claimed}")
            leased[claimed["id"]] = claimed["seq"]
        m.jobs = [(job_id, leased[job_id], leased[job_id] + 1) for job_id in job_ids]

        await warm_up(ws_url, api.token, job_ids[0])
        await asyncio.sleep(0.5)
        m.rss_before = rss_kib(server.pid)

        shares = [
            args.subscribers // args.clients + (i < args.subscribers % args.clients)
            for i in range(args.clients)
        ]
        for first, count in zip(itertools.accumulate([0, *shares]), shares, strict=False):
            spec = ClientSpec(
                url=ws_url,
                token=api.token,
                jobs=m.jobs,
                first=first,
                count=count,
                concurrency=max(1, args.connect_concurrency // args.clients),
                deflate=args.deflate,
                open_timeout=20,
                retries=args.connect_retries,
                per_socket=args.per_socket,
            )
            clients.append(await ClientProcess.start(spec))
        try:
            m.connected = await wait_all(clients, "connected", deadline.left())
            # One priming event per job: once every subscriber has received its job's, every
            # subscription is registered with the broker (a stream subscribes before it reads
            # the database).
            gate = asyncio.Semaphore(8)

            async def prime(job_id: str, prime_seq: int) -> None:
                async with gate:
                    data = await api.gql(REPORT, id=job_id, p=0, s="prime", m="prime")
                if data["reportJobProgress"]["seq"] != prime_seq:
                    raise RuntimeError(f"the priming event got {data}, expected seq {prime_seq}")

            await asyncio.gather(*(prime(job_id, seq) for job_id, _, seq in m.jobs))
            await wait_all(clients, "primed", deadline.left())
        except TimeoutError:
            m.problems.append("timed out while the subscribers connected")
            return
        numsubs = []
        for job_id, _, _ in m.jobs:
            channel = f"job:{job_id}"
            numsubs.append(dict(await redis.pubsub_numsub(channel)).get(channel.encode(), 0))
        m.numsub, m.numsub_min = max(numsubs), min(numsubs)
        await asyncio.sleep(0.5)
        m.rss_after = rss_kib(server.pid)

        pids = [server.pid, *(c.proc.pid for c in clients), os.getpid()]
        cpu_before = [cpu_seconds(pid) for pid in pids]
        machine_before = machine_cpu_seconds()
        started = time.monotonic()
        jobs, rate = len(m.jobs), args.rate
        try:
            async with asyncio.timeout(deadline.left()):
                await asyncio.gather(
                    *(
                        report_events(
                            api, j, job_id, args.events, args.rate, m.reports, j / (jobs * rate)
                        )
                        for j, (job_id, _, _) in enumerate(m.jobs)
                    )
                )
            m.events_finished = True
        except TimeoutError:
            total = args.events * args.jobs
            m.problems.append(f"timed out after reporting {len(m.reports)} of {total} events")
        m.events_seconds = time.monotonic() - started
        try:
            await wait_all(clients, "done", deadline.left())
        except TimeoutError:
            m.problems.append("timed out waiting for the streams to complete")
        m.drain_seconds = time.monotonic() - started - m.events_seconds
        busy = [cpu_seconds(pid) - before for pid, before in zip(pids, cpu_before, strict=True)]
        m.machine_cpu = machine_cpu_seconds() - machine_before
        m.server_cpu, m.client_cpu, m.bench_cpu = busy[0], busy[1:-1], busy[-1]
        m.rss_end = rss_kib(server.pid)
        m.rss_peak = hwm_kib(server.pid)


# ---------------------------------------------------------------------------------------------
# The verdict.
# ---------------------------------------------------------------------------------------------


def describe(values: Sequence[float]) -> str:
    return _describe(values, width=6)


@dataclass
class Delivery:
    """What the subscribers saw, against what was reported."""

    expected: int = 0
    lost: int = 0
    duplicates: int = 0
    out_of_order: int = 0
    unexpected: int = 0
    completes: int = 0
    subscribers_seen: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    vs_at: list[float] = field(default_factory=list)
    vs_http: list[float] = field(default_factory=list)
    spans: list[float] = field(default_factory=list)
    at_epoch: dict[tuple[int, int], float] = field(default_factory=dict)  # (job, seq)


def tally(m: Measurements) -> Delivery:
    d = Delivery()
    reported = {(r.job, r.seq): r for r in m.reports}
    # Every subscriber must have seen its job's priming event and each event reported for it.
    expected: list[set[int]] = [{prime} for _, _, prime in m.jobs]
    for job, seq in reported:
        expected[job].add(seq)
    # A call cut short by the timeout may still have committed (and published) its event.
    beyond = [max(seqs) if not m.events_finished else math.inf for seqs in expected]
    d.expected = sum(len(seqs) for seqs in expected)  # over all jobs
    for result in m.results:
        for job, at_by_seq in enumerate(result["at"]):
            for seq, at in at_by_seq.items():
                d.at_epoch.setdefault((job, int(seq)), datetime.fromisoformat(at).timestamp())
    first: dict[tuple[int, int], float] = {}
    last: dict[tuple[int, int], float] = {}
    for sub in (sub for result in m.results for sub in result["subs"]):
        d.subscribers_seen += 1
        job = sub["job"]
        seqs: list[int] = [seq for seq in sub["seqs"] if seq <= beyond[job]]
        unique = set(seqs)
        d.lost += len(expected[job] - unique)
        d.duplicates += len(seqs) - len(unique)
        d.unexpected += len(unique - expected[job])
        d.out_of_order += sum(1 for a, b in itertools.pairwise(seqs) if b < a)
        d.completes += bool(sub["complete"])
        if sub["error"]:
            d.errors[sub["error"][:160]] = d.errors.get(sub["error"][:160], 0) + 1
        for seq, received in zip(sub["seqs"], sub["times"], strict=True):
            key = (job, seq)
            if (report := reported.get(key)) is None:
                continue  # the priming event, or an unexpected seq (counted above)
            d.vs_at.append(received - d.at_epoch[key])
            d.vs_http.append(received - report.returned)
            first[key] = min(first.get(key, received), received)
            last[key] = max(last.get(key, received), received)
    d.spans = [last[key] - first[key] for key in first]
    return d


def log_summary(lines: list[str]) -> dict[str, int]:
    """Count the server's log records and exception lines, skipping traceback bodies."""
    skip = ("Traceback", "During handling", "The above exception")
    counts: dict[str, int] = {}
    for line in lines:
        if line.strip() and not line[0].isspace() and not line.startswith(skip):
            counts[line[:140]] = counts.get(line[:140], 0) + 1
    return counts


def verdict(args: argparse.Namespace, m: Measurements, wall: float) -> int:
    d = tally(m)
    n = args.subscribers
    jobs = max(len(m.jobs), 1)
    missing = n - d.subscribers_seen
    lost = d.lost + missing * (d.expected // jobs)
    opened = sum(c["opened"] for c in m.connected)
    failed = sum(c["failed"] for c in m.connected)
    retried = sum(c.get("retried", 0) for c in m.connected)
    handshake = max((c["seconds"] for c in m.connected), default=0.0)
    window = max(m.events_seconds + m.drain_seconds, 1e-9)
    # Achieved rate per job (each job's reporter makes one call at a time), then in all.
    by_job: list[list[Report]] = [[] for _ in m.jobs]
    for r in m.reports:
        by_job[r.job].append(r)
    rates = [
        (len(rs) - 1) / (rs[-1].sent - rs[0].sent)
        if len(rs) > 1 and rs[-1].sent > rs[0].sent
        else 0.0
        for rs in by_job
    ]
    achieved = min(rates, default=0.0)
    calls = [r.returned - r.sent for r in m.reports]
    lag = max((r.sent - r.scheduled for r in m.reports), default=0.0)
    at_to_return = [
        r.returned - d.at_epoch[(r.job, r.seq)] for r in m.reports if (r.job, r.seq) in d.at_epoch
    ]
    stamped_outside = sum(
        1
        for r in m.reports
        if (r.job, r.seq) in d.at_epoch and not r.sent <= d.at_epoch[(r.job, r.seq)] <= r.returned
    )
    consecutive = all(
        [r.seq for r in rs] == list(range(prime + 1, prime + 1 + len(rs)))
        for rs, (_, _, prime) in zip(by_job, m.jobs, strict=True)
    )
    seqs = [r.seq for r in by_job[0]] if by_job else []
    deliveries = max(len(d.vs_at), 1)
    growth = (m.rss_end - m.rss_after) * 1024 / deliveries if m.rss_end else 0.0
    client_cpu = ", ".join(f"{100 * s / window:.0f}%" for s in m.client_cpu) or "-"

    others = m.machine_cpu - m.server_cpu - sum(m.client_cpu) - m.bench_cpu
    ours = sum(m.client_cpu) + m.bench_cpu
    per_sub = (m.rss_after - m.rss_before) / max(opened, 1)

    out()
    out("Storygraph fan-out: Subscription.jobProgress over graphql-transport-ws, ONE API process")
    out(
        f"  subscribers     {opened} connected, {failed} failed, {retried} handshake(s) retried "
        f"(at most {args.connect_retries} each); handshakes+subscribe {handshake:.1f} s "
        f"({args.connect_concurrency} in flight)"
        + (f"; {args.per_socket} per socket" if args.per_socket > 1 else "; one socket each")
    )
    out(
        f"  jobs            {jobs} job(s), {n // jobs}{'+' if n % jobs else ''} subscribers each"
        " (subscriber i follows job i mod jobs)"
    )
    out(
        f"  client side     {args.clients} subscriber process(es) on uvloop, {client_cpu} of a core"
    )
    out(
        f"  events          {len(m.reports)}/{args.events * jobs}: per job {args.events - 1} "
        "reportJobProgress + completeJob, one call at a time, + 1 priming event"
    )
    out(
        f"  rate            {args.rate:g}/s offered per job ({args.rate * jobs:g}/s in all), "
        f"{achieved:.2f}/s achieved by the slowest job, "
        f"{len(m.reports) / max(m.events_seconds, 1e-9):.1f}/s in all "
        f"({m.events_seconds:.1f} s); at most {lag:.1f} s behind schedule"
    )
    out(f"  report calls ms {describe(calls)}")
    numsub = f"{m.numsub}" if m.numsub == m.numsub_min else f"{m.numsub_min}..{m.numsub}"
    out(
        f"  redis           PUBSUB NUMSUB job:<id> = {numsub} (each of {jobs} job channel(s)) "
        f"with {opened} subscribers live"
    )
    out(f"  latency ms      {len(d.vs_at)} (event, subscriber) samples; PRIMARY: vs `at`")
    out(f"    vs `at`       {describe(d.vs_at)}  (stamped just before commit)")
    out(f"    vs HTTP ret.  {describe(d.vs_http)}  (cross-check; publish precedes it)")
    out(f"    fan-out span  {describe(d.spans)}  (first to last subscriber)")
    out(f"    `at`->return  {describe(at_to_return)}  (commit, publish, response)")
    out(
        f"  drain           {m.drain_seconds:.2f} s from the last call's return to every `complete`"
    )
    out(
        f"  server CPU      {100 * m.server_cpu / window:.0f}% of a core during events+drain, "
        f"{1e6 * m.server_cpu / deliveries:.0f} us per delivery"
    )
    out(
        f"  machine         {os.cpu_count()} cores, load average {m.load_before} at the start;"
        f" {m.machine_cpu / window:.2f} cores busy during events+drain:"
    )
    out(
        f"                  server {m.server_cpu / window:.2f}, bench {ours / window:.2f}, "
        f"the rest {others / window:.2f} (PostgreSQL, Redis, anything else)"
    )
    out(f"  pinned          {m.pinning}")
    out(
        f"  delivery        {d.expected // jobs} seqs per job x {n}: lost {lost}, "
        f"duplicates {d.duplicates}, "
        f"out of order {d.out_of_order}, unexpected {d.unexpected}; complete {d.completes}/{n}"
    )
    out(
        f"  server RSS MiB  {m.rss_before / 1024:.1f} before, {m.rss_after / 1024:.1f} subscribed"
        f" -> {per_sub:.1f} KiB per subscriber"
    )
    out(
        f"                  {m.rss_end / 1024:.1f} after events (+{growth:.0f} B per delivery), "
        f"{m.rss_closed / 1024:.1f} after close, {m.rss_peak / 1024:.1f} peak (VmHWM)"
    )
    out(f"  wall time       {wall:.1f} s")

    problems = list(m.problems)
    if m.numsub >= 0:  # the subscribers were all set up: judge what they received
        if lost or d.duplicates or d.out_of_order or d.unexpected:
            problems.append("events lost, duplicated, out of order or unexpected")
        if d.completes != n:
            problems.append(f"{n - d.completes} stream(s) did not complete")
        if m.numsub != 1 or m.numsub_min != 1:
            problems.append(f"PUBSUB NUMSUB was {numsub}, not 1 per job channel")
    if failed or missing:
        problems.append(f"{max(failed, missing)} subscriber(s) failed")
    if not consecutive:
        problems.append(f"the reported seqs were not consecutive: {seqs[:5]}...")
    if stamped_outside:
        problems.append(f"{stamped_outside} event(s) stamped outside their HTTP call")
    for error, count in sorted(d.errors.items(), key=lambda item: -item[1])[:5]:
        out(f"  subscriber error x{count}: {error}")
    notes = []
    if m.reports and achieved < 0.9 * args.rate:
        notes.append(
            f"the server sustained {achieved:.2f} of {args.rate:g} events/s: its fan-out "
            f"({1e6 * m.server_cpu / deliveries:.0f} us of CPU per delivery) held back the calls"
        )
    if growth > 512:
        notes.append(
            f"server RSS grew {(m.rss_end - m.rss_after) / 1024:.0f} MiB over the events "
            f"({growth:.0f} B per delivery) and stayed there after the streams completed"
        )
    if others / window > 0.5:
        notes.append(
            f"other processes kept {others / window:.2f} cores busy: latency and rate are skewed"
        )
    for note in notes:
        out(f"  NOTE            {note}")
    if noise := log_summary(m.server_log):
        out(f"  server log      {sum(noise.values())} record/exception line(s), by kind:")
        for line, count in sorted(noise.items(), key=lambda item: -item[1])[:8]:
            out(f"    x{count:<5} {line}")
    out(f"  RESULT          {'FAIL: ' + '; '.join(problems) if problems else 'OK'}")
    return 1 if problems else 0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.fanout", description=(__doc__ or "").split("\n", 1)[0]
    )
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="jobs followed, subscribers spread evenly; each job reports at --rate",
    )
    parser.add_argument("--events", type=int, default=100, help="including the final completeJob")
    parser.add_argument("--rate", type=float, default=10.0, help="events per second offered")
    parser.add_argument("--clients", type=int, default=1, help="subscriber processes")
    parser.add_argument(
        "--connect-concurrency", type=int, default=50, help="handshakes in flight at once"
    )
    parser.add_argument(
        "--connect-retries",
        type=int,
        default=0,
        help="retries of a failed handshake (counted and printed); default 0: a failure counts",
    )
    parser.add_argument(
        "--per-socket",
        type=int,
        default=1,
        help="subscriptions multiplexed on one socket, as a dashboard with several live panels "
        "does (default 1: a socket per subscriber, the worst case)",
    )
    parser.add_argument(
        "--deflate",
        action="store_true",
        help="offer permessage-deflate, as browsers do (the server declines it, as deployed)",
    )
    parser.add_argument(
        "--timeout", type=float, default=100.0, help="seconds for the run, before clean-up"
    )
    parser.add_argument("--pg-admin-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--client-spec", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.client_spec and not (
        args.subscribers >= 1
        and args.events >= 1
        and args.rate > 0
        and args.clients >= 1
        and 1 <= args.jobs <= args.subscribers
        and args.connect_retries >= 0
    ):
        parser.error(
            "--subscribers, --events and --clients must be >= 1, --rate > 0, "
            "1 <= --jobs <= --subscribers, --connect-retries >= 0"
        )
    return args


def run(main: Callable[[], Coroutine[Any, Any, None]]) -> None:
    run_loop(main())


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.client_spec:
        spec = ClientSpec(**orjson.loads(args.client_spec))
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: the orchestrator reports it
            run(lambda: client_main(spec))
        return 0
    started = time.monotonic()
    m = Measurements()
    try:
        run(lambda: measure(args, m))
    except (KeyboardInterrupt, asyncio.CancelledError):
        out("RESULT          interrupted; cleaned up")
        return 130
    except Exception:
        traceback.print_exc()
        out("RESULT          FAIL: the benchmark itself failed (traceback above); cleaned up")
        return 2
    return verdict(args, m, time.monotonic() - started)


if __name__ == "__main__":
    sys.exit(main())
