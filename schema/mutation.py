"""Root `Mutation`: each field validates nothing itself and delegates in one call."""

from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from resolvers import assets, jobs, projects, revisions, scenes, storyboards, users
from resolvers.context import Info
from schema.creative_mutation import CreativeMutation
from schema.enums import TaskType
from schema.inputs import (
    CreateAssetUploadInput,
    CreateJobInput,
    CreateProjectInput,
    CreateStoryboardInput,
    GenerateStoryboardInput,
    SceneInput,
    UpdateProjectInput,
    UpdateSceneInput,
    provided,
)
from schema.permissions import CanUseJobs, CanWrite
from schema.types.asset import Asset, AssetUpload
from schema.types.job import Job
from schema.types.project import Project
from schema.types.revision import StoryboardRevision
from schema.types.scene import Scene, SceneTask
from schema.types.storyboard import Storyboard
from schema.types.user import ApiKey, AuthPayload, CreatedApiKey, User
from schema.webhook_mutation import WebhookMutation

ATTEMPT = (
    "The `attempts` value claimJob returned; a stale holder gets CONFLICT. Without it, the "
    "credential that claimed the job is trusted to hold its current attempt."
)

# Scene edits and the generator take turns on the storyboard's lock; see services/scenes.py.
GENERATING = (
    "While the storyboard is GENERATING its scenes belong to the generator: CONFLICT "
    '("The storyboard is being generated; edit it when generation ends.").'
)


