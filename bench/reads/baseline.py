"""The baseline: the three read documents answered by hand, with asyncpg and orjson.

A raw ASGI callable (no framework, no GraphQL): it reads the same POST /graphql body Storygraph
gets, recognises the document by `operationName` (W1, W2, W3; see bench.reads.documents),
authenticates the same Bearer JWT the same way (PyJWT decode, then one SELECT of the user), runs
ONE SQL statement per level of the tree and serialises `{"data": ...}` with orjson in exactly
the JSON shape Storygraph returns: the same fields, orderings (projects by updatedAt then id,
newest first; storyboards by createdAt then id, newest first; scenes by sceneNumber; tasks in
TaskType order) and page sizes (first: 20 per parent).

Statements per request: W1 3 (user, projects page, storyboard counts + progress aggregates in
one statement), W2 5 (user, project, storyboards page, scenes, tasks), W3 5 (user, projects page,
storyboards: a ROW_NUMBER() page per project, scenes, tasks).

Served by uvicorn in its own process, one worker, like Storygraph:
    DATABASE_URL=postgres://... SECRET_KEY=... uvicorn --factory bench.reads.baseline:create_app
Pool: asyncpg, min 1 / max 5 connections (Tortoise's defaults, which Storygraph runs with).
PostgreSQL's default plan_cache_mode, unless BASELINE_PLAN_CACHE_MODE is set (e.g. to Storygraph's
force_generic_plan, by `python -m bench.reads --baseline-plans generic`).
"""

import os
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import asyncpg
import jwt
import orjson

from bench.reads.documents import PAGE, TASK_ORDER

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Record = Any  # asyncpg.Record (asyncpg ships no type information)

POOL_MIN = 1
# Storygraph's default DB_POOL_MAX_SIZE; the bench gives every system this many connections.
POOL_MAX = 10

_PROJECT = "id, title, description, status, created_at, updated_at"
_STORYBOARD = (
    "id, project_id, title, brief, reference_urls, total_scenes, total_duration, "
    "pattern_source, status, generated_at, created_at, updated_at"
)
_SCENE = (
    "id, storyboard_id, scene_number, duration, scene_type, visual_description, script, "
    "text_overlay, camera_angle, created_at, updated_at"
)
_TASK_RANK = ", ".join(f"'{t}'" for t in TASK_ORDER)

SQL_USER = "SELECT * FROM users WHERE id = $1"
SQL_PROJECTS_PAGE = (
    f"SELECT {_PROJECT} FROM projects WHERE owner_id = $1 "
    "ORDER BY updated_at DESC, id DESC LIMIT $2"
)
SQL_PROJECT = f"SELECT {_PROJECT} FROM projects WHERE id = $1 AND owner_id = $2"
SQL_PROJECT_AGGREGATES = """
WITH counts AS (
    SELECT project_id, count(*) AS storyboards FROM storyboards
    WHERE project_id = ANY($1::uuid[]) GROUP BY project_id
), progress AS (
    SELECT b.project_id, count(*) AS total, count(*) FILTER (WHERE t.completed) AS done
    FROM storyboards b
    JOIN scenes s ON s.storyboard_id = b.id
    JOIN scene_tasks t ON t.scene_id = s.id
    WHERE b.project_id = ANY($1::uuid[]) GROUP BY b.project_id
)
SELECT c.project_id, c.storyboards, coalesce(p.total, 0) AS total, coalesce(p.done, 0) AS done
FROM counts c LEFT JOIN progress p USING (project_id)
"""
SQL_STORYBOARDS_PAGE = (
    f"SELECT {_STORYBOARD} FROM storyboards WHERE project_id = $1 "
    "ORDER BY created_at DESC, id DESC LIMIT $2"
)
SQL_STORYBOARDS_PAGES = (
    f"SELECT {_STORYBOARD} FROM (SELECT {_STORYBOARD}, ROW_NUMBER() OVER "
    "(PARTITION BY project_id ORDER BY created_at DESC, id DESC) AS rn "
    "FROM storyboards WHERE project_id = ANY($1::uuid[])) w "
    "WHERE rn <= $2 ORDER BY project_id, rn"
)
SQL_SCENES = (
    f"SELECT {_SCENE} FROM scenes WHERE storyboard_id = ANY($1::uuid[]) "
    "ORDER BY storyboard_id, scene_number"
)
SQL_TASKS = (
    "SELECT id, scene_id, task_type, completed, completed_at, updated_at FROM scene_tasks "
    "WHERE scene_id = ANY($1::uuid[]) "
    f"ORDER BY scene_id, array_position(ARRAY[{_TASK_RANK}]::text[], task_type::text)"
)

