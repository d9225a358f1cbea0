"""User reads and the user's own profile edits."""

import uuid
from typing import Any
from urllib.parse import urlsplit

from models import User
from services import rows, sql, validation
from services.db import transaction
from services.errors import InvalidInput, Unauthenticated

MAX_NAME = 200
MAX_IMAGE_URL = 2000


async def users_by_ids(ids: list[uuid.UUID], columns: sql.Columns = None) -> list[sql.Row | None]:
    return await rows.by_ids(User, "users", ids, columns)


def _image(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > MAX_IMAGE_URL:
        raise InvalidInput(
            f"`image` must be an http(s) URL of at most {MAX_IMAGE_URL} characters.", field="image"
        )
    return url


async def update_me(user_id: uuid.UUID, changes: dict[str, Any]) -> User:
    """`changes` holds only the fields the client sent; None clears name or image."""
    values: dict[str, Any] = {}
    if "name" in changes:
        values["name"] = validation.optional_text(changes["name"], "name", maximum=MAX_NAME)
    if "image" in changes:
        values["image"] = None if changes["image"] is None else _image(changes["image"])
    async with transaction():
        user = await User.filter(id=user_id).select_for_update().first()
        if user is None:
            raise Unauthenticated("The session token is invalid or has expired.")
        user.update_from_dict(values)
        await user.save()
    return user
