"""Kept pages and values, retired by per-model generation numbers that live in the cache itself.

Every model has a generation: a number in the cache (`generation:tracker.claim`). A kept page's
key holds the generations of the models the page reads (declared beside the view in
tracker/urls.py), so a write to one of those models gives the page a new key and the next request
renders it afresh; a write to a model the page does not read leaves it alone.

How a write moves the generations: a hook on every database connection sees each statement
Django sends that writes (INSERT, UPDATE, DELETE, REPLACE, TRUNCATE, MERGE): the ORM's save and
delete, m2m changes, `QuerySet.update`, `bulk_create`, and raw SQL through `connection.cursor()`.
It maps the table to its models (from `apps.get_models()`, so a new model is covered without a list
to keep up) and, once the transaction commits (`transaction.on_commit`), increments their
generations with `cache.incr`. Nothing is written to the database for this: two editors, or an
import and an editor, never wait on each other because of it. Signals would miss
`QuerySet.update`, `bulk_create` and raw SQL, and a `post_delete` receiver on every model turns
each cascade into a row-by-row delete; the statements themselves miss nothing Django sends.

Writes Django does not send must call `bump()` when they are done: PostgreSQL `COPY` (the
benchmark's corpus), another program, psql. After restoring a database from a backup, clear the
cache (`cache.clear()`).

A connection with uncommitted writes neither reads nor keeps anything here: it sees rows nobody
else can see yet (and may roll back), so it computes. That includes a test run inside a
transaction: only tests with committed data (`transaction=True`) exercise the kept path.

One computation per key at a time: the first request to miss takes a lock (`cache.add` with a
timeout) and computes; the others wait for its result, up to LOCK_WAIT seconds, then compute
themselves, so four analysts arriving after a write cost one computation, and a dead worker holds
nobody up for long.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import time
import uuid
from collections.abc import Callable, Iterable
from functools import cache as memoize
from functools import wraps
from typing import Any, cast

from django.apps import apps
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import Model
from django.db.models.signals import post_migrate
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

log = logging.getLogger(__name__)

TIMEOUT = 24 * 3600  # a kept value is retired by its key changing; old keys just age out
LOCK_TIMEOUT = 60  # seconds a computing request holds a key's lock at most (if it dies)
LOCK_WAIT = 10.0  # seconds the others wait for its result before computing themselves
POLL = 0.02  # seconds between looks while waiting

GENERATION = "generation:"

# The statements that write, as they start (after any leading blanks).
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE", "TRUNCATE", "WITH")
# The table a writing statement names: `INSERT INTO "t"`, `UPDATE t`, `DELETE FROM public.t`, ...
_TARGET = re.compile(
    r"\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO)"
    r'\s+(?:ONLY\s+)?(?:"?\w+"?\.)?"?(\w+)"?',
    re.IGNORECASE,
)


ModelRef = type[Model] | str


# --- which models a write touches ------------------------------------------------------------


@memoize
def _labels_by_table() -> dict[str, frozenset[str]]:
    """Each table's models (a proxy shares its concrete model's table), for every model."""
    tables: dict[str, set[str]] = {}
    for model in apps.get_models(include_auto_created=True):
        tables.setdefault(model._meta.db_table.lower(), set()).add(model._meta.label_lower)
    return {table: frozenset(labels) for table, labels in tables.items()}


def all_labels() -> frozenset[str]:
    """The label of every installed model, m2m tables and proxies included."""
    return frozenset().union(*_labels_by_table().values())


def labels_of_table(table: str) -> frozenset[str]:
    return _labels_by_table().get(table.strip('"').lower(), frozenset())


def written_labels(sql: str) -> frozenset[str]:
    """The models a statement writes to; none for a statement that only reads."""
    head = sql.lstrip()[:8].upper()
    if not head.startswith(_WRITES):
        return frozenset()
    if head.startswith("TRUNCATE"):
        return all_labels()  # may name several tables and cascade: everything
    if head.startswith("WITH"):
        # A CTE before the write (or only a read): every table written in it.
        return frozenset().union(*(labels_of_table(t) for t in _TARGET.findall(sql)))
    match = _TARGET.match(sql.lstrip())
    return labels_of_table(match.group(1)) if match else frozenset()


def label(model: ModelRef) -> str:
    """`app_label.modelname` of a model class or of a label such as "tracker.Claim"."""
    if isinstance(model, str):
        model = apps.get_model(model)  # a typo is a LookupError when the URLs load
    return model._meta.label_lower


# --- generations -----------------------------------------------------------------------------


def _fresh() -> int:
    # A random start, not 1: a generation that was evicted (or a cache that restarted) must not
    # come back at a number some kept value was computed under.
    return secrets.randbits(52)


def generations(labels: Iterable[str]) -> tuple[int | None, ...]:
    """The current generation of each model, starting any that has none; one round trip."""
    keys = [GENERATION + name for name in labels]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, _fresh(), None)  # never expires; add keeps a rival's start
        found.update(cache.get_many(missing))
    return tuple(found.get(key) for key in keys)


def _increment(labels: Iterable[str]) -> None:
    for name in sorted(labels):
        key = GENERATION + name
        try:
            try:
                cache.incr(key)
            except ValueError:  # none yet, or evicted: nothing is kept under the next start
                cache.add(key, _fresh(), None)
        except Exception:  # the cache is down: the write stands; say loudly that pages may lag
            log.exception("could not move the cache generation %s after a write", key)


class _AfterCommit:
    """The models one transaction wrote, whose generations move when it commits."""

    def __init__(self) -> None:
        self.labels: set[str] = set()

    def __call__(self) -> None:
        _increment(self.labels)


def _pending(connection: BaseDatabaseWrapper) -> _AfterCommit | None:
    """This transaction's collector that stands as long as the current savepoint does."""
    current = set(connection.savepoint_ids)
    entries = connection.run_on_commit
    # Where the last one was put: every other write of a long transaction (an import) finds it
    # there, instead of reading through every callback registered since.
    index, known = getattr(connection, "_generation_collector", (-1, None))
    if 0 <= index < len(entries) and entries[index][1] is known and entries[index][0] <= current:
        return cast(_AfterCommit, known)
    # Each entry is (savepoint ids, function, robust): indexed, as the stubs still list two items.
    for index in range(len(entries) - 1, -1, -1):
        sids, func = entries[index][0], entries[index][1]
        if isinstance(func, _AfterCommit) and sids <= current:
            connection._generation_collector = (index, func)  # type: ignore[attr-defined]
            return func
    return None


