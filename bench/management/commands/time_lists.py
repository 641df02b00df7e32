"""manage.py time_lists: the claim list and the API's claims, each request cold, with filters
picked from the data (the same ones on every run of the same corpus)."""

from __future__ import annotations

import random
import statistics
import time
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

from articles.models import Article, Outlet
from tracker.models import ActorStanceCount

SEARCHES = ("Kovacs", "Darfur", "smuggled")


def _actors() -> list[str]:
    """Actor slugs from the most cited down to the rarely cited (by their sub-tree's counts)."""
    rows = (
        ActorStanceCount.objects.filter(tie="speaks_for")
        .values_list("actor__slug")
        .annotate(n=Sum("subtree"))
        .order_by("-n", "actor__slug")
    )
    return [slug for slug, n in rows if n > 0]


def urls(seed: int) -> list[str]:
    """The URLs timed: the named ones, then ten filter combinations picked with the seed."""
    rng = random.Random(seed)
    actors = _actors()
    large = actors[0]
    outlets = list(Outlet.objects.order_by("slug").values_list("slug", flat=True))
    dates = list(
        Article.objects.order_by("published_on").values_list("published_on", flat=True)[::997]
    )
    stances = ["asserts", "denies", "declined", "no_response", "responses"]
    named = [
        "/claims/",
        f"/claims/?actor={large}&stance=denies",
        f"/api/claims/?actor={large}",
        *(f"/claims/?q={word}" for word in SEARCHES),
    ]
    picked = []
    for _ in range(10):
        params: dict[str, str] = {}
        choice = rng.randrange(6)
        if choice in (0, 1, 2):  # an actor: among the most cited, middling, or any
            low, high = [(0, 10), (len(actors) // 10, len(actors) // 2), (0, len(actors))][choice]
            params["actor"] = actors[rng.randrange(low, min(max(high, low + 1), len(actors)))]
        if choice in (1, 3) or rng.random() < 0.4:
            params["stance"] = rng.choice(stances)
        if choice in (3, 4) or rng.random() < 0.3:
            params["outlet"] = rng.choice(outlets)
        if choice == 5 or rng.random() < 0.3:
            start = rng.randrange(len(dates) - 1)
            params["date_from"] = dates[start].isoformat()
            params["date_to"] = dates[min(start + rng.randrange(1, 40), len(dates) - 1)].isoformat()
        if rng.random() < 0.2:
            params["anonymity"] = rng.choice(["named", "anonymous"])
        base = "/api/claims/" if rng.random() < 0.3 else "/claims/"
        picked.append(f"{base}?{urlencode(params)}")
    return named + picked


class Command(BaseCommand):
    help = (
        "Time the claim list and /api/claims/ for named URLs and ten filter combinations picked "
        "from the data, each request with the page cache cleared (the first request after a "
        "write), and print the median and p95 per URL and overall."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=5, help="cold requests per URL")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options) -> None:
        setup_test_environment()
        client = Client(HTTP_HOST="127.0.0.1")
        client.get("/claims/")  # the process's first request loads templates and URLconf
        every: list[float] = []
        for url in urls(options["seed"]):
            times = []
            for _ in range(options["runs"]):
                cache.clear()
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
            every += times
            self.stdout.write(
                f"{response.status_code} med {statistics.median(times):7.1f} "
                f"p95 {_p95(times):7.1f} ms {len(queries):2} q "
                f"(slowest {float(slowest['time']) * 1000:6.1f}) {url}"
            )
        self.stdout.write(
            f"all: median {statistics.median(every):.1f} ms, p95 {_p95(every):.1f} ms "
            f"over {len(every)} requests"
        )


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
