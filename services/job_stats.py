"""Pipeline metrics: per job kind, how many jobs in which status, and where the time goes.

Everything is aggregated by the database, grouped by the parent (a user, or a project), so a
read costs the same few statements whatever the number of jobs or parents. Percentiles are
`percentile_cont` on PostgreSQL; SQLite has no such aggregate, so there each group's ordered
durations are numbered by a window and only the (at most four) rows around the 50th and 95th
percentile come back, interpolated here exactly as percentile_cont does.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from models import JobStatus
from services import sql
from services.limits import MAX_STATS_KINDS, MAX_STATS_STAGES

Scope = Literal["user", "project"]
_PARENT = {"user": "p.owner_id", "project": "j.project_id"}
PERCENTILES = (0.5, 0.95)


@dataclass
class StatusCount:
    status: JobStatus
    count: int


@dataclass
class StageStats:
    name: str
    count: int = 0
    succeeded: int = 0
    failed: int = 0
    skipped: int = 0
    p50_ms: int | None = None
    p95_ms: int | None = None
    max_ms: int | None = None


@dataclass
class JobKindStats:
    kind: str
    total: int = 0
    by_status: list[StatusCount] = field(default_factory=list)
    stages: list[StageStats] = field(default_factory=list)
    p50_duration_ms: int | None = None
    p95_duration_ms: int | None = None


def _where(
    scope: Scope, ids: list[uuid.UUID], since: datetime | None, kind: str | None
) -> tuple[str, list[Any]]:
    where = [sql.id_list(_PARENT[scope])]
    values: list[Any] = [sql.id_list_param(ids)]
    if since is not None:
        where.append("j.created_at >= ?")
        values.append(since.astimezone(UTC))
    if kind is not None:
        where.append("j.kind = ?")
        values.append(kind)
    return " AND ".join(where), values


def _job_ms() -> str:
    if sql.is_postgres():
        return "EXTRACT(EPOCH FROM (j.finished_at - j.started_at)) * 1000"
    return "(julianday(j.finished_at) - julianday(j.started_at)) * 86400000.0"


async def _percentiles(
    groups: list[str], inner: str, values: list[Any]
) -> dict[tuple[Any, ...], tuple[int | None, int | None]]:
    """(p50, p95) of `v` per group of `groups`, over the rows `inner` selects (columns
    `groups` and `v`): percentile_cont on PostgreSQL, the rows around them on SQLite."""
    keys = ", ".join(groups)
    if sql.is_postgres():
        found = await sql.fetch(
            f"SELECT {keys}, percentile_cont(0.5) WITHIN GROUP (ORDER BY v) AS p50, "
            f"percentile_cont(0.95) WITHIN GROUP (ORDER BY v) AS p95 FROM ({inner}) x "
            f"GROUP BY {keys}",
            values,
        )
        return {tuple(row[g] for g in groups): (_ms(row["p50"]), _ms(row["p95"])) for row in found}
    picks = " OR ".join(
        f"rn - 1 IN (CAST({p} * (cnt - 1) AS INTEGER), CAST({p} * (cnt - 1) AS INTEGER) + 1)"
        for p in PERCENTILES
    )
    found = await sql.fetch(
        f"SELECT {keys}, v, rn, cnt FROM (SELECT {keys}, v, "
        f"ROW_NUMBER() OVER (PARTITION BY {keys} ORDER BY v) AS rn, "
        f"COUNT(*) OVER (PARTITION BY {keys}) AS cnt FROM ({inner}) x) w WHERE {picks}",
        values,
    )
    ranked: dict[tuple[Any, ...], dict[int, float]] = defaultdict(dict)
    counts: dict[tuple[Any, ...], int] = {}
    for row in found:
        key = tuple(row[g] for g in groups)
        ranked[key][row["rn"] - 1] = float(row["v"])
        counts[key] = row["cnt"]
    return {
        key: tuple(_ms(_interpolate(ranked[key], counts[key], p)) for p in PERCENTILES)  # type: ignore[misc]
        for key in ranked
    }


def _interpolate(values: dict[int, float], count: int, p: float) -> float:
    """percentile_cont's value from the rows at floor(p·(n-1)) and the one after it."""
    position = p * (count - 1)
    low = int(position)
    if low + 1 >= count:
        return values[low]
    return values[low] + (position - low) * (values[low + 1] - values[low])


def _ms(value: Any) -> int | None:
    return None if value is None else round(float(value))


