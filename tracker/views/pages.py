"""The reader's pages: the health check, home, claim, article, actor and source pages."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db.models import (
    Prefetch,
    QuerySet,
)
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles.models import Article
from tracker import credibility as scoring
from tracker.charts.timeline import actor_timeline
from tracker.charts.tree import actor_tree
from tracker.charts.voices import claim_voices
from tracker.filtersets import StrictBooleanField
from tracker.models import (
    Actor,
    Attribution,
    Claim,
    ClaimLink,
    Source,
    Stance,
    TrackRecord,
    Verdict,
)
from tracker.querysets import spoken_for, summarize_sourcing
from tracker.templatetags.tracker_tags import claims_in_order
from tracker.views.errors import BadParameters, bad_request

# How each stance heads its group, in the order a reader expects: who said it, then who answered.
CLAIM_HEADINGS = {
    Stance.ASSERTS: "Asserted by",
    Stance.DENIES: "Denied by",
    Stance.DECLINED: "Declined to comment",
    Stance.NO_RESPONSE: "Did not respond",
}
ACTOR_HEADINGS = {
    Stance.ASSERTS: "Asserted",
    Stance.DENIES: "Denied",
    Stance.DECLINED: "Declined to comment on",
    Stance.NO_RESPONSE: "Left unanswered",
}

# Long lists are cut so that a page's size and its queries stay the same as the data grows.
HOME_LIMIT = 10
ACTOR_GROUP_LIMIT = 50
ACTOR_ABOUT_LIMIT = 50
SOURCE_LIMIT = 100
# The statements behind a track record, and the contradicted ones, shown on actor/source pages.
RECORD_LIMIT = 50


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The latest claims and articles, and the actors whose sources are cited most."""
    return render(
        request,
        "tracker/home.html",
        {
            # The newest claims first (on the index), with the counts kept on each.
            "claims": Claim.objects.newest_first()[:HOME_LIMIT],
            "articles": Article.objects.for_list()[:HOME_LIMIT],
            "actors": Actor.objects.most_cited()[:HOME_LIMIT],
        },
    )


@require_safe
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A claim, who asserted, denied, declined or ignored it, and how well it is sourced."""
    claim = get_object_or_404(
        Claim.objects.prefetch_related(
            Prefetch("about", queryset=Actor.objects.order_by("name")),
            Prefetch("verdicts", queryset=Verdict.objects.for_page()),
        ),
        pk=pk,
    )
    # In the order the story was told: article by article, passage by passage.
    attributions = list(
        claim.attributions.for_list().order_by(
            "article__published_on", "article_id", "span_start", "pk"
        )
    )
    groups = [
        (heading, stance, rows)
        for stance, heading in CLAIM_HEADINGS.items()
        if (rows := [a for a in attributions if a.stance == stance])
    ]
    articles = list({a.article_id: a.article for a in attributions}.values())
    verdicts = list(claim.verdicts.all())  # the latest first: it is the claim's status
    claim_review = None
    if verdicts and verdicts[0].rating == claim.status:
        claim_review = scoring.json_ld(
            scoring.claim_review(
                claim=claim,
                verdict=verdicts[0],
                attributions=attributions,
                page_url=request.build_absolute_uri(claim.get_absolute_url()),
                site_url=request.build_absolute_uri("/"),
            )
        )
    return render(
        request,
        "tracker/claim_detail.html",
        {
            "claim": claim,
            "groups": groups,
            "summary": summarize_sourcing(attributions),
            # The claims it answers or is answered by, read from this one (one query).
            "links": [link.seen_from(claim.pk) for link in ClaimLink.objects.touching(claim.pk)],
            "articles": articles,
            "verdict": verdicts[0] if verdicts else None,
            "earlier_verdicts": verdicts[1:],
            "claim_review": claim_review,
            "voices": claim_voices(attributions=attributions, name="voices"),
        },
    )


@require_safe
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An article's text with every attributed passage highlighted, and the claims it carries."""
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=pk)
    attributions = list(article.attributions.select_related("claim", "source", "source__actor"))
    numbers = claims_in_order(attributions)
    by_claim: dict[int, list[Attribution]] = {claim_id: [] for claim_id in numbers}
    for attribution in attributions:
        by_claim[attribution.claim_id].append(attribution)
    claims = [
        (number, by_claim[claim_id][0].claim, by_claim[claim_id])
        for claim_id, number in numbers.items()
    ]
    return render(
        request,
        "tracker/article_detail.html",
        {"article": article, "attributions": attributions, "claims": claims},
    )


