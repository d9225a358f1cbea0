"""Sign-up, log-in, session tokens (JWT) and partner API keys: who calls, and what they may do."""

import asyncio
import functools
import hashlib
import logging
import re
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from tortoise.exceptions import IntegrityError

from models import ApiKey, User
from services import rows, sql, validation
from services.broker import Broker
from services.callers import CallerCache
from services.db import transaction
from services.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthenticated
from services.limits import MAX_API_KEYS
from services.ratelimit import RateLimits

SCOPES = ("read", "write", "jobs")
API_KEY_PREFIX = "sgk_"
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
# Writing last_used_at on every request would make every read a write; a minute is enough.
LAST_USED_RESOLUTION = timedelta(seconds=60)

log = logging.getLogger(__name__)
_hasher = PasswordHasher()
# Matched whole (fullmatch): `$` alone would let a trailing newline through.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the email is unknown, so both failures of logIn take as long.

    Made on first use, not at import: hashing costs 64 MiB and tens of milliseconds.
    """
    return _hasher.hash(secrets.token_hex(16))


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: a user acting through a session token or one of their API keys."""

    user: User
    scopes: frozenset[str]
    api_key_id: uuid.UUID | None = None
    # A session token's expiry (Unix seconds); None for an API key, which lasts until revoked.
    expires_at: float | None = None

    @property
    def user_id(self) -> uuid.UUID:
        return self.user.id

    def require(self, scope: str, *alternatives: str) -> "Principal":
        """Self when the credential has `scope` (or any of the `alternatives`); else Forbidden."""
        wanted = (scope, *alternatives)
        if self.scopes.isdisjoint(wanted):
            names = " or ".join(f"`{s}`" for s in wanted)
            raise Forbidden(f"This credential lacks the {names} scope.")
        return self


SESSION_SCOPES = frozenset(SCOPES)


def issue_token(user_id: uuid.UUID, *, secret: str, ttl_seconds: int) -> str:
    now = datetime.now(UTC)
    claims = {"sub": str(user_id), "iat": now, "exp": now + timedelta(seconds=ttl_seconds)}
    return jwt.encode(claims, secret, algorithm="HS256")


async def sign_up(
    email: str, password: str, name: str | None, *, secret: str, ttl_seconds: int
) -> tuple[User, str]:
    email = _normalise_email(email)
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidInput(
            f"`password` must be {MIN_PASSWORD}..{MAX_PASSWORD} characters long.", field="password"
        )
    name = validation.optional_text(name, "name", maximum=200)
    password_hash = await asyncio.to_thread(_hasher.hash, password)
    try:
        async with transaction():
            user = await User.create(email=email, password_hash=password_hash, name=name)
    except IntegrityError as exc:
        raise Conflict("An account with this email already exists.") from exc
    return user, issue_token(user.id, secret=secret, ttl_seconds=ttl_seconds)


async def log_in(
    email: str,
    password: str,
    *,
    secret: str,
    ttl_seconds: int,
    limits: RateLimits | None = None,
    address: str | None = None,
) -> tuple[User, str]:
    email = _normalise_email(email)
    if limits is not None:
        # Counted before the hash is checked: a password cannot be guessed faster than the limit.
        await limits.check_log_in(email, address)
    user = await User.get_or_none(email=email)
    try:
        await asyncio.to_thread(
            _hasher.verify, user.password_hash if user else _dummy_hash(), password
        )
    except (VerificationError, InvalidHashError):
        user = None
    if user is None:
        raise Unauthenticated("Wrong email or password.")
    return user, issue_token(user.id, secret=secret, ttl_seconds=ttl_seconds)


def _now() -> float:
    return time.time()


@functools.lru_cache(maxsize=4096)
def _session_claims(token: str, secret: str) -> tuple[uuid.UUID, float]:
    """A session token's user id and expiry, once its signature and claims check out.

    Cached (PyJWT spends ~100 µs per decode): a hit needs the exact token text whose signature
    was verified when it was cached, and expiry is compared with the clock on every use by the
    caller. Bad tokens raise, and exceptions are never cached.
    """
    claims = jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["exp", "sub"]})
    return uuid.UUID(claims["sub"]), float(claims["exp"])


async def authenticate(
    authorization: str, *, secret: str, callers: CallerCache | None = None
) -> Principal:
    """Resolve an `Authorization` header value; any bad credential is `Unauthenticated`.

    A session token's user row comes from `callers` when it holds it (services.callers says how
    it is kept true)."""
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("Authorization must be `Bearer <token>`.")
    if token.startswith(API_KEY_PREFIX):
        return await _authenticate_api_key(token)
    try:
        user_id, expires = _session_claims(token, secret)
    except (jwt.InvalidTokenError, ValueError) as exc:
        raise Unauthenticated(EXPIRED) from exc
    if expires <= _now():
        raise Unauthenticated(EXPIRED)
    user = await _user(user_id, callers)
    if user is None:
        raise Unauthenticated(EXPIRED)
    return Principal(user=user, scopes=SESSION_SCOPES, expires_at=expires)


