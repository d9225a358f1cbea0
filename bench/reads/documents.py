"""The three GraphQL documents of the read benchmark and the checks every response must pass.

Shared by the orchestrator, the load generator (which validates every response) and the baseline
(which recognises a document by its operation name, W1/W2/W3, and parses nothing else).
"""

from typing import Any

WORKLOADS = ("W1", "W2", "W3")
PAGE = 20  # first: 20 on every connection below

PROJECT = "id title description status createdAt updatedAt"
STORYBOARD = (
    "id title brief referenceUrls totalScenes totalDuration patternSource status generatedAt "
    "createdAt updatedAt"
)
SCENE = (
    "id sceneNumber duration sceneType visualDescription script textOverlay cameraAngle "
    "createdAt updatedAt"
)
TASK = "id taskType completed completedAt updatedAt"
TASK_ORDER = ("SCRIPT_WRITTEN", "SCENE_FILMED", "AUDIO_RECORDED", "EDITED")

_TREE = (
    f"storyboards(first: {PAGE}) {{ edges {{ node {{ {STORYBOARD} "
    f"scenes {{ {SCENE} tasks {{ {TASK} }} }} }} }} }}"
)

DOCUMENTS: dict[str, str] = {
    # Dashboard: the caller's projects with their aggregates.
    "W1": (
        f"query W1 {{ me {{ projects(first: {PAGE}) {{ edges {{ node {{ {PROJECT} "
        "storyboardCount progress { totalTasks completedTasks ratio } } } } } }"
    ),
    # Project page: one project, its storyboards, scenes and tasks.
    "W2": f"query W2($id: ID!) {{ project(id: $id) {{ {PROJECT} {_TREE} }} }}",
    # Whole tree of the caller.
    "W3": (
        f"query W3 {{ me {{ projects(first: {PAGE}) {{ edges {{ node {{ {PROJECT} {_TREE} "
        "} } } } }"
    ),
}

DESCRIPTIONS = {
    "W1": "dashboard: me.projects(20) + storyboardCount + progress",
    "W2": "project page: project(id) > storyboards(20) > scenes > tasks",
    "W3": "whole tree: me.projects(20) > storyboards(20) > scenes > tasks",
}


def request_body(workload: str, variables: dict[str, Any]) -> dict[str, Any]:
    return {"query": DOCUMENTS[workload], "operationName": workload, "variables": variables}


def _edges(connection: Any) -> list[Any]:
    return [edge["node"] for edge in connection["edges"]]


def _tree_counts(projects: list[Any], counts: dict[str, int]) -> str | None:
    """Count storyboards/scenes/tasks below `projects`; a message when the tree is malformed."""
    for project in projects:
        for storyboard in _edges(project["storyboards"]):
            counts["storyboards"] += 1
            scenes = storyboard["scenes"]
            if [s["sceneNumber"] for s in scenes] != list(range(1, len(scenes) + 1)):
                return f"storyboard {storyboard['id']}: scene numbers are not 1..n in order"
            if storyboard["totalScenes"] != len(scenes):
                return f"storyboard {storyboard['id']}: totalScenes != number of scenes"
            if storyboard["totalDuration"] != sum(s["duration"] for s in scenes):
                return f"storyboard {storyboard['id']}: totalDuration != sum of durations"
            for scene in scenes:
                counts["scenes"] += 1
                tasks = scene["tasks"]
                if tuple(t["taskType"] for t in tasks) != TASK_ORDER:
                    return f"scene {scene['id']}: tasks are not one per TaskType in order"
                for task in tasks:
                    counts["tasks"] += 1
                    if task["completed"]:
                        counts["completed"] += 1
                    if task["completed"] != (task["completedAt"] is not None):
                        return f"task {task['id']}: completedAt set iff completed is violated"
    return None


def check(workload: str, body: Any, expect: dict[str, Any]) -> str | None:
    """None when `body` (a parsed response) is a complete, correct answer; else why not."""
    if not isinstance(body, dict) or "errors" in body or "data" not in body:
        return f"not a clean GraphQL result: {str(body)[:300]}"
    data = body["data"]
    counts = {"projects": 0, "storyboards": 0, "scenes": 0, "tasks": 0, "completed": 0}
    try:
        if workload == "W1":
            projects = _edges(data["me"]["projects"])
            counts["projects"] = len(projects)
            for project in projects:
                progress = project["progress"]
                total, done = progress["totalTasks"], progress["completedTasks"]
                if progress["ratio"] != (done / total if total else 0.0):
                    return f"project {project['id']}: ratio != completedTasks / totalTasks"
                counts["storyboards"] += project["storyboardCount"]
                counts["tasks"] += total
                counts["completed"] += done
        elif workload == "W2":
            project = data["project"]
            if project is None or project["id"] != expect["id"]:
                return f"project {expect['id']} missing or another one returned"
            counts["projects"] = 1
            if (problem := _tree_counts([project], counts)) is not None:
                return problem
        else:
            projects = _edges(data["me"]["projects"])
            counts["projects"] = len(projects)
            if (problem := _tree_counts(projects, counts)) is not None:
                return problem
    except (KeyError, TypeError) as exc:
        return f"malformed result ({exc!r}): {str(body)[:300]}"
    wanted = {key: expect[key] for key in counts if key in expect}
    got = {key: counts[key] for key in wanted}
    if got != wanted:
        return f"object counts {got} != expected {wanted}"
    return None
