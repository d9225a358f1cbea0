"""Ownership: another user's objects behave exactly as if they did not exist.

User A owns a project → storyboard → two scenes (with tasks, one completed, and two assets: one
READY, one uploaded but still PENDING), an API key, and two jobs (one RUNNING with progress
reported, one QUEUED). User B, through a session token and
through an all-scopes API key, tries every query and mutation that takes an id on A's objects:
queries return `null`, mutations fail with `NOT_FOUND` (the very error a random id gets),
`claimJob` of A's job kind returns `null` (A's jobs are not B's to claim), nothing of A's leaks
into the response, and A's whole tree is byte-for-byte what it was before. A guard test fails
the suite when the schema gains an id-taking root field that the table below does not try.
"""

import json
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from graphql import (
    GraphQLArgument,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLObjectType,
    build_schema,
    get_named_type,
)

from tests.conftest import MakeApi
from tests.creative import SET_SCENE_CHARACTERS, add_keyframe, attach, create_character
from tests.helpers import Api, User, add_scene, create_project, create_storyboard, sign_up

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"

CREATE_API_KEY = """
mutation CreateApiKey($name: String!, $scopes: [String!]) {
  createApiKey(name: $name, scopes: $scopes) { key apiKey { id name prefix scopes } }
}
"""
SET_TASK_COMPLETED = """
mutation SetTaskCompleted($sceneId: ID!, $taskType: TaskType!, $completed: Boolean!) {
  setTaskCompleted(sceneId: $sceneId, taskType: $taskType, completed: $completed) {
    id taskType completed completedAt
  }
}
"""
UPDATE_SCENE = """
mutation UpdateScene($id: ID!, $input: UpdateSceneInput!) {
  updateScene(id: $id, input: $input) { id script textOverlay cameraAngle sceneType }
}
"""

CREATE_JOB = """
mutation CreateJob($input: CreateJobInput!) {
  createJob(input: $input) { id kind status seq project { id title } storyboard { id title } }
}
"""
CLAIM_JOB = """
mutation ClaimJob($kinds: [String!]!, $leaseSeconds: Int) {
  claimJob(kinds: $kinds, leaseSeconds: $leaseSeconds) {
    id kind status attempts seq payload project { id title }
  }
}
"""
REPORT_JOB_PROGRESS = """
mutation ReportJobProgress($id: ID!, $progress: Int!, $stage: String, $message: String) {
  reportJobProgress(id: $id, progress: $progress, stage: $stage, message: $message) {
    id status progress seq payload project { id title }
  }
}
"""

# Every scalar of A's graph, reached from `me`; compared byte-for-byte before and after.
TREE = """
query Tree {
  me {
    id email name image createdAt updatedAt
    apiKeys { id name prefix scopes createdAt lastUsedAt }
    projects(first: 2) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node {
          id title description status createdAt updatedAt
          owner { id email }
          storyboardCount
          progress { totalTasks completedTasks ratio }
          storyboards(first: 2) {
            totalCount
            pageInfo { hasNextPage endCursor }
            edges {
              cursor
              node {
                id title brief referenceUrls totalScenes totalDuration patternSource status
                generatedAt createdAt updatedAt version
                revisions(first: 5) {
                  totalCount
                  edges {
                    cursor
                    node {
                      id version label origin generationModel wordCount sceneCount
                      totalDuration snapshot createdAt storyboard { id }
                    }
                  }
                }
                project { id }
                progress { totalTasks completedTasks ratio }
                scenes {
                  id sceneNumber duration sceneType visualDescription script textOverlay
                  cameraAngle createdAt updatedAt
                  storyboard { id }
                  progress { totalTasks completedTasks ratio }
                  tasks { id taskType completed completedAt updatedAt scene { id } }
                  # Not `url`: a fresh signed, time-limited URL on every read.
                  assets {
                    id kind status fileName contentType sizeBytes durationSeconds qualityScore
                    metadata createdAt
                  }
                }
              }
            }
          }
          # B's attempts write no event into A's log (and read none).
          activity(first: 100) {
            totalCount
            edges { cursor node {
              seq at action entityType entityId changes actor { kind userId apiKeyId jobId }
            } }
          }
          jobs(first: 2) {
            totalCount
            pageInfo { hasNextPage endCursor }
            edges {
              cursor
              node {
                id kind status stage progress message error attempts maxAttempts seq
                payload result createdAt startedAt finishedAt
                project { id }
                storyboard { id }
                events { jobId seq status stage progress message at }
                priority errorDetails idempotencyKey
                stages { name status startedAt finishedAt durationMs error details }
                assets { id role orderIndex }
              }
            }
          }
          assets(first: 5) {
            totalCount
            edges {
              node {
                id role orderIndex provider providerRef prompt generationParams
                project { id } storyboard { id } scene { id } job { id } sources { id }
              }
            }
          }
          jobStats {
            kind total byStatus { status count }
            stages { name count succeeded failed skipped p50Ms p95Ms maxMs }
            p50DurationMs p95DurationMs
          }
        }
      }
    }
    jobs(first: 5) { totalCount edges { node { id status } } }
    jobStats { kind total byStatus { status count } stages { name count } }
  }
}
"""
# The creative model of A's graph (A has one project and one storyboard): a query of its own,
# as one with TREE would cost too much.
CREATIVE_TREE = """
query CreativeTree {
  me {
    webhooks {
      id url events active createdAt project { id }
      deliveries(first: 5) {
        totalCount
        edges {
          cursor
          node { id action seq attempts responseStatus deliveredAt nextAttemptAt error }
        }
      }
    }
    projects(first: 1) {
      edges {
        node {
          id updatedAt
          webhooks { id url }
          characters {
            id name description consistencyKey metadata createdAt updatedAt
            project { id }
            image { id fileName }
            assets { id status fileName character { id } keyframe { id } }
            scenes { id }
          }
          storyboards(first: 1) {
            edges {
              node {
                id
                scenes {
                  id
                  characters { id name }
                  keyframes {
                    id sequence description timingSeconds metadata createdAt updatedAt
                    scene { id }
                    image { id fileName keyframe { id } }
                    assets { id status fileName }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
"""
ME = """
query Me {
  me {
    id email
    apiKeys { id name }
    projects(first: 2) { totalCount edges { node { id title } } }
    jobs { totalCount edges { node { id } } }
    jobStats { kind total }
    webhooks { id }
  }
}
"""

