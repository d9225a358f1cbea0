"""Closed-loop generator of the mixed load, run as its own process: `python -m bench.load.mix`.

Reads a JSON spec on stdin (see `run`), writes one JSON result on stdout.

`concurrency` keep-alive HTTP/1.1 connections (bench.reads.load.Connection, spoken by hand: a
generic client costs several times more CPU per request on a machine shared with the server)
each pick an operation by weight, send it, wait for the whole response, check it, and send the
next one at once:

- W1: the dashboard of a random user; W2: the page of a random project, with its owner's token
  (bench.reads documents and checks; the number of completed tasks is not compared, see
  bench.load.documents);
- toggle: `setTaskCompleted` on a random task of the caller's own scenes, always to the opposite
  of its current state (so every toggle changes something and publishes one projectProgress
  update); a task is never toggled by two connections at once. A share of the toggles
  (`hot_share`) comes from the owners of the watched projects, who have dashboards open;
- progress: `reportJobProgress` on one of the claimed partner jobs, with that partner's API key;
  reports of one job are serialised (a partner's worker reports one call at a time), the
  connection takes a job that is not busy when there is one. Progress goes up by one per report
  and stays at 99 once there, so it never goes down and the job never finishes by itself (the
  orchestrator completes it after the run); every answer must carry seq = the previous + 1.

Every response must be HTTP 200 without GraphQL errors and pass its check. Responses completed
during the warm-up are checked but their latency is not recorded; throughput is the number of
responses completed inside the measuring window divided by its length. In-flight requests at
the end are drained and checked. Around the window the CPU time of the server, of PostgreSQL's
backends for the database, of this process, of the other bench processes and of the whole
machine is sampled from /proc.
"""

import asyncio
import bisect
import contextlib
import itertools
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import orjson

from bench.common import percentile, spec_process
from bench.fanout import cpu_seconds
from bench.load.documents import OPERATIONS, REPORT, TOGGLE, check_report, check_toggle
from bench.reads.documents import check
from bench.reads.load import Connection, CpuSample, raw_request, sample

TASKS_SQL = """
SELECT p.owner_id, p.id AS project_id, s.id AS scene_id, t.id AS task_id, t.task_type,
       t.completed
FROM scene_tasks t
JOIN scenes s ON s.id = t.scene_id
JOIN storyboards b ON b.id = s.storyboard_id
JOIN projects p ON p.id = b.project_id
WHERE p.status <> 'ARCHIVED'
ORDER BY t.id
"""


@dataclass
class OpTally:
    """What one operation did: latencies inside the window, every check, every failure."""

    latencies: list[float] = field(default_factory=list)
    checked: int = 0
    errors: int = 0
    samples: list[str] = field(default_factory=list)

    def fail(self, message: str) -> None:
        self.errors += 1
        if len(self.samples) < 5:
            self.samples.append(message)


@dataclass
class Task:
    project: str
    scene: str
    id: str
    type: str
    completed: bool
    busy: bool = False


@dataclass
class Job:
    id: str
    key: str
    seq: int
    progress: int
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    seqs: list[int] = field(default_factory=list)
    broken: str | None = None


@dataclass
class Prepared:
    """One request ready to send: its bytes and the check (and bookkeeping) of its answer."""

    raw: bytes
    verify: Callable[[Any], str | None]
    release: Callable[[bool], None] = lambda ok: None


