"""User reads."""

import uuid

from models import User


async def users_by_ids(ids: list[uuid.UUID]) -> list[User | None]:
    found = {u.id: u for u in await User.filter(id__in=ids)}
    return [found.get(i) for i in ids]
