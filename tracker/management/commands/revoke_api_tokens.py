"""manage.py revoke_api_tokens: delete every API token of an account."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.api.auth import revoke_tokens


class Command(BaseCommand):
    help = (
        "Revoke (delete) every API token of USERNAME: requests with them are refused from now "
        "on. One token at a time: the admin's Knox > Auth tokens list."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"There is no account {username!r}.") from None
        count = revoke_tokens(user)
        self.stdout.write(f"Revoked {count} API token{'' if count == 1 else 's'} of {username!r}.")