PROJECT = """
query Project($id: ID!) {
  project(id: $id) {
    id title description status owner { id email } storyboardCount
    progress { totalTasks completedTasks ratio }
    storyboards { totalCount edges { node { id title scenes { id tasks { id completed } } } } }
  }
}
"""
STORYBOARD = """
query Storyboard($id: ID!) {
  storyboard(id: $id) {
    id title brief referenceUrls totalScenes project { id title owner { id email } }
    progress { totalTasks completedTasks ratio }
    scenes { id script tasks { id completed } }
  }
}
"""
SCENE = """
query Scene($id: ID!) {
  scene(id: $id) {
    id sceneNumber script visualDescription
    storyboard { id title project { id title } }
    tasks { id taskType completed completedAt }
    progress { totalTasks completedTasks ratio }
  }
}
"""
UPDATE_PROJECT = """
mutation UpdateProject($id: ID!, $input: UpdateProjectInput!) {
  updateProject(id: $id, input: $input) { id title description status }
}
"""
DELETE_PROJECT = """
mutation DeleteProject($id: ID!) { deleteProject(id: $id) }
"""
ARCHIVE_PROJECT = "mutation ArchiveProject($id: ID!) { archiveProject(id: $id) { id status } }"
UNARCHIVE_PROJECT = """
mutation UnarchiveProject($id: ID!) { unarchiveProject(id: $id) { id status } }
"""
CREATE_STORYBOARD = """
mutation CreateStoryboard($input: CreateStoryboardInput!) {
  createStoryboard(input: $input) { id title project { id title } }
}
"""
DELETE_STORYBOARD = """
mutation DeleteStoryboard($id: ID!) { deleteStoryboard(id: $id) }
"""
ADD_SCENE = """
mutation AddScene($storyboardId: ID!, $input: SceneInput!, $position: Int) {
  addScene(storyboardId: $storyboardId, input: $input, position: $position) {
    id sceneNumber storyboard { id title }
  }
}
"""
MOVE_SCENE = """
mutation MoveScene($id: ID!, $position: Int!) {
  moveScene(id: $id, position: $position) { id title scenes { id sceneNumber } }
}
"""
DELETE_SCENE = """
mutation DeleteScene($id: ID!) {
  deleteScene(id: $id) { id title totalScenes scenes { id sceneNumber } }
}
"""
REVOKE_API_KEY = """
mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) }
"""
JOB = """
query Job($id: ID!) {
  job(id: $id) {
    id kind status stage progress message error attempts seq payload result
    project { id title } storyboard { id title }
    events { jobId seq status stage message }
  }
}
"""
GENERATE_STORYBOARD = """
mutation GenerateStoryboard($input: GenerateStoryboardInput!) {
  generateStoryboard(input: $input) { id status project { id title } storyboard { id title } }
}
"""
COMPLETE_JOB = """
mutation CompleteJob($id: ID!, $result: JSON) {
  completeJob(id: $id, result: $result) { id status result payload project { id title } }
}
"""
FAIL_JOB = """
mutation FailJob($id: ID!, $error: String!, $retry: Boolean) {
  failJob(id: $id, error: $error, retry: $retry) { id status error payload project { id title } }
}
"""
REPORT_JOB_PROGRESS_DETAILS = """
mutation ReportJobProgress($id: ID!, $progress: Int!, $stage: String, $details: JSON) {
  reportJobProgress(id: $id, progress: $progress, stage: $stage, details: $details) {
    id stages { name status details }
  }
}
"""
FAIL_JOB_DETAILS = """
mutation FailJob($id: ID!, $error: String!, $details: JSON) {
  failJob(id: $id, error: $error, details: $details) { id status errorDetails }
}
"""
CANCEL_JOB = """
mutation CancelJob($id: ID!) {
  cancelJob(id: $id) { id status seq payload project { id title } }
}
"""
CREATE_ASSET_UPLOAD = """
mutation CreateAssetUpload($input: CreateAssetUploadInput!) {
  createAssetUpload(input: $input) {
    asset { id status fileName metadata } uploadUrl method headers
  }
}
"""
COMPLETE_ASSET_UPLOAD = """
mutation CompleteAssetUpload($id: ID!) {
  completeAssetUpload(id: $id) { id status fileName metadata url }
}
"""
DELETE_ASSET = """
mutation DeleteAsset($id: ID!) { deleteAsset(id: $id) }
"""
SAVE_STORYBOARD_REVISION = """
mutation SaveStoryboardRevision($storyboardId: ID!, $label: String) {
  saveStoryboardRevision(storyboardId: $storyboardId, label: $label) {
    id version snapshot storyboard { id title }
  }
}
"""
RESTORE_STORYBOARD_REVISION = """
mutation RestoreStoryboardRevision($id: ID!) {
  restoreStoryboardRevision(id: $id) { id title scenes { id script } revisions { totalCount } }
}
"""
SEARCH = """
query Search($q: String!, $projectId: ID) {
  search(query: $q, projectId: $projectId) {
    totalCount
    edges { cursor node { score snippet node { __typename ... on Project { id title } } } }
  }
}
"""
CHARACTER = """
query Character($id: ID!) {
  character(id: $id) {
    id name description consistencyKey metadata project { id title }
    image { id fileName } assets { id fileName } scenes { id script }
  }
}
"""
KEYFRAME = """
query Keyframe($id: ID!) {
  keyframe(id: $id) {
    id sequence description metadata scene { id script } image { id fileName } assets { id }
  }
}
"""
UPDATE_STORYBOARD = """
mutation UpdateStoryboard($id: ID!, $input: UpdateStoryboardInput!) {
  updateStoryboard(id: $id, input: $input) { id title brief patternSource }
}
"""
CREATE_CHARACTER = """
mutation CreateCharacter($input: CreateCharacterInput!) {
  createCharacter(input: $input) { id name project { id title } }
}
"""
UPDATE_CHARACTER = """
mutation UpdateCharacter($id: ID!, $input: UpdateCharacterInput!) {
  updateCharacter(id: $id, input: $input) { id name description consistencyKey }
}
"""
DELETE_CHARACTER = """
mutation DeleteCharacter($id: ID!) { deleteCharacter(id: $id) }
"""
SET_CHARACTER_IMAGE = """
mutation SetCharacterImage($id: ID!, $assetId: ID) {
  setCharacterImage(id: $id, assetId: $assetId) { id name image { id fileName } }
}
"""
ADD_KEYFRAME = """
mutation AddKeyframe($sceneId: ID!, $input: KeyframeInput!, $position: Int) {
  addKeyframe(sceneId: $sceneId, input: $input, position: $position) {
    id sequence scene { id script }
  }
}
"""
UPDATE_KEYFRAME = """
mutation UpdateKeyframe($id: ID!, $input: UpdateKeyframeInput!) {
  updateKeyframe(id: $id, input: $input) { id description timingSeconds }
}
"""
MOVE_KEYFRAME = """
mutation MoveKeyframe($id: ID!, $position: Int!) {
  moveKeyframe(id: $id, position: $position) { id keyframes { id sequence } }
}
"""
DELETE_KEYFRAME = """
mutation DeleteKeyframe($id: ID!) { deleteKeyframe(id: $id) { id keyframes { id } } }
"""
SET_KEYFRAME_IMAGE = """
mutation SetKeyframeImage($id: ID!, $assetId: ID) {
  setKeyframeImage(id: $id, assetId: $assetId) { id description image { id fileName } }
}
"""
NODE = """
query Node($id: ID!) {
  node(id: $id) {
    id __typename
    ... on Project { title }
    ... on Storyboard { title brief }
    ... on Scene { script }
    ... on Job { kind payload }
    ... on Asset { fileName metadata }
    ... on ApiKey { name prefix }
    ... on User { email }
  }
}
"""
NODES = """
query Nodes($ids: [ID!]!) {
  nodes(ids: $ids) { id __typename ... on Project { title } ... on Job { kind } }
}
"""
ASSET = """
query Asset($id: ID!) {
  asset(id: $id) {
    id fileName role metadata project { id title } storyboard { id title } scene { id script }
    job { id kind } sources { id fileName }
  }
}
"""
CREATE_WEBHOOK = """
mutation CreateWebhook($input: CreateWebhookInput!) {
  createWebhook(input: $input) { secret webhook { id url project { id } } }
}
"""
DELETE_WEBHOOK = """
mutation DeleteWebhook($id: ID!) { deleteWebhook(id: $id) }
"""
PING_WEBHOOK = """
mutation PingWebhook($id: ID!) { pingWebhook(id: $id) { id action seq attempts } }
"""
# A public address literal: checked without a resolver, never called (no worker runs here).
A_WEBHOOK_URL = "https://93.184.215.14/a-secret-hook"
RETRY_JOB = """
mutation RetryJob($id: ID!) {
  retryJob(id: $id) { id status seq payload project { id title } stages { name } }
}
"""
MEDIA_HOST = "http://test"


