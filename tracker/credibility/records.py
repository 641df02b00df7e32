"""Computing and storing track records: one GROUP BY for sources, one for actors."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from tracker.choices import ClaimStatus, SourceTie
from tracker.credibility.beta import beta_score
from tracker.credibility.rules import TRUTH
from tracker.models import (
    Actor,
    Attribution,
    Claim,
    Source,
    TrackRecord,
    Verdict,
)

# -- Computing and storing records ---------------------------------------------------------------


@dataclass
class Counts:
    for_count: float = 0.0
    against_count: float = 0.0
    scored: int = 0
    rated_claims: int = 0
    declined: int = 0
    no_response: int = 0


# Every rating, unproven included (its responses count); spelt out so the status index is used.
_RATED = ", ".join(f"'{status}'" for status in ClaimStatus.values if status != ClaimStatus.UNRATED)


def _truth_case(column: str) -> str:
    whens = " ".join(f"WHEN '{status}' THEN {value!r}" for status, value in TRUTH.items())
    return f"CASE {column} {whens} END"


def _sums() -> str:
    """The select list shared by the source and actor GROUP BYs, over a CTE `items`."""
    scored = "i.stance IN ('asserts', 'denies') AND i.truth IS NOT NULL"
    return f"""
        COALESCE(SUM(CASE WHEN i.stance = 'asserts' THEN i.truth
                          WHEN i.stance = 'denies' THEN 1 - i.truth END), 0),
        COALESCE(SUM(CASE WHEN i.stance = 'asserts' THEN 1 - i.truth
                          WHEN i.stance = 'denies' THEN i.truth END), 0),
        COUNT(CASE WHEN {scored} THEN 1 END),
        COUNT(DISTINCT CASE WHEN {scored} THEN i.claim_id END),
        COUNT(CASE WHEN i.stance = 'declined' THEN 1 END),
        COUNT(CASE WHEN i.stance = 'no_response' THEN 1 END)"""


def _tables() -> dict[str, str]:
    return {
        "attribution": Attribution._meta.db_table,
        "claim": Claim._meta.db_table,
        "source": Source._meta.db_table,
        "actor": Actor._meta.db_table,
    }


def _placeholders(values: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _rows_to_counts(rows: Iterable[Sequence[Any]]) -> dict[int, Counts]:
    return {
        row[0]: Counts(float(row[1]), float(row[2]), row[3], row[4], row[5], row[6]) for row in rows
    }


def source_counts(*, source_ids: Sequence[int] | None = None) -> dict[int, Counts]:
    """Source id -> its counts, for every source with a statement on a rated claim (one query).

    source_ids limits it to those sources (after one verdict, the claim's sources).
    """
    t = _tables()
    where, params = "", []
    if source_ids is not None:
        if not source_ids:
            return {}
        where = f"AND a.source_id IN ({_placeholders(source_ids)})"
        params = list(source_ids)
    # DISTINCT: one row per (source, claim, stance), however many articles repeat it.
    sql = f"""
        WITH items AS (
            SELECT DISTINCT a.source_id AS source_id, a.claim_id AS claim_id,
                   a.stance AS stance, {_truth_case("c.status")} AS truth
            FROM {t["attribution"]} a
            JOIN {t["claim"]} c ON c.id = a.claim_id
            WHERE c.status IN ({_RATED}) {where}
        )
        SELECT i.source_id, {_sums()}
        FROM items i
        GROUP BY i.source_id"""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _rows_to_counts(cursor.fetchall())


def actor_counts(
    *, actor_ids: Sequence[int] | None = None, roots: Sequence[str] = (), affiliated: bool = False
) -> dict[int, Counts]:
    """Actor id -> the counts of its sub-tree's sources, for every actor with any (one query).

    Only sources that speak for an actor count towards its record (the stored records);
    `affiliated` counts those that only belong to it as well (asked for on an actor's page).
    actor_ids limits the result to those actors; roots (paths such as "/1/") then limit the
    statements read to the sub-trees that hold them.
    """
    tie = "" if affiliated else f"AND s.tie = '{SourceTie.SPEAKS_FOR.value}'"
    t = _tables()
    where = ""
    params: list[str | int] = []
    if actor_ids is not None:
        if not actor_ids:
            return {}
        like = " OR ".join(["d.path LIKE %s"] * len(roots)) or "1 = 0"
        where = f"AND s.actor_id IN (SELECT d.id FROM {t['actor']} d WHERE {like})"
        params.extend(f"{root}%" for root in roots)
    keep = ""
    if actor_ids is not None:
        keep = f"WHERE up.ancestor_id IN ({_placeholders(actor_ids)})"
        params.extend(actor_ids)
    # closure pairs every actor that has statements with itself and each of its ancestors.
    sql = f"""
        WITH RECURSIVE items AS (
            SELECT DISTINCT s.actor_id AS actor_id, a.source_id AS source_id,
                   a.claim_id AS claim_id, a.stance AS stance,
                   {_truth_case("c.status")} AS truth
            FROM {t["attribution"]} a
            JOIN {t["claim"]} c ON c.id = a.claim_id
            JOIN {t["source"]} s ON s.id = a.source_id
            WHERE c.status IN ({_RATED}) AND s.actor_id IS NOT NULL {tie} {where}
        ),
        speakers AS (SELECT DISTINCT actor_id FROM items),
        closure (actor_id, ancestor_id) AS (
            SELECT actor_id, actor_id FROM speakers
            UNION  -- not ALL: a cycle in the tree, should one slip in, ends instead of looping
            SELECT up.actor_id, p.parent_id
            FROM closure up JOIN {t["actor"]} p ON p.id = up.ancestor_id
            WHERE p.parent_id IS NOT NULL
        )
        SELECT up.ancestor_id, {_sums()}
        FROM items i JOIN closure up ON up.actor_id = i.actor_id
        {keep}
        GROUP BY up.ancestor_id"""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _rows_to_counts(cursor.fetchall())


_COLUMNS = (
    "for_count", "against_count", "scored", "rated_claims", "declined", "no_response",
    "score", "lower", "upper", "updated_at",
)  # fmt: skip


def _write(*, sources: dict[int, Counts], actors: dict[int, Counts], now: datetime) -> None:
    """Upsert the records with INSERT ... ON CONFLICT DO UPDATE, which SQLite and PostgreSQL
    both speak, run over all rows at once (executemany): a model instance per row would cost
    more than computing the records."""
    stamp = connection.ops.adapt_datetimefield_value(now)
    table = TrackRecord._meta.db_table
    columns = ", ".join(_COLUMNS)
    updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in _COLUMNS)
    for key, computed in (("source_id", sources), ("actor_id", actors)):
        rows = []
        for pk, c in computed.items():
            score = beta_score(for_count=c.for_count, against_count=c.against_count)
            counts = (c.for_count, c.against_count, c.scored, c.rated_claims, c.declined)
            rows.append((pk, *counts, c.no_response, score.score, score.lower, score.upper, stamp))
        if not rows:
            continue
        placeholders = ", ".join(["%s"] * (len(_COLUMNS) + 1))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} ({key}, {columns}) VALUES ({placeholders}) "
                f"ON CONFLICT ({key}) DO UPDATE SET {updates}",
                rows,
            )


def affiliated_record(actor: Actor) -> TrackRecord | None:
    """The actor's record counting the sources that only belong to it too, computed now and
    not stored (one query); None when nothing it said is rated."""
    root = actor.path.strip("/").split("/")[0] or str(actor.pk)
    counts = actor_counts(actor_ids=[actor.pk], roots=[f"/{root}/"], affiliated=True)
    c = counts.get(actor.pk)
    if c is None:
        return None
    score = beta_score(for_count=c.for_count, against_count=c.against_count)
    return TrackRecord(
        actor=actor, for_count=c.for_count, against_count=c.against_count, scored=c.scored,
        rated_claims=c.rated_claims, declined=c.declined, no_response=c.no_response,
        score=score.score, lower=score.lower, upper=score.upper, updated_at=timezone.now(),
    )  # fmt: skip


@dataclass(frozen=True)
class Recomputed:
    sources: int
    actors: int
    removed: int


def recompute_all() -> Recomputed:
    """Every track record from scratch: two GROUP BYs and a bulk upsert, in one transaction."""
    now = timezone.now()
    with transaction.atomic():
        sources = source_counts()
        actors = actor_counts()
        _write(sources=sources, actors=actors, now=now)
        # Whoever has no statement on a rated claim any more has no record.
        removed, _ = TrackRecord.objects.exclude(updated_at=now).delete()
        # Pages that show records are retired by these writes themselves (tracker/caching.py).
    return Recomputed(sources=len(sources), actors=len(actors), removed=removed)


def refresh_records(*, source_ids: Iterable[int], actor_paths: Iterable[str] = ()) -> None:
    """The records of these sources, of their actors and of those actors' ancestors, only
    (and of the actors on `actor_paths` and their ancestors: where a source was before)."""
    source_ids = sorted({pk for pk in source_ids if pk is not None})
    if not source_ids:
        return
    paths = set(
        Source.objects.filter(pk__in=source_ids, actor__isnull=False)
        .order_by()
        .values_list("actor__path", flat=True)
    ) | {path for path in actor_paths if path}
    chains = [[int(part) for part in path.strip("/").split("/") if part] for path in paths]
    actor_ids = sorted({pk for chain in chains for pk in chain})
    roots = sorted({f"/{chain[0]}/" for chain in chains if chain})
    now = timezone.now()
    with transaction.atomic():
        sources = source_counts(source_ids=source_ids)
        actors = actor_counts(actor_ids=actor_ids, roots=roots)
        _write(sources=sources, actors=actors, now=now)
        gone = Q(source_id__in=source_ids) & ~Q(source_id__in=list(sources))
        if actor_ids:
            gone |= Q(actor_id__in=actor_ids) & ~Q(actor_id__in=list(actors))
        TrackRecord.objects.filter(gone).delete()


def refresh_for_claims(*, claim_ids: Iterable[int]) -> None:
    """The records of everyone with a statement on these claims."""
    source_ids = (
        Attribution.objects.filter(claim_id__in=list(claim_ids))
        .order_by()
        .values_list("source_id", flat=True)
        .distinct()
    )
    refresh_records(source_ids=list(source_ids))


def apply_verdicts(*, claim_ids: Iterable[int]) -> dict[int, str]:
    """Set each claim's status from its latest verdict (not yet rated when it has none), then
    refresh the records the claims touch. Returns claim id -> its status now."""
    claim_ids = sorted(set(claim_ids))
    latest = Verdict.objects.filter(claim=OuterRef("pk")).latest_first().values("rating")[:1]
    Claim.objects.filter(pk__in=claim_ids).update(
        status=Coalesce(Subquery(latest), Value(ClaimStatus.UNRATED)), updated_at=timezone.now()
    )
    refresh_for_claims(claim_ids=claim_ids)
    return dict(Claim.objects.filter(pk__in=claim_ids).values_list("pk", "status"))


def attribution_changed(*, source_ids: Iterable[int], claim_ids: Iterable[int]) -> None:
    """After an attribution is added, edited or deleted: refresh its sources' records if one of
    its claims is rated (one query when none is, which is the common case while importing)."""
    rated = Claim.objects.filter(pk__in=list(claim_ids)).exclude(status=ClaimStatus.UNRATED)
    if rated.exists():
        refresh_records(source_ids=source_ids)
