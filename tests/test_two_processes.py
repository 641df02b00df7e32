"""Two app servers on one PostgreSQL database and one Redis cache: an edit through one is
visible at once through the other (no server keeps anything the other's writes do not retire)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.management import create_contenttypes
from django.db import connection

from tests.tracker.api.test_api_write import NEW_BODY
from tracker.api.auth import create_token
from tracker.caching import bump

# TEST_REDIS_URL lets two runs on one machine use Redis databases of their own.
REDIS_URL = (
    os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
)
ROOT = Path(django_settings.BASE_DIR)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite's test database lives in this process's memory: no other process can "
        "open it (run with DATABASE_URL pointing at PostgreSQL)",
    ),
    pytest.mark.django_db(transaction=True),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


@pytest.fixture(autouse=True)
def shared_cache(settings):
    """This process writes its rows through the same Redis, so they retire what servers keep."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        if os.environ.get("CI"):
            pytest.fail(f"no Redis at {REDIS_URL} ({error}): CI has one")
        pytest.skip(f"no Redis answers at {REDIS_URL} ({error})")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }


class Server:
    """One gunicorn app server in a process of its own, on a free port."""

    def __init__(self, tmp_path: Path) -> None:
        self.port = _free_port()
        env = {k: v for k, v in os.environ.items() if k not in django_settings.ENV_VARS}
        env.update(
            DEBUG="1",  # static files without collectstatic; nothing else here depends on it
            DATABASE_URL=_database_url(),
            REDIS_URL=REDIS_URL,
            DATA_DIR=str(tmp_path),
            ALLOWED_HOSTS="127.0.0.1",
            LOG_LEVEL="WARNING",
        )
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.process = subprocess.Popen(
            [str(gunicorn), "config.wsgi:application", "-b", f"127.0.0.1:{self.port}", "-w", "1",
             "--access-logfile", "/dev/null", "--error-logfile", "-"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            start_new_session=True,
        )  # fmt: skip

    def wait_until_ready(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped: {self.process.stderr.read().decode()}")
            try:
                self.get("/healthz")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"the server on port {self.port} did not answer in {seconds} s")

    def get(self, path: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=30) as answer:
            return answer.read().decode()

    def post_json(self, path: str, body: bytes, token: str) -> int:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status
        except urllib.error.HTTPError as error:
            raise AssertionError(error.read().decode()[:800]) from None

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@pytest.fixture
def servers(tmp_path) -> Iterator[tuple[Server, Server]]:
    pair = (Server(tmp_path / "a"), Server(tmp_path / "b"))
    try:
        for server in pair:
            server.wait_until_ready()
        yield pair
    finally:
        for server in pair:
            server.stop()


def test_an_edit_through_one_server_shows_at_once_through_the_other(newsroom, servers):
    bump()  # whatever an earlier run left in the shared cache is not this database's
    first, second = servers
    # An editor who may add articles and attributions (the permissions the API asks for; the
    # Editors group of migration 0002, and after a serialized rollback even the permissions,
    # are gone once an earlier test has emptied the database: made again as migrate makes them).
    for app in apps.get_app_configs():
        create_contenttypes(app, verbosity=0)
        create_permissions(app, verbosity=0)
    editor = User.objects.create_user("desk")
    editor.user_permissions.add(
        Permission.objects.get(codename="add_article", content_type__app_label="articles"),
        Permission.objects.get(codename="add_attribution", content_type__app_label="tracker"),
    )
    _, token = create_token(editor)
    claim = newsroom.claim.get_absolute_url()
    for server in servers:  # both keep the page as it is
        assert "Fighters were paid in dollars" not in server.get(claim)
        assert server.get(claim) == server.get(claim)
    article = {
        "title": "Fighters were paid in dollars",
        "outlet": "wire",
        "published_on": "2020-05-01",
        "body": NEW_BODY,
        "attributions": [
            {
                "claim": newsroom.claim.pk,
                "source": newsroom.ministry_source.pk,
                "stance": "no_response",
                "wording": "The Russian Defence Ministry",
                "span_start": NEW_BODY.index("The Russian"),
                "span_end": NEW_BODY.index("respond.") + len("respond."),
            }
        ],
    }
    assert first.post_json("/api/articles/", json.dumps(article).encode(), token) == 201
    assert "Fighters were paid in dollars" in second.get(claim)
    assert "Fighters were paid in dollars" in first.get(claim)
    # And back: an edit through the second shows through the first.
    listed = "/claims/?actor=russian-defence-ministry&stance=no_response"
    before = first.get(listed)
    article.update(title="Paid in roubles", published_on="2020-05-02")
    assert second.post_json("/api/articles/", json.dumps(article).encode(), token) == 201
    assert first.get(listed) != before
