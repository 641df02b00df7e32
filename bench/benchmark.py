"""The benchmark behind `make bench`: our pages, Datasette and a bare Django view, same load.

For each database it builds (or reuses) a corpus of the size asked for, serves the app with one
gunicorn worker, drives load with wrk from a second process on 127.0.0.1, counts the SQL queries
of each request in-process, and writes the table to docs/benchmarks.md. On the SQLite file it also
serves Datasette (one process) with the equivalent filter and a stance facet, as JSON.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench import newsroom
from bench.report import Result, Run, render
from bench.wrk import LATENCY_LUA, random_claims_script, wrk

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass
class Target:
    name: str
    path: str
    queries_path: str | None = None  # what the in-process query count requests (default: path)
    cookie: bool = False
    server: str = "app"
    export: bool = False  # measured as one whole download: rows/s and the worker's memory
    single_client: bool = False  # also measured with one connection (latency targets)
    random_claims: bool = False  # each request a claim page picked at random (none kept)


def _env(database: str, claims: int, work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATA_DIR")}
    env.update(
        DEBUG="0",
        SECRET_KEY="benchmark-only-key-not-for-production-0123456789abcdef",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATIC_ROOT=str(work / "static"),
        BENCH_VIEWS="1",
        LOG_LEVEL="WARNING",
    )
    if database == "sqlite":
        env["DATA_DIR"] = str(work / f"sqlite-{claims}")
    else:
        env["DATABASE_URL"] = (
            f"{os.environ.get('BENCH_PG_URL', 'postgres://postgres@127.0.0.1:5432')}/bench_{claims}"
        )
        env["DATA_DIR"] = str(work / "pg-data")
    return env


def _manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


PRELUDE = (
    "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings');"
    " django.setup()\n"
)
# A Redis database of the benchmark's own (emptied at each start): the cache the server and the
# writer process share, as app servers do in production.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


def _python(env: dict[str, str], code: str) -> str:
    prelude = PRELUDE
    result = subprocess.run(
        [PYTHON, "-c", prelude + textwrap.dedent(code)],
        env=env,
        cwd=ROOT,
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    )
    return result.stdout.strip().splitlines()[-1]


def _ensure_postgres_database(claims: int) -> None:
    base = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [f"bench_{claims}"]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "bench_{claims}"')


def ensure_corpus(database: str, claims: int, work: Path, log) -> dict[str, str]:
    """Migrate and fill the benchmark database once; later runs reuse it."""
    env = _env(database, claims, work)
    Path(env["DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    if database == "postgresql":
        _ensure_postgres_database(claims)
    _manage(env, "migrate", "--no-input", "-v0")
    have = int(_python(env, "from tracker.models import Claim; print(Claim.objects.count())"))
    if have < claims:
        log(f"{database}: generating {claims:,} claims (one-off; reused by later runs)")
        started = time.monotonic()
        _manage(env, "generate_corpus", "--claims", str(claims - have), "--seed", "1")
        log(f"{database}: corpus ready in {time.monotonic() - started:.0f} s")
    if database == "postgresql":
        # What autovacuum does to a production database after a bulk load (it may be off on a
        # test server): the counts' rewrites leave dead rows behind, and index-only scans need
        # the visibility map. Then the planner's statistics.
        _python(
            env,
            "from django.db import connection; connection.cursor().execute('VACUUM (ANALYZE)');"
            " print('ok')",
        )
    if not (work / "static" / "staticfiles.json").exists():
        _manage(env, "collectstatic", "--no-input", "-v0")
    return env


def _wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@contextmanager
def serving(command: list[str], env: dict[str, str], health_url: str) -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, start_new_session=True
    )
    try:
        _wait_for(health_url)
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def pick_targets(env: dict[str, str]) -> tuple[list[Target], dict]:
    """Choose real rows to ask for: the busiest top-level actor, one of its claims, a deep page."""
    info = json.loads(
        _python(
            env,
            """
            import json
            from django.contrib.auth.models import User
            from django.db.models import Count
            from django.test import Client
            from tracker.models import Actor, Attribution, Claim
            root = Actor.objects.filter(parent=None).order_by("pk").first()
            claim = Claim.objects.by_actor(root).order_by("-pk").first()
            user, _ = User.objects.get_or_create(
                username="bench", defaults={"is_staff": True, "is_superuser": True}
            )
            client = Client()
            client.force_login(user)
            total = Claim.objects.count()
            middle = Claim.objects.order_by("-first_reported_on", "-id")[total // 2]
            from tracker.pagination import encode
            cursor = encode([middle.first_reported_on, middle.pk])  # the list's own cursor
            # Claims to ask for at random: ids drawn from the whole range, those that exist.
            import random
            low, high = Claim.objects.order_by("pk")[0].pk, Claim.objects.order_by("-pk")[0].pk
            drawn = random.Random(3).sample(range(low, high + 1), min(20000, high - low + 1))
            some = list(Claim.objects.filter(pk__in=drawn).values_list("pk", flat=True))
            print(json.dumps({
                "random_claims": some,
                "actor": root.slug, "actor_path": root.path, "claim": claim.pk,
                "cookie": f"sessionid={client.cookies['sessionid'].value}",
                "cursor": cursor, "position": total // 2,
                "subtree_attributions": Attribution.objects.by_actor(root).count(),
            }))
            """,
        )
    )
    actor = info["actor"]
    targets = [
        Target("claim list: actor filter + facets", f"/claims/?actor={actor}", single_client=True),
        Target("claim list: page 1", "/claims/"),
        Target(
            f"claim list: page at position {info['position']:,}",
            f"/claims/?cursor={info['cursor']}",
        ),
        Target("CSV export, every attribution", "/claims/?format=csv", export=True),
        Target("JSON export, the actor's", f"/claims/?actor={actor}&format=json", export=True),
        Target("claim page", f"/claims/{info['claim']}/", single_client=True),
        Target(
            f"claim pages at random (from {len(info['random_claims']):,} claims)",
            f"/claims/{info['claim']}/",
            random_claims=True,
        ),
        Target("actor page", f"/actors/{actor}/"),
        Target("API list (claims, actor)", f"/api/claims/?actor={actor}"),
        Target(
            "admin changelist (attributions)",
            "/admin/tracker/attribution/",
            cookie=True,
            single_client=True,
        ),
        Target("full-text search", "/claims/?q=weapons", single_client=True),
        Target("bare Django view", "/bench/bare", server="app"),
    ]
    return targets, info


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0]) if children else master


def measure_export(url: str, master: int) -> dict:
    """One whole download: rows per second, and how much the worker's memory grew meanwhile."""
    worker = _worker_pid(master)
    before = _rss_kb(worker)
    peak = [before]
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], _rss_kb(worker))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    started = time.monotonic()
    lines = 0
    try:
        with urllib.request.urlopen(url, timeout=1800) as response:
            while block := response.read(1 << 20):
                lines += block.count(b"\n")
    finally:
        done.set()
        watcher.join()
    seconds = time.monotonic() - started
    # CSV: one line per row after the header; JSON: "[", a line per row, "]".
    rows = max(0, lines - (2 if "format=json" in url else 1))
    return {
        "rows": rows,
        "seconds": seconds,
        "rows_per_second": rows / seconds if seconds else 0.0,
        "growth_mb": (peak[0] - before) / 1024,
    }


