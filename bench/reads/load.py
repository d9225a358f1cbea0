"""Closed-loop HTTP load generator, run as its own process: `python -m bench.reads.load`.

Reads a JSON spec on stdin (port, workload, request variants with their expected object
counts, concurrency, warm-up, duration, pids to watch), writes one JSON result on stdout.

`concurrency` keep-alive connections each send one request, wait for the whole response, check
it (HTTP 200, a JSON body without `errors`, the expected numbers of projects/storyboards/scenes/
tasks/completed tasks; bench.reads.documents.check, after bench.reads.graphile.normalise for
PostGraphile's answers) and send the next one at once. Requests that
complete during the warm-up are checked but not recorded; throughput is the number of responses
completed inside the measuring window divided by its length; latencies are those responses'.
In-flight requests at the end are drained (checked, not recorded), so the server is idle when
the next measurement starts.

HTTP/1.1 is spoken by hand over asyncio streams (uvloop when available): a generic client such
as httpx costs several times more CPU per request, and this process shares the machine's cores
with the server under test and PostgreSQL. Its own CPU time is reported so that the reader can
tell whether the load generator was close to being the bottleneck.

Around the measuring window it also samples CPU time (from /proc) of the server process, of the
PostgreSQL backends serving the benchmark database, of itself and of the whole machine.
"""

import asyncio
import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from bench.common import percentile, spec_process
from bench.reads.documents import check
from bench.reads.graphile import normalise

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Variant:
    raw: bytes
    expect: dict[str, Any]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    bytes: int = 0
    checked: int = 0
    failures: int = 0
    failure_samples: list[str] = field(default_factory=list)
    reconnects: int = 0

    def fail(self, message: str) -> None:
        self.failures += 1
        if len(self.failure_samples) < 5:
            self.failure_samples.append(message)


class Connection:
    """One keep-alive HTTP/1.1 connection; one request at a time."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, port: int) -> "Connection":
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
        return cls(reader, writer)

    def close(self) -> None:
        self.writer.close()

    async def exchange(self, raw: bytes) -> tuple[int, bytes, bool]:
        """Send one request; (status, body, whether the server will close the connection)."""
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length = 0
        chunked = closing = False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                closing = b"close" in value.lower()
        body = await (self._chunked() if chunked else self.reader.readexactly(length))
        return status, body, closing

    async def _chunked(self) -> bytes:
        parts: list[bytes] = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)


def raw_request(port: int, body: bytes, token: str) -> bytes:
    head = (
        f"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/json\r\nAccept: application/json\r\n"
        f"Authorization: Bearer {token}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def _proc_cpu(pid: int) -> float:
    """utime + stime of a process in seconds; 0.0 when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return 0.0
    fields = stat.rsplit(b")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _backends(database: str) -> list[int]:
    """PostgreSQL backend processes connected to `database` (by their process title)."""
    marker = f" {database} ".encode()
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            title = Path(f"/proc/{entry.name}/cmdline").read_bytes()
        except OSError:
            continue
        if title.startswith(b"postgres: ") and marker in title:
            found.append(int(entry.name))
    return found


def _machine() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values[:8])  # without guest time, which is already in user
    return (total - idle) / CLOCK_TICKS, total / CLOCK_TICKS


@dataclass
class CpuSample:
    client: float
    server: float
    postgres: dict[int, float]
    machine_busy: float
    machine_total: float
    at: float


def sample(server_pid: int, database: str) -> CpuSample:
    busy, total = _machine()
    return CpuSample(
        client=time.process_time(),
        server=_proc_cpu(server_pid),
        postgres={pid: _proc_cpu(pid) for pid in _backends(database)},
        machine_busy=busy,
        machine_total=total,
        at=time.perf_counter(),
    )


async def worker(
    system: str,
    port: int,
    workload: str,
    variants: list[Variant],
    rng: random.Random,
    window: tuple[float, float],
    tally: Tally,
) -> None:
    start, end = window
    conn = await Connection.open(port)
    try:
        while time.perf_counter() < end:
            variant = variants[rng.randrange(len(variants))]
            sent = time.perf_counter()
            status, body, closing = await conn.exchange(variant.raw)
            done = time.perf_counter()
            tally.checked += 1
            if status != 200:
                tally.fail(f"HTTP {status}: {body[:300]!r}")
            else:
                try:
                    parsed = orjson.loads(body)
                    if system == "postgraphile":
                        parsed = normalise(workload, parsed)
                    problem = check(workload, parsed, variant.expect)
                except orjson.JSONDecodeError as exc:
                    problem = f"invalid JSON ({exc}): {body[:300]!r}"
                if problem is not None:
                    tally.fail(problem)
            if start <= done <= end:
                tally.latencies.append(done - sent)
                tally.bytes += len(body)
            if closing:
                conn.close()
                conn = await Connection.open(port)
                tally.reconnects += 1
    finally:
        conn.close()


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    system: str = spec["system"]
    port: int = spec["port"]
    workload: str = spec["workload"]
    variants = [
        Variant(raw_request(port, v["body"].encode(), v["token"]), v["expect"])
        for v in spec["variants"]
    ]
    concurrency: int = spec["concurrency"]
    warmup: float = spec["warmup"]
    duration: float = spec["duration"]
    server_pid: int = spec["server_pid"]
    database: str = spec["database"]
    tally = Tally()
    begin = time.perf_counter()
    window = (begin + warmup, begin + warmup + duration)
    samples: list[CpuSample] = []

    async def sampler() -> None:
        for moment in window:
            await asyncio.sleep(max(0.0, moment - time.perf_counter()))
            samples.append(sample(server_pid, database))

    sampling = asyncio.create_task(sampler())
    seed: int = spec["seed"]
    async with asyncio.timeout(warmup + duration + spec["drain_timeout"]):
        await asyncio.gather(
            *(
                worker(
                    system, port, workload, variants, random.Random(seed * 1000 + i), window, tally
                )
                for i in range(concurrency)
            )
        )
        await sampling
    drained = time.perf_counter() - window[1]
    first, last = samples
    measured = last.at - first.at
    latencies = sorted(tally.latencies)
    count = len(latencies)
    postgres = sum(cpu - first.postgres.get(pid, 0.0) for pid, cpu in last.postgres.items())
    return {
        "workload": workload,
        "requests": count,
        "rps": count / measured,
        "window_s": measured,
        "drain_s": drained,
        "checked": tally.checked,
        "failures": tally.failures,
        "failure_samples": tally.failure_samples,
        "reconnects": tally.reconnects,
        "latency_ms": {
            "p50": percentile(latencies, 0.50) * 1000,
            "p90": percentile(latencies, 0.90) * 1000,
            "p99": percentile(latencies, 0.99) * 1000,
            "max": (latencies[-1] if latencies else float("nan")) * 1000,
            "mean": (sum(latencies) / count if count else float("nan")) * 1000,
        },
        "bytes_mean": tally.bytes / count if count else 0,
        "cpu_s": {
            "server": last.server - first.server,
            "postgres": postgres,
            "client": last.client - first.client,
            "machine_busy": last.machine_busy - first.machine_busy,
            "machine_total": last.machine_total - first.machine_total,
        },
        "postgres_backends": len(last.postgres),
    }


if __name__ == "__main__":
    spec_process(run)