def _after_commit(connection: BaseDatabaseWrapper, labels: Iterable[str]) -> None:
    if not connection.in_atomic_block:  # autocommit: the statement has committed
        _increment(labels)
        return
    pending = _pending(connection)
    if pending is None:
        pending = _AfterCommit()
        transaction.on_commit(pending, using=connection.alias, robust=True)
        entry = len(connection.run_on_commit) - 1
        connection._generation_collector = (entry, pending)  # type: ignore[attr-defined]
    pending.labels.update(labels)


def bump(*models: ModelRef, using: str = DEFAULT_DB_ALIAS) -> None:
    """Retire what was kept for these models (every model when none is named), after commit.

    Only writes Django does not send need this: PostgreSQL COPY, another program, psql.
    """
    labels = [label(model) for model in models] if models else all_labels()
    _after_commit(connections[using], labels)


def uncommitted_writes() -> bool:
    """Whether a connection of this thread has written in a transaction not yet committed."""
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block and any(
            isinstance(entry[1], _AfterCommit) for entry in connection.run_on_commit
        ):
            return True
    return False


def _write_hook(execute: Callable, sql: Any, params: Any, many: bool, context: dict) -> Any:
    result = execute(sql, params, many, context)
    if isinstance(sql, str):
        labels = written_labels(sql)
        if labels:
            _after_commit(context["connection"], labels)
    return result


def _watch(connection: BaseDatabaseWrapper, **_: Any) -> None:
    # First in the list: `connection.execute_wrapper()` blocks push and pop at the end.
    if _write_hook not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _write_hook)


