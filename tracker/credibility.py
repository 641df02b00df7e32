"""Credibility: verdicts set claim statuses; track records score how sources and actors fared.

The rules, as implemented (tests/test_credibility.py checks them on hand-computed cases):

- A rated claim has a truth value t: confirmed 1, mostly true 0.75, mixed 0.5, mostly false
  0.25, refuted 0. Unproven and not-yet-rated claims have none and are never scored.
- An assertion of a claim counts t for the source and 1 - t against it; a denial counts 1 - t
  for and t against. So asserting a confirmed claim or denying a refuted one is 1 for; asserting
  a refuted claim or denying a confirmed one is 1 against; the partial ratings split the one.
- "Declined to comment" and "did not respond" on rated claims (unproven ones included) are
  counted and shown, never scored: not answering is not evidence either way.
- One claim counts once per (source, claim, stance), however many articles repeat it. A source
  that both asserted and denied the same claim has both counted (it said both, and one of them
  was wrong): the record is of what it said, not of one position per claim.
- An actor's record is the sum of the records of the sources that belong to it or to any actor
  under it (the sub-tree); a claim two of those sources asserted counts twice, as two statements.
  `rated_claims` counts the distinct claims behind the scored statements.
- The score is the mean of the Beta(1 + for, 1 + against) posterior of a uniform prior,
  (1 + for) / (2 + for + against), with its 90% credible interval (the 5% and 95% quantiles).
- With fewer than TrackRecord.MIN_RECORD (3) scored statements, pages say there is not enough
  record instead of giving a number; the counts and the claims behind them are still shown.

A rating is read from the claim's status, which the latest verdict sets; statuses written
around the verdicts (a bulk import) count once `manage.py recompute_credibility` has run.

Records are computed in SQL, a GROUP BY for sources and one for actors (the sub-tree roll-up
walks up `parent` with a recursive CTE, which uses the primary key index where a LIKE join on
`path` could not), and written with INSERT ... ON CONFLICT DO UPDATE, one executemany for each;
only the Beta quantiles are computed in Python, once per distinct (for, against) pair, never per
claim. After a verdict only the records of the claim's sources, their actors and those actors'
ancestors are recomputed, by the same queries restricted to them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from tracker.models import (
    Actor,
    Article,
    Attribution,
    Claim,
    ClaimStatus,
    DataVersion,
    Source,
    SourceKind,
    Stance,
    TrackRecord,
    Verdict,
)

# The truth value of each rating that is scored.
TRUTH: dict[str, float] = {
    ClaimStatus.CONFIRMED: 1.0,
    ClaimStatus.MOSTLY_TRUE: 0.75,
    ClaimStatus.MIXED: 0.5,
    ClaimStatus.MOSTLY_FALSE: 0.25,
    ClaimStatus.REFUTED: 0.0,
}
SCORED_STANCES = (Stance.ASSERTS, Stance.DENIES)
# What the evidence went against, outright or mostly: "denials later contradicted" and
# "assertions later refuted".
CONTRADICTING: dict[str, tuple[str, ...]] = {
    Stance.DENIES: (ClaimStatus.CONFIRMED, ClaimStatus.MOSTLY_TRUE),
    Stance.ASSERTS: (ClaimStatus.REFUTED, ClaimStatus.MOSTLY_FALSE),
}
INTERVAL = 0.90
MIN_RECORD = TrackRecord.MIN_RECORD

# ClaimReview's numeric scale (worst 1 .. best 5); unproven has a name but no place on it.
RATING_VALUES: dict[str, int] = {
    ClaimStatus.REFUTED: 1,
    ClaimStatus.MOSTLY_FALSE: 2,
    ClaimStatus.MIXED: 3,
    ClaimStatus.MOSTLY_TRUE: 4,
    ClaimStatus.CONFIRMED: 5,
}
SITE_NAME = "Attribution tracker"

# -- The Beta posterior ------------------------------------------------------------------------


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function, by the modified Lentz method."""
    tiny, eps = 1e-300, 1e-15
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 100_000):
        m2 = 2 * m
        for numerator in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            delta = d * c
            h *= delta
        if abs(delta - 1.0) < eps:
            return h
    raise ArithmeticError(f"the incomplete beta did not converge for a={a}, b={b}, x={x}")