def count_queries(env: dict[str, str], targets: list[Target], cookie: str) -> dict[str, dict]:
    # (path, signed in?): only the admin is asked as a signed-in editor, as wrk asks it.
    paths = [(t.queries_path or t.path, t.cookie) for t in targets]
    return json.loads(
        _python(
            env,
            f"""
            import json, time
            from django.db import connection
            from django.test import Client
            from django.test.utils import CaptureQueriesContext
            editor = Client(HTTP_HOST="127.0.0.1")
            editor.cookies.load({cookie!r})
            anonymous = Client(HTTP_HOST="127.0.0.1")
            counts, cold = {{}}, {{}}
            for path, signed_in in {paths!r}:
                client = editor if signed_in else anonymous
                started = time.perf_counter()
                first = client.get(path)  # fills the caches, as on a running server
                if getattr(first, "streaming", False):
                    for _ in first.streaming_content:
                        pass
                cold[path] = round((time.perf_counter() - started) * 1000, 1)
                with CaptureQueriesContext(connection) as ctx:
                    response = client.get(path)
                    if getattr(response, "streaming", False):
                        for _ in response.streaming_content:
                            pass
                counts[path] = len(ctx.captured_queries) if response.status_code < 400 else None
            print(json.dumps({{"queries": counts, "cold_ms": cold}}))
            """,
        )
    )


def run_database(database: str, run: Run, work: Path, log, datasette: str | None) -> None:
    env = ensure_corpus(database, run.claims, work, log)
    problem = newsroom.redis_problem(REDIS_URL)
    if problem:
        run.facts.append(f"{database}: the newsroom mix was not run: {problem}")
    else:
        env["REDIS_URL"] = REDIS_URL
    targets, info = pick_targets(env)
    run.facts.append(
        f"{database}: actor `{info['actor']}` (and sub-actors: {info['subtree_attributions']:,} "
        f"attributions), claim {info['claim']}"
    )
    measured_in_process = count_queries(env, targets, info["cookie"])
    queries, cold_ms = measured_in_process["queries"], measured_in_process["cold_ms"]
    script = work / "latency.lua"
    script.write_text(LATENCY_LUA)
    port = 8100 if database == "sqlite" else 8110
    gunicorn = [
        str(Path(PYTHON).parent / "gunicorn"), "config.wsgi:application",
        "-b", f"127.0.0.1:{port}",
        "-w", "1", "--access-logfile", "/dev/null", "--error-logfile", "-",
        # A sync worker is killed after --timeout seconds on one request; a full export of
        # millions of rows streams for longer than the default 30.
        "--timeout", "900",
    ]  # fmt: skip
    facts = newsroom.facts_of(lambda code: _python(env, code))
    writer = None if problem else newsroom.Writer(PYTHON, PRELUDE, env, ROOT)
    try:
        _serve_and_measure(database, run, gunicorn, env, port, targets, info, queries, cold_ms,
                           script, log, writer, facts)  # fmt: skip
        if database == "sqlite" and datasette:
            _datasette(run, env, info, script, datasette, log, writer, facts)
    finally:
        if writer:
            writer.close()


