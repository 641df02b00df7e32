"""manage.py create_api_token: a new API token for an account, its key printed once."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.api.auth import create_token

# Longer lives than this are a forgotten token, not a plan (and ten thousand years overflow).
MAX_DAYS = 3650


class Command(BaseCommand):
    help = (
        "Create an API token for USERNAME, valid for --days (API_TOKEN_DAYS by default). The key "
        "is printed once, alone on standard output; only its hash is stored. Revoke with "
        "`manage.py revoke_api_tokens USERNAME` or in the admin."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--days", type=int, default=None, help=f"days the token is valid (1 to {MAX_DAYS})"
        )

    def handle(self, *args: Any, username: str, days: int | None, **options: Any) -> None:
        days = settings.API_TOKEN_DAYS if days is None else days
        if not 1 <= days <= MAX_DAYS:
            raise CommandError(f"--days {days}: a token is valid for 1 to {MAX_DAYS} days.")
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"There is no account {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"The account {username!r} is inactive: its tokens would not work.")
        token, key = create_token(user, days=days)
        assert token.expiry is not None  # always given a lifetime here
        self.stdout.write(key)
        self.stderr.write(
            f"Created an API token for {username!r}, valid until "
            f"{token.expiry:%Y-%m-%d %H:%M} UTC ({days} days). The key above is shown only now."
        )
