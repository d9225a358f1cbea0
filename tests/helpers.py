"""Test helpers: a GraphQL client over the real app, factories, and an SQL statement counter."""

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

PASSWORD = "correct horse battery"


class Api:
    """Speaks GraphQL over HTTP to the app under test."""

    def __init__(self, client: httpx.AsyncClient, app: Any = None) -> None:
        self.client = client
        self.app = app

    async def post(self, query: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def forget_callers(self) -> None:
        """Empty the app's cache of callers' user rows (services.callers): the next request of
        each caller reads its row again."""
        self.app.state.callers.clear()

    async def gql(self, query: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
        """Run an operation that must succeed; returns `data`."""
        body = await self.post(query, token, **variables)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def gql_error(
        self, query: str, token: str | None = None, **variables: Any
    ) -> dict[str, Any]:
        """Run an operation that must fail with exactly one error; returns that error."""
        body = await self.post(query, token, **variables)
        assert len(body.get("errors") or []) == 1, body
        error: dict[str, Any] = body["errors"][0]
        return error


SIGN_UP = """
mutation SignUp($email: String!, $password: String!, $name: String) {
  signUp(email: $email, password: $password, name: $name) { token user { id email name } }
}
"""
CREATE_PROJECT = """
mutation CreateProject($input: CreateProjectInput!) {
  createProject(input: $input) { id title description status }
}
"""
CREATE_STORYBOARD = """
mutation CreateStoryboard($input: CreateStoryboardInput!) {
  createStoryboard(input: $input) { id title status totalScenes totalDuration }
}
"""
ADD_SCENE = """
mutation AddScene($storyboardId: ID!, $input: SceneInput!, $position: Int) {
  addScene(storyboardId: $storyboardId, input: $input, position: $position) {
    id sceneNumber duration sceneType
  }
}
"""


class User:
    def __init__(self, token: str, id: str, email: str) -> None:
        self.token = token
        self.id = id
        self.email = email


async def sign_up(api: Api, email: str | None = None, password: str = PASSWORD) -> User:
    email = email or f"user-{uuid.uuid4().hex[:10]}@example.com"
    data = await api.gql(SIGN_UP, email=email, password=password)
    return User(data["signUp"]["token"], data["signUp"]["user"]["id"], email)


async def create_project(api: Api, user: User, title: str = "Launch video", **extra: Any) -> str:
    data = await api.gql(CREATE_PROJECT, user.token, input={"title": title, **extra})
    project_id: str = data["createProject"]["id"]
    return project_id


async def create_storyboard(
    api: Api, user: User, project_id: str, title: str = "Cut A", brief: str = "A brief."
) -> str:
    data = await api.gql(
        CREATE_STORYBOARD,
        user.token,
        input={"projectId": project_id, "title": title, "brief": brief},
    )
    storyboard_id: str = data["createStoryboard"]["id"]
    return storyboard_id


async def add_scene(
    api: Api,
    user: User,
    storyboard_id: str,
    position: int | None = None,
    duration: int = 5,
    description: str = "A wide shot.",
) -> str:
    data = await api.gql(
        ADD_SCENE,
        user.token,
        storyboardId=storyboard_id,
        input={"visualDescription": description, "duration": duration},
        position=position,
    )
    scene_id: str = data["addScene"]["id"]
    return scene_id


class StatementCounter(logging.Handler):
    """A handler on `tortoise.db_client` counting the SQL statements it logs."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith(("Created connection", "Closed connection")):
            return
        self.statements.append(message)

    @contextmanager
    def measure(self) -> Iterator[list[str]]:
        """Collect only the statements issued inside the block."""
        start = len(self.statements)
        issued: list[str] = []
        try:
            yield issued
        finally:
            issued.extend(self.statements[start:])

    def __len__(self) -> int:
        return len(self.statements)
