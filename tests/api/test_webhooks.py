"""Webhooks through the API: create, list, delete, ping, their bounds and refusals (API.md 2.4).

Deliveries themselves: tests/api/test_webhook_delivery.py.
"""

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from models import Webhook, WebhookCursor, WebhookDelivery
from services.limits import MAX_WEBHOOKS
from tests.conftest import MakeApi
from tests.helpers import Api, StatementCounter, User, create_project, sign_up
from tests.webhooks import CREATE_WEBHOOK, DELETE_WEBHOOK, MY_WEBHOOKS, PING_WEBHOOK, add_event

# A public address literal: checked without a resolver; nothing is delivered in these tests.
URL = "https://93.184.215.14/hooks/storygraph"
PROJECT_WEBHOOKS = """
query ProjectWebhooks($id: ID!) {
  project(id: $id) { id webhooks { id url events project { id } } }
}
"""
CREATE_API_KEY = """
mutation CreateApiKey($name: String!, $scopes: [String!]) {
  createApiKey(name: $name, scopes: $scopes) { key }
}
"""


@pytest.fixture
async def api(make_api: MakeApi) -> AsyncIterator[Api]:
    async with make_api() as api:
        yield api


async def create(api: Api, user: User, **input: Any) -> dict[str, Any]:
    data = await api.gql(CREATE_WEBHOOK, user.token, input={"url": URL, "events": ["*"], **input})
    created: dict[str, Any] = data["createWebhook"]
    return created


async def refused(api: Api, user: User, **input: Any) -> dict[str, Any]:
    error = await api.gql_error(
        CREATE_WEBHOOK, user.token, input={"url": URL, "events": ["*"], **input}
    )
    assert await Webhook.all().count() == 0
    return error


async def test_create_returns_the_secret_once_and_lists_the_webhook(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)

    created = await create(api, user, events=["job.succeeded", "scene.*", "job.succeeded"])

    assert created["secret"].startswith("whsec_")
    assert len(created["secret"]) == len("whsec_") + 64
    webhook = created["webhook"]
    assert webhook | {"id": None, "createdAt": None} == {
        "id": None,
        "url": URL,
        "events": ["job.succeeded", "scene.*"],
        "active": True,
        "createdAt": None,
        "project": None,
    }
    listed = (await api.gql(MY_WEBHOOKS, user.token))["me"]["webhooks"]
    assert [(w["id"], w["deliveries"]["totalCount"]) for w in listed] == [(webhook["id"], 0)]
    on_project = (await api.gql(PROJECT_WEBHOOKS, user.token, id=project))["project"]
    # A webhook of every project is listed on each of them.
    assert [w["id"] for w in on_project["webhooks"]] == [webhook["id"]]


async def test_project_webhooks_lists_its_own_and_the_owners_every_project_ones(
    api: Api,
) -> None:
    user = await sign_up(api)
    first = await create_project(api, user, title="First")
    second = await create_project(api, user, title="Second")
    everywhere = (await create(api, user))["webhook"]["id"]
    on_first = (await create(api, user, projectId=first))["webhook"]
    on_second = (await create(api, user, projectId=second))["webhook"]["id"]

    assert on_first["project"] == {"id": first}
    for project, expected in ((first, on_first["id"]), (second, on_second)):
        data = await api.gql(PROJECT_WEBHOOKS, user.token, id=project)
        assert [w["id"] for w in data["project"]["webhooks"]] == [expected, everywhere]
    listed = (await api.gql(MY_WEBHOOKS, user.token))["me"]["webhooks"]
    assert [w["id"] for w in listed] == [on_second, on_first["id"], everywhere]


