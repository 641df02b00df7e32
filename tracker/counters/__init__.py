"""Counts kept in the writer's transaction, so that no page counts attributions to show a number.

Three kinds of counts and one of rows, all updated by the receivers in signals.py whenever an
attribution is created, changed (another claim, source, article, stance or anonymity), deleted
or cascaded away, and when a source moves to another actor or changes its tie to it, an actor
moves in the tree, an article to another outlet or date, or a claim to another status:

- on each claim, its attributions, distinct sources and responses (tracker_claim columns);
- per actor, stance and tie (the source speaks for the actor or only belongs to it), the
  attributions of its own sources and of its whole sub-tree (ActorStanceCount), and its own
  by the month of their articles (ActorMonthCount, the actor page's timeline);
- the attributions by stance, anonymity, claim status and outlet (AttributionTally), from
  which the unfiltered claim list takes its facets, and the claims in all (ClaimTally,
  claims_total.py: kept when a claim is created or deleted), its total;
- each attribution once for every actor it counts for, with its stance, tie and date
  (ActorReach, reach.py), from which the actor page reads its newest rows of each stance.

Actor and tally counts are insert-only rows (+n, -n): writers never wait for one another's
row, whatever actor they cite, and so cannot deadlock on them. After each commit the rows
the write touched are folded into one per key. A claim's columns are recomputed from its own
attributions; on PostgreSQL a claim row that another open transaction holds is skipped and
recomputed right after this one commits, so two editors never wait for each other there
either.

Writers that bypass the ORM (bench/corpus.py, raw SQL, `loaddata`) call recount() afterwards,
or run `manage.py recount`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Q, Sum

from tracker.choices import RESPONSES, SourceTie
from tracker.counters import claims_total, reach
from tracker.models import ActorMonthCount, ActorStanceCount, Attribution, AttributionTally, Claim
from tracker.sqlparams import id_blocks

_RESPONSES_SQL = ", ".join(f"'{stance}'" for stance in RESPONSES)  # constants, not input


@dataclass(frozen=True)
class Mark:
    """What one attribution counts towards."""

    claim_id: int
    status: str
    outlet_id: int | None
    stance: str
    anonymity: str
    path: str  # the path of the source's actor, "" when the source has none
    tie: str = SourceTie.SPEAKS_FOR  # how the source is tied to that actor
    month: date | None = None  # the first day of its article's month
    day: date | None = None  # its article's date

    @property
    def placed(self) -> reach.Placed | None:
        """What its ActorReach rows hold (None: it has none, its source has no actor)."""
        if not self.path or self.day is None:
            return None
        return (self.path, self.stance, self.tie, self.day)


_MARK_FIELDS = (
    "claim_id", "claim__status", "article__outlet_id", "stance", "anonymity",
    "source__actor__path", "source__tie", "article__published_on",
)  # fmt: skip


def month_of(day: date | str) -> date:
    """The first day of the month (a date assigned as ISO text, not yet read back, too)."""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    return date(day.year, day.month, 1)


def marks(ids: Iterable[int]) -> dict[int, Mark]:
    """What the attributions with these ids count towards, as stored now: one query."""
    rows = Attribution.objects.filter(pk__in=list(ids)).order_by().values_list("pk", *_MARK_FIELDS)
    return {
        pk: Mark(c, st, o, sn, an, path or "", str(tie), month_of(day), day)
        for pk, c, st, o, sn, an, path, tie, day in rows
    }


@dataclass
class Deltas:
    """Changes to the counts, gathered over one write and written by write()."""

    claims: set[int] = field(default_factory=set)
    own: Counter = field(default_factory=Counter)  # (actor id, stance, tie) -> n
    subtree: Counter = field(default_factory=Counter)  # (actor id, stance, tie) -> n
    tally: Counter = field(default_factory=Counter)  # (stance, anonymity, status, outlet) -> n
    months: Counter = field(default_factory=Counter)  # (actor id, month, stance, tie) -> n

    def add(self, mark: Mark, n: int) -> None:
        """Count (n > 0) or uncount (n < 0) attributions with this mark."""
        self.claims.add(mark.claim_id)
        self.tally[(mark.stance, mark.anonymity, mark.status, mark.outlet_id)] += n
        self.actor(mark.path, mark.stance, n, tie=mark.tie)
        if mark.path and mark.month is not None:
            self.months[(reach.chain(mark.path)[-1], mark.month, mark.stance, mark.tie)] += n

    def actor(
        self,
        path: str,
        stance: str,
        n: int,
        *,
        tie: str = SourceTie.SPEAKS_FOR,
        ancestors_only: bool = False,
    ) -> None:
        chain = reach.chain(path)
        if ancestors_only:
            chain = chain[:-1]
        elif chain:
            self.own[(chain[-1], stance, tie)] += n
        for pk in chain:
            self.subtree[(pk, stance, tie)] += n

    def write(self, *, using: str = DEFAULT_DB_ALIAS) -> None:
        keys = sorted(set(self.own) | set(self.subtree))
        actor_rows = [
            ActorStanceCount(
                actor_id=a, stance=s, tie=t, own=self.own[a, s, t], subtree=self.subtree[a, s, t]
            )
            for a, s, t in keys
            if self.own[a, s, t] or self.subtree[a, s, t]
        ]
        tally_rows = [
            AttributionTally(stance=s, anonymity=an, status=st, outlet_id=o, n=n)
            for (s, an, st, o), n in self.tally.items()
            if n
        ]
        month_rows = [
            ActorMonthCount(actor_id=a, month=m, stance=s, tie=t, n=n)
            for (a, m, s, t), n in self.months.items()
            if n
        ]
        ActorStanceCount.objects.using(using).bulk_create(actor_rows)
        AttributionTally.objects.using(using).bulk_create(tally_rows)
        ActorMonthCount.objects.using(using).bulk_create(month_rows)
        if self.claims:
            recount_claims(self.claims, using=using)
        actors = sorted({row.actor_id for row in actor_rows} | {row.actor_id for row in month_rows})
        outlets = {row.outlet_id for row in tally_rows}
        if actors or outlets:
            # After the commit, the write stands whatever happens here: a fold that fails is
            # logged, not raised at the editor (the unfolded rows still sum to the counts).
            transaction.on_commit(
                lambda: compact(actor_ids=actors, outlet_ids=outlets), using, robust=True
            )


# -- Claims: recomputed from their own attributions -----------------------------------------


# Each claim's columns from its own attributions (the claim's index on attributions answers
# each): raw SQL, as the writer's path runs it for every save. Constants, not input.
_CLAIM_TOTALS_SQL = (
    "UPDATE tracker_claim SET"
    " attribution_total = (SELECT COUNT(*) FROM tracker_attribution a"
    " WHERE a.claim_id = tracker_claim.id),"
    " source_total = (SELECT COUNT(DISTINCT a.source_id) FROM tracker_attribution a"
    " WHERE a.claim_id = tracker_claim.id),"
    " response_total = (SELECT COUNT(*) FROM tracker_attribution a"
    f" WHERE a.claim_id = tracker_claim.id AND a.stance IN ({_RESPONSES_SQL}))"
    " WHERE tracker_claim.id IN ({ids})"
)


def recount_claims(claim_ids: Iterable[int], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Recompute the claims' columns; on PostgreSQL, inside a transaction, leave a claim that
    another transaction holds to right after this one commits (no waiting, so no deadlock)."""
    ids = sorted(set(claim_ids))
    conn = connections[using]
    if conn.vendor == "postgresql" and conn.in_atomic_block:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM tracker_claim WHERE id = ANY(%s) ORDER BY id "
                "FOR NO KEY UPDATE SKIP LOCKED",
                [ids],
            )
            free = [row[0] for row in cursor.fetchall()]
        busy = set(ids) - set(free)
        if busy:
            transaction.on_commit(lambda: recount_claims(busy, using=using), using, robust=True)
        ids = free
    with conn.cursor() as cursor:
        for marks, block in id_blocks(ids):
            cursor.execute(_CLAIM_TOTALS_SQL.format(ids=marks), block)


