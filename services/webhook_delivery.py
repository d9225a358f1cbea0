"""The webhook delivery loop: the worker POSTs each webhook its matching activity events.

No outbox: a webhook's `WebhookCursor` rows say, per followed project, the newest seq it has
taken into a delivery. A webhook has at most one event delivery PENDING at a time (its head):
the next matching event is taken (and the cursors moved past it, non-matching ones skipped) only
when the head is DELIVERED or FAILED, so events go out one at a time, in seq order per project,
and a failing one holds back the later ones. Pings go out beside that order.

A worker serves a webhook only while it holds the webhook's lease (`lease_until`, taken with
one conditional UPDATE, on SQLite and PostgreSQL alike), so several worker processes never
deliver for one webhook at once. Webhooks are served concurrently, at most `concurrency` at once.

Every time the loop decides with (due, retry at, give up, lease) is passed in as `now`: tests
move it forward instead of waiting for a backoff. The signature's `t` (receivers compare it with
their clock) and a delivery's `created_at` (the order of Webhook.deliveries) are the wall clock.
"""

import asyncio
import contextlib
import hashlib
import hmac
import logging
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson
from tortoise.expressions import Q

from models import ActivityEvent, DeliveryStatus, Webhook, WebhookCursor, WebhookDelivery
from services import sql
from services.activity import payload
from services.broker import Broker
from services.db import transaction
from services.settings import Settings
from services.webhook_address import AddressGuard, AddressRefused, PinnedTransport
from services.webhooks import PING, WAKE_CHANNEL, matches

log = logging.getLogger(__name__)

FIRST_RETRY = 5.0
MAX_RETRY = 3600.0
GIVE_UP_AFTER = timedelta(hours=24)
# Each delay is stretched by up to this fraction, at random, so receivers that failed together
# are not all retried in the same second.
JITTER = 0.2
MAX_ERROR = 500
# Events a pass reads at once per webhook (non-matching ones are skipped in bulk).
EVENT_BATCH = 200
SIGNATURE_HEADER = "Storygraph-Signature"


# The webhooks a pass serves, in one statement: free to lease, with a delivery due, or with no
# event delivery pending and a followed project whose counter is past the webhook's cursor.
_WITH_WORK = (
    "SELECT w.id FROM webhooks w WHERE w.active AND (w.lease_until IS NULL OR w.lease_until < ?) "
    "AND (EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.webhook_id = w.id "
    "AND d.status = 'PENDING' AND d.next_attempt_at <= ?) "
    "OR (NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.webhook_id = w.id "
    "AND d.status = 'PENDING' AND d.event_id IS NOT NULL) "
    "AND EXISTS (SELECT 1 FROM projects p LEFT JOIN webhook_cursors c "
    "ON c.webhook_id = w.id AND c.project_id = p.id "
    "WHERE (p.id = w.project_id OR (w.project_id IS NULL AND p.owner_id = w.owner_id)) "
    "AND p.activity_seq > COALESCE(c.seq, 0))))"
)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The `Storygraph-Signature` header: t=<unix seconds>,v1=<hex HMAC-SHA256("<t>.<body>")>."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def retry_delay(attempts: int, rng: random.Random) -> float:
    """Seconds before attempt `attempts + 1`: 5 s doubling, stretched by jitter, at most 1 h."""
    base = min(FIRST_RETRY * 2.0 ** min(attempts - 1, 20), MAX_RETRY)
    return float(min(base * (1 + JITTER * rng.random()), MAX_RETRY))


