"""The newsroom mix of `make bench`: a writer adding an attribution every second while readers
browse filter combinations nobody asked for before; and each page's first request after a write.

The writer is a process of its own (the ORM, as an import or the admin writes), so the server
sees its writes only through the database and the shared cache (Redis): as two app servers do.
"""

from __future__ import annotations

import http.client
import json
import random
import statistics
import subprocess
import textwrap
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

READERS = 4

# Reads commands on stdin: "write" adds one attribution and answers "wrote"; "every S" adds
# one a second for S seconds and answers "wrote N". Each is a copy of a random attribution
# given another source and stance, committed on its own, as an editor's save is.
WRITER = """
import random, sys, time
from django.db import IntegrityError, transaction
from tracker.models import Attribution, Source
rng = random.Random(11)
last = Attribution.objects.order_by("-pk").values_list("pk", flat=True)[0]
sources = Source.objects.order_by("-pk").values_list("pk", flat=True)[0]
STANCES = ["asserts", "denies", "declined", "no_response"]

def write():
    while True:
        model = Attribution.objects.filter(pk__gte=rng.randint(1, last)).order_by("pk").first()
        source = Source.objects.filter(pk__gte=rng.randint(1, sources)).order_by("pk").first()
        if model is None or source is None:
            continue
        try:
            with transaction.atomic():
                Attribution.objects.create(
                    claim_id=model.claim_id, article_id=model.article_id, source=source,
                    stance=rng.choice(STANCES), wording=source.name[:200],
                    span_start=model.span_start, span_end=model.span_end,
                )
            return
        except IntegrityError:
            continue

print("ready", flush=True)
for line in sys.stdin:
    command = line.split()
    if command[0] == "write":
        write()
        print("wrote", flush=True)
    elif command[0] == "every":
        end, n = time.monotonic() + float(command[1]), 0
        while time.monotonic() < end:
            started = time.monotonic()
            write()
            n += 1
            time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
        print("wrote", n, flush=True)
"""

# The corpus facts the URLs are made from, printed as JSON by a Django process.
FACTS = """
import json
from django.db.models import Max, Min
from articles.models import Article, Outlet
from tracker.models import Actor, Claim, Source
dates = Article.objects.aggregate(first=Min("published_on"), last=Max("published_on"))
print(json.dumps({
    "actors": list(Actor.objects.order_by("pk").values_list("slug", "path")[:2000]),
    "outlets": list(Outlet.objects.order_by("pk").values_list("slug", "pk")[:300]),
    "claims": list(Claim.objects.order_by("-pk").values_list("pk", flat=True)[:5000]),
    "sources": list(Source.objects.order_by("-pk").values_list("pk", flat=True)[:5000]),
    "first": dates["first"].isoformat(), "last": dates["last"].isoformat(),
}))
"""

STANCES = ("asserts", "denies", "declined", "no_response", "responses")
ANONYMITY = ("named", "anonymous", "unattributed")


@dataclass
class Combination:
    """One filter combination, as our claim list asks it and as Datasette's table view does."""

    ours: str
    datasette: str


def _datasette(filters: dict[str, str], facts: dict) -> str:
    """The same question over the attribution table: where clauses, a stance facet, 25 rows."""
    where = []
    if "actor" in filters:
        path = dict(facts["actors"])[filters["actor"]]
        where.append(
            "source_id in (select id from tracker_source where actor_id in "
            f"(select id from tracker_actor where path like '{path}%'))"
        )
    stance = filters.get("stance")
    if stance == "responses":
        where.append("stance in ('denies', 'declined', 'no_response')")
    elif stance:
        where.append(f"stance = '{stance}'")
    if "anonymity" in filters:
        where.append(f"anonymity = '{filters['anonymity']}'")
    article = []
    if "outlet" in filters:
        article.append(f"outlet_id = {dict(facts['outlets'])[filters['outlet']]}")
    if "date_from" in filters:
        article.append(f"published_on >= '{filters['date_from']}'")
    if "date_to" in filters:
        article.append(f"published_on <= '{filters['date_to']}'")
    if article:
        where.append(
            f"article_id in (select id from articles_article where {' and '.join(article)})"
        )
    query = {"_facet": "stance", "_size": "25", "_where": " and ".join(where) or "1 = 1"}
    return "/tracker/tracker_attribution.json?" + urllib.parse.urlencode(query)


