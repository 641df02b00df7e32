"""manage.py bench: the benchmark of `make bench` (bench/benchmark.py, docs/benchmarks.md)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bench import benchmark
from bench.report import Result


class Command(BaseCommand):
    help = (
        "Serve the app on a corpus of --claims claims (built once, then reused) in SQLite and "
        "PostgreSQL; measure it while a writer adds an attribution a second and readers ask "
        "URLs nobody asked before (the cache shared through Redis at BENCH_REDIS_URL), then in "
        "steady state with wrk, beside Datasette and a bare Django view; write the tables of "
        "requests/s, latency percentiles and query counts to --out."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--claims", type=int, default=1_000_000)
        parser.add_argument("--duration", type=int, default=10, help="Seconds of load per row.")
        parser.add_argument("--connections", type=int, default=4)
        parser.add_argument("--databases", default="sqlite,postgresql")
        parser.add_argument("--datasette", help="The datasette executable (none: not compared).")
        parser.add_argument(
            "--out", type=Path, default=settings.BASE_DIR / "docs" / "benchmarks.md"
        )
        parser.add_argument("--work", type=Path, default=settings.BASE_DIR / "data" / "bench")
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Fail if any endpoint failed or answered with errors (the CI smoke run).",
        )

    def handle(self, *args, **options) -> None:
        databases = [d.strip() for d in options["databases"].split(",") if d.strip()]
        unknown = set(databases) - {"sqlite", "postgresql"}
        if unknown:
            raise CommandError(
                f"--databases: unknown {', '.join(sorted(unknown))} (sqlite, postgresql)"
            )
        command = "manage.py bench " + shlex.join(sys.argv[2:])
        try:
            run = benchmark.main(
                claims=options["claims"], duration=options["duration"],
                connections=options["connections"], databases=databases, out=options["out"],
                datasette=options["datasette"], work=options["work"], command=command,
                log=lambda line: self.stderr.write(f"bench: {line}"),
            )  # fmt: skip
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Benchmarked {len(run.results)} endpoint runs at {run.claims:,} claims; "
            f"report in {options['out']}."
        )
        failed = [r for r in run.results if r.note or r.errors]
        failed += [
            Result(
                row["database"], row.get("name") or row["page"], "", note=f"{row['errors']} errors"
            )
            for row in [*run.newsroom, *run.after_write]
            if row["errors"]
        ]
        if options["strict"] and not run.newsroom:
            raise CommandError(
                f"the newsroom mix was not run (it needs Redis at {benchmark.REDIS_URL}): "
                + "; ".join(run.facts)
            )
        if options["strict"] and failed:
            names = "; ".join(
                f"{r.database} {r.name}: {r.note or f'{r.errors} errors'}" for r in failed
            )
            raise CommandError(f"{len(failed)} endpoint run(s) failed: {names}")
