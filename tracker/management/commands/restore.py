"""manage.py restore FILE --yes: replace the database's contents with a backup."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from tracker.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace everything in the database with the backup in FILE (made by `manage.py "
        "backup`). Stop the app servers first. Asks for --yes, because what is in the database "
        "now and not in the backup is lost."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="Confirm that the database is to be replaced."
        )

    def handle(self, *args, file: Path, yes: bool, **options) -> None:
        if not yes:
            raise CommandError(
                f"This replaces everything in the {connection.vendor} database with {file}; "
                "run again with --yes to go ahead."
            )
        started = time.perf_counter()
        try:
            restore(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored the {connection.vendor} database from {file} "
            f"in {time.perf_counter() - started:.1f}s."
        )