class Mix:
    """The shared state of the connections: targets, task states, jobs, tallies."""

    def __init__(self, spec: dict[str, Any], tasks: dict[str, list[Task]]) -> None:
        self.port: int = spec["port"]
        self.ops = [op for op in OPERATIONS if spec["weights"].get(op, 0) > 0]
        self.cumulative = list(itertools.accumulate(spec["weights"][op] for op in self.ops))
        self.reads = {
            workload: [
                (raw_request(self.port, v["body"].encode(), v["token"]), v["expect"])
                for v in spec[workload]
            ]
            for workload in ("W1", "W2")
        }
        self.tokens: dict[str, str] = spec["tokens"]
        self.users = [user for user in self.tokens if tasks.get(user)]
        self.hot_users = [user for user in spec["hot_users"] if tasks.get(user)]
        self.hot_share: float = spec["hot_share"]
        self.tasks = tasks
        self.jobs = [Job(j["id"], j["key"], j["seq"], j["progress"]) for j in spec["jobs"]]
        self.tallies = {op: OpTally() for op in OPERATIONS}
        # Successful toggles per project over the whole run (warm-up and drain included): each
        # published one projectProgress update. Projects with a failed toggle cannot be judged.
        self.toggled: dict[str, int] = {}
        self.unsure: set[str] = set()
        self.reconnects = 0
        self.exceptions = 0

    def pick(self, rng: random.Random) -> str:
        point = rng.random() * self.cumulative[-1]
        return self.ops[bisect.bisect_right(self.cumulative, point)]

    async def prepare(self, op: str, rng: random.Random) -> Prepared:
        if op in self.reads:
            raw, expect = rng.choice(self.reads[op])
            return Prepared(raw, lambda body: check(op, body, expect))
        if op == "toggle":
            return self._toggle(rng)
        return await self._report(rng)

    def _toggle(self, rng: random.Random) -> Prepared:
        hot = self.hot_users and rng.random() < self.hot_share
        user = rng.choice(self.hot_users if hot else self.users)
        tasks = self.tasks[user]
        task = tasks[rng.randrange(len(tasks))]
        while task.busy:  # at most `concurrency` tasks are busy out of hundreds per user
            task = tasks[rng.randrange(len(tasks))]
        task.busy = True
        wanted = not task.completed
        body = orjson.dumps(
            {
                "query": TOGGLE,
                "operationName": "Toggle",
                "variables": {"sceneId": task.scene, "taskType": task.type, "completed": wanted},
            }
        )

        def release(ok: bool) -> None:
            task.busy = False
            if ok:
                task.completed = wanted
                self.toggled[task.project] = self.toggled.get(task.project, 0) + 1
            else:
                self.unsure.add(task.project)
                tasks.remove(task)  # its state is unknown now: never toggle it again

        return Prepared(
            raw_request(self.port, body, self.tokens[user]),
            lambda answer: check_toggle(answer, task.id, task.type, wanted),
            release,
        )

    async def _report(self, rng: random.Random) -> Prepared:
        start = rng.randrange(len(self.jobs))
        ordered = self.jobs[start:] + self.jobs[:start]
        job = next((j for j in ordered if not j.lock.locked() and not j.broken), None)
        if job is None:
            job = next((j for j in ordered if not j.broken), ordered[0])
        await job.lock.acquire()
        progress = min(99, job.progress + 1)
        seq = job.seq + 1
        n = len(job.seqs) + 1
        body = orjson.dumps(
            {
                "query": REPORT,
                "operationName": "Report",
                "variables": {
                    "id": job.id,
                    "progress": progress,
                    "stage": "rendering",
                    "message": f"chunk {n} rendered",
                },
            }
        )

        def release(ok: bool) -> None:
            if ok:
                job.seq, job.progress = seq, progress
                job.seqs.append(seq)
            else:
                job.broken = job.broken or f"report {n} failed"
            job.lock.release()

        return Prepared(
            raw_request(self.port, body, job.key),
            lambda answer: check_report(answer, job.id, progress, seq),
            release,
        )


async def connection(
    mix: Mix, rng: random.Random, window: tuple[float, float], max_inflight_s: float
) -> None:
    """One closed-loop connection until the window ends; the last request is drained."""
    start, end = window
    conn = await Connection.open(mix.port)
    try:
        while time.perf_counter() < end:
            op = mix.pick(rng)
            if op == "progress" and all(j.broken for j in mix.jobs):
                op = "W1"
            prepared = await mix.prepare(op, rng)
            tally = mix.tallies[op]
            sent = time.perf_counter()
            ok = False
            try:
                async with asyncio.timeout(max_inflight_s):
                    status, body, closing = await conn.exchange(prepared.raw)
            except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
                tally.checked += 1
                tally.fail(f"{op}: transport error {exc!r}")
                mix.exceptions += 1
                conn.close()
                conn = await Connection.open(mix.port)
                mix.reconnects += 1
                prepared.release(False)
                continue
            done = time.perf_counter()
            tally.checked += 1
            if status != 200:
                problem: str | None = f"HTTP {status}: {body[:300]!r}"
            else:
                try:
                    problem = prepared.verify(orjson.loads(body))
                except orjson.JSONDecodeError as exc:
                    problem = f"invalid JSON ({exc}): {body[:300]!r}"
            if problem is None:
                ok = True
            else:
                tally.fail(f"{op}: {problem}")
            prepared.release(ok)
            if start <= done <= end:
                tally.latencies.append(done - sent)
            if closing:
                conn.close()
                conn = await Connection.open(mix.port)
                mix.reconnects += 1
    finally:
        conn.close()


