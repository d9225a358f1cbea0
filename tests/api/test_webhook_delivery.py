"""Webhook deliveries against a real HTTP receiver on 127.0.0.1 (README, Webhooks).

The delivery loop is driven pass by pass with `run_once(now)`: tests move `now` forward instead
of waiting for a backoff. Until every mutation writes activity events, the events here are
written the way services write them (tests/webhooks.py `add_event`).
"""

import asyncio
import ipaddress
import threading
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest

from models import ActivityEvent, DeliveryStatus, WebhookDelivery
from services.activity import payload
from services.webhook_address import AddressGuard, refusal
from services.webhook_delivery import Deliverer
from tests.conftest import MakeApi
from tests.helpers import Api, StatementCounter, User, create_project, create_storyboard, sign_up
from tests.webhooks import (
    CREATE_WEBHOOK,
    MY_WEBHOOKS,
    PING_WEBHOOK,
    Received,
    Receiver,
    add_event,
    readme_verify,
)

T0 = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
ALLOW = AddressGuard(allow_private=True)


@pytest.fixture
async def api(make_api: MakeApi) -> AsyncIterator[Api]:
    async with make_api(webhook_allow_private_networks=True) as api:
        yield api


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    with Receiver() as receiver:
        yield receiver


async def deliverer(**options: Any) -> Deliverer:
    options.setdefault("guard", ALLOW)
    options.setdefault("timeout", 0.5)
    return Deliverer(**options)


async def create_webhook(
    api: Api, user: User, url: str, events: list[str], project_id: str | None
) -> tuple[str, str]:
    data = await api.gql(
        CREATE_WEBHOOK, user.token, input={"url": url, "events": events, "projectId": project_id}
    )
    created = data["createWebhook"]
    return created["webhook"]["id"], created["secret"]


async def deliveries(api: Api, user: User) -> list[dict[str, Any]]:
    [webhook] = (await api.gql(MY_WEBHOOKS, user.token))["me"]["webhooks"]
    return [edge["node"] for edge in webhook["deliveries"]["edges"]]


async def drain(d: Deliverer, now: datetime, passes: int = 20) -> int:
    """Passes at `now` until one makes no attempt; the number of attempts made."""
    total = 0
    for _ in range(passes):
        made = await d.run_once(now)
        if made == 0:
            return total
        total += made
    raise AssertionError("the delivery loop kept attempting")


async def test_signed_events_in_seq_order_matching_patterns_only(
    api: Api, receiver: Receiver
) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    webhook, secret = await create_webhook(
        api, user, receiver.url, ["scene.*", "job.succeeded"], project
    )
    events = [
        await add_event(project, action, changes={"n": i})
        for i, action in enumerate(
            ["scene.created", "project.updated", "job.succeeded", "scene.moved", "job.failed"]
        )
    ]
    d = await deliverer()

    async with d.opened():
        assert await drain(d, T0) == 3

    wanted = [events[0], events[2], events[3]]
    assert [orjson.loads(r.body) for r in receiver.received] == [payload(e) for e in wanted]
    verify = readme_verify()
    for request in receiver.received:
        assert request.path == "/hook"
        assert request.headers["Content-Type"] == "application/json"
        assert verify(secret, request.headers["Storygraph-Signature"], request.body)
        assert not verify("whsec_other", request.headers["Storygraph-Signature"], request.body)
        assert not verify(secret, request.headers["Storygraph-Signature"], request.body + b" ")
    listed = await deliveries(api, user)
    assert [(x["action"], x["seq"], x["attempts"], x["responseStatus"]) for x in listed] == [
        (e.action, e.seq, 1, 200) for e in reversed(wanted)
    ]
    assert all(x["deliveredAt"] is not None and x["nextAttemptAt"] is None for x in listed)
    assert all(x["error"] is None for x in listed)
    assert webhook


async def test_a_stale_signature_is_refused_by_the_readme_snippet(
    api: Api, receiver: Receiver
) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    _, secret = await create_webhook(api, user, receiver.url, ["*"], project)
    await add_event(project, "scene.created")
    # A deliverer whose clock is ten minutes behind signs a timestamp receivers reject.
    d = await deliverer(clock=lambda: time.time() - 600)

    async with d.opened():
        assert await drain(d, T0) == 1

    [request] = receiver.received
    assert not readme_verify()(secret, request.headers["Storygraph-Signature"], request.body)