@dataclass(frozen=True)
class Ids:
    """The ids an attempt aims at: A's real objects, or random ones that never existed."""

    project: str
    storyboard: str
    scenes: tuple[str, str]
    api_key: str
    # A's RUNNING job, then A's QUEUED one.
    jobs: tuple[str, str]
    # The kind of both of A's jobs (what a claim aims at); a ghost's is a kind nobody queued.
    job_kind: str
    # A's READY asset, then A's PENDING one (its bytes uploaded, not yet completed).
    assets: tuple[str, str]
    # A's character (in the first scene's cast) and its chosen READY image.
    character: str
    character_asset: str
    # A's two keyframes of the first scene, and the first one's chosen READY image.
    keyframes: tuple[str, str]
    keyframe_asset: str
    # A's saved revision of the storyboard.
    revision: str
    # A's webhook on the project.
    webhook: str

    @classmethod
    def ghost(cls) -> "Ids":
        def new() -> str:
            return str(uuid.uuid4())

        return cls(
            new(),
            new(),
            (new(), new()),
            new(),
            (new(), new()),
            f"ghost-{uuid.uuid4().hex}",
            (new(), new()),
            new(),
            new(),
            (new(), new()),
            new(),
            new(),
            new(),
        )


@dataclass(frozen=True)
class World:
    a: User
    b: User
    b_key: str
    b_key_id: str
    ids: Ids
    # Every id and distinctive string of A's; none may appear in a response to B.
    secrets: tuple[str, ...]


