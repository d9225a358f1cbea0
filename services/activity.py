"""A project's activity log: who changed what, in the transaction that changed it.

The acting party is ambient (`acting`): the request layer sets it from the caller's credential,
the worker from the job it runs, so the services that write events need no extra parameter.
`payload` is the one JSON shape of an event: the broker message of `projectActivity` and the
body of a webhook delivery.
"""

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from models import ActivityEvent, ActorKind


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
