"""Webhooks: creating, deleting and pinging them, and the batch reads behind the schema.

Deliveries themselves are made by the worker (services.webhook_delivery), never in a request.
"""

import logging
import re
import secrets
import uuid
from datetime import UTC, datetime

from models import DeliveryStatus, Project, User, Webhook, WebhookCursor, WebhookDelivery
from services import rows, sql
from services.broker import Broker
from services.db import transaction
from services.errors import Conflict, InvalidInput, NotFound
from services.limits import MAX_WEBHOOK_EVENTS, MAX_WEBHOOKS
from services.pagination import ChildQuery, Page, PageArgs, pages_for_parents
from services.webhook_address import AddressGuard, AddressRefused, check_url

log = logging.getLogger(__name__)

MAX_PATTERN = 64
# Pings waiting to be sent, per webhook: enough to test with, too few to flood a receiver.
MAX_PENDING_PINGS = 5
PING = "webhook.ping"
SECRET_PREFIX = "whsec_"
# The delivery loop listens here so a ping goes out at once, not at its next poll.
WAKE_CHANNEL = "webhooks:wake"
# 'job.succeeded', 'scene.*' or '*' (always fullmatch: `$` accepts a final "\n").
_PATTERN = re.compile(r"\*|[a-z][a-z0-9_]*\.(\*|[a-z][a-z0-9_]*)")

DELIVERIES = ChildQuery(WebhookDelivery, "webhook_deliveries", "webhook_id", "created_at")


def checked_events(events: list[str]) -> list[str]:
    """The patterns, without repeats, in the order given."""
    if not 1 <= len(events) <= MAX_WEBHOOK_EVENTS:
        raise InvalidInput(f"`events` holds 1..{MAX_WEBHOOK_EVENTS} patterns.", field="events")
    for pattern in events:
        if len(pattern) > MAX_PATTERN or not _PATTERN.fullmatch(pattern):
            raise InvalidInput(
                f"`events`: {pattern[:MAX_PATTERN]!r} is not an action pattern: 'entity.verb' "
                f"(e.g. 'job.succeeded'), 'entity.*' or '*', at most {MAX_PATTERN} characters "
                "of a-z, 0-9 and _.",
                field="events",
            )
    return list(dict.fromkeys(events))


def matches(patterns: list[str], action: str) -> bool:
    entity = action.split(".", 1)[0]
    return any(p == "*" or p == action or p == f"{entity}.*" for p in patterns)


async def create_webhook(
    owner_id: uuid.UUID,
    url: str,
    events: list[str],
    project_id: uuid.UUID | None,
    guard: AddressGuard,
) -> tuple[Webhook, str]:
    """The webhook and its secret (never readable again). It receives the events committed
    after it: each followed project's cursor starts at the project's current seq."""
    patterns = checked_events(events)
    try:
        parsed = await check_url(url, guard)
    except AddressRefused as exc:
        raise InvalidInput(str(exc), field="url") from exc
    secret = SECRET_PREFIX + secrets.token_hex(32)
    async with transaction():
        # The owner's row, locked: two creations at once must not both pass the limit.
        await User.filter(id=owner_id).select_for_update().first()
        if project_id is not None:
            followed = await Project.filter(id=project_id, owner_id=owner_id).values_list(
                "id", "activity_seq"
            )
            if not followed:
                raise NotFound("No such project.", field="projectId")
        else:
            followed = await Project.filter(owner_id=owner_id).values_list("id", "activity_seq")
        if await Webhook.filter(owner_id=owner_id).count() >= MAX_WEBHOOKS:
            raise InvalidInput(
                f"A user has at most {MAX_WEBHOOKS} webhooks; delete one first.", field="url"
            )
        webhook = await Webhook.create(
            owner_id=owner_id,
            project_id=project_id,
            url=str(parsed),
            events=patterns,
            secret=secret,
        )
        if followed:
            await WebhookCursor.bulk_create(
                [
                    WebhookCursor(webhook_id=webhook.id, project_id=pid, seq=seq)
                    for pid, seq in followed
                ]
            )
    return webhook, secret


async def delete_webhook(owner_id: uuid.UUID, webhook_id: uuid.UUID) -> bool:
    """Its deliveries and cursors go with it (ON DELETE CASCADE)."""
    async with transaction():
        deleted = await Webhook.filter(id=webhook_id, owner_id=owner_id).delete()
    if not deleted:
        raise NotFound("No such webhook.")
    return True


async def ping_webhook(
    owner_id: uuid.UUID, webhook_id: uuid.UUID, broker: Broker | None
) -> WebhookDelivery:
    """A 'webhook.ping' delivery, due now; the delivery loop sends it (woken through the broker
    after commit), outside the event order: a ping neither waits for nor holds back events."""
    now = datetime.now(UTC)
    async with transaction():
        # Locked: two pings at once must not both pass the bound.
        webhook = await Webhook.filter(id=webhook_id, owner_id=owner_id).select_for_update().first()
        if webhook is None:
            raise NotFound("No such webhook.")
        waiting = await WebhookDelivery.filter(
            webhook_id=webhook_id, event_id=None, status=DeliveryStatus.PENDING
        ).count()
        if waiting >= MAX_PENDING_PINGS:
            raise Conflict(
                f"{MAX_PENDING_PINGS} pings of this webhook are still waiting to be delivered; "
                "look at its deliveries before pinging again."
            )
        delivery = await WebhookDelivery.create(
            webhook_id=webhook_id,
            project_id=webhook.project_id,
            action=PING,
            seq=0,
            next_attempt_at=now,
            created_at=now,
        )
    if broker is not None:
        try:
            await broker.publish(WAKE_CHANNEL, {"webhook": str(webhook_id)})
        except Exception:
            # Sent all the same, at the loop's next poll.
            log.warning("could not wake the webhook delivery loop", exc_info=True)
    return delivery


async def webhooks_for_users(
    ids: list[uuid.UUID], columns: sql.Columns = None
) -> list[list[sql.Row]]:
    """Each user's webhooks, newest first: one statement."""
    return await rows.children(
        Webhook, "owner_id", ids, columns, order="created_at DESC, id", needed=["created_at"]
    )


async def webhooks_for_projects(
    ids: list[uuid.UUID], columns: sql.Columns = None
) -> list[list[sql.Row]]:
    """Each project's webhooks, newest first: those for the project and those for every project
    of its owner (project null). One statement."""
    select = sql.select_list(Webhook, columns, "id", "created_at", prefix="w.")
    found = await sql.fetch_rows(
        f"SELECT p.id AS for_project, {select} FROM projects p "
        "JOIN webhooks w ON w.owner_id = p.owner_id "
        "AND (w.project_id = p.id OR w.project_id IS NULL) "
        f"WHERE {sql.id_list('p.id')} ORDER BY p.id, w.created_at DESC, w.id",
        [sql.id_list_param(ids)],
    )
    return rows.grouped(sql.typed(Webhook, found), "for_project", ids)


async def deliveries_for_webhooks(
    ids: list[uuid.UUID], args: PageArgs, with_total: bool, columns: sql.Columns = None
) -> dict[uuid.UUID, Page[sql.Row]]:
    """Each webhook's deliveries, newest first: one statement (two with a total after a cursor)."""
    return await pages_for_parents(DELIVERIES, ids, args, {}, with_total, columns)
