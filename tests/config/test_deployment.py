"""The container set-up (Dockerfile, docker-compose.yml) agrees with the settings and the README."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from config import settings

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("migrate", "web")

# Variables the app services may be given although the settings do not read them, and who reads
# them instead.
SERVER_VARIABLES = {"WEB_CONCURRENCY": "gunicorn (its number of worker processes)"}

# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}, as Compose reads them.
_REFERENCE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


class MissingVariable(Exception):
    """A ${NAME:?error} or ${NAME?error} reference whose variable is not set: Compose stops."""


def interpolate(value: str, environ: Mapping[str, str] | None = None) -> str:
    """Substitute the ${...} references of a compose value the way Compose does."""
    environ = environ or {}

    def substitute(match: re.Match[str]) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        value = environ.get(name)
        # ":-" and ":?" treat an empty variable as unset; "-" and "?" only an unset one.
        missing = value is None or (value == "" and op is not None and op.startswith(":"))
        if value is not None and not missing:  # (missing covers None: this tells the checker)
            return value
        if op is None:
            return ""
        if op.endswith("?"):
            raise MissingVariable(f"{name}: {arg}")
        return arg

    return _REFERENCE.sub(substitute, value)


def environment(service: Mapping[str, Any]) -> dict[str, str]:
    """A service's environment as a dict, whichever of the two compose forms it is written in."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {name: "" if value is None else str(value) for name, value in env.items()}


def command_text(command: str | list[str]) -> str:
    return command if isinstance(command, str) else " ".join(command)


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs of the Dockerfile, continuation lines joined, comments out."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        keyword, _, arguments = (pending + stripped).partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def dockerfile_arguments(keyword: str) -> list[str]:
    """The arguments of every `keyword` instruction of the Dockerfile, in order."""
    return [arguments for found, arguments in dockerfile_instructions() if found == keyword]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    return compose["services"]


def test_compose_runs_a_database_a_migration_job_and_the_web_server(services):
    assert {"db", "migrate", "web"} <= services.keys()


def test_web_and_database_report_their_health(services):
    for name in ("db", "web"):
        healthcheck = services[name].get("healthcheck") or {}
        assert healthcheck.get("test"), f"{name} has no healthcheck test"
        assert not healthcheck.get("disable"), f"{name} has its healthcheck disabled"
    assert "pg_isready" in command_text(services["db"]["healthcheck"]["test"])
    assert "/healthz" in command_text(services["web"]["healthcheck"]["test"])


def test_web_starts_only_after_migrations_succeed_and_the_database_is_healthy(services):
    depends_on = services["web"]["depends_on"]
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"
    assert depends_on["db"]["condition"] == "service_healthy"


def test_migrations_wait_for_a_healthy_database_and_run_once(services):
    migrate = services["migrate"]
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    assert migrate.get("restart") == "no"


def test_migration_job_applies_migrations_then_loads_the_seeds(services):
    command = command_text(services["migrate"]["command"])
    assert re.search(r"manage\.py migrate\b.*&&.*manage\.py load_seeds\b", command), command


def test_database_keeps_its_data_in_a_declared_named_volume(compose, services):
    mounts: dict[str, str | None] = {}
    for volume in services["db"]["volumes"]:
        if isinstance(volume, str):
            named, _, target = volume.partition(":")
            mounts[target.split(":")[0]] = named
        else:
            mounts[volume["target"]] = volume.get("source")
    source = mounts.get("/var/lib/postgresql/data")
    assert source, "the database directory is not mounted"
    assert source in (compose.get("volumes") or {}), f"{source!r} is not a declared named volume"


def test_app_services_only_set_variables_the_settings_read(services):
    known = set(settings.ENV_VARS) | set(SERVER_VARIABLES)
    for name in APP_SERVICES:
        unknown = set(environment(services[name])) - known
        assert not unknown, f"{name} sets variables nothing reads: {sorted(unknown)}"


def test_app_services_get_a_production_configuration(services):
    for name in APP_SERVICES:
        env = environment(services[name])
        missing = {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"} - env.keys()
        assert not missing, f"{name} lacks {sorted(missing)}"
        assert env["DEBUG"] == "0"


def test_compose_refuses_to_start_without_a_secret_key(services):
    for name in APP_SERVICES:
        secret_key = environment(services[name])["SECRET_KEY"]
        with pytest.raises(MissingVariable):
            interpolate(secret_key)
        with pytest.raises(MissingVariable):
            interpolate(secret_key, {"SECRET_KEY": ""})
        assert interpolate(secret_key, {"SECRET_KEY": "s3cret"}) == "s3cret"


def test_database_url_points_at_the_db_service_and_its_database_and_user(services):
    db_env = {name: interpolate(value) for name, value in environment(services["db"]).items()}
    for name in APP_SERVICES:
        url = urlsplit(interpolate(environment(services[name])["DATABASE_URL"]))
        assert url.scheme in {"postgres", "postgresql"}
        assert url.hostname == "db"
        assert url.path.lstrip("/") == db_env["POSTGRES_DB"]
        assert url.username == db_env["POSTGRES_USER"]
        assert url.password == db_env["POSTGRES_PASSWORD"]


def test_app_services_share_the_redis_service_as_their_cache(services):
    redis = services["redis"]
    assert "redis-cli ping" in command_text(redis["healthcheck"]["test"])
    for name in APP_SERVICES:
        url = urlsplit(interpolate(environment(services[name])["REDIS_URL"]))
        assert (url.scheme, url.hostname, url.port) == ("redis", "redis", 6379)
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_image_serves_the_wsgi_app_with_gunicorn():
    commands = dockerfile_arguments("CMD")
    assert commands, "the Dockerfile has no CMD"
    command = json.loads(commands[-1])  # the exec form, so gunicorn gets the stop signal
    assert command[0] == "gunicorn"
    assert "config.wsgi:application" in command
    assert "0.0.0.0:8000" in command


def test_image_collects_static_files_at_build_time():
    runs = dockerfile_arguments("RUN")
    assert any("manage.py collectstatic" in run for run in runs)


def test_image_runs_as_a_non_root_user():
    users = dockerfile_arguments("USER")
    assert users, "the Dockerfile never leaves root"
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_image_health_check_probes_healthz():
    checks = dockerfile_arguments("HEALTHCHECK")
    assert checks and "http://127.0.0.1:8000/healthz" in checks[-1]


def test_build_context_leaves_out_local_state_and_secrets():
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv", "data", "staticfiles", ".env"} <= ignored


def test_readme_documents_every_environment_variable():
    readme = ROOT / "README.md"
    assert readme.exists(), "README.md is missing"
    text = readme.read_text()
    undocumented = [
        name for name in [*settings.ENV_VARS, *SERVER_VARIABLES] if f"`{name}`" not in text
    ]
    assert not undocumented, f"README.md does not document {undocumented}"
