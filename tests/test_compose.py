"""docker-compose.yml keeps the deployed shape: services, health checks, replicas, environment."""

from pathlib import Path
from typing import Any

import pytest

from schema.socket_protocol import UVICORN_WS

# PyYAML comes with uvicorn[standard]; importorskip keeps mypy off its missing stubs.
yaml = pytest.importorskip("yaml")

COMPOSE_FILE = Path(__file__).resolve().parent.parent / "docker-compose.yml"
LONG_RUNNING = ("postgres", "redis", "minio", "api", "worker")
ONE_SHOT = ("minio-init", "migrate")
APP_SERVICES = ("api", "worker", "migrate")


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    compose: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())
    services: dict[str, Any] = compose["services"]
    return services


def test_every_service_is_declared(services: dict[str, Any]) -> None:
    assert set(services) == {*LONG_RUNNING, *ONE_SHOT}


@pytest.mark.parametrize("name", LONG_RUNNING)
def test_long_running_services_have_a_healthcheck(services: dict[str, Any], name: str) -> None:
    assert services[name]["healthcheck"]["test"]


def test_api_runs_two_replicas_on_a_port_range(services: dict[str, Any]) -> None:
    api = services["api"]
    assert api["deploy"]["replicas"] == 2
    assert api["ports"] == ["8000-8001:8000"]
    assert "/ready" in " ".join(api["healthcheck"]["test"])


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_share_image_and_environment(services: dict[str, Any], name: str) -> None:
    service = services[name]
    assert service["build"] == services["api"]["build"]
    assert "pip install --no-cache-dir ." in service["build"]["dockerfile_inline"]
    env = service["environment"]
    assert env["DATABASE_URL"] == "postgres://storygraph:storygraph@postgres:5432/storygraph"
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert env["S3_ENDPOINT_URL"] == "http://minio:9000"


@pytest.mark.parametrize("name", ["api", "worker"])
def test_app_waits_for_dependencies_and_one_shot_steps(services: dict[str, Any], name: str) -> None:
    depends_on = services[name]["depends_on"]
    assert depends_on["postgres"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"
    assert depends_on["minio-init"]["condition"] == "service_completed_successfully"


def test_migrations_run_once_in_their_own_service(services: dict[str, Any]) -> None:
    migrate = services["migrate"]
    assert migrate["command"] == ["python", "-m", "services.migrate"]
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "deploy" not in migrate


def test_bucket_is_created_by_minio_init(services: dict[str, Any]) -> None:
    init = services["minio-init"]
    assert init["depends_on"]["minio"]["condition"] == "service_healthy"
    assert "mc mb --ignore-existing local/storygraph" in " ".join(init["command"])


def test_the_api_runs_websockets_as_main_does(
    services: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Wherever uvicorn is started — the image, the api service, `make run` (app.main) — the
    WebSocket protocol is Storygraph's (schema.socket_protocol: ~9 KiB less a socket) and a
    negotiated permessage-deflate (~41 KiB a socket) is declined (README, Memory per
    subscriber)."""
    import uvicorn

    import app

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda _app, **options: seen.update(options))
    monkeypatch.setenv("SECRET_KEY", "compose-test-secret-key-long-enough-for-hs256")
    monkeypatch.setenv("DATABASE_URL", f"sqlite://{tmp_path / 'db.sqlite3'}")
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    app.main()
    command = services["api"]["command"]
    image = services["api"]["build"]["dockerfile_inline"]

    assert seen["ws_per_message_deflate"] is False
    assert command[command.index("--ws-per-message-deflate") + 1] == "false"
    assert '"--ws-per-message-deflate", "false"]' in image
    assert seen["ws"] == UVICORN_WS
    assert command[command.index("--ws") + 1] == UVICORN_WS
    assert f'"--ws", "{UVICORN_WS}"' in image