JSON_HEADERS = [(b"content-type", b"application/json")]


class Unauthenticated(Exception):
    pass


def _project(r: Record) -> dict[str, Any]:
    return {
        "id": str(r["id"]),
        "title": r["title"],
        "description": r["description"],
        "status": r["status"],
        "createdAt": r["created_at"],
        "updatedAt": r["updated_at"],
    }


def _storyboard(r: Record, scenes: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": str(r["id"]),
        "title": r["title"],
        "brief": r["brief"],
        "referenceUrls": orjson.loads(r["reference_urls"]),
        "totalScenes": r["total_scenes"],
        "totalDuration": r["total_duration"],
        "patternSource": r["pattern_source"],
        "status": r["status"],
        "generatedAt": r["generated_at"],
        "createdAt": r["created_at"],
        "updatedAt": r["updated_at"],
        "scenes": scenes,
    }


def _scene(r: Record, tasks: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": str(r["id"]),
        "sceneNumber": r["scene_number"],
        "duration": r["duration"],
        "sceneType": r["scene_type"],
        "visualDescription": r["visual_description"],
        "script": r["script"],
        "textOverlay": r["text_overlay"],
        "cameraAngle": r["camera_angle"],
        "createdAt": r["created_at"],
        "updatedAt": r["updated_at"],
        "tasks": tasks,
    }


def _task(r: Record) -> dict[str, Any]:
    return {
        "id": str(r["id"]),
        "taskType": r["task_type"],
        "completed": r["completed"],
        "completedAt": r["completed_at"],
        "updatedAt": r["updated_at"],
    }