async def stats_for(
    scope: Scope,
    ids: list[uuid.UUID],
    since: datetime | None,
    kind: str | None,
) -> list[list[JobKindStats]]:
    """Per parent (a user's or a project's jobs), one JobKindStats per kind, by kind."""
    where, values = _where(scope, ids, since, kind)
    parent = _PARENT[scope]
    # A project's jobs need no join: only a user's are found through their projects.
    jobs = "jobs j JOIN projects p ON p.id = j.project_id" if scope == "user" else "jobs j"
    base = f"FROM {jobs} WHERE {where}"
    stats: dict[tuple[Any, ...], JobKindStats] = {}

    for row in await sql.fetch(
        f"SELECT {parent} AS k, j.kind AS kind, j.status AS status, COUNT(*) AS n {base} "
        "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        values,
    ):
        entry = stats.setdefault((sql.as_uuid(row["k"]), row["kind"]), JobKindStats(row["kind"]))
        entry.total += row["n"]
        entry.by_status.append(StatusCount(JobStatus(row["status"]), row["n"]))
    if not stats:
        return [[] for _ in ids]

    durations = await _percentiles(
        ["k", "kind"],
        f"SELECT {parent} AS k, j.kind AS kind, {_job_ms()} AS v {base} "
        "AND j.status = 'SUCCEEDED' AND j.started_at IS NOT NULL",
        values,
    )
    for (k, kind_name), (p50, p95) in durations.items():
        entry = stats[(sql.as_uuid(k), kind_name)]
        entry.p50_duration_ms, entry.p95_duration_ms = p50, p95

    stage_base = f"FROM {jobs} JOIN job_stages s ON s.job_id = j.id WHERE {where}"
    by_stage: dict[tuple[Any, ...], StageStats] = {}
    postgres = sql.is_postgres()
    # PostgreSQL: the percentiles in the same pass over the stages as the counts.
    in_pass = (
        ", percentile_cont(0.5) WITHIN GROUP (ORDER BY s.duration_ms) "
        "FILTER (WHERE s.status = 'SUCCEEDED') AS p50, "
        "percentile_cont(0.95) WITHIN GROUP (ORDER BY s.duration_ms) "
        "FILTER (WHERE s.status = 'SUCCEEDED') AS p95 "
        if postgres
        else " "
    )
    for row in await sql.fetch(
        f"SELECT {parent} AS k, j.kind AS kind, s.name AS name, "
        "SUM(CASE WHEN s.status IN ('SUCCEEDED', 'FAILED', 'SKIPPED') THEN 1 ELSE 0 END) AS n, "
        "SUM(CASE WHEN s.status = 'SUCCEEDED' THEN 1 ELSE 0 END) AS ok, "
        "SUM(CASE WHEN s.status = 'FAILED' THEN 1 ELSE 0 END) AS failed, "
        "SUM(CASE WHEN s.status = 'SKIPPED' THEN 1 ELSE 0 END) AS skipped, "
        f"MAX(CASE WHEN s.status = 'SUCCEEDED' THEN s.duration_ms END) AS max_ms{in_pass}"
        f"{stage_base} GROUP BY 1, 2, 3",
        values,
    ):
        by_stage[(sql.as_uuid(row["k"]), row["kind"], row["name"])] = StageStats(
            row["name"],
            count=int(row["n"]),
            succeeded=int(row["ok"]),
            failed=int(row["failed"]),
            skipped=int(row["skipped"]),
            max_ms=_ms(row["max_ms"]),
            p50_ms=_ms(row["p50"]) if postgres else None,
            p95_ms=_ms(row["p95"]) if postgres else None,
        )
    if not postgres:
        stage_times = await _percentiles(
            ["k", "kind", "name"],
            f"SELECT {parent} AS k, j.kind AS kind, s.name AS name, s.duration_ms AS v "
            f"{stage_base} AND s.status = 'SUCCEEDED' AND s.duration_ms IS NOT NULL",
            values,
        )
        for (k, kind_name, name), (p50, p95) in stage_times.items():
            entry_stage = by_stage[(sql.as_uuid(k), kind_name, name)]
            entry_stage.p50_ms, entry_stage.p95_ms = p50, p95

    # Stage names in the order of the kind's first plan: the stages of its oldest job that has
    # any; names it lacks follow by name.
    first_plan: dict[tuple[Any, ...], int] = {}
    for row in await sql.fetch(
        f"SELECT w.k AS k, w.kind AS kind, s.name AS name, s.ordinal AS ordinal FROM "
        f"(SELECT {parent} AS k, j.kind AS kind, j.id AS id, ROW_NUMBER() OVER "
        f"(PARTITION BY {parent}, j.kind ORDER BY j.created_at, j.id) AS r {base} "
        "AND EXISTS (SELECT 1 FROM job_stages x WHERE x.job_id = j.id)) w "
        "JOIN job_stages s ON s.job_id = w.id WHERE w.r = 1",
        values,
    ):
        first_plan[(sql.as_uuid(row["k"]), row["kind"], row["name"])] = row["ordinal"]
    last = 10**9
    for key in sorted(by_stage, key=lambda key: (first_plan.get(key, last), key[2])):
        listed = stats[key[:2]].stages
        if len(listed) < MAX_STATS_STAGES:
            listed.append(by_stage[key])

    result: dict[uuid.UUID, list[JobKindStats]] = defaultdict(list)
    for (k, _), entry in sorted(stats.items(), key=lambda item: item[0][1]):
        if len(result[k]) < MAX_STATS_KINDS:
            result[k].append(entry)
    return [result.get(i, []) for i in ids]
