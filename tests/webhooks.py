"""Webhook test helpers: a real HTTP receiver on 127.0.0.1, activity events, GraphQL documents.

The receiver is the standard library's threaded HTTP server in a thread of its own: it answers
while the test's event loop is busy, and a test can make it answer 500, redirect, hang or be
down (stopped, then started again on the same port).
"""

import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from models import ActivityEvent, ActorKind, Project
from services.db import transaction

README = Path(__file__).resolve().parents[1] / "README.md"

CREATE_WEBHOOK = """
mutation CreateWebhook($input: CreateWebhookInput!) {
  createWebhook(input: $input) {
    secret
    webhook { id url events active createdAt project { id } }
  }
}
"""
DELETE_WEBHOOK = """
mutation DeleteWebhook($id: ID!) { deleteWebhook(id: $id) }
"""
PING_WEBHOOK = """
mutation PingWebhook($id: ID!) {
  pingWebhook(id: $id) {
    id action seq attempts responseStatus deliveredAt nextAttemptAt error
  }
}
"""
MY_WEBHOOKS = """
query MyWebhooks {
  me {
    webhooks {
      id url events active createdAt project { id }
      deliveries(first: 100) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges {
          cursor
          node { id action seq attempts responseStatus deliveredAt nextAttemptAt error }
        }
      }
    }
  }
}
"""


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


# What the receiver answers a request with: (status, extra headers). It may block (a hang).
Answer = Callable[[Received], tuple[int, dict[str, str]]]


def ok(_: Received) -> tuple[int, dict[str, str]]:
    return 200, {}


class Receiver:
    """`with Receiver() as r:` — r.url, r.received, r.answer (settable), r.stop()/r.start()."""

    def __init__(self, answer: Answer = ok) -> None:
        self.answer = answer
        self.received: list[Received] = []
        self.port = 0
        self._server: ThreadingHTTPServer | None = None
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                request = Received(self.path, dict(self.headers.items()), self.rfile.read(length))
                with receiver._lock:
                    receiver.received.append(request)
                status, headers = receiver.answer(request)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self.port = server.server_address[1]
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "Receiver":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def readme_verify() -> Callable[[str, str, bytes], bool]:
    """The `verify` function of the README's receiver snippet, run as the README shows it."""
    text = README.read_text()
    match = re.search(r"<!-- webhook-verify -->\s*```python\n(.*?)```", text, re.DOTALL)
    assert match is not None, "README lost its webhook verification snippet"
    namespace: dict[str, Any] = {}
    exec(match.group(1), namespace)
    verify: Callable[[str, str, bytes], bool] = namespace["verify"]
    return verify


async def add_event(
    project_id: str | uuid.UUID,
    action: str,
    *,
    entity_type: str = "Scene",
    changes: Any = None,
) -> ActivityEvent:
    """An activity event with the project's next seq, written as services write them (the
    project row locked, its counter taken)."""
    async with transaction():
        project = await Project.filter(id=project_id).select_for_update().get()
        seq = project.activity_seq + 1
        await Project.filter(id=project_id).update(activity_seq=seq)
        return await ActivityEvent.create(
            project_id=project.id,
            seq=seq,
            at=datetime.now(UTC),
            action=action,
            entity_type=entity_type,
            entity_id=uuid.uuid4(),
            changes=changes,
            actor_kind=ActorKind.USER,
            actor_user_id=project.owner_id,
        )
