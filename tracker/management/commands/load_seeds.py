"""manage.py load_seeds [FOLDER]: load the curated seed articles and their annotations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.progress import Progress
from tracker.seeding import SeedErrors, load_seed_folder


class Command(BaseCommand):
    help = (
        "Load every article of a seed folder (default: seeds/) with its claims, sources, actors "
        "and attributions. Every file is checked first; any problem is reported with its file "
        "and entry, and nothing is written. Loading twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "folder", nargs="?", type=Path, default=settings.BASE_DIR / "seeds", metavar="FOLDER"
        )

    def handle(self, *args: Any, folder: Path, **options: Any) -> None:
        try:
            with Progress(self.stdout, "Loading seeds", unit="articles") as progress:
                summary = load_seed_folder(folder, progress=progress.update)
        except SeedErrors as exc:
            problems = "\n".join(f"  {error}" for error in exc.errors)
            raise CommandError(
                f"nothing loaded from {folder}: {len(exc.errors)} problem(s):\n{problems}"
            ) from None
        self.stdout.write(f"Loaded seeds from {folder}: {summary}.")
