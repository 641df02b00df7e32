"""`manage.py recount`: every kept count from the attributions, after writes that bypass signals."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from articles.progress import Progress
from tracker.counters import RECOUNT_STEPS, differences, recount


class Command(BaseCommand):
    help = (
        "Recount every kept count (per claim, per actor and stance, the claim list's facets) "
        "and the actor reach rows from the attributions. Edits keep them current; run this "
        "after bulk loads, raw SQL or loaddata. With --check, only report where the kept "
        "counts differ."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; exit with an error listing the counts that differ.",
        )

    def handle(self, *args, check: bool = False, **options) -> None:
        if check:
            problems = differences()
            if problems:
                shown = "\n".join(problems[:50])
                more = f"\n... and {len(problems) - 50} more" if len(problems) > 50 else ""
                raise CommandError(f"{len(problems)} kept counts differ:\n{shown}{more}")
            self.stdout.write("Every kept count agrees with a recount.")
            return
        with Progress(self.stdout, "Recounting", total=RECOUNT_STEPS, unit="steps") as progress:
            recounted = recount(progress=progress.update)
        self.stdout.write(str(recounted))
