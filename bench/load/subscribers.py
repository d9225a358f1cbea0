"""WebSocket subscribers of the mixed load, own process: `python -m bench.load.subscribers`.

The first line on stdin is a JSON spec: the server's WebSocket URL, how many handshakes may be in
flight, and one entry per subscriber: `{"kind": "job", "id", "token", "after_seq"}` for
`jobProgress(jobId, afterSeq)` or `{"kind": "project", "id", "token"}` for
`projectProgress(projectId)`. Each subscriber has its own socket (graphql-transport-ws, the
token in `connection_init`, as a browser dashboard does).

Later lines are commands: `expect {"<projectId>": n, ...}` (the number of updates each project's
subscribers must receive after their first value; `settled` is reported once they all have),
and `close` (or the end of stdin): close every socket and write the result.

Milestones go to stdout as JSON lines, one per kind (read by bench.fanout.ClientProcess):
`connected` (every handshake done or failed), `primed` (every open subscriber received its
first message: the server subscribed it to the broker before it read that message from the
database, so every later event reaches it), `jobs_done` (every jobProgress stream completed or
failed), `settled`, and `result`: per subscriber the job seqs received, in order, with their
delivery latency (receive time minus the event's `at`, stamped by the server just before
commit, same machine clock) or the project progress values received, whether the stream
completed, and the first error.
"""

import asyncio
import contextlib
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from bench.common import run_loop
from bench.load.documents import JOB_SUBSCRIBE, PROJECT_SUBSCRIBE


@dataclass
class Subscriber:
    """One socket with one subscription, and what it received."""

    kind: str
    target: str
    token: str
    after_seq: int | None = None
    seqs: list[int] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    values: list[int] = field(default_factory=list)
    totals: set[int] = field(default_factory=set)
    bad_values: int = 0
    primed: bool = False
    complete: bool = False
    finished: bool = False
    error: str | None = None
    ws: ClientConnection | None = None

    def frame(self) -> str:
        if self.kind == "job":
            payload = {
                "query": JOB_SUBSCRIBE,
                "variables": {"jobId": self.target, "afterSeq": self.after_seq},
            }
        else:
            payload = {"query": PROJECT_SUBSCRIBE, "variables": {"projectId": self.target}}
        return orjson.dumps({"id": "1", "type": "subscribe", "payload": payload}).decode()

    def result(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.target,
            "seqs": self.seqs,
            "latencies": self.latencies,
            "values": self.values,
            "totals": sorted(self.totals),
            "bad_values": self.bad_values,
            "complete": self.complete,
            "error": self.error,
        }


