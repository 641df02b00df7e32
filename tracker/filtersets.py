"""The one set of filters that the claim list, the matrix, the exports and the API all share.

Filters apply to attributions, so that "actor=russia&stance=denies" means one attribution that
is both Russia's and a denial, not a claim that Russia spoke about and somebody denied. The
claim list shows the claims with at least one matching attribution.
"""

from __future__ import annotations

import difflib
import operator
from collections.abc import Iterable
from functools import cached_property, reduce
from typing import cast

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet

from articles.models import Outlet
from tracker import search
from tracker.choices import STANCE_FILTER_CHOICES, expand_stances
from tracker.credibility import contradicted
from tracker.filterfields import (
    ActorChoice,
    ActorFilter,
    IdFilter,
    OutletFilter,
    SearchFilter,
    StrictBooleanFilter,
    WholeIdFilter,
)

# (the pages read StrictBooleanField from here)
from tracker.filterfields import StrictBooleanField as StrictBooleanField
from tracker.models import (
    ActorKind,
    Anonymity,
    Attribution,
    Claim,
    ClaimStatus,
    Rating,
    Source,
    SourceKind,
    TrackRecord,
    Verdict,
)
from tracker.models.verdicts import TrackRecordQuerySet
from tracker.querysets import AmongSelected, spoken_for

# A search matching more claims than this stays a subquery (see filter_q). Sending the ids back
# is faster up to a large share of the claims: at 1M claims, 287,000 ids took 1.4 s on
# PostgreSQL and 0.8 s on SQLite against 2.6 and 2.3 s as a subquery; all 1M, 3.0 s against 2.4
# on PostgreSQL. The cap also bounds the list one request holds.
SEARCH_CAP = 300_000
# Up to this many matching claims are looked up by id (see AttributionFilterSet.claims).
CLAIM_IDS_CAP = 10_000

STANCE_CHOICES = STANCE_FILTER_CHOICES

# The parameters that select data (everything else on the URL is presentation: sort, cursor...).
FILTER_PARAMS = (
    "actor",
    "actor_exact",
    "affiliated",
    "stance",
    "anonymity",
    "outlet",
    "article",
    "status",
    "date_from",
    "date_to",
    "q",
    "contradicted_denials",
)