async def test_only_events_after_creation_and_every_project_when_project_is_null(
    api: Api, receiver: Receiver
) -> None:
    user = await sign_up(api)
    old = await create_project(api, user, title="Old")
    await add_event(old, "scene.created")  # before the webhook: never delivered
    await create_webhook(api, user, receiver.url, ["*"], None)
    later = await create_project(api, user, title="Later")
    first = await add_event(old, "scene.updated")
    second = await add_event(later, "scene.created")
    d = await deliverer()

    async with d.opened():
        await drain(d, T0)

    bodies = [orjson.loads(r.body) for r in receiver.received]
    assert [(b["projectId"], b["seq"]) for b in bodies if b["projectId"] == old] == [
        (old, first.seq)
    ]
    assert {(b["projectId"], b["action"]) for b in bodies} >= {
        (old, first.action),
        (later, second.action),
    }
    # Whatever else the later project logged (its creation, once mutations write events),
    # each project's events arrive in seq order, each once.
    for project in (old, later):
        seqs = [b["seq"] for b in bodies if b["projectId"] == project]
        assert seqs == sorted(set(seqs))


async def test_retry_after_500_with_doubling_backoff_holds_later_events_back(
    api: Api, receiver: Receiver
) -> None:
    answers = iter([500, 503])
    receiver.answer = lambda _: (next(answers, 200), {})
    user = await sign_up(api)
    project = await create_project(api, user)
    await create_webhook(api, user, receiver.url, ["*"], project)
    one = await add_event(project, "scene.created")
    two = await add_event(project, "scene.moved")
    d = await deliverer()

    async with d.opened():
        assert await d.run_once(T0) == 1
        [head] = await WebhookDelivery.filter(seq=one.seq)
        assert head.attempts == 1
        assert head.response_status == 500
        assert head.error == "HTTP 500."
        assert head.next_attempt_at is not None
        first_delay = (head.next_attempt_at - T0).total_seconds()
        assert 5 <= first_delay <= 6
        # Not due yet, and the later event waits behind it.
        assert await d.run_once(T0 + timedelta(seconds=4.9)) == 0
        assert await WebhookDelivery.filter(seq=two.seq).count() == 0

        t1 = head.next_attempt_at
        assert await d.run_once(t1) == 1
        await head.refresh_from_db()
        assert head.attempts == 2
        assert head.response_status == 503
        assert head.next_attempt_at is not None
        assert 10 <= (head.next_attempt_at - t1).total_seconds() <= 12

        assert await d.run_once(head.next_attempt_at) == 2  # delivered, then the next one

    assert [orjson.loads(r.body)["seq"] for r in receiver.received] == [one.seq] * 3 + [two.seq]
    listed = await deliveries(api, user)
    assert [(x["seq"], x["attempts"], x["responseStatus"], x["error"]) for x in listed] == [
        (two.seq, 1, 200, None),
        (one.seq, 3, 200, None),
    ]


async def test_a_timeout_is_a_failed_attempt_then_retried(api: Api, receiver: Receiver) -> None:
    release = threading.Event()
    calls = 0

    def answer(_: Received) -> tuple[int, dict[str, str]]:
        nonlocal calls
        calls += 1
        if calls == 1:
            release.wait(5)  # longer than the deliverer's 0.5 s timeout
        return 200, {}

    receiver.answer = answer
    user = await sign_up(api)
    project = await create_project(api, user)
    await create_webhook(api, user, receiver.url, ["*"], project)
    await add_event(project, "scene.created")
    d = await deliverer(timeout=0.5)

    try:
        async with d.opened():
            assert await d.run_once(T0) == 1
            release.set()
            [head] = await WebhookDelivery.all()
            assert (head.attempts, head.response_status) == (1, None)
            assert head.error == "No answer within 0.5 s."
            assert head.status == DeliveryStatus.PENDING
            assert await d.run_once(T0 + timedelta(seconds=7)) == 1
    finally:
        release.set()

    await head.refresh_from_db()
    assert (head.status, head.attempts, head.response_status) == (DeliveryStatus.DELIVERED, 2, 200)
    assert len(receiver.received) == 2


