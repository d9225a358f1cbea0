"""Input limits of the public contract; each failure names the offending field."""

import uuid
from urllib.parse import urlsplit

from services.errors import InvalidInput

MAX_TITLE = 500
MAX_BRIEF = 20_000
MAX_TEXT = 20_000
MAX_REFERENCE_URLS = 20
MAX_URL = 2048


def parse_id(value: str, field: str = "id") -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except (ValueError, AttributeError, TypeError) as exc:
        raise InvalidInput(f"`{field}` is not a valid ID.", field=field) from exc


def text(value: str, field: str, *, minimum: int = 1, maximum: int = MAX_TEXT) -> str:
    if not minimum <= len(value) <= maximum:
        raise InvalidInput(f"`{field}` must be {minimum}..{maximum} characters long.", field=field)
    return value


def optional_text(value: str | None, field: str, *, maximum: int = MAX_TEXT) -> str | None:
    return None if value is None else text(value, field, minimum=0, maximum=maximum)


def title(value: str, field: str = "title") -> str:
    if not value.strip():
        raise InvalidInput(f"`{field}` must not be blank.", field=field)
    return text(value, field, maximum=MAX_TITLE)


def reference_urls(urls: list[str], field: str = "referenceUrls") -> list[str]:
    if len(urls) > MAX_REFERENCE_URLS:
        raise InvalidInput(f"At most {MAX_REFERENCE_URLS} reference URLs.", field=field)
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > MAX_URL:
            raise InvalidInput(f"{url!r} is not an http(s) URL.", field=field)
    return urls


# A day: far above any scene, and it keeps a storyboard's total well inside the INT column.
MAX_DURATION = 86_400


def duration(value: int, field: str = "duration", *, minimum: int = 0) -> int:
    """Seconds, `minimum`..MAX_DURATION."""
    if not minimum <= value <= MAX_DURATION:
        raise InvalidInput(f"`{field}` must be {minimum}..{MAX_DURATION} seconds.", field=field)
    return value
