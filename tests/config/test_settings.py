"""Settings from the environment: production needs a SECRET_KEY; bad values are named."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command

ROOT = settings.BASE_DIR


def load_settings(tmp_path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in settings.ENV_VARS}
    clean["ENV_FILE"] = os.devnull  # not the checkout's .env
    clean.update(DATA_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.DEBUG, len(s.SECRET_KEY))"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )


def test_a_production_start_without_secret_key_fails_with_a_clear_message(tmp_path):
    result = load_settings(tmp_path, DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_production_start_with_a_secret_key_loads(tmp_path):
    result = load_settings(tmp_path, DEBUG="0", SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "50"]


def test_development_generates_and_keeps_a_key(tmp_path):
    first = load_settings(tmp_path, DEBUG="1")
    second = load_settings(tmp_path, DEBUG="1")
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert first.stdout == second.stdout


def test_a_bad_boolean_is_named(tmp_path):
    result = load_settings(tmp_path, DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def read_settings(tmp_path, code: str, **env: str) -> str:
    """What `code` prints once the settings are set up with this environment (a fresh process)."""
    clean = {k: v for k, v in os.environ.items() if k not in settings.ENV_VARS}
    clean["ENV_FILE"] = os.devnull  # not the checkout's .env
    clean.update(DATA_DIR=str(tmp_path), DEBUG="1", **env)
    prelude = "import django; django.setup()\nfrom django.conf import settings\n"
    result = subprocess.run(
        [sys.executable, "-c", prelude + code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


CONNECTED_SQLITE = (
    "from django.db import connection\n"
    "with connection.cursor() as cursor:\n"
    "    cursor.execute('PRAGMA journal_mode'); mode = cursor.fetchone()[0]\n"
    "    cursor.execute('PRAGMA busy_timeout'); busy = cursor.fetchone()[0]\n"
    "print(mode, busy, settings.DATABASES['default']['OPTIONS']['transaction_mode'])"
)


@pytest.mark.parametrize("named_by", ["the default path", "DATABASE_URL=sqlite:///..."])
def test_every_sqlite_database_gets_wal_a_busy_timeout_and_immediate_transactions(
    tmp_path, named_by
):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/other.sqlite3"} if "URL" in named_by else {}
    assert read_settings(tmp_path, CONNECTED_SQLITE, **env) == "wal 20000 IMMEDIATE"


def test_redis_url_selects_the_shared_redis_cache_and_no_url_local_memory(tmp_path):
    code = "print(settings.CACHES['default']['BACKEND'].rsplit('.', 1)[1])"
    assert read_settings(tmp_path, code) == "LocMemCache"
    assert read_settings(tmp_path, code, REDIS_URL="redis://127.0.0.1:6379/3") == "RedisCache"


def test_sqlite_runs_in_wal_mode_with_immediate_transactions():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite settings only apply without DATABASE_URL")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]


@pytest.mark.django_db
def test_ensure_editor_creates_an_editor_once_with_a_random_password():
    first, second = StringIO(), StringIO()
    call_command("ensure_editor", stdout=first)
    call_command("ensure_editor", stdout=second)
    user = User.objects.get(username=settings.EDITOR_USERNAME)
    password = first.getvalue().split("password '")[1].split("'")[0]
    assert len(password) >= 12 and user.check_password(password)
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    assert "exists" in second.getvalue() and password not in second.getvalue()


def test_the_health_check_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_postgresql_connections_run_without_jit(tmp_path):
    """Checked on a real connection (the suite's PostgreSQL run): the option reaches the server."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("runs in the PostgreSQL run of the suite")
    code = (
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('SHOW jit'); print(cursor.fetchone()[0])"
    )
    url = os.environ["DATABASE_URL"]
    assert read_settings(tmp_path, code, DATABASE_URL=url) == "off"


# -- The development settings file (.env, written by `make setup`) ------------------------------


def test_make_writes_a_development_env_file_once(tmp_path):
    env_file = tmp_path / "dev.env"
    make = ["make", "-s", f"ENV_FILE={env_file}", str(env_file)]
    result = subprocess.run(make, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    values = settings_module().read_env_file(env_file)
    assert values["DEBUG"] == "1" and len(values["SECRET_KEY"]) >= 50
    assert env_file.stat().st_mode & 0o077 == 0
    before = env_file.read_text()
    subprocess.run(make, cwd=ROOT, capture_output=True, text=True, check=True)
    assert env_file.read_text() == before  # never rewritten: sessions and passwords survive
    # The README's commands then work with nothing set by hand: the file says DEBUG=1.
    result = load_settings(tmp_path, ENV_FILE=str(env_file))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", str(len(values["SECRET_KEY"]))]


def test_the_environment_wins_over_the_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text('# a comment\n\nexport DEBUG=1\nSECRET_KEY="from-the-file"\n')
    result = load_settings(tmp_path, ENV_FILE=str(env_file))
    assert result.stdout.split() == ["True", str(len("from-the-file"))]
    result = load_settings(tmp_path, ENV_FILE=str(env_file), DEBUG="0", SECRET_KEY="y" * 60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "60"]


def test_without_the_file_production_still_needs_a_key(tmp_path):
    result = load_settings(tmp_path, ENV_FILE=str(tmp_path / "missing.env"))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_bad_line_in_the_env_file_is_named(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\nnot a setting\n")
    result = load_settings(tmp_path, ENV_FILE=str(env_file))
    assert result.returncode != 0
    assert f"{env_file}, line 2: expected KEY=VALUE, not 'not a setting'." in result.stderr


def settings_module():
    import config.settings

    return config.settings