def combinations(facts: dict, seed: int = 5) -> Iterator[Combination]:
    """Claim-list filter combinations, each once, in a reproducible order."""
    rng = random.Random(seed)
    first, last = (time.strptime(facts[k], "%Y-%m-%d") for k in ("first", "last"))
    span = max(1, int((time.mktime(last) - time.mktime(first)) // 86400))
    seen: set[str] = set()

    def day(offset: int) -> str:
        return time.strftime("%Y-%m-%d", time.localtime(time.mktime(first) + offset * 86400))

    while True:
        filters: dict[str, str] = {"actor": rng.choice(facts["actors"])[0]}
        roll = rng.random()
        if roll < 0.4:
            filters["stance"] = rng.choice(STANCES)
        elif roll < 0.6:
            filters["anonymity"] = rng.choice(ANONYMITY)
            filters["stance"] = rng.choice(STANCES)
        elif roll < 0.8:
            start = rng.randrange(span)
            filters.update(date_from=day(start), date_to=day(start + rng.randrange(1, 120)))
        else:
            del filters["actor"]
            filters.update(outlet=rng.choice(facts["outlets"])[0], stance=rng.choice(STANCES))
        ours = "/claims/?" + urllib.parse.urlencode(filters)
        if ours not in seen:
            seen.add(ours)
            yield Combination(ours, _datasette(filters, facts))


def browsing(facts: dict, seed: int = 9) -> Iterator[str]:
    """What readers open, each URL once: lists, actor, claim and source pages, the API."""
    rng = random.Random(seed)
    lists = combinations(facts, seed)
    pages = {
        "actor": iter(rng.sample([slug for slug, _ in facts["actors"]], len(facts["actors"]))),
        "claim": iter(rng.sample(facts["claims"], len(facts["claims"]))),
        "source": iter(rng.sample(facts["sources"], len(facts["sources"]))),
    }
    while True:
        roll = rng.random()
        try:
            if roll < 0.45:
                yield next(lists).ours
            elif roll < 0.6:
                yield next(lists).ours.replace("/claims/?", "/api/claims/?")
            elif roll < 0.75:
                yield f"/actors/{next(pages['actor'])}/"
            elif roll < 0.9:
                yield f"/claims/{next(pages['claim'])}/"
            else:
                yield f"/sources/{next(pages['source'])}/"
        except StopIteration:  # a small corpus has run out of one kind of page
            yield next(lists).ours


@dataclass
class Load:
    """Latencies (ms) of every request of a run, and how many failed."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    def summary(self) -> dict:
        ordered = sorted(self.latencies) or [0.0]

        def pct(p: float) -> float:
            return ordered[min(len(ordered) - 1, int(p * len(ordered)))]

        return {
            "requests": len(self.latencies),
            "rps": len(self.latencies) / self.seconds if self.seconds else 0.0,
            "p50": statistics.median(ordered),
            "p95": pct(0.95),
            "p99": pct(0.99),
            "errors": self.errors,
        }


def fetch(port: int, path: str, timeout: float = 60) -> tuple[int, float]:
    """One GET on a fresh connection: the status and the milliseconds to the last byte."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        return response.status, (time.perf_counter() - started) * 1000
    except OSError:
        return 599, (time.perf_counter() - started) * 1000
    finally:
        connection.close()


def load(port: int, paths: Iterator[str] | Callable[[], str], seconds: float) -> Load:
    """READERS clients for `seconds`, each taking the next path (a shared iterator: no repeats)."""
    result, lock = Load(), threading.Lock()
    deadline = time.monotonic() + seconds

    def next_path() -> str | None:
        with lock:
            return paths() if callable(paths) else next(paths, None)

    def reader() -> None:
        while time.monotonic() < deadline and (path := next_path()):
            status, ms = fetch(port, path)
            with lock:
                result.latencies.append(ms)
                result.errors += status >= 400

    started = time.monotonic()
    threads = [threading.Thread(target=reader) for _ in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    return result


class Writer:
    """The writer process: one attribution on demand, or one a second for a while."""

    def __init__(self, python: str, prelude: str, env: dict[str, str], root: Path) -> None:
        self.process = subprocess.Popen(
            [python, "-c", prelude + textwrap.dedent(WRITER)],
            env=env, cwd=root, text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )  # fmt: skip
        self._answer()  # ready

    def _answer(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the benchmark's writer process stopped")
        return line.strip()

    def write(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("write\n")
        self.process.stdin.flush()
        self._answer()

    def every_second(self, seconds: float) -> Callable[[], int]:
        """Start writing; the returned function waits for the end and gives the number written."""
        assert self.process.stdin is not None
        self.process.stdin.write(f"every {seconds}\n")
        self.process.stdin.flush()
        return lambda: int(self._answer().split()[1])

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def facts_of(run_python: Callable[[str], str]) -> dict:
    return json.loads(run_python(FACTS))


def redis_problem(url: str) -> str | None:
    """None when the benchmark's Redis answers (and has been emptied for this run), else why not."""
    import redis

    try:
        server = redis.Redis.from_url(url, socket_connect_timeout=2)
        server.flushdb()  # a database of the benchmark's own: pages kept by an earlier corpus go
    except redis.RedisError as error:
        return f"no Redis at {url} ({error})"
    return None


def measure(*, database: str, port: int, writer: Writer, facts: dict, pages: dict[str, str],
            seconds: float, probes: int, log) -> tuple[list[dict], list[dict]]:  # fmt: skip
    """(the mix's rows, each page's first request after a write) on a running server."""
    after: dict[str, list[float]] = {name: [] for name in pages}
    errors: dict[str, int] = dict.fromkeys(pages, 0)
    log(f"{database}: first request after a write, {probes} writes")
    for _ in range(probes):
        writer.write()
        for name, path in pages.items():
            status, ms = fetch(port, path)
            after[name].append(ms)
            errors[name] += status >= 400
    first = [
        {"database": database, "page": name, "path": pages[name], "errors": errors[name],
         **Load(seconds=1, latencies=after[name]).summary()}
        for name in pages
    ]  # fmt: skip
    rows = []
    for name, paths in (
        ("newsroom mix: every kind of page, each URL once", browsing(facts)),
        ("claim lists only: the queries Datasette is given", (c.ours for c in combinations(facts))),
    ):
        log(f"{database}: {name} ({READERS} readers, a write a second, {seconds:.0f} s)")
        finished = writer.every_second(seconds)
        measured = load(port, paths, seconds)
        rows.append({"database": database, "name": name, "writes": finished(),
                     **measured.summary()})  # fmt: skip
    log(f"{database}: bare Django view ({READERS} readers)")
    bare = load(port, lambda: "/bench/bare", seconds)
    rows.append({"database": database, "name": "bare Django view", "writes": 0, **bare.summary()})
    return rows, first


def datasette_row(port: int, facts: dict, seconds: float, writer: Writer) -> dict:
    """Datasette on the same distinct combinations, in the same order, beside the same writer."""
    finished = writer.every_second(seconds)
    measured = load(port, (c.datasette for c in combinations(facts)), seconds)
    return {"database": "sqlite", "name": "Datasette: the same claim-list queries",
            "writes": finished(), **measured.summary()}  # fmt: skip
