"""No N+1: a whole user's graph costs the same number of SQL statements whatever its size.

The small tree is built through the API; the ten-times-larger one with Tortoise bulk inserts (the
same rows the services write). Only the measured query goes through HTTP.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from models import (
    Asset,
    AssetKind,
    AssetStatus,
    Character,
    CharacterImage,
    Keyframe,
    KeyframeImage,
    Project,
    Scene,
    SceneCharacter,
    SceneTask,
    Storyboard,
    TaskType,
)
from tests.helpers import (
    Api,
    StatementCounter,
    User,
    add_scene,
    create_project,
    create_storyboard,
    sign_up,
)

MAX_STATEMENTS = 15
TASK_TYPES = [t.value for t in TaskType]

ME_TREE = """
query MeTree {
  me {
    projects(first: 10) {
      totalCount
      edges {
        node {
          id title storyboardCount
          progress { totalTasks completedTasks ratio }
          storyboards(first: 10) {
            totalCount
            edges {
              node {
                id title totalScenes
                progress { totalTasks completedTasks ratio }
                scenes {
                  id sceneNumber
                  progress { totalTasks completedTasks ratio }
                  tasks { id taskType completed }
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
PROJECT_WALK_UP = """
query ProjectWalkUp($id: ID!) {
  project(id: $id) {
    storyboards(first: 100) {
      edges { node { scenes { tasks { scene { storyboard { project { id } } } } } } }
    }
  }
}
"""
SET_TASK_COMPLETED = """
mutation SetTaskCompleted($sceneId: ID!, $taskType: TaskType!, $completed: Boolean!) {
  setTaskCompleted(sceneId: $sceneId, taskType: $taskType, completed: $completed) { id }
}
"""


@dataclass
class SeededScene:
    id: str
    done: list[bool]  # per TaskType, in TaskType order


@dataclass
class SeededStoryboard:
    id: str
    title: str
    scenes: list[SeededScene]


@dataclass
class SeededProject:
    id: str
    title: str
    storyboards: list[SeededStoryboard]


def is_done(p: int, b: int, s: int, t: int) -> bool:
    """Which tasks are completed: about a third, spread unevenly over the tree."""
    return (7 * p + 5 * b + 3 * s + t) % 3 == 0


def shape(projects: int, storyboards: int, scenes: int) -> list[list[list[list[bool]]]]:
    """Completed flags per project/storyboard/scene/task, plus two empty edges of the graph:
    a storyboard without scenes in the first project and a project without storyboards."""
    tree = [
        [
            [[is_done(p, b, s, t) for t in range(len(TASK_TYPES))] for s in range(scenes)]
            for b in range(storyboards)
        ]
        for p in range(projects)
    ]
    tree[0].append([])
    tree.append([])
    return tree


async def seed_through_api(api: Api, user: User, tree: list[Any]) -> list[SeededProject]:
    seeded = []
    for p, storyboards in enumerate(tree):
        project = SeededProject(await create_project(api, user, f"P{p}"), f"P{p}", [])
        for b, scenes in enumerate(storyboards):
            title = f"P{p} S{b}"
            storyboard_id = await create_storyboard(api, user, project.id, title)
            storyboard = SeededStoryboard(storyboard_id, title, [])
            for done in scenes:
                scene = SeededScene(await add_scene(api, user, storyboard_id), done)
                for task_type, completed in zip(TASK_TYPES, done, strict=True):
                    if completed:
                        await api.gql(
                            SET_TASK_COMPLETED,
                            user.token,
                            sceneId=scene.id,
                            taskType=task_type,
                            completed=True,
                        )
                storyboard.scenes.append(scene)
            project.storyboards.append(storyboard)
        seeded.append(project)
    return seeded


async def seed_in_bulk(user: User, tree: list[Any], prefix: str = "") -> list[SeededProject]:
    """The rows the services would write (totals included), in four INSERTs."""
    now = datetime.now(UTC)
    projects, storyboards, scenes, tasks = [], [], [], []
    seeded = []
    for p, storyboard_shapes in enumerate(tree):
        project = Project(owner_id=uuid.UUID(user.id), title=f"{prefix}P{p}")
        projects.append(project)
        seeded_project = SeededProject(str(project.id), project.title, [])
        for b, scene_shapes in enumerate(storyboard_shapes):
            storyboard = Storyboard(
                project_id=project.id,
                title=f"{prefix}P{p} S{b}",
                brief="A brief.",
                reference_urls=[],
                total_scenes=len(scene_shapes),
                total_duration=5 * len(scene_shapes),
            )
            storyboards.append(storyboard)
            seeded_storyboard = SeededStoryboard(str(storyboard.id), storyboard.title, [])
            for number, done in enumerate(scene_shapes, 1):
                scene = Scene(
                    storyboard_id=storyboard.id,
                    scene_number=number,
                    duration=5,
                    visual_description="A wide shot.",
                )
                scenes.append(scene)
                seeded_storyboard.scenes.append(SeededScene(str(scene.id), done))
                tasks += [
                    SceneTask(
                        scene_id=scene.id,
                        task_type=TaskType(task_type),
                        completed=completed,
                        completed_at=now if completed else None,
                    )
                    for task_type, completed in zip(TASK_TYPES, done, strict=True)
                ]
            seeded_project.storyboards.append(seeded_storyboard)
        seeded.append(seeded_project)
    await Project.bulk_create(projects)
    await Storyboard.bulk_create(storyboards)
    await Scene.bulk_create(scenes)
    await SceneTask.bulk_create(tasks)
    return seeded


def progress(flags: list[bool]) -> dict[str, Any]:
    total, done = len(flags), sum(flags)
    return {"totalTasks": total, "completedTasks": done, "ratio": done / total if total else 0.0}


def all_flags(storyboards: list[SeededStoryboard]) -> list[bool]:
    return [flag for sb in storyboards for scene in sb.scenes for flag in scene.done]


def expected_tree(seeded: list[SeededProject]) -> dict[str, Any]:
    """The response, keyed by id where the API's order is by timestamp; task ids left out."""
    return {
        "totalCount": len(seeded),
        "projects": {
            p.id: {
                "title": p.title,
                "storyboardCount": len(p.storyboards),
                "progress": progress(all_flags(p.storyboards)),
                "storyboardsTotal": len(p.storyboards),
                "storyboards": {
                    sb.id: {
                        "title": sb.title,
                        "totalScenes": len(sb.scenes),
                        "progress": progress(all_flags([sb])),
                        "scenes": [
                            {
                                "id": scene.id,
                                "sceneNumber": number,
                                "progress": progress(scene.done),
                                "tasks": [
                                    {"taskType": t, "completed": c}
                                    for t, c in zip(TASK_TYPES, scene.done, strict=True)
                                ],
                            }
                            for number, scene in enumerate(sb.scenes, 1)
                        ],
                    }
                    for sb in p.storyboards
                },
            }
            for p in seeded
        },
    }


def received_tree(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The response in `expected_tree`'s shape, and every task id it holds."""
    task_ids: list[str] = []

    def scene(node: dict[str, Any]) -> dict[str, Any]:
        task_ids.extend(task["id"] for task in node["tasks"])
        tasks = [{k: v for k, v in task.items() if k != "id"} for task in node["tasks"]]
        return {**node, "tasks": tasks}

    def storyboard(node: dict[str, Any]) -> dict[str, Any]:
        return {
            "title": node["title"],
            "totalScenes": node["totalScenes"],
            "progress": node["progress"],
            "scenes": [scene(s) for s in node["scenes"]],
        }

    def project(node: dict[str, Any]) -> dict[str, Any]:
        edges = node["storyboards"]["edges"]
        return {
            "title": node["title"],
            "storyboardCount": node["storyboardCount"],
            "progress": node["progress"],
            "storyboardsTotal": node["storyboards"]["totalCount"],
            "storyboards": {e["node"]["id"]: storyboard(e["node"]) for e in edges},
        }

    projects = data["me"]["projects"]
    tree = {
        "totalCount": projects["totalCount"],
        "projects": {e["node"]["id"]: project(e["node"]) for e in projects["edges"]},
    }
    return tree, task_ids


def counts(seeded: list[SeededProject]) -> tuple[int, int, int, int]:
    storyboards = [sb for p in seeded for sb in p.storyboards]
    scenes = [scene for sb in storyboards for scene in sb.scenes]
    return len(seeded), len(storyboards), len(scenes), 4 * len(scenes)


def listing(statements: list[str]) -> str:
    return f"{len(statements)} statements:\n" + "\n".join(statements)


async def measure_me_tree(
    api: Api, user: User, count_statements: StatementCounter
) -> tuple[dict[str, Any], list[str]]:
    api.forget_callers()  # the caller's row read by each measured request
    with count_statements.measure() as statements:
        data = await api.gql(ME_TREE, user.token)
    return data, statements


async def test_a_users_whole_graph_costs_the_same_statements_at_ten_times_the_size(
    api: Api, count_statements: StatementCounter
) -> None:
    small_user, large_user = await sign_up(api), await sign_up(api)
    small = await seed_through_api(api, small_user, shape(2, 2, 3))
    large = await seed_in_bulk(large_user, shape(4, 5, 6))
    assert counts(small) == (3, 5, 12, 48)
    assert counts(large) == (5, 21, 120, 480)

    small_data, small_statements = await measure_me_tree(api, small_user, count_statements)
    large_data, large_statements = await measure_me_tree(api, large_user, count_statements)

    assert len(small_statements) <= MAX_STATEMENTS, listing(small_statements)
    assert len(large_statements) == len(small_statements), (
        f"small: {listing(small_statements)}\n\nlarge: {listing(large_statements)}"
    )
    for data, seeded in ((small_data, small), (large_data, large)):
        tree, task_ids = received_tree(data)
        assert tree == expected_tree(seeded)
        assert len(set(task_ids)) == counts(seeded)[3]


async def test_completed_counts_in_the_graph_match_what_was_seeded(
    api: Api, count_statements: StatementCounter
) -> None:
    """Spot values, so a wrong `expected_tree` cannot hide a wrong response."""
    user = await sign_up(api)
    seeded = await seed_in_bulk(user, shape(4, 5, 6))

    data, _ = await measure_me_tree(api, user, count_statements)

    tree, _ = received_tree(data)
    flags = all_flags([sb for p in seeded for sb in p.storyboards])
    assert (len(flags), sum(flags)) == (480, 162)
    empty = {"totalTasks": 0, "completedTasks": 0, "ratio": 0.0}
    first, *_, last = seeded
    assert tree["projects"][last.id]["storyboards"] == {}
    assert tree["projects"][last.id]["progress"] == empty
    assert tree["projects"][first.id]["storyboards"][first.storyboards[-1].id]["scenes"] == []
    assert tree["projects"][first.id]["storyboards"][first.storyboards[-1].id]["progress"] == empty
    assert tree["projects"][first.id]["storyboardCount"] == 6
    assert tree["projects"][first.id]["progress"] == {
        "totalTasks": 120,
        "completedTasks": 42,
        "ratio": 42 / 120,
    }


async def test_walking_back_up_from_tasks_costs_the_same_statements_at_ten_times_the_size(
    api: Api, count_statements: StatementCounter
) -> None:
    user = await sign_up(api)
    small, large = await seed_in_bulk(user, [[[[False] * 4] * 3] * 2, [[[True] * 4] * 10] * 6])
    assert [len(sb.scenes) for sb in small.storyboards] == [3, 3]
    assert [len(sb.scenes) for sb in large.storyboards] == [10] * 6

    measured = []
    for project in (small, large):
        api.forget_callers()
        with count_statements.measure() as statements:
            data = await api.gql(PROJECT_WALK_UP, user.token, id=project.id)
        measured.append(statements)
        scenes = [
            scene
            for edge in data["project"]["storyboards"]["edges"]
            for scene in edge["node"]["scenes"]
        ]
        assert len(scenes) == sum(len(sb.scenes) for sb in project.storyboards)
        walked = [
            task["scene"]["storyboard"]["project"]["id"] for s in scenes for task in s["tasks"]
        ]
        assert walked == [project.id] * 4 * len(scenes)

    small_statements, large_statements = measured
    assert len(small_statements) <= MAX_STATEMENTS, listing(small_statements)
    assert len(large_statements) == len(small_statements), (
        f"small: {listing(small_statements)}\n\nlarge: {listing(large_statements)}"
    )


CHARACTERS_TREE = """
query CharactersTree($id: ID!) {
  project(id: $id) {
    characters {
      id name consistencyKey
      project { id }
      image { id character { id } }
      assets { id character { id } }
      scenes { id sceneNumber }
    }
  }
}
"""
SCENES_TREE = """
query ScenesTree($id: ID!) {
  storyboard(id: $id) {
    scenes {
      id
      characters { id name }
      keyframes {
        id sequence
        scene { id }
        image { id keyframe { id } }
        assets { id }
      }
    }
  }
}
"""


async def seed_creative(
    user: User, scenes: int, keyframes: int, assets: int, characters: int
) -> tuple[str, str]:
    """A project with one storyboard whose every scene casts every character and has
    `keyframes` keyframes with `assets` images each (the first chosen); every character has one
    chosen image. Returns the project's and the storyboard's ids."""
    project = await Project.create(owner_id=uuid.UUID(user.id), title="Creative")
    cast = [
        Character(project_id=project.id, name=f"C{c}", description="", consistency_key=f"c{c}")
        for c in range(characters)
    ]
    board = Storyboard(project_id=project.id, title="S", brief="B.", reference_urls=[])
    scene_rows = [
        Scene(storyboard_id=board.id, scene_number=n, visual_description="x")
        for n in range(1, scenes + 1)
    ]
    frames = [
        Keyframe(scene_id=scene.id, sequence=k, description="f")
        for scene in scene_rows
        for k in range(1, keyframes + 1)
    ]

    def asset(**place: Any) -> Asset:
        asset_id = uuid.uuid4()
        return Asset(
            id=asset_id,
            project_id=project.id,
            kind=AssetKind.IMAGE,
            status=AssetStatus.READY,
            file_name="a.png",
            content_type="image/png",
            size_bytes=1,
            storage_key=f"k/{asset_id}",
            **place,
        )

    # bulk_create skips Asset.save, which would derive owner_key: given here.
    frame_assets = [
        asset(keyframe_id=f.id, scene_id=f.scene_id, owner_key=f.id)
        for f in frames
        for _ in range(assets)
    ]
    character_assets = [asset(character_id=c.id, owner_key=c.id) for c in cast]
    await Character.bulk_create(cast)
    await Storyboard.bulk_create([board])
    await Scene.bulk_create(scene_rows)
    await Keyframe.bulk_create(frames)
    await Asset.bulk_create(frame_assets + character_assets)
    await SceneCharacter.bulk_create(
        [SceneCharacter(scene_id=s.id, character_id=c.id) for s in scene_rows for c in cast]
    )
    await CharacterImage.bulk_create(
        [CharacterImage(character_id=a.character_id, asset_id=a.id) for a in character_assets]
    )
    await KeyframeImage.bulk_create(
        [KeyframeImage(keyframe_id=a.keyframe_id, asset_id=a.id) for a in frame_assets[::assets]]
    )
    return str(project.id), str(board.id)


async def test_the_creative_graph_costs_the_same_statements_at_ten_times_the_size(
    api: Api, count_statements: StatementCounter
) -> None:
    user = await sign_up(api)
    small = await seed_creative(user, scenes=2, keyframes=2, assets=1, characters=2)
    large = await seed_creative(user, scenes=20, keyframes=5, assets=2, characters=20)

    measured: list[list[list[str]]] = []
    for (project_id, storyboard_id), characters, scenes, assets in (
        (small, 2, 2, 1),
        (large, 20, 20, 2),
    ):
        api.forget_callers()
        with count_statements.measure() as by_character:
            data = await api.gql(CHARACTERS_TREE, user.token, id=project_id)
        cast = data["project"]["characters"]
        assert len(cast) == characters
        for character in cast:
            assert character["project"] == {"id": project_id}
            assert character["image"] == {
                "id": character["assets"][0]["id"],
                "character": {"id": character["id"]},
            }
            assert len(character["scenes"]) == scenes
        api.forget_callers()
        with count_statements.measure() as by_scene:
            data = await api.gql(SCENES_TREE, user.token, id=storyboard_id)
        found = data["storyboard"]["scenes"]
        assert len(found) == scenes
        for scene in found:
            assert len(scene["characters"]) == characters
            for keyframe in scene["keyframes"]:
                assert keyframe["scene"] == {"id": scene["id"]}
                assert keyframe["image"]["keyframe"] == {"id": keyframe["id"]}
                assert len(keyframe["assets"]) == assets
        measured.append([by_character, by_scene])

    for small_statements, large_statements in zip(*measured, strict=True):
        assert len(small_statements) <= MAX_STATEMENTS, listing(small_statements)
        assert len(large_statements) == len(small_statements), (
            f"small: {listing(small_statements)}\n\nlarge: {listing(large_statements)}"
        )


REVISIONS_TREE = """
query RevisionsTree($id: ID!) {
  project(id: $id) {
    storyboards(first: 100) {
      edges {
        node {
          id version
          revisions(first: 100) {
            totalCount
            pageInfo { hasNextPage endCursor }
            edges { cursor node { id version origin label wordCount storyboard { id title } } }
          }
        }
      }
    }
  }
}
"""


# --- the production pipeline: jobs with stages, assets with their job and sources -------------

PIPELINE_TREE = """
query PipelineTree {
  me {
    jobs(first: 100) {
      totalCount
      edges {
        node {
          id kind priority
          stages { name status durationMs }
          assets { id role orderIndex job { id } }
        }
      }
    }
    jobStats {
      kind total byStatus { status count }
      stages { name count succeeded p50Ms p95Ms maxMs }
      p50DurationMs p95DurationMs
    }
    projects(first: 10) {
      edges {
        node {
          jobStats { kind total stages { name count } }
          assets(first: 100) {
            totalCount
            edges {
              node {
                id role project { id } storyboard { id } job { id stages { name } }
                sources { id role }
              }
            }
          }
          storyboards(first: 10) {
            edges {
              node {
                jobs(first: 10) { totalCount edges { node { id assets { id } } } }
                assets(first: 10, role: "clip") { totalCount edges { node { id } } }
              }
            }
          }
        }
      }
    }
  }
}
"""


async def seed_revisions(project_id: str, storyboards: int, revisions: int) -> None:
    """`storyboards` storyboards of `revisions` revisions each, written as the service does."""
    from models import RevisionOrigin, StoryboardRevision

    start = datetime.now(UTC)
    boards = [
        Storyboard(project_id=project_id, title=f"Cut {i}", brief="B.", version=revisions)
        for i in range(storyboards)
    ]
    await Storyboard.bulk_create(boards)
    await StoryboardRevision.bulk_create(
        [
            StoryboardRevision(
                storyboard_id=board.id,
                version=version,
                origin=RevisionOrigin.USER,
                word_count=0,
                scene_count=0,
                total_duration=0,
                snapshot={},
                created_at=start + timedelta(microseconds=version),
            )
            for board in boards
            for version in range(1, revisions + 1)
        ]
    )


async def test_storyboard_revisions_cost_the_same_whatever_their_number(
    api: Api, count_statements: StatementCounter
) -> None:
    user = await sign_up(api)
    small_project = await create_project(api, user, title="Small")
    large_project = await create_project(api, user, title="Large")
    await seed_revisions(small_project, 1, 2)
    await seed_revisions(large_project, 10, 20)

    with count_statements.measure() as small:
        few = await api.gql(REVISIONS_TREE, user.token, id=small_project)
    with count_statements.measure() as large:
        many = await api.gql(REVISIONS_TREE, user.token, id=large_project)

    boards = many["project"]["storyboards"]["edges"]
    assert len(boards) == 10
    assert all(b["node"]["revisions"]["totalCount"] == 20 for b in boards)
    assert [e["node"]["version"] for e in boards[0]["node"]["revisions"]["edges"]] == list(
        range(20, 0, -1)
    )
    assert len(few["project"]["storyboards"]["edges"]) == 1
    assert len(large) == len(small) <= MAX_STATEMENTS, large


STAGE_NAMES = ["fetch", "render", "encode"]


async def seed_pipeline(user: User, projects: int, storyboards: int, jobs: int) -> int:
    """Per storyboard `jobs` SUCCEEDED jobs of three timed stages, each with a clip made from a
    keyframe image; returns the number of assets."""
    from models import Asset, AssetKind, AssetSource, Job, JobStage, JobStatus, StageStatus

    now = datetime.now(UTC)
    rows: dict[str, list[Any]] = {k: [] for k in ("p", "sb", "job", "stage", "asset", "source")}
    for p in range(projects):
        project = Project(owner_id=uuid.UUID(user.id), title=f"P{p}")
        rows["p"].append(project)
        for b in range(storyboards):
            storyboard = Storyboard(
                project_id=project.id, title=f"P{p} S{b}", brief="A brief.", reference_urls=[]
            )
            rows["sb"].append(storyboard)
            for j in range(jobs):
                job = Job(
                    project_id=project.id,
                    storyboard_id=storyboard.id,
                    kind="render",
                    status=JobStatus.SUCCEEDED,
                    planned=True,
                    run_after=now,
                    started_at=now,
                    finished_at=now,
                )
                rows["job"].append(job)
                rows["stage"] += [
                    JobStage(
                        job_id=job.id,
                        ordinal=i,
                        name=name,
                        status=StageStatus.SUCCEEDED,
                        started_at=now,
                        finished_at=now,
                        duration_ms=100 * i + j,
                    )
                    for i, name in enumerate(STAGE_NAMES, 1)
                ]
                image, clip = (
                    Asset(
                        project_id=project.id,
                        storyboard_id=storyboard.id,
                        job_id=job.id,
                        owner_key=storyboard.id,
                        role=role,
                        order_index=j + 1,
                        kind=AssetKind.IMAGE,
                        file_name=f"{role}.png",
                        content_type="image/png",
                        size_bytes=10,
                        storage_key=f"seed/{uuid.uuid4()}",
                    )
                    for role in ("keyframe_image", "clip")
                )
                rows["asset"] += [image, clip]
                rows["source"].append(AssetSource(asset_id=clip.id, source_id=image.id, ordinal=1))
    await Project.bulk_create(rows["p"])
    await Storyboard.bulk_create(rows["sb"])
    await Job.bulk_create(rows["job"])
    await JobStage.bulk_create(rows["stage"])
    await Asset.bulk_create(rows["asset"])
    await AssetSource.bulk_create(rows["source"])
    return len(rows["asset"])


async def test_the_pipeline_costs_the_same_statements_at_ten_times_the_size(
    api: Api, count_statements: StatementCounter
) -> None:
    small_user, large_user = await sign_up(api), await sign_up(api)
    assert await seed_pipeline(small_user, 1, 1, 2) == 4
    assert await seed_pipeline(large_user, 2, 3, 7) == 84

    measured = []
    for user, jobs in ((small_user, 2), (large_user, 42)):
        with count_statements.measure() as statements:
            data = await api.gql(PIPELINE_TREE, user.token)
        measured.append(statements)
        me = data["me"]
        assert me["jobs"]["totalCount"] == jobs
        for edge in me["jobs"]["edges"]:
            job = edge["node"]
            assert [s["name"] for s in job["stages"]] == STAGE_NAMES
            assert [a["role"] for a in job["assets"]] == ["clip", "keyframe_image"]
            assert {a["job"]["id"] for a in job["assets"]} == {job["id"]}
        [stats] = me["jobStats"]
        assert (stats["kind"], stats["total"]) == ("render", jobs)
        assert stats["byStatus"] == [{"status": "SUCCEEDED", "count": jobs}]
        assert [(s["name"], s["count"], s["succeeded"]) for s in stats["stages"]] == [
            (name, jobs, jobs) for name in STAGE_NAMES
        ]
        assert stats["p50DurationMs"] == 0
        projects = [e["node"] for e in me["projects"]["edges"]]
        assert sum(p["assets"]["totalCount"] for p in projects) == 2 * jobs
        for p in projects:
            assets = [e["node"] for e in p["assets"]["edges"]]
            roles = {a["id"]: a["role"] for a in assets}
            for a in assets:
                expected = ["keyframe_image"] if a["role"] == "clip" else []
                assert [roles[s["id"]] for s in a["sources"]] == expected
                assert a["job"]["stages"] == [{"name": name} for name in STAGE_NAMES]
        assert sum(p["jobStats"][0]["total"] for p in projects) == jobs

    small_statements, large_statements = measured
    assert len(small_statements) <= 2 * MAX_STATEMENTS, listing(small_statements)
    assert len(large_statements) == len(small_statements), (
        f"small: {listing(small_statements)}\n\nlarge: {listing(large_statements)}"
    )


ACTIVITY_TREE = """
query ActivityTree {
  me {
    projects(first: 20) {
      edges { node { id
        activity(first: 30) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { cursor node {
            seq at action entityType entityId changes actor { kind userId apiKeyId jobId }
          } }
        }
      } }
    }
  }
}
"""


async def seed_activity(user: User, projects: int, events: int) -> None:
    """`projects` projects of `events` events each (the rows services.activity.record writes)."""
    from models import ActivityEvent, ActorKind

    now = datetime.now(UTC)
    owner = uuid.UUID(user.id)
    rows = [Project(owner_id=owner, title=f"P{p}", activity_seq=events) for p in range(projects)]
    await Project.bulk_create(rows)
    await ActivityEvent.bulk_create(
        [
            ActivityEvent(
                project_id=project.id,
                seq=seq,
                at=now + timedelta(microseconds=seq),
                action="scene.updated",
                entity_type="Scene",
                entity_id=uuid.uuid4(),
                changes={"script": {"old": None, "new": f"take {seq}"}},
                actor_kind=ActorKind.USER,
                actor_user_id=owner,
            )
            for project in rows
            for seq in range(1, events + 1)
        ]
    )


async def test_project_activity_costs_the_same_statements_at_ten_times_the_size(
    api: Api, count_statements: StatementCounter
) -> None:
    small_user, large_user = await sign_up(api), await sign_up(api)
    await seed_activity(small_user, 1, 3)
    await seed_activity(large_user, 10, 40)

    with count_statements.measure() as small:
        few = await api.gql(ACTIVITY_TREE, small_user.token)
    with count_statements.measure() as large:
        many = await api.gql(ACTIVITY_TREE, large_user.token)

    projects = many["me"]["projects"]["edges"]
    assert len(projects) == 10
    for edge in projects:
        activity = edge["node"]["activity"]
        assert activity["totalCount"] == 40
        assert activity["pageInfo"]["hasNextPage"] is True
        assert [e["node"]["seq"] for e in activity["edges"]] == list(range(40, 10, -1))
        assert activity["edges"][0]["node"]["actor"] == {
            "kind": "USER",
            "userId": large_user.id,
            "apiKeyId": None,
            "jobId": None,
        }
    assert few["me"]["projects"]["edges"][0]["node"]["activity"]["totalCount"] == 3
    assert len(large) == len(small) <= MAX_STATEMENTS, large