# -- Folding the insert-only rows -------------------------------------------------------------


def compact(
    *, actor_ids: Iterable[int] = (), outlet_ids: Iterable[int | None] = (), using: str = "default"
) -> None:
    """Fold the count rows of these actors and outlets into one row per key (zeros dropped)."""
    actor_ids = sorted(set(actor_ids))
    outlets = set(outlet_ids)
    with_null = None in outlets
    outlet_list = sorted(o for o in outlets if o is not None)
    conn = connections[using]
    if conn.vendor == "postgresql":
        # One statement each: the rows deleted are exactly the rows summed, so a concurrent
        # fold or insert can neither be lost nor counted twice.
        with conn.cursor() as cursor:
            if actor_ids:
                cursor.execute(
                    "WITH gone AS (DELETE FROM tracker_actorstancecount WHERE actor_id = ANY(%s)"
                    " RETURNING actor_id, stance, tie, own, subtree)"
                    " INSERT INTO tracker_actorstancecount (actor_id, stance, tie, own, subtree)"
                    " SELECT actor_id, stance, tie, SUM(own), SUM(subtree) FROM gone"
                    " GROUP BY actor_id, stance, tie HAVING SUM(own) <> 0 OR SUM(subtree) <> 0",
                    [actor_ids],
                )
                cursor.execute(
                    "WITH gone AS (DELETE FROM tracker_actormonthcount WHERE actor_id = ANY(%s)"
                    " RETURNING actor_id, month, stance, tie, n)"
                    " INSERT INTO tracker_actormonthcount (actor_id, month, stance, tie, n)"
                    " SELECT actor_id, month, stance, tie, SUM(n) FROM gone"
                    " GROUP BY actor_id, month, stance, tie HAVING SUM(n) <> 0",
                    [actor_ids],
                )
            if outlets:
                cursor.execute(
                    "WITH gone AS (DELETE FROM tracker_attributiontally"
                    " WHERE outlet_id = ANY(%s) OR (%s AND outlet_id IS NULL)"
                    " RETURNING stance, anonymity, status, outlet_id, n)"
                    " INSERT INTO tracker_attributiontally"
                    " (stance, anonymity, status, outlet_id, n)"
                    " SELECT stance, anonymity, status, outlet_id, SUM(n) FROM gone"
                    " GROUP BY stance, anonymity, status, outlet_id HAVING SUM(n) <> 0",
                    [outlet_list, with_null],
                )
        return
    # SQLite has one writer at a time: read, delete and write back in one transaction.
    with transaction.atomic(using=using):
        if actor_ids:
            rows = ActorStanceCount.objects.using(using).filter(actor_id__in=actor_ids)
            sums = list(
                rows.order_by()
                .values_list("actor_id", "stance", "tie")
                .annotate(Sum("own"), Sum("subtree"))
            )
            rows.delete()
            ActorStanceCount.objects.using(using).bulk_create(
                ActorStanceCount(actor_id=a, stance=s, tie=tie, own=o, subtree=t)
                for a, s, tie, o, t in sums
                if o or t
            )
            months = ActorMonthCount.objects.using(using).filter(actor_id__in=actor_ids)
            keys = ("actor_id", "month", "stance", "tie")
            month_sums = list(months.order_by().values_list(*keys).annotate(Sum("n")))
            months.delete()
            ActorMonthCount.objects.using(using).bulk_create(
                ActorMonthCount(actor_id=a, month=m, stance=s, tie=tie, n=n)
                for a, m, s, tie, n in month_sums
                if n
            )
        if outlets:
            where = Q(outlet_id__in=outlet_list)
            if with_null:
                where |= Q(outlet_id__isnull=True)
            tallies = AttributionTally.objects.using(using).filter(where)
            keys = ("stance", "anonymity", "status", "outlet_id")
            sums = list(tallies.order_by().values_list(*keys).annotate(Sum("n")))
            tallies.delete()
            AttributionTally.objects.using(using).bulk_create(
                AttributionTally(stance=s, anonymity=a, status=st, outlet_id=o, n=n)
                for s, a, st, o, n in sums
                if n
            )


