"""User reads."""

import uuid

from models import User
from services import sql


async def users_by_ids(ids: list[uuid.UUID]) -> list[User | None]:
    return await sql.by_ids(User, "users", ids)