def _after_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    if getattr(sender, "name", None) != "tracker":
        return
    # New code may render differently: a deploy (which migrates) retires every kept page.
    bump(using=using)


def install() -> None:
    """Watch the writes of every database connection (called once, from TrackerConfig.ready)."""
    connection_created.connect(_watch, dispatch_uid="tracker.caching.watch")
    post_migrate.connect(_after_migrate, dispatch_uid="tracker.caching.after_migrate")
    for connection in connections.all(initialized_only=True):
        _watch(connection)


# --- kept values -----------------------------------------------------------------------------


def keyed(name: str, labels: Iterable[str]) -> str:
    """name under the current generations of these models."""
    labels = sorted(labels)
    stamp = ".".join(str(g) for g in generations(labels))
    digest = hashlib.sha1(f"{name}|{','.join(labels)}|{stamp}".encode()).hexdigest()
    return f"kept:{digest}"


def _wait_for(key: str, lock: str) -> Any:
    """The value another request is computing, once it is there; None if it does not come."""
    deadline = time.monotonic() + LOCK_WAIT
    while time.monotonic() < deadline:
        time.sleep(POLL)
        found = cache.get_many([key, lock])
        if key in found:
            return found[key]
        if lock not in found:  # it finished without keeping (an error page), or died
            return None
    return None


def compute_once[T](key: str, compute: Callable[[], T | None], timeout: int = TIMEOUT) -> T | None:
    """The value kept under key, or compute() by one request at a time (None: not kept)."""
    kept = cache.get(key)
    if kept is not None:
        return kept
    lock, token = f"{key}:computing", uuid.uuid4().hex
    if not cache.add(lock, token, LOCK_TIMEOUT):
        kept = _wait_for(key, lock)
        if kept is not None:
            return kept
        token = ""  # computing without the lock: not ours to release
    try:
        value = compute()
        if value is not None:
            cache.set(key, value, timeout)
        return value
    finally:
        if token and cache.get(lock) == token:
            cache.delete(lock)


def cached[T](key: str, compute: Callable[[], T], *, reads: Iterable[ModelRef]) -> T:
    """compute()'s value, kept until one of the models it reads is written."""
    if uncommitted_writes():
        return compute()
    labels = {label(model) for model in reads}
    kept = compute_once(keyed(key, labels), lambda: (compute(),))  # a 1-tuple: None is a value
    assert kept is not None
    return kept[0]


def cached_page(view: Callable[..., HttpResponseBase], *, reads: Iterable[ModelRef]) -> Callable:
    """A public page's HTML, kept until one of the models it reads is written.

    For pages that depend only on the URL and the data (no user, no form). `reads` names every
    model whose rows the page shows; tests/tracker/test_caching.py checks it against the tables
    each page's SQL touches, so a model added to a page cannot be left out.
    """
    labels = frozenset(label(model) for model in reads)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Exports stream and are not kept; everything else on these pages is HTML.
        if request.method not in ("GET", "HEAD") or request.GET.get("format") not in (None, "html"):
            return view(request, *args, **kwargs)
        if uncommitted_writes():
            return view(request, *args, **kwargs)
        try:
            key = keyed(f"page|{request.build_absolute_uri()}", labels)
        except Exception:  # the cache does not answer: serve the page computed, not an error
            log.exception("the cache did not answer; %s computed without it", request.path)
            return view(request, *args, **kwargs)
        rendered: list[HttpResponseBase] = []

        def render() -> tuple[bytes, str] | None:
            response = view(request, *args, **kwargs)
            rendered.append(response)
            # A streamed response (an export) is not an HttpResponse, and is not kept.
            if not isinstance(response, HttpResponse) or response.status_code != 200:
                return None
            return response.content, response["Content-Type"]

        kept = compute_once(key, render)
        if rendered:
            return rendered[0]
        assert kept is not None
        content, content_type = kept
        return HttpResponse(content, content_type=content_type)

    wrapper.reads = labels  # type: ignore[attr-defined]
    return wrapper
