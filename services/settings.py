"""Typed configuration from environment variables, validated once at start-up."""

import logging
import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, NonNegativeInt, PositiveInt
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.errors import ConfigurationError
from services.storage import Storage, storage_from_url

log = logging.getLogger(__name__)

DEFAULT_DATABASE_URL = "sqlite://./data/storygraph.sqlite3"


class Settings(BaseSettings):
    """Every field is read from the upper-case environment variable of the same name."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    secret_key: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Path("./data")
    token_ttl_seconds: int = 7 * 24 * 3600
    # HTTP request bodies and WebSocket messages over this are refused (413; close 4400).
    max_body_bytes: int = 1024 * 1024
    # GraphQL documents over this many bytes of UTF-8 are refused before they are parsed, on
    # every transport (BAD_USER_INPUT, field "query"); the parser stops past MAX_QUERY_TOKENS.
    max_query_bytes: PositiveInt = 100 * 1024
    max_query_tokens: PositiveInt = 5000
    allowed_origins: list[str] = []
    log_level: str = "INFO"
    # json: one JSON object per line (one per GraphQL operation, see README); text: for humans.
    log_format: Literal["json", "text"] = "json"
    # Media: file://<folder> (embedded) or s3://<bucket>; AWS credentials come from the usual
    # AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables, read by boto itself.
    storage_url: str = "file://./data/media"
    s3_endpoint_url: str | None = None
    # Host that browsers reach S3 at, when it differs from S3_ENDPOINT_URL (presigned URLs).
    s3_public_endpoint_url: str | None = None
    aws_region: str = "us-east-1"
    # Base of the URLs this API hands out for local media; default http://HOST:PORT.
    public_url: str | None = None
    # Run the job worker inside the API process; unset: yes on SQLite, no on PostgreSQL.
    run_worker: bool | None = None
    # The built-in worker's lease; the same 5..3600 s bounds as claimJob(leaseSeconds).
    job_lease_seconds: int = Field(default=30, ge=5, le=3600)
    job_retry_base_seconds: float = 5.0
    worker_shutdown_grace_seconds: float = 10.0
    # Applied by the worker's periodic sweep, in days; 0 turns each off. ARCHIVE_AFTER_DAYS:
    # COMPLETED projects not changed for longer are archived (0, the default: never).
    archive_after_days: NonNegativeInt = 0
    # Activity events older than this are deleted (0: kept forever).
    activity_retention_days: NonNegativeInt = 365
    # Jobs finished longer ago are deleted with their events and stages; their assets stay.
    job_retention_days: NonNegativeInt = 90
    # Rate limits (0 = off): operations per minute per API key / user / anonymous address, and
    # logIn attempts per window per email and per client address. Counted in Redis when
    # REDIS_URL is set (shared by every process, keys under the prefix), else in process.
    rate_limit_per_minute: NonNegativeInt = 600
    login_limit_per_email: NonNegativeInt = 10
    login_limit_per_address: NonNegativeInt = 50
    login_limit_window_seconds: PositiveInt = 15 * 60
    rate_limit_key_prefix: str = "storygraph:ratelimit:"
    # Automatic persisted queries: registered documents kept (in Redis when REDIS_URL is set),
    # at most this many bytes of them; the least recently used leave first.
    persisted_queries_max_bytes: PositiveInt = 16 * 1024 * 1024
    persisted_queries_key_prefix: str = "storygraph:apq:"
    # How long a caller's user row is reused without a statement (services.callers); 0: never.
    caller_cache_seconds: float = Field(default=5.0, ge=0)
    # Pooled PostgreSQL connections per process.
    db_pool_max_size: int = Field(default=10, ge=1)
    # PostgreSQL ends sessions left `idle in transaction` longer than this (a backstop).
    db_idle_in_transaction_timeout_seconds: int = Field(default=60, ge=1)
    # Per query or mutation (README, Security): the most objects it may return (estimated
    # before it runs), how long it may run, how large its response may be.
    max_query_cost: PositiveInt = 5_000_000
    operation_timeout_seconds: float = Field(default=30.0, gt=0)
    max_response_bytes: PositiveInt = 10 * 1024 * 1024
    # When set, GET /metrics answers only `Authorization: Bearer <METRICS_TOKEN>` (the scraper).
    metrics_token: str | None = None
    # Webhooks (README, Webhooks): true lets webhook URLs resolve to private, loopback and
    # link-local addresses (receivers inside your own network; tests). A delivery not answered
    # with a 2xx within WEBHOOK_TIMEOUT_SECONDS is retried; the loop looks for work every
    # WEBHOOK_POLL_SECONDS and serves at most WEBHOOK_CONCURRENCY webhooks at once per worker.
    webhook_allow_private_networks: bool = False
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    webhook_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    webhook_concurrency: int = Field(default=10, ge=1, le=100)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def base_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"

    @property
    def embedded_worker(self) -> bool:
        return self.is_sqlite if self.run_worker is None else self.run_worker


def resolve_secret_key(settings: Settings) -> str:
    """Return SECRET_KEY, or in embedded (SQLite) mode the one kept under DATA_DIR, made once."""
    if settings.secret_key:
        return settings.secret_key
    if not settings.is_sqlite:
        raise ConfigurationError(
            "SECRET_KEY is not set. With a PostgreSQL DATABASE_URL every API process must share "
            "one SECRET_KEY. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    path = settings.data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    log.warning("SECRET_KEY not set: generated one and stored it in %s (embedded mode only)", path)
    return key


def storage_for(settings: Settings, secret: str) -> Storage:
    return storage_from_url(
        settings.storage_url,
        secret=secret,
        public_url=settings.base_url,
        s3_endpoint_url=settings.s3_endpoint_url,
        s3_public_endpoint_url=settings.s3_public_endpoint_url,
        region=settings.aws_region,
    )
