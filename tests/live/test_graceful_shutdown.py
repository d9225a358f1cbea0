"""SIGTERM on an API process: requests already in flight finish, then it exits cleanly."""

import asyncio
import signal
import time
import uuid
from pathlib import Path

import httpx

from tests.helpers import PASSWORD, SIGN_UP
from tests.live.conftest import start_server

IN_FLIGHT = 12


async def test_requests_in_flight_finish_after_sigterm(database_url: str, tmp_path: Path) -> None:
    # signUp hashes with argon2id (tens of ms each, in a thread pool): several of them are
    # still running when the signal arrives.
    async with (
        start_server("graceful", database_url, tmp_path, run_worker=False) as server,
        httpx.AsyncClient(base_url=server.url, timeout=20) as client,
    ):
        emails = [f"inflight-{uuid.uuid4().hex[:8]}@example.com" for _ in range(IN_FLIGHT)]
        finished: list[float] = []

        async def sign_up(email: str) -> httpx.Response:
            variables = {"email": email, "password": PASSWORD}
            response = await client.post(
                "/graphql", json={"query": SIGN_UP, "variables": variables}
            )
            finished.append(time.monotonic())
            return response

        requests = [asyncio.create_task(sign_up(e)) for e in emails]
        # Long enough for the server to have read every request (a connection whose request was
        # not read yet is idle to uvicorn and is closed), short of the hashing being over.
        await asyncio.sleep(0.2)
        signalled = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        responses = await asyncio.gather(*requests)
        async with asyncio.timeout(10):
            await server.process.wait()

    assert max(finished) > signalled, "nothing was still in flight when SIGTERM arrived"
    assert [r.status_code for r in responses] == [200] * IN_FLIGHT
    assert sorted(r.json()["data"]["signUp"]["user"]["email"] for r in responses) == sorted(emails)