def regularized_incomplete_beta(*, x: float, a: float, b: float) -> float:
    """I_x(a, b): the cumulative distribution function of Beta(a, b) at x."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    # The fraction converges fast below the mean; above it, by symmetry I_x(a,b) = 1 - I_1-x(b,a).
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b


def beta_quantile(*, p: float, a: float, b: float) -> float:
    """The x with I_x(a, b) = p, by bisection of [0, 1].

    The CDF is increasing, so halving the bracket cannot fail; each step first tries a Newton
    step (CDF over density) and takes it when it lands inside the bracket, which cuts ~40
    halvings to a handful without giving up the guarantee.
    """
    lo, hi = 0.0, 1.0
    log_beta = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    x = a / (a + b)
    for _ in range(200):
        error = regularized_incomplete_beta(x=x, a=a, b=b) - p
        if abs(error) < 1e-14:
            break
        if error < 0:
            lo = x
        else:
            hi = x
        if hi - lo < 1e-13:
            break
        density = math.exp((a - 1.0) * math.log(x) + (b - 1.0) * math.log1p(-x) - log_beta)
        newton = x - error / density if density > 0.0 else lo
        x = newton if lo < newton < hi else (lo + hi) / 2.0
    return x


@dataclass(frozen=True)
class Score:
    score: float
    lower: float
    upper: float


@lru_cache(maxsize=100_000)
def beta_score(*, for_count: float, against_count: float) -> Score:
    """Mean and 90% credible interval of Beta(1 + for, 1 + against) (uniform prior)."""
    a, b = 1.0 + for_count, 1.0 + against_count
    tail = (1.0 - INTERVAL) / 2.0
    mean = a / (a + b)
    lower = beta_quantile(p=tail, a=a, b=b)
    upper = beta_quantile(p=1.0 - tail, a=a, b=b)
    # Bisection leaves ~1e-12 of slack; keep the stored row inside its own check constraint.
    return Score(score=mean, lower=min(lower, mean), upper=max(upper, mean))


def contribution(*, stance: str, status: str) -> tuple[float, float] | None:
    """(for, against) that one statement adds to a record, or None when it is not scored."""
    truth = TRUTH.get(status)
    if truth is None or stance not in SCORED_STANCES:
        return None
    if stance == Stance.ASSERTS:
        return truth, 1.0 - truth
    return 1.0 - truth, truth


def number(value: float) -> str:
    """A count of statements as a reader reads it: 1, 2.75, 0.5."""
    return f"{round(value, 2):g}"


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
    *, actor_ids: Sequence[int] | None = None, roots: Sequence[str] = ()
) -> dict[int, Counts]:
    """Actor id -> the counts of its sub-tree's sources, for every actor with any (one query).

    actor_ids limits the result to those actors; roots (paths such as "/1/") then limit the
    statements read to the sub-trees that hold them.
    """
    t = _tables()
    where, params = "", []
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
            WHERE c.status IN ({_RATED}) AND s.actor_id IS NOT NULL {where}
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
        # Pages are kept under the data version, which the triggers raise on writes to the
        # claims, not to the records: raise it here, or a page kept between a bulk status
        # update and this recompute would show the old records. (A verdict's own refresh
        # happens in the same transaction as its status update, so it needs nothing more.)
        DataVersion.objects.filter(pk=1).update(version=F("version") + 1)
    return Recomputed(sources=len(sources), actors=len(actors), removed=removed)


def refresh_records(*, source_ids: Iterable[int]) -> None:
    """The records of these sources, of their actors and of those actors' ancestors, only."""
    source_ids = sorted({pk for pk in source_ids if pk is not None})
    if not source_ids:
        return
    paths = set(
        Source.objects.filter(pk__in=source_ids, actor__isnull=False)
        .order_by()
        .values_list("actor__path", flat=True)
    )
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


# -- Explaining a record -------------------------------------------------------------------------


def contradicted() -> Q:
    """Attributions the evidence went against outright or mostly: denials of claims confirmed
    or mostly true, assertions of claims refuted or mostly false."""
    condition = Q()
    for stance, statuses in CONTRADICTING.items():
        condition |= Q(stance=stance, claim__status__in=statuses)
    return condition


@dataclass(frozen=True)
class Statement:
    """One (source, claim, stance) of a record, as the explanation of a score lists it."""

    claim_id: int
    claim_text: str
    status: str
    stance: str
    source_id: int
    source_name: str

    @property
    def claim_url(self) -> str:
        return reverse("tracker:claim_detail", args=[self.claim_id])

    @property
    def source_url(self) -> str:
        return reverse("tracker:source_detail", args=[self.source_id])

    @property
    def status_label(self) -> str:
        return ClaimStatus(self.status).label

    @property
    def contribution(self) -> tuple[float, float] | None:
        return contribution(stance=self.stance, status=self.status)

    @property
    def effect(self) -> str:
        """What it did to the score, in words: "1 for", "0.75 for, 0.25 against"."""
        moved = self.contribution
        if moved is None:
            return "not scored"
        for_count, against_count = moved
        parts = [f"{number(for_count)} for"] if for_count else []
        if against_count:
            parts.append(f"{number(against_count)} against")
        return ", ".join(parts)

    @property
    def direction(self) -> str:
        moved = self.contribution
        if moved is None:
            return "none"
        return "for" if moved[0] > moved[1] else "against" if moved[1] > moved[0] else "even"


# (stances, claim statuses) pairs: what counts as a statement of a record, and as contradicted.
_SCORED = ((SCORED_STANCES, tuple(TRUTH)),)
_CONTRADICTED = tuple(((stance,), statuses) for stance, statuses in CONTRADICTING.items())