# -- Everything from scratch ----------------------------------------------------------------


@dataclass(frozen=True)
class Recounted:
    actor_rows: int
    tally_rows: int
    claims: int
    reach_rows: int | None = None  # None: not rebuilt

    def __str__(self) -> str:
        reach_rows = "" if self.reach_rows is None else f", {self.reach_rows:,} actor reach rows"
        return (
            f"Recounted {self.claims:,} claims, {self.actor_rows:,} actor x stance counts"
            f"{reach_rows} and {self.tally_rows:,} facet counts."
        )


RECOUNT_STEPS = 5


def recount(
    *,
    using: str = DEFAULT_DB_ALIAS,
    progress: Callable[[int, int], object] | None = None,
    with_reach: bool = True,
    with_total: bool = True,
) -> Recounted:
    """Every count from the attributions themselves, in one transaction (bulk writers call it).

    Raw SQL over the tables, so a migration can run it too; a few GROUP BYs whatever the size,
    and the actor reach rows (reach.py) written again unless `with_reach` is false (they are
    checked apart, and the migrations before 0016 have no such table), and the claims' total
    (claims_total.py) unless `with_total` is false (the migrations before 0019 have none).
    `progress` hears (steps done, RECOUNT_STEPS) after each.
    """
    conn = connections[using]

    def step(done: int) -> None:
        if progress is not None:
            progress(done, RECOUNT_STEPS)

    with transaction.atomic(using=using), conn.cursor() as cursor:
        cursor.execute("DELETE FROM tracker_actorstancecount")
        cursor.execute("DELETE FROM tracker_attributiontally")
        cursor.execute("DELETE FROM tracker_actormonthcount")
        month = (
            "date_trunc('month', r.published_on)::date"
            if conn.vendor == "postgresql"
            else "strftime('%Y-%m-01', r.published_on)"
        )
        cursor.execute(
            "INSERT INTO tracker_actormonthcount (actor_id, month, stance, tie, n)"
            f" SELECT s.actor_id, {month}, a.stance, s.tie, COUNT(*) FROM tracker_attribution a"
            " JOIN tracker_source s ON s.id = a.source_id"
            " JOIN articles_article r ON r.id = a.article_id WHERE s.actor_id IS NOT NULL"
            f" GROUP BY s.actor_id, {month}, a.stance, s.tie"
        )
        cursor.execute(
            "SELECT s.actor_id, a.stance, s.tie, COUNT(*) FROM tracker_attribution a"
            " JOIN tracker_source s ON s.id = a.source_id WHERE s.actor_id IS NOT NULL"
            " GROUP BY s.actor_id, a.stance, s.tie"
        )
        own_rows = cursor.fetchall()
        cursor.execute("SELECT id, path FROM tracker_actor")
        paths = dict(cursor.fetchall())
        deltas = Deltas()
        for actor_id, stance, tie, n in own_rows:
            deltas.own[(actor_id, stance, tie)] += n
            for pk in reach.chain(paths.get(actor_id) or f"/{actor_id}/"):
                deltas.subtree[(pk, stance, tie)] += n
        keys = sorted(set(deltas.own) | set(deltas.subtree))
        cursor.executemany(
            "INSERT INTO tracker_actorstancecount (actor_id, stance, tie, own, subtree)"
            " VALUES (%s, %s, %s, %s, %s)",
            [(a, s, t, deltas.own[a, s, t], deltas.subtree[a, s, t]) for a, s, t in keys],
        )
        step(1)
        cursor.execute(
            "INSERT INTO tracker_attributiontally (stance, anonymity, status, outlet_id, n)"
            " SELECT a.stance, a.anonymity, c.status, r.outlet_id, COUNT(*)"
            " FROM tracker_attribution a JOIN tracker_claim c ON c.id = a.claim_id"
            " JOIN articles_article r ON r.id = a.article_id"
            " GROUP BY a.stance, a.anonymity, c.status, r.outlet_id"
        )
        tally_rows = cursor.rowcount
        step(2)
        cursor.execute(
            "UPDATE tracker_claim SET attribution_total = 0, source_total = 0, response_total = 0"
            " WHERE (attribution_total <> 0 OR source_total <> 0 OR response_total <> 0)"
            " AND NOT EXISTS (SELECT 1 FROM tracker_attribution a"
            " WHERE a.claim_id = tracker_claim.id)"
        )
        step(3)
        cursor.execute(
            "UPDATE tracker_claim SET attribution_total = x.a, source_total = x.s,"
            " response_total = x.r FROM (SELECT claim_id, COUNT(*) AS a,"
            " COUNT(DISTINCT source_id) AS s,"
            f" SUM(CASE WHEN stance IN ({_RESPONSES_SQL}) THEN 1 ELSE 0 END) AS r"
            " FROM tracker_attribution GROUP BY claim_id) AS x"
            " WHERE x.claim_id = tracker_claim.id AND (tracker_claim.attribution_total <> x.a"
            " OR tracker_claim.source_total <> x.s OR tracker_claim.response_total <> x.r)"
        )
        cursor.execute("SELECT COUNT(*) FROM tracker_claim")
        claims = cursor.fetchone()[0]
        if with_total:
            claims_total.recount(cursor)
        step(4)
        reach_rows = reach.rebuild(cursor) if with_reach else None
        step(5)
    return Recounted(
        actor_rows=len(keys), tally_rows=max(tally_rows, 0), claims=claims, reach_rows=reach_rows
    )


