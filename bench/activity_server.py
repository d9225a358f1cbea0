"""The app for bench/activity.py, with the activity write switched on or off.

Off is the build before events existed: `services.activity.record` only moves the project's
updatedAt (what `touch_project` did), every service calling it unchanged. Only the bench uses it.
"""

import os
import uuid
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette

import app
from services import activity
from services.settings import Settings

SECRET = "bench-secret-key-that-is-long-enough-for-hs256"
SWITCH = "BENCH_ACTIVITY"
_record = activity.record


async def _touch_only(project_id: uuid.UUID, *args: Any, **kwargs: Any) -> None:
    await activity.touch(project_id)


def switch(events: bool) -> Callable[[], None]:
    """Events on or off in this process; returns what puts them back on."""
    activity.record = _record if events else _touch_only  # type: ignore[assignment]

    def restore() -> None:
        activity.record = _record

    return restore


def build(settings: Settings) -> Starlette:
    return app.create_app(settings)


def create_app() -> Starlette:
    """`uvicorn --factory bench.activity_server:create_app`, with BENCH_ACTIVITY=on|off."""
    switch(os.environ.get(SWITCH, "on") != "off")
    return app.create_app(Settings())