async def load_tasks(dsn: str) -> dict[str, list[Task]]:
    """Every scene task with its owner, project and current state, by owner."""
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(TASKS_SQL)
    finally:
        await conn.close()
    by_user: dict[str, list[Task]] = {}
    for row in rows:
        task = Task(
            str(row["project_id"]),
            str(row["scene_id"]),
            str(row["task_id"]),
            row["task_type"],
            row["completed"],
        )
        by_user.setdefault(str(row["owner_id"]), []).append(task)
    return by_user


def _cpu_of(pids: dict[str, int]) -> dict[str, float]:
    found = {}
    for name, pid in pids.items():
        with contextlib.suppress(OSError, IndexError, ValueError):
            found[name] = cpu_seconds(pid)
    return found


def summary(tally: OpTally, window: float) -> dict[str, Any]:
    ordered = sorted(tally.latencies)
    count = len(ordered)
    return {
        "count": count,
        "rps": count / window,
        "checked": tally.checked,
        "errors": tally.errors,
        "error_samples": tally.samples,
        "latency_ms": {
            "p50": percentile(ordered, 0.50) * 1000,
            "p90": percentile(ordered, 0.90) * 1000,
            "p99": percentile(ordered, 0.99) * 1000,
            "max": (ordered[-1] if ordered else float("nan")) * 1000,
            "mean": (sum(ordered) / count if count else float("nan")) * 1000,
        },
    }


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    """The load; `spec` keys: port, dsn, database, server_pid, other_pids, concurrency, warmup,
    duration, drain_timeout, seed, weights, W1, W2 (request variants), tokens (user -> session
    token), hot_users, hot_share, jobs (id, API key, seq, progress)."""
    tasks = await load_tasks(spec["dsn"])
    mix = Mix(spec, tasks)
    warmup: float = spec["warmup"]
    duration: float = spec["duration"]
    begin = time.perf_counter()
    window = (begin + warmup, begin + warmup + duration)
    samples: list[tuple[CpuSample, dict[str, float]]] = []
    other_pids: dict[str, int] = spec["other_pids"]

    async def sampler() -> None:
        for moment in window:
            await asyncio.sleep(max(0.0, moment - time.perf_counter()))
            samples.append((sample(spec["server_pid"], spec["database"]), _cpu_of(other_pids)))

    sampling = asyncio.create_task(sampler())
    seed: int = spec["seed"]
    drain: float = spec["drain_timeout"]
    async with asyncio.timeout(warmup + duration + drain + 5):
        await asyncio.gather(
            *(
                connection(mix, random.Random(seed * 1000 + i), window, drain)
                for i in range(spec["concurrency"])
            )
        )
        await sampling
    drained = time.perf_counter() - window[1]
    (first, first_others), (last, last_others) = samples
    measured = last.at - first.at
    postgres = sum(cpu - first.postgres.get(pid, 0.0) for pid, cpu in last.postgres.items())
    ops = {op: summary(mix.tallies[op], measured) for op in OPERATIONS}
    total = sum(o["count"] for o in ops.values())
    return {
        "window_s": measured,
        "drain_s": drained,
        "operations": ops,
        "total": {
            "count": total,
            "rps": total / measured,
            "checked": sum(o["checked"] for o in ops.values()),
            "errors": sum(o["errors"] for o in ops.values()),
        },
        "reconnects": mix.reconnects,
        "transport_errors": mix.exceptions,
        "toggled": mix.toggled,
        "unsure_projects": sorted(mix.unsure),
        "jobs": [
            {"id": j.id, "seq": j.seq, "progress": j.progress, "seqs": j.seqs, "broken": j.broken}
            for j in mix.jobs
        ],
        "cpu_s": {
            "server": last.server - first.server,
            "postgres": postgres,
            "load_generator": last.client - first.client,
            **{
                name: last_others[name] - first_others[name]
                for name in other_pids
                if name in first_others and name in last_others
            },
            "machine_busy": last.machine_busy - first.machine_busy,
            "machine_total": last.machine_total - first.machine_total,
        },
        "postgres_backends": len(last.postgres),
    }


if __name__ == "__main__":
    spec_process(run)
