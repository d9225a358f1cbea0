"""A project's activity log: who changed what, in the transaction that changed it.

The acting party is ambient (`acting`): the request layer sets it from the caller's credential,
the worker from the job it runs, so the services that write events need no extra parameter.
`payload` is the one JSON shape of an event: the broker message of `projectActivity` and the
body of a webhook delivery.
"""

import contextlib
import enum
import uuid
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from models import ActivityEvent, ActorKind, Project, ProjectStatus
from services import db, sql
from services.broker import Broker
from services.errors import Conflict, NotFound


@dataclass(frozen=True, slots=True)
class Actor:
    kind: ActorKind
    user_id: uuid.UUID | None = None
    api_key_id: uuid.UUID | None = None
    job_id: uuid.UUID | None = None


_actor: ContextVar[Actor | None] = ContextVar("activity_actor", default=None)


@contextlib.contextmanager
def acting(actor: Actor) -> Iterator[Actor]:
    """Events recorded inside the block are `actor`'s."""
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


def current_actor() -> Actor | None:
    return _actor.get()


def act_as(actor: Actor | None) -> None:
    """Make `actor` the acting party of the current context from here on (the request layer,
    once it knows the caller; None: nobody, e.g. an anonymous request)."""
    _actor.set(actor)


def actor_of(user_id: uuid.UUID, api_key_id: uuid.UUID | None) -> Actor:
    """The actor of a caller: a session token's user, or an API key (and its user)."""
    if api_key_id is None:
        return Actor(ActorKind.USER, user_id=user_id)
    return Actor(ActorKind.API_KEY, user_id=user_id, api_key_id=api_key_id)


def worker(job_id: uuid.UUID | None) -> Actor:
    """The built-in worker running job `job_id`."""
    return Actor(ActorKind.WORKER, job_id=job_id)


# The broker the committed events are published through: the process's own, set with the actor
# by whoever runs the operation (an app, the worker), so services need no broker parameter.
_broker: ContextVar[Broker | None] = ContextVar("activity_broker", default=None)


def publish_through(broker: Broker | None) -> None:
    """Publish the events committed in the current context from here on through `broker`."""
    _broker.set(broker)


ARCHIVED = "The project is archived: it is read-only until unarchiveProject."


def activity_channel(project_id: uuid.UUID) -> str:
    return f"activity:{project_id}"


def _id(value: Any) -> str | None:
    return None if value is None else str(value)


def payload(event: ActivityEvent) -> dict[str, Any]:
    """The event as clients see it (webhook body, broker message), ids as strings."""
    return {
        "id": str(event.id),
        "action": event.action,
        "projectId": str(event.project_id),
        "seq": event.seq,
        "at": event.at.isoformat(),
        "entityType": event.entity_type,
        "entityId": str(event.entity_id),
        "changes": event.changes,
        "actor": {
            "kind": event.actor_kind.value,
            "userId": _id(event.actor_user_id),
            "apiKeyId": _id(event.actor_api_key_id),
            "jobId": _id(event.actor_job_id),
        },
    }


async def touch(project_id: uuid.UUID) -> None:
    """Move the project's updatedAt without an event: changes that are not activity (a job's
    claim, progress reports, lease renewals). Call inside the changing transaction."""
    await _advance(project_id, event=False)


async def record(
    project_id: uuid.UUID,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID,
    changes: Mapping[str, Any] | None = None,
    *,
    actor: Actor | None = None,
) -> ActivityEvent:
    """Append the project's next event (and move its updatedAt), inside the transaction that
    made the change; it is published on the project's channel once that transaction commits.

    `actor` defaults to the ambient one (`acting`); having none is a programming error: every
    change is somebody's. `changes` is made JSON-safe here (ids and dates as strings).
    """
    who = actor or current_actor()
    if who is None:
        raise RuntimeError(f"{action}: no acting party (services.activity.acting)")
    seq, now = await _advance(project_id, event=True)
    event = await ActivityEvent.create(
        project_id=project_id,
        seq=seq,
        at=now,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        changes=None if changes is None else jsonable(changes),
        actor_kind=who.kind,
        actor_user_id=who.user_id,
        actor_api_key_id=who.api_key_id,
        actor_job_id=who.job_id,
    )
    broker = _broker.get()
    if broker is not None:
        message = payload(event)
        db.after_commit(lambda: broker.publish(activity_channel(project_id), message))
    return event


async def _advance(project_id: uuid.UUID, *, event: bool) -> tuple[int, datetime]:
    """THE statement on the project row of every change below it: moves updatedAt and, for an
    event, takes the next seq. The UPDATE locks the row until the commit, so seqs are handed out
    in commit order without gaps. (Checks every write must pass — e.g. read-only projects —
    belong here: an archived project refuses them all, Conflict.)

    updatedAt never goes back (the later of now and its value): a change that waited for the
    lock took its clock reading before the one it waited for, and an event's `at` follows seq.
    """
    bump = "activity_seq = activity_seq + 1, " if event else ""
    latest = "GREATEST" if sql.is_postgres() else "MAX"
    # fetch, not execute: Tortoise's asyncpg client drops the rows of an UPDATE ... RETURNING.
    rows = await sql.fetch(
        f"UPDATE projects SET {bump}updated_at = {latest}(?, updated_at) "
        "WHERE id = ? AND status <> ? RETURNING activity_seq, updated_at",
        [datetime.now(UTC), project_id, ProjectStatus.ARCHIVED.value],
    )
    if not rows:
        if await Project.filter(id=project_id).exists():
            raise Conflict(ARCHIVED)
        raise NotFound("No such project.")
    at = _UPDATED_AT.to_python_value(rows[0]["updated_at"])
    return int(rows[0]["activity_seq"]), at


async def refuse_if_archived(project_id: uuid.UUID) -> None:
    """Conflict when the project is archived, without writing: for a write that turns out to
    change nothing (it still must not succeed on an archived project) and for one whose effects
    outside the database (stored objects) come before its transaction. The transaction itself
    still goes through `_advance`, which decides under the row lock."""
    if await Project.filter(id=project_id, status=ProjectStatus.ARCHIVED).exists():
        raise Conflict(ARCHIVED)


_UPDATED_AT = Project._meta.fields_map["updated_at"]


def jsonable(value: Any) -> Any:
    """`value` as JSON: enums by value, ids and dates as strings, nested maps and lists too."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def camel(name: str) -> str:
    """A model's field name as its GraphQL field name (scene_number -> sceneNumber)."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def created(values: Mapping[str, Any]) -> dict[str, Any]:
    """A creation's `changes`: the new values, by GraphQL field name."""
    return {camel(k): v for k, v in values.items()}


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """An update's `changes`: {field: {old, new}} of the fields whose value changed."""
    return {
        camel(k): {"old": old.get(k), "new": v}
        for k, v in new.items()
        if jsonable(old.get(k)) != jsonable(v)
    }


def snapshot(instance: Any, names: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """`names` of a model instance, by field name (for diff's `old`, a deletion's changes)."""
    return {name: getattr(instance, name) for name in names}
