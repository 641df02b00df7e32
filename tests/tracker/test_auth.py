"""Sign-in limits, authentication events in the log, and hashed, expiring, revocable API tokens."""

from __future__ import annotations

import datetime
import hashlib
import io
import logging

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from tests.tracker.api.test_api_write import article
from tracker.api.auth import create_token

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-only"  # the editor fixture's
LOGIN = reverse("admin:login")
WRITE = "/api/articles/"


@pytest.fixture
def auth_log(caplog) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="tracker.auth")
    return caplog


def lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "tracker.auth"]


def sign_in(client: Client, username: str, password: str, forwarded_for: str = ""):
    data = {"username": username, "password": password, "next": "/admin/"}
    headers = {"x-forwarded-for": forwarded_for} if forwarded_for else None
    return client.post(LOGIN, data, headers=headers)


def signed_in(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


# -- The admin: failures, lockout, cool-off ----------------------------------------------------


def test_wrong_passwords_lock_the_address_out_even_for_the_right_password(editor, auth_log):
    client = Client()
    limit = settings.LOGIN_FAILURE_LIMIT
    for attempt in range(1, limit):
        response = sign_in(client, "ed", f"guess-{attempt}")
        assert response.status_code == 200  # the form again, with its error
        assert "Please enter the correct username and password" in response.content.decode()
    response = sign_in(client, "ed", f"guess-{limit}")
    assert response.status_code == 429  # the limit reached: locked from this one on

    response = sign_in(client, "ed", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in locked" in page
    assert f"paused for {settings.LOGIN_COOLOFF_MINUTES} minutes" in page
    assert f"after\n    {limit} failed attempts" in page
    assert not signed_in(client)

    logged = lines(auth_log)
    assert logged.count("Failed sign-in: 'ed' from 127.0.0.1") == limit + 1
    assert "Sign-in locked out: 'ed' from 127.0.0.1 after 5 failures; refused for 15 minutes" in (
        logged
    )
    # Never a password, wrong or right.
    assert PASSWORD not in auth_log.text and "guess-" not in auth_log.text


def test_the_lockout_holds_for_every_account_from_that_address_and_no_other(editor, auth_log):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(Client(), "nobody", f"guess-{attempt}")
    # Guessing at one name locks the address for every name...
    other = User.objects.create_user("desk", password=PASSWORD, is_staff=True)
    assert sign_in(Client(), other.username, PASSWORD).status_code == 429
    assert sign_in(Client(), "ed", PASSWORD).status_code == 429
    # ...but not the account itself from elsewhere.
    elsewhere = Client(REMOTE_ADDR="203.0.113.7")
    assert sign_in(elsewhere, "ed", PASSWORD).status_code == 302
    assert signed_in(elsewhere)
    assert "Sign-in: 'ed' from 203.0.113.7" in lines(auth_log)


def test_after_the_cool_off_the_right_password_works_again(editor):
    client = Client()
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, "ed", f"guess-{attempt}")
    assert sign_in(client, "ed", PASSWORD).status_code == 429
    # The cool-off passes: the failures on record are older than it.
    cooloff = datetime.timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES, seconds=1)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - cooloff)
    assert sign_in(client, "ed", PASSWORD).status_code == 302
    assert signed_in(client)


def test_an_administrator_lifts_a_lockout_at_once(editor):
    client = Client()
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, "ed", f"guess-{attempt}")
    assert sign_in(client, "ed", PASSWORD).status_code == 429
    call_command("axes_reset_ip", "127.0.0.1", stdout=io.StringIO())
    assert sign_in(client, "ed", PASSWORD).status_code == 302


def test_the_lockout_page_escapes_the_name_that_was_typed(db):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        response = sign_in(Client(), "<b>x</b>", f"guess-{attempt}")
    assert response.status_code == 429
    page = response.content.decode()
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page


def test_a_sign_in_and_a_sign_out_are_logged_with_the_address(editor, auth_log):
    client = Client()
    assert sign_in(client, "ed", PASSWORD).status_code == 302
    client.post(reverse("admin:logout"))
    assert lines(auth_log) == ["Sign-in: 'ed' from 127.0.0.1", "Sign-out: 'ed' from 127.0.0.1"]


def test_a_typed_name_cannot_forge_a_log_line(db, auth_log):
    sign_in(Client(), "ed\nSign-in: 'admin' from 10.0.0.1", "guess")
    assert lines(auth_log) == [
        "Failed sign-in: \"ed\\nSign-in: 'admin' from 10.0.0.1\" from 127.0.0.1"
    ]


@override_settings(BEHIND_TLS_PROXY=True)
def test_behind_the_proxy_the_address_is_the_one_the_proxy_appended(editor, auth_log):
    # A client can write anything into X-Forwarded-For; the proxy appends the address it saw.
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        forged = f"10.0.0.{attempt}, 198.51.100.{attempt}"
        sign_in(Client(), "ed", "guess", forwarded_for=f"{forged}, 203.0.113.9")
    assert sign_in(
        Client(), "ed", PASSWORD, forwarded_for="10.9.9.9, 203.0.113.9"
    ).status_code == 429  # fmt: skip
    assert sign_in(Client(), "ed", PASSWORD, forwarded_for="203.0.113.10").status_code == 302
    logged = lines(auth_log)
    assert "Failed sign-in: 'ed' from 203.0.113.9" in logged
    assert "Sign-in: 'ed' from 203.0.113.10" in logged
    assert not any("10.0.0." in line or "198.51.100." in line for line in logged)