async def test_a_receiver_down_for_a_while_gets_everything_when_it_comes_back(
    api: Api, receiver: Receiver
) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    await create_webhook(api, user, receiver.url, ["*"], project)
    receiver.stop()
    events = [await add_event(project, f"scene.step{i}") for i in range(5)]
    d = await deliverer()
    now = T0

    async with d.opened():
        for _ in range(4):
            assert await d.run_once(now) == 1
            [head] = await WebhookDelivery.all()
            assert head.error == "Could not deliver: ConnectError."
            assert head.next_attempt_at is not None
            now = head.next_attempt_at
        receiver.start()  # the same port again
        assert await drain(d, now) == 5

    assert [orjson.loads(r.body) for r in receiver.received] == [payload(e) for e in events]
    listed = await deliveries(api, user)
    assert [(x["seq"], x["attempts"]) for x in listed] == [
        (e.seq, 5 if e is events[0] else 1) for e in reversed(events)
    ]


async def test_given_up_after_24_hours_then_skipped(api: Api, receiver: Receiver) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    await create_webhook(api, user, receiver.url, ["*"], project)
    one = await add_event(project, "scene.created")
    two = await add_event(project, "scene.moved")
    receiver.answer = lambda r: (200 if orjson.loads(r.body)["seq"] == two.seq else 500, {})
    d = await deliverer()
    now, gaps = T0, []

    async with d.opened():
        for _ in range(100):
            made = await d.run_once(now)
            head = await WebhookDelivery.get(seq=one.seq)
            if head.next_attempt_at is None:
                break
            assert made == 1  # the later event waits
            gaps.append((head.next_attempt_at - now).total_seconds())
            now = head.next_attempt_at
        # The pass that gave up went on to the next event: skipped, it holds nothing back.
        assert made == 2

    assert head.status == DeliveryStatus.FAILED
    assert head.error == f"HTTP 500. Gave up after {head.attempts} attempts over 24 h."
    assert 5 <= gaps[0] <= 6
    assert 10 <= gaps[1] <= 12
    assert max(gaps) == 3600
    assert now - T0 <= timedelta(hours=24)
    assert sum(gaps) > 23 * 3600
    assert [orjson.loads(r.body)["seq"] for r in receiver.received][-1] == two.seq
    assert (await WebhookDelivery.get(seq=two.seq)).status == DeliveryStatus.DELIVERED


async def test_ping_is_delivered_signed(api: Api, receiver: Receiver) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    webhook, secret = await create_webhook(api, user, receiver.url, ["job.*"], project)

    ping = (await api.gql(PING_WEBHOOK, user.token, id=webhook))["pingWebhook"]
    assert ping | {"id": None} == {
        "id": None,
        "action": "webhook.ping",
        "seq": 0,
        "attempts": 0,
        "responseStatus": None,
        "deliveredAt": None,
        "nextAttemptAt": ping["nextAttemptAt"],
        "error": None,
    }
    d = await deliverer()
    async with d.opened():
        assert await drain(d, datetime.now(UTC) + timedelta(seconds=1)) == 1

    [request] = receiver.received
    body = orjson.loads(request.body)
    assert body | {"at": None} == {
        "id": ping["id"],
        "action": "webhook.ping",
        "projectId": project,
        "seq": 0,
        "at": None,
        "entityType": "Webhook",
        "entityId": webhook,
        "changes": None,
        "actor": {"kind": "USER", "userId": user.id, "apiKeyId": None, "jobId": None},
    }
    assert readme_verify()(secret, request.headers["Storygraph-Signature"], request.body)
    [listed] = await deliveries(api, user)
    assert (listed["id"], listed["attempts"], listed["responseStatus"]) == (ping["id"], 1, 200)


async def test_a_redirect_is_a_failed_attempt_and_never_followed(
    api: Api, receiver: Receiver
) -> None:
    with Receiver() as target:
        receiver.answer = lambda _: (302, {"Location": target.url})
        user = await sign_up(api)
        project = await create_project(api, user)
        await create_webhook(api, user, receiver.url, ["*"], project)
        await add_event(project, "scene.created")
        d = await deliverer()
        async with d.opened():
            assert await d.run_once(T0) == 1
        assert target.received == []
    [head] = await WebhookDelivery.all()
    assert (head.status, head.response_status) == (DeliveryStatus.PENDING, 302)
    assert head.error == "HTTP 302: redirects are not followed."
    assert len(receiver.received) == 1


