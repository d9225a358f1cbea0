"""Deterministic data set for the read benchmark, written with COPY into a migrated database.

Shape: `users` users x 5 projects x 4 storyboards x 12 scenes x 4 tasks (one per TaskType).
Text is assembled from a fixed vocabulary (brief ~300 characters, visualDescription ~150,
script ~200); every timestamp is UTC with microseconds; ids are UUIDv4 drawn from a seeded RNG,
so the same `seed` gives the same rows. The rows respect the model's invariants: scene numbers
1..12 per storyboard, totalScenes/totalDuration equal to the truth, four tasks per scene (one of
each type), completedAt set iff completed.
"""

import random
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import orjson
from argon2 import PasswordHasher

from bench.reads.documents import PAGE, TASK_ORDER

PROJECTS_PER_USER = 5
STORYBOARDS_PER_PROJECT = 4
SCENES_PER_STORYBOARD = 12
PASSWORD = "bench-password-1"

_VOCABULARY = (
    "camera pans slowly across the kitchen counter while morning light spills through the "
    "window and a hand reaches for a ceramic mug steam rising product label close-up "
    "shallow depth of field bokeh city skyline at dusk runner laces shoes on wet pavement "
    "smiling founder explains why customers love the new feature quick cut to a split-screen "
    "comparison before after testimonial voice-over upbeat music swells brand logo animates in "
    "call to action swipe up limited offer today only subtitles appear word by word "
    "handheld tracking shot over-the-shoulder laptop screen dashboard numbers climbing "
    "café terrace naïve sketch comes alive — stop-motion unboxing crinkly paper reveal "
    "drone sweep above the coastline golden hour silhouette jump cut reaction shot "
    "creator talks straight to camera pointing at text overlay the problem everyone has "
    "three simple steps no signup needed try it free link in bio"
)
_WORDS = _VOCABULARY.split()
_CAMERAS = (
    "wide",
    "medium",
    "close-up",
    "extreme close-up",
    "over-the-shoulder",
    "top-down",
    "handheld",
    "drone",
    None,
)
_OVERLAYS = (
    "Stop scrolling!",
    "3 steps. 0 effort.",
    "Wait for it…",
    "Before → After",
    "Link in bio",
    "Only today: -30%",
    None,
    None,
)
_PATTERNS = ("hook-problem-solution", "before-after", "listicle", "testimonial", "unboxing", None)
_PROJECT_STATUS = (("ACTIVE", 50), ("DRAFT", 15), ("COMPLETED", 25), ("ARCHIVED", 10))
_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)

USER_COLUMNS = ("id", "email", "password_hash", "name", "image", "created_at", "updated_at")
PROJECT_COLUMNS = ("id", "owner_id", "title", "description", "status", "created_at", "updated_at")
STORYBOARD_COLUMNS = (
    "id",
    "project_id",
    "title",
    "brief",
    "reference_urls",
    "total_scenes",
    "total_duration",
    "pattern_source",
    "status",
    "generated_at",
    "created_at",
    "updated_at",
)
SCENE_COLUMNS = (
    "id",
    "storyboard_id",
    "scene_number",
    "duration",
    "scene_type",
    "visual_description",
    "script",
    "text_overlay",
    "camera_angle",
    "created_at",
    "updated_at",
)
TASK_COLUMNS = (
    "id",
    "scene_id",
    "task_type",
    "completed",
    "completed_at",
    "created_at",
    "updated_at",
)
TABLES = ("users", "projects", "storyboards", "scenes", "scene_tasks")


@dataclass
class Totals:
    """What lies below one project (all of it: aggregates count every task)."""

    storyboards: int = 0
    scenes: int = 0
    tasks: int = 0
    completed: int = 0