def _statements(
    attributions: QuerySet[Attribution],
    pairs: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...],
    limit: int,
) -> list[Statement]:
    """One row per (source, claim, stance) among the attributions matching a pair, for the
    `limit` newest claims that have one; a single query.

    The newest claims are found first, from the claims side (rated claims through the status
    index, each checked for a matching attribution), so that a large actor's sub-tree is not
    sorted whole; PostgreSQL wants the ORDER BY columns selected, as they are, with DISTINCT.
    """
    claims, rows, statuses = Q(), Q(), set()
    for stances, wanted in pairs:
        matching = attributions.filter(claim=OuterRef("pk"), stance__in=stances)
        claims |= Q(status__in=wanted) & Q(Exists(matching))
        rows |= Q(stance__in=stances, claim__status__in=wanted)
        statuses.update(wanted)
    newest = (
        Claim.objects.filter(claims, status__in=sorted(statuses))
        .order_by("-first_reported_on", "-pk")
        .values("pk")[:limit]
    )
    found = (
        attributions.filter(rows, claim__in=Subquery(newest))
        .order_by("-claim__first_reported_on", "-claim_id", "stance", "source__name", "source_id")
        .values_list(
            "claim_id",
            "claim__text",
            "claim__status",
            "stance",
            "source_id",
            "source__name",
            "claim__first_reported_on",
        )
        .distinct()[:limit]
    )
    return [Statement(*row[:6]) for row in found]


def statements_scored(*, attributions: QuerySet[Attribution], limit: int) -> list[Statement]:
    """The claims that moved a record: its assertions and denials of scored claims (one query)."""
    return _statements(attributions, _SCORED, limit)


def statements_contradicted(*, attributions: QuerySet[Attribution], limit: int) -> list[Statement]:
    """Denials later contradicted and assertions later refuted (one query)."""
    return _statements(attributions, _CONTRADICTED, limit)


# -- ClaimReview ---------------------------------------------------------------------------------


def _iso(value: date | datetime) -> str:
    return value.isoformat()


def _claim_author(source: Source) -> dict[str, str] | None:
    """schema.org's author of a claim: a person or an organisation with a name a reader can
    look up. Anonymous groups and the reporter's own voice are left out; a document stands for
    the actor that wrote it, when known."""
    if source.kind == SourceKind.PERSON:
        return {"@type": "Person", "name": source.name}
    if source.kind == SourceKind.ORGANISATION:
        return {"@type": "Organization", "name": source.name}
    if source.kind == SourceKind.DOCUMENT and source.actor is not None:
        return {"@type": "Organization", "name": source.actor.name}
    return None


def _appearance(article: Article) -> dict[str, Any]:
    work: dict[str, Any] = {
        "@type": "CreativeWork",
        "headline": article.title,
        "datePublished": _iso(article.published_on),
    }
    if article.url.lower().startswith(("http://", "https://")):
        work["url"] = article.url
    if article.outlet is not None:
        work["publisher"] = {"@type": "Organization", "name": article.outlet.name}
    return work


def claim_review(
    *,
    claim: Claim,
    verdict: Verdict,
    attributions: Sequence[Attribution],
    page_url: str,
    site_url: str,
) -> dict[str, Any]:
    """schema.org ClaimReview of a claim's current verdict, with the fields Google requires
    (claimReviewed, reviewRating.alternateName, url) and those it recommends (author,
    datePublished, itemReviewed as a Claim with its authors and appearances).

    attributions: the claim's, with source, source.actor, article and article.outlet loaded.
    """
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict.get_rating_display()}
    if verdict.rating in RATING_VALUES:
        rating |= {"ratingValue": RATING_VALUES[verdict.rating], "bestRating": 5, "worstRating": 1}
    authors: list[dict[str, str]] = []
    for attribution in attributions:
        if attribution.stance == Stance.ASSERTS:
            author = _claim_author(attribution.source)
            if author is not None and author not in authors:
                authors.append(author)
    # Where the claim appears: every article that carries it, whoever asserted or denied it.
    articles = {a.article_id: a.article for a in attributions}
    item: dict[str, Any] = {"@type": "Claim"}
    if authors:
        item["author"] = authors
    if claim.first_reported_on:
        item["datePublished"] = _iso(claim.first_reported_on)
    if articles:
        ordered = sorted(articles.values(), key=lambda a: (a.published_on, a.pk))
        item["appearance"] = [_appearance(article) for article in ordered]
        item["firstAppearance"] = item["appearance"][0]
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": page_url,
        "claimReviewed": claim.text,
        "datePublished": _iso(timezone.localdate(verdict.rated_at)),
        "author": {"@type": "Organization", "name": SITE_NAME, "url": site_url},
        "reviewRating": rating,
        "reviewBody": verdict.explanation,
        "itemReviewed": item,
    }


# Characters that could end or confuse a <script> element, as JSON escapes (what Django's
# json_script does, for a script type json_script cannot set).
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}


def json_ld(data: dict[str, Any]) -> SafeString:
    """JSON for a <script type="application/ld+json">: editors' text cannot close the tag."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES))
