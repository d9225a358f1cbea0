"""Reading a project's activity: keyset pages (newest first) and the live stream.

The stream follows the resume rules of services.seq_stream, as a job's progress stream does: it
subscribes to the broker BEFORE it reads the table, drops by seq what arrives twice, refills a
gap from the table, and re-reads the table when the broker has been quiet for a while or says
RESYNC (a Redis reconnect, a slow consumer) — so an event lost in transit is only late.
"""

import base64
import binascii
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any

import orjson

from models import ActivityEvent, Project
from services import seq_stream, sql
from services.activity import activity_channel, payload
from services.broker import Broker, Subscription
from services.errors import InvalidInput, NotFound
from services.pagination import Page

QUIET_RECHECK_SECONDS = 10.0
# Stored events read per statement while a stream catches up.
CATCH_UP_BATCH = 1000
# A cursor is the seq it points at; seqs fit a PostgreSQL INTEGER.
MAX_SEQ = 2**31 - 1
_MAX_CURSOR = 100


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(orjson.dumps({"seq": seq})).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        if len(cursor) > _MAX_CURSOR:
            raise ValueError("too long")
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        seq = orjson.loads(raw)["seq"]
        if type(seq) is not int or not 1 <= seq <= MAX_SEQ:
            raise ValueError("not a seq")
        return seq
    except (ValueError, TypeError, KeyError, binascii.Error, orjson.JSONDecodeError) as exc:
        raise InvalidInput("`after` is not a cursor returned by this API.", field="after") from exc


def checked_after_seq(after_seq: int | None) -> int | None:
    if after_seq is not None and not 0 <= after_seq <= MAX_SEQ:
        raise InvalidInput(f"`afterSeq` must be 0..{MAX_SEQ}.", field="afterSeq")
    return after_seq


async def activity_for_projects(
    project_ids: list[uuid.UUID],
    *,
    first: int,
    before_seq: int | None,
    after_seq: int | None,
    with_total: bool,
    columns: sql.Columns = None,
) -> list[Page[sql.Row]]:
    """Per project, its events newest first: seq < `before_seq` (the `after` cursor) and
    seq > `after_seq`; one statement for every project (two with a total after a cursor)."""
    select = sql.select_list(ActivityEvent, columns, "project_id", "seq", prefix="t.")
    single = len(project_ids) == 1
    where = ["t.project_id = ?" if single else sql.id_list("t.project_id")]
    values: list[Any] = [project_ids[0] if single else sql.id_list_param(project_ids)]
    if after_seq is not None:
        where.append("t.seq > ?")
        values.append(after_seq)
    count_where, count_values = list(where), list(values)
    if before_seq is not None:
        where.append("t.seq < ?")
        values.append(before_seq)
    window_total = with_total and before_seq is None
    if single:
        total = ", COUNT(*) OVER () AS _total" if window_total else ""
        statement = (
            f"SELECT {select}{total} FROM activity_events t WHERE {' AND '.join(where)} "
            "ORDER BY t.seq DESC LIMIT ?"
        )
    else:
        total = ", COUNT(*) OVER (PARTITION BY t.project_id) AS _total" if window_total else ""
        statement = (
            f"SELECT * FROM (SELECT {select}, ROW_NUMBER() OVER (PARTITION BY t.project_id "
            f"ORDER BY t.seq DESC) AS _rn{total} FROM activity_events t "
            f"WHERE {' AND '.join(where)}) w WHERE _rn <= ? ORDER BY project_id, _rn"
        )
    rows = sql.typed(ActivityEvent, await sql.fetch_rows(statement, [*values, first + 1]))
    by_project: dict[uuid.UUID, list[sql.Row]] = defaultdict(list)
    for row in rows:
        by_project[sql.as_uuid(row["project_id"])].append(row)
    totals: dict[uuid.UUID, int] = {}
    if window_total:
        totals = {key: group[0]["_total"] for key, group in by_project.items()}
    elif with_total:
        counted = await sql.fetch(
            "SELECT t.project_id AS k, COUNT(*) AS n FROM activity_events t "
            f"WHERE {' AND '.join(count_where)} GROUP BY t.project_id",
            count_values,
        )
        totals = {sql.as_uuid(r["k"]): r["n"] for r in counted}
    pages = []
    for project_id in project_ids:
        group = by_project.get(project_id, [])
        items = group[:first]
        pages.append(
            Page(
                items=items,
                has_next=len(group) > first,
                total=totals.get(project_id, 0) if with_total else None,
                cursors=[encode_cursor(row["seq"]) for row in items],
            )
        )
    return pages


