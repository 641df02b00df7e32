"""The production settings pass Django's deployment checks; every response carries the CSP."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k7Gq2vXw9pLr4tYb8nZc1mQs6dFh3jKa5uWe0oTi-RyNxVbCgMlPzHsDfAqEwUj",
    "ALLOWED_HOSTS": "tracker.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://tracker.example.org",
    "SECURE_SSL_REDIRECT": "1",
    "BEHIND_TLS_PROXY": "1",
}


def manage(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in settings.ENV_VARS}
    clean["ENV_FILE"] = os.devnull  # not the checkout's .env
    clean.update(DATA_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_the_readme_production_settings_pass_the_deployment_checks(tmp_path):
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_tls_the_deployment_checks_say_what_is_missing(tmp_path):
    plain = {**PRODUCTION, "SECURE_SSL_REDIRECT": "0", "BEHIND_TLS_PROXY": "0"}
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **plain)
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # no HSTS without TLS


def show(tmp_path, code: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in settings.ENV_VARS}
    clean["ENV_FILE"] = os.devnull  # not the checkout's .env
    clean.update(DATA_DIR=str(tmp_path), **env)
    result = subprocess.run(
        [sys.executable, "-c", f"import config.settings as s; print({code})"],
        cwd=ROOT, env=clean, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_cookies_are_secure_whenever_served_over_tls(tmp_path):
    behind_proxy = {**PRODUCTION, "SECURE_SSL_REDIRECT": "0"}
    assert show(tmp_path, "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE", **behind_proxy) == (
        "True True"
    )
    assert show(tmp_path, "s.SECURE_HSTS_SECONDS", **behind_proxy) == "31536000"
    assert show(tmp_path, "s.SECURE_HSTS_SECONDS", **PRODUCTION, SECURE_HSTS_SECONDS="600") == (
        "600"
    )
    assert show(tmp_path, "s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS", DEBUG="1") == (
        "False 0"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/claims/", "/admin/login/", "/api/docs/", "/api/claims/"])
def test_every_response_carries_the_content_security_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"  # no inline script, nothing from elsewhere
    assert directives["frame-ancestors"] == "'none'"
    assert "'unsafe-inline'" not in directives["script-src"]


@pytest.mark.django_db
def test_the_api_docs_run_no_inline_script_and_keep_no_token(client):
    page = client.get("/api/docs/").content.decode()
    assert "<script>" not in page  # every script is a file the policy allows
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert '"persistAuthorization": false' in script.content.decode()