def _serve_and_measure(database, run, gunicorn, env, port, targets, info, queries, cold_ms,
                       script, log, writer, facts) -> None:  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    with serving(gunicorn, env, f"{base}/healthz") as server:
        if writer:
            actor = info["actor"]
            pages = {
                "/claims/": "/claims/",
                "/claims/?actor=X&stance=Y": f"/claims/?actor={actor}&stance=denies",
                "a root actor's page": f"/actors/{actor}/",
                "a claim page": f"/claims/{info['claim']}/",
                "/api/claims/?actor=X": f"/api/claims/?actor={actor}",
            }
            rows, first = newsroom.measure(
                database=database, port=port, writer=writer, facts=facts, pages=pages,
                seconds=max(run.duration, 3), probes=max(3, run.duration), log=log,
            )  # fmt: skip
            run.newsroom += rows
            run.after_write += first
        for target in targets:
            url = base + target.path
            if target.export:
                log(f"{database}: {target.name}")
                run.exports.append(
                    {"database": database, "name": target.name, "path": target.path,
                     "queries": queries.get(target.path), **measure_export(url, server.pid)}
                )  # fmt: skip
                continue
            if target.random_claims:
                log(f"{database}: {target.name}")
                measured = wrk(
                    url, duration=run.duration, connections=run.connections, cookie=None,
                    script=random_claims_script(script, info["random_claims"]),
                )  # fmt: skip
                run.results.append(
                    Result(database, target.name, "/claims/<random>/", measured["rps"],
                           measured["p50"], measured["p95"], measured["p99"], measured["errors"],
                           None, cold_ms=cold_ms.get(target.path))
                )  # fmt: skip
                continue
            headers = {"Cookie": info["cookie"]} if target.cookie else {}
            try:  # the first request fills caches, as on a running server
                request = urllib.request.Request(url, headers=headers)
                urllib.request.urlopen(request, timeout=120).read()
            except OSError as exc:
                log(f"{database}: {target.name}: {exc}")
                run.results.append(Result(database, target.name, target.path, note=str(exc)))
                continue
            log(f"{database}: {target.name}")
            measured = wrk(
                url, duration=run.duration, connections=run.connections,
                cookie=info["cookie"] if target.cookie else None, script=script,
            )  # fmt: skip
            run.results.append(
                Result(
                    database, target.name, target.path, measured["rps"], measured["p50"],
                    measured["p95"], measured["p99"], measured["errors"],
                    queries.get(target.queries_path or target.path),
                    cold_ms=cold_ms.get(target.queries_path or target.path),
                )
            )  # fmt: skip
            if target.single_client:
                one = wrk(
                    url, duration=run.duration, connections=1,
                    cookie=info["cookie"] if target.cookie else None, script=script,
                )  # fmt: skip
                run.single.append(
                    Result(database, target.name, target.path, one["rps"], one["p50"],
                           one["p95"], one["p99"], one["errors"])
                )  # fmt: skip


def _datasette(run, env, info, script, datasette, log, writer, facts) -> None:
    db_file = Path(env["DATA_DIR"]) / "tracker.sqlite3"
    path = "/tracker/tracker_attribution.json?_facet=stance&_size=25&_where=" + urllib.parse.quote(
        "source_id in (select id from tracker_source where actor_id in "
        f"(select id from tracker_actor where path like '{info['actor_path']}%'))"
    )
    command = [
        datasette, "serve", str(db_file), "-p", "8120", "-h", "127.0.0.1",
        "--setting", "suggest_facets", "off", "--setting", "sql_time_limit_ms", "20000",
    ]  # fmt: skip
    with serving(command, env, "http://127.0.0.1:8120/-/versions.json"):
        if writer:
            log("sqlite: Datasette, the same distinct claim-list queries")
            run.newsroom.append(newsroom.datasette_row(8120, facts, max(run.duration, 3), writer))
        url = "http://127.0.0.1:8120" + path
        urllib.request.urlopen(url, timeout=60).read()
        log("sqlite: Datasette")
        measured = wrk(
            url, duration=run.duration, connections=run.connections, cookie=None, script=script
        )
        run.results.append(
            Result(
                "sqlite", "Datasette: same filter + stance facet (JSON)", path, measured["rps"],
                measured["p50"], measured["p95"], measured["p99"], measured["errors"], None,
            )
        )  # fmt: skip


def main(claims: int, duration: int, connections: int, databases: list[str], out: Path | None,
         datasette: str | None, work: Path, command: str, log=print) -> Run:  # fmt: skip
    if not shutil.which("wrk"):
        raise RuntimeError(
            "wrk is not installed (Debian: apt-get install wrk); `make bench` installs it"
        )
    work.mkdir(parents=True, exist_ok=True)
    run = Run(claims=claims, duration=duration, connections=connections)
    for database in databases:
        run_database(database, run, work, log, datasette)
    report = render(run, command)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(report + "\n")
    return run