async def test_the_secret_appears_nowhere_but_in_created_webhook(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    created = await create(api, user, projectId=project)
    webhook = created["webhook"]["id"]
    await api.gql(PING_WEBHOOK, user.token, id=webhook)

    responses = [
        await api.post(MY_WEBHOOKS, user.token),
        await api.post(PROJECT_WEBHOOKS, user.token, id=project),
        await api.post(PING_WEBHOOK, user.token, id=webhook),
        await api.post(
            'query Introspect { __type(name: "Webhook") { fields { name } } }', user.token
        ),
    ]

    for response in responses:
        assert "errors" not in response, response
        assert created["secret"] not in json.dumps(response)
    fields = {f["name"] for f in responses[-1]["data"]["__type"]["fields"]}
    assert fields == {"id", "url", "events", "project", "active", "createdAt", "deliveries"}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://93.184.215.14/x", "The URL must be an absolute http:// or https:// URL."),
        ("/relative", "The URL must be an absolute http:// or https:// URL."),
        ("https://" + "a" * 2040 + ".com/", "The URL is longer than 2048 characters."),
        ("http://user:pw@93.184.215.14/", "The URL must not contain a user name or password."),
        ("http://127.0.0.1:8000/", "loopback address (127.0.0.1)"),
        ("http://localhost:8000/", "loopback address"),
        ("http://[::1]/", "loopback address (::1)"),
        ("http://[::ffff:127.0.0.1]/", "loopback address (127.0.0.1)"),
        ("http://10.1.2.3/", "private address (10.1.2.3)"),
        ("http://192.168.0.10/", "private address (192.168.0.10)"),
        ("http://169.254.169.254/latest/meta-data/", "link-local address (169.254.169.254)"),
        ("http://[fe80::1]/", "link-local address (fe80::1)"),
        ("http://0.0.0.0/", "unspecified address (0.0.0.0)"),
        ("http://224.0.0.1/", "multicast address (224.0.0.1)"),
        ("http://name.invalid/", "cannot be resolved"),
    ],
)
async def test_urls_refused_at_creation(api: Api, url: str, message: str) -> None:
    user = await sign_up(api)

    error = await refused(api, user, url=url)

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "url"
    assert message in error["message"]


async def test_private_urls_are_accepted_when_the_setting_allows(make_api: MakeApi) -> None:
    async with make_api(webhook_allow_private_networks=True) as api:
        user = await sign_up(api)
        created = await create(api, user, url="http://127.0.0.1:9/hook")
        assert created["webhook"]["url"] == "http://127.0.0.1:9/hook"


@pytest.mark.parametrize(
    "events",
    [
        [],
        ["job"],
        ["Job.succeeded"],
        ["job.succeeded.now"],
        ["*.succeeded"],
        ["job.*", "job.succeeded\n"],
        ["job." + "a" * 61],
        [f"job.k{i}" for i in range(51)],
    ],
)
async def test_bad_event_patterns_are_refused(api: Api, events: list[str]) -> None:
    user = await sign_up(api)

    error = await refused(api, user, events=events)

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "events"}


async def test_fifty_patterns_of_64_characters_are_accepted(api: Api) -> None:
    user = await sign_up(api)
    events = [f"job.v{i:02d}{'a' * 57}" for i in range(50)]
    assert {len(e) for e in events} == {64}

    created = await create(api, user, events=events)

    assert created["webhook"]["events"] == events


async def test_another_users_or_unknown_project_is_not_found(api: Api) -> None:
    owner, other = await sign_up(api), await sign_up(api)
    project = await create_project(api, owner)

    for project_id in (project, "3f0b6d8e-2a47-4c43-9a38-0d5c9d1c8a11"):
        error = await refused(api, other, projectId=project_id)
        assert error["extensions"] == {"code": "NOT_FOUND", "field": "projectId"}
    error = await refused(api, other, projectId="not-an-id")
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_at_most_20_webhooks_per_user(api: Api) -> None:
    user, other = await sign_up(api), await sign_up(api)
    for _ in range(MAX_WEBHOOKS):
        await create(api, user)

    error = await api.gql_error(CREATE_WEBHOOK, user.token, input={"url": URL, "events": ["*"]})

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "url"}
    assert error["message"] == "A user has at most 20 webhooks; delete one first."
    assert await Webhook.filter(owner_id=user.id).count() == MAX_WEBHOOKS
    await create(api, other)  # the bound is per user


async def test_delete_removes_the_webhook_its_cursors_and_deliveries(api: Api) -> None:
    user = await sign_up(api)
    project = await create_project(api, user)
    webhook = (await create(api, user, projectId=project))["webhook"]["id"]
    await api.gql(PING_WEBHOOK, user.token, id=webhook)
    assert await WebhookCursor.filter(webhook_id=webhook).count() == 1

    assert await api.gql(DELETE_WEBHOOK, user.token, id=webhook) == {"deleteWebhook": True}

    assert await Webhook.all().count() == 0
    assert await WebhookDelivery.all().count() == 0
    assert await WebhookCursor.all().count() == 0
    again = await api.gql_error(DELETE_WEBHOOK, user.token, id=webhook)
    assert again["extensions"]["code"] == "NOT_FOUND"
    assert (await api.gql(MY_WEBHOOKS, user.token))["me"]["webhooks"] == []


