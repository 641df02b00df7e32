"""manage.py time_search WORD...: the claim list searched for each word, each request cold."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment


class Command(BaseCommand):
    help = (
        "Time /claims/?q=WORD for each word given, with the page cache cleared before the "
        "request (the first request after a write), and count its SQL queries."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("words", nargs="+")

    def handle(self, *args, **options) -> None:
        setup_test_environment()  # the test client then keeps each response's context
        client = Client(HTTP_HOST="127.0.0.1")
        client.get("/claims/")  # the process's first request loads templates and URLconf
        for word in options["words"]:
            cache.clear()
            started = time.perf_counter()
            response = client.get("/claims/", {"q": word})
            elapsed = (time.perf_counter() - started) * 1000
            # Counted on a second cold request: recording the SQL slows the first.
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                client.get("/claims/", {"q": word})
            total = response.context["total"] if response.context else "-"
            self.stdout.write(
                f"{word!r:28} {response.status_code} {elapsed:8.1f} ms "
                f"{len(queries):2} queries, {total} claims"
            )