@dataclass
class Outcome:
    status: int | None
    error: str | None

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass
class Deliverer:
    guard: AddressGuard = field(default_factory=AddressGuard)
    broker: Broker | None = None
    timeout: float = 10.0
    poll_seconds: float = 1.0
    concurrency: int = 10
    # How long a worker holds a webhook; it takes no new event past half of it, so a pass over
    # one webhook ends well inside (stretched to 4 timeouts when the timeout is long).
    lease_seconds: float = 60.0
    rng: random.Random = field(default_factory=random.Random)
    # Where the signature's timestamp comes from.
    clock: Callable[[], float] = time.time
    _client: httpx.AsyncClient | None = field(default=None, init=False)

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set: a pass every `poll_seconds`, or at once when a ping is
        announced on the broker."""
        async with contextlib.AsyncExitStack() as stack:
            await stack.enter_async_context(self.opened())
            wake = None
            if self.broker is not None:
                wake = await stack.enter_async_context(self.broker.subscribe(WAKE_CHANNEL))
            while not stop.is_set():
                try:
                    await self.run_once()
                except Exception:
                    log.exception("webhooks: a delivery pass failed; retrying")
                waiters: set[asyncio.Future[Any]] = {asyncio.ensure_future(stop.wait())}
                if wake is not None:
                    waiters.add(asyncio.ensure_future(anext(wake)))
                _, pending = await asyncio.wait(
                    waiters, timeout=self.poll_seconds, return_when=asyncio.FIRST_COMPLETED
                )
                for waiter in pending:
                    waiter.cancel()

    @contextlib.asynccontextmanager
    async def opened(self) -> Any:
        """The HTTP client of this deliverer (no redirects, no proxies from the environment:
        a proxy would connect to the name, not the checked address)."""
        client = httpx.AsyncClient(
            transport=PinnedTransport(self.guard),
            follow_redirects=False,
            trust_env=False,
            timeout=self.timeout,
        )
        self._client = client
        try:
            yield self
        finally:
            self._client = None
            await client.aclose()

    async def run_once(self, now: datetime | None = None) -> int:
        """One pass over the active webhooks; returns the number of attempts made. `now`: the
        time every decision of the pass is made at (tests); None: the clock, read at each."""
        assert self._client is not None, "use `async with deliverer.opened():`"
        at = _at(now)
        ids = [row["id"] for row in await sql.fetch(_WITH_WORK, [at, at])]
        limit = asyncio.Semaphore(self.concurrency)

        async def serve(webhook_id: uuid.UUID) -> int:
            async with limit:
                try:
                    return await self._serve(webhook_id, now)
                except Exception:
                    log.exception("webhooks: serving webhook %s failed", webhook_id)
                    return 0

        return sum(await asyncio.gather(*(serve(sql.as_uuid(i)) for i in ids)))

    async def _serve(self, webhook_id: uuid.UUID, now: datetime | None) -> int:
        lease = max(self.lease_seconds, 4 * self.timeout)
        start = _at(now)
        lease_end = start + timedelta(seconds=lease)
        taken = await Webhook.filter(
            Q(lease_until=None) | Q(lease_until__lt=start), id=webhook_id, active=True
        ).update(lease_until=lease_end)
        if not taken:
            return 0  # another worker serves it
        started = time.monotonic()
        attempts = 0
        try:
            webhook = await Webhook.get_or_none(id=webhook_id)
            if webhook is None:
                return 0
            pings = await WebhookDelivery.filter(
                webhook_id=webhook_id,
                event_id=None,
                status=DeliveryStatus.PENDING,
                next_attempt_at__lte=start,
            ).order_by("created_at")
            for ping in pings:
                await self._attempt(webhook, ping, _at(now))
                attempts += 1
            # Events, while the head goes through and the lease has time left.
            while time.monotonic() - started < lease / 2:
                head = await WebhookDelivery.filter(
                    webhook_id=webhook_id, event_id__not_isnull=True, status=DeliveryStatus.PENDING
                ).first()
                if head is None:
                    head = await self._take_next_event(webhook, _at(now))
                at = _at(now)
                if head is None or head.next_attempt_at is None or head.next_attempt_at > at:
                    break
                attempts += 1
                if not await self._attempt(webhook, head, at):
                    break
        finally:
            await Webhook.filter(id=webhook_id, lease_until=lease_end).update(lease_until=None)
        return attempts

    async def _take_next_event(self, webhook: Webhook, now: datetime) -> WebhookDelivery | None:
        """The delivery of the webhook's next matching event, cursors moved past it (and past
        the non-matching events before it), in one transaction; None when there is none yet."""
        followed = "p.id = ?" if webhook.project_id is not None else "p.owner_id = ?"
        key = webhook.project_id if webhook.project_id is not None else webhook.owner_id
        # Counters first: every event up to a counter read here is committed (the counter moves
        # in the transaction that writes the event), so events missing below it were pruned.
        behind = {
            sql.as_uuid(row["id"]): row["activity_seq"]
            for row in await sql.fetch(
                "SELECT p.id, p.activity_seq FROM projects p LEFT JOIN webhook_cursors c "
                f"ON c.webhook_id = ? AND c.project_id = p.id WHERE {followed} "
                "AND p.activity_seq > COALESCE(c.seq, 0)",
                [webhook.id, key],
            )
        }
        if not behind:
            return None
        select = sql.select_list(ActivityEvent, None, prefix="e.")
        found = sql.typed(
            ActivityEvent,
            await sql.fetch_rows(
                f"SELECT {select} FROM activity_events e JOIN projects p ON p.id = e.project_id "
                "LEFT JOIN webhook_cursors c ON c.webhook_id = ? AND c.project_id = e.project_id "
                f"WHERE {followed} AND e.seq > COALESCE(c.seq, 0) "
                "ORDER BY e.project_id, e.seq LIMIT ?",
                [webhook.id, key, EVENT_BATCH],
            ),
        )
        # Per project, in seq order: skip what does not match, stop at the first that does.
        skipped: dict[uuid.UUID, int] = {}
        if len(found) < EVENT_BATCH:
            # Everything after the cursors was read: past what is left, only pruned events.
            seen = {sql.as_uuid(row["project_id"]) for row in found}
            skipped = {p: seq for p, seq in behind.items() if p not in seen}
        candidates: list[ActivityEvent] = []
        done: set[uuid.UUID] = set()
        for event in sql.to_models(ActivityEvent, found):
            project_id = sql.as_uuid(event.project_id)
            if project_id in done or event.seq > behind.get(project_id, event.seq):
                continue
            if matches(webhook.events, event.action):
                candidates.append(event)
                done.add(project_id)
            else:
                skipped[project_id] = event.seq
        chosen = min(candidates, key=lambda e: (e.at, e.seq), default=None)
        moves = dict(skipped)
        if chosen is not None:
            moves[sql.as_uuid(chosen.project_id)] = chosen.seq
        async with transaction():
            for project_id, seq in moves.items():
                updated = await WebhookCursor.filter(
                    webhook_id=webhook.id, project_id=project_id, seq__lt=seq
                ).update(seq=seq)
                if not updated and not await WebhookCursor.exists(
                    webhook_id=webhook.id, project_id=project_id
                ):
                    await WebhookCursor.create(
                        webhook_id=webhook.id, project_id=project_id, seq=seq
                    )
            if chosen is None:
                return None
            return await WebhookDelivery.create(
                webhook_id=webhook.id,
                event_id=chosen.id,
                project_id=chosen.project_id,
                action=chosen.action,
                seq=chosen.seq,
                next_attempt_at=now,
                # The wall clock, not `now`: what Webhook.deliveries is ordered by.
                created_at=datetime.now(UTC),
            )

    async def _body(self, webhook: Webhook, delivery: WebhookDelivery) -> bytes | None:
        if delivery.event_id is None:
            return orjson.dumps(
                {
                    "id": str(delivery.id),
                    "action": PING,
                    "projectId": _id(delivery.project_id),
                    "seq": 0,
                    "at": delivery.created_at.isoformat(),
                    "entityType": "Webhook",
                    "entityId": str(webhook.id),
                    "changes": None,
                    "actor": {
                        "kind": "USER",
                        "userId": str(webhook.owner_id),
                        "apiKeyId": None,
                        "jobId": None,
                    },
                }
            )
        event = await ActivityEvent.get_or_none(id=delivery.event_id)
        return None if event is None else orjson.dumps(payload(event))

    async def _attempt(self, webhook: Webhook, delivery: WebhookDelivery, now: datetime) -> bool:
        """One POST of `delivery`, recorded; True when it is settled (delivered or given up)."""
        body = await self._body(webhook, delivery)
        if body is None:
            outcome = Outcome(None, "The event is no longer stored (retention); skipped.")
            give_up = True
        else:
            outcome = await self._post(webhook, body)
            give_up = False
        attempts = delivery.attempts + 1
        changes: dict[str, Any] = {
            "attempts": attempts,
            "first_attempt_at": delivery.first_attempt_at or now,
            "response_status": outcome.status,
            "error": outcome.error[:MAX_ERROR] if outcome.error else None,
        }
        if outcome.delivered:
            changes.update(status=DeliveryStatus.DELIVERED, delivered_at=now, next_attempt_at=None)
        else:
            retry_at = now + timedelta(seconds=retry_delay(attempts, self.rng))
            if give_up or retry_at > (delivery.first_attempt_at or now) + GIVE_UP_AFTER:
                error = changes["error"] or "Failed."
                if not give_up:
                    error = f"{error} Gave up after {attempts} attempts over 24 h."
                changes.update(
                    status=DeliveryStatus.FAILED, next_attempt_at=None, error=error[:MAX_ERROR]
                )
            else:
                changes.update(next_attempt_at=retry_at)
        await WebhookDelivery.filter(id=delivery.id, status=DeliveryStatus.PENDING).update(
            **changes
        )
        return changes.get("status") in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED)

    async def _post(self, webhook: Webhook, body: bytes) -> Outcome:
        assert self._client is not None
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Storygraph-Webhooks/1",
            SIGNATURE_HEADER: signature(webhook.secret, int(self.clock()), body),
        }
        try:
            # The whole exchange, not each read: a receiver trickling bytes is cut off too.
            async with asyncio.timeout(self.timeout):
                # Streamed and closed unread: the answer is its status, whatever its size.
                async with self._client.stream(
                    "POST", webhook.url, content=body, headers=headers
                ) as response:
                    status = response.status_code
        except AddressRefused as exc:
            return Outcome(None, str(exc))
        except (httpx.TimeoutException, TimeoutError):
            return Outcome(None, f"No answer within {self.timeout:g} s.")
        except httpx.HTTPError as exc:
            return Outcome(None, f"Could not deliver: {type(exc).__name__}.")
        if 200 <= status < 300:
            return Outcome(status, None)
        if 300 <= status < 400:
            return Outcome(status, f"HTTP {status}: redirects are not followed.")
        return Outcome(status, f"HTTP {status}.")


async def finish(task: "asyncio.Task[None]", grace: float) -> None:
    """Wait for a delivery loop told to stop; past `grace` seconds (a receiver still holding a
    delivery), cancel it: that delivery stays PENDING and is sent again once its lease ends."""
    done, _ = await asyncio.wait({task}, timeout=grace)
    if not done:
        task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def deliverer_for(settings: Settings, broker: Broker | None) -> Deliverer:
    """The delivery loop a worker (or the embedded API process) runs, as configured."""
    return Deliverer(
        guard=AddressGuard(allow_private=settings.webhook_allow_private_networks),
        broker=broker,
        timeout=settings.webhook_timeout_seconds,
        poll_seconds=settings.webhook_poll_seconds,
        concurrency=settings.webhook_concurrency,
    )


def _at(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


def _id(value: Any) -> str | None:
    return None if value is None else str(value)