async def test_private_addresses_are_refused_again_at_delivery(
    api: Api, receiver: Receiver
) -> None:
    """Created while private networks were allowed (or a name that now resolves elsewhere): the
    delivery checks the address again and connects to nothing."""
    user = await sign_up(api)
    project = await create_project(api, user)
    await create_webhook(api, user, receiver.url, ["*"], project)
    await add_event(project, "scene.created")
    d = await deliverer(guard=AddressGuard(allow_private=False))

    async with d.opened():
        assert await d.run_once(T0) == 1

    assert receiver.received == []
    [head] = await WebhookDelivery.all()
    assert head.error == "The URL's host resolves to a loopback address (127.0.0.1); refused."
    assert (head.status, head.response_status) == (DeliveryStatus.PENDING, None)


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:169.254.169.254", "link-local"),
    ],
)
def test_refused_addresses(address: str, kind: str) -> None:
    reason = refusal(ipaddress.ip_address(address))
    assert reason is not None
    assert f" {kind} address " in reason


def test_public_addresses_pass() -> None:
    for address in ("93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "8.8.8.8"):
        assert refusal(ipaddress.ip_address(address)) is None


async def test_two_deliverers_at_once_deliver_each_event_once(api: Api, receiver: Receiver) -> None:
    """Two workers: a webhook is served by the one holding its lease, the other skips it."""
    user = await sign_up(api)
    project = await create_project(api, user)
    await create_webhook(api, user, receiver.url, ["*"], project)
    other = await create_project(api, user, title="Other")
    await create_webhook(api, user, receiver.url, ["*"], other)
    added: dict[str, list[int]] = {project: [], other: []}
    for i in range(6):
        for p in added:
            added[p].append((await add_event(p, f"scene.step{i}")).seq)
    first, second = await deliverer(), await deliverer()

    async with first.opened(), second.opened():
        for _ in range(20):
            made = await asyncio.gather(first.run_once(T0), second.run_once(T0))
            if sum(made) == 0:
                break

    bodies = [orjson.loads(r.body) for r in receiver.received]
    for p in (project, other):
        assert [b["seq"] for b in bodies if b["projectId"] == p] == added[p]
    assert await WebhookDelivery.filter(status=DeliveryStatus.DELIVERED).count() == 12


async def test_delivery_is_not_in_the_request_path(make_api: MakeApi) -> None:
    """The embedded worker delivers; while a receiver hangs on a delivery, mutations (a ping of
    that very webhook included) return at once: they only write rows."""
    release = threading.Event()
    arrived = threading.Event()

    def hang(_: Received) -> tuple[int, dict[str, str]]:
        arrived.set()
        release.wait(10)
        return 200, {}

    overrides = {
        "run_worker": True,
        "webhook_allow_private_networks": True,
        "webhook_poll_seconds": 0.05,
        "webhook_timeout_seconds": 20,
    }
    with Receiver(hang) as receiver:
        try:
            async with make_api(**overrides) as api:
                user = await sign_up(api)
                project = await create_project(api, user)
                webhook, _ = await create_webhook(api, user, receiver.url, ["*"], project)
                await add_event(project, "scene.created")
                for _ in range(200):
                    if arrived.is_set():
                        break
                    await asyncio.sleep(0.05)
                assert arrived.is_set(), "the worker never delivered"

                ping = (await api.gql(PING_WEBHOOK, user.token, id=webhook))["pingWebhook"]
                other = await create_project(api, user, title="Meanwhile")
                # The mutations are done while the delivery still hangs.
                assert not release.is_set()
                assert ping["attempts"] == 0
                assert other
                assert len(receiver.received) == 1

                release.set()
                for _ in range(200):
                    if (
                        len(receiver.received) == 2
                        and await WebhookDelivery.filter(status=DeliveryStatus.DELIVERED).count()
                        == 2
                    ):
                        break
                    await asyncio.sleep(0.05)
                actions = [orjson.loads(r.body)["action"] for r in receiver.received]
                assert actions == ["scene.created", "webhook.ping"]
        finally:
            release.set()


async def test_pruned_events_are_skipped_and_a_pruned_head_is_given_up(
    api: Api, receiver: Receiver
) -> None:
    receiver.answer = lambda _: (500, {})
    user = await sign_up(api)
    project = await create_project(api, user)
    await create_webhook(api, user, receiver.url, ["*"], project)
    head_event = await add_event(project, "scene.created")
    d = await deliverer()

    async with d.opened():
        assert await d.run_once(T0) == 1  # fails: the head waits for its retry
        pruned = [await add_event(project, f"scene.step{i}") for i in range(2)]
        last = await add_event(project, "scene.moved")
        # Retention removes the head's event and the next two before they go out.
        await ActivityEvent.filter(id__in=[head_event.id, *(e.id for e in pruned)]).delete()
        receiver.answer = lambda _: (200, {})
        assert await drain(d, T0 + timedelta(seconds=10)) == 2

    head = await WebhookDelivery.get(seq=head_event.seq)
    assert head.status == DeliveryStatus.FAILED
    assert head.error == "The event is no longer stored (retention); skipped."
    assert [orjson.loads(r.body)["seq"] for r in receiver.received] == [head_event.seq, last.seq]
    assert await WebhookDelivery.all().count() == 2


async def test_a_pass_with_nothing_to_do_is_one_statement(
    api: Api, receiver: Receiver, count_statements: StatementCounter
) -> None:
    user = await sign_up(api)
    for i in range(3):
        project = await create_project(api, user, title=f"P{i}")
        await create_webhook(api, user, receiver.url, ["*"], project)
        await add_event(project, "scene.created")
    await create_webhook(api, user, receiver.url, ["job.*"], None)
    d = await deliverer()

    async with d.opened():
        await drain(d, T0)
        with count_statements.measure() as statements:
            assert await d.run_once(T0) == 0

    assert len(statements) == 1
    assert len(receiver.received) == 3


async def test_a_host_name_is_resolved_checked_and_kept_in_the_host_header(
    api: Api, receiver: Receiver
) -> None:
    """The connection goes to the address the guard checked; the request still names the host."""
    user = await sign_up(api)
    project = await create_project(api, user)
    url = f"http://localhost:{receiver.port}/hook"
    await create_webhook(api, user, url, ["*"], project)
    await add_event(project, "scene.created")

    async with (await deliverer(guard=AddressGuard(allow_private=False))).opened() as refusing:
        assert await refusing.run_once(T0) == 1
    assert receiver.received == []
    [head] = await WebhookDelivery.all()
    assert head.error is not None
    assert "loopback address" in head.error

    async with (await deliverer()).opened() as allowing:
        assert await allowing.run_once(T0 + timedelta(seconds=10)) == 1
    [request] = receiver.received
    assert request.headers["Host"] == f"localhost:{receiver.port}"
    await head.refresh_from_db()
    assert head.status == DeliveryStatus.DELIVERED


@pytest.mark.parametrize("concurrency", [1, 3])
async def test_webhooks_served_at_once_are_bounded(api: Api, concurrency: int) -> None:
    lock = threading.Lock()
    in_flight = peak = 0
    # With room for all three, each waits for the others: they provably overlap.
    together = threading.Barrier(3, timeout=5)

    def answer(_: Received) -> tuple[int, dict[str, str]]:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        try:
            if concurrency == 3:
                together.wait()
            else:
                time.sleep(0.2)
        finally:
            with lock:
                in_flight -= 1
        return 200, {}

    user = await sign_up(api)
    with Receiver(answer) as receiver:
        for i in range(3):
            project = await create_project(api, user, title=f"P{i}")
            await create_webhook(api, user, receiver.url, ["*"], project)
            await add_event(project, "scene.created")
        d = await deliverer(concurrency=concurrency, timeout=10)
        async with d.opened():
            assert await d.run_once(T0) == 3

    assert peak == concurrency
    assert len(receiver.received) == 3


async def test_mutations_reach_the_webhook_as_their_activity_events(
    api: Api, receiver: Receiver
) -> None:
    """End to end: what mutations record (services.activity) is what the receiver gets, signed,
    in seq order, with the acting user."""
    user = await sign_up(api)
    project = await create_project(api, user)
    _, secret = await create_webhook(api, user, receiver.url, ["project.*", "storyboard.*"], None)
    await api.gql(
        'mutation($id: ID!) { updateProject(id: $id, input: {title: "Renamed"}) { id } }',
        user.token,
        id=project,
    )
    await create_storyboard(api, user, project)
    await api.gql("mutation($id: ID!) { archiveProject(id: $id) { id } }", user.token, id=project)
    d = await deliverer()

    async with d.opened():
        assert await drain(d, T0) == 3

    bodies = [orjson.loads(r.body) for r in receiver.received]
    stored = await ActivityEvent.filter(project_id=project, seq__gt=1).order_by("seq")
    assert bodies == [payload(e) for e in stored]
    assert [b["action"] for b in bodies] == [
        "project.updated",
        "storyboard.created",
        "project.archived",
    ]
    assert bodies[0]["changes"] == {"title": {"old": "Launch video", "new": "Renamed"}}
    assert {b["actor"]["userId"] for b in bodies} == {user.id}
    verify = readme_verify()
    assert all(verify(secret, r.headers["Storygraph-Signature"], r.body) for r in receiver.received)
