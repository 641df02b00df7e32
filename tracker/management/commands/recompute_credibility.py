"""manage.py recompute_credibility: rebuild every source's and actor's track record."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from tracker.credibility import recompute_all


class Command(BaseCommand):
    help = (
        "Recompute the track record of every source and actor from the rated claims, in set-based "
        "SQL (a GROUP BY for sources, one for actors over their sub-trees, one bulk upsert), and "
        "remove the records of those with no statement on a rated claim any more. Saving a verdict "
        "already updates the records it touches; run this after bulk imports or status updates "
        "made outside the admin, or after moving sources and actors."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        done = recompute_all()
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Recomputed {done.sources} source and {done.actors} actor track records "
            f"({done.removed} stale removed) in {seconds:.1f}s."
        )
