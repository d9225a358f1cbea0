"""`python -m bench.search`: search latency over 100,000 scenes on PostgreSQL.

A scratch database built by the aerich migrations holds one user's 10 projects, 1,000
storyboards and SCENES scenes (scripts drawn from a fixed vocabulary, so common and rare words
both occur), plus a second user with the same amount of text (ownership is part of the query).
Then `services.search.search` runs QUERIES times per query shape (first page, 20 hits, with the
total) and its latency is reported as p50/p90/p99/max. PG_ADMIN_URL picks the server.
"""

import asyncio
import os
import time
import uuid

import asyncpg
from tortoise.context import TortoiseContext

from bench.common import create_database, describe, drop_database, load_average, out
from services import search
from services.db import tortoise_config
from services.migrate import migrate

ADMIN_URL = os.environ.get("PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test")
SCENES = int(os.environ.get("SEARCH_SCENES", "100000"))
QUERIES = int(os.environ.get("SEARCH_QUERIES", "200"))
VOCABULARY = [
    "lighthouse",
    "keeper",
    "harbour",
    "storm",
    "wave",
    "gull",
    "boat",
    "rope",
    "lantern",
    "night",
    "morning",
    "coffee",
    "city",
    "street",
    "market",
    "bicycle",
    "rain",
    "umbrella",
    "dog",
    "cat",
    "child",
    "teacher",
    "school",
    "garden",
    "flower",
    "tree",
    "mountain",
    "river",
    "bridge",
    "train",
    "station",
    "ticket",
    "camera",
    "light",
    "shadow",
    "window",
    "door",
    "kitchen",
    "bread",
    "music",
    "guitar",
    "piano",
    "dance",
    "laugh",
    "smile",
    "whisper",
    "shout",
    "run",
    "walk",
    "jump",
    "fly",
]
# Common word (many hits), rare words, a prefix as typed, two words, a word nobody wrote.
SHAPES = {
    "common word": "lighthouse",
    "two words": "storm lantern",
    "prefix as typed": "harb",
    "three words, rare": "piano whisper bridge",
    "no hit": "zeppelin",
}


async def seed(url: str) -> uuid.UUID:
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        owners = []
        for n in range(2):
            owner = uuid.uuid4()
            owners.append(owner)
            await conn.execute(
                "INSERT INTO users (id, email, password_hash, created_at, updated_at, "
                "session_generation) VALUES ($1, $2, 'x', now(), now(), 0)",
                owner,
                f"bench-{n}@example.com",
            )
            await conn.execute(
                "INSERT INTO projects (id, owner_id, title, description, status, created_at, "
                "updated_at) SELECT gen_random_uuid(), $1, 'Project ' || i, 'A film', 'ACTIVE', "
                "now(), now() FROM generate_series(1, 10) i",
                owner,
            )
            await conn.execute(
                "INSERT INTO storyboards (id, project_id, title, brief, reference_urls, "
                "total_scenes, total_duration, status, created_at, updated_at, version) "
                "SELECT gen_random_uuid(), p.id, 'Cut ' || i, 'A brief about the sea', '[]', "
                "100, 0, 'COMPLETED', now(), now(), 0 FROM projects p, generate_series(1, 100) i "
                "WHERE p.owner_id = $1",
                owner,
            )
            # Each script: 12 words drawn from the vocabulary by a fixed hash of its number.
            words = "ARRAY[" + ", ".join(f"'{w}'" for w in VOCABULARY) + "]"
            await conn.execute(
                f"""
                INSERT INTO scenes (id, storyboard_id, scene_number, duration, scene_type,
                                    visual_description, script, created_at, updated_at)
                SELECT gen_random_uuid(), b.id, n, 5, 'CONTENT', 'Shot ' || n,
                       (SELECT string_agg(({words})[1 + abs(hashtext(b.id::text || n || k))
                                                     % {len(VOCABULARY)}], ' ')
                        FROM generate_series(1, 12) k),
                       now(), now()
                FROM storyboards b JOIN projects p ON p.id = b.project_id,
                     generate_series(1, $2::int) n
                WHERE p.owner_id = $1
                """,
                owner,
                SCENES // 1000,
            )
        await conn.execute("ANALYZE")
        return owners[0]
    finally:
        await conn.close()


async def measure(owner: uuid.UUID) -> None:
    for shape, query in SHAPES.items():
        for _ in range(5):  # warm the caches and the prepared statement
            await search.search(owner, query, None, 20, None)
        times = []
        for _ in range(QUERIES):
            start = time.perf_counter()
            hits = await search.search(owner, query, None, 20, None)
            times.append(time.perf_counter() - start)
        out(f"  {shape:<20} {query!r:<24} {hits.total:>7} hits  ms: {describe(times)}")


async def main() -> None:
    name, url, server = await create_database(ADMIN_URL, "storygraph_bench_search")
    try:
        await migrate(url)
        started = time.perf_counter()
        owner = await seed(url)
        out(f"search over {SCENES:,} scenes per user (2 users), PostgreSQL {server}")
        out(f"seeded in {time.perf_counter() - started:.1f}s; load average {load_average()}")
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config(url))
            await measure(owner)
        out(f"load average after: {load_average()}")
    finally:
        await drop_database(ADMIN_URL, name)


if __name__ == "__main__":
    asyncio.run(main())