async def _user(user_id: uuid.UUID, callers: CallerCache | None) -> User | None:
    row = callers.get(user_id) if callers is not None else None
    if row is None:
        version = callers.version if callers is not None else 0
        rows = await sql.fetch_rows("SELECT * FROM users WHERE id = ?", [user_id])
        if not rows:
            return None
        row = dict(rows[0])
        if callers is not None:
            callers.put(user_id, row, version)
    # A model of its own per request: nothing a request does to it reaches the cache.
    return User._init_from_db(**row)


EXPIRED = "The session token is invalid or has expired."
REVOKED = "The API key is invalid or has been revoked."


def key_channel(key_id: uuid.UUID) -> str:
    """The broker channel on which the revocation of API key `key_id` is announced."""
    return f"auth:key:{key_id}"


def seconds_left(principal: Principal) -> float | None:
    """How long the principal's session token stays valid; None for an API key."""
    return None if principal.expires_at is None else principal.expires_at - _now()


async def api_key_revoked(key_id: uuid.UUID) -> bool:
    """One statement: whether the key is revoked (or gone)."""
    found = await sql.fetch("SELECT revoked_at FROM api_keys WHERE id = ?", [key_id])
    return not found or found[0]["revoked_at"] is not None


async def recheck(principal: Principal) -> None:
    """Raise Unauthenticated when a credential accepted earlier no longer is: the session token
    has expired (no I/O), or the API key has been revoked (one statement). For long-lived
    connections, which authenticated once (a WebSocket)."""
    left = seconds_left(principal)
    if left is not None and left <= 0:
        raise Unauthenticated(EXPIRED)
    if principal.api_key_id is not None and await api_key_revoked(principal.api_key_id):
        raise Unauthenticated(REVOKED)


async def _authenticate_api_key(token: str) -> Principal:
    key = await ApiKey.get_or_none(key_hash=_digest(token), revoked_at=None).select_related("user")
    if key is None:
        raise Unauthenticated(REVOKED)
    now = datetime.now(UTC)
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        await ApiKey.filter(id=key.id).update(last_used_at=now)
        key.last_used_at = now
    return Principal(user=key.user, scopes=frozenset(key.scopes), api_key_id=key.id)


async def create_api_key(
    principal: Principal, name: str, scopes: list[str] | None
) -> tuple[ApiKey, str]:
    _require_session(principal)
    name = validation.title(name, "name")
    chosen = list(SCOPES) if scopes is None else scopes
    unknown = sorted(set(chosen) - set(SCOPES))
    if unknown or not chosen:
        raise InvalidInput(
            f"`scopes` must be a non-empty subset of {list(SCOPES)}.", field="scopes"
        )
    secret_part = secrets.token_urlsafe(32)
    prefix = secret_part[:8]
    token = f"{API_KEY_PREFIX}{prefix}_{secret_part}"
    async with transaction():
        # The user's row, locked: two creations at once must not both pass the limit.
        await User.filter(id=principal.user_id).select_for_update().first()
        if await ApiKey.filter(user_id=principal.user_id, revoked_at=None).count() >= MAX_API_KEYS:
            raise InvalidInput(
                f"A user has at most {MAX_API_KEYS} active API keys; revoke one first.",
                field="name",
            )
        key = await ApiKey.create(
            user_id=principal.user_id,
            name=name,
            prefix=f"{API_KEY_PREFIX}{prefix}",
            key_hash=_digest(token),
            scopes=[s for s in SCOPES if s in chosen],
        )
    return key, token


async def revoke_api_key(
    principal: Principal, key_id: uuid.UUID, broker: Broker | None = None
) -> bool:
    """After commit, announces the revocation on `key_channel(key_id)`: streams opened with the
    key end at once (resolvers.streams)."""
    _require_session(principal)
    async with transaction():
        key = await ApiKey.filter(id=key_id, user_id=principal.user_id).first()
        if key is None:
            raise NotFound("No such API key.")
        if key.revoked_at is None:
            await ApiKey.filter(id=key_id).update(revoked_at=datetime.now(UTC))
    if broker is not None:
        try:
            await broker.publish(key_channel(key_id), {"revoked": True})
        except Exception:
            # Revoked all the same: every new operation re-checks; only open streams miss it.
            log.warning("could not announce the revocation of API key %s", key_id, exc_info=True)
    return True


async def api_keys_for_users(
    user_ids: list[uuid.UUID], columns: sql.Columns = None
) -> list[list[sql.Row]]:
    """Each user's active API keys, newest first: one statement."""
    return await rows.children(
        ApiKey,
        "user_id",
        user_ids,
        columns,
        order="created_at DESC",
        needed=["created_at"],
        where="revoked_at IS NULL",
    )


def _require_session(principal: Principal) -> None:
    # An API key that could mint or revoke keys would outlive its own revocation.
    if principal.api_key_id is not None:
        raise Forbidden("API keys are managed with a session token, not with an API key.")


def _normalise_email(email: str) -> str:
    # Spaces around are trimmed; any other whitespace (a line break, a tab) makes it invalid.
    email = email.strip(" ").lower()
    if len(email) > 320 or not _EMAIL.fullmatch(email):
        raise InvalidInput("`email` is not a valid email address.", field="email")
    return email


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
