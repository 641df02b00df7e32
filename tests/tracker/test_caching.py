"""Kept pages: every kind of write retires them, only what a page reads does, one computation at
a time, and writers never wait on each other because of the cache."""

from __future__ import annotations

import re
import threading
import time
import uuid
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.db.models import Model
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver

from articles.models import Outlet
from tests.conftest import BODY, span_of
from tracker import caching
from tracker.caching import bump, cached, cached_page, compute_once, generations, labels_of_table
from tracker.credibility import records
from tracker.models import ActorAlias, Attribution, Claim, Evidence, Verdict

committed = pytest.mark.django_db(transaction=True)


def get(client, url: str) -> tuple[str, int]:
    """The page's HTML and how many SQL queries serving it took (0: it was kept)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(ctx.captured_queries)


def fresh(client, url: str) -> str:
    """The page as it renders now, whatever is kept: every generation moved first."""
    bump()
    return get(client, url)[0]


def _outside_django(sql: str, params: list) -> None:
    # Under Django's cursor wrapper, as PostgreSQL COPY or another program writes: unseen.
    raw = connection.connection.cursor()
    raw.execute(sql.replace("%s", "?") if connection.vendor == "sqlite" else sql, params)
    raw.close()


def _saved(obj: Model, **changes: Any) -> None:
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.save()


def _outside_django_then_bump(n) -> None:
    _outside_django(
        "UPDATE tracker_attribution SET wording = %s WHERE id = %s", ["Copied wording", n.denial.pk]
    )
    bump(Attribution)


CLAIM, ACTOR, SOURCE, ARTICLE = "claim", "actor", "source", "article"

# Every kind of write, and the page on which it shows.
WRITES = {
    "ORM create": (CLAIM, lambda n: Attribution.objects.create(
        claim=n.claim, source=n.opposition_sources, article=n.article, stance="declined",
        wording="Newly cited sources",
        **span_of(BODY, "The Russian Defence Ministry did not respond to questions."),
    )),
    "ORM save": (CLAIM, lambda n: _saved(n.denial, wording="A ministry aide")),
    "QuerySet.update": (CLAIM, lambda n: Claim.objects.filter(pk=n.claim.pk).update(
        text="The drive slowed down.")),
    "ORM delete": (CLAIM, lambda n: n.denial.delete()),
    "bulk_create": (CLAIM, lambda n: Attribution.objects.bulk_create([Attribution(
        claim=n.claim, source=n.opposition_sources, article=n.article, stance="declined",
        wording="Bulk-loaded sources",
        **span_of(BODY, "The Russian Defence Ministry did not respond to questions."),
    )])),
    "m2m add": (CLAIM, lambda n: n.claim.about.add(n.opposition)),
    "m2m remove": (ACTOR, lambda n: n.claim.about.remove(n.russia)),
    "raw SQL": (CLAIM, lambda n: connection.cursor().execute(
        "UPDATE tracker_attribution SET wording = %s WHERE id = %s", ["Raw wording", n.denial.pk]
    )),
    "outside Django, then bump()": (CLAIM, _outside_django_then_bump),
    "actor renamed": (ACTOR, lambda n: _saved(n.russia, name="Russian Federation")),
    "alias added": (ACTOR, lambda n: ActorAlias.objects.create(actor=n.russia, name="RF")),
    "outlet renamed": (ARTICLE, lambda n: Outlet.objects.update(name="Renamed wire")),
    "source renamed": (SOURCE, lambda n: _saved(n.spokesman, name="Chief spokesman")),
    "verdict added": (CLAIM, lambda n: Verdict.objects.create(
        claim=n.claim, rating="refuted", explanation="The records show otherwise.")),
}  # fmt: skip


def url_of(page: str, n) -> str:
    return {
        CLAIM: n.claim.get_absolute_url(),
        ACTOR: n.russia.get_absolute_url(),
        SOURCE: n.spokesman.get_absolute_url(),
        ARTICLE: n.article.get_absolute_url(),
    }[page]


def other_pages(n) -> list[str]:
    return [
        "/", "/claims/", "/claims/?actor=russia", "/claims/?stance=responses", "/claims/matrix/",
        *(url_of(page, n) for page in (CLAIM, ACTOR, SOURCE, ARTICLE)),
        n.opposition.get_absolute_url(), n.ministry_source.get_absolute_url(),
    ]  # fmt: skip


@committed
@pytest.mark.parametrize("write", WRITES)
def test_every_kind_of_write_makes_cached_pages_recompute_and_none_stale(client, newsroom, write):
    page, action = WRITES[write]
    url, others = url_of(page, newsroom), other_pages(newsroom)
    before, _ = get(client, url)
    assert get(client, url) == (before, 0)  # kept: no query at all
    for other in others:
        get(client, other)
    action(newsroom)
    after, queries = get(client, url)
    assert queries > 0, "the page was served as kept after the write"
    assert after != before, "the write does not show on the page chosen for it"
    served = {other: get(client, other)[0] for other in others}
    assert served == {other: fresh(client, other) for other in others}


@committed
def test_a_write_outside_django_is_unseen_until_bump_is_called(client, newsroom):
    url = newsroom.claim.get_absolute_url()
    get(client, url)
    _outside_django(
        "UPDATE tracker_attribution SET wording = %s WHERE id = %s", ["Copied", newsroom.denial.pk]
    )
    assert get(client, url)[1] == 0  # why COPY and other programs must call bump()
    bump(Attribution)
    assert "Copied" in get(client, url)[0]


@committed
def test_a_write_leaves_pages_that_do_not_read_its_model_kept(client, newsroom):
    listed, actor = "/claims/", newsroom.russia.get_absolute_url()
    get(client, listed), get(client, actor)
    newsroom.claim.about.add(newsroom.russia)  # the claim list shows no "about" actors
    client.force_login(User.objects.create_user("analyst"))  # sessions and users: neither
    assert get(client, listed)[1] == 0
    assert get(client, actor)[1] > 0


@committed
def test_a_rolled_back_write_leaves_what_was_kept_valid(client, newsroom):
    url = newsroom.claim.get_absolute_url()
    before, _ = get(client, url)
    with pytest.raises(RuntimeError), transaction.atomic():
        Claim.objects.filter(pk=newsroom.claim.pk).update(text="Never committed.")
        during, queries = get(client, url)
        assert "Never committed." in during and queries > 0  # the writer sees its own write
        raise RuntimeError("roll back")
    assert get(client, url) == (before, 0)


@pytest.mark.django_db
def test_a_connection_with_uncommitted_writes_neither_reads_nor_keeps(newsroom):
    assert caching.uncommitted_writes()  # the fixture's rows, inside the test's transaction
    calls: list[int] = []

    def count() -> int:
        calls.append(1)
        return len(calls)

    key = f"test:{uuid.uuid4()}"
    assert cached(key, count, reads=[Claim]) == 1
    assert cached(key, count, reads=[Claim]) == 2


# --- every model is covered --------------------------------------------------------------------

EVERY_MODEL = sorted(
    apps.get_models(include_auto_created=True), key=lambda model: model._meta.label_lower
)


@pytest.mark.django_db
@pytest.mark.parametrize("model", EVERY_MODEL, ids=lambda model: model._meta.label_lower)
def test_a_write_to_any_models_table_moves_its_generation(
    model, django_capture_on_commit_callbacks
):
    name = model._meta.label_lower
    assert name in labels_of_table(model._meta.db_table)
    before = generations([name])
    with django_capture_on_commit_callbacks(execute=True):
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)} WHERE 1 = 0"
            )
        assert generations([name]) == before  # not before the transaction commits
    assert generations([name]) != before


@committed
def test_orm_writes_move_generations_once_the_transaction_commits(newsroom):
    names = ["tracker.attribution", "tracker.claim_about", "articles.outlet", "tracker.response"]
    before = generations(names)
    with transaction.atomic():
        Attribution.objects.filter(pk=newsroom.denial.pk).update(count=3)
        newsroom.claim.about.clear()
        with transaction.atomic():  # a savepoint
            Outlet.objects.bulk_create([Outlet(name="Other", slug="other")])
        assert generations(names) == before
        # Entries are (savepoint ids, function, robust): indexed, as the stubs list two items.
        pending = [
            entry[1]
            for entry in connection.run_on_commit
            if isinstance(entry[1], caching._AfterCommit)
        ]
        assert len(pending) == 1  # one per transaction, however many statements
    assert all(a != b for a, b in zip(generations(names), before, strict=True))


@committed
def test_a_write_after_a_rolled_back_savepoint_still_moves_its_generation(newsroom):
    # The transaction's first write, in a savepoint that rolls back, takes its collector with
    # it; the writes after it need a new one, found again however many callbacks come between.
    names = ["articles.outlet", "tracker.attribution"]
    before = generations(names)
    with transaction.atomic():
        try:
            with transaction.atomic():
                Outlet.objects.create(name="Gone", slug="gone")
                raise RuntimeError("roll the savepoint back")
        except RuntimeError:
            pass
        for count in range(2, 30):  # each save adds callbacks of its own after the collector
            Attribution.objects.filter(pk=newsroom.denial.pk).update(count=count)
            newsroom.denial.refresh_from_db()
            newsroom.denial.count = count + 1
            newsroom.denial.save()
        pending = [e[1] for e in connection.run_on_commit if isinstance(e[1], caching._AfterCommit)]
        assert len(pending) == 1
        assert pending[0].labels >= {"tracker.attribution"}
        assert generations(names) == before
    after = generations(names)
    assert after[1] != before[1]


def _tables_read(sql: str) -> set[str]:
    return {
        table
        for table in caching._labels_by_table()
        if re.search(rf'(?<![\w])"?{re.escape(table)}"?(?![\w])', sql, re.IGNORECASE)
    }


@pytest.mark.django_db
def test_each_kept_page_names_every_model_its_sql_reads(client, newsroom):
    user = User.objects.create_user("rater", first_name="Rita")
    verdict = Verdict.objects.create(
        claim=newsroom.claim, rating="refuted", explanation="No.", rated_by=user
    )
    Evidence.objects.create(verdict=verdict, article=newsroom.article)
    Evidence.objects.create(verdict=verdict, attribution=newsroom.denial)
    records.recompute_all()
    n = newsroom
    asked = {
        "home": ["/"],
        "claim_list": [
            "/claims/", "/claims/?actor=russia&stance=responses", "/claims/?q=drive",
            f"/claims/?outlet=wire&article={n.article.pk}&anonymity=anonymous&status=refuted",
            "/claims/?sort=sources", "/claims/?actor=russian-mod", "/claims/?actor=Russian+MoD",
            "/claims/?contradicted_denials=1",
        ],
        "claim_matrix": [
            "/claims/matrix/", "/claims/matrix/?actor=russia&outlet=wire",
            "/claims/matrix/?actor=Russian+MoD",
        ],
        "claim_detail": [n.claim.get_absolute_url()],
        "article_detail": [n.article.get_absolute_url()],
        "actor_detail": [a.get_absolute_url() for a in (n.russia, n.ministry, n.opposition)],
        "source_detail": [s.get_absolute_url() for s in (n.spokesman, n.opposition_sources)],
    }  # fmt: skip
    kept = {
        pattern.name: pattern.callback
        for pattern in get_resolver().url_patterns[-1].url_patterns
        if hasattr(pattern.callback, "reads")
    }
    assert set(kept) == set(asked), "a kept page without URLs to check here"
    for name, urls in asked.items():
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            sql = "\n".join(query["sql"] for query in ctx.captured_queries)
            for table in _tables_read(sql):
                assert labels_of_table(table) & kept[name].reads, (
                    f"{url} reads {table} ({', '.join(sorted(labels_of_table(table)))}), which "
                    f"is not among the reads of {name} in tracker/urls.py: add it there"
                )


@pytest.mark.django_db
def test_no_row_is_left_for_every_write_to_lock():
    # The data version of migration 0004 and its triggers are gone (0008).
    assert "tracker_dataversion" not in connection.introspection.table_names()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        triggers = [name for (name,) in cursor.fetchall()]
    assert not [name for name in triggers if "data_version" in name], triggers


# --- one computation at a time -----------------------------------------------------------------


def _together(n: int, action) -> list:
    """action() in n threads released at the same moment; their results in order."""
    start, results = threading.Barrier(n), [None] * n

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = action()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_four_requests_missing_together_compute_once():
    key, computed = f"test:{uuid.uuid4()}", []

    def compute() -> str:
        computed.append(1)
        time.sleep(0.3)
        return "page"

    assert _together(4, lambda: compute_once(key, compute)) == ["page"] * 4
    assert len(computed) == 1


def test_waiters_compute_themselves_after_a_bounded_wait(monkeypatch):
    monkeypatch.setattr(caching, "LOCK_WAIT", 0.1)
    key, computed = f"test:{uuid.uuid4()}", []

    def compute() -> str:
        computed.append(1)
        time.sleep(0.5)
        return "page"

    started = time.monotonic()
    assert _together(3, lambda: compute_once(key, compute)) == ["page"] * 3
    assert len(computed) == 3
    assert time.monotonic() - started < 1.4  # nobody waited for the slow one to finish


def test_a_lock_left_by_a_dead_worker_holds_nobody_up_for_long(monkeypatch):
    monkeypatch.setattr(caching, "LOCK_WAIT", 0.2)
    key = f"test:{uuid.uuid4()}"
    cache.add(f"{key}:computing", "a worker that died", caching.LOCK_TIMEOUT)
    started = time.monotonic()
    assert compute_once(key, lambda: "page") == "page"
    assert time.monotonic() - started < 1


def test_waiters_go_on_at_once_when_the_computation_keeps_nothing():
    key, computed = f"test:{uuid.uuid4()}", []

    def compute() -> None:
        computed.append(1)
        time.sleep(0.2)  # an error page: not kept

    started = time.monotonic()
    assert _together(3, lambda: compute_once(key, compute)) == [None] * 3
    assert time.monotonic() - started < caching.LOCK_WAIT / 2


@committed
def test_four_analysts_after_a_write_render_the_page_once(newsroom):
    renders = []

    def view(request) -> HttpResponse:
        renders.append(1)
        time.sleep(0.3)
        return HttpResponse(f"{Claim.objects.count()} claims")

    page = cached_page(view, reads=[Claim])
    url = f"/test/{uuid.uuid4()}/"
    assert page(RequestFactory().get(url)).content == b"1 claims"
    Claim.objects.create(text="Another", slug="another")
    answers = _together(4, lambda: page(RequestFactory().get(url)).content)
    assert answers == [b"2 claims"] * 4
    assert len(renders) == 2  # once before the write, once after it


# --- writers never wait on each other because of the cache -------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are PostgreSQL's; SQLite has one writer at a time by design",
)


@postgres_only
@committed
def test_two_editors_saving_the_same_claims_never_deadlock(newsroom):
    """The import saves claim A then claim B; meanwhile an editor saves claim B. With a row
    that every write updates (the old data version) the editor waits for the import, which then
    waits for the editor's claim B: `deadlock detected`. Now the editor's save goes through."""
    a = newsroom.claim
    b = Claim.objects.create(text="Another claim.", slug="another")
    editor_done, errors, order = threading.Event(), [], []

    def importer() -> None:
        try:
            with transaction.atomic():
                Claim.objects.get(pk=a.pk).save()
                order.append("import saved A")
                threading.Thread(target=editor).start()
                editor_done.wait(timeout=5)
                Claim.objects.get(pk=b.pk).save()
                order.append("import saved B")
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    def editor() -> None:
        try:
            claim = Claim.objects.get(pk=b.pk)
            claim.text = "Edited by an editor."
            claim.save()
            order.append("editor saved B")
        except Exception as error:
            errors.append(error)
        finally:
            editor_done.set()
            connections.close_all()

    thread = threading.Thread(target=importer)
    thread.start()
    thread.join(timeout=20)
    assert not errors, errors
    assert order == ["import saved A", "editor saved B", "import saved B"]


@postgres_only
@committed
def test_a_long_import_holds_up_an_editors_save_by_less_than_a_second(newsroom):
    importing, finished, waits = threading.Event(), threading.Event(), []

    def importer() -> None:
        try:
            with transaction.atomic():
                for i in range(400):
                    claim = Claim.objects.create(text=f"Imported {i}", slug=f"imported-{i}")
                    claim.about.add(newsroom.opposition)
                    importing.set()
                finished.wait(timeout=10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=importer)
    thread.start()
    try:
        assert importing.wait(timeout=10)
        started = time.monotonic()
        denial = Attribution.objects.get(pk=newsroom.denial.pk)
        denial.wording = "An editor's fix"
        denial.save()
        waits.append(time.monotonic() - started)
    finally:
        finished.set()
        thread.join(timeout=20)
    assert waits[0] < 1


@committed
def test_without_an_answering_cache_pages_are_computed_and_writes_stand(client, newsroom, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    Claim.objects.filter(pk=newsroom.claim.pk).update(text="Edited while the cache was down.")
    assert "Edited while the cache was down." in get(client, newsroom.claim.get_absolute_url())[0]