@dataclass
class Dataset:
    users: list[uuid.UUID] = field(default_factory=list)
    # Owner -> project ids in page order (updatedAt newest first, id as tie-break).
    projects: dict[uuid.UUID, list[uuid.UUID]] = field(default_factory=dict)
    owner_of: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    # ARCHIVED projects: read-only (every write on them or below them is CONFLICT).
    archived: set[uuid.UUID] = field(default_factory=set)
    totals: dict[uuid.UUID, Totals] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def expect(self, workload: str, key: uuid.UUID) -> dict[str, Any]:
        """The object counts of a correct answer; `key` is a user (W1, W3) or a project (W2)."""
        if workload == "W2":
            t = self.totals[key]
            return {
                "id": str(key),
                "projects": 1,
                "storyboards": t.storyboards,
                "scenes": t.scenes,
                "tasks": t.tasks,
                "completed": t.completed,
            }
        page = self.projects[key][:PAGE]
        sums = Totals()
        for project_id in page:
            t = self.totals[project_id]
            sums.storyboards += t.storyboards
            sums.scenes += t.scenes
            sums.tasks += t.tasks
            sums.completed += t.completed
        expect = {"projects": len(page), "storyboards": sums.storyboards}
        expect.update(tasks=sums.tasks, completed=sums.completed)
        if workload == "W3":
            expect["scenes"] = sums.scenes
        return expect