async def test_cursors_start_at_each_followed_projects_current_seq(api: Api) -> None:
    user = await sign_up(api)
    first = await create_project(api, user, title="First")
    second = await create_project(api, user, title="Second")
    await add_event(first, "scene.created")
    last = await add_event(first, "scene.moved")
    before = {project: (await add_event(project, "scene.created")).seq for project in (second,)}

    webhook = (await create(api, user))["webhook"]["id"]

    cursors = await WebhookCursor.filter(webhook_id=webhook).values_list("project_id", "seq")
    assert sorted((str(p), s) for p, s in cursors) == sorted(
        [(first, last.seq), (second, before[second])]
    )


async def test_ping_is_bounded_while_pings_wait(api: Api) -> None:
    user = await sign_up(api)
    webhook = (await create(api, user))["webhook"]["id"]
    for _ in range(5):
        await api.gql(PING_WEBHOOK, user.token, id=webhook)

    error = await api.gql_error(PING_WEBHOOK, user.token, id=webhook)

    assert error["extensions"]["code"] == "CONFLICT"
    assert await WebhookDelivery.all().count() == 5


async def test_reading_needs_read_and_changing_needs_write(api: Api) -> None:
    user = await sign_up(api)
    webhook = (await create(api, user))["webhook"]["id"]
    read_only = (await api.gql(CREATE_API_KEY, user.token, name="ro", scopes=["read"]))[
        "createApiKey"
    ]["key"]
    jobs_only = (await api.gql(CREATE_API_KEY, user.token, name="jobs", scopes=["jobs"]))[
        "createApiKey"
    ]["key"]

    listed = (await api.gql(MY_WEBHOOKS, read_only))["me"]["webhooks"]
    assert [w["id"] for w in listed] == [webhook]
    for document, variables in (
        (CREATE_WEBHOOK, {"input": {"url": URL, "events": ["*"]}}),
        (DELETE_WEBHOOK, {"id": webhook}),
        (PING_WEBHOOK, {"id": webhook}),
    ):
        error = await api.gql_error(document, read_only, **variables)
        assert error["extensions"]["code"] == "FORBIDDEN"
    error = await api.gql_error(MY_WEBHOOKS, jobs_only)
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert await Webhook.all().count() == 1
    assert await WebhookDelivery.all().count() == 0
    unauthenticated = await api.gql_error(PING_WEBHOOK, None, id=webhook)
    assert unauthenticated["extensions"]["code"] == "UNAUTHENTICATED"


async def test_deliveries_are_paged_newest_first(api: Api) -> None:
    user = await sign_up(api)
    webhook = (await create(api, user))["webhook"]["id"]
    pings = [(await api.gql(PING_WEBHOOK, user.token, id=webhook))["pingWebhook"]["id"]]
    await WebhookDelivery.filter(id=pings[0]).update(status="DELIVERED")
    for _ in range(4):
        ping = (await api.gql(PING_WEBHOOK, user.token, id=webhook))["pingWebhook"]["id"]
        pings.append(ping)
        await WebhookDelivery.filter(id=ping).update(status="DELIVERED")
    page = """
    query Page($after: String) {
      me { webhooks { deliveries(first: 2, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id } }
      } } }
    }
    """
    seen, after = [], None
    for expected_next in (True, True, False):
        [listed] = (await api.gql(page, user.token, after=after))["me"]["webhooks"]
        connection = listed["deliveries"]
        assert connection["totalCount"] == 5
        assert connection["pageInfo"]["hasNextPage"] is expected_next
        seen += [edge["node"]["id"] for edge in connection["edges"]]
        after = connection["pageInfo"]["endCursor"]
    assert seen == list(reversed(pings))
    error = await api.gql_error(page.replace("first: 2", "first: 101"), user.token)
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}


async def test_reading_webhooks_costs_the_same_statements_whatever_their_number(
    api: Api, count_statements: StatementCounter
) -> None:
    """Webhooks with their project and deliveries: one statement per relation, not per item."""
    query = """
    query Many {
      me {
        webhooks {
          id project { id title } deliveries(first: 5) { totalCount edges { node { id } } }
        }
        projects(first: 10) { edges { node { id webhooks { id deliveries { totalCount } } } } }
      }
    }
    """

    async def measure(webhooks: int) -> int:
        user = await sign_up(api)
        for i in range(webhooks):
            project = await create_project(api, user, title=f"P{i}")
            webhook = (await create(api, user, projectId=project))["webhook"]["id"]
            await api.gql(PING_WEBHOOK, user.token, id=webhook)
        api.forget_callers()
        with count_statements.measure() as statements:
            data = await api.gql(query, user.token)
        assert len(data["me"]["webhooks"]) == webhooks
        return len(statements)

    small, large = await measure(1), await measure(10)

    assert small == large
    assert large <= 8
