"""Durable jobs (generation, render, voice-over, ...) and the event log of each job."""

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
    stage = fields.CharField(max_length=200, null=True)
    progress = CheckedIntField(minimum=0, maximum=100, default=0)
    message = fields.TextField(null=True)
    error = fields.TextField(null=True)
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
            Index(fields=("status", "kind", "run_after")),
            Index(fields=("status", "lease_expires_at")),
            Index(fields=("project_id", "created_at")),
        )


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