@dataclass(frozen=True)
class Case:
    id: str
    document: str
    variables: Callable[[Ids], dict[str, Any]]
    # What B's API key gets; revokeApiKey refuses every API key before looking at the id.
    api_key_code: str = "NOT_FOUND"
    # claimJob takes no id (the guard does not ask for it) and refuses nothing: it answers
    # `null`, as it does when nothing is queued, because A's jobs are not B's to claim.
    takes_id: bool = True
    answers_null: bool = False
    # search answers an empty connection, as it does for a project without matching text.
    answers: dict[str, Any] | None = None
    # What a query answers on another user's ids (and on ids that never existed).
    nothing: Any = None

    @property
    def operation(self) -> str:
        return self.document.split(maxsplit=1)[0]

    @property
    def field(self) -> str:
        """The root field this case attacks: the first name after the variable list."""
        body = self.document[self.document.index("{") + 1 :]
        return body.strip().split("(", 1)[0].strip()


def planted_asset(project_id: str, **place: Any) -> dict[str, Any]:
    return {
        "projectId": project_id,
        "kind": "IMAGE",
        "fileName": "planted.png",
        "contentType": "image/png",
        "sizeBytes": 10,
        **place,
    }


CASES = [
    Case("project", PROJECT, lambda ids: {"id": ids.project}),
    Case("storyboard", STORYBOARD, lambda ids: {"id": ids.storyboard}),
    Case("scene", SCENE, lambda ids: {"id": ids.scenes[0]}),
    Case("scene-second", SCENE, lambda ids: {"id": ids.scenes[1]}),
    Case(
        "updateProject",
        UPDATE_PROJECT,
        lambda ids: {
            "id": ids.project,
            "input": {"title": "Hijacked", "description": None, "status": "COMPLETED"},
        },
    ),
    Case("deleteProject", DELETE_PROJECT, lambda ids: {"id": ids.project}),
    Case("archiveProject", ARCHIVE_PROJECT, lambda ids: {"id": ids.project}),
    Case("unarchiveProject", UNARCHIVE_PROJECT, lambda ids: {"id": ids.project}),
    Case(
        "createStoryboard",
        CREATE_STORYBOARD,
        lambda ids: {"input": {"projectId": ids.project, "title": "Planted", "brief": "B's."}},
    ),
    Case("deleteStoryboard", DELETE_STORYBOARD, lambda ids: {"id": ids.storyboard}),
    Case(
        "addScene",
        ADD_SCENE,
        lambda ids: {
            "storyboardId": ids.storyboard,
            "input": {"visualDescription": "Planted.", "duration": 7},
            "position": 1,
        },
    ),
    Case(
        "addScene-append",
        ADD_SCENE,
        lambda ids: {"storyboardId": ids.storyboard, "input": {"visualDescription": "Planted."}},
    ),
    Case(
        "updateScene",
        UPDATE_SCENE,
        lambda ids: {
            "id": ids.scenes[0],
            "input": {"script": "Hijacked", "duration": 99, "cameraAngle": None},
        },
    ),
    Case("moveScene", MOVE_SCENE, lambda ids: {"id": ids.scenes[0], "position": 2}),
    Case("deleteScene", DELETE_SCENE, lambda ids: {"id": ids.scenes[1]}),
    Case(
        "setTaskCompleted",
        SET_TASK_COMPLETED,
        lambda ids: {"sceneId": ids.scenes[1], "taskType": "EDITED", "completed": True},
    ),
    Case(
        "setTaskCompleted-clear",
        SET_TASK_COMPLETED,
        lambda ids: {"sceneId": ids.scenes[0], "taskType": "SCRIPT_WRITTEN", "completed": False},
    ),
    Case(
        "revokeApiKey",
        REVOKE_API_KEY,
        lambda ids: {"id": ids.api_key},
        api_key_code="FORBIDDEN",
    ),
    Case("job", JOB, lambda ids: {"id": ids.jobs[0]}),
    Case("job-queued", JOB, lambda ids: {"id": ids.jobs[1]}),
    Case(
        "generateStoryboard",
        GENERATE_STORYBOARD,
        lambda ids: {
            "input": {
                "projectId": ids.project,
                "title": "Planted",
                "brief": "B's.",
                "sceneCount": 2,
            }
        },
    ),
    Case(
        "createJob",
        CREATE_JOB,
        lambda ids: {"input": {"projectId": ids.project, "kind": ids.job_kind}},
    ),
    Case(
        "createJob-storyboard",
        CREATE_JOB,
        lambda ids: {
            "input": {"projectId": ids.project, "storyboardId": ids.storyboard, "kind": "render"}
        },
    ),
    Case(
        "claimJob",
        CLAIM_JOB,
        lambda ids: {"kinds": [ids.job_kind], "leaseSeconds": 60},
        takes_id=False,
        answers_null=True,
    ),
    Case(
        "reportJobProgress",
        REPORT_JOB_PROGRESS,
        lambda ids: {"id": ids.jobs[0], "progress": 99, "stage": "hijacked", "message": "B."},
    ),
    Case(
        "reportJobProgress-details",
        REPORT_JOB_PROGRESS_DETAILS,
        lambda ids: {"id": ids.jobs[0], "progress": 40, "stage": "muxing", "details": {"b": 1}},
    ),
    Case(
        "failJob-details",
        FAIL_JOB_DETAILS,
        lambda ids: {"id": ids.jobs[0], "error": "Sabotage.", "details": {"by": "B"}},
    ),
    Case("completeJob", COMPLETE_JOB, lambda ids: {"id": ids.jobs[0], "result": {"by": "B"}}),
    Case("failJob", FAIL_JOB, lambda ids: {"id": ids.jobs[0], "error": "Sabotage."}),
    Case(
        "failJob-retry",
        FAIL_JOB,
        lambda ids: {"id": ids.jobs[0], "error": "Sabotage.", "retry": True},
    ),
    Case("cancelJob", CANCEL_JOB, lambda ids: {"id": ids.jobs[0]}),
    Case("cancelJob-queued", CANCEL_JOB, lambda ids: {"id": ids.jobs[1]}),
    Case(
        "createAssetUpload",
        CREATE_ASSET_UPLOAD,
        lambda ids: {"input": planted_asset(ids.project)},
    ),
    Case(
        "createAssetUpload-scene",
        CREATE_ASSET_UPLOAD,
        lambda ids: {"input": planted_asset(ids.project, sceneId=ids.scenes[0])},
    ),
    Case(
        "createAssetUpload-storyboard",
        CREATE_ASSET_UPLOAD,
        lambda ids: {"input": planted_asset(ids.project, storyboardId=ids.storyboard)},
    ),
    Case(
        "createAssetUpload-character",
        CREATE_ASSET_UPLOAD,
        lambda ids: {"input": planted_asset(ids.project, characterId=ids.character)},
    ),
    Case(
        "createAssetUpload-keyframe",
        CREATE_ASSET_UPLOAD,
        lambda ids: {"input": planted_asset(ids.project, keyframeId=ids.keyframes[0])},
    ),
    Case("character", CHARACTER, lambda ids: {"id": ids.character}),
    Case("keyframe", KEYFRAME, lambda ids: {"id": ids.keyframes[0]}),
    Case(
        "updateStoryboard",
        UPDATE_STORYBOARD,
        lambda ids: {
            "id": ids.storyboard,
            "input": {"title": "Hijacked", "brief": "B's.", "patternSource": None},
        },
    ),
    Case(
        "createCharacter",
        CREATE_CHARACTER,
        lambda ids: {"input": {"projectId": ids.project, "name": "Planted", "description": ""}},
    ),
    Case(
        "updateCharacter",
        UPDATE_CHARACTER,
        lambda ids: {
            "id": ids.character,
            "input": {"name": "Hijacked", "consistencyKey": "b", "metadata": None},
        },
    ),
    Case("deleteCharacter", DELETE_CHARACTER, lambda ids: {"id": ids.character}),
    Case(
        "setSceneCharacters",
        SET_SCENE_CHARACTERS,
        lambda ids: {"sceneId": ids.scenes[0], "characterIds": []},
    ),
    Case(
        "setSceneCharacters-add",
        SET_SCENE_CHARACTERS,
        lambda ids: {"sceneId": ids.scenes[1], "characterIds": [ids.character]},
    ),
    Case(
        "setCharacterImage",
        SET_CHARACTER_IMAGE,
        lambda ids: {"id": ids.character, "assetId": None},
    ),
    Case(
        "setCharacterImage-asset",
        SET_CHARACTER_IMAGE,
        lambda ids: {"id": ids.character, "assetId": ids.character_asset},
    ),
    Case(
        "addKeyframe",
        ADD_KEYFRAME,
        lambda ids: {
            "sceneId": ids.scenes[0],
            "input": {"description": "Planted.", "timingSeconds": 1},
            "position": 1,
        },
    ),
    Case(
        "updateKeyframe",
        UPDATE_KEYFRAME,
        lambda ids: {
            "id": ids.keyframes[0],
            "input": {"description": "Hijacked", "timingSeconds": 9, "metadata": None},
        },
    ),
    Case("moveKeyframe", MOVE_KEYFRAME, lambda ids: {"id": ids.keyframes[0], "position": 2}),
    Case("deleteKeyframe", DELETE_KEYFRAME, lambda ids: {"id": ids.keyframes[1]}),
    Case(
        "setKeyframeImage",
        SET_KEYFRAME_IMAGE,
        lambda ids: {"id": ids.keyframes[0], "assetId": None},
    ),
    Case(
        "setKeyframeImage-asset",
        SET_KEYFRAME_IMAGE,
        lambda ids: {"id": ids.keyframes[1], "assetId": ids.keyframe_asset},
    ),
    Case("completeAssetUpload", COMPLETE_ASSET_UPLOAD, lambda ids: {"id": ids.assets[1]}),
    Case(
        "createAssetUpload-job",
        CREATE_ASSET_UPLOAD,
        lambda ids: {"input": planted_asset(ids.project, jobId=ids.jobs[0], role="clip")},
    ),
    Case(
        "createAssetUpload-sources",
        CREATE_ASSET_UPLOAD,
        lambda ids: {"input": planted_asset(ids.project, sourceAssetIds=[ids.assets[0]])},
    ),
    Case("asset", ASSET, lambda ids: {"id": ids.assets[0]}),
    Case("asset-pending", ASSET, lambda ids: {"id": ids.assets[1]}),
    Case("retryJob", RETRY_JOB, lambda ids: {"id": ids.jobs[0]}),
    Case("retryJob-queued", RETRY_JOB, lambda ids: {"id": ids.jobs[1]}),
    Case("deleteAsset", DELETE_ASSET, lambda ids: {"id": ids.assets[0]}),
    Case("deleteAsset-pending", DELETE_ASSET, lambda ids: {"id": ids.assets[1]}),
    Case(
        "saveStoryboardRevision",
        SAVE_STORYBOARD_REVISION,
        lambda ids: {"storyboardId": ids.storyboard, "label": "Planted"},
    ),
    Case(
        "restoreStoryboardRevision", RESTORE_STORYBOARD_REVISION, lambda ids: {"id": ids.revision}
    ),
    Case(
        "search",
        SEARCH,
        # Words of A's texts, in A's project.
        lambda ids: {"q": "secret confidential", "projectId": ids.project},
        answers={"totalCount": 0, "edges": []},
    ),
    Case(
        "search-everywhere",
        SEARCH,
        lambda ids: {"q": "A's opening shot"},
        takes_id=False,
        answers={"totalCount": 0, "edges": []},
    ),
    Case(
        "createWebhook",
        CREATE_WEBHOOK,
        lambda ids: {
            "input": {"url": "https://93.184.215.14/b", "events": ["*"], "projectId": ids.project}
        },
    ),
    Case("deleteWebhook", DELETE_WEBHOOK, lambda ids: {"id": ids.webhook}),
    Case("pingWebhook", PING_WEBHOOK, lambda ids: {"id": ids.webhook}),
    Case("node-project", NODE, lambda ids: {"id": ids.project}),
    Case("node-storyboard", NODE, lambda ids: {"id": ids.storyboard}),
    Case("node-scene", NODE, lambda ids: {"id": ids.scenes[0]}),
    Case("node-job", NODE, lambda ids: {"id": ids.jobs[0]}),
    Case("node-asset", NODE, lambda ids: {"id": ids.assets[1]}),
    Case("node-api-key", NODE, lambda ids: {"id": ids.api_key}),
    Case(
        "nodes",
        NODES,
        lambda ids: {"ids": [ids.project, ids.storyboard, *ids.scenes, *ids.jobs, *ids.assets]},
        nothing=[None] * 8,
    ),
]
CREDENTIALS = ["session", "api_key"]


