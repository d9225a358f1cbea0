"""The operations of the mixed load, their GraphQL documents and the checks of their answers.

The two reads are bench.reads' W1 (dashboard) and W2 (project page), checked with
bench.reads.documents.check against the seeded object counts, minus the number of completed
tasks: the toggles of the same run change it while the reads run (the structure, the ratio and
`completedAt` set iff `completed` are still checked on every response). The two writes are
checked against what the load generator knows they must return.
"""

from typing import Any

from bench.fanout import SUBSCRIBE as JOB_SUBSCRIBE

__all__ = [
    "CREATE_API_KEY",
    "DESCRIPTIONS",
    "JOB_SUBSCRIBE",
    "OPERATIONS",
    "PROJECT_SUBSCRIBE",
    "REPORT",
    "TOGGLE",
    "check_report",
    "check_toggle",
]

# Operation names, in report order; the load generator picks one per request by weight.
OPERATIONS = ("W1", "W2", "toggle", "progress")
DESCRIPTIONS = {
    "W1": "dashboard read: me.projects(20) + storyboardCount + progress",
    "W2": "project page read: project(id) > storyboards > scenes > tasks",
    "toggle": "setTaskCompleted on a task of the caller's own scene (true/false alternately)",
    "progress": "reportJobProgress on a claimed partner job (API key), progress never down",
}

TOGGLE = (
    "mutation Toggle($sceneId: ID!, $taskType: TaskType!, $completed: Boolean!) "
    "{ setTaskCompleted(sceneId: $sceneId, taskType: $taskType, completed: $completed) "
    "{ id taskType completed completedAt updatedAt } }"
)
REPORT = (
    "mutation Report($id: ID!, $progress: Int!, $stage: String, $message: String) "
    "{ reportJobProgress(id: $id, progress: $progress, stage: $stage, message: $message) "
    "{ id status stage progress seq } }"
)
CREATE_API_KEY = (
    "mutation Key($name: String!, $scopes: [String!]) "
    "{ createApiKey(name: $name, scopes: $scopes) { key apiKey { id scopes } } }"
)
PROJECT_SUBSCRIBE = (
    "subscription P($projectId: ID!) "
    "{ projectProgress(projectId: $projectId) { totalTasks completedTasks ratio } }"
)


def _clean_data(body: Any, field: str) -> tuple[Any, str | None]:
    """(body.data[field], None) for an error-free result; (None, why not) otherwise."""
    if not isinstance(body, dict) or body.get("errors") or not isinstance(body.get("data"), dict):
        return None, f"not a clean GraphQL result: {str(body)[:300]}"
    value = body["data"].get(field)
    if not isinstance(value, dict):
        return None, f"data.{field} is {value!r}"
    return value, None


def check_toggle(body: Any, task_id: str, task_type: str, completed: bool) -> str | None:
    """None when `body` is the toggled task in the requested state; else why not."""
    task, problem = _clean_data(body, "setTaskCompleted")
    if problem is not None:
        return problem
    if task.get("id") != task_id or task.get("taskType") != task_type:
        return f"setTaskCompleted returned another task: {task}"
    if task.get("completed") is not completed:
        return f"setTaskCompleted(completed: {completed}) returned {task}"
    if (task.get("completedAt") is not None) != completed:
        return f"completedAt set iff completed is violated: {task}"
    if not task.get("updatedAt"):
        return f"no updatedAt: {task}"
    return None


def check_report(body: Any, job_id: str, progress: int, seq: int) -> str | None:
    """None when `body` is the RUNNING job at `progress` with event number `seq`; else why not."""
    job, problem = _clean_data(body, "reportJobProgress")
    if problem is not None:
        return problem
    expected = {"id": job_id, "status": "RUNNING", "progress": progress, "seq": seq}
    got = {key: job.get(key) for key in expected}
    if got != expected:
        return f"reportJobProgress returned {got}, expected {expected}"
    return None
