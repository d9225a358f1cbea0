"""The job worker: claims built-in jobs, runs their handlers, reaps expired leases.

Embedded mode runs it inside the API process; `python -m services.worker` (`make worker`) runs
it standalone, any number of them against one PostgreSQL. On SIGTERM a worker stops taking jobs,
gives its current job `shutdown_grace` seconds to finish, then releases its lease.
"""

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from models import Job
from services import activity, assets, jobs, metrics
from services.broker import Broker, Subscription
from services.errors import Conflict, DomainError, NotFound
from services.generation import generate
from services.generator import StoryboardProvider, TemplateProvider
from services.logs import configure_logging
from services.retention import Retention, apply_retention, retention_of
from services.storage import Storage
from services.worker_run import JobRun, JobStopped

log = logging.getLogger(__name__)

Handler = Callable[[JobRun], Awaitable[None]]

UNEXPECTED = "The job failed unexpectedly; the error was logged."


def _public_error(exc: Exception) -> str:
    """What a job's error (and its events, and every client) may say about `exc`.

    Domain errors are written for people; anything else may carry SQL, paths or secrets, so it
    stays in the log (with its traceback) and the job says only that it failed.
    """
    if isinstance(exc, DomainError):
        return exc.message[:2000] or UNEXPECTED
    return UNEXPECTED


def built_in_handlers(provider: StoryboardProvider) -> dict[str, Handler]:
    async def generate_storyboard(run: JobRun) -> None:
        await generate(run, provider)

    return {jobs.GENERATE_STORYBOARD: generate_storyboard}


@dataclass
class Worker:
    broker: Broker
    # For housekeeping: retrying stored-object deletions, removing abandoned uploads.
    storage: Storage | None = None
    handlers: dict[str, Handler] = field(
        default_factory=lambda: built_in_handlers(TemplateProvider())
    )
    policy: jobs.RetryPolicy = field(default_factory=jobs.RetryPolicy)
    lease_seconds: int = 30
    poll_seconds: float = 1.0
    shutdown_grace: float = 10.0
    sweep_seconds: float = 60.0
    # ARCHIVE_AFTER_DAYS, ACTIVITY_RETENTION_DAYS, JOB_RETENTION_DAYS, applied in the sweep.
    retention: Retention = field(default_factory=Retention)
    _next_sweep: float = field(default=0.0, init=False)

    async def run(self, stop: asyncio.Event) -> None:
        """Work until `stop` is set."""
        kinds = list(self.handlers)
        # Events of the jobs it ends (a lease that ran out) go out through its broker.
        activity.publish_through(self.broker)
        async with self.broker.subscribe(jobs.QUEUE_CHANNEL) as wake:
            while not stop.is_set():
                try:
                    await self._sweep()
                    await jobs.reap_expired_leases(self.broker, self.policy)
                    job = await jobs.claim_job(
                        self.broker, None, kinds, self.lease_seconds, allow_built_in=True
                    )
                except Exception:
                    log.exception("worker: could not reach the queue; retrying")
                    job = None
                if job is None:
                    await self._idle(wake, stop)
                else:
                    await self._execute(job, stop)

    async def _sweep(self) -> None:
        now = asyncio.get_running_loop().time()
        if now < self._next_sweep:
            return
        self._next_sweep = now + self.sweep_seconds
        if self.storage is not None:
            await assets.purge_objects(self.storage)
            await assets.clean_stale_uploads(self.storage)
        await apply_retention(self.retention, datetime.now(UTC))

    async def _idle(self, wake: Subscription, stop: asyncio.Event) -> None:
        waiters = {asyncio.ensure_future(anext(wake)), asyncio.ensure_future(stop.wait())}
        _, pending = await asyncio.wait(
            waiters, timeout=self.poll_seconds, return_when=asyncio.FIRST_COMPLETED
        )
        for waiter in pending:
            waiter.cancel()

    async def _execute(self, job: Job, stop: asyncio.Event) -> None:
        run = JobRun(job, self.broker)
        task = asyncio.create_task(self._handle(run), name=f"job-{job.id}")
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if task.done():
            if (error := task.exception()) is not None:
                log.error("worker: job %s crashed the handler wrapper", job.id, exc_info=error)
            return
        done, _ = await asyncio.wait({task}, timeout=self.shutdown_grace)
        if not done:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await jobs.release_job(self.broker, job.id, run.attempt)
            log.info("worker: released job %s on shutdown", job.id)

    async def _handle(self, run: JobRun) -> None:
        job = run.job
        # Its own task: what the handler changes is the worker's doing, on behalf of this job.
        activity.act_as(activity.worker(job.id))
        activity.publish_through(self.broker)
        started = time.perf_counter()
        outcome = "released"  # cancelled at shutdown, unless a branch below says otherwise
        try:
            await self.handlers[job.kind](run)
            outcome = "ok"
            # A handler must finish its job; one that just returns would leave it RUNNING until
            # its lease expires, hiding why. Fail it now, saying so (a no-op when it finished).
            with contextlib.suppress(Conflict, NotFound):
                await jobs.fail_job(
                    self.broker,
                    None,
                    job.id,
                    f"The {job.kind} handler returned without completing the job.",
                    retry=False,
                    policy=self.policy,
                    attempt=run.attempt,
                )
        except JobStopped as exc:
            outcome = "stopped"
            log.info("worker: job %s stopped: %s", job.id, exc)
        except Exception as exc:
            outcome = "error"
            log.exception("worker: job %s (%s) failed", job.id, job.kind)
            with contextlib.suppress(Conflict, NotFound):
                await jobs.fail_job(
                    self.broker,
                    None,
                    job.id,
                    _public_error(exc),
                    retry=False,
                    policy=self.policy,
                    attempt=run.attempt,
                )
        finally:
            metrics.JOB_RUN_SECONDS.labels(job.kind, outcome).observe(time.perf_counter() - started)


async def main() -> None:
    from tortoise import Tortoise

    from services.broker import broker_from_url
    from services.db import tortoise_config
    from services.settings import Settings, resolve_secret_key, storage_for
    from services.webhook_delivery import deliverer_for, finish

    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    config = tortoise_config(
        settings.database_url,
        idle_in_transaction_seconds=settings.db_idle_in_transaction_timeout_seconds,
        pool_max_size=settings.db_pool_max_size,
    )
    await Tortoise.init(config=config, _enable_global_fallback=True)
    broker = broker_from_url(settings.redis_url)
    storage = storage_for(settings, resolve_secret_key(settings))
    await broker.start()
    await storage.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    worker = Worker(
        broker,
        storage=storage,
        policy=jobs.RetryPolicy(base_seconds=settings.job_retry_base_seconds),
        lease_seconds=settings.job_lease_seconds,
        shutdown_grace=settings.worker_shutdown_grace_seconds,
        retention=retention_of(settings),
    )
    log.info("worker: started (kinds: %s)", ", ".join(worker.handlers))
    # Webhook deliveries run beside the jobs, as a task of their own: a long job never holds
    # them back (services.webhook_delivery).
    deliveries = asyncio.create_task(deliverer_for(settings, broker).run(stop), name="webhooks")
    try:
        await worker.run(stop)
    finally:
        stop.set()
        await finish(deliveries, settings.worker_shutdown_grace_seconds)
        await storage.stop()
        await broker.stop()
        await Tortoise.close_connections()
        log.info("worker: stopped")


if __name__ == "__main__":
    asyncio.run(main())