@pytest.fixture
async def api(make_api: MakeApi, tmp_path: Path) -> AsyncIterator[Api]:
    """The app with its media in this test's own folder, served under the test client's host."""
    async with make_api(storage_url=f"file://{tmp_path / 'media'}", public_url=MEDIA_HOST) as api:
        yield api


async def tree_bytes(api: Api, token: str) -> bytes:
    contents = []
    for query in (TREE, CREATIVE_TREE):
        response = await api.client.post(
            "/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200, response.text
        assert "errors" not in response.json(), response.text
        contents.append(response.content)
    return b"\n".join(contents)


async def upload_asset(api: Api, user: User, scene_id: str, project_id: str, name: str) -> str:
    """An IMAGE on the scene with its bytes stored; still PENDING (nobody completed it)."""
    data = b"\x89PNG A's pixels"
    upload = (
        await api.gql(
            CREATE_ASSET_UPLOAD,
            user.token,
            input={
                "projectId": project_id,
                "sceneId": scene_id,
                "kind": "IMAGE",
                "fileName": name,
                "contentType": "image/png",
                "sizeBytes": len(data),
                "metadata": {"note": "A's still"},
            },
        )
    )["createAssetUpload"]
    assert upload["uploadUrl"].startswith(MEDIA_HOST)
    response = await api.client.request(
        upload["method"],
        upload["uploadUrl"].removeprefix(MEDIA_HOST),
        headers=upload["headers"],
        content=data,
    )
    assert response.status_code == 200, response.text
    asset_id: str = upload["asset"]["id"]
    return asset_id


async def build_world(api: Api) -> World:
    a = await sign_up(api)
    project = await create_project(
        api, a, title="A's secret project", description="A's plans, not for B."
    )
    storyboard = await create_storyboard(
        api, a, project, title="A's secret storyboard", brief="A's confidential brief."
    )
    first = await add_scene(api, a, storyboard, duration=4, description="A's opening shot.")
    second = await add_scene(api, a, storyboard, duration=6, description="A's closing shot.")
    await api.gql(
        UPDATE_SCENE,
        a.token,
        id=first,
        input={"script": "A's script.", "textOverlay": "A's overlay", "cameraAngle": "low"},
    )
    done = await api.gql(
        SET_TASK_COMPLETED, a.token, sceneId=first, taskType="SCRIPT_WRITTEN", completed=True
    )
    assert done["setTaskCompleted"]["completed"] is True
    a_key = (await api.gql(CREATE_API_KEY, a.token, name="A's partner key"))["createApiKey"]
    ready = await upload_asset(api, a, first, project, "a-secret-still.png")
    completed = await api.gql(COMPLETE_ASSET_UPLOAD, a.token, id=ready)
    assert completed["completeAssetUpload"]["status"] == "READY"
    pending = await upload_asset(api, a, second, project, "a-secret-draft.png")
    character = await create_character(
        api, a, project, "A's hero", description="A's secret hero.", metadata={"note": "A's"}
    )
    await api.gql(SET_SCENE_CHARACTERS, a.token, sceneId=first, characterIds=[character])
    character_asset = await attach(api, a, project, name="a-secret-face.png", characterId=character)
    await api.gql(SET_CHARACTER_IMAGE, a.token, id=character, assetId=character_asset)
    keyframes = (
        await add_keyframe(api, a, first, "A's first frame.", metadata={"note": "A's"}),
        await add_keyframe(api, a, first, "A's last frame.", timingSeconds=3.5),
    )
    keyframe_asset = await attach(
        api, a, project, name="a-secret-frame.png", keyframeId=keyframes[0]
    )
    await api.gql(SET_KEYFRAME_IMAGE, a.token, id=keyframes[0], assetId=keyframe_asset)
    kind = "render.a-secret"
    running = (
        await api.gql(
            CREATE_JOB,
            a.token,
            input={
                "projectId": project,
                "storyboardId": storyboard,
                "kind": kind,
                "payload": {"note": "A's render settings"},
                "stages": ["encoding", "muxing"],
                "priority": 5,
                "idempotencyKey": "a-secret-key",
            },
        )
    )["createJob"]["id"]
    claimed = await api.gql(CLAIM_JOB, a.token, kinds=[kind], leaseSeconds=3600)
    assert claimed["claimJob"]["id"] == running
    reported = await api.gql(
        REPORT_JOB_PROGRESS, a.token, id=running, progress=30, stage="encoding", message="A's."
    )
    assert reported["reportJobProgress"]["seq"] == 3
    produced = (
        await api.gql(
            CREATE_ASSET_UPLOAD,
            a.token,
            input=planted_asset(
                project,
                storyboardId=storyboard,
                jobId=running,
                role="clip",
                orderIndex=1,
                provider="A's provider",
                prompt="A's prompt",
                sourceAssetIds=[ready],
            ),
        )
    )["createAssetUpload"]["asset"]["id"]
    queued = (
        await api.gql(
            CREATE_JOB,
            a.token,
            input={"projectId": project, "kind": kind, "payload": {"note": "A's next render"}},
        )
    )["createJob"]
    assert queued["status"] == "QUEUED"

    revision = (
        await api.gql(
            SAVE_STORYBOARD_REVISION, a.token, storyboardId=storyboard, label="A's secret cut"
        )
    )["saveStoryboardRevision"]["id"]

    created_webhook = (
        await api.gql(
            CREATE_WEBHOOK,
            a.token,
            input={"url": A_WEBHOOK_URL, "events": ["job.*"], "projectId": project},
        )
    )["createWebhook"]
    webhook = created_webhook["webhook"]["id"]
    ping = (await api.gql(PING_WEBHOOK, a.token, id=webhook))["pingWebhook"]

    b = await sign_up(api)
    b_key = (await api.gql(CREATE_API_KEY, b.token, name="B's key"))["createApiKey"]
    assert b_key["apiKey"]["scopes"] == ["read", "write", "jobs"]

    tree = json.loads((await tree_bytes(api, a.token)).split(b"\n")[0])
    [project_node] = [edge["node"] for edge in tree["data"]["me"]["projects"]["edges"]]
    [storyboard_node] = [edge["node"] for edge in project_node["storyboards"]["edges"]]
    task_ids = [t["id"] for scene in storyboard_node["scenes"] for t in scene["tasks"]]
    assert len(task_ids) == 8
    assets = [
        (a["id"], a["status"]) for scene in storyboard_node["scenes"] for a in scene["assets"]
    ]
    assert assets == [(ready, "READY"), (pending, "PENDING")]
    jobs = [edge["node"] for edge in project_node["jobs"]["edges"]]
    assert [(j["id"], j["status"], j["seq"]) for j in jobs] == [
        (queued["id"], "QUEUED", 1),
        (running, "RUNNING", 3),
    ]
    secrets = (
        a.id,
        a.email,
        project,
        storyboard,
        first,
        second,
        *task_ids,
        a_key["apiKey"]["id"],
        a_key["apiKey"]["prefix"],
        running,
        queued["id"],
        kind,
        ready,
        pending,
        character,
        character_asset,
        *keyframes,
        keyframe_asset,
        revision,
        produced,
        webhook,
        ping["id"],
        created_webhook["secret"],
        "a-secret",
        "A's",
    )
    ids = Ids(
        project,
        storyboard,
        (first, second),
        a_key["apiKey"]["id"],
        (running, queued["id"]),
        kind,
        (ready, pending),
        character,
        character_asset,
        keyframes,
        keyframe_asset,
        revision,
        webhook,
    )
    return World(a, b, b_key["key"], b_key["apiKey"]["id"], ids, secrets)


def b_token(world: World, credential: str) -> str:
    return world.b.token if credential == "session" else world.b_key


def assert_leaks_nothing(body: dict[str, Any], world: World) -> None:
    text = json.dumps(body)
    leaked = [secret for secret in world.secrets if secret in text]
    assert leaked == [], body


async def attempt(api: Api, world: World, case: Case, credential: str) -> None:
    """B tries `case` on A's objects; it must look exactly like trying it on nothing."""
    token = b_token(world, credential)
    on_a = await api.post(case.document, token, **case.variables(world.ids))
    on_nothing = await api.post(case.document, token, **case.variables(Ids.ghost()))
    assert_leaks_nothing(on_a, world)
    if case.answers is not None:
        assert on_a == {"data": {case.field: case.answers}}
        assert on_nothing == {"data": {case.field: case.answers}}
        return
    if case.operation == "query" or case.answers_null:
        assert on_a == {"data": {case.field: case.nothing}}
        assert on_nothing == {"data": {case.field: case.nothing}}
        return
    assert on_a["data"] is None, on_a
    [error] = on_a.get("errors") or [None]
    assert error is not None, on_a
    expected = "NOT_FOUND" if credential == "session" else case.api_key_code
    assert error["extensions"]["code"] == expected, error
    assert error["path"] == [case.field]
    assert on_a == on_nothing


@pytest.mark.parametrize("credential", CREDENTIALS)
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
async def test_other_users_objects_do_not_exist(api: Api, case: Case, credential: str) -> None:
    world = await build_world(api)
    before = await tree_bytes(api, world.a.token)

    await attempt(api, world, case, credential)

    assert await tree_bytes(api, world.a.token) == before


async def test_every_attempt_in_a_row_leaves_the_tree_byte_for_byte_unchanged(api: Api) -> None:
    world = await build_world(api)
    before = await tree_bytes(api, world.a.token)

    for credential in CREDENTIALS:
        for case in CASES:
            await attempt(api, world, case, credential)

    assert await tree_bytes(api, world.a.token) == before


@pytest.mark.parametrize("credential", CREDENTIALS)
async def test_me_shows_none_of_another_users_objects(api: Api, credential: str) -> None:
    world = await build_world(api)

    body = await api.post(ME, b_token(world, credential))

    assert_leaks_nothing(body, world)
    keys = [{"id": world.b_key_id, "name": "B's key"}]
    assert body == {
        "data": {
            "me": {
                "id": world.b.id,
                "email": world.b.email,
                # API keys are listed to session tokens only.
                "apiKeys": keys if credential == "session" else [],
                "projects": {"totalCount": 0, "edges": []},
                "jobs": {"totalCount": 0, "edges": []},
                "jobStats": [],
                "webhooks": [],
            }
        }
    }


async def test_a_still_reaches_every_object_the_table_attacks(api: Api) -> None:
    """The attacks aim at live objects: with A's own session token each query finds its object."""
    world = await build_world(api)

    for case in CASES:
        if case.operation == "query" and case.answers is not None:
            data = await api.gql(case.document, world.a.token, **case.variables(world.ids))
            assert data[case.field]["totalCount"] >= 1, data
        elif case.operation == "query":
            variables = case.variables(world.ids)
            data = await api.gql(case.document, world.a.token, **variables)
            if "ids" in variables:
                assert [found["id"] for found in data[case.field]] == variables["ids"]
            else:
                assert data[case.field]["id"] == variables["id"]

    # Last, as it changes A's tree: the claim B attempts gets A's QUEUED job when A makes it.
    [claim] = [case for case in CASES if case.field == "claimJob"]
    data = await api.gql(claim.document, world.a.token, **claim.variables(world.ids))
    assert (data["claimJob"]["id"], data["claimJob"]["status"]) == (world.ids.jobs[1], "RUNNING")


def id_taking_root_fields() -> set[str]:
    """`Type.field` of every Query/Mutation field with an id argument, directly or in an input."""

    def is_id(name: str, arg: GraphQLArgument | GraphQLInputField, seen: set[str]) -> bool:
        named = get_named_type(arg.type)
        if name == "id" or name.endswith("Id") or named.name == "ID":
            return True
        if isinstance(named, GraphQLInputObjectType) and named.name not in seen:
            return any(is_id(n, f, seen | {named.name}) for n, f in named.fields.items())
        return False

    schema = build_schema(SCHEMA_FILE.read_text())
    found = set()
    for root in (schema.query_type, schema.mutation_type):
        assert isinstance(root, GraphQLObjectType)
        for name, field in root.fields.items():
            if any(is_id(arg_name, arg, set()) for arg_name, arg in field.args.items()):
                found.add(f"{root.name}.{name}")
    return found


def test_every_id_taking_root_field_has_an_isolation_case() -> None:
    covered = {
        f"{'Query' if c.operation == 'query' else 'Mutation'}.{c.field}"
        for c in CASES
        if c.takes_id
    }
    in_schema = id_taking_root_fields()

    assert in_schema - covered == set(), "add isolation cases for these fields"
    assert covered - in_schema == set(), "these cases attack fields the schema no longer has"


def test_the_guard_sees_ids_nested_in_inputs() -> None:
    in_schema = id_taking_root_fields()

    assert "Mutation.createStoryboard" in in_schema
    assert {"Query.me", "Mutation.signUp", "Mutation.createProject"} & in_schema == set()