@require_safe
def actor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An actor, where it sits, what it (and the actors under it) said, and what is said of it."""
    actor = get_object_or_404(
        Actor.objects.select_related("track_record").prefetch_related("aliases"), slug=slug
    )
    ancestors = _ancestors(actor)
    try:
        affiliated = _affiliated(request)
    except BadParameters as error:
        return bad_request(request, error.problems)
    subtree_ids = list(Actor.objects.subtree(actor).values_list("pk", flat=True))
    # A literal list: planners estimate `IN (...)` well, and a path prefix badly. The sources
    # speaking for the actors count; those only belonging to them when asked (affiliated=1).
    attributions = Attribution.objects.filter(spoken_for(subtree_ids, affiliated=affiliated))
    # The sub-tree's counts by stance are kept with the data (tracker/counters.py).
    counts = actor.subtree_stance_counts(affiliated=affiliated)
    # The newest rows of every stance in one query, each read from the kept actor reach rows
    # up to the limit (tracker/counters/reach.py), not sorted out of the whole sub-tree.
    newest = Attribution.objects.newest_by_stance(
        actor, stances=ACTOR_HEADINGS, affiliated=affiliated, limit=ACTOR_GROUP_LIMIT
    )
    groups = [
        (heading, stance, newest[stance], counts.get(stance, len(newest[stance])))
        for stance, heading in ACTOR_HEADINGS.items()
        if newest[stance]
    ]
    about = Claim.objects.newest_about(subtree_ids, ACTOR_ABOUT_LIMIT + 1)
    scope = "&affiliated=1" if affiliated else ""
    record = _record(
        actor,
        attributions,
        claims_url=f"{reverse('tracker:claim_list')}?actor={actor.slug}&contradicted_denials=1"
        + scope,
    )
    if affiliated:
        record.record = scoring.affiliated_record(actor)
    return render(
        request,
        "tracker/actor_detail.html",
        {
            "actor": actor,
            "ancestors": ancestors,
            "stance_counts": [(stance, counts.get(stance, 0)) for stance in Stance.values],
            "total": sum(counts.values()),
            "groups": groups,
            "about": about[:ACTOR_ABOUT_LIMIT],
            "more_about": len(about) > ACTOR_ABOUT_LIMIT,
            "about_limit": ACTOR_ABOUT_LIMIT,
            "record": record,
            "timeline": actor_timeline(
                who=actor.name, actor_ids=subtree_ids, affiliated=affiliated, name="timeline"
            ),
            "tree": actor_tree(actor=actor),
            "affiliated": affiliated,
            "scope": scope,
        },
    )


def _affiliated(request: HttpRequest) -> bool:
    """The `affiliated` parameter (1 or 0), as the claim list's filters read it; else a 400."""
    try:
        return bool(StrictBooleanField().clean(request.GET.get("affiliated")))
    except forms.ValidationError as error:
        raise BadParameters([("affiliated", " ".join(error.messages))]) from None


@require_safe
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A source, whom it belongs to, and what it was cited for."""
    source = get_object_or_404(Source.objects.select_related("actor", "track_record"), pk=pk)
    affiliation: list[Actor] = []
    if source.actor is not None:
        affiliation = [*_ancestors(source.actor), source.actor]
    counts = source.attributions.stance_counts()
    attributions = source.attributions.for_list().order_by("-article__published_on", "-pk")
    return render(
        request,
        "tracker/source_detail.html",
        {
            "source": source,
            "affiliation": affiliation,
            "stance_counts": [
                (stance, counts[stance]) for stance in Stance.values if stance in counts
            ],
            "total": sum(counts.values()),
            "attributions": attributions[:SOURCE_LIMIT],
            "limit": SOURCE_LIMIT,
            "record": _record(source, source.attributions.all()),
        },
    )


@dataclass
class RecordPage:
    """A track record as the actor and source pages show it, with what explains it."""

    record: TrackRecord | None
    statements: list[scoring.Statement]
    denials: list[scoring.Statement]
    refuted: list[scoring.Statement]
    more_contradicted: bool
    claims_url: str | None
    limit: int = RECORD_LIMIT
    min_record: int = TrackRecord.MIN_RECORD

    @property
    def more_statements(self) -> bool:
        return self.record is not None and self.record.scored > len(self.statements)


def _record(
    who: Actor | Source,
    attributions: QuerySet[Attribution],
    *,
    claims_url: str | None = None,
) -> RecordPage:
    """The stored record (loaded with `who`) and two queries: the statements that moved it and
    those the evidence contradicted, each cut at RECORD_LIMIT."""
    statements = scoring.statements_scored(attributions=attributions, limit=RECORD_LIMIT)
    contradicted = scoring.statements_contradicted(
        attributions=attributions, limit=RECORD_LIMIT + 1
    )
    try:
        record = who.track_record
    except TrackRecord.DoesNotExist:
        record = None
    return RecordPage(
        record=record,
        statements=statements,
        denials=[s for s in contradicted[:RECORD_LIMIT] if s.stance == Stance.DENIES],
        refuted=[s for s in contradicted[:RECORD_LIMIT] if s.stance == Stance.ASSERTS],
        more_contradicted=len(contradicted) > RECORD_LIMIT,
        claims_url=claims_url,
    )


def _ancestors(actor: Actor) -> list[Actor]:
    """The actors above this one, from the root down, in one query."""
    position = {actor_id: i for i, actor_id in enumerate(actor.ancestor_ids)}
    return sorted(Actor.objects.ancestors_of(actor), key=lambda a: position[a.pk])
