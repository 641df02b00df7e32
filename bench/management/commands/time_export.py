"""manage.py time_export: the claim list's export read end to end, in rows per second."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from urllib.parse import parse_qsl

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import StreamingHttpResponse
from django.test import Client


class Command(BaseCommand):
    help = (
        "Download /claims/?format=csv (or json) through the test client, reading the whole "
        "streamed body, REPEAT times; print each run's rows per second and the median. "
        "--output writes the last body to a file (to compare two versions byte for byte)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=("csv", "json"), default="csv")
        parser.add_argument("--query", default="", help="More parameters, e.g. 'actor=russia'.")
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--output", type=Path)

    def handle(self, *args, **options) -> None:
        client = Client(HTTP_HOST="127.0.0.1")
        params = {**dict(parse_qsl(options["query"])), "format": options["format"]}
        rates: list[float] = []
        for _ in range(options["repeat"]):
            cache.clear()
            output = options["output"].open("wb") if options["output"] else None
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get("/claims/", params)
            if not isinstance(response, StreamingHttpResponse):
                raise CommandError(f"{response.status_code}: {response.content.decode()[:500]}")
            size = lines = 0
            for chunk in response.streaming_content:
                size += len(chunk)
                lines += chunk.count(b"\n")
                if output:
                    output.write(chunk)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            if output:
                output.close()
            # A row a line (a cell's own line breaks aside), and the header's line (CSV) or the
            # closing bracket's two (JSON).
            rows = lines - (1 if options["format"] == "csv" else 2)
            rates.append(rows / elapsed)
            self.stdout.write(
                f"{response.status_code} {rows:,} rows, {size / 1e6:.1f} MB in {elapsed:.2f} s: "
                f"{rows / elapsed:,.0f} rows/s ({cpu:.2f} s of this process's CPU time)"
            )
        self.stdout.write(f"median {statistics.median(rates):,.0f} rows/s")
