"""Projects and storyboards: CRUD, limits, cascades, connections and progress (API.md)."""

from datetime import datetime
from typing import Any

from models import Project, Scene, SceneTask, Storyboard, StoryboardStatus
from tests.helpers import (
    Api,
    User,
    add_scene,
    create_project,
    create_storyboard,
    sign_up,
)

CREATE_PROJECT = """
mutation CreateProject($input: CreateProjectInput!) {
  createProject(input: $input) {
    id title description status createdAt updatedAt owner { id email } storyboardCount
    progress { totalTasks completedTasks ratio }
  }
}
"""
UPDATE_PROJECT = """
mutation UpdateProject($id: ID!, $input: UpdateProjectInput!) {
  updateProject(id: $id, input: $input) { id title description status createdAt updatedAt }
}
"""
DELETE_PROJECT = "mutation DeleteProject($id: ID!) { deleteProject(id: $id) }"
PROJECT = """
query Project($id: ID!) {
  project(id: $id) { id title description status createdAt updatedAt storyboardCount }
}
"""
MY_PROJECTS = """
query MyProjects($first: Int, $after: String, $status: ProjectStatus) {
  me {
    projects(first: $first, after: $after, status: $status) {
      totalCount
      edges { cursor node { id title status updatedAt } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""
PROJECT_STORYBOARDS = """
query ProjectStoryboards($id: ID!, $first: Int, $after: String, $status: StoryboardStatus) {
  project(id: $id) {
    storyboardCount
    storyboards(first: $first, after: $after, status: $status) {
      totalCount
      edges { cursor node { id title status } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""
CREATE_STORYBOARD = """
mutation CreateStoryboard($input: CreateStoryboardInput!) {
  createStoryboard(input: $input) {
    id title brief referenceUrls totalScenes totalDuration status patternSource generatedAt
    project { id } scenes { id } progress { totalTasks completedTasks ratio }
  }
}
"""
DELETE_STORYBOARD = "mutation DeleteStoryboard($id: ID!) { deleteStoryboard(id: $id) }"
STORYBOARD = "query Storyboard($id: ID!) { storyboard(id: $id) { id title } }"
SCENE = "query Scene($id: ID!) { scene(id: $id) { id } }"
PROGRESS = """
query Progress($projectId: ID!, $storyboardId: ID!, $sceneId: ID!) {
  project(id: $projectId) { progress { totalTasks completedTasks ratio } }
  storyboard(id: $storyboardId) { progress { totalTasks completedTasks ratio } }
  scene(id: $sceneId) { progress { totalTasks completedTasks ratio } }
}
"""
PROJECT_PROGRESS = """
query ProjectProgress($id: ID!) {
  project(id: $id) {
    progress { totalTasks completedTasks ratio }
    storyboards { edges { node { id progress { totalTasks completedTasks ratio }
      scenes { id progress { totalTasks completedTasks ratio } } } } }
  }
}
"""
SET_TASK_COMPLETED = """
mutation SetTaskCompleted($sceneId: ID!, $taskType: TaskType!, $completed: Boolean!) {
  setTaskCompleted(sceneId: $sceneId, taskType: $taskType, completed: $completed) {
    taskType completed
  }
}
"""


def progress(total: int, completed: int) -> dict[str, Any]:
    return {
        "totalTasks": total,
        "completedTasks": completed,
        "ratio": completed / total if total else 0.0,
    }


async def project_state(api: Api, user: User, project_id: str) -> dict[str, Any]:
    data = await api.gql(PROJECT, user.token, id=project_id)
    state: dict[str, Any] = data["project"]
    return state


async def my_projects(api: Api, user: User, **variables: Any) -> dict[str, Any]:
    data = await api.gql(MY_PROJECTS, user.token, **variables)
    connection: dict[str, Any] = data["me"]["projects"]
    return connection


async def set_task(api: Api, user: User, scene_id: str, task_type: str, completed: bool) -> None:
    await api.gql(
        SET_TASK_COMPLETED, user.token, sceneId=scene_id, taskType=task_type, completed=completed
    )


def when(value: str) -> datetime:
    return datetime.fromisoformat(value)


def node_ids(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["id"] for edge in connection["edges"]]


# --- createProject / updateProject --------------------------------------------------------------


async def test_create_project_returns_it_with_defaults(api: Api) -> None:
    user = await sign_up(api)

    data = await api.gql(CREATE_PROJECT, user.token, input={"title": "Launch"})

    project = data["createProject"]
    assert project["title"] == "Launch"
    assert project["description"] is None
    assert project["status"] == "ACTIVE"
    assert project["owner"] == {"id": user.id, "email": user.email}
    assert project["storyboardCount"] == 0
    assert project["progress"] == progress(0, 0)
    assert project["createdAt"].endswith("+00:00")
    assert project["updatedAt"].endswith("+00:00")
    assert await project_state(api, user, project["id"]) == {
        "id": project["id"],
        "title": "Launch",
        "description": None,
        "status": "ACTIVE",
        "createdAt": project["createdAt"],
        "updatedAt": project["updatedAt"],
        "storyboardCount": 0,
    }


async def test_create_project_with_every_field(api: Api) -> None:
    user = await sign_up(api)

    data = await api.gql(
        CREATE_PROJECT,
        user.token,
        input={"title": "T" * 500, "description": "About it.", "status": "DRAFT"},
    )

    project = data["createProject"]
    assert (project["title"], project["description"], project["status"]) == (
        "T" * 500,
        "About it.",
        "DRAFT",
    )


async def test_create_project_with_a_bad_title_is_bad_input_and_creates_nothing(api: Api) -> None:
    user = await sign_up(api)

    for title in ("", "x" * 501):
        error = await api.gql_error(CREATE_PROJECT, user.token, input={"title": title})

        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert error["extensions"]["field"] == "title"
    assert await Project.all().count() == 0
    assert (await my_projects(api, user))["totalCount"] == 0


async def test_update_project_changes_only_the_fields_sent(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user, title="Old", description="Keep me")
    before = await project_state(api, user, project_id)

    data = await api.gql(UPDATE_PROJECT, user.token, id=project_id, input={"title": "New"})

    updated = data["updateProject"]
    assert (updated["title"], updated["description"], updated["status"]) == (
        "New",
        "Keep me",
        "ACTIVE",
    )
    assert updated["createdAt"] == before["createdAt"]
    assert when(updated["updatedAt"]) > when(before["updatedAt"])

    data = await api.gql(UPDATE_PROJECT, user.token, id=project_id, input={"status": "COMPLETED"})
    updated = data["updateProject"]
    assert (updated["title"], updated["description"], updated["status"]) == (
        "New",
        "Keep me",
        "COMPLETED",
    )
    state = await project_state(api, user, project_id)
    assert (state["title"], state["description"], state["status"]) == (
        "New",
        "Keep me",
        "COMPLETED",
    )


async def test_update_project_with_description_null_clears_it(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user, title="Titled", description="Remove me")

    data = await api.gql(UPDATE_PROJECT, user.token, id=project_id, input={"description": None})

    assert data["updateProject"]["description"] is None
    assert data["updateProject"]["title"] == "Titled"
    state = await project_state(api, user, project_id)
    assert (state["title"], state["description"]) == ("Titled", None)


async def test_update_project_with_an_empty_input_changes_nothing_visible(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user, title="Same", description="Same too")

    data = await api.gql(UPDATE_PROJECT, user.token, id=project_id, input={})

    updated = data["updateProject"]
    assert (updated["title"], updated["description"], updated["status"]) == (
        "Same",
        "Same too",
        "ACTIVE",
    )


async def test_update_project_with_a_bad_title_is_bad_input_and_changes_nothing(
    api: Api,
) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user, title="Keep", description="Described")
    before = await project_state(api, user, project_id)

    for title in ("", "x" * 501):
        error = await api.gql_error(
            UPDATE_PROJECT,
            user.token,
            id=project_id,
            input={"title": title, "description": "Changed", "status": "ARCHIVED"},
        )

        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert error["extensions"]["field"] == "title"
        assert await project_state(api, user, project_id) == before


async def test_update_project_accepts_a_title_of_500_characters(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)

    data = await api.gql(UPDATE_PROJECT, user.token, id=project_id, input={"title": "y" * 500})

    assert data["updateProject"]["title"] == "y" * 500


# --- ownership ----------------------------------------------------------------------------------


async def test_another_users_project_behaves_as_if_it_did_not_exist(api: Api) -> None:
    owner = await sign_up(api)
    stranger = await sign_up(api)
    project_id = await create_project(api, owner, title="Private")
    storyboard_id = await create_storyboard(api, owner, project_id)
    before = await project_state(api, owner, project_id)

    assert await api.gql(PROJECT, stranger.token, id=project_id) == {"project": None}
    assert await api.gql(STORYBOARD, stranger.token, id=storyboard_id) == {"storyboard": None}
    for mutation, variables in (
        (UPDATE_PROJECT, {"id": project_id, "input": {"title": "Mine now"}}),
        (DELETE_PROJECT, {"id": project_id}),
        (DELETE_STORYBOARD, {"id": storyboard_id}),
        (
            CREATE_STORYBOARD,
            {"input": {"projectId": project_id, "title": "Intruder", "brief": "B"}},
        ),
    ):
        error = await api.gql_error(mutation, stranger.token, **variables)
        assert error["extensions"]["code"] == "NOT_FOUND"

    assert await project_state(api, owner, project_id) == before
    assert (await my_projects(api, stranger))["totalCount"] == 0


# --- deleteProject ------------------------------------------------------------------------------


async def test_delete_project_removes_everything_below_it(api: Api) -> None:
    user = await sign_up(api)
    doomed = await create_project(api, user, title="Doomed")
    kept = await create_project(api, user, title="Kept")
    doomed_boards = [await create_storyboard(api, user, doomed) for _ in range(2)]
    doomed_scenes = [await add_scene(api, user, doomed_boards[0]) for _ in range(2)]
    doomed_scenes.append(await add_scene(api, user, doomed_boards[1]))
    kept_board = await create_storyboard(api, user, kept)
    kept_scene = await add_scene(api, user, kept_board)
    assert await Storyboard.all().count() == 3
    assert await Scene.all().count() == 4
    assert await SceneTask.all().count() == 16

    assert await api.gql(DELETE_PROJECT, user.token, id=doomed) == {"deleteProject": True}

    assert await Project.filter(id=doomed).count() == 0
    assert await Storyboard.filter(project_id=doomed).count() == 0
    assert await Scene.filter(id__in=doomed_scenes).count() == 0
    assert await SceneTask.filter(scene_id__in=doomed_scenes).count() == 0
    assert await Project.all().count() == 1
    assert await Storyboard.all().count() == 1
    assert await Scene.all().count() == 1
    assert await SceneTask.all().count() == 4
    assert await api.gql(PROJECT, user.token, id=doomed) == {"project": None}
    for board in doomed_boards:
        assert await api.gql(STORYBOARD, user.token, id=board) == {"storyboard": None}
    assert await api.gql(SCENE, user.token, id=kept_scene) == {"scene": {"id": kept_scene}}
    assert node_ids(await my_projects(api, user)) == [kept]


async def test_delete_project_twice_is_not_found(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    await api.gql(DELETE_PROJECT, user.token, id=project_id)

    error = await api.gql_error(DELETE_PROJECT, user.token, id=project_id)

    assert error["extensions"]["code"] == "NOT_FOUND"


# --- me.projects --------------------------------------------------------------------------------


async def test_my_projects_are_ordered_newest_updated_first(api: Api) -> None:
    user = await sign_up(api)
    a = await create_project(api, user, title="A")
    b = await create_project(api, user, title="B")
    c = await create_project(api, user, title="C")

    connection = await my_projects(api, user)
    assert node_ids(connection) == [c, b, a]

    await api.gql(UPDATE_PROJECT, user.token, id=a, input={"title": "A2"})
    connection = await my_projects(api, user)
    assert node_ids(connection) == [a, c, b]
    stamps = [when(edge["node"]["updatedAt"]) for edge in connection["edges"]]
    assert stamps == sorted(stamps, reverse=True)

    await api.gql(UPDATE_PROJECT, user.token, id=b, input={"status": "DRAFT"})
    assert node_ids(await my_projects(api, user)) == [b, a, c]


async def test_my_projects_paginate_without_gaps_or_duplicates(api: Api) -> None:
    user = await sign_up(api)
    created = [await create_project(api, user, title=f"P{i}") for i in range(7)]
    expected = list(reversed(created))

    seen: list[str] = []
    after: str | None = None
    pages: list[dict[str, Any]] = []
    while True:
        connection = await my_projects(api, user, first=3, after=after)
        pages.append(connection)
        seen.extend(node_ids(connection))
        assert connection["totalCount"] == 7
        assert connection["pageInfo"]["endCursor"] == connection["edges"][-1]["cursor"]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
        assert len(pages) < 5, "pagination does not terminate"

    assert [len(p["edges"]) for p in pages] == [3, 3, 1]
    assert [p["pageInfo"]["hasNextPage"] for p in pages] == [True, True, False]
    assert seen == expected
    cursors = [edge["cursor"] for p in pages for edge in p["edges"]]
    assert len(set(cursors)) == 7

    # Past the end: an empty page, still with the full total.
    tail = await my_projects(api, user, first=3, after=pages[-1]["pageInfo"]["endCursor"])
    assert tail == {
        "totalCount": 7,
        "edges": [],
        "pageInfo": {"hasNextPage": False, "endCursor": None},
    }


async def test_my_projects_page_that_ends_exactly_at_the_end_has_no_next_page(api: Api) -> None:
    user = await sign_up(api)
    created = [await create_project(api, user, title=f"P{i}") for i in range(4)]

    first_page = await my_projects(api, user, first=2)
    second_page = await my_projects(api, user, first=2, after=first_page["pageInfo"]["endCursor"])

    assert node_ids(first_page) + node_ids(second_page) == list(reversed(created))
    assert first_page["pageInfo"]["hasNextPage"] is True
    assert second_page["pageInfo"]["hasNextPage"] is False
    assert second_page["totalCount"] == 4


async def test_my_projects_default_page_size_is_twenty(api: Api) -> None:
    user = await sign_up(api)
    for i in range(21):
        await create_project(api, user, title=f"P{i}")

    connection = await my_projects(api, user)

    assert len(connection["edges"]) == 20
    assert connection["pageInfo"]["hasNextPage"] is True
    assert connection["totalCount"] == 21


async def test_my_projects_filter_by_status(api: Api) -> None:
    user = await sign_up(api)
    draft_1 = await create_project(api, user, title="D1", status="DRAFT")
    active = await create_project(api, user, title="A1")
    draft_2 = await create_project(api, user, title="D2", status="DRAFT")
    archived = await create_project(api, user, title="R1")
    await api.gql("mutation($id: ID!) { archiveProject(id: $id) { id } }", user.token, id=archived)

    drafts = await my_projects(api, user, status="DRAFT")
    assert node_ids(drafts) == [draft_2, draft_1]
    assert drafts["totalCount"] == 2
    assert {edge["node"]["status"] for edge in drafts["edges"]} == {"DRAFT"}
    assert node_ids(await my_projects(api, user, status="ACTIVE")) == [active]
    assert node_ids(await my_projects(api, user, status="ARCHIVED")) == [archived]
    completed = await my_projects(api, user, status="COMPLETED")
    assert completed == {
        "totalCount": 0,
        "edges": [],
        "pageInfo": {"hasNextPage": False, "endCursor": None},
    }

    page = await my_projects(api, user, status="DRAFT", first=1)
    assert node_ids(page) == [draft_2]
    assert page["pageInfo"]["hasNextPage"] is True
    assert page["totalCount"] == 2
    rest = await my_projects(
        api, user, status="DRAFT", first=1, after=page["pageInfo"]["endCursor"]
    )
    assert node_ids(rest) == [draft_1]
    assert rest["pageInfo"]["hasNextPage"] is False
    assert rest["totalCount"] == 2


async def test_my_projects_with_first_out_of_range_is_bad_input(api: Api) -> None:
    user = await sign_up(api)
    await create_project(api, user)

    for first in (0, 101, -1):
        error = await api.gql_error(MY_PROJECTS, user.token, first=first)

        assert error["extensions"]["code"] == "BAD_USER_INPUT", first
        assert error["extensions"]["field"] == "first", first
    assert len((await my_projects(api, user, first=100))["edges"]) == 1
    assert len((await my_projects(api, user, first=1))["edges"]) == 1


async def test_my_projects_with_a_garbage_cursor_is_bad_input(api: Api) -> None:
    user = await sign_up(api)
    await create_project(api, user)

    for after in ("garbage", "!!!", "W10", ""):
        error = await api.gql_error(MY_PROJECTS, user.token, after=after)

        assert error["extensions"]["code"] == "BAD_USER_INPUT", after
        assert error["extensions"]["field"] == "after", after


# --- storyboards --------------------------------------------------------------------------------


async def test_create_storyboard_returns_a_completed_empty_storyboard(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    urls = ["https://example.com/a", "http://example.com/b?x=1"]

    data = await api.gql(
        CREATE_STORYBOARD,
        user.token,
        input={"projectId": project_id, "title": "Cut", "brief": "Brief.", "referenceUrls": urls},
    )

    board = data["createStoryboard"]
    assert {k: v for k, v in board.items() if k != "id"} == {
        "title": "Cut",
        "brief": "Brief.",
        "referenceUrls": urls,
        "totalScenes": 0,
        "totalDuration": 0,
        "status": "COMPLETED",
        "patternSource": None,
        "generatedAt": None,
        "project": {"id": project_id},
        "scenes": [],
        "progress": progress(0, 0),
    }


async def test_create_storyboard_limits_are_bad_input_and_create_nothing(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    base = {"projectId": project_id, "title": "Cut", "brief": "Brief."}
    cases: list[tuple[dict[str, Any], str]] = [
        ({"brief": "b" * 20_001}, "brief"),
        ({"brief": ""}, "brief"),
        ({"title": ""}, "title"),
        ({"title": "t" * 501}, "title"),
        ({"referenceUrls": [f"https://example.com/{i}" for i in range(21)]}, "referenceUrls"),
        ({"referenceUrls": ["ftp://example.com/file"]}, "referenceUrls"),
        ({"referenceUrls": ["https://example.com/ok", "javascript:alert(1)"]}, "referenceUrls"),
        ({"referenceUrls": ["example.com/no-scheme"]}, "referenceUrls"),
    ]

    for change, field in cases:
        error = await api.gql_error(CREATE_STORYBOARD, user.token, input={**base, **change})

        assert error["extensions"]["code"] == "BAD_USER_INPUT", change
        assert error["extensions"]["field"] == field, change
    assert await Storyboard.all().count() == 0
    assert (await project_state(api, user, project_id))["storyboardCount"] == 0


async def test_create_storyboard_accepts_values_at_the_limits(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    urls = [f"https://example.com/{i}" for i in range(20)]

    data = await api.gql(
        CREATE_STORYBOARD,
        user.token,
        input={
            "projectId": project_id,
            "title": "t" * 500,
            "brief": "b" * 20_000,
            "referenceUrls": urls,
        },
    )

    board = data["createStoryboard"]
    assert (len(board["title"]), len(board["brief"]), board["referenceUrls"]) == (500, 20_000, urls)


async def test_storyboard_count_follows_creates_and_deletes(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    other_id = await create_project(api, user)
    assert (await project_state(api, user, project_id))["storyboardCount"] == 0

    boards = [await create_storyboard(api, user, project_id) for _ in range(3)]
    await create_storyboard(api, user, other_id)
    assert (await project_state(api, user, project_id))["storyboardCount"] == 3
    assert (await project_state(api, user, other_id))["storyboardCount"] == 1

    await api.gql(DELETE_STORYBOARD, user.token, id=boards[1])
    assert (await project_state(api, user, project_id))["storyboardCount"] == 2


async def test_project_storyboards_are_newest_first_and_paginate(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    boards = [await create_storyboard(api, user, project_id, title=f"S{i}") for i in range(5)]
    await create_storyboard(api, user, await create_project(api, user))  # elsewhere

    seen: list[str] = []
    after: str | None = None
    flags: list[bool] = []
    for _ in range(3):
        data = await api.gql(PROJECT_STORYBOARDS, user.token, id=project_id, first=2, after=after)
        connection = data["project"]["storyboards"]
        assert connection["totalCount"] == 5
        assert data["project"]["storyboardCount"] == 5
        assert connection["pageInfo"]["endCursor"] == connection["edges"][-1]["cursor"]
        seen.extend(node_ids(connection))
        flags.append(connection["pageInfo"]["hasNextPage"])
        after = connection["pageInfo"]["endCursor"]

    assert seen == list(reversed(boards))
    assert flags == [True, True, False]


async def test_project_storyboards_filter_by_status(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    ok_1 = await create_storyboard(api, user, project_id)
    failed = await create_storyboard(api, user, project_id)
    ok_2 = await create_storyboard(api, user, project_id)
    await Storyboard.filter(id=failed).update(status=StoryboardStatus.ERROR)

    async def filtered(status: str | None, **variables: Any) -> dict[str, Any]:
        data = await api.gql(
            PROJECT_STORYBOARDS, user.token, id=project_id, status=status, **variables
        )
        connection: dict[str, Any] = data["project"]["storyboards"]
        return connection

    completed = await filtered("COMPLETED")
    assert node_ids(completed) == [ok_2, ok_1]
    assert completed["totalCount"] == 2
    errored = await filtered("ERROR")
    assert node_ids(errored) == [failed]
    assert errored["edges"][0]["node"]["status"] == "ERROR"
    assert errored["totalCount"] == 1
    assert (await filtered("GENERATING"))["totalCount"] == 0
    assert node_ids(await filtered(None)) == [ok_2, failed, ok_1]
    page = await filtered("COMPLETED", first=1)
    assert (node_ids(page), page["pageInfo"]["hasNextPage"], page["totalCount"]) == (
        [ok_2],
        True,
        2,
    )


async def test_project_storyboards_bad_page_arguments_are_bad_input(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)

    for variables, field in (({"first": 0}, "first"), ({"first": 101}, "first")):
        error = await api.gql_error(PROJECT_STORYBOARDS, user.token, id=project_id, **variables)
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert error["extensions"]["field"] == field
    error = await api.gql_error(PROJECT_STORYBOARDS, user.token, id=project_id, after="nope")
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "after"


async def test_delete_storyboard_removes_its_scenes_and_tasks(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    doomed = await create_storyboard(api, user, project_id)
    kept = await create_storyboard(api, user, project_id)
    doomed_scenes = [await add_scene(api, user, doomed) for _ in range(3)]
    await add_scene(api, user, kept)

    assert await api.gql(DELETE_STORYBOARD, user.token, id=doomed) == {"deleteStoryboard": True}

    assert await api.gql(STORYBOARD, user.token, id=doomed) == {"storyboard": None}
    for scene_id in doomed_scenes:
        assert await api.gql(SCENE, user.token, id=scene_id) == {"scene": None}
    assert await Scene.filter(id__in=doomed_scenes).count() == 0
    assert await SceneTask.filter(scene_id__in=doomed_scenes).count() == 0
    assert await Storyboard.all().count() == 1
    assert await Scene.all().count() == 1
    assert await SceneTask.all().count() == 4
    data = await api.gql(PROJECT_STORYBOARDS, user.token, id=project_id)
    assert node_ids(data["project"]["storyboards"]) == [kept]

    error = await api.gql_error(DELETE_STORYBOARD, user.token, id=doomed)
    assert error["extensions"]["code"] == "NOT_FOUND"


# --- progress -----------------------------------------------------------------------------------


async def test_progress_is_zero_without_tasks(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    storyboard_id = await create_storyboard(api, user, project_id)

    data = await api.gql(PROJECT_PROGRESS, user.token, id=project_id)

    assert data["project"]["progress"] == {"totalTasks": 0, "completedTasks": 0, "ratio": 0.0}
    assert data["project"]["storyboards"]["edges"] == [
        {"node": {"id": storyboard_id, "progress": progress(0, 0), "scenes": []}}
    ]


async def test_progress_counts_tasks_exactly(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    board_a = await create_storyboard(api, user, project_id)
    board_b = await create_storyboard(api, user, project_id)
    a1 = await add_scene(api, user, board_a)
    a2 = await add_scene(api, user, board_a)
    b1 = await add_scene(api, user, board_b)
    # Another project's tasks must not count.
    elsewhere = await add_scene(
        api, user, await create_storyboard(api, user, await create_project(api, user))
    )
    await set_task(api, user, elsewhere, "EDITED", True)

    fresh = await api.gql(
        PROGRESS, user.token, projectId=project_id, storyboardId=board_a, sceneId=a1
    )
    assert fresh == {
        "project": {"progress": progress(12, 0)},
        "storyboard": {"progress": progress(8, 0)},
        "scene": {"progress": progress(4, 0)},
    }

    for task_type in ("SCRIPT_WRITTEN", "SCENE_FILMED", "EDITED"):
        await set_task(api, user, a1, task_type, True)
    await set_task(api, user, b1, "AUDIO_RECORDED", True)
    await set_task(api, user, a1, "EDITED", True)  # idempotent: still one completed task

    data = await api.gql(PROJECT_PROGRESS, user.token, id=project_id)
    assert data["project"]["progress"] == progress(12, 4)
    boards = {edge["node"]["id"]: edge["node"] for edge in data["project"]["storyboards"]["edges"]}
    assert boards[board_a]["progress"] == progress(8, 3)
    assert boards[board_b]["progress"] == progress(4, 1)
    assert [(s["id"], s["progress"]) for s in boards[board_a]["scenes"]] == [
        (a1, {"totalTasks": 4, "completedTasks": 3, "ratio": 0.75}),
        (a2, {"totalTasks": 4, "completedTasks": 0, "ratio": 0.0}),
    ]
    assert boards[board_b]["scenes"] == [
        {"id": b1, "progress": {"totalTasks": 4, "completedTasks": 1, "ratio": 0.25}}
    ]

    await set_task(api, user, a1, "SCENE_FILMED", False)
    data = await api.gql(
        PROGRESS, user.token, projectId=project_id, storyboardId=board_a, sceneId=a1
    )
    assert data == {
        "project": {"progress": progress(12, 3)},
        "storyboard": {"progress": progress(8, 2)},
        "scene": {"progress": {"totalTasks": 4, "completedTasks": 2, "ratio": 0.5}},
    }

    for task_type in ("SCRIPT_WRITTEN", "SCENE_FILMED", "AUDIO_RECORDED", "EDITED"):
        await set_task(api, user, a2, task_type, True)
    data = await api.gql(
        PROGRESS, user.token, projectId=project_id, storyboardId=board_a, sceneId=a2
    )
    assert data == {
        "project": {"progress": progress(12, 7)},
        "storyboard": {"progress": progress(8, 6)},
        "scene": {"progress": {"totalTasks": 4, "completedTasks": 4, "ratio": 1.0}},
    }
