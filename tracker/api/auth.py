"""API tokens: django-rest-knox's hashed, expiring tokens, and a limit on wrong ones per address."""

from __future__ import annotations

import math
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from knox import auth as knox_auth
from knox.models import AuthToken
from rest_framework import exceptions
from rest_framework.authentication import get_authorization_header
from rest_framework.request import Request

from tracker import auth_events

# Namespaced keys in the default cache (Redis shared by every worker when REDIS_URL is set;
# otherwise each process counts on its own).
FAILURES_KEY = "auth:api-token-failures:{}"
LOCKED_KEY = "auth:api-token-locked:{}"


class TooManyTokenFailures(exceptions.Throttled):
    default_detail = "Too many wrong API tokens from this address."


class TokenAuthentication(knox_auth.TokenAuthentication):
    """`Authorization: Token <key>` with a knox token, refused for a while to a guesser.

    After LOGIN_FAILURE_LIMIT wrong tokens (unknown, expired, malformed, or an inactive account's)
    from one client address within LOGIN_COOLOFF_MINUTES, every token from that address is
    answered 429 with Retry-After until the cool-off ends, the right one too: the guesser learns
    nothing more, and each refusal is logged. Requests without a token (reading) are not counted.
    """

    def authenticate(self, request: Request) -> tuple[AbstractBaseUser, AuthToken] | None:
        header = get_authorization_header(request).split()
        prefix = self.authenticate_header(request).lower().encode()  # "Token" (REST_KNOX)
        if not header or header[0].lower() != prefix:
            return None  # no token: anonymous or a session
        address = auth_events.client_address(request) or "unknown"
        wait = locked_for(address)
        if wait:
            auth_events.token_locked_out(request, wait)
            raise TooManyTokenFailures(wait=wait)
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed as refused:
            failures = _count_failure(address)
            auth_events.token_refused(request, str(refused.detail), failures)
            if failures >= settings.LOGIN_FAILURE_LIMIT:
                cooloff = settings.LOGIN_COOLOFF_MINUTES * 60
                cache.set(LOCKED_KEY.format(address), time.time() + cooloff, cooloff)
                auth_events.token_locked_out(request, cooloff)
            raise

    def authenticate_credentials(self, token: bytes) -> tuple[AbstractBaseUser, AuthToken]:
        # knox decodes the key as UTF-8 and lets a stray byte escape as a 500.
        try:
            token.decode("utf-8")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(
                "Invalid token header. The token holds characters no token has."
            ) from None
        return super().authenticate_credentials(token)


def _count_failure(address: str) -> int:
    """Count one more wrong token in the address's window (opened by its first failure)."""
    key = FAILURES_KEY.format(address)
    cache.add(key, 0, settings.LOGIN_COOLOFF_MINUTES * 60)
    try:
        return cache.incr(key)
    except ValueError:  # the window closed between the two calls: this failure opens a new one
        cache.add(key, 1, settings.LOGIN_COOLOFF_MINUTES * 60)
        return 1


def locked_for(address: str) -> int:
    """Seconds until the address may send tokens again (0: it may now)."""
    until = cache.get(LOCKED_KEY.format(address))
    if until is None:
        return 0
    return max(1, math.ceil(until - time.time()))


def reset_failures(address: str) -> None:
    """Forget an address's wrong tokens and lift its lockout."""
    cache.delete_many([FAILURES_KEY.format(address), LOCKED_KEY.format(address)])


def create_token(user: AbstractBaseUser, *, days: int | None = None) -> tuple[AuthToken, str]:
    """A new token for the user, valid for `days` (API_TOKEN_DAYS by default): (row, key).

    The key is returned once: only its hash is stored.
    """
    lifetime = timedelta(days=days if days is not None else settings.API_TOKEN_DAYS)
    token, key = AuthToken.objects.create(user=user, expiry=lifetime)
    return token, key


def revoke_tokens(user: AbstractBaseUser) -> int:
    """Delete every token of the user; the number deleted."""
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted
