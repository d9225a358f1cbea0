"""User reads."""

import uuid

from models import User
from services import rows, sql


async def users_by_ids(ids: list[uuid.UUID], columns: sql.Columns = None) -> list[sql.Row | None]:
    return await rows.by_ids(User, "users", ids, columns)
