"""Durable jobs (generation, render, voice-over, ...), their stages, and each job's event log."""

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from models.fields import CheckedIntField, EnumField
from models.project import Project
from models.storyboard import Storyboard


class JobStatus(StrEnum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"

    @property
    def terminal(self) -> bool:
        return self in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)


class Job(Model):
    id = fields.UUIDField(primary_key=True)
    project: fields.ForeignKeyRelation[Project] = fields.ForeignKeyField(
        "models.Project", related_name="jobs", on_delete=fields.CASCADE, db_index=True
    )
    storyboard: fields.ForeignKeyNullableRelation[Storyboard] = fields.ForeignKeyField(
        "models.Storyboard",
        related_name="jobs",
        on_delete=fields.CASCADE,
        null=True,
        db_index=True,
    )
    kind = fields.CharField(max_length=100)
    status = EnumField(JobStatus, default=JobStatus.QUEUED)
    # claimJob takes the highest priority first, then the oldest.
    priority = CheckedIntField(minimum=-100, maximum=100, default=0, db_default=0)
    # Whether `stages` is a declared plan (enforced order) or the stages reported so far.
    planned = fields.BooleanField(default=False, db_default=False)
    stage = fields.CharField(max_length=200, null=True)
    progress = CheckedIntField(minimum=0, maximum=100, default=0)
    message = fields.TextField(null=True)
    # Any: Tortoise types a TextField as str even when it is nullable, and a retry clears it.
    error: Any = fields.TextField(null=True)
    error_details: Any = fields.JSONField(null=True)
    # The key createJob/generateStoryboard was called with (services.idempotency owns the rule).
    idempotency_key = fields.CharField(max_length=200, null=True)
    attempts = CheckedIntField(minimum=0, default=0)
    max_attempts = CheckedIntField(minimum=1, default=3)
    # seq of the newest JobEvent; each state change appends the event seq + 1 in its transaction.
    seq = CheckedIntField(minimum=0, default=0)
    payload: Any = fields.JSONField(null=True)
    result: Any = fields.JSONField(null=True)
    # A QUEUED job is claimable from run_after on (retry backoff).
    run_after = fields.DatetimeField()
    lease_seconds = CheckedIntField(minimum=0, default=0)
    lease_expires_at = fields.DatetimeField(null=True)
    # Who holds the current attempt: "key:<api key id>", "user:<user id>" (a session token) or
    # "worker" (the built-in worker). Only that holder may report, complete or fail it; None
    # while the job is QUEUED.
    claimed_by = fields.CharField(max_length=64, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    started_at = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    project_id: object
    storyboard_id: object

    class Meta:
        table = "jobs"
        indexes = (
            Index(fields=("status", "kind", "priority", "created_at")),
            Index(fields=("status", "lease_expires_at")),
            # JOB_RETENTION_DAYS: finished jobs, oldest first (services.retention).
            Index(fields=("status", "finished_at")),
            Index(fields=("project_id", "created_at")),
            Index(fields=("storyboard_id", "created_at")),
        )


class StageStatus(StrEnum):
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    SKIPPED = "SKIPPED"


class JobStage(Model):
    """One stage of a job: declared (its plan) or, for a job without a plan, as reported."""

    id = fields.UUIDField(primary_key=True)
    job: fields.ForeignKeyRelation[Job] = fields.ForeignKeyField(
        "models.Job", related_name="stages", on_delete=fields.CASCADE, db_index=True
    )
    ordinal = CheckedIntField(minimum=1)
    name = fields.CharField(max_length=100)
    status = EnumField(StageStatus, default=StageStatus.PENDING)
    started_at = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)
    # finished_at - started_at, kept so that stage statistics are plain SQL aggregates.
    duration_ms = fields.BigIntField(null=True)
    error: Any = fields.TextField(null=True)
    details: Any = fields.JSONField(null=True)

    job_id: object

    class Meta:
        table = "job_stages"
        unique_together = (("job_id", "ordinal"),)


class JobEvent(Model):
    id = fields.UUIDField(primary_key=True)
    job: fields.ForeignKeyRelation[Job] = fields.ForeignKeyField(
        "models.Job", related_name="events", on_delete=fields.CASCADE, db_index=True
    )
    seq = CheckedIntField(minimum=1)
    status = EnumField(JobStatus)
    stage = fields.CharField(max_length=200, null=True)
    progress = CheckedIntField(minimum=0, maximum=100)
    message = fields.TextField(null=True)
    at = fields.DatetimeField()

    job_id: object

    class Meta:
        table = "job_events"
        unique_together = (("job_id", "seq"),)
