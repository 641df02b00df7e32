"""manage.py generate_corpus --claims N: a realistic synthetic archive for scale tests."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandParser

from articles.progress import Progress
from bench.corpus import Sizes, generate


class Command(BaseCommand):
    help = (
        "Add a synthetic newsroom archive: actors in hierarchies, sources (named, anonymous, "
        "documents), articles over ten years from many outlets, N claims with ~3 attributions "
        "each. The same --seed gives the same data. Sizes not given scale with --claims "
        "(1M claims: 20k actors, 50k sources, 300k articles, 300 outlets)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--claims", type=int, required=True)
        parser.add_argument("--actors", type=int)
        parser.add_argument("--sources", type=int)
        parser.add_argument("--articles", type=int)
        parser.add_argument("--outlets", type=int)
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--chunk", type=int, default=2000, help="Articles per transaction.")

    def handle(self, *args, **options) -> None:
        sizes = Sizes.for_claims(
            options["claims"],
            **{name: options[name] for name in ("actors", "sources", "articles", "outlets")},
        )
        started = time.monotonic()
        with Progress(self.stdout, "Generating", total=sizes.claims, unit="claims") as progress:
            summary = generate(
                sizes=sizes,
                seed=options["seed"],
                chunk=options["chunk"],
                progress=lambda counts: progress.update(counts["claims"]),
            )
        elapsed = time.monotonic() - started
        self.stdout.write(f"Generated {summary} in {elapsed:.1f} s (seed {options['seed']}).")
