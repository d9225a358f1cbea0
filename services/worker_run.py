"""What a job handler receives: its job, and a way to report that stops it when it must."""

from dataclasses import dataclass, field

from models import Job, JobEvent
from services import jobs
from services.broker import Broker
from services.errors import Conflict, NotFound


class JobStopped(Exception):
    """The job was cancelled, deleted, or its lease was lost: the handler must stop."""


@dataclass
class JobRun:
    job: Job
    broker: Broker
    attempt: int = field(init=False)

    def __post_init__(self) -> None:
        self.attempt = self.job.attempts

    async def report(self, progress: int, stage: str, message: str | None = None) -> None:
        """Record progress (extends the lease); raises JobStopped when the job must stop."""
        try:
            await jobs.report_progress(
                self.broker, None, self.job.id, progress, stage, message, attempt=self.attempt
            )
        except (Conflict, NotFound) as exc:
            raise JobStopped(str(exc)) from exc

    async def publish(self, event: JobEvent) -> None:
        await jobs.publish_events(self.broker, event)