# Parameters a shared link may carry that no page reads (campaign tags added by newsletters and
# social sites): never taken for a misspelled filter.
IGNORED_PREFIXES = ("utm_",)


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet, with every bad parameter named for a 400."""

    @classmethod
    def unknown_parameters(
        cls, names: Iterable[str], *, also: Iterable[str] = ()
    ) -> list[tuple[str, str]]:
        """(parameter, message) for each name that is neither a filter nor one of `also` (what
        the page or endpoint reads besides: format, cursor, sort...), for a 400 naming it."""
        known = sorted({*cls.base_filters, *also})
        problems = []
        for name in dict.fromkeys(names):
            if name in known or name.startswith(IGNORED_PREFIXES):
                continue
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" Did you mean {close[0]}?" if close else ""
            problems.append(
                (name, f"There is no parameter {name!r} here.{hint} Known: {', '.join(known)}.")
            )
        return problems

    def error_messages(self) -> list[tuple[str, str]]:
        """(parameter, message) for every bad parameter, for a 400 that names them."""
        return [
            (name, " ".join(str(message) for message in messages))
            for name, messages in self.form.errors.items()
        ]


class AttributionFilterSet(FilterSet):
    # The search as a condition on claims and on attributions (filter_q sets them).
    searched: Q = Q()
    searched_attributions: Q | None = None
    # The ids of up to CLAIM_IDS_CAP + 1 matching claims, read by claims().
    some_claim_ids: list[int] = []
    # Whether filter_actor reads the actor's sources first (see claims()).
    _sources_first = False

    actor = ActorFilter(
        method="filter_actor",
        label="Actor (with its sub-actors)",
        help_text="an actor's slug, name or alias; the actors under it count too unless "
        "actor_exact=1",
    )
    actor_exact = StrictBooleanFilter(
        method="filter_nothing", label="This actor alone", help_text="1 or 0"
    )
    affiliated = StrictBooleanFilter(
        method="filter_nothing",
        label="With affiliated sources",
        help_text="1 to count, with the sources that speak for the actor, those that only "
        "belong to it (members, former members, employees, academics); 0 by default",
    )
    stance = django_filters.MultipleChoiceFilter(
        choices=STANCE_CHOICES,
        method="filter_stance",
        label="Stance",
        help_text="repeatable; responses means denies, declined and no_response together",
    )
    anonymity = django_filters.ChoiceFilter(choices=Anonymity.choices, label="Anonymity")
    outlet = OutletFilter(
        queryset=Outlet.objects.only("pk", "slug", "name"),
        to_field_name="slug",
        field_name="article__outlet",
        label="Outlet",
        help_text="an outlet's slug or name",
    )
    article = IdFilter(field_name="article_id", label="Article id")
    status = django_filters.ChoiceFilter(
        field_name="claim__status", choices=ClaimStatus.choices, label="Claim status"
    )
    date_from = django_filters.DateFilter(
        field_name="article__published_on", lookup_expr="gte", label="Published from"
    )
    date_to = django_filters.DateFilter(
        field_name="article__published_on", lookup_expr="lte", label="Published until"
    )
    q = SearchFilter(
        method="filter_q",
        label="Search",
        help_text='words or "quoted phrases" (all of them), each in the claim, its quotes or '
        "wordings, its sources, their actors (names and aliases) or its articles' titles; "
        "-word leaves out",
    )
    contradicted_denials = StrictBooleanFilter(
        method="filter_contradicted",
        label="Denials later contradicted (and assertions later refuted)",
    )

    class Meta:
        model = Attribution
        fields: list[str] = []

    def filter_nothing(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset  # read by filter_actor

    def filter_actor(self, queryset: QuerySet, name: str, choice: ActorChoice) -> QuerySet:
        exact = bool(self.form.cleaned_data.get("actor_exact"))
        affiliated = bool(self.form.cleaned_data.get("affiliated"))
        ids = [choice.pk] if exact else list(choice.subtree_ids)
        if not self._sources_first:
            return queryset.filter(spoken_for(ids, affiliated=affiliated))
        # The same rows, the actor's sources read first (see claims()).
        sources = Source.objects.order_by().filter(spoken_for(ids, affiliated=affiliated, via=""))
        return queryset.filter(AmongSelected("source_id", sources.values("pk")))

    def filter_stance(self, queryset: QuerySet, name: str, stances: list[str]) -> QuerySet:
        return queryset.filter(stance__in=expand_stances(stances)) if stances else queryset

    def filter_q(self, queryset: QuerySet, name: str, text: str) -> QuerySet:
        text = text.strip()
        if not text:
            return queryset
        if self.searched_attributions is not None:  # run already (_matching)
            return queryset.filter(self.searched_attributions)
        # The search runs once, here, into a list of claim ids sent back as one parameter: as a
        # subquery, it would run again in the count, each facet and the page.
        ids = Claim.objects.search_ids(text, limit=SEARCH_CAP + 1)
        if len(ids) > SEARCH_CAP:  # a word most claims have: too many ids to send back
            self.searched = Q(pk__in=Claim.objects.search(text).values("pk"))
            self.searched_attributions = Q(claim__in=Claim.objects.search(text).values("pk"))
        else:
            # The same condition on the claims, for claims() to walk them by (see there).
            self.searched = Q(search.AmongIds("id", ids, tested=True))
            self.searched_attributions = Q(search.AmongIds("claim_id", ids))
        return queryset.filter(self.searched_attributions)

    def filter_contradicted(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        # 1: denials of claims since confirmed or mostly true, assertions of claims since refuted
        # or mostly false. 0 asks for nothing in particular.
        return queryset.filter(contradicted()) if value else queryset

    @property
    def is_filtered(self) -> bool:
        return any(self.form.cleaned_data.get(name) not in (None, "", []) for name in FILTER_PARAMS)

    def claims(self) -> QuerySet[Claim]:
        """The claims with at least one matching attribution (all claims when nothing is asked).

        The matching claim ids are read once (DISTINCT over the matching attributions, stopped
        after CLAIM_IDS_CAP + 1), an actor's sources first (by_source). A narrow filter's page
        then sorts only its claims, where walking every claim in page order with an EXISTS
        each went far back for a few hits. A broad filter (more ids than the cap) keeps that
        walk: its matches are dense, so it stops early. There the search is a condition on the
        claim alone, a hash lookup, and the EXISTS tests the other filters on the claim's few
        attributions (inside the EXISTS, the search's long list of ids made PostgreSQL hash
        every attribution of every found claim first). Sets `claim_ids`: the ids, or None when
        there is no filter or more than the cap.
        """
        if not self.is_filtered:
            self.claim_ids = None
            return Claim.objects.all()
        if not hasattr(self, "claim_ids"):
            ids = self.by_source.order_by().values_list("claim_id", flat=True).distinct()
            self.some_claim_ids = list(ids[: CLAIM_IDS_CAP + 1])
            found = self.some_claim_ids
            self.claim_ids = found if len(found) <= CLAIM_IDS_CAP else None
        if self.claim_ids == []:
            return Claim.objects.none()  # (no query for the page)
        if self.claim_ids is not None:
            return Claim.objects.filter(search.AmongIds("id", self.claim_ids))
        within = self.within_claims.filter(claim=OuterRef("pk"))
        return Claim.objects.filter(self.searched, Exists(within))

    @cached_property
    def by_source(self) -> QuerySet[Attribution]:
        """self.qs with an actor's sources read first, for reading the claims of all the
        matches: from the source index alone, where a join let PostgreSQL choose to walk every
        attribution in claim order, looking up each one's source, to stop at the cap. (The
        number of rows is then a guess: a page in an order, or rows that need their sources,
        are better read with the join, which PostgreSQL estimates well.)"""
        return (
            self._matching(sources_first=True) if self.form.cleaned_data.get("actor") else self.qs
        )

    def for_sample(self, size: int) -> QuerySet[Attribution]:
        """Matching attributions to take any `size` of (the facets' sample); call after
        claims(). With a search, those of the first `size` claims claims() read, each with
        at least one: a shorter list of ids to send than the search's (on PostgreSQL, parsing
        and planning 40,000 ids took longer than the query)."""
        if not self.searched or not self.is_filtered:
            # (The join, not by_source: for a few rows PostgreSQL then looks up their sources,
            # where by_source's guess of the rows made it hash every source.)
            return self.qs
        ids = self.some_claim_ids[:size]
        return self.within_claims.filter(search.AmongIds("claim_id", ids))

    @cached_property
    def within_claims(self) -> QuerySet[Attribution]:
        """The matching attributions but for the search, which claims() puts on the claims
        themselves: what is left to test of the attributions of a claim that claims() lists
        (their prefetch)."""
        return self._matching(search=False) if self.searched else self.qs

    def _matching(self, *, search: bool = True, sources_first: bool = False) -> QuerySet:
        """self.qs again, the search left out (`search`) or the actor's sources read first
        (`sources_first`). The search is not run again: its ids are kept from self.qs."""
        self.qs  # noqa: B018  (runs the search, once)
        self._sources_first = sources_first
        try:
            queryset = cast(QuerySet, self.queryset).all()  # (given: Attribution rows)
            for name, value in self.form.cleaned_data.items():
                if search or name != "q":
                    queryset = self.filters[name].filter(queryset, value)
        finally:
            self._sources_first = False
        return queryset


# -- Verdicts: /api/verdicts/ --------------------------------------------------------------


class VerdictFilterSet(FilterSet):
    claim = WholeIdFilter(
        field_name="claim_id",
        label="The claim's id",
        help_text="only its verdicts",
        min_value=1,
        error_messages={
            "invalid": "Give a claim id (a whole number of 1 or more).",
            "min_value": "Give a claim id (a whole number of 1 or more).",
        },
    )
    rating = django_filters.ChoiceFilter(
        choices=Rating.choices, label="Rating", help_text="only the verdicts with this rating"
    )

    class Meta:
        model = Verdict
        fields: list[str] = []


# -- Track records: the /credibility/ page and /api/track-records/ --------------------------

# One `kind` parameter for both lists: a source kind, an actor kind, or "person" (both).
RANKING_KINDS = [
    *SourceKind.choices,
    *[(value, label) for value, label in ActorKind.choices if value not in SourceKind.values],
]


class TrackRecordFilterSet(FilterSet):
    """The rankings' rules, once: the /credibility/ page shows each side, the API both in one.

    A record is a source's or an actor's (a side). A kind that only sources have (anonymous)
    leaves out the actors, and the other way on; `actor` keeps the records of the sources under
    the actor's sub-tree and of the actors under it, not the actor's own; a record too short to
    rank is left out unless `all`.
    """

    kind = django_filters.ChoiceFilter(
        choices=RANKING_KINDS,
        method="filter_by_rules",
        label="Kind",
        help_text="a source kind or an actor kind (person is both)",
    )
    actor = ActorFilter(
        method="filter_by_rules",
        label="Under an actor",
        help_text="an actor's slug, name or alias: the records under it (its sources, its "
        "sub-actors', and its sub-actors themselves)",
    )
    all = StrictBooleanFilter(
        method="filter_by_rules",
        label="All records",
        help_text="1 to list the records too short to rank as well (0 by default)",
    )

    class Meta:
        model = TrackRecord
        fields: list[str] = []

    def filter_by_rules(self, queryset: QuerySet, name: str, asked: object) -> QuerySet:
        return queryset  # the parameters decide together, per side: filter_queryset

    def rules(self) -> dict[str, Q]:
        """For each side the kind keeps ("sources", "actors"), the records asked for."""
        kind = self.form.cleaned_data.get("kind")
        choice: ActorChoice | None = self.form.cleaned_data.get("actor")
        rules = {}
        if not kind or kind in SourceKind.values:
            rule = Q(source__isnull=False) & (Q(source__kind=kind) if kind else Q())
            if choice is not None:
                rule &= Q(source__actor_id__in=list(choice.subtree_ids))
            rules["sources"] = rule
        if not kind or kind in ActorKind.values:
            rule = Q(actor__isnull=False) & (Q(actor__kind=kind) if kind else Q())
            if choice is not None:
                rule &= Q(actor_id__in=list(choice.below_ids))
            rules["actors"] = rule
        return rules

    def side(self, name: str) -> TrackRecordQuerySet | None:
        """One side's records under the rules, short ones too; None if the kind leaves it out."""
        rule = self.rules().get(name)
        records = cast(TrackRecordQuerySet, self.queryset)  # TrackRecord rows (Meta.model)
        return None if rule is None else records.filter(rule)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        records = cast(
            TrackRecordQuerySet, queryset.filter(reduce(operator.or_, self.rules().values()))
        )
        return records if self.form.cleaned_data.get("all") else records.enough()
