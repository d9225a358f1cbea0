"""Where the servers' time goes: py-spy sampling them during a measured run.

`python -m bench.reads --profile DIR` records each server's load run of the first round with
`py-spy record --format raw` (collapsed stacks, one file per workload in DIR, loadable in
speedscope or flamegraph.pl, named WORKLOAD-SERVER.txt) and prints a summary: the share of
samples per layer, by the innermost frame that belongs to a known package, and the functions with
the most own samples. Only samples holding the GIL count (`--gil`): CPU time, not waiting. py-spy
samples from outside the process (`--nonblocking`), so the server is not paused.
"""

import asyncio
import shutil
import sys
from collections import Counter
from pathlib import Path

# The first match, scanning a stack from its innermost frame outwards, names the layer.
LAYERS = (
    ("graphql-core", "(graphql/"),
    ("strawberry", "(strawberry/"),
    ("tortoise", "(tortoise/"),
    ("pypika", "(pypika"),
    ("asyncpg", "(asyncpg/"),
    ("uvicorn/httptools", "(uvicorn/"),
    ("starlette", "(starlette/"),
    ("pydantic", "(pydantic"),
    ("jwt", "(jwt/"),
    ("storygraph schema", "(schema/"),
    ("storygraph resolvers", "(resolvers/"),
    ("storygraph services", "(services/"),
    ("storygraph app", "(app.py"),
    ("bench baseline", "(bench/"),
    ("asyncio/uvloop", "(asyncio/"),
    ("logging", "(logging/"),
    ("json", "(json/"),
)


def _py_spy() -> str | None:
    beside = Path(sys.executable).parent / "py-spy"
    return str(beside) if beside.exists() else shutil.which("py-spy")


def available() -> bool:
    return _py_spy() is not None


async def record(pid: int, seconds: float, out: Path) -> asyncio.subprocess.Process:
    """Start sampling `pid` for `seconds`; await `.wait()` on the result for the file."""
    py_spy = _py_spy()
    assert py_spy is not None
    return await asyncio.create_subprocess_exec(
        py_spy,
        "record",
        "--pid",
        str(pid),
        "--duration",
        str(max(1, round(seconds))),
        "--rate",
        "250",
        "--nonblocking",
        # Only samples holding the GIL: CPU work, not time spent waiting for PostgreSQL.
        "--gil",
        "--format",
        "raw",
        "--output",
        str(out),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


def _layer(frames: list[str]) -> str:
    for frame in reversed(frames):
        for name, marker in LAYERS:
            if marker in frame:
                return name
    return "other (C code, interpreter)"


def summarise(collapsed: Path, top: int = 12) -> list[str]:
    """Lines describing a py-spy raw (collapsed stacks) file."""
    layers: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = stack.split(";")
        total += count
        layers[_layer(frames)] += count
        own[frames[-1]] += count
    if not total:
        return ["  (no samples)"]
    lines = [f"  {total} samples; by layer (innermost known frame):"]
    lines += [f"    {n / total:6.1%}  {name}" for name, n in layers.most_common()]
    lines.append("  functions with the most own samples:")
    lines += [f"    {n / total:6.1%}  {frame[:110]}" for frame, n in own.most_common(top)]
    return lines