class Run:
    """Opens the subscribers, records what they receive, reports milestones."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.url: str = spec["url"]
        self.open_timeout: float = spec["open_timeout"]
        self.gate = asyncio.Semaphore(spec["concurrency"])
        self.subs = [
            Subscriber(s["kind"], s["id"], s["token"], s.get("after_seq")) for s in spec["subs"]
        ]
        self.opened = self.failed = self.primed = 0
        self.jobs = sum(1 for s in self.subs if s.kind == "job")
        self.jobs_finished = 0
        self.expected: dict[str, int] | None = None
        self.sent: set[str] = set()
        self.started = time.monotonic()

    def emit(self, kind: str, **data: Any) -> None:
        if kind in self.sent:
            return
        self.sent.add(kind)
        sys.stdout.buffer.write(orjson.dumps({"type": kind, **data}) + b"\n")
        sys.stdout.buffer.flush()

    def milestones(self) -> None:
        if self.opened + self.failed == len(self.subs):
            seconds = round(time.monotonic() - self.started, 3)
            self.emit("connected", opened=self.opened, failed=self.failed, seconds=seconds)
            if self.primed == self.opened:
                self.emit("primed", seconds=seconds)
        if self.jobs_finished == self.jobs:
            self.emit("jobs_done")
        if self.expected is not None and all(
            s.finished or len(s.values) - 1 >= self.expected.get(s.target, 0)
            for s in self.subs
            if s.kind == "project"
        ):
            self.emit("settled")

    async def open(self, sub: Subscriber) -> ClientConnection:
        async with self.gate:
            ws = await connect(
                self.url,
                subprotocols=[Subprotocol("graphql-transport-ws")],
                compression=None,
                proxy=None,
                ping_interval=None,
                open_timeout=self.open_timeout,
                close_timeout=2,
            )
            sub.ws = ws
            init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {sub.token}"}}
            await ws.send(orjson.dumps(init).decode())
            async with asyncio.timeout(self.open_timeout):
                reply = orjson.loads(await ws.recv(decode=False))
            if reply.get("type") != "connection_ack":
                raise RuntimeError(f"expected connection_ack, got {reply!r}")
            await ws.send(sub.frame())
            return ws

    def finish(self, sub: Subscriber) -> None:
        sub.finished = True
        self.jobs_finished += sub.kind == "job"
        self.milestones()

    def _first(self, sub: Subscriber) -> None:
        if not sub.primed:
            sub.primed = True
            self.primed += 1
            self.milestones()

    async def follow(self, sub: Subscriber) -> None:
        try:
            ws = await self.open(sub)
        except Exception as exc:
            sub.error = f"connect: {exc!r}"
            self.failed += 1
            self.finish(sub)
            return
        self.opened += 1
        self.milestones()
        now, loads = time.time, orjson.loads
        try:
            while True:
                raw = await ws.recv(decode=False)
                received = now()
                message = loads(raw)
                kind = message["type"]
                if kind == "next":
                    data = message["payload"].get("data")
                    if not data or message["payload"].get("errors"):
                        sub.error = f"next with errors: {message['payload']!r}"[:300]
                        break
                    if sub.kind == "job":
                        event = data["jobProgress"]
                        if event["jobId"] != sub.target:
                            sub.error = f"an event of another job: {event!r}"
                            break
                        sub.seqs.append(event["seq"])
                        at = datetime.fromisoformat(event["at"]).timestamp()
                        sub.latencies.append(received - at)
                    else:
                        value = data["projectProgress"]
                        total, done = value["totalTasks"], value["completedTasks"]
                        if value["ratio"] != (done / total if total else 0.0) or done > total:
                            sub.bad_values += 1
                        sub.values.append(done)
                        sub.totals.add(total)
                        if self.expected is not None:
                            self.milestones()
                    self._first(sub)
                elif kind == "complete":
                    sub.complete = True
                    if sub.kind != "job":
                        sub.error = "a projectProgress stream completed"
                    break
                elif kind == "ping":
                    await ws.send('{"type":"pong"}')
                elif kind != "pong":
                    sub.error = f"unexpected frame: {message!r}"[:300]
                    break
        except ConnectionClosed as exc:
            sub.error = f"closed: {exc}"
        finally:
            self.finish(sub)

    async def close_all(self) -> None:
        async def close(ws: ClientConnection) -> None:
            async with self.gate:
                with contextlib.suppress(Exception):
                    await ws.close()

        await asyncio.gather(*(close(s.ws) for s in self.subs if s.ws is not None))


async def commands(run: Run, reader: asyncio.StreamReader) -> None:
    """Obey `expect` lines; return on `close` or at the end of stdin."""
    while True:
        line = (await reader.readline()).strip()
        if not line or line == b"close":
            return
        verb, _, argument = line.partition(b" ")
        if verb == b"expect":
            run.expected = orjson.loads(argument)
            run.milestones()


async def main_async() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=1 << 26)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    run = Run(orjson.loads(await reader.readline()))
    tasks = [asyncio.create_task(run.follow(sub)) for sub in run.subs]
    await commands(run, reader)
    # What arrived so far is the result; closing the sockets must not add `closed` errors.
    results = [sub.result() for sub in run.subs]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await run.close_all()
    run.emit("result", subs=results)


def main() -> None:
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: the orchestrator reports it
        run_loop(main_async())


if __name__ == "__main__":
    main()