def differences(*, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Where the kept counts differ from counting again (empty when they agree)."""
    problems = reach.differences(using=using)
    kept_actors = _actor_counts(using)
    kept_tally = _tally_counts(using)
    kept_months = _month_counts(using)
    kept_claims = {pk: (a, s, r) for pk, a, s, r in _claim_rows(using)}
    kept_total = claims_total.claims_total(using=using)
    with transaction.atomic(using=using):
        recount(using=using, with_reach=False)
        fresh_actors = _actor_counts(using)
        fresh_tally = _tally_counts(using)
        fresh_months = _month_counts(using)
        fresh_claims = {pk: (a, s, r) for pk, a, s, r in _claim_rows(using)}
        fresh_total = claims_total.claims_total(using=using)
        transaction.set_rollback(True, using=using)
    if kept_total != fresh_total:
        problems.append(f"claims in all: kept {kept_total}, counted {fresh_total}")
    for name, kept, fresh in (
        ("actor", kept_actors, fresh_actors),
        ("facet", kept_tally, fresh_tally),
        ("actor month", kept_months, fresh_months),
        ("claim", kept_claims, fresh_claims),
    ):
        for key in sorted(set(kept) | set(fresh), key=str):
            if kept.get(key, 0) != fresh.get(key, 0):
                problems.append(f"{name} {key}: kept {kept.get(key, 0)}, counted {fresh.get(key)}")
    return problems


def _claim_rows(using: str) -> list[tuple]:
    return list(
        Claim.objects.using(using)
        .order_by()
        .values_list("pk", "attribution_total", "source_total", "response_total")
    )


def _actor_counts(using: str) -> dict[tuple, tuple[int, int]]:
    rows = (
        ActorStanceCount.objects.using(using)
        .order_by()
        .values_list("actor_id", "stance", "tie")
        .annotate(Sum("own"), Sum("subtree"))
    )
    return {(a, s, tie): (o, t) for a, s, tie, o, t in rows if o or t}


def _tally_counts(using: str) -> dict[tuple, int]:
    keys = ("stance", "anonymity", "status", "outlet_id")
    rows = AttributionTally.objects.using(using).order_by().values_list(*keys).annotate(Sum("n"))
    return {tuple(row[:4]): row[4] for row in rows if row[4]}


def _month_counts(using: str) -> dict[tuple, int]:
    keys = ("actor_id", "month", "stance", "tie")
    rows = ActorMonthCount.objects.using(using).order_by().values_list(*keys).annotate(Sum("n"))
    return {tuple(row[:4]): row[4] for row in rows if row[4]}


def attributions_added(ids: Iterable[int], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Count attributions written without signals (bulk_create): one query and the writes."""
    deltas = Deltas()
    found = marks(ids)
    for mark in found.values():
        deltas.add(mark, 1)
    deltas.write(using=using)
    reach.added({pk: mark.placed for pk, mark in found.items()}, using=using)


def connect() -> None:
    """Connect the receivers that keep the counts with every write (TrackerConfig.ready())."""
    from tracker.counters import signals

    signals.connect()
    claims_total.connect()