@strawberry.type
class Mutation(CreativeMutation, WebhookMutation):
    @strawberry.mutation(description="Password: at least 8 characters. A taken email is CONFLICT.")
    async def sign_up(
        self, info: Info, email: str, password: str, name: str | None = None
    ) -> AuthPayload:
        user, token = await users.sign_up(info.context, email=email, password=password, name=name)
        return AuthPayload(token=token, user=User.from_model(user))

    @strawberry.mutation(
        description="Wrong password and unknown email fail alike: UNAUTHENTICATED."
    )
    async def log_in(self, info: Info, email: str, password: str) -> AuthPayload:
        user, token = await users.log_in(info.context, email=email, password=password)
        return AuthPayload(token=token, user=User.from_model(user))

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description="scopes ⊆ [read, write, jobs]; default all three. Needs a session token.",
    )
    async def create_api_key(
        self, info: Info, name: str, scopes: list[str] | None = None
    ) -> CreatedApiKey:
        key, token = await users.create_api_key(info.context, name=name, scopes=scopes)
        return CreatedApiKey(key=token, api_key=ApiKey.from_model(key))

    @strawberry.mutation(permission_classes=[CanWrite], description="Needs a session token.")
    async def revoke_api_key(self, info: Info, id: strawberry.ID) -> bool:
        return await users.revoke_api_key(info.context, id=id)

    @strawberry.mutation(permission_classes=[CanWrite])
    async def create_project(self, info: Info, input: CreateProjectInput) -> Project:
        return Project.from_model(
            await projects.create_project(
                info.context, title=input.title, description=input.description, status=input.status
            )
        )

    @strawberry.mutation(permission_classes=[CanWrite])
    async def update_project(
        self, info: Info, id: strawberry.ID, input: UpdateProjectInput
    ) -> Project:
        return Project.from_model(
            await projects.update_project(info.context, id=id, changes=provided(input))
        )

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "Read-only from now on: every other mutation on the project or anything below it "
            "is CONFLICT until unarchiveProject. Archiving an archived project changes nothing "
            "and returns it, so a retry is safe. Its jobs are frozen: claimJob does not hand "
            "them out and their reports are CONFLICT."
        ),
    )
    async def archive_project(self, info: Info, id: strawberry.ID) -> Project:
        return Project.from_model(await projects.archive_project(info.context, id=id))

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "Puts back the status the project had when it was archived. CONFLICT when it is "
            "not archived."
        ),
    )
    async def unarchive_project(self, info: Info, id: strawberry.ID) -> Project:
        return Project.from_model(await projects.unarchive_project(info.context, id=id))

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description="Deletes the project and everything below it, stored media included.",
    )
    async def delete_project(self, info: Info, id: strawberry.ID) -> bool:
        return await projects.delete_project(info.context, id=id)

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description="A storyboard edited by hand: status COMPLETED, no scenes yet.",
    )
    async def create_storyboard(self, info: Info, input: CreateStoryboardInput) -> Storyboard:
        return Storyboard.from_model(
            await storyboards.create_storyboard(
                info.context,
                project_id=input.project_id,
                title=input.title,
                brief=input.brief,
                reference_urls=input.reference_urls or [],
            )
        )

    @strawberry.mutation(permission_classes=[CanWrite])
    async def delete_storyboard(self, info: Info, id: strawberry.ID) -> bool:
        return await storyboards.delete_storyboard(info.context, id=id)

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description="Records the storyboard as it is now as a USER revision. `label` 0..200 "
        "characters. Past 1,000 revisions the oldest USER revisions are deleted.",
    )
    async def save_storyboard_revision(
        self, info: Info, storyboard_id: strawberry.ID, label: str | None = None
    ) -> StoryboardRevision:
        return StoryboardRevision.from_model(
            await revisions.save_storyboard_revision(
                info.context, storyboard_id=storyboard_id, label=label
            )
        )

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description="Makes the storyboard's fields and scenes (keyframes and casts included) what "
        "they were in the revision, then records a RESTORE revision. Restored scenes get four "
        "new, uncompleted tasks; assets stay where they are (those of a scene the revision does "
        "not have stay on the storyboard). " + GENERATING,
    )
    async def restore_storyboard_revision(self, info: Info, id: strawberry.ID) -> Storyboard:
        return Storyboard.from_model(
            await revisions.restore_storyboard_revision(info.context, id=id)
        )

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description="Appends a scene (or inserts at position 1..n+1, renumbering those after it) "
        "and creates its four tasks. " + GENERATING,
    )
    async def add_scene(
        self,
        info: Info,
        storyboard_id: strawberry.ID,
        input: SceneInput,
        position: int | None = None,
    ) -> Scene:
        return Scene.from_model(
            await scenes.add_scene(
                info.context, storyboard_id=storyboard_id, values=provided(input), position=position
            )
        )

    @strawberry.mutation(permission_classes=[CanWrite], description=GENERATING)
    async def update_scene(self, info: Info, id: strawberry.ID, input: UpdateSceneInput) -> Scene:
        return Scene.from_model(
            await scenes.update_scene(info.context, id=id, values=provided(input))
        )

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description="Moves a scene to sceneNumber = position (1..n), renumbering the others; "
        "numbers stay 1..n without gaps. " + GENERATING,
    )
    async def move_scene(self, info: Info, id: strawberry.ID, position: int) -> Storyboard:
        return Storyboard.from_model(
            await scenes.move_scene(info.context, id=id, position=position)
        )

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description="Deletes the scene and its tasks, renumbering those after it. " + GENERATING,
    )
    async def delete_scene(self, info: Info, id: strawberry.ID) -> Storyboard:
        return Storyboard.from_model(await scenes.delete_scene(info.context, id=id))

    @strawberry.mutation(
        permission_classes=[CanWrite], description="Sets or clears completedAt. " + GENERATING
    )
    async def set_task_completed(
        self, info: Info, scene_id: strawberry.ID, task_type: TaskType, completed: bool
    ) -> SceneTask:
        return SceneTask.from_model(
            await scenes.set_task_completed(
                info.context, scene_id=scene_id, task_type=task_type, completed=completed
            )
        )

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description="Creates the storyboard (GENERATING) and a generate_storyboard job; the "
        "worker fills in scenes and tasks.",
    )
    async def generate_storyboard(self, info: Info, input: GenerateStoryboardInput) -> Job:
        return Job.from_model(
            await jobs.generate_storyboard(
                info.context,
                project_id=input.project_id,
                title=input.title,
                brief=input.brief,
                reference_urls=input.reference_urls or [],
                scene_count=input.scene_count,
                target_duration=input.target_duration,
                idempotency_key=input.idempotency_key,
            )
        )

    @strawberry.mutation(
        permission_classes=[CanUseJobs],
        description="Jobs for work done outside this service (render farms, voice providers). "
        "Needs the `jobs` scope.",
    )
    async def create_job(self, info: Info, input: CreateJobInput) -> Job:
        return Job.from_model(
            await jobs.create_job(
                info.context,
                project_id=input.project_id,
                storyboard_id=input.storyboard_id,
                kind=input.kind,
                payload=input.payload,
                max_attempts=input.max_attempts,
                stages=input.stages,
                priority=input.priority,
                idempotency_key=input.idempotency_key,
            )
        )

    @strawberry.mutation(
        permission_classes=[CanUseJobs],
        description="Leases the QUEUED job of one of these kinds with the highest priority, "
        "then the oldest, visible to the caller, or returns null. leaseSeconds 5..3600.",
    )
    async def claim_job(
        self, info: Info, kinds: list[str], lease_seconds: int | None = 60
    ) -> Job | None:
        found = await jobs.claim_job(info.context, kinds=kinds, lease_seconds=lease_seconds)
        return Job.from_model(found) if found else None

    @strawberry.mutation(
        permission_classes=[CanUseJobs],
        description="progress 0..100, never decreasing; extends the lease. Only the credential "
        "that claimed the job may report (else CONFLICT); built-in kinds only the built-in "
        "worker. `stage` enters that stage: with a plan it must be in the plan and not before "
        "the current one (BAD_USER_INPUT); the running stage ends SUCCEEDED and those skipped "
        "over SKIPPED. `details` go to the stage (last value wins).",
    )
    async def report_job_progress(
        self,
        info: Info,
        id: strawberry.ID,
        progress: int,
        stage: str | None = None,
        message: str | None = None,
        details: JSON | None = None,
        attempt: Annotated[int | None, strawberry.argument(description=ATTEMPT)] = None,
    ) -> Job:
        return Job.from_model(
            await jobs.report_job_progress(
                info.context,
                id=id,
                progress=progress,
                stage=stage,
                message=message,
                details=details,
                attempt=attempt,
            )
        )

    @strawberry.mutation(
        permission_classes=[CanUseJobs],
        description="Only the credential that claimed the job may complete it (else CONFLICT); "
        "built-in kinds only the built-in worker.",
    )
    async def complete_job(
        self,
        info: Info,
        id: strawberry.ID,
        result: JSON | None = None,
        attempt: Annotated[int | None, strawberry.argument(description=ATTEMPT)] = None,
    ) -> Job:
        return Job.from_model(
            await jobs.complete_job(info.context, id=id, result=result, attempt=attempt)
        )

    @strawberry.mutation(
        permission_classes=[CanUseJobs],
        description="retry=true puts it back in the queue while attempts < maxAttempts. Only the "
        "credential that claimed the job may fail it (else CONFLICT); built-in kinds only the "
        "built-in worker.",
    )
    async def fail_job(
        self,
        info: Info,
        id: strawberry.ID,
        error: str,
        retry: bool | None = False,
        details: JSON | None = None,
        attempt: Annotated[int | None, strawberry.argument(description=ATTEMPT)] = None,
    ) -> Job:
        return Job.from_model(
            await jobs.fail_job(
                info.context, id=id, error=error, retry=retry, details=details, attempt=attempt
            )
        )

    @strawberry.mutation(
        description="Cancels a QUEUED or RUNNING job (scope `write` or `jobs`); a running "
        "worker stops at its next progress report."
    )
    async def cancel_job(self, info: Info, id: strawberry.ID) -> Job:
        return Job.from_model(await jobs.cancel_job(info.context, id=id))

    @strawberry.mutation(
        description="A FAILED or CANCELLED job back to QUEUED with attempts 0 and its stages "
        "PENDING again; events go on with the next seq. Any other status: CONFLICT. Scope "
        "`write` or `jobs`."
    )
    async def retry_job(self, info: Info, id: strawberry.ID) -> Job:
        return Job.from_model(await jobs.retry_job(info.context, id=id))

    @strawberry.mutation(permission_classes=[CanWrite])
    async def create_asset_upload(self, info: Info, input: CreateAssetUploadInput) -> AssetUpload:
        asset, target = await assets.create_asset_upload(
            info.context,
            project_id=input.project_id,
            storyboard_id=input.storyboard_id,
            scene_id=input.scene_id,
            kind=input.kind,
            file_name=input.file_name,
            content_type=input.content_type,
            size_bytes=input.size_bytes,
            duration_seconds=input.duration_seconds,
            quality_score=input.quality_score,
            metadata=input.metadata,
            character_id=input.character_id,
            keyframe_id=input.keyframe_id,
            job_id=input.job_id,
            role=input.role,
            order_index=input.order_index,
            provider=input.provider,
            provider_ref=input.provider_ref,
            prompt=input.prompt,
            generation_params=input.generation_params,
            source_asset_ids=(
                [str(i) for i in input.source_asset_ids]
                if input.source_asset_ids is not None
                else None
            ),
            idempotency_key=input.idempotency_key,
        )
        return AssetUpload.from_target(asset, target)

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description="Verifies the object is stored with the announced size, then marks the "
        "asset READY.",
    )
    async def complete_asset_upload(self, info: Info, id: strawberry.ID) -> Asset:
        return Asset.from_model(await assets.complete_asset_upload(info.context, id=id))

    @strawberry.mutation(
        permission_classes=[CanWrite], description="Deletes the asset and its stored object."
    )
    async def delete_asset(self, info: Info, id: strawberry.ID) -> bool:
        return await assets.delete_asset(info.context, id=id)
