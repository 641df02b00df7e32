"""manage.py ensure_editor: make sure an editor account exists for the admin."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandParser

EDITORS = "Editors"


class Command(BaseCommand):
    help = (
        "Create the editor account (staff, in the Editors group) if it does not exist, with a "
        "random password printed once. An existing account is left as it is."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default=settings.EDITOR_USERNAME)

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Editor account {username!r} exists; its password is unchanged.")
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username=username, password=password, is_staff=True)
        user.groups.add(Group.objects.get(name=EDITORS))
        self.stdout.write(
            f"Created editor account {username!r} with password {password!r} "
            "(shown only now: change it in the admin under your name)."
        )
