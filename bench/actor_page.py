"""Time the largest root actor's page cold: the first request after another page, no kept pages.

    DEBUG=1 DATABASE_URL=... python bench/actor_page.py [--runs 3] [--affiliated]

Prints each run's time and its slowest queries, then the median. Development only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, os.getcwd())
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--affiliated", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tracker.models import Actor, ActorStanceCount

    setup_test_environment()  # Client's ALLOWED_HOSTS ("testserver")
    root = (
        ActorStanceCount.objects.filter(actor__parent__isnull=True, tie="speaks_for")
        .values_list("actor_id")
        .annotate(n=django.db.models.Sum("subtree"))
        .order_by("-n")
        .first()
    )
    assert root is not None, "no actor has attributions"
    actor = Actor.objects.get(pk=root[0])
    other = Actor.objects.filter(parent__isnull=True).exclude(pk=actor.pk).first()
    assert other is not None, "one root actor only"
    url = f"/actors/{actor.slug}/" + ("?affiliated=1" if args.affiliated else "")
    print(f"{connection.vendor}: {actor.name} ({root[1]:,} attributions in its sub-tree) {url}")
    client = Client()
    times = []
    for run in range(args.runs):
        cache.clear()
        assert client.get(f"/actors/{other.slug}/").status_code == 200  # another page first
        cache.clear()
        reset_queries()
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        times.append(elapsed)
        queries = connection.queries
        total = sum(float(q["time"]) for q in queries)
        sql_ms = f"{total * 1000:.0f} ms in SQL"
        print(f"run {run + 1}: {elapsed * 1000:.0f} ms, {len(queries)} queries, {sql_ms}")
        for q in queries:
            print(f"  {float(q['time']) * 1000:7.1f} ms  {label(q['sql'])}")
    print(f"median {statistics.median(times) * 1000:.0f} ms over {args.runs} runs")


def label(sql: str) -> str:
    if "tracker_actorreach" in sql:
        return "NEWEST: every stance's newest rows, from the actor reach rows"
    if sql.startswith('SELECT "tracker_attribution"."id"') and '"published_on" DESC' in sql:
        stance = sql.split('"tracker_attribution"."stance" = ')[-1].split(")")[0]
        return f"NEWEST: the newest rows of stance {stance}"
    return sql[:110]


if __name__ == "__main__":
    main()
