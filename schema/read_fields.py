"""What read plans (schema.read_plan) cover, and the batch readers behind each field."""

from collections.abc import Awaitable, Callable
from typing import Any

from tortoise.models import Model

from models import Project, Scene, SceneTask, Storyboard, User
from resolvers import rows

Reader = Callable[..., Awaitable[Any]]

ROOTS: dict[str, Reader] = {
    "me": rows.me,
    "project": rows.project,
    "storyboard": rows.storyboard,
    "scene": rows.scene,
}
# Object types whose scalar fields are columns of a row of this model.
ROW_TYPES: dict[str, type[Model]] = {
    "User": User,
    "Project": Project,
    "Storyboard": Storyboard,
    "Scene": Scene,
    "SceneTask": SceneTask,
}
# Object types whose scalar fields are attributes of a service value (services.progress).
VALUE_TYPES = frozenset({"Progress"})
# (type, field) -> (shape, batch reader over all parents): "list" of child rows per parent,
# "page" of child rows per parent (a connection), or one "value" per parent.
NESTED: dict[tuple[str, str], tuple[str, Reader]] = {
    ("User", "projects"): ("page", rows.projects_of_users),
    ("Project", "storyboards"): ("page", rows.storyboards_of_projects),
    ("Project", "storyboardCount"): ("value", rows.storyboard_counts),
    ("Project", "progress"): ("value", rows.progress_of_projects),
    ("Storyboard", "scenes"): ("list", rows.scenes_of_storyboards),
    ("Storyboard", "progress"): ("value", rows.progress_of_storyboards),
    ("Scene", "tasks"): ("list", rows.tasks_of_scenes),
    ("Scene", "progress"): ("value", rows.progress_of_scenes),
}
# Value fields of a type that one reader answers together, when all are selected: one
# statement instead of one each. The reader returns, per parent, a dict by field name.
COMBINED: dict[str, tuple[frozenset[str], Reader]] = {
    "Project": (frozenset({"storyboardCount", "progress"}), rows.project_aggregates),
}
# Scalars whose serialized form orjson writes from the Python value the row holds.
PLAIN_SCALARS = frozenset({"ID", "String", "Int", "Float", "Boolean", "DateTime"})
