"""manage.py backup FILE: a consistent copy of the database while it keeps serving."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from tracker.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database to FILE while the site keeps serving: "
        "SQLite's online backup (FILE is an SQLite database) or pg_dump's custom format for "
        "PostgreSQL. Restore it with `manage.py restore FILE`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options) -> None:
        started = time.perf_counter()
        try:
            backup(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        size = file.stat().st_size
        self.stdout.write(
            f"Backed up the {connection.vendor} database to {file} "
            f"({size / 1e6:.1f} MB in {time.perf_counter() - started:.1f}s)."
        )