class Baseline:
    """The ASGI application; `statements` counts every SQL statement it has sent."""

    def __init__(self, dsn: str, secret: str, plan_cache_mode: str | None = None) -> None:
        self.dsn = dsn
        self.secret = secret
        # PostgreSQL's default unless the bench asks for Storygraph's setting (--baseline-plans).
        self.server_settings = {"plan_cache_mode": plan_cache_mode} if plan_cache_mode else {}
        self.pool: Any = None
        self.statements = 0
        # When a list: every statement's SQL is appended (the counting pass; never under load).
        self.trace: list[str] | None = None
        self.handlers: dict[str, Callable[[uuid.UUID, dict[str, Any]], Awaitable[Any]]] = {
            "W1": self.dashboard,
            "W2": self.project_page,
            "W3": self.whole_tree,
        }

    async def fetch(self, sql: str, *args: Any) -> list[Record]:
        self.statements += 1
        if self.trace is not None:
            self.trace.append(sql)
        rows: list[Record] = await self.pool.fetch(sql, *args)
        return rows

    # -- ASGI -------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        if scope["path"] == "/ready":
            await self._respond(send, 200, b'{"status":"ok"}')
            return
        if scope["path"] != "/graphql" or scope["method"] != "POST":
            await self._respond(send, 404, b'{"error":"not found"}')
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        authorization = b""
        for name, value in scope["headers"]:
            if name == b"authorization":
                authorization = value
        request = orjson.loads(body)
        handler = self.handlers.get(request.get("operationName"))
        if handler is None:
            await self._respond(send, 400, b'{"error":"unknown operationName"}')
            return
        try:
            user_id = await self.authenticate(authorization.decode("latin-1"))
        except Unauthenticated:
            await self._respond(send, 403, b'{"error":"unauthenticated"}')
            return
        data = await handler(user_id, request.get("variables") or {})
        await self._respond(send, 200, orjson.dumps({"data": data}))

    async def _respond(self, send: Send, status: int, body: bytes) -> None:
        headers = [*JSON_HEADERS, (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.pool = await asyncpg.create_pool(
                    self.dsn,
                    min_size=POOL_MIN,
                    max_size=POOL_MAX,
                    server_settings=self.server_settings,
                )
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.pool is not None:
                    await self.pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    # -- the work ---------------------------------------------------------------------------

    async def authenticate(self, authorization: str) -> uuid.UUID:
        """As services.auth.authenticate does for a session token: decode, then load the user."""
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated
        try:
            claims = jwt.decode(
                token, self.secret, algorithms=["HS256"], options={"require": ["exp", "sub"]}
            )
            user_id = uuid.UUID(claims["sub"])
        except (jwt.InvalidTokenError, ValueError) as exc:
            raise Unauthenticated from exc
        if not await self.fetch(SQL_USER, user_id):
            raise Unauthenticated
        return user_id

    async def dashboard(self, user_id: uuid.UUID, variables: dict[str, Any]) -> Any:
        projects = await self.fetch(SQL_PROJECTS_PAGE, user_id, PAGE)
        aggregates: dict[Any, Record] = {}
        if projects:
            rows = await self.fetch(SQL_PROJECT_AGGREGATES, [p["id"] for p in projects])
            aggregates = {r["project_id"]: r for r in rows}
        edges = []
        for p in projects:
            node = _project(p)
            a = aggregates.get(p["id"])
            total, done = (a["total"], a["done"]) if a else (0, 0)
            node["storyboardCount"] = a["storyboards"] if a else 0
            node["progress"] = {
                "totalTasks": total,
                "completedTasks": done,
                "ratio": done / total if total else 0.0,
            }
            edges.append({"node": node})
        return {"me": {"projects": {"edges": edges}}}

    async def project_page(self, user_id: uuid.UUID, variables: dict[str, Any]) -> Any:
        try:
            project_id = uuid.UUID(str(variables.get("id")))
        except ValueError:
            return {"project": None}
        found = await self.fetch(SQL_PROJECT, project_id, user_id)
        if not found:
            return {"project": None}
        storyboards = await self.fetch(SQL_STORYBOARDS_PAGE, project_id, PAGE)
        node = _project(found[0])
        node["storyboards"] = {"edges": [{"node": n} for n in await self._below(storyboards)]}
        return {"project": node}

    async def whole_tree(self, user_id: uuid.UUID, variables: dict[str, Any]) -> Any:
        projects = await self.fetch(SQL_PROJECTS_PAGE, user_id, PAGE)
        by_project: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        if projects:
            storyboards = await self.fetch(SQL_STORYBOARDS_PAGES, [p["id"] for p in projects], PAGE)
            for r, n in zip(storyboards, await self._below(storyboards), strict=True):
                by_project[r["project_id"]].append({"node": n})
        edges = []
        for p in projects:
            node = _project(p)
            node["storyboards"] = {"edges": by_project.get(p["id"], [])}
            edges.append({"node": node})
        return {"me": {"projects": {"edges": edges}}}

    async def _below(self, storyboards: list[Record]) -> list[dict[str, Any]]:
        """Storyboard nodes with their scenes and tasks: two statements, whatever the count."""
        if not storyboards:
            return []
        scenes = await self.fetch(SQL_SCENES, [s["id"] for s in storyboards])
        tasks_of: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        if scenes:
            for t in await self.fetch(SQL_TASKS, [s["id"] for s in scenes]):
                tasks_of[t["scene_id"]].append(_task(t))
        scenes_of: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        for s in scenes:
            scenes_of[s["storyboard_id"]].append(_scene(s, tasks_of.get(s["id"], [])))
        return [_storyboard(b, scenes_of.get(b["id"], [])) for b in storyboards]


def to_asyncpg_dsn(database_url: str) -> str:
    """Tortoise's `postgres://` URL as an asyncpg DSN (asyncpg accepts both schemes)."""
    return database_url.split("?", 1)[0]


def create_app() -> Baseline:
    """uvicorn factory: DATABASE_URL and SECRET_KEY from the environment, as for Storygraph."""
    return Baseline(
        to_asyncpg_dsn(os.environ["DATABASE_URL"]),
        os.environ["SECRET_KEY"],
        os.environ.get("BASELINE_PLAN_CACHE_MODE") or None,
    )