class _Gen:
    """Seeded generators of ids, times and text."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        self.sentences = [
            " ".join(rng.choice(_WORDS) for _ in range(rng.randint(6, 14))).capitalize() + "."
            for _ in range(3000)
        ]

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def text(self, target: int) -> str:
        goal = int(target * self.rng.uniform(0.75, 1.25))
        parts: list[str] = []
        size = 0
        while size < goal:
            sentence = self.sentences[self.rng.randrange(len(self.sentences))]
            parts.append(sentence)
            size += len(sentence) + 1
        return " ".join(parts)[: max(goal, 20)].rstrip() + "."

    def title(self) -> str:
        return " ".join(self.rng.choice(_WORDS) for _ in range(self.rng.randint(2, 6))).title()

    def after(self, start: datetime, max_days: float) -> datetime:
        """A moment up to `max_days` after `start`, with microseconds."""
        return start + timedelta(microseconds=self.rng.randrange(1, int(max_days * 86_400e6)))


def generate(users: int, seed: int) -> tuple[Dataset, dict[str, list[tuple[Any, ...]]]]:
    g = _Gen(seed)
    rng = g.rng
    data = Dataset()
    rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in TABLES}
    password_hash = PasswordHasher().hash(PASSWORD)  # one hash for every user: seeding speed
    statuses = [s for s, _ in _PROJECT_STATUS]
    weights = [w for _, w in _PROJECT_STATUS]
    for u in range(users):
        user_id = g.uuid()
        user_created = g.after(_EPOCH, 30)
        name = f"{rng.choice(_WORDS).title()} {rng.choice(_WORDS).title()}"
        image = f"https://cdn.example.com/avatars/{u:05d}.png" if rng.random() < 0.6 else None
        rows["users"].append(
            (
                user_id,
                f"user{u:05d}@bench.example.com",
                password_hash,
                name,
                image,
                user_created,
                g.after(user_created, 30),
            )
        )
        data.users.append(user_id)
        owned: list[tuple[datetime, uuid.UUID]] = []
        for _ in range(PROJECTS_PER_USER):
            project_id = g.uuid()
            project_created = g.after(user_created, 60)
            project_updated = g.after(project_created, 120)
            description = g.text(120) if rng.random() < 0.8 else None
            status = rng.choices(statuses, weights)[0]
            if status == "ARCHIVED":
                data.archived.add(project_id)
            rows["projects"].append(
                (
                    project_id,
                    user_id,
                    g.title(),
                    description,
                    status,
                    project_created,
                    project_updated,
                )
            )
            owned.append((project_updated, project_id))
            data.owner_of[project_id] = user_id
            totals = data.totals[project_id] = Totals()
            for _ in range(STORYBOARDS_PER_PROJECT):
                _storyboard(g, rows, project_id, project_created, totals)
        owned.sort(reverse=True)
        data.projects[user_id] = [project_id for _, project_id in owned]
    data.rows = {table: len(records) for table, records in rows.items()}
    return data, rows


def _storyboard(
    g: _Gen,
    rows: dict[str, list[tuple[Any, ...]]],
    project_id: uuid.UUID,
    project_created: datetime,
    totals: Totals,
) -> None:
    rng = g.rng
    storyboard_id = g.uuid()
    created = g.after(project_created, 60)
    pattern = rng.choice(_PATTERNS)
    generated_at = g.after(created, 0.01) if pattern is not None else None
    level = rng.choice((0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0))
    durations: list[int] = []
    last_change = generated_at or created
    for number in range(1, SCENES_PER_STORYBOARD + 1):
        scene_id = g.uuid()
        duration = rng.randint(2, 15)
        durations.append(duration)
        if number == 1:
            scene_type = "HOOK"
        elif number == SCENES_PER_STORYBOARD:
            scene_type = "CTA"
        else:
            scene_type = "TRANSITION" if rng.random() < 0.15 else "CONTENT"
        scene_created = generated_at or g.after(created, 1)
        scene_updated = g.after(scene_created, 10)
        last_change = max(last_change, scene_updated)
        rows["scenes"].append(
            (
                scene_id,
                storyboard_id,
                number,
                duration,
                scene_type,
                g.text(150),
                g.text(200) if rng.random() < 0.9 else None,
                rng.choice(_OVERLAYS),
                rng.choice(_CAMERAS),
                scene_created,
                scene_updated,
            )
        )
        for rank, task_type in enumerate(TASK_ORDER):
            # Earlier steps of the pipeline are done more often than later ones.
            completed = rng.random() < level * (1.0 - 0.15 * rank)
            completed_at = g.after(scene_created, 20) if completed else None
            updated = completed_at or scene_created
            rows["scene_tasks"].append(
                (g.uuid(), scene_id, task_type, completed, completed_at, scene_created, updated)
            )
            totals.tasks += 1
            totals.completed += completed
        totals.scenes += 1
    urls = [f"https://www.example.com/ref/{rng.randrange(10**6)}" for _ in range(rng.randint(0, 3))]
    rows["storyboards"].append(
        (
            storyboard_id,
            project_id,
            g.title(),
            g.text(300),
            orjson.dumps(urls).decode(),
            len(durations),
            sum(durations),
            pattern,
            "COMPLETED",
            generated_at,
            created,
            max(last_change, g.after(created, 5)),
        )
    )
    totals.storyboards += 1


_COLUMNS: dict[str, Sequence[str]] = {
    "users": USER_COLUMNS,
    "projects": PROJECT_COLUMNS,
    "storyboards": STORYBOARD_COLUMNS,
    "scenes": SCENE_COLUMNS,
    "scene_tasks": TASK_COLUMNS,
}


async def seed(dsn: str, users: int, seed: int = 20261122) -> Dataset:
    """Generate the data set and COPY it into the (migrated, empty) database at `dsn`."""
    started = time.perf_counter()
    data, rows = generate(users, seed)
    generated = time.perf_counter()
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            for table in TABLES:
                await conn.copy_records_to_table(
                    table, records=rows[table], columns=list(_COLUMNS[table])
                )
        copied = time.perf_counter()
        # Fresh statistics and visibility map: the planner and index-only scans see steady state.
        await conn.execute("VACUUM (ANALYZE) " + ", ".join(TABLES))
        analysed = time.perf_counter()
    finally:
        await conn.close()
    data.timings = {
        "generate_s": generated - started,
        "copy_s": copied - generated,
        "vacuum_analyze_s": analysed - copied,
        "total_s": analysed - started,
    }
    return data