# -- API tokens: made, hashed, expiring, revoked -----------------------------------------------


def write(client: Client, key: str | None, newsroom) -> int:
    headers = {"authorization": f"Token {key}"} if key else {}
    response = client.post(WRITE, article(newsroom), "application/json", headers=headers)
    return response.status_code


def made_token(username: str = "ed", *args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", username, *args, stdout=out, stderr=err)
    return out.getvalue().strip()


def test_a_created_token_writes_and_only_its_hash_is_stored(client, newsroom, editor):
    key = made_token()
    assert write(client, None, newsroom) == 401
    assert write(client, key, newsroom) == 201
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {AuthToken._meta.db_table}")
        rows = cursor.fetchall()
    assert len(rows) == 1
    assert not any(key in str(value) for value in rows[0])  # no column holds the key
    assert AuthToken.objects.get().digest == hashlib.sha512(key.encode()).hexdigest()


def test_a_token_expires_after_its_days(client, newsroom, editor, auth_log):
    key = made_token("ed", "--days", "2")
    expiry = AuthToken.objects.get().expiry
    assert abs(expiry - (timezone.now() + datetime.timedelta(days=2))) < datetime.timedelta(
        minutes=1
    )
    _, default_key = create_token(editor)
    default = AuthToken.objects.get(token_key=default_key[:15]).expiry
    assert default - timezone.now() > datetime.timedelta(days=settings.API_TOKEN_DAYS - 1)

    AuthToken.objects.filter(token_key=key[:15]).update(expiry=timezone.now())  # two days on
    response = client.post(
        WRITE, article(newsroom), "application/json", headers={"authorization": f"Token {key}"}
    )
    assert response.status_code == 401
    assert response.json() == {"errors": {"authentication_failed": "Invalid token."}}
    assert response["WWW-Authenticate"] == "Token"
    assert "API token expired and deleted: 'ed'" in lines(auth_log)
    assert write(client, default_key, newsroom) == 201  # the other token still works


def test_revoking_refuses_the_tokens_at_once(client, newsroom, editor):
    first, second = made_token(), made_token()
    out = io.StringIO()
    call_command("revoke_api_tokens", "ed", stdout=out)
    assert out.getvalue().strip() == "Revoked 2 API tokens of 'ed'."
    assert write(client, first, newsroom) == 401
    assert write(client, second, newsroom) == 401
    assert not AuthToken.objects.exists()


def test_the_token_commands_name_what_is_wrong(editor):
    with pytest.raises(CommandError, match="There is no account 'nobody'"):
        made_token("nobody")
    with pytest.raises(CommandError, match="--days 0: a token is valid for 1 to 3650 days"):
        made_token("ed", "--days", "0")
    with pytest.raises(CommandError, match="There is no account 'nobody'"):
        call_command("revoke_api_tokens", "nobody", stdout=io.StringIO())
    editor.is_active = False
    editor.save()
    with pytest.raises(CommandError, match="inactive"):
        made_token("ed")
    assert not AuthToken.objects.exists()


# -- API tokens: guessing ----------------------------------------------------------------------


def test_guessed_tokens_are_refused_with_429_and_retry_after(client, newsroom, editor, auth_log):
    key = made_token()
    limit = settings.LOGIN_FAILURE_LIMIT
    guesses = [f"{n:064x}" for n in range(50)]
    statuses = [
        client.get("/api/claims/", headers={"authorization": f"Token {g}"}).status_code
        for g in guesses
    ]
    assert statuses == [401] * limit + [429] * (len(guesses) - limit)

    # Locked out: the right token too, from that address; reading without one still works.
    response = client.get("/api/claims/", headers={"authorization": f"Token {key}"})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= settings.LOGIN_COOLOFF_MINUTES * 60
    assert list(response.json()["errors"]) == ["throttled"]
    assert response.json()["errors"]["throttled"].startswith("Too many wrong API tokens")
    assert client.get("/api/claims/").status_code == 200
    elsewhere = Client(REMOTE_ADDR="203.0.113.5")
    assert write(elsewhere, key, newsroom) == 201

    logged = lines(auth_log)
    refused = [line for line in logged if line.startswith("API token refused from 127.0.0.1")]
    assert len(refused) == limit
    assert refused[-1].endswith(f"Invalid token. ({limit} of {limit} failures allowed)")
    locked = [line for line in logged if line.startswith("API token locked out: 127.0.0.1")]
    assert len(locked) == 1 + len(guesses) - limit + 1  # when it began, then each refusal
    assert not any(g in auth_log.text for g in guesses) and key not in auth_log.text


def test_a_malformed_token_header_counts_as_a_wrong_token(client, db):
    # Two words; a byte that is not UTF-8 (knox alone would answer it with a 500).
    headers = ["Token a b", "Token \xe9t\xe9"] * settings.LOGIN_FAILURE_LIMIT
    for header in headers[: settings.LOGIN_FAILURE_LIMIT]:
        response = client.get("/api/claims/", headers={"authorization": header})
        assert response.status_code == 401
        assert list(response.json()["errors"]) == ["authentication_failed"]
    assert client.get("/api/claims/", headers={"authorization": "Token x"}).status_code == 429


@override_settings(LOGIN_FAILURE_LIMIT=2)
def test_the_token_limit_follows_the_setting(client, db):
    statuses = [
        client.get("/api/claims/", headers={"authorization": "Token nope"}).status_code
        for _ in range(3)
    ]
    assert statuses == [401, 401, 429]