async def events_after(
    project_id: uuid.UUID, after_seq: int, limit: int = CATCH_UP_BATCH
) -> list[ActivityEvent]:
    """The first `limit` stored events with seq > after_seq, oldest first."""
    return (
        await ActivityEvent.filter(project_id=project_id, seq__gt=after_seq)
        .order_by("seq")
        .limit(limit)
    )


async def _current_seq(owner_id: uuid.UUID, project_id: uuid.UUID) -> int | None:
    found = await Project.filter(id=project_id, owner_id=owner_id).first().values("activity_seq")
    return None if found is None else int(found["activity_seq"])


def _deleted() -> NotFound:
    return NotFound("The project was deleted.", field="projectId")


async def follow_activity(
    broker: Broker,
    owner_id: uuid.UUID,
    project_id: uuid.UUID,
    after_seq: int | None,
    quiet_recheck: float = QUIET_RECHECK_SECONDS,
) -> AsyncIterator[dict[str, Any]]:
    """The project's events as `payload`s, in seq order, none skipped or repeated: with
    `after_seq`, the stored ones after it first; then each as it commits. Ends with NotFound
    when the project is deleted."""
    checked_after_seq(after_seq)
    async with broker.subscribe(activity_channel(project_id)) as live:
        last = await activity_start(owner_id, project_id, after_seq)
        async for event in _live(live, owner_id, project_id, last, quiet_recheck):
            yield event


async def activity_start(owner_id: uuid.UUID, project_id: uuid.UUID, after_seq: int | None) -> int:
    """Where a subscriber's stream starts: `after_seq`, or without it the project's newest seq.
    Checked: the project exists and is the owner's; `after_seq` is not negative nor past it."""
    checked_after_seq(after_seq)
    current = await _current_seq(owner_id, project_id)
    if current is None:
        raise NotFound("No such project.", field="projectId")
    if after_seq is not None and after_seq > current:
        raise InvalidInput(
            f"`afterSeq` is past the project's newest seq ({current}).", field="afterSeq"
        )
    return current if after_seq is None else after_seq


async def activity_head(
    owner_id: uuid.UUID, project_id: uuid.UUID, after_seq: int
) -> AsyncIterator[dict[str, Any]]:
    """What a subscriber of a shared stream (schema.fanout) gets before the live tail: every
    stored event with seq > after_seq, as `payload`s. The project is checked again (it may have
    been deleted since `activity_start`; a catch-up after a gap also comes here)."""
    if await _current_seq(owner_id, project_id) is None:
        raise _deleted()
    async for event in seq_stream.stored_from(_source(owner_id, project_id), after_seq):
        yield event


def follow_activity_live(
    broker: Broker,
    owner_id: uuid.UUID,
    project_id: uuid.UUID,
    quiet_recheck: float = QUIET_RECHECK_SECONDS,
    ready: Callable[[], None] | None = None,
) -> AsyncIterator[dict[str, Any]]:
    """Every event after the project's seq as read now (subscribed before the read): the live
    tail alone, shared by subscribers, with the same gap refill and deletion checks."""

    async def position() -> int:
        current = await _current_seq(owner_id, project_id)
        if current is None:
            raise _deleted()
        return current

    channel = activity_channel(project_id)
    source = _source(owner_id, project_id)
    return seq_stream.live_after(broker, channel, source, position, quiet_recheck, ready)


def _source(owner_id: uuid.UUID, project_id: uuid.UUID) -> seq_stream.Source[dict[str, Any]]:
    """The project's events as `payload`s (the broker's messages are already that shape)."""

    async def stored_after(last: int) -> list[dict[str, Any]]:
        return [payload(event) for event in await events_after(project_id, last)]

    async def exists() -> bool:
        return await _current_seq(owner_id, project_id) is not None

    return seq_stream.Source(
        stored_after=stored_after,
        page=CATCH_UP_BATCH,
        from_message=lambda message: message,
        seq_of=lambda event: int(event["seq"]),
        is_last=seq_stream.never,
        exists=exists,
        gone=_deleted,
    )


def _live(
    live: Subscription,
    owner_id: uuid.UUID,
    project_id: uuid.UUID,
    last: int,
    quiet_recheck: float,
) -> AsyncIterator[dict[str, Any]]:
    """Events after `last`, in order and gap-free, until the project is deleted (NotFound)."""
    return seq_stream.tail(live, _source(owner_id, project_id), last, quiet_recheck)


def parse_at(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)
